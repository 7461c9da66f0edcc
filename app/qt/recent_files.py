"""What the main window remembers between runs (QSettings): its geometry and docks, the recent
files (File > Open recent) and the last folder of each file dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

MAX_RECENT = 10


class RecentFilesMixin:
    """Settings of a ``MainWindow`` (``self.settings``, ``self.recent_menu``, ``self.docks``)."""

    def _restore_settings(self) -> None:
        geo = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geo is not None:
            self.restoreGeometry(geo)
        else:
            self.resize(1500, 950)
        if state is not None:
            self.restoreState(state)
        else:  # first start: room for attribute values (ids are long) next to their names
            self.resizeDocks([self.docks["Attributes"]], [400], Qt.Orientation.Horizontal)

    def _save_settings(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def recent_files(self) -> list[str]:
        val = self.settings.value("recentFiles", [])
        if isinstance(val, str):
            val = [val]
        return [str(v) for v in (val or [])]

    def _add_recent(self, path: Path) -> None:
        items = [str(path.resolve())] + [p for p in self.recent_files() if p != str(path.resolve())]
        self.settings.setValue("recentFiles", items[:MAX_RECENT])
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for p in self.recent_files():
            act = menu.addAction(p)
            act.triggered.connect(lambda _c=False, p=p: self.open_files([p]))
        menu.setEnabled(bool(self.recent_files()))

    def _last_folder(self, kind: str) -> str:
        return str(self.settings.value(f"folders/{kind}", str(Path.home())))

    def _set_last_folder(self, kind: str, path: str) -> None:
        self.settings.setValue(f"folders/{kind}", str(Path(path).parent))
