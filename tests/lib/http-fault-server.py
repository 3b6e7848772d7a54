#!/usr/bin/env python3
"""An HTTP(S) server on 127.0.0.1 for the `db update` tests: serves files with ETags, and faults.

The first path component picks the behaviour; the rest names a file under --root:
  /ok/F            the file, with an ETag; If-None-Match with that ETag gets 304
  /fail-N/F        500 for the first N requests of this path, then as /ok/
  /500/F           500 always
  /429-N/F         429 with Retry-After: 1 for the first N requests, then as /ok/
  /429long/F       429 with Retry-After: 3600
  /truncate/F      a Content-Length of the whole file, half the bytes, then the connection closes
  /slow/F          headers and a few bytes, then nothing for 60 seconds
  /404/F           404
  /redirect-N/F    N redirects, then the file as /ok/
  /redirect-file/F a redirect to a file:// URL
Every request is logged as one line "METHOD PATH INM" (INM is the If-None-Match or "-") to --log.
The port goes to --port-file once the server listens. --cert/--key serve HTTPS instead.
The server stops when its parent process exits, or after --lifetime seconds.
"""
import argparse
import hashlib
import http.server
import os
import ssl
import sys
import threading
import time

counters = {}
counters_lock = threading.Lock()
log_lock = threading.Lock()


def count(path):
    with counters_lock:
        counters[path] = counters.get(path, 0) + 1
        return counters[path]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    log_path = None

    def log_message(self, fmt, *args):
        pass

    def log_request_line(self):
        if not self.log_path:
            return
        with log_lock, open(self.log_path, "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, self.headers.get("If-None-Match", "-")))

    def send_plain(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def file_bytes(self, rel):
        if not rel or rel.startswith("/") or ".." in rel.split("/"):
            return None
        path = os.path.join(self.root, rel)
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            return f.read()

    def serve_file(self, rel):
        data = self.file_bytes(rel)
        if data is None:
            self.send_plain(404, b"not found\n")
            return
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        inm = self.headers.get("If-None-Match")
        if inm is not None and etag in [t.strip() for t in inm.split(",")]:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_plain(200, data, [("ETag", etag), ("Content-Type", "application/octet-stream")])

    def do_GET(self):
        self.log_request_line()
        path = self.path.split("?", 1)[0]
        parts = path.lstrip("/").split("/", 1)
        mode = parts[0]
        rel = parts[1] if len(parts) > 1 else ""
        n = count(path)

        if mode == "ok":
            self.serve_file(rel)
        elif mode.startswith("fail-"):
            if n <= int(mode[5:]):
                self.send_plain(500, b"internal error\n")
            else:
                self.serve_file(rel)
        elif mode == "500":
            self.send_plain(500, b"internal error\n")
        elif mode.startswith("429-"):
            if n <= int(mode[4:]):
                self.send_plain(429, b"slow down\n", [("Retry-After", "1")])
            else:
                self.serve_file(rel)
        elif mode == "429long":
            self.send_plain(429, b"slow down\n", [("Retry-After", "3600")])
        elif mode == "truncate":
            data = self.file_bytes(rel) or b"x" * 1000
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif mode == "slow":
            data = self.file_bytes(rel) or b"x" * 1000
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:16])
            self.wfile.flush()
            time.sleep(60)
            self.close_connection = True
        elif mode.startswith("redirect-") and mode[9:].isdigit():
            left = int(mode[9:])
            target = "/ok/%s" % rel if left <= 1 else "/redirect-%d/%s" % (left - 1, rel)
            self.send_plain(302, b"", [("Location", target)])
        elif mode == "redirect-file":
            self.send_plain(302, b"", [("Location", "file:///etc/passwd")])
        else:
            self.send_plain(404, b"not found\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--lifetime", type=float, default=600, help="seconds before the server stops by itself")
    args = ap.parse_args()

    Handler.root = os.path.abspath(args.root)
    Handler.log_path = args.log
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        ctx.load_cert_chain(args.cert, args.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    # A test that dies without its EXIT trap must not leave the server behind: stop with the parent.
    parent = os.getppid()

    def watchdog():
        deadline = time.monotonic() + args.lifetime
        while os.getppid() == parent and time.monotonic() < deadline:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
