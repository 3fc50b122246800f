#!/usr/bin/env python3
"""A tiny HTTP/1.1 file server with byte ranges, for the download tests.

python3's http.server ignores Range; this one answers `Range: bytes=A-B`
(and `A-`) with 206 and Content-Range, and can cut one transfer midway:
  range_http.py DIR PORTFILE [--cut-once BYTES]
binds 127.0.0.1 on a free port, writes the port to PORTFILE, serves DIR.
With --cut-once, the first GET that would send more than BYTES bytes sends
BYTES and drops the connection (having announced the full length), so the
client sees a short transfer and must resume with a range request.
Every request line is appended to PORTFILE.log, to assert what was asked:
"GET /path range=bytes=A-B auth=yes|no" (whether an Authorization header
came — never its value), and after each body "SENT /path N" (bytes sent).
"""
import http.server
import os
import re
import sys

root, portfile = sys.argv[1], sys.argv[2]
cut = int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--cut-once" else None
state = {"cut": cut}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        with open(portfile + ".log", "a") as f:
            f.write("%s %s range=%s auth=%s\n" % (
                self.command, self.path, self.headers.get("Range", "-"),
                "yes" if self.headers.get("Authorization") else "no"))
            if self.headers.get("Authorization", "").startswith("Bearer "):
                # a digest of the token, to assert the right one came, never the token
                import hashlib
                tok = self.headers["Authorization"][7:].encode()
                f.write("AUTH bearer sha256=%s\n" % hashlib.sha256(tok).hexdigest())

    def do_HEAD(self):
        self.serve(head=True)

    def do_GET(self):
        self.serve(head=False)

    def serve(self, head):
        rel = os.path.normpath(self.path.lstrip("/").split("?")[0])
        path = os.path.join(root, rel)
        if rel.startswith("..") or os.path.isabs(rel) or not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        start, end, status = 0, size - 1, 200
        rng = self.headers.get("Range")
        if rng:
            m = re.match(r"bytes=(\d*)-(\d*)$", rng.strip())
            if not m or (m.group(1) == "" and m.group(2) == ""):
                self.send_error(400)
                return
            if m.group(1) == "":
                start, end = max(0, size - int(m.group(2))), size - 1
            else:
                start = int(m.group(1))
                end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
            if start >= size or start > end:
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        length = end - start + 1
        self.send_response(status)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(length))
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, end, size))
        self.end_headers()
        if head:
            return
        send = length
        drop = False
        if state["cut"] is not None and length > state["cut"]:
            send, drop, state["cut"] = state["cut"], True, None
        with open(path, "rb") as f:
            f.seek(start)
            left = send
            while left > 0:
                chunk = f.read(min(left, 1 << 16))
                if not chunk:
                    break
                self.wfile.write(chunk)
                left -= len(chunk)
        with open(portfile + ".log", "a") as f:
            f.write("SENT %s %d\n" % (self.path, send - left))
        if drop:
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(portfile + ".tmp", portfile)
srv.serve_forever()
