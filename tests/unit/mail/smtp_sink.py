"""A recording SMTP server for the SmtpTransport unit tests (Debian's aiosmtpd).

Run with Debian's /usr/bin/python3:
  smtp_sink.py --dir DIR [--fail-data N] [--reject-rcpt] [--auth USER:PASSWORD]
               [--echo-auth-failure] [--idle-timeout S]

Listens on 127.0.0.1, on a port the kernel picks, and writes it to DIR/port
(atomically) once it accepts connections. Every accepted connection adds a file
DIR/conn-<n> before the greeting is sent, and DIR/closed-<n> when it ends. Every accepted message is written as
DIR/msg-<n>.from, DIR/msg-<n>.rcpt (one recipient a line) and, last,
DIR/msg-<n>.eml (the DATA bytes after dot-unstuffing), before the 250 reply.

--fail-data N        answer the first N DATA commands with 451 4.3.0
--reject-rcpt        answer every RCPT with 550 5.1.1
--auth USER:PASSWORD require AUTH (offered without TLS) with these credentials
--idle-timeout S     close a connection idle for S seconds (default 300)
--echo-auth-failure  a failed AUTH answers with the password it received (to
                     check the client scrubs it from what it reports)
"""

import argparse
import asyncio
import itertools
import logging
import os
import signal
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def write_atomically(path, data):
    temp = path + ".tmp"
    with open(temp, "wb") as f:
        f.write(data)
    os.replace(temp, path)


class Handler:
    def __init__(self, directory, fail_data, reject_rcpt):
        self.directory = directory
        self.fail_data = fail_data
        self.reject_rcpt = reject_rcpt
        self.messages = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_data > 0:
            self.fail_data -= 1
            return "451 4.3.0 try again later"
        n = next(self.messages)
        base = os.path.join(self.directory, "msg-%d" % n)
        write_atomically(base + ".from", envelope.mail_from.encode())
        write_atomically(base + ".rcpt", "\n".join(envelope.rcpt_tos).encode())
        write_atomically(base + ".eml", envelope.original_content)
        return "250 2.0.0 queued as %d" % n


class Authenticator:
    def __init__(self, user, password, echo_failure):
        self.user = user.encode()
        self.password = password.encode()
        self.echo_failure = echo_failure

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login == self.user and auth_data.password == self.password:
            return AuthResult(success=True)
        if self.echo_failure:
            message = "535 5.7.8 bad password %s" % auth_data.password.decode(errors="replace")
            return AuthResult(success=False, handled=False, message=message)
        return AuthResult(success=False, handled=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--fail-data", type=int, default=0)
    parser.add_argument("--reject-rcpt", action="store_true")
    parser.add_argument("--auth")
    parser.add_argument("--echo-auth-failure", action="store_true")
    parser.add_argument("--idle-timeout", type=float, default=300)
    parser.add_argument("--smtputf8", action="store_true", help="offer SMTPUTF8 (RFC 6531)")
    args = parser.parse_args()
    # aiosmtpd warns about AUTH without TLS and logs unparsable input (the
    # implicit-TLS test): expected here, and noise in the test output.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)

    handler = Handler(args.dir, args.fail_data, args.reject_rcpt)
    authenticator = None
    if args.auth:
        user, _, password = args.auth.partition(":")
        authenticator = Authenticator(user, password, args.echo_auth_failure)
    connections = itertools.count(1)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    closed = itertools.count(1)

    class RecordingSMTP(SMTP):
        def connection_lost(self, error):
            write_atomically(os.path.join(args.dir, "closed-%d" % next(closed)), b"")
            super().connection_lost(error)

    def factory():
        write_atomically(os.path.join(args.dir, "conn-%d" % next(connections)), b"")
        return RecordingSMTP(
            handler,
            hostname="sink.test",
            loop=loop,
            authenticator=authenticator,
            auth_required=authenticator is not None,
            auth_require_tls=False,
            timeout=args.idle_timeout,
            enable_SMTPUTF8=args.smtputf8,
        )

    server = loop.run_until_complete(loop.create_server(factory, host="127.0.0.1", port=0))
    port = server.sockets[0].getsockname()[1]
    write_atomically(os.path.join(args.dir, "port"), str(port).encode())
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.run_forever()
    server.close()


if __name__ == "__main__":
    main()
