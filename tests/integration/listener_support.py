"""A raw TCP listener on loopback for the outbound tests: counts connections,
records what clients send, and optionally greets with a banner (an SSH-like
service, or a fake SMTP server collecting credentials)."""

from __future__ import annotations

import socket
import threading


class Listener:
    def __init__(self, banner: bytes = b"", reply: bytes = b""):
        self.banner = banner
        self.reply = reply  # answered to every line received (b"" = silence)
        self.connections = 0
        self.received = b""
        self.lock = threading.Lock()
        self.accepted = threading.Condition(self.lock)
        self.peers: list = []  # each accepted client's address, in order
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            with self.accepted:
                self.connections += 1
                self.clients.append(conn)
                self.peers.append(peer)
                self.accepted.notify_all()
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket):
        try:
            if self.banner:
                conn.sendall(self.banner)
            while True:
                data = conn.recv(4096)
                if not data:
                    return
                with self.lock:
                    self.received += data
                if self.reply:
                    conn.sendall(self.reply * data.count(b"\n"))
        except OSError:
            return

    def connections_so_far(self, timeout: float = 5) -> int:
        """Connections accepted before now, counted without sleeping: connects a probe
        of our own and waits until it is accepted. The kernel hands out pending
        connections in order, so any made before the probe have been counted by then."""
        probe = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        mine = probe.getsockname()
        try:
            with self.accepted:
                if not self.accepted.wait_for(lambda: mine in self.peers, timeout):
                    raise AssertionError("the listener never accepted its own probe")
                return self.peers.index(mine)
        finally:
            probe.close()

    def close(self):
        try:
            self.sock.close()
        finally:
            with self.lock:
                for c in self.clients:
                    try:
                        c.close()
                    except OSError:
                        pass
