"""Where the app keeps its preferences, and which language the rubric is shown in."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings

AUTO_ADVANCE = "rater/auto_advance"
FONT_POINT = "rater/font_point"
HIGHLIGHT_SHARED = "rater/highlight_shared"
RECENT_PROJECT = "recent/project"
LANGUAGE = "ui/language"  # "system", "zh_CN" or "en"


def app_settings() -> QSettings:
    """The app's settings (an INI file in the user's config folder; tests redirect it)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "annotator", "annotator"
    )


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    value = settings.value(key, default)
    if isinstance(value, str):  # INI files give strings back
        return value.lower() in ("true", "1", "yes")
    return bool(value)


def ui_language() -> str:
    """The interface language: the one chosen in Help -> Language, else the system's
    ("zh_CN" when it speaks Chinese, else "en"). Rubric names follow it too."""
    chosen = str(app_settings().value(LANGUAGE, "system"))
    if chosen in ("zh_CN", "en"):
        return chosen
    return "zh_CN" if QLocale().language() == QLocale.Language.Chinese else "en"
