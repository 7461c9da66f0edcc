"""Analysis dialogs (solar potential, shadow study): placeholder until app.commands.solar lands."""

from __future__ import annotations


def open_solar_dialog(window) -> None:
    from citytwin.errors import MissingDependencyError

    raise MissingDependencyError("the solar analysis (citytwin.app.commands.solar) is not available yet")


def open_shadow_dialog(window) -> None:
    from citytwin.errors import MissingDependencyError

    raise MissingDependencyError("the shadow study (citytwin.app.commands.shadow) is not available yet")
