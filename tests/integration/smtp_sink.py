"""The SMTP sink of all the tests: a scriptable, recording SMTP server (aiosmtpd).

Run as a script (``/usr/bin/python3 smtp_sink.py --dir D [options]``) it serves SMTP on
127.0.0.1 with aiosmtpd (Debian's python3-aiosmtpd, 1.4 API: a plain asyncio loop
around ``aiosmtpd.smtp.SMTP`` with a handler object) and records in D:

  D/port        the port it listens on (--port, or one the kernel picked), written
                (atomically) once it accepts connections;
  D/conn-<n>    one per accepted connection (n = 1, 2, ...), before the greeting;
  D/closed-<n>  when connection n has ended (every byte it sent has been handled);
  messages      every accepted message, stored before the final "250" is sent, as
      --layout json (default): D/msg-<7-digit seq>.json, read by SmtpSink below and
          the browser test,
          {"seq": 17, "received_at": <time.time()>, "peer": "127.0.0.1:45678",
           "mail_from": "...", "rcpt_tos": ["..."], "data_b64": "<raw message bytes>"}
      --layout files: D/msg-<seq>.from, D/msg-<seq>.rcpt (one recipient a line) and,
          last, D/msg-<seq>.eml (the DATA bytes after dot-unstuffing), read by the C++
          unit test tests/unit/mail/smtp_transport_test.cpp.
Every file is written to a temporary name and renamed, so a reader never sees a partial
one. Replies: "250 2.0.0 queued as <seq>", "451 4.3.0 try again later" (deferred),
"550 5.1.1 no such user" (rejected).

Options (addresses compared case-insensitively):
  --defer-data N [--defer-data-for ADDR[=M] ...]    (--fail-data N is the same)
        answer the first N DATA commands with 451 - per listed recipient address (each
        address gets its own N, or M when given), or, without --defer-data-for, the
        first N DATA commands overall.
  --defer-rcpt N [--defer-rcpt-for ADDR ...]
        the same for RCPT TO.
  --reject-rcpt [ADDR] ...
        answer RCPT TO:<ADDR> with 550 (always); without ADDR, every RCPT TO.
  --data-delay SECONDS
        store an accepted message at once but send the final "250" only after
        SECONDS (widens the window in which a killed client loses the ack).
  --smtputf8 / --no-smtputf8
        offer SMTPUTF8 (RFC 6531) in the EHLO reply, or not (the default, as many
        relays do not; the SmtpSink controller offers it unless told otherwise).
  --auth USER:PASSWORD
        require AUTH, offered without TLS, with these credentials.
  --echo-auth-failure
        a failed AUTH answers with the password it received (to check the client
        scrubs it from what it reports).
  --idle-timeout SECONDS
        close a connection idle that long (default 120).

Imported as a module it provides SmtpSink, the test-side controller that starts the
script as a subprocess, waits (bounded) until it accepts connections, and reads the
stored messages back.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from email import message_from_bytes, policy
from pathlib import Path

DEFER_REPLY = "451 4.3.0 try again later"
REJECT_REPLY = "550 5.1.1 no such user"
ANY_RECIPIENT = "*"


def write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- server side


def _serve(args) -> None:  # pragma: no cover - runs in the subprocess
    import asyncio
    import logging
    import warnings

    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

    # aiosmtpd warns about AUTH without TLS and logs unparsable input (the C++ test's
    # implicit-TLS case): expected here, and noise in the test output.
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)

    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)

    def norm(a: str) -> str:
        return a.strip().strip("<>").lower()

    def _counts(specs, default):
        """["a@x", "b@x=3"] -> {"a@x": default, "b@x": 3}"""
        out = {}
        for spec in specs:
            addr, sep, n = spec.rpartition("=")
            if sep and n.isdigit():
                out[norm(addr)] = int(n)
            else:
                out[norm(spec)] = default
        return out

    class Handler:
        def __init__(self):
            self.seq = 0
            self.reject = {norm(a) for a in args.reject_rcpt}
            self.defer_data_for = args.defer_data_for
            self.defer_rcpt_for = args.defer_rcpt_for
            self.data_left = _counts(args.defer_data_for, args.defer_data)
            self.rcpt_left = _counts(args.defer_rcpt_for, args.defer_rcpt)
            self.data_all_left = args.defer_data if not self.defer_data_for else 0
            self.rcpt_all_left = args.defer_rcpt if not self.defer_rcpt_for else 0

        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            a = norm(address)
            if a in self.reject or ANY_RECIPIENT in self.reject:
                return REJECT_REPLY
            if self.rcpt_all_left > 0:
                self.rcpt_all_left -= 1
                return DEFER_REPLY
            if self.rcpt_left.get(a, 0) > 0:
                self.rcpt_left[a] -= 1
                return DEFER_REPLY
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            if self.data_all_left > 0:
                self.data_all_left -= 1
                return DEFER_REPLY
            for r in envelope.rcpt_tos:
                a = norm(r)
                if self.data_left.get(a, 0) > 0:
                    self.data_left[a] -= 1
                    return DEFER_REPLY
            self.seq += 1
            data = envelope.original_content or envelope.content
            if isinstance(data, str):
                data = data.encode("utf-8", "surrogateescape")
            if args.layout == "files":
                base = f"msg-{self.seq}"
                write_atomically(out / f"{base}.from", envelope.mail_from.encode())
                write_atomically(out / f"{base}.rcpt", "\n".join(envelope.rcpt_tos).encode())
                write_atomically(out / f"{base}.eml", data)
            else:
                peer = session.peer
                rec = {
                    "seq": self.seq,
                    "received_at": time.time(),
                    "peer": f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer),
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": list(envelope.rcpt_tos),
                    "data_b64": base64.b64encode(data).decode("ascii"),
                }
                write_atomically(out / f"msg-{self.seq:07d}.json", json.dumps(rec).encode())
            if args.data_delay > 0:
                # stored, but the client learns it only later (a lost ack, if it dies now)
                await asyncio.sleep(args.data_delay)
            return f"250 2.0.0 queued as {self.seq}"

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
                message = "535 5.7.8 bad password %s" % auth_data.password.decode(
                    errors="replace")
                return AuthResult(success=False, handled=False, message=message)
            return AuthResult(success=False, handled=False)

    handler = Handler()
    auth = {}
    if args.auth:
        user, _, password = args.auth.partition(":")
        auth = {"authenticator": Authenticator(user, password, args.echo_auth_failure),
                "auth_required": True, "auth_require_tls": False}
    connections = 0

    class RecordingSMTP(SMTP):
        def __init__(self, number, *a, **kw):
            self.number = number
            super().__init__(*a, **kw)

        def connection_lost(self, error):
            write_atomically(out / f"closed-{self.number}", b"")
            super().connection_lost(error)

    def factory():
        nonlocal connections
        connections += 1
        write_atomically(out / f"conn-{connections}", b"")
        return RecordingSMTP(connections, handler, hostname="sink.example.test",
                             decode_data=False, enable_SMTPUTF8=args.smtputf8,
                             data_size_limit=64 * 1024 * 1024, timeout=args.idle_timeout,
                             **auth)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    write_atomically(out / "port", str(server.sockets[0].getsockname()[1]).encode())
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()


def main(argv=None) -> None:  # pragma: no cover - runs in the subprocess
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--dir", required=True)
    p.add_argument("--layout", choices=("json", "files"), default="json")
    p.add_argument("--defer-data", "--fail-data", type=int, default=0)
    p.add_argument("--defer-data-for", action="append", default=[])
    p.add_argument("--defer-rcpt", type=int, default=0)
    p.add_argument("--defer-rcpt-for", action="append", default=[])
    p.add_argument("--reject-rcpt", action="append", nargs="?", const=ANY_RECIPIENT, default=[])
    p.add_argument("--data-delay", type=float, default=0.0)
    p.add_argument("--smtputf8", action=argparse.BooleanOptionalAction, default=False)
    p.add_argument("--auth")
    p.add_argument("--echo-auth-failure", action="store_true")
    p.add_argument("--idle-timeout", type=float, default=120)
    _serve(p.parse_args(argv))


# --------------------------------------------------------------------------- test side


class SinkMessage:
    """One stored message: envelope, raw bytes, lazily parsed email.message.EmailMessage."""

    def __init__(self, rec: dict, path: Path):
        self.path = path
        self.seq: int = rec["seq"]
        self.received_at: float = rec["received_at"]
        self.peer: str = rec.get("peer", "")
        self.mail_from: str = rec["mail_from"]
        self.rcpt_tos: list[str] = rec["rcpt_tos"]
        self.raw: bytes = base64.b64decode(rec["data_b64"])
        self._msg = None

    @property
    def msg(self):
        if self._msg is None:
            self._msg = message_from_bytes(self.raw, policy=policy.default)
        return self._msg

    def __repr__(self):
        return f"<SinkMessage #{self.seq} {self.mail_from} -> {self.rcpt_tos}>"


class SmtpSink:
    """Controller for one smtp_sink.py subprocess (see the module docstring).

    defer_data_for / defer_rcpt_for: a list of addresses (each deferred defer_data /
    defer_rcpt times) or a dict address -> times. auth: "USER:PASSWORD" to require AUTH."""

    def __init__(self, defer_data: int = 0, defer_data_for=(), defer_rcpt: int = 0,
                 defer_rcpt_for=(), reject_rcpt=(), data_delay: float = 0.0,
                 directory: str | Path | None = None, smtputf8: bool = True,
                 auth: str | None = None):
        self.dir = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="smtp-sink-"))
        self._own_dir = directory is None
        self.host = "127.0.0.1"
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.args = []
        for opt, n, addrs in (("data", defer_data, defer_data_for),
                              ("rcpt", defer_rcpt, defer_rcpt_for)):
            if n:
                self.args += [f"--defer-{opt}", str(n)]
            if isinstance(addrs, dict):
                addrs = [f"{a}={c}" for a, c in addrs.items()]
            for a in addrs:
                self.args += [f"--defer-{opt}-for", a]
        for a in reject_rcpt:
            self.args += ["--reject-rcpt", a]
        if data_delay:
            self.args += ["--data-delay", str(data_delay)]
        self.args += ["--smtputf8" if smtputf8 else "--no-smtputf8"]
        if auth:
            self.args += ["--auth", auth]

    def start(self, timeout: float = 15.0) -> "SmtpSink":
        """Start the script; return once it has published its port and greets."""
        from harness import wait_until

        self.dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.dir.parent / f"{self.dir.name}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--dir", str(self.dir), *self.args],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)

        def greets() -> bool:
            if self.proc.poll() is not None:
                raise RuntimeError(f"smtp sink exited with {self.proc.returncode}: "
                                   + self.log_text())
            try:
                self.port = self.port or int((self.dir / "port").read_text())
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    s.settimeout(5)
                    if s.recv(512).startswith(b"220"):
                        s.sendall(b"QUIT\r\n")
                        return True
            except (OSError, ValueError):
                pass
            return False

        try:
            wait_until(greets, timeout, "the smtp sink's greeting", interval=0.05)
        except AssertionError:
            self.stop()
            raise RuntimeError(f"smtp sink did not accept connections within {timeout}s") \
                from None
        self._probe_connections = self._numbered("conn-")
        return self

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(10)
            self.proc = None
        log = getattr(self, "_log", None)
        if log is not None and not log.closed:
            log.close()

    def cleanup(self) -> None:
        self.stop()
        if self._own_dir and os.environ.get("PHISHDRILL_KEEP_DATA") != "1":
            import shutil

            shutil.rmtree(self.dir, ignore_errors=True)
            try:
                (self.dir.parent / f"{self.dir.name}.log").unlink()
            except OSError:
                pass

    def log_text(self) -> str:
        try:
            return (self.dir.parent / f"{self.dir.name}.log").read_text("utf-8", "replace")
        except OSError:
            return ""

    # -- reading results
    def count(self) -> int:
        """Number of messages accepted so far (cheap: counts files)."""
        return sum(1 for e in os.scandir(self.dir)
                   if e.name.startswith("msg-") and e.name.endswith(".json"))

    def messages(self) -> list[SinkMessage]:
        out = []
        for p in sorted(self.dir.glob("msg-*.json")):
            with open(p) as f:
                out.append(SinkMessage(json.load(f), p))
        out.sort(key=lambda m: m.seq)
        return out

    def _numbered(self, prefix: str) -> set[int]:
        return {int(e.name[len(prefix):]) for e in os.scandir(self.dir)
                if e.name.startswith(prefix) and e.name[len(prefix):].isdigit()}

    def connections(self) -> int:
        """TCP connections accepted, excluding the start-up probe(s)."""
        return len(self._numbered("conn-") - getattr(self, "_probe_connections", set()))

    def open_connections(self) -> set[int]:
        """Numbers of the connections accepted and not yet ended. Once a connection has
        ended, the sink has handled every byte it got on it: nothing more can arrive
        through it."""
        return self._numbered("conn-") - self._numbered("closed-")

    def wait_for_count(self, n: int, timeout: float) -> int:
        """Poll until at least n messages arrived (bounded); return the count."""
        from harness import wait_until

        try:
            wait_until(lambda: self.count() >= n, timeout, f"{n} messages")
        except AssertionError:
            pass
        return self.count()


if __name__ == "__main__":  # pragma: no cover
    main()
