"""The frozen app's entry script (PyInstaller runs it; it is not part of the installed package).

The bundle's executables start here: ``llmplanner`` (no console window on Windows) and, on Windows,
``llmplanner-cli`` (a console program, for the command line). Without arguments they open the app, with a
subcommand they are the command line, exactly like ``python -m llmplanner``.
"""
import os
import sys


def _usable_streams() -> None:
    """A windowed executable on Windows starts with ``sys.stdout``/``sys.stderr`` set to None (no console);
    send them to the null device so that a ``print`` or a library's warning cannot crash the app. Errors still
    reach the user through the log file and the dialog (``llmplanner.startup``)."""
    if sys.stdout is None or sys.stderr is None:
        sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
        sys.stdout = sys.stdout or sink
        sys.stderr = sys.stderr or sink


def _arguments() -> list:
    """The command line, less the process serial number (``-psn_0_123``) that old macOS Finders pass."""
    return [a for a in sys.argv[1:] if not a.startswith("-psn_")]


if __name__ == "__main__":
    _usable_streams()
    # The bundle leaves out hf_xet (Xet storage for large weight files; the app fetches config.json and header
    # ranges over plain HTTP): say so to huggingface_hub, which otherwise warns that it falls back to HTTP.
    os.environ.setdefault("HF_HUB_DISABLE_XET", "1")
    from llmplanner.__main__ import main

    sys.exit(main(_arguments()))
