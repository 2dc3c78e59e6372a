"""Groups and targets: CRUD through key and session, pagination, input validation."""

import json

import pytest

from harness import (RESOURCES, RFC3339_UTC, expect, expect_error, group_body, list_all,
                     raw_request, uniq)

G = "/api/v1/groups"


def _crud_round_trip(c, api):
    domain = f"{uniq('crud')}.example.test"
    body = {"name": uniq("Sales"), "targets": [
        {"email": f"Alice@{domain.upper()}", "first_name": "Alice", "last_name": "Archer",
         "position": "Manager", "department": "Sales"},
        {"email": f"bob@{domain}", "first_name": "Bob", "manager_email": f"alice@{domain}",
         "locale": "de"},
    ]}
    g = expect(c.post(G, json=body), 201)
    assert set(g) >= {"id", "name", "target_count", "created_at", "updated_at"}, g
    assert isinstance(g["id"], int) and g["id"] > 0
    assert g["name"] == body["name"] and g["target_count"] == 2
    assert RFC3339_UTC.match(g["created_at"]) and RFC3339_UTC.match(g["updated_at"]), g
    assert expect(c.get(f"{G}/{g['id']}"), 200) == g
    assert g["id"] in [x["id"] for x in list_all(c, G)]

    targets = list_all(c, f"{G}/{g['id']}/targets")
    by_email = {t["email"]: t for t in targets}
    assert set(by_email) == {f"alice@{domain}", f"bob@{domain}"}, targets  # lower-cased
    a, b = by_email[f"alice@{domain}"], by_email[f"bob@{domain}"]
    assert set(a) >= {"id", "email", "first_name", "last_name", "position", "department",
                      "manager_email", "locale"}, a
    assert (a["first_name"], a["last_name"], a["position"], a["department"]) == \
        ("Alice", "Archer", "Manager", "Sales")
    assert a["manager_email"] == "" and a["locale"] == ""
    assert b["manager_email"] == f"alice@{domain}" and b["locale"] == "de"
    assert b["last_name"] == "" and b["position"] == ""

    # Rename only: membership kept.
    new_name = uniq("Renamed")
    u = expect(c.put(f"{G}/{g['id']}", json={"name": new_name}), 200)
    assert u["name"] == new_name and u["target_count"] == 2 and u["id"] == g["id"]
    assert u["created_at"] == g["created_at"]
    # Add/upsert targets.
    u = expect(c.post(f"{G}/{g['id']}/targets", json={"targets": [
        {"email": f"carol@{domain}", "first_name": "Carol"},
        {"email": f"alice@{domain}", "first_name": "Alicia"}]}), 200)
    assert u["target_count"] == 3
    targets = {t["email"]: t for t in list_all(c, f"{G}/{g['id']}/targets")}
    assert targets[f"alice@{domain}"]["first_name"] == "Alicia"
    assert targets[f"alice@{domain}"]["id"] == a["id"]  # upserted, not duplicated
    # Remove one target.
    r = c.delete(f"{G}/{g['id']}/targets/{targets[f'carol@{domain}']['id']}")
    assert r.status_code == 204, r.text
    assert expect(c.get(f"{G}/{g['id']}"), 200)["target_count"] == 2
    # Replace membership.
    u = expect(c.put(f"{G}/{g['id']}", json={"targets": [{"email": f"dave@{domain}"}]}), 200)
    assert u["target_count"] == 1 and u["name"] == new_name
    assert [t["email"] for t in list_all(c, f"{G}/{g['id']}/targets")] == [f"dave@{domain}"]
    # Delete.
    r = c.delete(f"{G}/{g['id']}")
    assert r.status_code == 204 and not r.content, r.text
    expect_error(c.get(f"{G}/{g['id']}"), 404, "not_found")
    expect_error(c.get(f"{G}/{g['id']}/targets"), 404, "not_found")
    assert g["id"] not in [x["id"] for x in list_all(c, G)]
    expect_error(c.delete(f"{G}/{g['id']}"), 404, "not_found")


def test_crud_with_api_key(api):
    _crud_round_trip(api, api)


