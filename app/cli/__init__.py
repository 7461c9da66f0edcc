"""The ``citytwin`` command-line interface (Qt-free, VTK-free).

Each sub-command is a module in this package with ``add_parser(subparsers)`` and
``run(args) -> int``; they are imported lazily, so ``citytwin --help`` stays fast and never
imports Qt or VTK. Exit codes: 0 success, 1 bad input (one ``error:`` line on stderr naming
the file and the place), 2 usage error, 3 some files of a batch failed, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Sub-command name -> module in citytwin.app.cli (add a line here for a new command).
COMMANDS: dict[str, str] = {
    "info": "citytwin.app.cli.info",
    "convert": "citytwin.app.cli.convert",
    "demo": "citytwin.app.cli.demo",
    "gui": "citytwin.app.cli.gui",
    "solar": "citytwin.app.cli.solar",
    "shadow": "citytwin.app.cli.shadow",
    "svf": "citytwin.app.cli.svf",
    "fuse": "citytwin.app.cli.fuse",
    "batch": "citytwin.app.cli.batch",
}

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with one line
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    from citytwin import __version__

    parser = _Parser(prog="citytwin", description="Workbench for 3D city models: convert, inspect, "
                     "fuse and analyse CityJSON, CityGML, IFC and meshes.")
    parser.add_argument("--version", action="version", version=f"citytwin {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, modname in COMMANDS.items():
        mod = importlib.import_module(modname)
        mod.add_parser(sub)
    return parser


#: Exit code after the reader of stdout went away (``citytwin info F | head``): 128 + SIGPIPE.
EXIT_BROKEN_PIPE = 141


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code.

    When stdout is a pipe whose reader quits early (``| head``), the rest of the output is sent to
    /dev/null (so the interpreter's final flush cannot fail again) and the exit code is 141, quietly,
    as a command killed by SIGPIPE would give.
    """
    if argv is None and sys.argv[1:2] == ["--citytwin-ifc-worker"]:  # a frozen build's IFC worker
        from citytwin.io import ifc_worker

        if ifc_worker.run_if_requested(sys.argv):
            return EXIT_OK
    try:
        return _main(argv)
    except BrokenPipeError:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None) -> int:
    from citytwin.errors import (Cancelled, CityTwinError, InputError, MissingDependencyError,
                                 OutputError, UsageError)

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    mod = importlib.import_module(COMMANDS[args.command])
    try:
        return int(mod.run(args) or 0)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (InputError, OutputError, MissingDependencyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except Cancelled:
        print("error: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except CityTwinError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except MemoryError:
        print("error: out of memory", file=sys.stderr)
        return EXIT_INPUT
