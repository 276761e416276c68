"""The main window: the model picker above the tabs, menus, the status bar, files, drops and notices.

It owns no numbers: the ``PlanController`` holds the plan, the tabs compute. The window connects them —
``controller.state_changed`` → every tab's ``show_state``, every tab's ``plan_edited`` →
``controller.set_plan`` — and handles what belongs to the whole app: plan files, recent files, export,
language, drag and drop, the autosaved plan offered back after a crash.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..autosave import RecoveredPlan, discard_recovered
from ..core.errors import PlannerError
from ..core.plan import PLAN_SUFFIX, ModelSource
from .about import AboutDialog
from .controller import PlanController, PlanState
from .export import export_charts, export_csv, export_markdown
from .i18n import LANGUAGES
from .model_picker import ModelPicker, is_plan_file, source_for_path
from .qt import QtCore, QtGui, QtWidgets, Signal, Slot
from .settings import Settings
from .tabs import PlanTab, registered_tabs
from .widgets import NoticeBar


class MainWindow(QtWidgets.QMainWindow):
    language_change_requested = Signal(str)
    """The user picked a language in View ▸ Language (``system``, ``en``, ``zh_CN``)."""

    def __init__(self, controller: PlanController, settings: Settings, *, tab_classes=None,
                 parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self._activities: dict[int, str] = {}
        self._retiring = False
        self.setObjectName("main_window")
        self.setAcceptDrops(True)
        self.setWindowIcon(QtGui.QIcon.fromTheme("accessories-calculator"))

        self.picker = ModelPicker()
        self.picker.model_chosen.connect(self._on_picker_model_chosen)
        toolbar = QtWidgets.QToolBar(self.tr("Model"))
        toolbar.setObjectName("model_toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.addWidget(self.picker)
        self.addToolBar(QtCore.Qt.ToolBarArea.TopToolBarArea, toolbar)

        self.recovery_bar = NoticeBar()
        self.recovery_bar.setObjectName("recovery_bar")
        self.notice_bar = NoticeBar()
        self.tabs_widget = QtWidgets.QTabWidget()
        self.tabs_widget.setObjectName("tabs")
        self.tabs: list[PlanTab] = []
        for cls in (tab_classes if tab_classes is not None else registered_tabs()):
            tab = cls(settings=settings)
            tab.plan_edited.connect(self._on_tab_plan_edited)
            tab.activity_changed.connect(self._on_activity_changed)
            self.tabs.append(tab)
            self.tabs_widget.addTab(tab, cls.title())
        central = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.addWidget(self.recovery_bar)
        layout.addWidget(self.notice_bar)
        layout.addWidget(self.tabs_widget, 1)
        self.setCentralWidget(central)

        self.activity = QtWidgets.QLabel(self.tr("Ready"))
        self.activity.setObjectName("activity")
        self.statusBar().addWidget(self.activity, 1)
        self.path_label = QtWidgets.QLabel()
        self.statusBar().addPermanentWidget(self.path_label)

        self._build_menus()
        controller.state_changed.connect(self._on_controller_state_changed)
        controller.model_load_failed.connect(self._on_controller_model_load_failed)
        controller.document_changed.connect(self._on_controller_document_changed)
        controller.activity_changed.connect(self._on_activity_changed)

        self._restore_window()
        self._on_controller_document_changed()
        if controller.state is not None:
            self._on_controller_state_changed(controller.state)
        else:
            controller.refresh()

    # -- menus -------------------------------------------------------------------------------------------------
    def _action(self, menu: QtWidgets.QMenu, text: str, slot, shortcut=None, tip: str = "") -> QtGui.QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self._action(file_menu, self.tr("&New plan"), self.new_plan, QtGui.QKeySequence.StandardKey.New,
                     self.tr("Start again from the default plan."))
        self._action(file_menu, self.tr("&Open plan…"), self.open_plan_dialog, QtGui.QKeySequence.StandardKey.Open,
                     self.tr("Open a saved .llmplan file."))
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, self.tr("&Save plan"), self.save_plan,
                                        QtGui.QKeySequence.StandardKey.Save, self.tr("Save the plan to its file."))
        self._action(file_menu, self.tr("Save plan &as…"), self.save_plan_as_dialog,
                     QtGui.QKeySequence.StandardKey.SaveAs, self.tr("Save the plan to a new file."))
        file_menu.addSeparator()
        export = file_menu.addMenu(self.tr("&Export report"))
        self._action(export, self.tr("&Markdown…"), self.export_markdown_dialog,
                     tip=self.tr("Everything the tabs show, as a Markdown document."))
        self._action(export, self.tr("&CSV…"), self.export_csv_dialog,
                     tip=self.tr("Every table as one CSV file (section, table, row, column, value)."))
        self._action(export, self.tr("Chart &images (PNG)…"), self.export_charts_dialog,
                     tip=self.tr("Each chart as a PNG file in a folder."))
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QtGui.QKeySequence.StandardKey.Quit)

        view = bar.addMenu(self.tr("&View"))
        self._action(view, self.tr("Find a &model"), self.picker.focus_search, "Ctrl+L",
                     self.tr("Jump to the model search box."))
        view.addSeparator()
        for i, tab in enumerate(self.tabs):
            action = self._action(view, tab.title(), self._on_view_tab_triggered, f"Ctrl+{i + 1}")
            action.setData(i)
        view.addSeparator()
        language = view.addMenu(self.tr("&Language"))
        group = QtGui.QActionGroup(self)
        current = self.settings.language
        for code, name in [("system", self.tr("System language"))] + list(LANGUAGES.items()):
            action = language.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            group.addAction(action)
            action.triggered.connect(self._on_language_action_triggered)

        help_menu = bar.addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&About llmplanner"), self.show_about)
        self._action(help_menu, self.tr("Open the &log folder"), self._on_open_log_folder_triggered,
                     tip=self.tr("Where unexpected errors are written."))

    # -- controller → window ----------------------------------------------------------------------------------
    @Slot(object)
    def _on_controller_state_changed(self, state: PlanState) -> None:
        self.picker.show_model(state.plan.model, state.model)
        for tab in self.tabs:
            tab.show_state(state)
        self._update_title()

    @Slot(str)
    def _on_controller_model_load_failed(self, message: str) -> None:
        self.picker.show_error(message)
        self.statusBar().showMessage(message, 8000)

    @Slot()
    def _on_controller_document_changed(self) -> None:
        self.setWindowModified(self.controller.is_modified)
        path = self.controller.path
        self.path_label.setText(Path(path).name if path else self.tr("not saved"))
        self.path_label.setToolTip(path or "")
        self._update_title()

    def _update_title(self) -> None:
        self.setWindowTitle(self.tr("{0}[*] — llmplanner").format(self.controller.plan.title))

    @Slot(str)
    def _on_activity_changed(self, text: str) -> None:
        key = id(self.sender())
        if text:
            self._activities[key] = text
        else:
            self._activities.pop(key, None)
        self.activity.setText(next(iter(self._activities.values()), self.tr("Ready")))

    # -- tabs → controller ------------------------------------------------------------------------------------
    @Slot(object)
    def _on_tab_plan_edited(self, plan) -> None:
        self.controller.set_plan(plan)

    @Slot(object)
    def _on_picker_model_chosen(self, source: ModelSource) -> None:
        self.controller.set_plan(self.controller.plan.replace(model=source))

    def tab(self, tab_id: str) -> PlanTab | None:
        return next((t for t in self.tabs if t.tab_id == tab_id), None)

    def set_current_tab(self, tab_id: str) -> None:
        tab = self.tab(tab_id)
        if tab is not None:
            self.tabs_widget.setCurrentWidget(tab)

    @Slot()
    def _on_view_tab_triggered(self) -> None:
        self.tabs_widget.setCurrentIndex(self.sender().data())

    # -- files --------------------------------------------------------------------------------------------------
    def _plan_filter(self) -> str:
        return self.tr("llmplanner plans (*{0});;All files (*)").format(PLAN_SUFFIX)

    def _start_dir(self) -> str:
        path = self.controller.path or (self.settings.recent_files or [""])[0]
        return str(Path(path).parent) if path else str(Path.home())

    def _ask_to_keep_changes(self) -> bool:
        """True when it is fine to replace the current plan (saved, discarded, or nothing to lose)."""
        if not self.controller.is_modified or not self.settings.confirm_unsaved_close:
            return True
        answer = QtWidgets.QMessageBox.question(
            self, self.tr("Unsaved changes"),
            self.tr("The plan “{0}” has unsaved changes. Save them first?").format(self.controller.plan.title),
            QtWidgets.QMessageBox.StandardButton.Save | QtWidgets.QMessageBox.StandardButton.Discard
            | QtWidgets.QMessageBox.StandardButton.Cancel, QtWidgets.QMessageBox.StandardButton.Save)
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            return self.save_plan()
        return answer == QtWidgets.QMessageBox.StandardButton.Discard

    def new_plan(self) -> None:
        if self._ask_to_keep_changes():
            self.controller.new_plan()
            self.notice_bar.dismiss()

    def open_plan_dialog(self) -> None:
        if not self._ask_to_keep_changes():
            return
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, self.tr("Open a plan"), self._start_dir(),
                                                        self._plan_filter())
        if path:
            self.open_plan_file(path)

    def open_plan_file(self, path: str) -> bool:
        """Open ``path``; a file that cannot be read leaves the current plan and says why."""
        try:
            loaded = self.controller.open_plan(path)
        except PlannerError as e:
            self.show_notice(self.tr("The plan could not be opened: {0}").format(e))
            self.settings.remove_recent_file(str(Path(path).absolute()))
            return False
        self.settings.add_recent_file(path)
        self.settings.last_plan = str(Path(path).absolute())
        if loaded.notices:
            self.show_notice(self.tr("The plan was opened, with these changes:") + "<ul>" + "".join(
                f"<li>{_escape(n)}</li>" for n in loaded.notices) + "</ul>")
        else:
            self.notice_bar.dismiss()
        self.statusBar().showMessage(self.tr("Opened {0}").format(path), 5000)
        return True

    def save_plan(self) -> bool:
        if not self.controller.path:
            return self.save_plan_as_dialog()
        return self.save_plan_to(self.controller.path)

    def save_plan_as_dialog(self) -> bool:
        suggested = str(Path(self._start_dir()) / (_safe_name(self.controller.plan.title) + PLAN_SUFFIX))
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, self.tr("Save the plan"), suggested,
                                                        self._plan_filter())
        if not path:
            return False
        if not path.lower().endswith(PLAN_SUFFIX):
            path += PLAN_SUFFIX
        return self.save_plan_to(path)

    def save_plan_to(self, path: str) -> bool:
        try:
            written = self.controller.save_plan(path)
        except PlannerError as e:
            self.show_notice(self.tr("The plan could not be saved: {0}").format(e))
            return False
        self.settings.add_recent_file(written)
        self.settings.last_plan = written
        self.statusBar().showMessage(self.tr("Saved {0}").format(written), 5000)
        return True

    @Slot()
    def _on_recent_menu_about_to_show(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files
        for path in files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setData(path)
            action.triggered.connect(self._on_recent_action_triggered)
        if not files:
            self.recent_menu.addAction(self.tr("(none yet)")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear the list"), self.settings.clear_recent_files)

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        if self._ask_to_keep_changes():
            self.open_plan_file(self.sender().data())

    # -- export -------------------------------------------------------------------------------------------------
    def _export(self, fn, *args) -> None:
        try:
            result = fn(*args)
        except PlannerError as e:
            self.show_notice(self.tr("The report could not be exported: {0}").format(e))
            return
        shown = result if not isinstance(result, list) else Path(args[0])
        self.statusBar().showMessage(self.tr("Exported {0}").format(shown), 5000)

    def export_markdown_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export a Markdown report"),
            str(Path(self._start_dir()) / (_safe_name(self.controller.plan.title) + ".md")),
            self.tr("Markdown (*.md);;All files (*)"))
        if path:
            self._export(export_markdown, path, self.controller.plan, self.tabs)

    def export_csv_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, self.tr("Export the tables as CSV"),
            str(Path(self._start_dir()) / (_safe_name(self.controller.plan.title) + ".csv")),
            self.tr("CSV (*.csv);;All files (*)"))
        if path:
            self._export(export_csv, path, self.tabs)

    def export_charts_dialog(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, self.tr("Folder for the chart images"),
                                                            self._start_dir())
        if folder:
            self._export(export_charts, folder, self.tabs)

    # -- notices and recovery ----------------------------------------------------------------------------------
    def show_notice(self, html_text: str) -> None:
        self.notice_bar.show_notice(html_text)

    def offer_recovery(self, recovered: list[RecoveredPlan]) -> None:
        """Offer back the newest plan a crash left behind (older ones follow once it is handled)."""
        if not recovered:
            return
        item, rest = recovered[0], recovered[1:]
        when = QtCore.QDateTime.fromSecsSinceEpoch(int(item.written)).toString(
            QtCore.QLocale().dateTimeFormat(QtCore.QLocale.FormatType.ShortFormat))
        text = self.tr("llmplanner did not close normally. An unsaved plan, “{0}”, was kept from {1}.").format(
            _escape(item.plan.title), when)

        def restore():
            self.controller.restore_plan(item.plan, item.saved_path)
            self.controller.autosave_now()
            discard_recovered(item)
            self.offer_recovery(rest)

        def discard():
            discard_recovered(item)
            self.offer_recovery(rest)

        self.recovery_offer = item
        self.recovery_bar.show_notice(text, [(self.tr("&Restore it"), restore), (self.tr("&Discard it"), discard)])

    # -- drag and drop ---------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        self.open_dropped(paths[0])

    def open_dropped(self, path: str) -> None:
        """A file dropped on the window: a plan opens, anything else is read as a model."""
        if is_plan_file(path):
            if self._ask_to_keep_changes():
                self.open_plan_file(path)
            return
        if not os.path.exists(path):
            self.picker.show_error(self.tr("{0} does not exist").format(path))
            return
        self._on_picker_model_chosen(source_for_path(path))

    # -- language, about, logs --------------------------------------------------------------------------------
    @Slot()
    def _on_language_action_triggered(self) -> None:
        code = self.sender().data()
        if code != self.settings.language:
            self.settings.language = code
            self.language_change_requested.emit(code)

    def show_about(self) -> None:
        AboutDialog([type(t) for t in self.tabs], self).exec()

    @Slot()
    def _on_open_log_folder_triggered(self) -> None:
        from ..crashlog import log_dir

        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(folder)))

    # -- window state -------------------------------------------------------------------------------------------
    def _restore_window(self) -> None:
        geometry = self.settings.geometry
        if not geometry or not self.restoreGeometry(QtCore.QByteArray(geometry)):
            self.resize(1280, 800)
        state = self.settings.window_state
        if state:
            self.restoreState(QtCore.QByteArray(state))
        self.set_current_tab(self.settings.current_tab)

    def save_window_state(self) -> None:
        self.settings.geometry = bytes(self.saveGeometry().data())
        self.settings.window_state = bytes(self.saveState().data())
        current = self.tabs_widget.currentWidget()
        if isinstance(current, PlanTab):
            self.settings.current_tab = current.tab_id
        self.settings.last_plan = self.controller.path or ""
        self.settings.sync()

    def retire(self) -> None:
        """Close without questions: another window takes over the same plan (a language switch)."""
        self._retiring = True
        self.save_window_state()
        self.close()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self._retiring:
            if not self._ask_to_keep_changes():
                event.ignore()
                return
            self.save_window_state()
            self.controller.close_cleanly()
        for tab in self.tabs:
            for comp in tab.computations:
                comp.cancel()
        QtCore.QThreadPool.globalInstance().waitForDone(3000)  # no result may land on a closed window
        super().closeEvent(event)


def _escape(text: str) -> str:
    import html

    return html.escape(str(text))


def _safe_name(title: str) -> str:
    keep = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in title).strip()
    return keep or "plan"
