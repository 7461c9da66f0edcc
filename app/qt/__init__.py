"""citytwin.app.qt: the PySide6 desktop application (the only package that imports Qt).

It shows a :class:`~citytwin.app.session.Session` and forwards what the person does to it.
``main_window`` (the window, its layers and jobs), ``window_layout`` (docks, status bar),
``file_actions`` (File/Help menus), ``layer_actions`` (Layer/View menus, Layers panel),
``selection`` (picking, tree, attribute table), ``recent_files`` (settings), ``viewport``
(pyvistaqt), ``panels``, ``tree_model``, ``attribute_table``, ``worker`` (QThread jobs with progress
and Cancel), ``analysis`` (study dialogs and their results), ``fusion``, ``batch_dialog``,
``actions`` (menus and toolbar from one table), ``safety`` (slots never raise), ``app`` (start).
"""
