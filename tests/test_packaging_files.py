"""The packaging files agree with each other and with the freedesktop tools: AppStream metainfo, the packagers'
.desktop file, the wheel's data files, the Linux archive and the PyInstaller spec."""
from __future__ import annotations

import fnmatch
import importlib.util
import re
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET

from conftest import ROOT
from llmplanner import desktop_entry as de
from test_desktop_entry import validate

METAINFO = ROOT / "packaging" / "io.github.llmplanner.metainfo.xml"


def load_packaging_module(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def pyproject_version() -> str:
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


def test_metainfo_validates_with_appstreamcli():
    if sys.platform.startswith("linux"):
        tool = shutil.which("appstreamcli")
        assert tool, "appstreamcli is missing: apt-get install appstream (.ci/run does)"
        out = subprocess.run([tool, "validate", "--no-net", "--no-color", str(METAINFO)], capture_output=True,
                             text=True)
        assert out.returncode == 0, out.stdout + out.stderr
        problems = [line for line in out.stdout.splitlines() if re.match(r"[EW]: ", line)]
        assert problems == []
    ET.parse(METAINFO)  # well-formed everywhere


def test_metainfo_names_the_desktop_file_the_icon_and_this_version():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == de.APP_ID
    assert root.findtext("launchable") == de.DESKTOP_FILE
    assert root.findtext("icon") == de.APP_ID
    assert root.find("releases/release").get("version") == pyproject_version()


def test_the_packagers_desktop_file_is_the_one_the_app_writes_for_a_program_on_path(tmp_path):
    static = ROOT / "packaging" / de.DESKTOP_FILE
    assert static.read_text() == de.desktop_entry_text(["llmplanner"])
    validate(static)


def test_the_wheel_ships_every_data_file_in_resources():
    text = (ROOT / "pyproject.toml").read_text()
    block = re.search(r'^"llmplanner.resources" = \[(.*?)\]', text, re.M).group(1)
    patterns = re.findall(r'"([^"]+)"', block)
    files = [p.relative_to(ROOT / "resources").as_posix() for p in (ROOT / "resources").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"]
    # setuptools matches "**/x" at any depth, the top folder included
    unmatched = [f for f in files if not any(fnmatch.fnmatch(f, p) or fnmatch.fnmatch(f, p.removeprefix("**/"))
                                             for p in patterns)]
    assert unmatched == []
    assert {"icons/llmplanner.svg", "icons/llmplanner-16.png", "icons/llmplanner-512.png", "quality.json"} <= set(files)


def test_the_linux_archive_holds_the_bundle_the_desktop_file_and_the_metainfo(tmp_path):
    build = load_packaging_module("build")
    bundle = tmp_path / "llmplanner"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "llmplanner").write_text("#!/bin/sh\n")
    (bundle / "llmplanner").chmod(0o755)
    archive = build.linux_archive(tmp_path)
    v = pyproject_version()
    assert archive.name.startswith(f"llmplanner-{v}-linux-") and archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
    top = f"llmplanner-{v}"
    assert {f"{top}/llmplanner", f"{top}/_internal", f"{top}/{de.DESKTOP_FILE}",
            f"{top}/io.github.llmplanner.metainfo.xml", f"{top}/README.txt"} <= set(members)
    assert members[f"{top}/llmplanner"].mode & 0o111  # still executable once unpacked


def test_the_spec_leaves_torch_and_unused_qt_out_unless_asked():
    spec = (ROOT / "packaging" / "llmplanner.spec").read_text()
    excludes = re.search(r"^excludes = \[(.*?)\]", spec, re.S | re.M).group(1)
    for name in ("tkinter", "pyqtgraph.opengl", "PySide6.QtQuick", "PySide6.QtNetwork", "PySide6.QtQml"):
        assert f'"{name}"' in excludes
    without_torch = re.search(r"^if not WITH_TORCH:\n(.*?)^else:", spec, re.S | re.M).group(1)
    assert '"torch"' in without_torch and '"transformers"' in without_torch


def test_the_packaging_tools_are_pinned():
    pins = dict(line.split("==") for line in (ROOT / "packaging" / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert {"pyinstaller", "pyinstaller-hooks-contrib"} <= set(pins)
    extra = re.search(r"^packaging = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.S | re.M).group(1)
    assert "pyinstaller" in extra

