#!/usr/bin/python3
"""A document server for the import and watched-source tests (a test peer,
not part of kigen): serves the files of a directory on 127.0.0.1, on a port
the kernel picks, written to PORTFILE once it listens.

    docserver.py DIR PORTFILE [LOGFILE]

  /NAME            the file DIR/NAME with an ETag (its SHA-256) and a
                   Last-Modified (its mtime); 304 to a matching
                   If-None-Match or a later If-Modified-Since; 404 if absent
  /redirect/NAME   302 to /NAME
  /loop            302 to itself, for ever
  /ftp             302 to an ftp:// URL
  /slow/NAME       /NAME after SLOW seconds (the file DIR/.slow, default 30)
  /big             announces 32 MiB (Content-Length), sends zeros
  /big-chunked     32 MiB of zeros, chunked (no length announced)
  /status/N        status N with an empty body

Every request is appended to LOGFILE as "METHOD PATH If-None-Match
If-Modified-Since" (- for an absent header).  Stopped by the test with
SIGTERM (by PID).
"""
import email.utils
import hashlib
import http.server
import os
import sys
import time

ROOT, PORTFILE = sys.argv[1], sys.argv[2]
LOG = sys.argv[3] if len(sys.argv) > 3 else None
BIG = 32 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def empty(self, code, headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def zeros(self, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(BIG))
        self.end_headers()
        block = b"0" * 65536
        try:
            for _ in range(BIG // len(block)):
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
                else:
                    self.wfile.write(block)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client gave up, as it should

    def file(self, name):
        path = os.path.join(ROOT, name)
        if "/" in name or name.startswith(".") or not os.path.isfile(path):
            return self.empty(404)
        body = open(path, "rb").read()
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        mtime = int(os.stat(path).st_mtime)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if inm == etag or (inm is None and ims and
                           email.utils.parsedate_to_datetime(ims).timestamp() >= mtime):
            return self.empty(304, [("ETag", etag)])
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf" if name.endswith(".pdf")
                         else "text/plain; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        p = self.path.split("?")[0]
        if LOG:
            with open(LOG, "a") as f:
                f.write("GET %s %s %s\n" % (p, self.headers.get("If-None-Match", "-"),
                                            self.headers.get("If-Modified-Since", "-")))
        if p == "/loop":
            return self.empty(302, [("Location", "/loop")])
        if p == "/ftp":
            return self.empty(302, [("Location", "ftp://127.0.0.1/report.pdf")])
        if p.startswith("/redirect/"):
            return self.empty(302, [("Location", "/" + p[len("/redirect/"):])])
        if p.startswith("/status/"):
            return self.empty(int(p[len("/status/"):]))
        if p in ("/big", "/big-chunked"):
            return self.zeros(p == "/big-chunked")
        if p.startswith("/slow/"):
            try:
                delay = float(open(os.path.join(ROOT, ".slow")).read())
            except OSError:
                delay = 30
            time.sleep(delay)
            return self.file(p[len("/slow/"):])
        return self.file(p[1:])


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
server.serve_forever()
