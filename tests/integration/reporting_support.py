"""Shared pieces of the reporting tests: the Dovecot test peer (started by
scripts/dovecot_test_server.sh; the test script exports PHISHDRILL_TEST_IMAP_DIR, or a
module starts its own), folders of its one mailbox, and a launched campaign whose
delivered simulations the report shapes (report_shapes.py) are built from."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from campaign_support import create_campaign, launch, make_group, make_template, smtp_profile, \
    wait_settled
from harness import REPO_ROOT, expect, list_all, uniq, wait_until

SCRIPT = REPO_ROOT / "scripts" / "dovecot_test_server.sh"
CLIENT = REPO_ROOT / "scripts" / "imap_test_client.py"


@dataclass
class Imap:
    dir: Path
    port: int
    user: str
    password: str
    token: str
    ca: str
    own: bool

    def folder(self) -> str:
        name = uniq("Reports")
        subprocess.run(["/usr/bin/python3", str(CLIENT), str(self.dir), "create", name],
                       check=True, capture_output=True, timeout=30)
        return name

    def flags(self, folder: str) -> str:
        out = subprocess.run(["/usr/bin/python3", str(CLIENT), str(self.dir), "flags", folder],
                             check=True, capture_output=True, timeout=30, text=True)
        return out.stdout

    def mailbox_body(self, folder: str, **over) -> dict:
        body = {"name": uniq("mailbox"), "host": "127.0.0.1", "port": self.port,
                "tls": "implicit", "username": self.user, "auth": "password",
                "secret": self.password, "folder": folder, "after": "flag",
                "poll_seconds": 15}
        body.update(over)
        return body


def start_imap() -> Imap:
    given = os.environ.get("PHISHDRILL_TEST_IMAP_DIR")
    d = Path(given) if given else Path(tempfile.mkdtemp(prefix="pd_imap.", dir="/tmp"))
    if not given:
        subprocess.run([str(SCRIPT), "start", str(d)], check=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    read = lambda name: (d / name).read_text().strip()  # noqa: E731
    return Imap(d, int(read("port")), read("user"), read("password"), read("token"),
                str(d / "ca.crt"), not given)


def stop_imap(imap: Imap) -> None:
    if imap.own:
        subprocess.run([str(SCRIPT), "stop", str(imap.dir)], check=False, timeout=60)


def reporting_env(imap: Imap) -> dict:
    return {"PHISHDRILL_REPORTING_CA_FILE": imap.ca}


@dataclass
class Delivered:
    rid: str
    address: str
    message_id: str
    raw: bytes


def launch_and_deliver(api, sink, n: int, dom: str) -> tuple[dict, dict, list[Delivered]]:
    """A campaign to n people at `dom`, sent through the sink; the delivered simulations."""
    profile = smtp_profile(api, sink)
    template = make_template(api)
    group = make_group(api, n, dom)
    before = sink.count()
    camp = create_campaign(api, [template["id"]], [group["id"]], profile["id"])
    launch(api, camp["id"])
    wait_settled(api, camp["id"], 60)
    wait_until(lambda: sink.count() >= before + n, 30, "simulations at the sink")
    delivered = []
    for m in sink.messages()[before:]:
        html = m.msg.get_body(("html",)).get_content()
        rid = re.search(r"[?&]rid=([A-Za-z0-9_-]+)", html).group(1)
        delivered.append(Delivered(rid, m.rcpt_tos[0].lower(),
                                   m.msg["Message-ID"].strip().strip("<>"), m.raw))
    return camp, group, delivered


def all_reports(api, **params) -> list:
    return list_all(api, "/api/v1/triage/reports", params=params)


def wait_reports(api, total: int, timeout: float = 90) -> list:
    last = []

    def enough():
        nonlocal last
        last = all_reports(api)
        return last if len(last) >= total else None

    try:
        return wait_until(enough, timeout, f"{total} reports")
    except AssertionError:
        raise AssertionError(f"{len(last)} of {total} reports after {timeout}s") from None


def poll_now(api, mailbox_id: int) -> None:
    expect(api.post(f"/api/v1/reporting/mailboxes/{mailbox_id}/poll"), 202)
