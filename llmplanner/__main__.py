"""``llmplanner`` (and ``python -m llmplanner``): the app with no arguments, subcommands otherwise."""
from __future__ import annotations

import sys

#: Options that belong to the application rather than to a subcommand.
APP_FLAGS = ("--smoke-test", "--screenshot", "--install-desktop-entry", "--uninstall-desktop-entry")
DESKTOP_ENTRY_FLAGS = ("--install-desktop-entry", "--uninstall-desktop-entry")
PROBE_TORCH_FLAG = "--probe-torch"
"""Hidden: run ``llmplanner._probe_torch`` (a frozen app has no ``-m``; detection calls its own executable)."""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == [PROBE_TORCH_FLAG]:
        from ._probe_torch import main as probe_main

        return probe_main()
    if not argv or argv[0] in APP_FLAGS or argv[0].startswith(tuple(f + "=" for f in APP_FLAGS)):
        return gui_main(argv)
    from .cli import main as cli_main

    return cli_main(argv)


def gui_main(argv: list[str] | None = None) -> int:
    """The windowed app (also the ``llmplanner-gui`` launcher, which has no console on Windows)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] and argv[0] in DESKTOP_ENTRY_FLAGS:  # no Qt needed: works where Qt cannot start
        from .desktop_entry import main as desktop_entry_main

        return desktop_entry_main(argv)
    from .startup import start_gui

    return start_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
