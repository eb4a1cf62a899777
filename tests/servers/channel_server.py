#!/usr/bin/env python3
"""A channel server for cenv's download tests: serves a folder over HTTP/1.1 (keep-alive) on
127.0.0.1 with ETag, Last-Modified, conditional requests (304) and Range (206), and injects
faults on request.

    channel_server.py --root DIR [--faults FILE] [--log FILE] [--max-age N]
                      [--require-user-agent] [--tls CERT KEY] [--latency MS]

It prints `PORT <n>` on its first line once it listens (port 0 picks a free one).

--faults names a JSON file read again on every request, so a test can change the faults
while the server runs: a list of rules, the first that matches a request applies:
    {"path": "*/linux-64/repodata.json*", "action": "status:503", "times": 2}
`path` is an fnmatch pattern on the request path; `times` (optional) limits how many requests
the rule answers. Actions:
    status:N            answer N with a short body (404, 500, 503, ...)
    truncate:N          announce the whole length, send N bytes, close the connection
    stall:S             send the headers and half the body, then nothing for S seconds
    corrupt             the right length, wrong bytes (one byte changed in the middle)
    trickle:BYTES:SECS  the right bytes, BYTES at a time with SECS between them
    close               close the connection without answering
    ignore_range        answer 200 with the whole file even to a Range request
--log names a file that gets one JSON line per request: method, path, status, the
If-None-Match, If-Modified-Since, Range, User-Agent and Host headers, and the proxy flag
(an absolute-form request line, as a client sends to its proxy).
--require-user-agent answers 403 to a request without a User-Agent (as TUNA does).
--latency adds MS milliseconds before each answer (a distant mirror, for benchmarks).
A request in absolute form (`GET http://other.host/path`) is served from the same folder,
so the server doubles as an HTTP proxy for tests of proxy settings. With --connect-tls CERT
KEY it also answers CONNECT (what a client sends its proxy for an https:// URL): the tunnel
is served over TLS with that certificate, from the same folder, so that https URLs of real
hosts (a mirror's published .condarc) reach it through proxy_servers.
"""

import argparse
import email.utils
import fnmatch
import http.server
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse


class State:
    def __init__(self, args):
        self.root = os.path.abspath(args.root)
        self.faults_file = args.faults
        self.log_file = args.log
        self.max_age = args.max_age
        self.require_ua = args.require_user_agent
        self.latency = args.latency / 1000.0
        self.lock = threading.Lock()
        self.used = {}  # rule index -> times applied

    def fault_for(self, path):
        if not self.faults_file or not os.path.exists(self.faults_file):
            return None
        try:
            with open(self.faults_file, encoding="utf-8") as f:
                rules = json.load(f)
        except (OSError, ValueError):
            return None
        with self.lock:
            for i, rule in enumerate(rules):
                if not fnmatch.fnmatchcase(path, rule["path"]):
                    continue
                key = (i, json.dumps(rule, sort_keys=True))
                if "times" in rule and self.used.get(key, 0) >= rule["times"]:
                    continue
                self.used[key] = self.used.get(key, 0) + 1
                return rule["action"]
        return None

    def log(self, entry):
        if not self.log_file:
            return
        with self.lock, open(self.log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cenv-test-server"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def do_HEAD(self):
        self.handle_request(head=True)

    def do_GET(self):
        self.handle_request(head=False)

    def do_CONNECT(self):
        context = self.server.connect_context
        if context is None:
            self.entry = {"method": "CONNECT", "path": self.path, "proxied": True}
            self.send_small(405, "no CONNECT here")
            return
        self.entry = {"method": "CONNECT", "path": self.path, "proxied": True}
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        try:
            tunnel = context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        # The requests inside the tunnel, handled like any other connection.
        Handler(tunnel, self.client_address, self.server)
        self.close_connection = True

    def handle_request(self, head):
        state = self.server.state
        proxied = "://" in self.path
        path = urllib.parse.urlsplit(self.path).path if proxied else self.path.split("?", 1)[0]
        path = urllib.parse.unquote(path)
        self.entry = {"method": self.command, "path": path, "proxied": proxied}
        for header in ("If-None-Match", "If-Modified-Since", "Range", "User-Agent", "Host"):
            if self.headers.get(header) is not None:
                self.entry[header] = self.headers.get(header)
        if state.latency:
            time.sleep(state.latency)
        self.answer(state, path, head)

    def send_response(self, code, message=None):
        # Logged before the client can see the answer, so that a test that got its answer
        # finds the request in the log.
        self.entry["status"] = code
        self.server.state.log(self.entry)
        super().send_response(code, message)

    def send_small(self, status, text):
        body = (text + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def answer(self, state, path, head):
        if state.require_ua and not self.headers.get("User-Agent"):
            return self.send_small(403, "requests without a User-Agent are refused")
        action = state.fault_for(path)
        if action == "close":
            self.entry["status"] = 0
            state.log(self.entry)
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return 0
        if action and action.startswith("status:"):
            return self.send_small(int(action.split(":")[1]), "injected fault")
        full = os.path.normpath(os.path.join(state.root, path.lstrip("/")))
        if not full.startswith(state.root) or not os.path.isfile(full):
            return self.send_small(404, "not found")
        with open(full, "rb") as f:
            data = f.read()
        st = os.stat(full)
        etag = '"%x-%x"' % (st.st_mtime_ns, st.st_size)
        last_modified = email.utils.formatdate(st.st_mtime, usegmt=True)
        if self.not_modified(etag, st.st_mtime):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return 304
        status, start = 200, 0
        range_header = self.headers.get("Range")
        if range_header and action != "ignore_range" and range_header.startswith("bytes="):
            first, _, last = range_header[6:].partition("-")
            start = int(first)
            end = int(last) + 1 if last else len(data)
            if start >= len(data):
                return self.send_small(416, "range not satisfiable")
            status = 206
            body = data[start:min(end, len(data))]
        else:
            body = data
        if action == "corrupt" and body:
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0x5A]) + body[middle + 1:]
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        self.send_header("Accept-Ranges", "bytes")
        if state.max_age is not None:
            self.send_header("Cache-Control", "public, max-age=%d" % state.max_age)
        if status == 206:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, start + len(body) - 1, len(data)))
        self.end_headers()
        if head:
            return status
        if action and action.startswith("truncate:"):
            self.wfile.write(body[:int(action.split(":")[1])])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return status
        if action and action.startswith("stall:"):
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            time.sleep(float(action.split(":")[1]))
            self.close_connection = True
            return status
        if action and action.startswith("trickle:"):
            _, size, pause = action.split(":")
            for i in range(0, len(body), int(size)):
                self.wfile.write(body[i:i + int(size)])
                self.wfile.flush()
                time.sleep(float(pause))
            return status
        self.wfile.write(body)
        return status

    def not_modified(self, etag, mtime):
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(mtime) <= email.utils.parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that hung up (a test's timeout) is expected here.
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError, ssl.SSLError)):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--faults")
    parser.add_argument("--log")
    parser.add_argument("--max-age", type=int)
    parser.add_argument("--require-user-agent", action="store_true")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--connect-tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args)
    server.connect_context = None
    if args.connect_tls:
        server.connect_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server.connect_context.load_cert_chain(args.connect_tls[0], args.connect_tls[1])
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("PORT %d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
