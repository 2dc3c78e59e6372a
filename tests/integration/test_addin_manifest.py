"""The Outlook add-in manifest template (content/addin/manifest.xml.in), rendered the way the phish
server renders it for /addin/{token}/manifest.xml, and checked for what Outlook and the Microsoft
365 admin center need.

render() below is the contract for the server's substitution: the four placeholders {{BASE}},
{{TOKEN}}, {{ID}} and {{NAME}}, each replaced by its XML-escaped value, nothing else.

Schema validation: Microsoft's XSDs (OfficeApp 1.1, MailAppVersionOverrides 1.0/1.1, basic types)
are validated against with `xmllint --schema` when they are in tests/fixtures/office-addin-xsd/.
No npm package was found that ships them (see the README there), so that test skips with that
reason; the structural tests below check, without the XSDs, the rules of the documented manifest
reference that Outlook enforces (element order, ids and their references, string lengths, https
URLs under the add-in's path, icon sizes).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ADDIN = REPO / "content" / "addin"
TEMPLATE = ADDIN / "manifest.xml.in"
XSD_DIR = REPO / "tests" / "fixtures" / "office-addin-xsd"

NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "ov": "http://schemas.microsoft.com/office/mailappversionoverrides",
    "ov11": "http://schemas.microsoft.com/office/mailappversionoverrides/1.1",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"

BASE = "https://phish.example.org"
TOKEN = "ws.Tok_en-42"
GUID = "5f0c2a8e-3b1d-4c6f-9a7e-2d8b1e4f6a90"
NAME = "Report phishing"

# The base manifest's children for a MailApp, in the order the OfficeApp 1.1 schema requires
# (optional ones may be left out, none may move).
BASE_ORDER = [
    "Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description",
    "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts", "Requirements",
    "FormSettings", "Permissions", "Rule", "DisableEntityHighlighting", "VersionOverrides",
]
OVERRIDES_ORDER = ["Description", "Requirements", "Hosts", "Resources", "VersionOverrides"]
RESOURCES_ORDER = ["Images", "Urls", "ShortStrings", "LongStrings"]
MAX_RESID = 32  # bt:Image/bt:Url/bt:String id
MAX_SHORT = 125  # bt:ShortStrings
MAX_LONG = 250  # bt:LongStrings


def xml_escape(value: str) -> str:
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def render(base: str = BASE, token: str = TOKEN, guid: str = GUID, name: str = NAME) -> str:
    """What the server does: replace the four placeholders with XML-escaped values."""
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in (("BASE", base), ("TOKEN", token), ("ID", guid), ("NAME", name)):
        text = text.replace("{{" + key + "}}", xml_escape(value))
    return text


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def children(element: ET.Element) -> list[str]:
    return [local(c.tag) for c in element]


def in_order(names: list[str], order: list[str]) -> bool:
    positions = [order.index(n) for n in names]
    return positions == sorted(positions) and len(set(names)) == len(names)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def overrides(root: ET.Element) -> list[tuple[ET.Element, str]]:
    """The VersionOverrides elements with their namespaces: 1.0 and the 1.1 nested in it."""
    v10 = root.find("ov:VersionOverrides", NS)
    assert v10 is not None
    v11 = v10.find("ov11:VersionOverrides", NS)
    assert v11 is not None
    return [(v10, NS["ov"]), (v11, NS["ov11"])]


def test_template_uses_exactly_the_four_placeholders():
    found = set(re.findall(r"\{\{([A-Z]+)\}\}", TEMPLATE.read_text(encoding="utf-8")))
    assert found == {"BASE", "TOKEN", "ID", "NAME"}
    assert "{{" not in render() and "}}" not in render()


def test_base_manifest_is_a_mail_app_in_schema_order():
    root = parse(render())
    assert root.tag == f"{{{NS['o']}}}OfficeApp"
    assert root.get(XSI_TYPE) == "MailApp"
    names = children(root)
    assert set(names) <= set(BASE_ORDER), set(names) - set(BASE_ORDER)
    assert in_order(names, BASE_ORDER), names
    assert root.findtext("o:Id", namespaces=NS) == GUID
    assert re.fullmatch(r"\d+(\.\d+){0,3}", root.findtext("o:Version", namespaces=NS))
    assert root.find("o:DisplayName", NS).get("DefaultValue") == NAME
    assert len(root.find("o:Description", NS).get("DefaultValue")) <= MAX_LONG
    assert [h.get("Name") for h in root.findall("o:Hosts/o:Host", NS)] == ["Mailbox"]
    sets = root.findall("o:Requirements/o:Sets/o:Set", NS)
    assert [(s.get("Name"), s.get("MinVersion")) for s in sets] == [("Mailbox", "1.1")]
    assert root.findtext("o:Permissions", namespaces=NS) == "ReadItem"
    assert [a.text for a in root.findall("o:AppDomains/o:AppDomain", NS)] == [BASE]
    rule = root.find("o:Rule", NS)
    assert rule.get(XSI_TYPE) == "RuleCollection"
    assert [(r.get(XSI_TYPE), r.get("ItemType"), r.get("FormType")) for r in rule] == [
        ("ItemIs", "Message", "Read")]
    form = root.find("o:FormSettings/o:Form", NS)
    assert form.get(XSI_TYPE) == "ItemRead"
    assert 32 <= int(form.findtext("o:DesktopSettings/o:RequestedHeight", namespaces=NS)) <= 450


def test_every_url_is_https_under_the_addin_path_and_names_a_shipped_file():
    root = parse(render())
    prefix = f"{BASE}/addin/{TOKEN}/"
    urls = [e.get("DefaultValue") for e in root.iter()
            if local(e.tag) in {"IconUrl", "HighResolutionIconUrl", "SupportUrl", "SourceLocation",
                                "Image", "Url"} and e.get("DefaultValue") is not None]
    assert len(urls) >= 10
    for url in urls:
        assert url.startswith(prefix), url
        parts = urlsplit(url)
        assert parts.scheme == "https" and not parts.fragment, url
        assert (ADDIN / parts.path.rsplit("/", 1)[-1]).is_file(), f"{url} names no shipped file"


def test_command_surfaces_resolve_every_resource_in_both_overrides():
    root = parse(render())
    for element, ns in overrides(root):
        names = children(element)
        assert in_order(names, OVERRIDES_ORDER), names
        q = {"v": ns, "bt": NS["bt"]}
        sets = element.find("v:Requirements/bt:Sets", q)
        assert sets.get("DefaultMinVersion") == "1.3"  # add-in commands
        assert [s.get("Name") for s in sets.findall("bt:Set", q)] == ["Mailbox"]
        resources = element.find("v:Resources", q)
        assert in_order(children(resources), RESOURCES_ORDER), children(resources)
        table = {}
        for kind in RESOURCES_ORDER:
            for item in resources.find(f"bt:{kind}", q):
                rid = item.get("id")
                assert len(rid) <= MAX_RESID and rid not in table, rid
                table[rid] = (kind, item.get("DefaultValue"))
                limit = {"ShortStrings": MAX_SHORT, "LongStrings": MAX_LONG}.get(kind)
                if limit:
                    assert 0 < len(item.get("DefaultValue")) <= limit, rid

        host = element.find("v:Hosts/v:Host", q)
        assert host.get(XSI_TYPE) == "MailHost"
        desktop = host.find("v:DesktopFormFactor", q)
        assert children(desktop)[0] == "FunctionFile"
        point = desktop.find("v:ExtensionPoint", q)
        assert point.get(XSI_TYPE) == "MessageReadCommandSurface"
        button = point.find("v:OfficeTab/v:Group/v:Control", q)
        assert button.get(XSI_TYPE) == "Button"
        assert children(button) == ["Label", "Supertip", "Icon", "Action"]
        action = button.find("v:Action", q)
        assert action.get(XSI_TYPE) == "ShowTaskpane"

        # Every resid points at a resource of the right kind.
        wanted = {"Label": "ShortStrings", "Title": "ShortStrings", "Description": "LongStrings",
                  "Image": "Images", "SourceLocation": "Urls", "FunctionFile": "Urls"}
        used = 0
        for e in element.iter():
            if e.get("resid") is None:
                continue
            assert table.get(e.get("resid"), (None,))[0] == wanted[local(e.tag)], e.get("resid")
            used += 1
        assert used >= 9
        assert table[button.find("v:Label", q).get("resid")][1] == NAME
        pane = table[action.find("v:SourceLocation", q).get("resid")][1]
        assert pane == f"{BASE}/addin/{TOKEN}/taskpane.html"
        function_file = table[desktop.find("v:FunctionFile", q).get("resid")][1]
        assert urlsplit(function_file).query == "role=function-file"  # the pane stays idle there

        sizes = {}
        for image in button.findall("v:Icon/bt:Image", q):
            url = table[image.get("resid")][1]
            sizes[int(image.get("size"))] = png_size(ADDIN / url.rsplit("/", 1)[-1])
        assert sizes == {16: (16, 16), 32: (32, 32), 80: (80, 80)}


def test_icons_are_pngs_of_their_named_size():
    for size in (16, 32, 64, 80, 128):
        assert png_size(ADDIN / f"icon-{size}.png") == (size, size)


def test_hostile_name_is_escaped_and_survives_as_text():
    name = 'Report "phish" & <spam> \'now\''
    root = parse(render(name=name))
    assert root.find("o:DisplayName", NS).get("DefaultValue") == name
    labels = [s.get("DefaultValue") for s in root.iter(f"{{{NS['bt']}}}String")
              if s.get("id") == "Phishdrill.Button.Label"]
    assert labels == [name, name]
    # Unescaped, the same name would break the document: the escaping is what makes it work.
    with pytest.raises(ET.ParseError):
        parse(TEMPLATE.read_text(encoding="utf-8").replace("{{NAME}}", name)
              .replace("{{BASE}}", BASE).replace("{{TOKEN}}", TOKEN).replace("{{ID}}", GUID))


XSDS = ["OfficeAppManifestV1_1.xsd", "MailAppVersionOverridesV1_0.xsd",
        "MailAppVersionOverridesV1_1.xsd", "OfficeAppBasicTypesV1_0.xsd"]


@pytest.mark.skipif(not (XSD_DIR / XSDS[0]).is_file(),
                    reason="Microsoft's Office add-in XSDs are not in tests/fixtures/office-addin-xsd/"
                           " (no npm package found that ships them; see its README)")
def test_rendered_manifest_validates_against_microsofts_xsds(tmp_path):
    missing = [x for x in XSDS if not (XSD_DIR / x).is_file()]
    assert not missing, f"incomplete XSD set, missing {missing}"
    xmllint = shutil.which("xmllint")
    assert xmllint, "xmllint is missing: apt-get install libxml2-utils"
    rendered = tmp_path / "manifest.xml"
    rendered.write_text(render(), encoding="utf-8")
    proc = subprocess.run([xmllint, "--noout", "--nonet", "--schema",
                           str(XSD_DIR / XSDS[0]), str(rendered)],
                          capture_output=True, text=True, timeout=60, cwd=XSD_DIR)
    assert proc.returncode == 0, proc.stderr
    assert "validates" in proc.stderr
