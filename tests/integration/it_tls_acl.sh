#!/usr/bin/env bash
# TLS and ACL against Debian's redis-server:
#  * certificates made here with openssl (a CA, a server certificate for
#    127.0.0.1 / localhost, a client certificate, and an unrelated CA);
#  * the right --cacert loads vectors (also as valkeys://, with SNI, and with
#    a client certificate where the server demands one);
#  * a wrong CA or a wrong SNI name fails with a message that says so;
#  * an ACL user with a password loads; a wrong password and a user without
#    the right to HSET fail clearly; the password is never printed and is
#    not left in the process's command line.
. "$(dirname "$0")/../harness/lib.sh"
command -v openssl >/dev/null || skip "openssl is not installed"
command -v redis-server >/dev/null || skip "redis-server is not installed"
ds=$VM_DATASETS/siftsmall

# --- certificates --------------------------------------------------------
c=$VM_TMP/certs
mkdir -p "$c"
mkcert() { # name subject ca [ext]
    openssl req -newkey rsa:2048 -nodes -keyout "$c/$1.key" -out "$c/$1.csr" -subj "$2" 2>/dev/null
    openssl x509 -req -in "$c/$1.csr" -CA "$c/$3.pem" -CAkey "$c/$3.key" -CAcreateserial \
        -out "$c/$1.pem" -days 2 ${4:+-extfile "$4"} 2>/dev/null
}
for ca in ca other-ca; do
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$c/$ca.key" -out "$c/$ca.pem" -days 2 \
        -subj "/CN=vm-test-$ca" 2>/dev/null || fail "openssl: CA"
done
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$c/server.ext"
mkcert server /CN=localhost ca "$c/server.ext"
mkcert client /CN=vm-client ca
[ -s "$c/server.pem" ] && [ -s "$c/client.pem" ] || fail "openssl: certificates"

# --- a TLS server ------------------------------------------------------------
start_tls() { # extra args...; sets TLS_PORT
    local try dir
    for try in 1 2 3; do
        TLS_PORT=$(free_port)
        dir=$VM_TMP/tls-$TLS_PORT
        mkdir -p "$dir"
        redis-server --port 0 --tls-port "$TLS_PORT" --bind 127.0.0.1 --dir "$dir" --save '' \
            --tls-cert-file "$c/server.pem" --tls-key-file "$c/server.key" \
            --tls-ca-cert-file "$c/ca.pem" --daemonize no --logfile "$dir/server.log" "$@" &
        VM_PIDS+=($!)
        local i
        for i in $(seq 1 50); do
            redis-cli --tls --cacert "$c/ca.pem" --cert "$c/client.pem" --key "$c/client.key" \
                -p "$TLS_PORT" PING 2>/dev/null | grep -q PONG && return 0
            kill -0 "${VM_PIDS[-1]}" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "${VM_PIDS[-1]}" 2>/dev/null || true
        grep -qi "tls" "$dir/server.log" 2>/dev/null && grep -qi "not supported\|unrecognized" "$dir/server.log" &&
            skip "this redis-server has no TLS support"
    done
    fail "TLS redis-server did not start"
}
tcli() { redis-cli --tls --cacert "$c/ca.pem" --cert "$c/client.pem" --key "$c/client.key" -p "$TLS_PORT" "$@"; }

start_tls --tls-auth-clients no
out=$("$VM_BIN" prefill --tls --cacert "$c/ca.pem" -h 127.0.0.1 -p "$TLS_PORT" --dataset "$ds" \
    --limit 1000 -c 4 -P 8 2>&1) || fail "TLS prefill with the right CA: $out"
echo "$out" | grep -q '^prefill: 1000 vectors.* 0 errors' || fail "TLS summary: $out"
assert_eq "$(tcli DBSIZE)" 1000 "keys loaded over TLS"

# deep pipelines: TLS writes that block and resume from a grown buffer
tcli FLUSHALL >/dev/null
"$VM_BIN" prefill --tls --cacert "$c/ca.pem" -p "$TLS_PORT" --dataset "$ds" -c 2 -P 512 --threads 1 \
    >/dev/null || fail "TLS prefill with -P 512"
assert_eq "$(tcli DBSIZE)" 10000 "keys loaded over TLS with -P 512"

# the URL form and SNI naming the certificate's DNS name
tcli FLUSHALL >/dev/null
"$VM_BIN" prefill -u "valkeys://127.0.0.1:$TLS_PORT" --cacert "$c/ca.pem" --sni localhost \
    --dataset "$ds" --limit 100 -c 2 >/dev/null || fail "valkeys:// with --sni localhost"
assert_eq "$(tcli DBSIZE)" 100 "keys loaded over valkeys://"

# a wrong CA: a clear message, no vector written
tcli FLUSHALL >/dev/null
if out=$("$VM_BIN" prefill --tls --cacert "$c/other-ca.pem" -p "$TLS_PORT" --dataset "$ds" \
    --limit 100 2>&1); then fail "a wrong CA was accepted: $out"; fi
echo "$out"
echo "$out" | grep -q "certificate not trusted" || fail "wrong-CA message: $out"
echo "$out" | grep -q -- "--cacert" || fail "wrong-CA message does not name --cacert: $out"
assert_eq "$(tcli DBSIZE)" 0 "keys after a refused handshake"

# a name the certificate does not carry
if out=$("$VM_BIN" prefill --tls --cacert "$c/ca.pem" --sni wrong.example -p "$TLS_PORT" \
    --dataset "$ds" --limit 10 2>&1); then fail "a wrong server name was accepted: $out"; fi
