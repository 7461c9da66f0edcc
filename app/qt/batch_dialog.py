"""Tools > Batch: ``citytwin batch`` from the desktop app, a dialog over a folder.

The dialog builds the same :class:`~citytwin.app.commands.batch.BatchParams` as the CLI (through
:mod:`~citytwin.app.commands.batch_options`) and runs
:func:`~citytwin.app.commands.batch.run_batch` in a :class:`~citytwin.app.qt.worker.Job` thread:
the progress bar counts files, each file's record (``on_record``, relayed to the GUI thread by a
Qt signal) fills the live table, Cancel stops the run (files not started are ``not-run``, the
Dask cluster the run started is closed, the report is written) and running it again skips every
file already done. At the end the summary, a link to ``OUTDIR/batch-report.json`` and a button
that opens the selected output in the viewer as a layer.

Every setting (inputs, output folder, operation, each page's options, where it runs), the size
and the splitter are remembered in the main window's settings (:mod:`~citytwin.app.qt.remember`)
when the dialog hides, a run starts or the window closes; Reset to defaults puts them back.

The dialog is non-modal; closing it cancels a running batch. The job is registered with the main
window's job runner, so the status-bar Cancel and closing the window stop it too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QFileDialog, QFormLayout,
                               QFrame, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QProgressBar, QPushButton, QScrollArea, QSpinBox, QSplitter, QStackedWidget,
                               QTableView, QVBoxLayout, QWidget)

from citytwin.app.commands.batch import COMMANDS, BatchResult
from citytwin.app.qt.batch_pages import PAGES, AnalysisPage, OptionsPage
from citytwin.app.qt.forms import row
from citytwin.app.qt.batch_table import BatchTableModel
from citytwin.app.qt.remember import FormMemory, mark_path
from citytwin.app.qt.safety import guarded, report
from citytwin.app.qt.worker import Job, JobRunner

if TYPE_CHECKING:  # pragma: no cover
    from citytwin.app.commands.batch import BatchParams
    from citytwin.app.qt.main_window import MainWindow

log = logging.getLogger("citytwin.gui")
RUN_MODES = ("local Dask cluster", "in this process (no Dask)", "existing Dask scheduler")


class BatchJob(Job):
    """A batch run in a worker thread; ``record`` carries each file's FileRecord to the GUI thread."""

    record = Signal(object)

    def __init__(self, params: "BatchParams", parent=None) -> None:
        super().__init__(f"batch {params.command}", self._run, parent)
        self.params = params

    def _run(self, progress) -> BatchResult:
        from citytwin.app.commands.batch import run_batch

        return run_batch(self.params, progress, on_record=self.record.emit)


