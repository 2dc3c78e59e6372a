"""The log cannot be forged from outside: whatever a client puts in a request (line
breaks, terminal escapes, spaces and `key=value` in the path), each request
is one access-log line, control characters are escaped and outside values are quoted."""

import time

import pytest

from harness import Server, raw_request, wait_until

FORGED = "2026-01-01T00:00:00.000Z warn event=login_failed ip=10.9.9.9"


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-log")
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


def _log_lines_with(server, marker: str, timeout: float = 10) -> list[str]:
    """The lines of phishdrill.log (and stderr) holding marker, once they appear."""
    lines = []

    def both():
        lines.clear()
        for path in (server.log_path, server.stderr_path):
            text = path.read_bytes().decode("utf-8", "replace") if path.exists() else ""
            lines.append([line for line in text.split("\n") if marker in line])
        return all(lines)

    try:
        wait_until(both, timeout, f"log lines with {marker}")
    except AssertionError:
        pass  # the caller says which are missing
    return lines[0] + lines[1]


@pytest.mark.parametrize("url", ["base_url", "phish_url"])
def test_control_characters_in_the_path_stay_on_one_escaped_line(server, url):
    marker = f"inject{int(time.monotonic() * 1000)}"
    forged = FORGED.replace(" ", "%20").replace("=", "%3D")
    path = f"/{marker}%0A{forged}%0D%0A{forged}%1B%5B2J%1B%5D0;title%07 status%3D200"
    r = raw_request(getattr(server, url), "GET", path.replace(" ", "%20"), b"", {})
    assert r.status_code in (200, 404), r.status_code  # the admin web app answers any GET path
    lines = _log_lines_with(server, marker)
    assert len(lines) == 2, lines  # one in the file, one on stderr
    for line in lines:
        assert line.startswith("20") and " info event=http " in line, line
        assert "\r" not in line and "\x1b" not in line and "\x07" not in line, repr(line)
        assert f'path="/{marker}\\x0a2026-01-01T00:00:00.000Z warn event' in line, line
        assert "\\x0d\\x0a" in line and "\\x1b[2J" in line and "\\x07" in line, line
        # The space and `status=` inside the path stay inside its quotes.
        assert f' status=200" status={r.status_code} ' in line and line.count('path="') == 1, line
    assert not any(l.startswith("2026-01-01T00:00:00.000Z")
                   for l in server.log_path.read_text("utf-8", "replace").split("\n"))
