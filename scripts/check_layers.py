#!/usr/bin/python3
"""Checks that every #include "x/..." in src/ follows the layer table of
docs/architecture.md. Prints each include that crosses a forbidden boundary
(file:line: layer -> layer) and exits 1 when there is any; 0 otherwise.

A file's layer is its folder under src/ (src/store/sqlite/ is the layer
"store/sqlite", src/store/postgres/ is "store/postgres", src/store/copy/ is
"store/copy", src/net/asio/ is "net"). An include's layer is read the same way
from its path. Usage: scripts/check_layers.py [ROOT] (default: the repository
this script is in).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

# Who may include whom (besides itself). Keep in step with docs/architecture.md.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "crypto": {"core"},
    "store": {"core"},
    "store/sqlite": {"core", "crypto", "store"},
    "store/postgres": {"core", "crypto", "store"},
    "store/copy": {"core", "store", "store/sqlite", "store/postgres"},
    "net": {"core"},
    "outbound": {"core"},
    "mail": {"core", "outbound"},
    "http_client": {"core", "outbound"},
    "training": {"core"},
    # content_files (reading content folders) is shared with training/.
    "library": {"core", "training"},
    "spelling": {"core"},
    "service": {"core", "crypto", "store", "mail", "http_client", "training", "library"},
    "jobs": {"core", "store", "service"},
    "phish": {"core", "net", "store", "service", "training"},
    "api": {"core", "net", "store", "service", "training", "library"},
    "app": {"core", "crypto", "store", "store/sqlite", "store/postgres", "store/copy", "net", "outbound", "mail", "http_client",
            "training", "library", "spelling", "service", "jobs", "phish", "api"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([^"]+)"')


def layer_of(parts: tuple[str, ...]) -> str:
    """Layer of a path below src/, e.g. ('store', 'sqlite', 'x.cpp') -> 'store/sqlite'."""
    if parts[0] == "store" and len(parts) > 2 and parts[1] in ("sqlite", "postgres", "copy"):
        return f"store/{parts[1]}"
    return parts[0]


def violations(root: Path) -> list[str]:
    found = []
    src = root / "src"
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp") or not path.is_file():
            continue
        own = layer_of(path.relative_to(src).parts)
        allowed = ALLOWED.get(own)
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            target = layer_of((m.group(1),) + tuple(m.group(2).split("/")))
            if target == own:
                continue
            where = f"{path.relative_to(root)}:{number}"
            if allowed is None:
                found.append(f"{where}: layer '{own}' is not in the table")
            elif target not in allowed:
                found.append(f"{where}: {own} -> {target} ({line.strip()})")
    return found


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    found = violations(root)
    for v in found:
        print(v)
    if found:
        print(f"check_layers: {len(found)} include(s) cross a forbidden layer boundary; "
              "see the table in docs/architecture.md", file=sys.stderr)
        return 1
    print("check_layers: every include follows the layer table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
