"""Prometheus metrics: on the admin listener for admins (session or API key), behind
metrics.token when one is set, or on a listener of their own (metrics.listen)."""

import re
import secrets

import requests

from harness import expect, expect_error, free_port

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def _metrics(server):
    r = requests.get(server.base_url + "/metrics", timeout=10,
                     headers={"Authorization": f"Bearer {server.api_key}"})
    assert r.status_code == 200, r.text
    assert r.headers.get("Content-Type", "").startswith("text/plain"), r.headers
    samples = []
    for line in r.text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        assert m, f"unparseable metrics line: {line!r}"
        labels = dict(LABEL.findall(m.group(3) or ""))
        samples.append((m.group(1), labels, float(m.group(4))))
    return r.text, samples


def _value(samples, name, **labels):
    return sum(v for n, l, v in samples
               if n == name and all(l.get(k) == val for k, val in labels.items()))


def test_metric_families_present(server, api):
    expect(api.get("/api/v1/groups"), 200)
    text, samples = _metrics(server)
    for name in ("phishdrill_http_requests_total", "phishdrill_http_request_duration_seconds_bucket",
                 "phishdrill_http_request_duration_seconds_sum",
                 "phishdrill_http_request_duration_seconds_count", "phishdrill_build_info"):
        assert any(n == name for n, _, _ in samples), f"{name} missing:\n{text[:3000]}"
    assert "# TYPE phishdrill_http_requests_total counter" in text
    assert "# TYPE phishdrill_http_request_duration_seconds histogram" in text
    info = [(l, v) for n, l, v in samples if n == "phishdrill_build_info"]
    assert info and info[0][1] == 1 and info[0][0].get("version"), info
    reqs = [l for n, l, _ in samples if n == "phishdrill_http_requests_total"]
    assert all({"route", "method", "status"} <= set(l) for l in reqs), reqs


def test_metrics_count_requests(server, api):
    _, before = _metrics(server)
    for _ in range(3):
        expect(api.get("/api/v1/groups"), 200)
    expect_error(server.client().get("/api/v1/groups"), 401)
    _, after = _metrics(server)
    routes = {l["route"] for n, l, _ in after
              if n == "phishdrill_http_requests_total" and "groups" in l.get("route", "")
              and l.get("method") == "GET"}
    assert routes, after
    route = sorted(routes, key=len)[0]
    d200 = (_value(after, "phishdrill_http_requests_total", route=route, method="GET", status="200")
            - _value(before, "phishdrill_http_requests_total", route=route, method="GET",
                     status="200"))
    d401 = (_value(after, "phishdrill_http_requests_total", route=route, method="GET", status="401")
            - _value(before, "phishdrill_http_requests_total", route=route, method="GET",
                     status="401"))
    assert d200 >= 3 and d401 >= 1, (route, d200, d401)


def test_histogram_consistent(server, api):
    expect(api.get("/api/v1/groups"), 200)
    _, samples = _metrics(server)
    buckets = [(l, v) for n, l, v in samples if n == "phishdrill_http_request_duration_seconds_bucket"]
    assert buckets
    routes = {l.get("route") for l, _ in buckets}
    for route in routes:
        bs = [(l, v) for l, v in buckets if l.get("route") == route]
        # group per label set minus "le"
        series = {}
        for l, v in bs:
            key = tuple(sorted((k, x) for k, x in l.items() if k != "le"))
            series.setdefault(key, []).append((l["le"], v))
        for key, pts in series.items():
            inf = [v for le, v in pts if le == "+Inf"]
            assert inf, (route, pts)
            finite = sorted((float(le), v) for le, v in pts if le != "+Inf")
            vals = [v for _, v in finite] + inf
            assert vals == sorted(vals), (route, pts)  # cumulative
            count = _value(samples, "phishdrill_http_request_duration_seconds_count", **dict(key))
            assert count == inf[0], (route, key, count, inf)


def test_route_label_is_a_pattern_not_the_raw_path(server, api):
    token = secrets.token_hex(6)
    marker = int(token[:6], 16) + 1_000_000
    expect_error(api.get(f"/api/v1/groups/{marker}"), 404)
    expect_error(api.get(f"/api/v1/no-such-{token}"), 404)
    text, _ = _metrics(server)
    assert f"/groups/{marker}" not in text, "raw id used as a route label (unbounded cardinality)"
    assert token not in text, "unknown path used as a route label (unbounded cardinality)"


def test_metrics_are_refused_without_admin_credentials(server, api):
    r = requests.get(server.base_url + "/metrics", timeout=10)
    expect_error(r, 401, "unauthorized")
    assert "phishdrill_http_requests_total" not in r.text
    viewer = server.create_api_key(api, role="viewer", name="viewer-metrics")
    r = requests.get(server.base_url + "/metrics", timeout=10,
                     headers={"Authorization": f"Bearer {viewer['key']}"})
    expect_error(r, 403, "forbidden")
    admin = server.admin_session()
    r = admin.get("/metrics")
    assert r.status_code == 200 and "phishdrill_http_requests_total" in r.text, r.text[:300]


def test_metrics_token_is_required_when_configured(make_server):
    token = secrets.token_urlsafe(24)
    s = make_server(extra_env={"PHISHDRILL_METRICS_TOKEN": token})
    url = s.base_url + "/metrics"
    for headers in ({}, {"Authorization": "Bearer wrong-" + token},
                    {"Authorization": token}, {"Authorization": f"Bearer {s.api_key}"}):
        r = requests.get(url, timeout=10, headers=headers)
        expect_error(r, 401, "unauthorized")
        assert r.headers.get("WWW-Authenticate") == "Bearer", r.headers
        assert "phishdrill_http_requests_total" not in r.text
    r = requests.get(url, timeout=10, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and "phishdrill_http_requests_total" in r.text, r.text[:300]


def test_metrics_on_a_listener_of_their_own(make_server):
    port = free_port()
    s = make_server(extra_env={"PHISHDRILL_METRICS_LISTEN": f"127.0.0.1:{port}"})
    expect_error(requests.get(s.base_url + "/metrics", timeout=10,
                              headers={"Authorization": f"Bearer {s.api_key}"}), 404)
    r = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert r.status_code == 200 and "phishdrill_build_info" in r.text, r.text[:300]
    expect_error(requests.get(f"http://127.0.0.1:{port}/api/v1/me", timeout=10), 404)


def test_the_node_is_labelled_and_its_database_reported(make_server):
    s = make_server(extra_env={"PHISHDRILL_NODE_NAME": "phish-2.eu_west"})
    r = requests.get(s.base_url + "/metrics", timeout=10,
                     headers={"Authorization": f"Bearer {s.api_key}"})
    assert r.status_code == 200, r.text
    assert 'phishdrill_node_info{node="phish-2.eu_west"} 1' in r.text, r.text[:600]
    assert 'phishdrill_database_up{node="phish-2.eu_west"} 1' in r.text, r.text[:600]
    for url in (s.base_url, s.phish_url):
        health = requests.get(url + "/healthz", timeout=10)
        assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}

