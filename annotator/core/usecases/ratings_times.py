"""The optional time columns of ``ratings import``: seconds per item and when it was rated.

``seconds`` (also ``lead_time`` as Label Studio exports it, or ``耗时``) is the time a rater
spent on an item, stored as the item's time (``annotations.seconds``) like the app's own;
a file may repeat it on every dimension's row or give it once, but two different times
for one item and rater are refused with their rows. ``rated_at`` (ISO 8601; a time
without a zone is taken as UTC) is stored as the score's time, so the order in which a
rater scored survives the import.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from annotator.core.domain.errors import Problem
from annotator.core.domain.message import Message
from annotator.core.formats.items.drafts import where as where_text
from annotator.core.storage import Database, RatersRepo, RatingsRepo

HEADERS = {
    "seconds": ("seconds", "lead_time", "耗时", "用时", "time_spent", "秒数"),
    "rated_at": ("rated_at", "rated at", "scored_at", "评分时间", "标注时间"),
}


def parse_seconds(value: object) -> float | None:
    """A number of seconds from 0 up, as people write it ("12", "12.5", "１２"); else None."""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower().removesuffix("s").strip()
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def parse_time(value: object) -> str | None:
    """An ISO-8601 time as the project stores times (UTC, milliseconds, "Z"); else None."""
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "T", 1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class ImportTimes:
    """The times of a ratings file, read row by row beside the scores."""

    def __init__(self, get: dict[str, list[str]]):
        self.get = get
        self.seconds: dict[tuple[int, str], dict[float, list[int]]] = {}
        self.rated_at: dict[tuple[int, str, str], str] = {}

    def read(self, n: int, at: int, key: tuple[int, str, str], problem: Callable) -> bool:
        """Read row ``n`` (shown as ``at``) for (item, rater, dimension); False if bad."""
        ok = True
        raw = self.get["seconds"][n].strip() if "seconds" in self.get else ""
        if raw:
            seconds = parse_seconds(raw)
            if seconds is None:
                problem(
                    Message('"{value}" is not a number of seconds (e.g. 12.5)', value=raw),
                    "seconds",
                )
                ok = False
            else:
                self.seconds.setdefault(key[:2], {}).setdefault(seconds, []).append(at)
        raw = self.get["rated_at"][n].strip() if "rated_at" in self.get else ""
        if raw:
            moment = parse_time(raw)
            if moment is None:
                problem(
                    Message(
                        '"{value}" is not a time; write it as ISO 8601, e.g. '
                        "2026-03-01T14:05:00+08:00",
                        value=raw,
                    ),
                    "rated_at",
                )
                ok = False
            else:
                self.rated_at[key] = moment
        return ok

    def problems(self, sample: dict[int, str], unit: str, file: str) -> list[Problem]:
        """One item and rater given two different times."""
        return [
            Problem(
                Message(
                    'rater "{rater}" has different times for sample "{sample}" ({where}); give one',
                    rater=rater,
                    sample=sample[item_id],
                    where=where_text(unit, sorted(r for rows in found.values() for r in rows)),
                ),
                file=file,
            )
            for (item_id, rater), found in self.seconds.items()
            if len(found) > 1
        ][:200]

    def item_seconds(self) -> dict[tuple[int, str], float]:
        """(item, rater) -> seconds, where the file gives them."""
        return {key: next(iter(found)) for key, found in self.seconds.items() if len(found) == 1}

    def split(
        self, rows: Iterable[tuple[int, str, int, int, int, str]], keys: dict[int, str]
    ) -> tuple[list[tuple[int, int, int, int, str]], list[tuple[int, int, int, int, str, str]]]:
        """rows (item, rater, rater id, dimension id, score, origin) -> (without a time, with).

        ``keys`` maps dimension ids to keys; the timed rows carry their time last.
        """
        plain, timed = [], []
        for item_id, rater, rater_id, dim_id, score, origin in rows:
            moment = self.rated_at.get((item_id, rater, keys[dim_id]))
            if moment is None:
                plain.append((item_id, rater_id, dim_id, score, origin))
            else:
                timed.append((item_id, rater_id, dim_id, score, origin, moment))
        return plain, timed

    def changed_seconds(self, db: Database) -> list[tuple[int, str, float]]:
        """(item, rater, seconds) of the file's times that differ from the stored ones."""
        raters, ratings = RatersRepo(db.conn), RatingsRepo(db.conn)
        changed = []
        for (item_id, rater), seconds in self.item_seconds().items():
            rater_id = raters.id_for(rater)
            if rater_id is None or ratings.own_annotation(item_id, rater_id)[2] != seconds:
                changed.append((item_id, rater, seconds))
        return changed
