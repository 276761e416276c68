"""The command line: ``llmplanner <command> ...``; scripts and tests rely on its contract.

Exit codes: 0 success; 2 bad input (one line on stderr naming the file/field, nothing on stdout);
1 an unexpected internal error (one line on stderr with the path of the written log).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ..core.errors import PlannerError
from .common import ArgumentError

#: Subcommand modules in ``llmplanner.cli``; each defines ``add_parser(subparsers)`` and ``run(args) -> int``.
COMMANDS = ("estimate", "fit", "presets", "detect", "check", "formats", "gpus", "sample")


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so every error is one line."""

    def error(self, message):  # noqa: D401 - argparse API
        command = self.prog.removeprefix("llmplanner").strip()
        raise ArgumentError(f"{command}: {message}" if command else message)


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(prog="llmplanner", description="Will this LLM run on my machine? Exact parameter counts, "
                     "memory, speed and sampling. Run without arguments to open the app.")
    parser.add_argument("--version", action="version", version=f"llmplanner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        return int(args.run(args) or 0)
    except PlannerError as e:
        print(f"llmplanner: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("llmplanner: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - the last line of defence: log it, say where
        from ..crashlog import write_crash_log

        path = write_crash_log(e)
        print(f"llmplanner: internal error: {type(e).__name__}: {e} (details in {path})", file=sys.stderr)
        return 1
