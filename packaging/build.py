#!/usr/bin/env python3
"""Build the double-clickable app with PyInstaller, and its installer.

    python packaging/build.py                 # dist/llmplanner/ (one folder), dist/llmplanner.app on macOS
    python packaging/build.py --archive       # and the installer for this system (see below)
    python packaging/build.py --with-torch    # bundle torch and transformers too (the measured check)

Run it with a Python that has llmplanner's dependencies and PyInstaller (``python3 packaging/dev.py build``
sets one up). The installer is, per system: Linux, ``dist/llmplanner-<version>-linux-<arch>.tar.gz`` (the folder,
the .desktop file and the AppStream metainfo); Windows, ``dist/llmplanner-<version>-setup.exe`` from the Inno
Setup script ``packaging/windows/llmplanner.iss`` (needs Inno Setup's ``iscc``); macOS,
``dist/llmplanner-<version>.dmg`` made with ``hdiutil`` (the .app and a link to /Applications).
See packaging/README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "llmplanner.spec"
APP_ID = "io.github.llmplanner"
MAX_BUNDLE_BYTES = 250 * 10**6
"""The size the bundle without torch must stay under (issue #7)."""


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'^version = "([^"]+)"', text, re.M).group(1)


def executable_name(name: str = "llmplanner") -> str:
    return name + (".exe" if sys.platform == "win32" else "")


def bundle_dir(dist: Path) -> Path:
    return dist / "llmplanner"


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller(dist: Path, work: Path, with_torch: bool, clean: bool = False) -> Path:
    """Build the bundle; returns its folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit("PyInstaller is not installed in this Python: pip install -c packaging/constraints.txt "
                 "'.[packaging]' (or run: python3 packaging/dev.py build)")
    env = dict(os.environ, LLMPLANNER_WITH_TORCH="1" if with_torch else "0")
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    return bundle_dir(dist)


def linux_archive(dist: Path) -> Path:
    """``llmplanner-<version>-linux-<arch>.tar.gz``: the bundle folder plus the .desktop file and metainfo."""
    name = f"llmplanner-{version()}"
    out = dist / f"{name}-linux-{platform.machine()}.tar.gz"
    extras = {PACKAGING / f"{APP_ID}.desktop": f"{APP_ID}.desktop",
              PACKAGING / f"{APP_ID}.metainfo.xml": f"{APP_ID}.metainfo.xml",
              PACKAGING / "linux" / "README.txt": "README.txt"}
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle_dir(dist), arcname=name)
        for source, arcname in extras.items():
            tar.add(source, arcname=f"{name}/{arcname}")
    return out


def windows_installer(dist: Path) -> Path:
    """Inno Setup's compiler on ``packaging/windows/llmplanner.iss``."""
    iscc = shutil.which("iscc") or shutil.which("ISCC") or next(
        (str(p) for p in Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")).glob(
            "Inno Setup */ISCC.exe")), None)
    if not iscc:
        sys.exit("Inno Setup's iscc was not found: install Inno Setup 6 (jrsoftware.org) or put ISCC.exe on PATH")
    subprocess.run([iscc, f"/DAppVersion={version()}", f"/DSourceDir={bundle_dir(dist)}", f"/DOutputDir={dist}",
                    str(PACKAGING / "windows" / "llmplanner.iss")], check=True)
    return dist / f"llmplanner-{version()}-setup.exe"


def macos_dmg(dist: Path) -> Path:
    """A compressed disk image holding ``llmplanner.app`` and a link to /Applications (drag to install)."""
    app = dist / "llmplanner.app"
    stage = dist / "dmg"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    subprocess.run(["ditto", str(app), str(stage / app.name)], check=True)  # keeps the signature and links
    (stage / "Applications").symlink_to("/Applications")
    out = dist / f"llmplanner-{version()}.dmg"
    out.unlink(missing_ok=True)
    subprocess.run(["hdiutil", "create", "-volname", f"llmplanner {version()}", "-srcfolder", str(stage),
                    "-fs", "HFS+", "-format", "UDZO", "-ov", str(out)], check=True)
    shutil.rmtree(stage)
    return out


def make_installer(dist: Path) -> Path:
    if sys.platform == "win32":
        return windows_installer(dist)
    if sys.platform == "darwin":
        return macos_dmg(dist)
    return linux_archive(dist)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--with-torch", action="store_true", help="bundle torch and transformers (measured check)")
    parser.add_argument("--archive", action="store_true", help="also make this system's installer")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's caches first")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder (default: build/pyinstaller)")
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    bundle = run_pyinstaller(dist, work, args.with_torch, args.clean)
    size = folder_size(bundle)
    print(f"bundle: {bundle / executable_name()} ({size / 1e6:.0f} MB, {'with' if args.with_torch else 'without'}"
          " torch)")
    if sys.platform == "darwin":
        print(f"app: {dist / 'llmplanner.app'}")
    if not args.with_torch and size > MAX_BUNDLE_BYTES:
        print(f"error: the bundle is {size / 1e6:.0f} MB, over the {MAX_BUNDLE_BYTES / 1e6:.0f} MB limit",
              file=sys.stderr)
        return 1
    if args.archive:
        print(f"installer: {make_installer(dist)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
