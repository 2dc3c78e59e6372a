"""A scriptable SMTP sink for the integration tests.

Run as a script (``python3 smtp_sink.py --port P --dir D [options]``) it serves SMTP
on 127.0.0.1:P with aiosmtpd (Debian's python3-aiosmtpd, 1.4 API: a plain asyncio
loop around ``aiosmtpd.smtp.SMTP`` with a handler object) and stores every accepted
message as one JSON file in D::

    {"seq": 17, "received_at": <time.time()>, "peer": "127.0.0.1:45678",
     "mail_from": "...", "rcpt_tos": ["..."], "data_b64": "<raw message bytes>"}

Files are written to a temporary name and renamed, so a reader never sees a partial
message. Every accepted TCP connection appends one line to D/connections.log.

Fault injection (addresses compared case-insensitively):
  --defer-data N [--defer-data-for ADDR[=M] ...]
        answer the first N DATA commands with "451 4.3.0 Try again later" - per
        listed recipient address (each address gets its own N, or M when given),
        or, without --defer-data-for, the first N DATA commands overall.
  --defer-rcpt N [--defer-rcpt-for ADDR ...]
        the same for RCPT TO.
  --reject-rcpt ADDR ...
        answer RCPT TO:<ADDR> with "550 5.1.1 User unknown" (always).
  --data-delay SECONDS
        store an accepted message at once but send the final "250" only after
        SECONDS (widens the window in which a killed client loses the ack).
  --no-smtputf8
        do not offer SMTPUTF8 (RFC 6531) in the EHLO reply, as many relays do not.

Imported as a module it provides SmtpSink, the test-side controller that starts the
script as a subprocess on a free loopback port, waits (bounded) until it accepts
connections, and reads the stored messages back.
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

DEFER_REPLY = "451 4.3.0 Try again later"
REJECT_REPLY = "550 5.1.1 User unknown"
CONNECTIONS_LOG = "connections.log"


# --------------------------------------------------------------------------- server side


def _serve(args) -> None:  # pragma: no cover - runs in the subprocess
    import asyncio

    from aiosmtpd.smtp import SMTP

    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    conn_log = open(out / CONNECTIONS_LOG, "a", buffering=1)

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
            if a in self.reject:
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
            peer = session.peer
            rec = {
                "seq": self.seq,
                "received_at": time.time(),
                "peer": f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer),
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "data_b64": base64.b64encode(data).decode("ascii"),
            }
            name = f"msg-{self.seq:07d}.json"
            tmp = out / f".{name}.tmp"
            with open(tmp, "w") as f:
                json.dump(rec, f)
            os.replace(tmp, out / name)
            if args.data_delay > 0:
                # stored, but the client learns it only later (a lost ack, if it dies now)
                await asyncio.sleep(args.data_delay)
            return "250 2.0.0 Message accepted"

    handler = Handler()

    class CountingSMTP(SMTP):
        def connection_made(self, transport):
            peer = transport.get_extra_info("peername")
            conn_log.write(f"{time.time():.6f} {peer[0]}:{peer[1]}\n")
            super().connection_made(transport)

    def factory():
        return CountingSMTP(handler, hostname="sink.example.test", decode_data=False,
                            enable_SMTPUTF8=not args.no_smtputf8, data_size_limit=64 * 1024 * 1024,
                            timeout=120)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, host=args.host, port=args.port))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    try:
        loop.run_forever()
    finally:
        server.close()
        conn_log.close()


def main(argv=None) -> None:  # pragma: no cover - runs in the subprocess
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--defer-data", type=int, default=0)
    p.add_argument("--defer-data-for", action="append", default=[])
    p.add_argument("--defer-rcpt", type=int, default=0)
    p.add_argument("--defer-rcpt-for", action="append", default=[])
    p.add_argument("--reject-rcpt", action="append", default=[])
    p.add_argument("--data-delay", type=float, default=0.0)
    p.add_argument("--no-smtputf8", action="store_true")
    _serve(p.parse_args(argv))


# --------------------------------------------------------------------------- test side


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    defer_rcpt times) or a dict address -> times."""

    def __init__(self, defer_data: int = 0, defer_data_for=(), defer_rcpt: int = 0,
                 defer_rcpt_for=(), reject_rcpt=(), data_delay: float = 0.0,
                 directory: str | Path | None = None, smtputf8: bool = True):
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
        if not smtputf8:
            self.args += ["--no-smtputf8"]

    def start(self, timeout: float = 15.0) -> "SmtpSink":
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self._log = open(self.dir.parent / f"{self.dir.name}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--port", str(self.port),
             "--dir", str(self.dir), *self.args],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"smtp sink exited with {self.proc.returncode}: "
                                   + self.log_text())
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    s.settimeout(5)
                    banner = s.recv(512)
                    if banner.startswith(b"220"):
                        s.sendall(b"QUIT\r\n")
                        self._probe_connections = 1
                        return self
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"smtp sink did not accept connections within {timeout}s")

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

    def connections(self) -> int:
        """TCP connections accepted, excluding the start-up probe."""
        try:
            with open(self.dir / CONNECTIONS_LOG) as f:
                n = sum(1 for _ in f)
        except OSError:
            n = 0
        return max(0, n - getattr(self, "_probe_connections", 0))

    def wait_for_count(self, n: int, timeout: float) -> int:
        """Poll until at least n messages arrived (bounded); return the count."""
        deadline = time.monotonic() + timeout
        c = self.count()
        while c < n and time.monotonic() < deadline:
            time.sleep(0.1)
            c = self.count()
        return c


if __name__ == "__main__":  # pragma: no cover
    main()
