"""Start the desktop app: ``run_app(argv)``; also the headless ``--smoke-test`` and ``--screenshot DIR``.

Qt is imported here, inside the functions, and in ``llmplanner.gui``; never by the model layer or the
command line. torch is never imported at start-up (the smoke test checks it).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

SCREENSHOT_SIZE = (1280, 800)
REPRESENTATIVE_MODEL = "Llama-3-8B"


def _parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="llmplanner", add_help=True,
                                     description="The llmplanner desktop app.")
    parser.add_argument("--smoke-test", nargs="?", const="quick", choices=("quick", "full"),
                        help="build the window with every tab, run one estimate, print SMOKE OK and exit; "
                             "--smoke-test=full also computes every tab (as the screenshots do)")
    parser.add_argument("--screenshot", metavar="DIR",
                        help="render each tab at 1280×800 into DIR/<tab>.png and exit")
    return parser.parse_known_args(argv)


def run_app(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args, qt_args = _parse(argv)
    except SystemExit as e:  # --help, or a bad option (argparse printed why)
        return int(e.code or 0)
    unknown = [a for a in qt_args if a.startswith("--")]
    if unknown:  # Qt's own options take one dash (-style, -platform); anything else is a typo
        print(f"llmplanner: unknown option {unknown[0]}", file=sys.stderr)
        return 2
    headless = args.smoke_test or args.screenshot
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from .gui.qt import QtWidgets
    except ImportError as e:
        print(f"llmplanner: Qt (PySide6) cannot be loaded: {e}", file=sys.stderr)
        return 1
    if headless:
        _quiet_offscreen_warnings()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0], *qt_args])
    _identify(app)
    if args.smoke_test:
        return smoke_test(app, full=args.smoke_test == "full")
    if args.screenshot:
        return screenshots(app, args.screenshot)
    return Application(app).run()


OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",)
"""What Qt's offscreen platform says about every window it cannot resize natively: true, and not news."""


def _quiet_offscreen_warnings() -> None:
    from .gui.qt import QtCore

    def handler(mode, context, message):
        if message not in OFFSCREEN_NOISE:
            sys.stderr.write(message + "\n")

    QtCore.qInstallMessageHandler(handler)


def _identify(app) -> None:
    from . import __version__
    from .desktop_entry import APP_ID

    app.setApplicationName("llmplanner")
    app.setApplicationDisplayName("llmplanner")
    app.setApplicationVersion(__version__)
    # Wayland and the taskbars match a window to its desktop file by this name (io.github.llmplanner.desktop,
    # written by --install-desktop-entry and the installers)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


def app_icon():
    """The application icon at every size shipped in ``resources/icons`` (read as bytes: works from a wheel,
    a checkout and a frozen bundle alike)."""
    from .core.resources import resource
    from .desktop_entry import ICON_SIZES
    from .gui.qt import QtGui

    icon = QtGui.QIcon()
    for n in ICON_SIZES:
        pixmap = QtGui.QPixmap()
        pixmap.loadFromData(resource("icons", f"llmplanner-{n}.png").read_bytes(), "PNG")
        icon.addPixmap(pixmap)
    return icon


# -- the interactive app ------------------------------------------------------------------------------------------

class Application:
    """Holds what outlives a window (settings, the plan, the exception handler) and swaps windows when the
    language changes."""

    def __init__(self, app, settings=None, autosave_folder=None):
        from .autosave import Autosaver
        from .gui.controller import PlanController
        from .gui.errors import ExceptionHandler
        from .gui.i18n import install_language
        from .gui.settings import Settings

        self.app = app
        self.settings = settings or Settings()
        install_language(app, self.settings.language)
        self.handler = ExceptionHandler(parent=app)
        self.autosave_folder = autosave_folder
        self.controller = PlanController(autosaver=Autosaver(autosave_folder))
        self.window = None

    def start(self):
        """Open the last plan, build and show the window, offer plans a crash left behind."""
        from .autosave import find_recoverable
        from .core.errors import PlannerError

        self.handler.install()
        notices = list(self.settings.notices)
        last = self.settings.last_plan
        opened_notices: tuple[str, ...] = ()
        if self.settings.reopen_last_plan and last and Path(last).is_file():
            try:
                opened_notices = self.controller.open_plan(last).notices
            except PlannerError as e:
                notices.append(str(e))
        self._make_window()
        for n in list(notices) + list(opened_notices):
            self.window.show_notice(_html_escape(n))
        self.window.offer_recovery(find_recoverable(self.autosave_folder))
        return self.window

    def run(self) -> int:
        self.start()
        try:
            return self.app.exec()
        finally:
            self.handler.uninstall()

    def _make_window(self):
        from .gui.main_window import MainWindow

        self.window = MainWindow(self.controller, self.settings)
        self.window.language_change_requested.connect(self.switch_language)
        self.window.show()
        return self.window

    def switch_language(self, code: str) -> None:
        from .gui.i18n import install_language

        old = self.window
        old.save_window_state()
        install_language(self.app, code)
        self._make_window()
        old.retire()
        old.deleteLater()


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)


# -- headless entry points ----------------------------------------------------------------------------------------

