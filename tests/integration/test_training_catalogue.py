"""The training catalogue served by the admin API: every shipped module, its
lessons rendered and its quiz (admin preview), read-only."""

from pathlib import Path

from harness import expect, expect_error

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
