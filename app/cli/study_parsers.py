"""The CLI's words for study options: flags in place of the labels shared layers use in messages."""

from __future__ import annotations

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
    if isinstance(exc, OptionError):
        return exc.say(flag_words(command, exc.names))
    return str(exc)