def _headless_window(settings_dir: str):
    """A window over the representative plan, with settings in a private folder and no autosave."""
    from .core.plan import ModelSource, Plan
    from .gui.controller import PlanController
    from .gui.main_window import MainWindow
    from .gui.settings import Settings

    settings = Settings(Path(settings_dir) / "headless.ini")
    settings.confirm_unsaved_close = False
    controller = PlanController()
    controller.set_plan(Plan(name=REPRESENTATIVE_MODEL, model=ModelSource.preset(REPRESENTATIVE_MODEL),
                             context=8192), modified=False)
    window = MainWindow(controller, settings)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    return window


def _settle(app, window, *, every_tab: bool = True) -> None:
    """Compute synchronously: every tab, or only the one on screen (what a user sees at start-up; the
    others compute when first shown)."""
    from .gui.qt import QtCore

    for tab in window.tabs if every_tab else window.tabs[:1]:
        tab.compute_now()
    for _ in range(5):
        app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)


def smoke_test(app, *, full: bool = False) -> int:
    """Build every tab, compute the visible one and one full estimate synchronously (every tab with
    ``full``), check the results; print one line; 0 when all is well."""
    from .gui.errors import ExceptionHandler

    handler = ExceptionHandler(show_dialogs=False)
    handler.install()
    try:
        with tempfile.TemporaryDirectory(prefix="llmplanner-smoke-") as tmp:
            window = _headless_window(tmp)
            _settle(app, window, every_tab=full)
            line = _smoke_line(window, full=full)
            window.close()
            window.deleteLater()
            app.processEvents()
        if handler.reports:
            raise RuntimeError(f"unexpected errors: {'; '.join(r.summary for r in handler.reports)}")
        if "torch" in sys.modules:
            raise RuntimeError("torch was imported at start-up")
    except Exception as e:  # noqa: BLE001 - the smoke test reports any failure as its exit code
        print(f"SMOKE FAILED: {type(e).__name__}: {e}", file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        handler.uninstall()
    print(line, flush=True)
    return 0


def _smoke_line(window, *, full: bool = True) -> str:
    from .core.params import count_params
    from .core.presets import find_preset
    from .gui.about import versions

    if not window.tabs:
        raise RuntimeError("the window has no tabs")
    arch_tab = window.tab("architecture")
    if arch_tab is None or arch_tab.result is None:
        raise RuntimeError("the Architecture tab computed nothing")
    expected = count_params(find_preset(REPRESENTATIVE_MODEL).architecture()).total
    got = arch_tab.result.main.params.total
    if got != expected or arch_tab.total_card.value.text() != f"{expected:,}":
        raise RuntimeError(f"the Architecture tab shows {arch_tab.total_card.value.text()}, expected {expected:,}")
    v = versions()
    tabs = ", ".join(t.tab_id for t in window.tabs)
    line = (f"SMOKE OK llmplanner {v['llmplanner']}; Python {v['Python']}; Qt {v['Qt']}; PySide6 {v['PySide6']}; "
            f"pyqtgraph {v['pyqtgraph']}; tabs: {tabs}; {REPRESENTATIVE_MODEL}: {got:,} parameters")
    if not full:
        from .core.plan import estimate_request
        from .core.estimate import run_estimate

        plan = window.controller.plan
        report = run_estimate(estimate_request(plan, arch_tab.result.main.arch))
        return line + (f"; {report.request.weight_format} at {report.request.context:,} tokens on "
                       f"{report.request.runtime}: {report.memory.total_bytes / 2**30:.2f} GiB")
    precision = window.tab("precision")
    if precision is not None:
        result = precision.result
        if result is None or result.comparison is None or result.comparison.current is None:
            raise RuntimeError("the Precision tab computed nothing")
        row = result.comparison.current
        if len(precision.bars.rows) != len(result.comparison.rows):
            raise RuntimeError("the Precision tab's chart does not show every format")
        line += f"; {row.format.label} at {result.comparison.context:,} tokens: {row.total_bytes / 2**30:.2f} GiB"
    hardware = window.tab("hardware")
    if hardware is not None:
        rec = hardware.result.recommendation if hardware.result is not None else None
        if rec is None or hardware.formats_table.rows_model.rowCount() != len(rec.options):
            raise RuntimeError("the Hardware tab computed nothing")
        best = rec.best.option.label if rec.best is not None else "nothing fits"
        line += f"; this machine: {rec.target.tier.tier}, best {best}"
    return line


def screenshots(app, folder: str) -> int:
    """Render each tab of the representative plan into ``folder/<tab_id>.png``."""
    from .gui.errors import ExceptionHandler
    from .gui.qt import QtCore

    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"llmplanner: cannot create {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    handler = ExceptionHandler(show_dialogs=False)
    handler.install()
    try:
        with tempfile.TemporaryDirectory(prefix="llmplanner-shots-") as tmp:
            window = _headless_window(tmp)
            _settle(app, window)
            for tab in window.tabs:
                window.set_current_tab(tab.tab_id)
                tab.compute_now()
                for _ in range(5):
                    app.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
                path = out / f"{tab.tab_id}.png"
                if not window.grab().save(str(path), "PNG"):
                    raise RuntimeError(f"cannot write {path}")
                print(path)
            window.close()
        if handler.reports:
            raise RuntimeError(f"unexpected errors: {'; '.join(r.summary for r in handler.reports)}")
    except Exception as e:  # noqa: BLE001
        print(f"llmplanner: screenshots failed: {type(e).__name__}: {e}", file=sys.stderr)
        traceback.print_exc()
        return 1
    finally:
        handler.uninstall()
    return 0
