#!/usr/bin/env python3
"""Draws the add-in's icons (icon-16/32/64/80/128.png): a blue shield with a white exclamation
mark, our own glyph, antialiased by supersampling, written as RGBA PNG with zlib only.

Run from anywhere: python3 content/addin/make_icons.py (writes next to this file)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZES = (16, 32, 64, 80, 128)
SHIELD = (0x1D, 0x4E, 0xD8)  # the portal's accent blue
EDGE = (0x1E, 0x3A, 0x8A)  # a darker rim, so the shield holds on light and dark ribbons
MARK = (0xFF, 0xFF, 0xFF)
SUPERSAMPLE = 8


def shield_half_width(y: float) -> float:
    """Half the shield's width at height y (0 top .. 1 bottom); negative outside it."""
    top, shoulder, tip, half = 0.06, 0.52, 0.96, 0.40
    if y < top or y > tip:
        return -1.0
    if y < shoulder:
        return half
    t = (y - shoulder) / (tip - shoulder)
    return half * (1.0 - t * t)


def in_shield(x: float, y: float, inset: float = 0.0) -> bool:
    hw = shield_half_width(y - inset if y > 0.5 else y + inset) - inset
    # Round the two top corners a little.
    if y < 0.06 + inset or hw < 0:
        return False
    dx = abs(x - 0.5)
    r = 0.08
    cy = 0.06 + inset + r
    if y < cy and dx > hw - r:
        return (dx - (hw - r)) ** 2 + (y - cy) ** 2 <= r * r
    return dx <= hw


def in_mark(x: float, y: float) -> bool:
    bar_half, bar_top, bar_bottom = 0.06, 0.22, 0.58
    if abs(x - 0.5) <= bar_half and bar_top <= y <= bar_bottom:
        return True
    if (x - 0.5) ** 2 + (y - bar_top) ** 2 <= bar_half ** 2:  # round top
        return True
    return (x - 0.5) ** 2 + (y - 0.73) ** 2 <= 0.072 ** 2  # the dot


def pixel(px: int, py: int, size: int) -> tuple[int, int, int, int]:
    counts = {"edge": 0, "fill": 0, "mark": 0}
    n = SUPERSAMPLE
    rim = max(1.2 / size, 0.025)
    for sy in range(n):
        for sx in range(n):
            x = (px + (sx + 0.5) / n) / size
            y = (py + (sy + 0.5) / n) / size
            if not in_shield(x, y):
                continue
            if in_mark(x, y):
                counts["mark"] += 1
            elif in_shield(x, y, rim):
                counts["fill"] += 1
            else:
                counts["edge"] += 1
    total = sum(counts.values())
    if total == 0:
        return (0, 0, 0, 0)
    rgb = [
        round((EDGE[i] * counts["edge"] + SHIELD[i] * counts["fill"] + MARK[i] * counts["mark"])
              / total)
        for i in range(3)
    ]
    return (rgb[0], rgb[1], rgb[2], round(255 * total / (n * n)))


def png(size: int) -> bytes:
    rows = bytearray()
    for py in range(size):
        rows.append(0)  # filter: none
        for px in range(size):
            rows.extend(pixel(px, py, size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def main() -> None:
    here = Path(__file__).resolve().parent
    for size in SIZES:
        (here / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
