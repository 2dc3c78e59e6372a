"""The Outlook "Report phishing" task pane (content/addin/) in Chromium: runs
tests/browser/addin_taskpane.mjs, which serves the pane's files itself on 127.0.0.1 with the phish
server's Content-Security-Policy, plays the /addin/{token}/report endpoint, and stands a fake Office
object in for Outlook (which cannot run here). It checks the exact POST (URL, EML bytes,
Content-Type, reporter header), every answer's text, Try again, the Mailbox 1.14 check, axe-core.
Needs no phishdrill binary. Screenshots: build/artifacts/browser/addin_taskpane.
"""

from __future__ import annotations

import shutil

from browser_support import artifacts_dir, run_scenario


def test_report_pane_in_the_browser():
    shutil.rmtree(artifacts_dir("addin_taskpane"), ignore_errors=True)  # this run's screenshots only
    result = run_scenario("addin_taskpane", {})
    assert result["violations"] == {} and result["problems"] == []
    assert result["screens"] == ["00-sending", "01-simulation", "02-triage", "03-duplicate",
                                 "04-refused", "05-error", "06-after-retry", "07-mailbox-1.13",
                                 "08-outside-outlook", "09-no-office-js", "10-script-never-ran"]
    for name in result["screens"]:
        assert (artifacts_dir("addin_taskpane") / f"{name}.png").is_file(), name
