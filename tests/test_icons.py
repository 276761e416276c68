"""The application icon: PNGs at every hicolor size, a Windows .ico and a macOS .icns, all generated from the SVG by
packaging/make_icons.py and kept up to date with it."""
from __future__ import annotations

import importlib.util
import struct

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
make_icons = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_icons)


def png_header(data: bytes) -> tuple[int, int, int]:
    """Width, height and colour type from a PNG's IHDR chunk (PNG spec, section 11.2.2)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def test_every_hicolor_size_is_a_square_rgba_png():
    for size in make_icons.HICOLOR_SIZES:
        assert png_header(make_icons.png_path(size).read_bytes()) == (size, size, 6)  # 6: RGB with alpha


def test_the_ico_holds_each_windows_size_as_png():
    data = make_icons.ICO.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(make_icons.ICO_SIZES))
    sizes = []
    for i in range(count):
        w, h, _colours, _r, planes, bpp, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * i: 22 + 16 * i])
        width, height, _ = png_header(data[offset:offset + length])
        assert (w or 256, h or 256, planes, bpp) == (width, height, 1, 32)
        sizes.append(width)
    assert sizes == sorted(make_icons.ICO_SIZES)


def test_the_icns_holds_each_macos_element_with_its_size():
    data = make_icons.ICNS.read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, pos = {}, 8
    while pos < len(data):
        kind, length = data[pos:pos + 4], struct.unpack(">I", data[pos + 4:pos + 8])[0]
        found[kind] = png_header(data[pos + 8:pos + length])[:2]
        pos += length
    assert found == {kind: (n, n) for kind, n in make_icons.ICNS_TYPES.items()}


def test_the_containers_round_trip_what_they_are_given():
    pngs = {16: b"sixteen", 256: b"two-five-six"}
    ico = make_icons.ico_bytes(pngs)
    assert ico.endswith(b"sixteentwo-five-six") and ico[6] == 16 and ico[22] == 0  # 0 means 256
    with pytest.raises(ValueError):
        make_icons.ico_bytes({512: b"x"})


@pytest.mark.gui
@pytest.mark.parametrize("size", [16, 48, 256])
def test_the_committed_pngs_are_renders_of_the_current_svg(qapp, size):
    """Edit the SVG, forget to run make_icons.py, and this fails (a small tolerance for other Qt versions'
    antialiasing)."""
    from PySide6 import QtGui

    fresh = QtGui.QImage.fromData(make_icons.render_pngs(make_icons.SVG, [size])[size])
    committed = QtGui.QImage(str(make_icons.png_path(size)))
    worst = 0
    for y in range(size):
        for x in range(size):
            a, b = fresh.pixelColor(x, y), committed.pixelColor(x, y)
            worst = max(worst, *(abs(p - q) for p, q in zip(a.getRgb(), b.getRgb())))
    assert worst <= 24, f"the {size} px PNG differs from a render of the SVG: run packaging/make_icons.py"


@pytest.mark.gui
def test_the_app_shows_the_icon_and_names_its_desktop_file(qapp):
    from llmplanner.app import _identify
    from llmplanner.desktop_entry import APP_ID

    _identify(qapp)
    assert {s.width() for s in qapp.windowIcon().availableSizes()} == set(make_icons.HICOLOR_SIZES)
    assert qapp.desktopFileName() == APP_ID
