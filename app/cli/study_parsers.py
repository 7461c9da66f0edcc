"""The CLI's words for study options: flags in place of the labels shared layers use in messages."""

from __future__ import annotations

from pathlib import Path

from citytwin.errors import CityTwinError, OptionError


def flag_words(command: str | None, names: dict[str, str]) -> dict[str, str]:
    """Option name -> CLI flag for the options a message names (``albedo`` -> ``--albedo``)."""
    words = {n: "--" + n.replace("_", "-") for n in names}
    if command:
        from citytwin.app.commands.studies import cli_flags

        words.update({n: f for n, f in cli_flags(command).items() if n in names})
    return words


def cli_message(exc: CityTwinError, command: str | None = None) -> str:
    """The text of ``exc`` for an ``error:`` line: options named by their flags."""
    names = getattr(exc, "names", None)
    if isinstance(exc, OptionError) or (names and hasattr(exc, "say")):
        return exc.say(flag_words(command, names))
    return str(exc)


def help_text(spec) -> str:
    """The CLI help of an option: its help and its default (argparse ``%`` escaped)."""
    text = spec.info.help
    d = spec.default
    if spec.kind == "bool" or d is None or spec.required or d == () or "default" in text:
        return text.replace("%%", "%").replace("%", "%%")
    if spec.kind == "months":
        shown = f"{d[0]}-{d[-1]}" if list(d) == list(range(d[0], d[-1] + 1)) else ",".join(map(str, d))
    elif isinstance(d, tuple):
        shown = ",".join(str(x) for x in d)
    else:
        shown = f"{d:g}" if isinstance(d, float) else str(d)
    if f"({shown}" in text:
        return text.replace("%%", "%").replace("%", "%%")
    return f"{text} ({shown})".replace("%%", "%").replace("%", "%%")


def add_option_arguments(parser, options_class: type, batch: bool = False) -> None:
    """One argument per option of ``options_class`` (``dest`` = the option's flat name, default
    None = the options' default); with ``batch`` only the options a batch takes."""
    import argparse
    from pathlib import Path

    from citytwin.analysis.options import option_specs

    groups: dict[str, argparse._MutuallyExclusiveGroup] = {}
    for spec in option_specs(options_class):
        info = spec.info
        if not info.cli or (batch and not info.batch):
            continue
        target = parser
        if info.group:
            if info.group not in groups:
                groups[info.group] = parser.add_mutually_exclusive_group()
            target = groups[info.group]
        kw: dict = {"dest": spec.name, "help": help_text(spec), "default": None}
        if spec.kind == "bool":
            kw["action"] = "store_true"
        else:
            if spec.kind == "float":
                kw["type"] = float
            elif spec.kind == "int":
                kw["type"] = int
            elif spec.kind == "path":
                kw["type"] = Path
            if info.choices and spec.kind == "text":
                kw["choices"] = info.choices
            if info.metavar:
                kw["metavar"] = info.metavar
            if spec.required:
                kw["required"] = True
        target.add_argument(spec.flag, **kw)


def options_from_args(options_class: type, args) -> object:
    """The options object of a command line (options not given keep their defaults)."""
    from citytwin.analysis.options import build_options, option_specs, parse_text

    values = {}
    for spec in option_specs(options_class):
        v = getattr(args, spec.name, None)
        if v is None or (spec.kind == "bool" and not v):
            continue
        if isinstance(v, str) and spec.kind not in ("text",):
            v = parse_text(options_class, spec.name, v)
        values[spec.name] = v
    return build_options(options_class, values)


def add_study_parser(sub, name: str, model_output: str, summary: bool = True):
    """The parser of ``citytwin <study> IN``: its options, its exporters (``--csv F`` ...), -o OUT,
    --assign-crs, --json-summary and --quiet."""
    from pathlib import Path

    from citytwin.app.commands.studies import study

    st = study(name)
    p = sub.add_parser(name, help=st.help, description=st.description)
    p.add_argument("input", type=Path)
    p.add_argument("-o", "--output", type=Path, help=f"write the model with {model_output}")
    for e in st.exporters:
        p.add_argument(f"--{e.name}", type=Path, help=e.help)
    if summary:
        p.add_argument("--json-summary", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--assign-crs", help="CRS of the input's coordinates: used when it declares none, and "
                   "replacing (with a warning) a CRS it declares")
    add_option_arguments(p, st.options_class())
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run_study(name: str, args, check=None) -> int:
    """Run study ``name`` on ``args.input``: load, run with a progress bar, write what was asked.

    ``check(options)`` may raise UsageError for a combination of outputs and options."""
    from citytwin.app.cli.analysis_output import print_summary_and_problems, save_model_with_results
    from citytwin.app.cli.progressbar import cli_progress
    from citytwin.app.commands.load import LoadParams, load_model
    from citytwin.app.commands.studies import export, study
    from citytwin.errors import UsageError

    st = study(name)
    wanted = [e.name for e in st.exporters if getattr(args, e.name, None)]
    if not (args.output or wanted or getattr(args, "json_summary", False)):
        outs = ", ".join(f"--{e.name}" for e in st.exporters)
        raise UsageError(f"nothing to write: give -o OUT and/or {outs}, --json-summary")
    if args.output is not None and Path(args.output).resolve() == Path(args.input).resolve():
        raise UsageError("the output would overwrite the input")
    opts = options_from_args(st.options_class(), args)
    if check is not None:
        check(opts)
    with cli_progress(name, not args.quiet) as prog:
        model = load_model(LoadParams(args.input, None, args.assign_crs), prog.sub(0, 0.1))
        res = st.run_function()(model, opts, prog.sub(0.1, 0.9), source_name=str(args.input))
        for e in wanted:
            export(name, e, res, getattr(args, e), model, title=f"{st.title} of {Path(args.input).name}")
        save_model_with_results(res, model, args.output)
        prog.update(1.0)
    print_summary_and_problems(res, model, args.json_summary)
    return 0