echo "$out" | grep -qi "hostname mismatch\|not trusted" || fail "wrong-name message: $out"

# a server that demands a client certificate
start_tls --tls-auth-clients yes
if out=$("$VM_BIN" prefill --tls --cacert "$c/ca.pem" -p "$TLS_PORT" --dataset "$ds" --limit 10 \
    2>&1); then fail "no client certificate, yet accepted: $out"; fi
echo "$out"
"$VM_BIN" prefill --tls --cacert "$c/ca.pem" --cert "$c/client.pem" --key "$c/client.key" \
    -p "$TLS_PORT" --dataset "$ds" --limit 200 -c 2 >/dev/null || fail "with a client certificate"
assert_eq "$(tcli DBSIZE)" 200 "keys loaded with a client certificate"

# --- ACL users ----------------------------------------------------------------
start_redis
pw='s3cr3t-Pw_9'
redis-cli -p "$REDIS_PORT" ACL SETUSER loader on ">$pw" '~vec:*' +hset +ping +auth +info +module >/dev/null
redis-cli -p "$REDIS_PORT" ACL SETUSER reader on ">$pw" '~*' +ping +auth +get +info +module >/dev/null
redis-cli -p "$REDIS_PORT" CONFIG SET requirepass "default-$pw" >/dev/null

"$VM_BIN" prefill -p "$REDIS_PORT" --user loader -a "$pw" --dataset "$ds" --limit 500 --rate 1000 \
    >"$VM_TMP/acl.out" 2>&1 &
pf=$!
sleep 0.3
if [ -r "/proc/$pf/cmdline" ]; then
    ! tr '\0' ' ' <"/proc/$pf/cmdline" | grep -q -- "$pw" || fail "the password is in the process's command line"
fi
wait "$pf" || { cat "$VM_TMP/acl.out"; fail "ACL user + password"; }
grep -q '^prefill: 500 vectors.* 0 errors' "$VM_TMP/acl.out" || fail "ACL summary: $(cat "$VM_TMP/acl.out")"
redis-cli -p "$REDIS_PORT" --user loader --pass "$pw" --no-auth-warning DBSIZE 2>&1 | grep -q NOPERM || fail "loader may run DBSIZE"
assert_eq "$(redis-cli -p "$REDIS_PORT" -a "default-$pw" --no-auth-warning DBSIZE)" 500 "keys loaded as loader"

# the password from VALKEYCLI_AUTH
VALKEYCLI_AUTH="$pw" "$VM_BIN" prefill -p "$REDIS_PORT" --user loader --dataset "$ds" --limit 10 \
    >/dev/null || fail "password from VALKEYCLI_AUTH"

# the password from a file (first line, its line end dropped); a missing
# file and -a together with --pass-file are clear errors without the secret
printf '%s\r\nsecond line\n' "$pw" >"$VM_TMP/pw"
chmod 600 "$VM_TMP/pw"
"$VM_BIN" prefill -p "$REDIS_PORT" --user loader --pass-file "$VM_TMP/pw" --dataset "$ds" --limit 10 \
    >/dev/null || fail "password from --pass-file"
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --user loader --pass-file "$VM_TMP/nope" --dataset "$ds" \
    --limit 10 2>&1); then fail "a missing --pass-file was accepted"; fi
echo "$out" | grep -q -- "--pass-file $VM_TMP/nope: No such file" || fail "missing pass file message: $out"
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --user loader --pass-file "$VM_TMP/pw" -a "$pw" \
    --dataset "$ds" --limit 10 2>&1); then fail "-a with --pass-file was accepted"; fi
echo "$out" | grep -q "give the password one way" || fail "-a with --pass-file message: $out"
! echo "$out" | grep -q -- "$pw" || fail "the password was printed"
printf 'wrong-%s\n' "$pw" >"$VM_TMP/pw-wrong"
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --user loader --pass-file "$VM_TMP/pw-wrong" \
    --dataset "$ds" --limit 10 2>&1); then fail "a wrong password from a file was accepted"; fi
echo "$out" | grep -qi "authentication refused" || fail "wrong-password (file) message: $out"
! echo "$out" | grep -q -- "$pw" || fail "the password from the file was printed"

# a wrong password: refused, said so, never echoed
if out=$("$VM_BIN" prefill -p "$REDIS_PORT" --user loader -a "wrong-$pw" --dataset "$ds" \
    --limit 10 2>&1); then fail "a wrong password was accepted"; fi
echo "$out"
echo "$out" | grep -qi "authentication refused" || fail "wrong-password message: $out"
! echo "$out" | grep -q -- "$pw" || fail "the password was printed"

# a user that may not HSET: every error is classified NOPERM and counted;
# --on-error stop ends the run at the first one
out=$("$VM_BIN" prefill -p "$REDIS_PORT" --user reader -a "$pw" --dataset "$ds" --limit 50 \
    -c 1 -P 4 2>&1) && fail "HSET without permission succeeded: $out"
echo "$out"
echo "$out" | grep -q "noperm 50" || fail "NOPERM not counted: $out"
out=$("$VM_BIN" prefill -p "$REDIS_PORT" --user reader -a "$pw" --dataset "$ds" --limit 5000 \
    -c 1 -P 4 --on-error stop 2>&1) && fail "--on-error stop did not stop: $out"
echo "$out"
echo "$out" | grep -q "noperm error, stopping" || fail "--on-error stop message: $out"
! echo "$out" | grep -q -- "$pw" || fail "the password was printed"
