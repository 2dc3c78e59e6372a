#!/usr/bin/env python3
"""A local OAuth 2.0 token introspection endpoint (RFC 7662) for the test IMAP server.

Dovecot's oauth2 passdb (scripts/dovecot_test_server.sh) POSTs token=<bearer token> here to
check an XOAUTH2 / OAUTHBEARER login. One token is known: the one in --token-file, which is
active and belongs to --username; every other token is answered {"active": false}. Listens on
127.0.0.1 only, on a free port that it writes to --port-file once it is listening (its pid to
--pid-file before that). Logs one line per request to stderr, never the token. Runs until
SIGTERM.
"""

import argparse
import hmac
import json
import os
import signal
import sys
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 16 * 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--token-file", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--pid-file", required=True)
    args = parser.parse_args()
    with open(args.token_file, encoding="ascii") as f:
        known_token = f.read().strip().encode()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, body):
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def token_of_request(self):
            # introspection_mode = post sends token=...; auth sends a Bearer header.
            authorization = self.headers.get("Authorization", "")
            if authorization.lower().startswith("bearer "):
                return authorization[7:].strip().encode()
            length = int(self.headers.get("Content-Length") or 0)
            if length < 0 or length > MAX_BODY:
                return b""
            form = urllib.parse.parse_qs(self.rfile.read(length).decode("ascii", "replace"))
            return (form.get("token") or [""])[0].encode()

        def handle_any(self):
            token = self.token_of_request()
            active = bool(token) and hmac.compare_digest(token, known_token)
            sys.stderr.write(f"introspection {self.command} {self.path.split('?')[0]} "
                             f"active={active}\n")
            if active:
                self.answer({"active": True, "username": args.username, "scope": "imap"})
            else:
                self.answer({"active": False})

        do_POST = handle_any
        do_GET = handle_any

        def log_message(self, *unused):  # the default logs the URL, which may carry a token
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *unused: os._exit(0))
    with open(args.pid_file, "w", encoding="ascii") as f:
        f.write(f"{os.getpid()}\n")
    temporary = args.port_file + ".tmp"
    with open(temporary, "w", encoding="ascii") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(temporary, args.port_file)  # last: its presence says the server is listening
    server.serve_forever()


if __name__ == "__main__":
    main()
