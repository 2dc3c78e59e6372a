"""The training catalogue served by the admin API: every shipped module, its
lessons rendered and its quiz (admin preview), read-only; imported modules belong to
the workspace that imported them."""

import shutil
from pathlib import Path

from harness import expect, expect_error, random_password
from training_support import SLUG, audit_since, audit_top, import_module, module_tar

CONTENT = Path(__file__).resolve().parents[2] / "content" / "training"
M = "/api/v1/training/modules"


def test_catalogue_lists_and_previews_shipped_modules(make_server):
    srv = make_server(extra_env={"PHISHDRILL_TRAINING_CONTENT_DIR": str(CONTENT)},
                      name="pd-training")
    api = srv.api()
    items = expect(api.get(M), 200)["items"]
    slugs = {m["slug"] for m in items}
    assert slugs == {p.name for p in CONTENT.iterdir()
                     if p.is_dir() and not p.name.startswith(("_", "."))}, slugs
    assert len(slugs) >= 8
    for m in items:
        assert 3 <= m["minutes"] <= 7 and 3 <= m["questions"] <= 6 and m["version"] >= 1, m

    full = expect(api.get(f"{M}/spotting-red-flags"), 200)
    assert full["lessons"] and all(l["html"].startswith("<h1>") for l in full["lessons"])
    assert all(q["answers"] and q["explanation"] for q in full["quiz"])

    expect_error(api.get(f"{M}/no-such-module"), 404, "not_found")
    import requests
    assert requests.get(srv.base_url + M, timeout=10).status_code == 401


def test_missing_content_folder_means_an_empty_catalogue(make_server):
    srv = make_server(extra_env={"PHISHDRILL_TRAINING_CONTENT_DIR": "/nonexistent/training"},
                      name="pd-training-none")
    assert expect(srv.api().get(M), 200)["items"] == []


def test_an_import_stays_in_its_workspace(make_server):
    srv = make_server(extra_env={"PHISHDRILL_TRAINING_CONTENT_DIR": str(CONTENT)},
                      name="pd-training-ws")
    a = srv.api()
    pw = random_password()
    p = srv.cli("user", "add", "--email", "b-admin@example.test", "--role", "admin",
                "--password", pw, "--workspace", "B")
    assert p.returncode == 0, (p.stdout, p.stderr)
    b_session = srv.ready_session("b-admin@example.test", pw)
    b_key = srv.create_api_key(b_session, role="admin", name="b-key")["key"]
    b = srv.api(b_key)
    shipped = expect(a.get(f"{M}/{SLUG}"), 200)
    b_top = audit_top(b)

    # A replaces a shipped module and adds one of its own.
    expect(import_module(a, module_tar(SLUG, version=shipped["version"] + 1)), 201)
    expect(import_module(a, module_tar("a-only-module")), 201)
    assert expect(a.get(f"{M}/{SLUG}"), 200)["title"] == f"Imported {SLUG} v{shipped['version'] + 1}"
    expect(a.get(f"{M}/a-only-module"), 200)

    # B still has the shipped module and never sees A's.
    assert expect(b.get(f"{M}/{SLUG}"), 200)["title"] == shipped["title"]
    assert expect(b.get(f"{M}/{SLUG}"), 200)["version"] == shipped["version"]
    expect_error(b.get(f"{M}/a-only-module"), 404, "not_found")
    assert "a-only-module" not in {m["slug"] for m in expect(b.get(M), 200)["items"]}
    expect_error(b.post("/api/v1/training/assignments",
                        json={"module": "a-only-module", "target_ids": [1]}),
                 422, "validation", field="module")
    assert audit_since(b, b_top) == [], "B's audit log changed"

    # B may import the same slug for itself, at a version A's import does not block.
    expect(import_module(b, module_tar("a-only-module")), 201)
    assert expect(a.get(f"{M}/{SLUG}"), 200)["version"] == shipped["version"] + 1

    # Stored per workspace, and still apart after a restart.
    ws_a = expect(a.get("/api/v1/me"), 200)["workspace"]["id"]
    assert (srv.data_dir / "training-modules" / str(ws_a) / "a-only-module").is_dir()
    srv.restart()
    a, b = srv.api(), srv.api(b_key)
    assert expect(b.get(f"{M}/{SLUG}"), 200)["version"] == shipped["version"]
    assert expect(a.get(f"{M}/{SLUG}"), 200)["version"] == shipped["version"] + 1


def test_imports_live_in_the_store_so_a_node_with_an_empty_disk_installs_them(make_server):
    """Another node (or this one with its data folder's modules lost) installs every import
    from the store when it starts: the store, not one node's disk, holds them."""
    srv = make_server(extra_env={"PHISHDRILL_TRAINING_CONTENT_DIR": str(CONTENT)},
                      name="pd-training-nodes")
    a = srv.api()
    expect(import_module(a, module_tar("stored-module", version=2)), 201)
    srv.stop()
    shutil.rmtree(srv.data_dir / "training-modules")
    srv.start()
    a = srv.api()
    got = expect(a.get(f"{M}/stored-module"), 200)
    assert got["version"] == 2 and got["title"] == "Imported stored-module v2"
    assert "event=training_imports_installed modules=1" in srv.log_tail(200)
