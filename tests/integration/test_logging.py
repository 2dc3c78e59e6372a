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


def test_the_log_file_is_rotated_by_size_and_the_folder_stays_bounded():
    """At 1 MB and two kept files, about 3.6 MB of access-log lines leave phishdrill.log,
    phishdrill.1.log and phishdrill.2.log, none over 1 MB, and nothing older."""
    s = Server(name="pd-log-rotate",
               extra_env={"PHISHDRILL_LOG_MAX_FILE_MB": "1", "PHISHDRILL_LOG_MAX_FILES": "2"})
    s.start()
    try:
        import http.client
        host, port = s.phish_url.split("//")[1].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        padding = "p" * 190  # the path is logged up to 200 characters: ~300 bytes a line
        for i in range(12000):
            conn.request("GET", f"/{padding}{i:06d}")
            conn.getresponse().read()
        conn.close()
        folder = s.log_path.parent

        def rotated():
            return (folder / "phishdrill.2.log").exists()

        wait_until(rotated, 10, "the second rotated log file")
        logs = sorted(p.name for p in folder.glob("phishdrill*.log"))
        assert logs == ["phishdrill.1.log", "phishdrill.2.log", "phishdrill.log"], logs
        for name in logs:
            assert (folder / name).stat().st_size <= 1024 * 1024, name
    finally:
        s.cleanup()
