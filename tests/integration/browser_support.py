"""Runs a browser scenario from tests/browser/ (Node.js + playwright-core driving
Debian's Chromium) and returns the JSON object it prints.

The scenario gets `context` as JSON in PHISHDRILL_BROWSER_CONTEXT and saves its
screenshots under PHISHDRILL_ARTIFACTS (default build/artifacts/browser/<scenario>).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

BROWSER_DIR = Path(__file__).resolve().parents[1] / "browser"
REPO = Path(__file__).resolve().parents[2]


def desktop_ua() -> str:
    """A Windows Chrome user agent of the installed Chromium's own version.

    Headless Chromium names itself HeadlessChrome (a scanner to the hit classifier), so
    scenarios present a desktop user agent; it keeps the real major version because
    Chromium's client hints carry it, and hints that contradict the user agent are a
    machine's tell."""
    out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True,
                         check=True, timeout=30).stdout
    major = re.search(r"(\d+)\.", out).group(1)
    return ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            f"Chrome/{major}.0.0.0 Safari/537.36")


def artifacts_dir(scenario: str) -> Path:
    root = Path(os.environ.get("PHISHDRILL_ARTIFACTS_ROOT", REPO / "build" / "artifacts" / "browser"))
    return root / scenario


def run_scenario(scenario: str, context: dict, timeout: float = 180) -> dict:
    """Runs tests/browser/<scenario>.mjs; raises AssertionError with its output on failure."""
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        raise AssertionError("tests/browser/node_modules is missing: run `npm ci` in tests/browser "
                             "(scripts/test.sh does)")
    env = dict(os.environ)
    env["PHISHDRILL_BROWSER_CONTEXT"] = json.dumps(context)
    env["PHISHDRILL_ARTIFACTS"] = str(artifacts_dir(scenario))
    proc = subprocess.run(["node", str(BROWSER_DIR / f"{scenario}.mjs")], cwd=BROWSER_DIR, env=env,
                          capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError(f"{scenario}: no result (exit {proc.returncode})\n"
                             f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}")
    result = json.loads(lines[-1])
    if proc.returncode != 0 or "error" in result:
        raise AssertionError(f"{scenario} failed: {result.get('error')}\nstderr:\n{proc.stderr[-4000:]}")
    return result