def test_crud_with_cookie_session(admin, api):
    _crud_round_trip(admin, api)


def test_upsert_by_email_across_groups(api):
    email = f"{uniq('shared')}@example.test"
    g1 = expect(api.post(G, json={"name": uniq("g1"), "targets": [
        {"email": email, "first_name": "Old", "department": "A"}]}), 201)
    g2 = expect(api.post(G, json={"name": uniq("g2"), "targets": [
        {"email": email, "first_name": "New", "department": "B"}]}), 201)
    t1 = list_all(api, f"{G}/{g1['id']}/targets")
    t2 = list_all(api, f"{G}/{g2['id']}/targets")
    assert t1 == t2, (t1, t2)
    assert t1[0]["first_name"] == "New" and t1[0]["department"] == "B"


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_pagination_follows_cursor(api, resource):
    path, make, *_ = RESOURCES[resource]
    created = [expect(api.post(path, json=make()), 201)["id"] for _ in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} if cursor is None else {"limit": 3, "cursor": cursor}
        body = expect(api.get(path, params=params), 200)
        assert len(body["items"]) <= 3
        seen.extend(i["id"] for i in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert pages < 1000
    assert len(seen) == len(set(seen)), seen
    assert seen == sorted(seen), seen
    assert [i for i in seen if i in created] == created
    for i in created:
        api.delete(f"{path}/{i}")


def test_pagination_of_targets_exact(api):
    g = expect(api.post(G, json=group_body(n_targets=7)), 201)
    pages, cursor, seen = [], None, []
    while True:
        params = {"limit": 3} if cursor is None else {"limit": 3, "cursor": cursor}
        body = expect(api.get(f"{G}/{g['id']}/targets", params=params), 200)
        pages.append(len(body["items"]))
        seen.extend(t["email"] for t in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert len(pages) < 10
    assert pages[:2] == [3, 3] and sum(pages) == 7, pages
    assert len(set(seen)) == 7


@pytest.mark.parametrize("params,field", [
    ({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"limit": "abc"}, "limit"),
    ({"limit": -1}, "limit"), ({"cursor": "!!not-a-cursor!!"}, "cursor"),
])
def test_bad_limit_or_cursor(api, params, field):
    expect_error(api.get(G, params=params), 422, "validation", field=field)


def test_limit_default_and_max(api):
    body = expect(api.get(G, params={"limit": 500}), 200)
    assert isinstance(body["items"], list)
    body = expect(api.get(G), 200)
    assert len(body["items"]) <= 50


# --------------------------------------------------------------------------- bad input

@pytest.fixture(scope="module")
def reference_group(api):
    """A group whose target a failed request must not modify."""
    email = f"{uniq('ref')}@example.test"
    g = expect(api.post(G, json={"name": uniq("reference"), "targets": [
        {"email": email, "first_name": "Original"}]}), 201)
    return {"group": g, "email": email}


def _snapshot(api, ref):
    groups = [(g["id"], g["name"], g["target_count"], g["updated_at"]) for g in list_all(api, G)]
    targets = list_all(api, f"{G}/{ref['group']['id']}/targets")
    return groups, targets


JSON = {"Content-Type": "application/json"}


def _bad_cases(ref_email):
    long = "x" * 201
    return [
        # (description, raw body or json, status, code, field)
        ("invalid json", b'{"name": ', 400, "invalid_json", None),
        ("trailing garbage", b'{"name": "x"} xyz', 400, "invalid_json", None),
        ("array", b'[{"name": "x"}]', 400, "invalid_json", None),
        ("string", b'"name"', 400, "invalid_json", None),
        ("null", b"null", 400, "invalid_json", None),
        ("empty body", b"", 400, "invalid_json", None),
        ("unknown field", {"name": uniq("u"), "colour": "red"}, 422, "unknown_field", "colour"),
        ("wrong type name", {"name": 5}, 422, "invalid_type", "name"),
        ("wrong type targets", {"name": uniq("t"), "targets": "nope"}, 422, "invalid_type",
         "targets"),
        ("missing name", {"targets": []}, 422, "validation", "name"),
        ("empty name", {"name": ""}, 422, "validation", "name"),
        ("bad email", {"name": uniq("e"), "targets": [{"email": "not-an-email"}]}, 422,
         "validation", "targets[0].email"),
        ("bad email later, earlier upsert", {"name": uniq("e"), "targets": [
            {"email": ref_email, "first_name": "Changed"}, {"email": "ok@example.test"},
            {"email": "a@b"}]}, 422, "validation", "targets[2].email"),
        ("missing email", {"name": uniq("e"), "targets": [{"first_name": "No Mail"}]}, 422,
         "validation", "targets[0].email"),
        ("control char", {"name": uniq("c"), "targets": [
            {"email": "c@example.test", "first_name": "bad\u0007name"}]}, 422, "validation",
         "targets[0].first_name"),
        ("newline in name", {"name": uniq("c"), "targets": [
            {"email": "c@example.test", "last_name": "two\nlines"}]}, 422, "validation",
         "targets[0].last_name"),
        ("over-long name", {"name": uniq("l"), "targets": [
            {"email": "l@example.test", "first_name": long}]}, 422, "validation",
         "targets[0].first_name"),
        ("email too long", {"name": uniq("l"), "targets": [
            {"email": "a" * 250 + "@example.test"}]}, 422, "validation", "targets[0].email"),
        ("target wrong type", {"name": uniq("w"), "targets": [{"email": 7}]}, 422,
         "invalid_type", "targets[0].email"),
    ]


def test_bad_input_changes_nothing(api, reference_group):
    before = _snapshot(api, reference_group)
    failures = []
    for desc, body, status, code, field in _bad_cases(reference_group["email"]):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        r = api.post(G, data=data, headers=JSON)
        try:
            expect_error(r, status, code, field)
        except AssertionError as e:
            failures.append(f"{desc}: {e}")
    after = _snapshot(api, reference_group)
    assert after == before, "a rejected request changed data"
    assert not failures, "\n".join(failures)


def test_unknown_nested_field(api, reference_group):
    before = _snapshot(api, reference_group)
    r = api.post(G, json={"name": uniq("n"), "targets": [
        {"email": "n@example.test", "nickname": "x"}]})
    err = expect_error(r, 422, "unknown_field")
    assert "nickname" in err.get("field", ""), err
    assert _snapshot(api, reference_group) == before


@pytest.mark.parametrize("raw", [
    b'{"name": "\xff\xfe"}',
    b'{"name": "over\xc0\xaflong"}',
    b'{"name": "surrogate\xed\xa0\x80"}',
    b'{"name": "trunc\xe2\x82"}',
])
def test_invalid_utf8_json_is_400(api, reference_group, raw):
    before = _snapshot(api, reference_group)
    expect_error(api.post(G, data=raw, headers=JSON), 400, "invalid_utf8")
    assert _snapshot(api, reference_group) == before


def test_wrong_content_type_is_415(api, reference_group):
    before = _snapshot(api, reference_group)
    r = api.post(G, data=json.dumps({"name": uniq("ct")}).encode(),
                 headers={"Content-Type": "text/plain"})
    expect_error(r, 415, "unsupported_media_type")
    assert _snapshot(api, reference_group) == before


def test_duplicate_group_name_is_409(api, reference_group):
    name = reference_group["group"]["name"]
    before = _snapshot(api, reference_group)
    expect_error(api.post(G, json={"name": name}), 409, "conflict", field="name")
    other = expect(api.post(G, json={"name": uniq("other")}), 201)
    before = _snapshot(api, reference_group)
    expect_error(api.put(f"{G}/{other['id']}", json={"name": name}), 409, "conflict", field="name")
    assert _snapshot(api, reference_group) == before


def test_bad_put_changes_nothing(api, reference_group):
    gid = reference_group["group"]["id"]
    before = _snapshot(api, reference_group)
    expect_error(api.put(f"{G}/{gid}", json={"targets": [{"email": "x@example.test"},
                                                         {"email": "bad"}]}),
                 422, "validation", field="targets[1].email")
    expect_error(api.put(f"{G}/{gid}", json={"name": 1}), 422, "invalid_type", field="name")
    expect_error(api.put(f"{G}/{gid}", json={"bogus": 1}), 422, "unknown_field", field="bogus")
    expect_error(api.post(f"{G}/{gid}/targets", json={"targets": [
        {"email": reference_group["email"], "first_name": "Changed"}, {"email": "nope"}]}),
        422, "validation", field="targets[1].email")
    assert _snapshot(api, reference_group) == before


def _ten_thousand_targets(domain: str) -> list:
    """10,000 targets of about 400 bytes each as JSON, as GoPhish's API clients send them."""
    return [{"email": f"person{i:05d}.with.a.long.mailbox@{domain}",
             "first_name": f"Firstname{i}", "last_name": "Lastname-" + "x" * 120,
             "position": "Senior Clinical Pharmacist, Outpatient Dispensary",
             "department": "Pharmacy and Medicines Management - North Site",
             "manager_email": f"manager{i % 50}@{domain}", "locale": "en-GB"}
            for i in range(10_000)]


def test_ten_thousand_target_json_group_is_accepted(server, api):
    d = f"{uniq('gophish')}.example.test"
    targets = _ten_thousand_targets(d)
    data = json.dumps({"name": uniq("tenk"), "targets": targets}).encode()
    assert len(data) > 3 * 1024 * 1024, len(data)
    r = raw_request(server.base_url, "POST", G, data,
                    {"Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"})
    g = expect(r, 201)
    assert g["target_count"] == 10_000, g
    # The same through PUT (replace members) and POST .../targets (add).
    data = json.dumps({"targets": targets}).encode()
    for method, path in (("PUT", f"{G}/{g['id']}"), ("POST", f"{G}/{g['id']}/targets")):
        r = raw_request(server.base_url, method, path, data,
                        {"Content-Type": "application/json",
                         "Authorization": f"Bearer {server.api_key}"})
        expect(r, 200)
    assert expect(api.get(f"{G}/{g['id']}"), 200)["target_count"] == 10_000


def test_seventeen_mib_json_is_413(server, api, reference_group):
    before = _snapshot(api, reference_group)
    targets = [{"email": f"big{i}@example.test", "first_name": "x" * 150} for i in range(90000)]
    data = json.dumps({"name": uniq("huge"), "targets": targets}).encode()
    assert len(data) > 16 * 1024 * 1024
    r = raw_request(server.base_url, "POST", G, data,
                    {"Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"})
    expect_error(r, 413, "payload_too_large")
    assert _snapshot(api, reference_group) == before


def test_other_routes_keep_the_small_limit(server, api):
    data = json.dumps({"name": "x" * (2 * 1024 * 1024)}).encode()
    r = raw_request(server.base_url, "POST", "/api/v1/sending-profiles", data,
                    {"Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"})
    expect_error(r, 413, "payload_too_large")


@pytest.mark.parametrize("email", ["bo@b\u00fccher.example", "BO@XN--BCHER-KVA.example"])
def test_internationalised_domains(api, email):
    g = expect(api.post(G, json={"name": uniq("idn"), "targets": [{"email": email}]}), 201)
    [t] = list_all(api, f"{G}/{g['id']}/targets")
    assert t["email"] == email.lower()


def test_json_content_type_with_charset(api):
    r = api.post(G, data=json.dumps({"name": uniq("cs")}).encode(),
                 headers={"Content-Type": "application/json; charset=utf-8"})
    expect(r, 201)


@pytest.mark.parametrize("value", [None, True, [], {}])
def test_name_of_wrong_kind(api, reference_group, value):
    before = _snapshot(api, reference_group)
    expect_error(api.post(G, json={"name": value}), 422, ("invalid_type", "validation"),
                 field="name")
    assert _snapshot(api, reference_group) == before


@pytest.mark.parametrize("email", [
    "first.last+tag@sub.example.co.uk", "UPPER.Case@Example.TEST", "a_b-c@x-y.example.test",
])
def test_valid_emails(api, email):
    g = expect(api.post(G, json={"name": uniq("ok"), "targets": [{"email": email}]}), 201)
    [t] = list_all(api, f"{G}/{g['id']}/targets")
    assert t["email"] == email.lower()


@pytest.mark.parametrize("email", [
    "plainaddress", "@example.test", "a@", "a@@example.test", "a@example", "a b@example.test",
    "a@exa mple.test", "", "a@example.test\r\nBcc: x@example.test", "<a@example.test>",
    "a@example.test,b@example.test",
])
def test_invalid_emails(api, reference_group, email):
    before = _snapshot(api, reference_group)
    expect_error(api.post(G, json={"name": uniq("bad"), "targets": [{"email": email}]}), 422,
                 "validation", field="targets[0].email")
    assert _snapshot(api, reference_group) == before


def test_unicode_names_and_length_in_characters(api, reference_group):
    name = "Zoë 山田 😀 Ñandú"
    g = expect(api.post(G, json={"name": uniq("ünï"), "targets": [
        {"email": f"{uniq('u')}@example.test", "first_name": name, "last_name": "é" * 200}]}), 201)
    [t] = list_all(api, f"{G}/{g['id']}/targets")
    assert t["first_name"] == name and t["last_name"] == "é" * 200
    before = _snapshot(api, reference_group)
    expect_error(api.post(G, json={"name": uniq("long"), "targets": [
        {"email": f"{uniq('u')}@example.test", "last_name": "é" * 201}]}), 422, "validation",
        field="targets[0].last_name")
    assert _snapshot(api, reference_group) == before


def test_delete_group_keeps_shared_targets(api):
    email = f"{uniq('keep')}@example.test"
    g1 = expect(api.post(G, json={"name": uniq("a"), "targets": [{"email": email}]}), 201)
    g2 = expect(api.post(G, json={"name": uniq("b"), "targets": [{"email": email}]}), 201)
    assert api.delete(f"{G}/{g1['id']}").status_code == 204
    assert expect(api.get(f"{G}/{g2['id']}"), 200)["target_count"] == 1
    assert [t["email"] for t in list_all(api, f"{G}/{g2['id']}/targets")] == [email]


def test_delete_target_not_in_group_is_404(api):
    g1 = expect(api.post(G, json=group_body(n_targets=1)), 201)
    g2 = expect(api.post(G, json=group_body(n_targets=1)), 201)
    [t2] = list_all(api, f"{G}/{g2['id']}/targets")
    expect_error(api.delete(f"{G}/{g1['id']}/targets/{t2['id']}"), 404, "not_found")
    expect_error(api.delete(f"{G}/{g1['id']}/targets/987654"), 404, "not_found")
    assert expect(api.get(f"{G}/{g2['id']}"), 200)["target_count"] == 1
    assert expect(api.get(f"{G}/{g1['id']}"), 200)["target_count"] == 1


def test_concurrent_creates(server, api):
    import concurrent.futures as cf

    def create(name):
        with server.api() as c:
            return c.post(G, json={"name": name, "targets": [
                {"email": f"{uniq('c')}@example.test"}]}).status_code

    names = [uniq("conc") for _ in range(16)]
    with cf.ThreadPoolExecutor(8) as ex:
        codes = list(ex.map(create, names))
    assert codes == [201] * 16, codes
    listed = {g["name"] for g in list_all(api, G)}
    assert set(names) <= listed
    same = uniq("race")
    with cf.ThreadPoolExecutor(8) as ex:
        codes = list(ex.map(create, [same] * 8))
    assert sorted(codes) == [201] + [409] * 7, codes
    assert [g["name"] for g in list_all(api, G)].count(same) == 1


def test_same_email_twice_in_one_request(api):
    email = f"{uniq('twice')}@example.test"
    r = api.post(G, json={"name": uniq("twice"), "targets": [
        {"email": email, "first_name": "One"}, {"email": email.upper(), "first_name": "Two"}]})
    g = expect(r, 201)  # one person, named twice (emails are case-insensitive)
    assert g["target_count"] == 1, g
    assert len(list_all(api, f"{G}/{g['id']}/targets")) == 1


def test_huge_numbers_are_rejected(api):
    expect_error(api.get(G, params={"limit": "99999999999999999999"}), 422, "validation",
                 field="limit")
    r = api.get(f"{G}/99999999999999999999")
    assert r.status_code in (404, 422), r.text


def test_chunked_request_body(api):
    name = uniq("chunked")

    def gen():
        yield b'{"name": "'
        yield name.encode()
        yield b'", "targets": []}'

    r = api.post(G, data=gen(), headers={"Content-Type": "application/json"})
    assert expect(r, 201)["name"] == name


def test_nul_and_sql_looking_names(api, reference_group):
    before = _snapshot(api, reference_group)
    expect_error(api.post(G, json={"name": uniq("nul"), "targets": [
        {"email": f"{uniq('n')}@example.test", "first_name": "Ann\u0000Evil"}]}), 422,
        "validation", field="targets[0].first_name")
    assert _snapshot(api, reference_group) == before
    sql = "Robert'); DROP TABLE targets;-- \"quoted\" %s %n"
    g = expect(api.post(G, json={"name": uniq("sql") + sql, "targets": [
        {"email": f"{uniq('s')}@example.test", "first_name": sql}]}), 201)
    assert g["name"].endswith(sql)
    [t] = list_all(api, f"{G}/{g['id']}/targets")
    assert t["first_name"] == sql


def test_put_empty_targets_empties_group(api):
    g = expect(api.post(G, json=group_body(n_targets=3)), 201)
    u = expect(api.put(f"{G}/{g['id']}", json={"targets": []}), 200)
    assert u["target_count"] == 0
    assert list_all(api, f"{G}/{g['id']}/targets") == []


def test_json_just_under_one_mib_accepted(api):
    targets = [{"email": f"u{i}@{uniq('d')}.example.test", "first_name": "y" * 150}
               for i in range(4500)]
    data = json.dumps({"name": uniq("almost"), "targets": targets}).encode()
    assert 900_000 < len(data) < 1024 * 1024, len(data)
    g = expect(api.post(G, data=data, headers=JSON), 201)
    assert g["target_count"] == 4500


@pytest.mark.parametrize("path,make", [
    # Landing pages may be large (up to 5 MiB of HTML), so their limit is 10 MiB.
    ("/api/v1/pages", lambda: {"name": uniq("p"), "html": "x" * (11 * 1024 * 1024)}),
    ("/api/v1/sending-profiles", lambda: {"name": uniq("sp"), "kind": "outbox",
                                          "from": "a@example.test",
                                          "headers": [{"name": "X-Pad", "value": "v" * (2 << 20)}]}),
])
def test_default_json_limit_on_other_routes(server, api, path, make):
    before = len(list_all(api, path))
    r = raw_request(server.base_url, "POST", path, json.dumps(make()).encode(), {
        "Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"})
    expect_error(r, 413, "payload_too_large")
    assert len(list_all(api, path)) == before


def test_cursor_survives_deletion_between_pages(api):
    ids = [expect(api.post(G, json=group_body()), 201)["id"] for _ in range(6)]
    first = expect(api.get(G, params={"limit": 3}), 200)
    seen = [g["id"] for g in first["items"]]
    # Delete the last item of the first page and one item not yet seen.
    page_last = seen[-1]
    unseen = [i for i in ids if i > page_last]
    assert unseen, (seen, ids)
    assert api.delete(f"{G}/{page_last}").status_code == 204
    assert api.delete(f"{G}/{unseen[0]}").status_code == 204
    cursor, later = first["next_cursor"], []
    while cursor is not None:
        body = expect(api.get(G, params={"limit": 3, "cursor": cursor}), 200)
        later += [g["id"] for g in body["items"]]
        cursor = body["next_cursor"]
    assert not set(seen) & set(later), (seen, later)
    assert unseen[0] not in later
    assert [i for i in ids if i > page_last and i != unseen[0]] == [i for i in later if i in ids]
