"""citytwin.app.commands: typed, Qt-free operations shared by the CLI and the GUI.

The studies' registry is :mod:`~citytwin.app.commands.studies` (name -> options, run, exporters);
the study commands (``solar``, ``shadow``, ``svf``) are progress glue over :mod:`citytwin.analysis`.
"""
