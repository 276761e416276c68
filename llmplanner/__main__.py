"""``llmplanner`` (and ``python -m llmplanner``): the app with no arguments, subcommands otherwise."""
from __future__ import annotations

import sys

#: Options that belong to the application rather than to a subcommand.
APP_FLAGS = ("--smoke-test", "--screenshot", "--install-desktop-entry", "--uninstall-desktop-entry")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in APP_FLAGS or argv[0].startswith(tuple(f + "=" for f in APP_FLAGS)):
        return gui_main(argv)
    from .cli import main as cli_main

    return cli_main(argv)


def gui_main(argv: list[str] | None = None) -> int:
    """The windowed app (also the ``llmplanner-gui`` launcher, which has no console on Windows)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        from .app import run_app
    except ImportError as e:  # the GUI layer is not there (or Qt is missing): say so, don't trace back
        print(f"llmplanner: the desktop app cannot start: {e}", file=sys.stderr)
        return 1
    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
