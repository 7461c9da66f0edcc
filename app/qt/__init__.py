"""citytwin.app.qt: the PySide6 desktop application (the only package that imports Qt).

``main_window`` (docks, menus, jobs), ``viewport`` (pyvistaqt), ``panels``, ``tree_model``,
``worker`` (QThread jobs with progress and Cancel), ``analysis`` (solar/shadow dialogs),
``actions`` (menus and toolbar from one table), ``safety`` (slots never raise), ``app`` (start).
"""