class BatchDialog(QDialog):
    """Choose an operation, inputs, an output folder and options; run; watch; open the results.

    Signals
    -------
    file_done(record: FileRecord) -- a file finished or was skipped (GUI thread, after the table row)
    run_finished(status: str) -- "ok", "partial" (some files failed), "cancelled" or "failed"
    """

    file_done = Signal(object)
    run_finished = Signal(str)

    def __init__(self, window: "MainWindow | None" = None) -> None:
        super().__init__(window)
        self.setWindowTitle("Batch")
        self.setObjectName("batchDialog")
        self.window_ = window
        self.runner: JobRunner = getattr(window, "runner", None) or JobRunner(self)
        self.job: BatchJob | None = None
        self._thread_done = True
        self.result: BatchResult | None = None
        self.report_path: Path | None = None
        self._cluster_info: dict[str, Any] = {}

        # -- what ---------------------------------------------------------------------------------
        self.command = QComboBox()
        self.command.setObjectName("batchCommand")
        self.command.addItems(list(COMMANDS))
        self.inputs = QListWidget()
        self.inputs.setObjectName("batchInputs")
        self.inputs.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.inputs.setMaximumHeight(90)
        mark_path(self.inputs, "path")
        add_folder, add_files, remove = QPushButton("Add folder..."), QPushButton("Add files..."), QPushButton("Remove")
        add_folder.clicked.connect(self._add_folder)
        add_files.clicked.connect(self._add_files)
        remove.clicked.connect(self._remove_inputs)
        in_buttons = QVBoxLayout()
        for b in (add_folder, add_files, remove):
            in_buttons.addWidget(b)
        in_buttons.addStretch(1)
        in_row = QHBoxLayout()
        in_row.addWidget(self.inputs, 1)
        in_row.addLayout(in_buttons)
        self.pattern = QLineEdit()
        self.pattern.setObjectName("batchPattern")
        self.pattern.setPlaceholderText("optional glob inside each folder: *.city.json, **/*.gml (sub-folders) "
                                        "- empty: every file a reader knows, sub-folders too")
        self.outdir = QLineEdit()
        self.outdir.setObjectName("batchOutdir")
        self.outdir.setPlaceholderText("outputs mirror the input names; the report is batch-report.json")
        mark_path(self.outdir, "output")
        browse_out = QPushButton("Browse...")
        browse_out.clicked.connect(self._browse_outdir)
        out_row = QHBoxLayout()
        out_row.addWidget(self.outdir, 1)
        out_row.addWidget(browse_out)
        what = QFormLayout()
        what.addRow("Operation", self.command)
        what.addRow("Inputs (folders, files)", in_row)
        what.addRow("Pattern", self.pattern)
        what.addRow("Output folder", out_row)

        # -- options of the operation -------------------------------------------------------------
        self.pages: dict[str, OptionsPage] = {}
        self.stack = QStackedWidget()
        for name in COMMANDS:
            page = PAGES[name]()
            self.pages[name] = page
            self.stack.addWidget(page)
        self.command.currentTextChanged.connect(self._command_changed)
        self._show_page(self.command.currentText())
        opts_box = QGroupBox("Options")
        QVBoxLayout(opts_box).addWidget(self.stack)

        # -- where it runs ------------------------------------------------------------------------
        self.mode = QComboBox()
        self.mode.setObjectName("batchMode")
        self.mode.addItems(RUN_MODES)
        self.workers = QSpinBox()
        self.workers.setObjectName("batchWorkers")
        self.workers.setRange(1, 512)
        self.workers.setValue(os.cpu_count() or 1)
        self.workers.setPrefix("workers: ")
        self.scheduler = QLineEdit()
        self.scheduler.setObjectName("batchScheduler")
        self.scheduler.setPlaceholderText("tcp://HOST:8786")
        self.memory_limit = QLineEdit("auto")
        self.memory_limit.setObjectName("batchMemoryLimit")
        self.memory_limit.setToolTip("memory per local worker, e.g. 4GiB (auto: the machine's memory / workers)")
        self.retries = QSpinBox()
        self.retries.setRange(0, 10)
        self.retries.setValue(1)
        self.retries.setPrefix("retries: ")
        self.force = QCheckBox("redo files that are up to date")
        self.force.setObjectName("batchForce")
        where = QFormLayout()
        where.addRow("Run on", self.mode)
        where.addRow("", row(self.workers, self.scheduler))
        where.addRow("Memory per worker", row(self.memory_limit, self.retries))
        where.addRow("", self.force)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._mode_changed()

        # -- the run ------------------------------------------------------------------------------
        self.progress = QProgressBar()
        self.progress.setObjectName("batchProgress")
        self.progress.setRange(0, 1000)
        self.progress.setFormat("%p%")
        self.status = QLabel("")
        self.status.setObjectName("batchStatus")
        self.table_model = BatchTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("batchTable")
        self.table.setModel(self.table_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        for col, mode in enumerate([QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.ResizeToContents,
                                    QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.ResizeToContents,
                                    QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Stretch]):
            hh.setSectionResizeMode(col, mode)
        hh.resizeSection(0, 220)
        hh.resizeSection(4, 120)
        self.table.doubleClicked.connect(lambda _i: self.open_selected_output())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.failed_only = QCheckBox("failed only")
        self.failed_only.setObjectName("batchFailedOnly")
        self.failed_only.toggled.connect(lambda _on: self._filter_rows())
        self.table_model.modelReset.connect(self._filter_rows)
        self.summary = QLabel("")
        self.summary.setObjectName("batchSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.summary.setOpenExternalLinks(True)

        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("batchRun")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("batchCancel")
        self.report_button = QPushButton("Open report")
        self.report_button.setObjectName("batchOpenReport")
        self.open_button = QPushButton("Open output in viewer")
        self.open_button.setObjectName("batchOpenOutput")
        self.reset_button = QPushButton("Reset to defaults")
        self.reset_button.setObjectName("batchReset")
        self.reset_button.setToolTip("every setting back to its default (the run table stays)")
        close = QPushButton("Close")
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.report_button.clicked.connect(self.open_report)
        self.open_button.clicked.connect(self.open_selected_output)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.cancel_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.report_button, self.open_button, close):
            buttons.addWidget(b)

        settings = QWidget()
        sl = QVBoxLayout(settings)
        sl.setContentsMargins(0, 0, 6, 0)
        sl.addLayout(what)
        sl.addWidget(opts_box)
        sl.addLayout(where)
        sl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        run_panel = QWidget()
        bl = QVBoxLayout(run_panel)
        bl.setContentsMargins(6, 0, 0, 0)
        bl.addWidget(row(self.progress, self.status, self.failed_only))
        bl.addWidget(self.table, 1)
        bl.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("batchSplit")
        split.addWidget(scroll)
        split.addWidget(run_panel)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([520, 880])
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addLayout(buttons)
        self.resize(1400, 800)
        self._update_buttons()
        # every field, the geometry and the splitter, remembered in the main window's settings
        self.memory: FormMemory | None = None
        settings = getattr(window, "settings", None)
        if settings is not None:
            # "failed only" filters the results shown, it is no setting of a run: not remembered
            self.memory = FormMemory(self, settings, "dialogs/batch", skip=("batchFailedOnly",))
            self.memory.restore()
        self.reset_button.clicked.connect(self.reset_settings)
        self.reset_button.setEnabled(self.memory is not None)

    # -- inputs -----------------------------------------------------------------------------------
    def set_inputs(self, paths: list[str | Path]) -> None:
        """Replace the input list (folders and files)."""
        self.inputs.clear()
        for p in paths:
            self.inputs.addItem(str(p))

    def input_paths(self) -> list[str]:
        return [self.inputs.item(i).text() for i in range(self.inputs.count())]

    def resolved_inputs(self) -> list[str]:
        """The INPUTS of the run: with a pattern, each folder becomes ``folder/pattern`` (a glob)."""
        pat = self.pattern.text().strip()
        out = []
        for p in self.input_paths():
            out.append(str(Path(p) / pat) if pat and Path(p).is_dir() else p)
        return out

    @guarded
    def reset_settings(self) -> None:
        """Every setting back to its default (the remembered ones are forgotten)."""
        if self.memory is not None:
            self.memory.reset()

    @guarded
    def _add_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Input folder", self._start_folder())
        if d:
            self.inputs.addItem(d)

    @guarded
    def _add_files(self) -> None:
        from citytwin.io.registry import readable_formats

        known = " ".join(sorted({"*" + e for s in readable_formats() for e in s.extensions}))
        files, _ = QFileDialog.getOpenFileNames(self, "Input files", self._start_folder(),
                                                f"All known formats ({known});;All files (*)")
        for f in files:
            self.inputs.addItem(f)

    @guarded
    def _remove_inputs(self) -> None:
        for it in self.inputs.selectedItems():
            self.inputs.takeItem(self.inputs.row(it))

    @guarded
    def _browse_outdir(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Output folder", self.outdir.text() or self._start_folder())
        if d:
            self.outdir.setText(d)

    def _start_folder(self) -> str:
        paths = self.input_paths()
        return str(Path(paths[-1]).parent) if paths else str(Path.home())

    def set_command(self, name: str) -> OptionsPage:
        """Choose the operation; returns its options page."""
        self.command.setCurrentText(name)
        return self.pages[name]

    def _command_changed(self, name: str) -> None:
        self._show_page(name)
        self._update_buttons()

    def _show_page(self, name: str) -> None:
        from PySide6.QtWidgets import QSizePolicy

        for n, page in self.pages.items():  # the stack takes the height of the shown page only
            p = QSizePolicy.Policy.Preferred if n == name else QSizePolicy.Policy.Ignored
            page.setSizePolicy(p, p)
        self.stack.setCurrentWidget(self.pages[name])
        self.stack.adjustSize()

    def set_mode(self, mode: str, workers: int | None = None, scheduler: str | None = None) -> None:
        """``mode`` is one of :data:`RUN_MODES` or "local", "inline", "scheduler"."""
        short = {"local": 0, "inline": 1, "scheduler": 2}
        self.mode.setCurrentIndex(short[mode] if mode in short else RUN_MODES.index(mode))
        if workers is not None:
            self.workers.setValue(workers)
        if scheduler is not None:
            self.scheduler.setText(scheduler)

    def _mode_changed(self) -> None:
        i = self.mode.currentIndex()
        self.workers.setVisible(i == 0)
        self.memory_limit.setEnabled(i == 0)
        self.scheduler.setVisible(i == 2)

    # -- the run ----------------------------------------------------------------------------------
    def params(self) -> "BatchParams":
        """The BatchParams of the dialog's settings (as ``citytwin batch`` builds them).

        Raises
        ------
        UsageError : a bad option (message names it)
        """
        from citytwin.app.commands.batch_options import batch_params
        from citytwin.errors import UsageError

        cmd = self.command.currentText()
        page = self.pages[cmd]
        mode = self.mode.currentIndex()
        workers = self.workers.value() if mode == 0 else (0 if mode == 1 else None)
        scheduler = self.scheduler.text().strip() or None
        if mode == 2 and not scheduler:
            raise UsageError("give the address of the Dask scheduler (tcp://HOST:PORT)")
        return batch_params(cmd, self.resolved_inputs(), self.outdir.text().strip(), page.options(),
                            workers=workers, scheduler=scheduler if mode == 2 else None,
                            memory_limit=self.memory_limit.text(), force=self.force.isChecked(),
                            context_buffer=page.context_buffer.value() if isinstance(page, AnalysisPage) else 100.0,
                            retries=self.retries.value())

    @property
    def running(self) -> bool:
        """A run was started and its thread's ``finished`` has not reached the GUI thread yet."""
        return self.job is not None and not self._thread_done

    def _on_thread_finished(self) -> None:
        self._thread_done = True
        self._update_buttons()

    @guarded
    def start(self) -> BatchJob | None:
        """Check the settings on this thread (a bad folder gives a message box), then run in a worker."""
        from citytwin.app.commands.batch import prepare_outdir
        from citytwin.app.commands.batch_inputs import expand_inputs

        if self.running:
            return None
        params = self.params()
        if self.memory is not None:  # the settings of a run are kept even if the app stops during it
            self.memory.save()
        prepare_outdir(params.outdir)
        inputs = expand_inputs(list(params.inputs), params.outdir)
        if not inputs:
            from citytwin.errors import InputError

            raise InputError(", ".join(params.inputs), "no city model files found")
        self.table_model.reset_inputs([i.path for i in inputs])
        self.result = None
        self.report_path = Path(params.outdir) / "batch-report.json"
        self.progress.setValue(0)
        self.summary.setText("")
        self.status.setText(f"{len(inputs)} files")
        if params.workers != 0 and params.scheduler is None:
            preset_dask_environ()
        job = BatchJob(params, self)
        job.record.connect(self._on_record)
        job.progressed.connect(self._on_progress)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.finished.connect(self._on_thread_finished)
        if self.window_ is not None:
            job.progressed.connect(self.window_._on_progress)
        self.job, self._thread_done = job, False
        log.info("batch %s: %d files -> %s (%s)", params.command, len(inputs), params.outdir,
                 self.mode.currentText())
        self.runner.start(job)
        self._update_buttons()
        return job

    @guarded
    def cancel(self) -> None:
        if self.running:
            self.job.cancel()
            self.status.setText("cancelling (the files being processed finish or stop, then the cluster closes)")
            self.cancel_button.setEnabled(False)

    def _on_record(self, rec) -> None:
        row = self.table_model.set_record(rec)
        self._filter_rows([row])
        self.file_done.emit(rec)

    def _filter_rows(self, rows: list[int] | None = None) -> None:
        """With "failed only", hide every row whose file did not fail."""
        only = self.failed_only.isChecked()
        recs = self.table_model.records
        for i in range(len(recs)) if rows is None else rows:
            self.table.setRowHidden(i, only and recs[i].status != "failed")

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(round(fraction * 1000)))
        if message:
            self.status.setText(message)

    @guarded
    def _on_succeeded(self, res: BatchResult) -> None:
        self.result = res
        for r in res.report.files:  # the report is the truth: rows agree with it
            self.table_model.set_record(r)
        self._filter_rows()
        self.report_path = res.report_path
        self.progress.setValue(1000)
        self._show_summary(res.report.summary_lines(max_errors=3))
        status = "partial" if res.report.failed else "ok"
        log.info("batch %s finished: %s", res.report.command, res.report.summary_lines(0)[0])
        self.run_finished.emit(status)

    @guarded
    def _on_failed(self, exc: BaseException) -> None:
        self.status.setText("failed")
        self._show_summary([f"the batch stopped: {exc}"], link=self.report_path is not None
                           and self.report_path.exists())
        report(exc, self, "Batch")
        self.run_finished.emit("failed")

    @guarded
    def _on_cancelled(self) -> None:
        self.table_model.mark_not_run()
        c = self.table_model.status_counts()
        self._show_summary([f"cancelled: {c.get('ok', 0)} done, {c.get('skipped', 0)} up to date, "
                            f"{c.get('failed', 0)} failed, {c.get('not-run', 0)} not run. Run again to go on: "
                            "files already done are skipped."], link=self.report_path is not None
                           and self.report_path.exists())
        self.status.setText("cancelled")
        log.info("batch cancelled: %s", self.summary.text().split("<br>")[0])
        self.run_finished.emit("cancelled")

    def _show_summary(self, lines: list[str], link: bool = True) -> None:
        from html import escape

        html = "<br>".join(escape(s) for s in lines)
        if link and self.report_path is not None:
            url = QUrl.fromLocalFile(str(self.report_path.resolve())).toString()
            html += f'<br>Report: <a href="{url}">{escape(str(self.report_path))}</a>'
        self.summary.setText(html)
        self._update_buttons()

    def _update_buttons(self) -> None:
        run = self.running
        self.run_button.setEnabled(not run)
        self.cancel_button.setEnabled(run)
        self.report_button.setEnabled(not run and self.report_path is not None and self.report_path.exists())
        self.open_button.setEnabled(self.selected_output() is not None)

    # -- results ----------------------------------------------------------------------------------
    @guarded
    def open_report(self) -> QUrl | None:
        """Open OUTDIR/batch-report.json with the desktop's viewer for JSON."""
        if self.report_path is None or not self.report_path.exists():
            return None
        url = QUrl.fromLocalFile(str(self.report_path.resolve()))
        if not QDesktopServices.openUrl(url):
            log.warning("no application opens %s; the report is at %s", url.toString(), self.report_path)
        return url

    def selected_output(self) -> Path | None:
        """The model output of the selected row when it was written (ok or skipped), else None."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or self.job is None or self.job.params.command == "info":
            return None
        rec = self.table_model.records[rows[0].row()]
        if rec.status not in ("ok", "skipped") or not rec.outputs:
            return None
        p = Path(rec.outputs[0])
        return p if p.exists() else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    @guarded
    def open_selected_output(self) -> Path | None:
        """Open the selected row's output in the main window as a layer."""
        p = self.selected_output()
        if p is None or self.window_ is None:
            return None
        self.window_.open_files([p])
        return p

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self.running:
            log.info("Batch dialog closed: cancelling the running batch")
            self.job.cancel()
        event.accept()


def preset_dask_environ() -> dict[str, str]:
    """Set, on the GUI thread, the environment variables a Dask Nanny sets when it starts a worker.

    A LocalCluster's nannies set ``__DASK_PARENT_PID`` and ``distributed.nanny.pre-spawn-environ``
    (``OMP_NUM_THREADS``, ``MALLOC_TRIM_THRESHOLD_``, ``PYTHONHASHSEED``...) in this process, from
    Dask's event-loop thread. Adding a variable reallocates the C environment, and a thread reading
    it at that moment (Qt, VTK and fontconfig call ``getenv`` on the GUI thread) crashes: seen as a
    segfault in ``setenv`` under load. Set here first, the nannies' calls only replace values in
    place, which is safe. Returns the variables set.
    """
    import dask
    import distributed  # noqa: F401 - loads distributed's configuration defaults

    cfg = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    env = {k: os.environ.get(k, str(v)) for k, v in cfg.items() if v is not None}
    if env.get("PYTHONHASHSEED") in (None, "0"):
        env["PYTHONHASHSEED"] = "6640"  # what Nanny.__init__ uses
    env["__DASK_PARENT_PID"] = str(os.getpid())
    for k, v in env.items():
        if os.environ.get(k) != v:
            os.environ[k] = v
    return env


def show_batch_dialog(window: "MainWindow") -> BatchDialog:
    """Show the window's Batch dialog (one per window, kept between runs)."""
    dlg = window.findChild(BatchDialog, "batchDialog")
    if dlg is None:
        dlg = BatchDialog(window)
    dlg.show()
    dlg.raise_()
    dlg.activateWindow()
    return dlg
