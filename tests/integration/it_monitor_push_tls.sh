#!/usr/bin/env bash
# --push over HTTPS with basic auth, against a real prometheus-pushgateway
# started with a web config (TLS certificate from a test CA made here, bcrypt
# user): pushes succeed with --push-cacert and the user in the URL; without
# the CA or with a wrong password they fail, are counted, and the run still
# succeeds; the password never appears in what the tool prints or writes.
. "$(dirname "$0")/../harness/lib.sh"
command -v prometheus-pushgateway >/dev/null || skip "prometheus-pushgateway is not installed"
command -v openssl >/dev/null || skip "openssl is not installed"
hash=$(python3 -c "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))" \
    "pw-$$" 2>/dev/null) || skip "python3 crypt module with bcrypt is not available"
start_redis
d="$VM_TMP/tls"
mkdir -p "$d"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=test-ca" -keyout "$d/ca.key" \
    -out "$d/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/srv.key" -out "$d/srv.csr" 2>/dev/null
printf "subjectAltName=IP:127.0.0.1\n" >"$d/ext"
openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/ext" -out "$d/srv.pem" 2>/dev/null
cat >"$d/web.yml" <<YML
tls_server_config:
  cert_file: $d/srv.pem
  key_file: $d/srv.key
basic_auth_users:
  tester: '$hash'
YML
port=$(free_port)
prometheus-pushgateway --web.listen-address="127.0.0.1:$port" --web.config.file="$d/web.yml" \
    >"$VM_TMP/pgw.log" 2>&1 &
VM_PIDS+=($!)
pgw=$!
# up to 30 s on a loaded machine (each request checks a bcrypt hash); a
# gateway that exited did not take the web config
for _ in $(seq 1 300); do
    curl -fsS --cacert "$d/ca.pem" -u "tester:pw-$$" "https://127.0.0.1:$port/metrics" >/dev/null 2>&1 && break
    kill -0 "$pgw" 2>/dev/null || break
    sleep 0.1
done
curl -fsS --cacert "$d/ca.pem" -u "tester:pw-$$" "https://127.0.0.1:$port/metrics" >/dev/null \
    || { cat "$VM_TMP/pgw.log"; skip "this pushgateway build does not take the TLS / auth web config"; }

# right CA, user and password in the URL
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 1s --csv "$VM_TMP/a.csv" --run-id tls \
    --push "https://tester:pw-$$@127.0.0.1:$port" --push-cacert "$d/ca.pem" >"$VM_TMP/out1" 2>&1 \
    || { cat "$VM_TMP/out1"; fail "monitor over https"; }
grep -qE " [1-9][0-9]* pushes, 0 failed" "$VM_TMP/out1" || { cat "$VM_TMP/out1"; fail "https pushes"; }
got=$(curl -fsS --cacert "$d/ca.pem" -u "tester:pw-$$" "https://127.0.0.1:$port/metrics")
grep -q "^valkey_memstress_used_memory_bytes{.*run=\"tls\"" <<<"$got" || fail "nothing arrived over https"

# the password from the environment, the user from --push-user
VM_PUSH_PASSWORD="pw-$$" "$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 600ms \
    --csv "$VM_TMP/b.csv" --push "https://127.0.0.1:$port" --push-user tester \
    --push-cacert "$d/ca.pem" >"$VM_TMP/out2" 2>&1 || fail "monitor with --push-user"
grep -qE " [1-9][0-9]* pushes, 0 failed" "$VM_TMP/out2" || { cat "$VM_TMP/out2"; fail "--push-user pushes"; }

# a wrong password: refused (401), counted, the run goes on
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 600ms --csv "$VM_TMP/c.csv" \
    --push "https://tester:wrong-$$@127.0.0.1:$port" --push-cacert "$d/ca.pem" --push-retries 1 \
    >"$VM_TMP/out3" 2>&1 || fail "a refused push failed the run"
grep -q "HTTP 401" "$VM_TMP/out3" || { cat "$VM_TMP/out3"; fail "401 not reported"; }
grep -qE "0 pushes, [1-9][0-9]* failed" "$VM_TMP/out3" || { cat "$VM_TMP/out3"; fail "refusals not counted"; }

# no CA: the certificate is not trusted
"$VM_BIN" monitor -p "$REDIS_PORT" --interval 200ms --duration 600ms --csv "$VM_TMP/d.csv" \
    --push "https://tester:pw-$$@127.0.0.1:$port" --push-retries 1 >"$VM_TMP/out4" 2>&1 \
    || fail "an untrusted gateway failed the run"
grep -qE "0 pushes, [1-9][0-9]* failed" "$VM_TMP/out4" || { cat "$VM_TMP/out4"; fail "untrusted certificate accepted"; }

for f in "$VM_TMP"/out[1-4] "$VM_TMP"/[a-d].csv "$VM_TMP"/[a-d].units.csv; do
    if grep -q -e "pw-$$" -e "wrong-$$" "$f"; then fail "a password leaked into $f"; fi
done
