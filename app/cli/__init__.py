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
    parser.add_argument("--max-memory", metavar="SIZE",
                        help="largest input read into memory, and decompressed-size cap (e.g. 4G; default: "
                        "half the machine's memory; also CITYTWIN_MAX_MEMORY); a bigger file stops with one error")
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
        from citytwin.io.ifc import worker as ifc_worker

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


def _study_of(args) -> str | None:
    """The study a command line runs (``solar``, ``batch shadow``: ``shadow``), for the option words."""
    if args.command == "batch":
        return getattr(args, "batch_command", None)
    return args.command


def _main(argv: list[str] | None) -> int:
    from citytwin.errors import (Cancelled, CityTwinError, InputError, MissingDependencyError,
                                 OutputError, UsageError)

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    if getattr(args, "max_memory", None):
        import os

        from citytwin.io.safe_io import parse_size

        try:
            parse_size(args.max_memory)
        except ValueError:
            print(f"error: --max-memory {args.max_memory!r} is not a size (e.g. 4G, 512M)", file=sys.stderr)
            return EXIT_USAGE
        os.environ["CITYTWIN_MAX_MEMORY"] = args.max_memory  # read by citytwin.io.safe_io (and workers)
    _exit_on_sigterm()
    mod = importlib.import_module(COMMANDS[args.command])
    try:
        return int(mod.run(args) or 0)
    except UsageError as exc:
        from citytwin.app.cli.study_parsers import cli_message

        print(f"error: {cli_message(exc, _study_of(args))}", file=sys.stderr)
        return EXIT_USAGE
    except (InputError, OutputError, MissingDependencyError) as exc:
        from citytwin.app.cli.study_parsers import cli_message

        print(f"error: {cli_message(exc, _study_of(args))}", file=sys.stderr)
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
        print(f"error: {_input_name(args)}out of memory (a bigger --max-memory will not help: the machine "
              "has no more; split the file or use a machine with more memory)", file=sys.stderr)
        return EXIT_INPUT
    except RecursionError:
        print(f"error: {_input_name(args)}nested too deeply to be read", file=sys.stderr)
        return EXIT_INPUT


def _input_name(args) -> str:
    """``"FILE: "`` for the input of a command (for errors that have no file of their own)."""
    for key in ("input", "file", "inputs", "base"):
        v = getattr(args, key, None)
        if isinstance(v, (list, tuple)):
            v = v[0] if len(v) == 1 else None
        if v:
            return f"{v}: "
    return ""


def _exit_on_sigterm() -> None:
    """SIGTERM becomes SystemExit(143) in the main thread, so ``finally`` blocks and the atomic
    writers' clean-up run (a default SIGTERM would leave ``.part`` files behind)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def _term(signum, frame):
        print("error: terminated (SIGTERM); nothing half-written was left", file=sys.stderr)
        raise SystemExit(143)

    try:
        signal.signal(signal.SIGTERM, _term)
    except (ValueError, OSError):
        pass
