"""Helpers shared by the benchmark scripts: free loopback ports, the server's
environment for a throw-away data directory, JSON API calls and waiting for
/healthz."""
import json
import os
import socket
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir, admin_port, phish_port, api_key, password, **extra):
    """Environment for `phishdrill serve` on loopback with its own data directory.

    The SMTP sinks run on loopback too, which the server refuses to connect to
    unless listed in PHISHDRILL_OUTBOUND_ALLOW."""
    env = dict(os.environ, PHISHDRILL_DATA_DIR=data_dir,
               PHISHDRILL_OUTBOUND_ALLOW="127.0.0.1/32,::1/128",
               PHISHDRILL_ADMIN_LISTEN=f"127.0.0.1:{admin_port}",
               PHISHDRILL_PHISH_LISTEN=f"127.0.0.1:{phish_port}",
               PHISHDRILL_INITIAL_ADMIN_PASSWORD=password,
               PHISHDRILL_INITIAL_API_KEY=api_key, PHISHDRILL_LOG_LEVEL="warn")
    env.update(extra)
    return env


def call(base, key, method, path, body=None, content_type="application/json"):
    """One admin API call with the API key; returns the decoded JSON (or None)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.loads(resp.read() or b"null")


def wait_healthy(base, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{base}/healthz did not answer within {seconds} s")
