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
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                self.clients.append(conn)
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
