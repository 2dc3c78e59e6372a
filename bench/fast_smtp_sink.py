#!/usr/bin/python3
"""A minimal, fast SMTP sink for benchmarks: accepts every message, keeps
nothing but counts, and prints the count and the time of the first and last
message when it receives SIGTERM. Loopback only. Not a test peer: tests use
aiosmtpd (tests/integration/smtp_sink.py)."""
import asyncio
import signal
import sys
import time

count = 0
first = None
last = None


class Session(asyncio.Protocol):
    def connection_made(self, transport):
        self.t = transport
        self.buf = b""
        self.in_data = False
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        global count, first, last
        self.buf += data
        while True:
            if self.in_data:
                end = self.buf.find(b"\r\n.\r\n")
                if end < 0:
                    # keep the tail in case the terminator straddles reads
                    return
                self.buf = self.buf[end + 5:]
                self.in_data = False
                now = time.monotonic()
                count += 1
                first = first or now
                last = now
                self.t.write(b"250 2.0.0 queued\r\n")
                continue
            nl = self.buf.find(b"\r\n")
            if nl < 0:
                return
            line, self.buf = self.buf[:nl], self.buf[nl + 2:]
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.t.write(b"250-sink\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.t.write(b"354 go ahead\r\n")
                self.buf = b"\r\n" + self.buf  # so a message ending right away matches
            elif verb == b"QUIT":
                self.t.write(b"221 bye\r\n")
                self.t.close()
                return
            else:
                self.t.write(b"250 ok\r\n")


async def main(port):
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Session, "127.0.0.1", port)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    print("ready", flush=True)
    await stop
    server.close()
    span = (last - first) if first and last else 0.0
    print(f"{count} {span:.6f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
