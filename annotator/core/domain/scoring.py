"""Words of the rater's session that the window and the core share: values, not behaviour.

The rater window shows these (a flag preset, a filter of the item list, why a save failed)
and the session stores or acts on them; both import them from here, so the GUI never
imports a use case.
"""

from __future__ import annotations

# Flags a rater can give with one key; stored in English, shown in the reader's language.
FLAG_PRESETS = ("unclear instruction", "broken output")
# The item list's filters.
FILTERS = ("all", "unscored", "flagged", "commented")
# Why a write failed, as the window words it.
LOCKED, DISK_FULL, READ_ONLY, OTHER = "locked", "disk_full", "read_only", "other"
