#!/usr/bin/env python3
"""Render the application icon ``resources/icons/llmplanner.svg`` into every file the packages need:

- ``resources/icons/llmplanner-<N>.png`` for the freedesktop hicolor sizes (16 … 512 px); they ship in the wheel
  and the bundle (the window icon, ``llmplanner --install-desktop-entry``);
- ``packaging/icons/llmplanner.ico`` (Windows: the .exe and the installer) and ``packaging/icons/llmplanner.icns``
  (macOS: the .app bundle).

Run it after editing the SVG and commit the results, so that builds need no image tools:

    python packaging/make_icons.py

Rendering uses Qt's SVG renderer (QtSvg is part of PySide6-Essentials, already a dependency). Both container
formats are written here from PNG images, which each allows:
ICO — the ICONDIR/ICONDIRENTRY layout of Microsoft's "Icons" article (learn.microsoft.com, "Icons in Win32",
PNG images allowed since Windows Vista; a width or height of 0 means 256); ICNS — Apple's big-endian
``icns`` + length header followed by (type, length, data) elements, with the PNG element types ``icp4`` (16),
``icp5`` (32), ``icp6`` (64), ``ic07`` (128), ``ic08`` (256), ``ic09`` (512), ``ic10`` (1024, 512@2x), ``ic11``
(32, 16@2x), ``ic12`` (64, 32@2x), ``ic13`` (256, 128@2x), ``ic14`` (512, 256@2x) (the table in
en.wikipedia.org/wiki/Apple_Icon_Image_format, as read by macOS's ``iconutil``).
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "llmplanner.svg"
PNG_DIR = ROOT / "resources" / "icons"
ICO = ROOT / "packaging" / "icons" / "llmplanner.ico"
ICNS = ROOT / "packaging" / "icons" / "llmplanner.icns"

HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
"""The hicolor theme's usual fixed sizes (freedesktop Icon Theme Specification)."""
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""What Windows picks from for the taskbar, Explorer views and title bars (256 is the largest ICO allows)."""
ICNS_TYPES = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256, b"ic09": 512, b"ic10": 1024,
              b"ic11": 32, b"ic12": 64, b"ic13": 256, b"ic14": 512}
"""ICNS element type → the pixel size of the PNG it holds."""


def png_path(size: int) -> Path:
    return PNG_DIR / f"llmplanner-{size}.png"


def render_pngs(svg: Path, sizes) -> dict[int, bytes]:
    """PNG bytes of ``svg`` rendered at each square ``size`` with Qt's SVG renderer (antialiased, transparent)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtCore, QtGui, QtSvg

    app = QtGui.QGuiApplication.instance() or QtGui.QGuiApplication([sys.argv[0]])  # noqa: F841 - keeps it alive
    renderer = QtSvg.QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG file Qt can render")
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QtGui.QImage(size, size, QtGui.QImage.Format.Format_ARGB32)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(image)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QtCore.QRectF(0, 0, size, size))
        painter.end()
        buf = QtCore.QBuffer()
        buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buf, "PNG"):
            raise RuntimeError(f"Qt could not encode the {size} px icon as PNG")
        out[size] = bytes(buf.data())
    return out


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG image per size (sizes up to 256)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, image count
    offset = len(header) + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        if not 1 <= size <= 256:
            raise ValueError(f"an ICO image is 1 to 256 px wide, not {size}")
        data = pngs[size]
        dim = 0 if size == 256 else size
        # width, height, palette colours, reserved, colour planes, bits per pixel, data size, data offset
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset))
        blobs.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns holding the PNG element for every type in ``ICNS_TYPES`` (``pngs`` needs each size)."""
    elements = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
                        for kind, size in ICNS_TYPES.items())
    return b"icns" + struct.pack(">I", 8 + len(elements)) + elements


def main() -> int:
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | set(ICNS_TYPES.values()))
    pngs = render_pngs(SVG, sizes)
    for size in HICOLOR_SIZES:
        png_path(size).write_bytes(pngs[size])
    ICO.parent.mkdir(parents=True, exist_ok=True)
    ICO.write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    ICNS.write_bytes(icns_bytes(pngs))
    for p in [*map(png_path, HICOLOR_SIZES), ICO, ICNS]:
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
