#!/usr/bin/env python3
"""Smoke-test what users install, headless: the wheel in a fresh virtual environment, and the PyInstaller bundle.

    python packaging/smoke.py              # both; the bundle builds while the wheel's environment installs
    python packaging/smoke.py wheel        # build the wheel, install it with its dependencies, run the checks
    python packaging/smoke.py bundle       # build the bundle (packaging/build.py), run the checks
    python packaging/smoke.py bundle --no-build    # check an existing dist/llmplanner

Run it with a Python that has llmplanner's dependencies and PyInstaller (``python3 packaging/dev.py smoke``).
Each check runs the installed program as a user would (its own folder, offscreen Qt, private settings, logs and
XDG folders) and fails on a wrong exit code or output, on any stderr line not listed in ``ALLOWED_STDERR`` and on
any crash log written. The exit code is 1 when a check failed.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "packaging"))
import build as bundle_build  # noqa: E402 - packaging/build.py

WORK = ROOT / "build" / "smoke"
CONSTRAINTS = ROOT / "packaging" / "constraints.txt"
APP_ID = "io.github.llmplanner"

ALLOWED_STDERR: tuple[re.Pattern, ...] = ()
"""stderr lines a passing run may print. Empty: the app filters Qt's offscreen noise itself (``app.py``), so
anything on stderr is news. Add a pattern here only with the reason it is harmless."""

LLAMA_3_8B_PARAMETERS = 8_030_261_248
"""Meta-Llama-3-8B's parameter count, the sum of its safetensors shapes (huggingface.co/meta-llama/Meta-Llama-3-8B,
model.safetensors.index.json: total_size 16,060,522,496 bytes in BF16 = 8,030,261,248 parameters)."""


@dataclass
class Result:
    name: str
    ok: bool
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Target:
    """An installed llmplanner: how to start it and what it should say about itself."""
    label: str
    program: list[str]
    gui_program: list[str]
    desktop_exec: str
    has_transformers: bool
    extra_checks: list[Callable[["Target", Path], Result]] = field(default_factory=list)


def version() -> str:
    return bundle_build.version()


# -- running a program as a user would ---------------------------------------------------------------------------

def user_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "PYTHONWARNINGS")}
    env.update(QT_QPA_PLATFORM="offscreen", HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1",
               LLMPLANNER_LOG_DIR=str(home / "logs"), LLMPLANNER_CONFIG_DIR=str(home / "config"),
               LLMPLANNER_CACHE_DIR=str(home / "cache"), XDG_DATA_HOME=str(home / "data"))
    return env


def unexpected_stderr(stderr: str, allowed_lines: tuple[re.Pattern, ...] = ()) -> list[str]:
    patterns = ALLOWED_STDERR + allowed_lines
    return [line for line in stderr.splitlines()
            if line.strip() and not any(p.fullmatch(line) for p in patterns)]


def run_check(name: str, argv: list[str], home: Path, *, expect_rc: int = 0,
              stdout_ok: Callable[[str], str | None] = lambda out: None,
              stderr_allowed: tuple[str, ...] = (), timeout: float = 180) -> Result:
    """Run ``argv`` in ``home``; ``stdout_ok`` returns None when the output is right, else what is wrong."""
    home.mkdir(parents=True, exist_ok=True)
    logs = home / "logs"
    before = set(logs.glob("*")) if logs.is_dir() else set()
    start = time.perf_counter()
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=home, env=user_env(home),
                             stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        return Result(name, False, f"{type(e).__name__}: {e}", time.perf_counter() - start)
    seconds = time.perf_counter() - start
    problems = []
    if out.returncode != expect_rc:
        problems.append(f"exit code {out.returncode}, expected {expect_rc}")
    wrong = stdout_ok(out.stdout)
    if wrong:
        problems.append(wrong)
    extra = unexpected_stderr(out.stderr, tuple(re.compile(p) for p in stderr_allowed))
    if extra:
        problems.append("unexpected stderr: " + " | ".join(extra[:8]))
    crash_logs = (set(logs.glob("*")) if logs.is_dir() else set()) - before
    if crash_logs:
        problems.append(f"crash log written: {', '.join(map(str, sorted(crash_logs)))}")
    if problems:
        tail = "\n".join(("stdout: " + out.stdout.strip()[-1500:], "stderr: " + out.stderr.strip()[-3000:]))
        return Result(name, False, "; ".join(problems) + "\n" + tail, seconds)
    return Result(name, True, "", seconds)


def _is(expected: str) -> Callable[[str], str | None]:
    return lambda out: None if out.strip() == expected else f"stdout is {out.strip()[:200]!r}, not {expected!r}"


def _smoke_line(out: str) -> str | None:
    lines = [line for line in out.splitlines() if line.startswith("SMOKE OK")]
    if not lines:
        return "no line starting with 'SMOKE OK'"
    if f"llmplanner {version()}" not in lines[0]:
        return f"the smoke line does not name llmplanner {version()}: {lines[0]}"
    return None


def _llama_estimate(out: str) -> str | None:
    try:
        total = json.loads(out)["params"]["total"]
    except (ValueError, KeyError, TypeError) as e:
        return f"estimate --json is not the expected JSON ({e})"
    return None if total == LLAMA_3_8B_PARAMETERS else f"Llama-3-8B has {total} parameters, not {LLAMA_3_8B_PARAMETERS}"


# -- the checks common to every target ---------------------------------------------------------------------------

def desktop_entry_check(target: Target, home: Path) -> Result:
    name = f"{target.label}: --install-desktop-entry validates and --uninstall-desktop-entry removes it"
    r = run_check(name, [*target.program, "--install-desktop-entry"], home)
    if not r.ok:
        return r
    data = home / "data"
    desktop = data / "applications" / f"{APP_ID}.desktop"
    if not desktop.is_file():
        return Result(name, False, f"{desktop} was not written")
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        return Result(name, False, "desktop-file-validate is missing (Debian, Ubuntu: apt-get install "
                      "desktop-file-utils)")
    v = subprocess.run([validate, str(desktop)], capture_output=True, text=True)
    if v.returncode != 0 or v.stdout.strip() or v.stderr.strip():
        return Result(name, False, f"desktop-file-validate: {v.stdout}{v.stderr}")
    exec_line = next(line for line in desktop.read_text().splitlines() if line.startswith("Exec="))
    if exec_line != f"Exec={target.desktop_exec}":
        return Result(name, False, f"{exec_line!r}, expected 'Exec={target.desktop_exec}'")
    icons = list((data / "icons" / "hicolor").rglob(f"{APP_ID}.*"))
    if len(icons) != 9:
        return Result(name, False, f"{len(icons)} icons written, expected 8 PNG sizes and the SVG")
    r = run_check(name, [*target.program, "--uninstall-desktop-entry"], home)
    if not r.ok:
        return r
    left = [p for p in data.rglob("*") if p.is_file()]
    return Result(name, not left, f"left behind: {left}" if left else "")


def common_checks(target: Target, home: Path) -> list[Result]:
    t, v = target.label, version()
    return [
        run_check(f"{t}: --version", [*target.program, "--version"], home, stdout_ok=_is(f"llmplanner {v}")),
        run_check(f"{t}: presets", [*target.program, "presets"], home,
                  stdout_ok=lambda out: None if "Llama-3-8B" in out else "Llama-3-8B is not among the presets"),
        run_check(f"{t}: estimate Llama-3-8B --json", [*target.program, "estimate", "Llama-3-8B", "--json"], home,
                  stdout_ok=_llama_estimate),
        run_check(f"{t}: detect --json", [*target.program, "detect", "--json"], home,
                  stdout_ok=lambda out: None if json.loads(out).get("tier") else "detect --json names no tier"),
        run_check(f"{t}: check without transformers says what is missing",
                  [*target.program, "check", "OPT-125M", "--json"], home, expect_rc=2,
                  stderr_allowed=(r"llmplanner: error: the measured check needs torch and transformers, .*",))
        if not target.has_transformers else Result(f"{t}: check (transformers present: not a smoke check)", True),
        run_check(f"{t}: --smoke-test", [*target.program, "--smoke-test"], home, stdout_ok=_smoke_line),
        run_check(f"{t}: windowless launcher --smoke-test", [*target.gui_program, "--smoke-test"], home,
                  stdout_ok=_smoke_line) if target.gui_program != target.program
        else Result(f"{t}: the windowless launcher is the same program", True),
        desktop_entry_check(target, home),
        *(check(target, home) for check in target.extra_checks),
    ]


# -- the wheel ----------------------------------------------------------------------------------------------------

def resource_files() -> list[str]:
    """Every data file under resources/, as its path inside the package (``llmplanner/resources/...``)."""
    return sorted("llmplanner/resources/" + p.relative_to(ROOT / "resources").as_posix()
                  for p in (ROOT / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def build_wheel(out: Path) -> Path:
    shutil.rmtree(out, ignore_errors=True)
    egg_info = ROOT / "llmplanner.egg-info"
    had_egg_info = egg_info.exists()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
                   check=True)
    if not had_egg_info:  # setuptools leaves it in the checkout, where importlib.metadata would then find it
        shutil.rmtree(egg_info, ignore_errors=True)
    (wheel,) = out.glob("llmplanner-*.whl")
    return wheel


def wheel_contents_check(wheel: Path) -> Result:
    name = "wheel: holds every module, every resource file and both launchers"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = next((z.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt")), "")
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "llmplanner").rglob("*.py")}
    missing = sorted((modules | set(resource_files())) - names)
    if missing:
        return Result(name, False, f"missing from {wheel.name}: {missing}")
    scripts = re.search(r"\[console_scripts\]\s*\nllmplanner = llmplanner.__main__:main", entry_points)
    gui = re.search(r"\[gui_scripts\]\s*\nllmplanner-gui = llmplanner.__main__:gui_main", entry_points)
    if not (scripts and gui):
        return Result(name, False, "entry points are not llmplanner (console) and llmplanner-gui (gui):\n"
                      + entry_points)
    return Result(name, True)


def install_wheel(wheel: Path, env_dir: Path) -> Path:
    """A fresh virtual environment with the wheel and its dependencies (pinned by packaging/constraints.txt)."""
    shutil.rmtree(env_dir, ignore_errors=True)
    # no pip inside (ensurepip alone takes ~20 s here): this Python's pip installs into it with --python
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    out = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-compile",
                          "-c", str(CONSTRAINTS), str(wheel)], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"pip could not install {wheel.name}:\n{out.stdout}{out.stderr}")
    return py


def wheel_target(py: Path) -> Target:
    scripts = py.parent
    suffix = ".exe" if os.name == "nt" else ""
    cli, gui = str(scripts / f"llmplanner{suffix}"), str(scripts / f"llmplanner-gui{suffix}")

    def imports_installed_copy(target: Target, home: Path) -> Result:
        return run_check("wheel: llmplanner is imported from the environment, not the checkout",
                         [str(py), "-c", "import llmplanner; print(llmplanner.__file__)"], home,
                         stdout_ok=lambda out: None if Path(out.strip()).is_relative_to(py.parents[1])
                         else f"imported from {out.strip()}")

    has_transformers = subprocess.run([str(py), "-c", "import transformers"], capture_output=True).returncode == 0
    return Target("wheel", [cli], [gui], gui, has_transformers, [imports_installed_copy])


def smoke_wheel(results: list[Result], home: Path) -> None:
    t0 = time.perf_counter()
    try:
        wheel = build_wheel(WORK / "wheelhouse")
        results.append(wheel_contents_check(wheel))
        py = install_wheel(wheel, WORK / "wheel-env")
    except (subprocess.CalledProcessError, RuntimeError, ValueError) as e:
        results.append(Result("wheel: build and install", False, str(e)))
        return
    print(f"wheel: built and installed into a fresh environment in {time.perf_counter() - t0:.0f} s", flush=True)
    target = wheel_target(py)
    results.extend(common_checks(target, home / "wheel"))


# -- the bundle ---------------------------------------------------------------------------------------------------

def start_bundle_build(log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([sys.executable, str(ROOT / "packaging" / "build.py")], cwd=ROOT,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)


def bundle_target(dist: Path) -> Target:
    folder = bundle_build.bundle_dir(dist)
    app = str(folder / bundle_build.executable_name("llmplanner"))
    cli = str(folder / bundle_build.executable_name("llmplanner-cli"))

    def size_and_contents(target: Target, home: Path) -> Result:
        name = "bundle: at most 250 MB, without torch, with every resource file"
        size = bundle_build.folder_size(folder)
        problems = []
        if size > bundle_build.MAX_BUNDLE_BYTES:
            problems.append(f"{size / 1e6:.0f} MB")
        internal = folder / "_internal"
        if (internal / "torch").exists():
            problems.append("torch is bundled")
        missing = [f for f in resource_files() if not (internal / f).is_file()]
        if missing:
            problems.append(f"missing resources: {missing}")
        return Result(f"{name} ({size / 1e6:.0f} MB)", not problems, "; ".join(problems))

    def cli_version(target: Target, home: Path) -> Result:
        if sys.platform != "win32":  # the console twin exists on Windows only (llmplanner.spec)
            return Result("bundle: one executable (llmplanner-cli is Windows's)", not Path(cli).exists())
        return run_check("bundle: llmplanner-cli --version", [cli, "--version"], home,
                         stdout_ok=_is(f"llmplanner {version()}"))

    def no_torch_probe(target: Target, home: Path) -> Result:
        def says_not_bundled(out: str) -> str | None:
            torch_layer = [layer for layer in json.loads(out)["layers"] if layer["name"] == "torch"]
            ok = torch_layer and "built without torch" in torch_layer[0]["detail"]
            return None if ok else f"the torch layer does not say torch is left out: {torch_layer}"
        return run_check("bundle: detection says torch is left out (no probe of a missing torch)",
                         [app, "detect", "--json"], home, stdout_ok=says_not_bundled)

    return Target("bundle", [app], [app], app, False, [size_and_contents, cli_version, no_torch_probe])


def smoke_bundle(results: list[Result], home: Path, build: subprocess.Popen | None, log: Path) -> None:
    if build is not None:
        t0 = time.perf_counter()
        if build.wait() != 0:
            results.append(Result("bundle: PyInstaller build", False, log.read_text()[-4000:]))
            return
        print(f"bundle: built ({time.perf_counter() - t0:.0f} s after the wheel checks)", flush=True)
    results.extend(common_checks(bundle_target(ROOT / "dist"), home / "bundle"))


# -- main ---------------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", choices=("all", "wheel", "bundle"), default="all")
    parser.add_argument("--no-build", action="store_true", help="check the bundle already in dist/")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results: list[Result] = []
    log = WORK / "pyinstaller.log"
    build = None
    if args.what in ("all", "bundle") and not args.no_build:
        build = start_bundle_build(log)  # PyInstaller works while pip installs the wheel's environment
    with tempfile.TemporaryDirectory(prefix="llmplanner-smoke-") as tmp:
        try:
            if args.what in ("all", "wheel"):
                smoke_wheel(results, Path(tmp))
            if args.what in ("all", "bundle"):
                smoke_bundle(results, Path(tmp), build, log)
        finally:
            if build is not None and build.poll() is None:
                build.kill()
    for r in results:
        print(f"{'ok  ' if r.ok else 'FAIL'} {r.name}" + (f"  [{r.seconds:.1f} s]" if r.seconds else ""))
        if not r.ok:
            print("     " + r.detail.replace("\n", "\n     "))
    failed = sum(not r.ok for r in results)
    print(f"smoke checks: {len(results) - failed} of {len(results)} ok in {time.perf_counter() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
