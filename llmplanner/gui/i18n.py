"""Languages: English (the source strings) and Simplified Chinese, following the system unless chosen.

Translations are Qt's: ``resources/i18n/llmplanner_<lang>.ts`` (made with ``pyside6-lupdate``, filled by
hand) compiled to ``.qm`` with ``pyside6-lrelease`` (``packaging/update_translations.py`` does both). Qt's
own strings (standard buttons, file dialogs) come from the ``qtbase`` catalogue that PySide6 ships.
"""
from __future__ import annotations

from ..core.resources import resource
from .qt import QtCore

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
"""Language code → its name in that language (menus show names as their readers write them)."""

_installed: list[QtCore.QTranslator] = []


def system_language() -> str:
    for name in QtCore.QLocale.system().uiLanguages():
        code = name.replace("-", "_")
        if code.lower().startswith("zh") and not any(t in code for t in ("TW", "HK", "Hant", "MO")):
            return "zh_CN"
        if code.lower().startswith("en"):
            return "en"
    return "en"


def effective_language(choice: str) -> str:
    """``system`` → the system's language when it has a translation, else English."""
    return system_language() if choice == "system" else (choice if choice in LANGUAGES else "en")


def install_language(app: QtCore.QCoreApplication, choice: str) -> str:
    """Install the translators for ``choice`` (replacing earlier ones); returns the language in effect."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    lang = effective_language(choice)
    QtCore.QLocale.setDefault(QtCore.QLocale(lang if lang != "en" else "en_US"))
    if lang == "en":
        return lang
    ours = QtCore.QTranslator(app)
    qm = resource("i18n", f"llmplanner_{lang}.qm")
    try:
        data = qm.read_bytes()
    except OSError:
        data = b""
    ours._data = data  # QTranslator.load(bytes) keeps a pointer to the buffer: keep the buffer alive with it
    if data and ours.load(data):
        app.installTranslator(ours)
        _installed.append(ours)
    qt_base = QtCore.QTranslator(app)
    path = QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_base.load(QtCore.QLocale(lang), "qtbase", "_", path):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    return lang
