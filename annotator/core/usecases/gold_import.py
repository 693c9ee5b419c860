"""Use case: the lead's gold items, from a CSV or XLSX file, and their list.

One row per expected score: item (or sample) id, optional model, dimension, expected
score, optional tolerance (points either side that still count as right; default 1).
Read with the loader and the item references of ``ratings import``; every row is checked
before anything is written, and the file is never touched.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.formats.items.drafts import where as where_text
from annotator.core.formats.items.importer import _load
from annotator.core.formats.paths import shown
from annotator.core.storage import Database, ItemsRepo, RubricRepo
from annotator.core.storage.gold import GoldRepo
from annotator.core.usecases.long_form import find_columns, read_dimension, read_score
from annotator.core.usecases.ratings_import import HEADERS as RATING_HEADERS
from annotator.core.usecases.ratings_import import _Items, _resolve

DEFAULT_TOLERANCE = 1.0
HEADERS = {
    "item": RATING_HEADERS["item"],
    "model": RATING_HEADERS["model"],
    "dimension": RATING_HEADERS["dimension"],
    "expected": (
        "expected",
        "expected_score",
        "gold",
        "gold_score",
        "score",
        "期望分",
        "标准分",
        "金标准",
        "分数",
    ),
    "tolerance": ("tolerance", "tol", "容差", "允许误差"),
}
REQUIRED = ("item", "dimension", "expected")


@dataclass
class GoldImportReport:
    file: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    items: int = 0  # gold items in the project after the import

    def to_dict(self) -> dict:
        return dict(vars(self))


def _columns(columns: list[str], file: str) -> dict[str, str]:
    return find_columns(columns, HEADERS, REQUIRED, file)


def parse_tolerance(value: object) -> float | None:
    """Points either side of the expected score: a number from 0 to 4; empty is the default."""
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    if not text:
        return DEFAULT_TOLERANCE
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and 0 <= number <= 4 else None


def read_gold(db: Database, path: Path) -> tuple[str, list[tuple[int, str, int, float]]]:
    """(file as shown, [(item id, dimension key, expected, tolerance)]) of a gold file.

    Raises:
        InputError: every bad row, with its row (or line) and column; a file without rows.
    """
    file = shown(path)
    table = _load(Path(path)).table
    cols = _columns(table.columns, file)
    unit = "line" if table.unit == "line" else "row"
    resolver = DimensionResolver(RubricRepo(db.conn).load())
    index = _Items(ItemsRepo(db.conn))
    get = {role: table.data[col] for role, col in cols.items()}
    problems: list[Problem] = []
    parsed: list[tuple[int, str, int, float]] = []
    where: dict[tuple[int, str], list[int]] = {}
    for n, at in enumerate(table.rows):

        def problem(message: Message, role: str, at: int = at) -> None:
            problems.append(Problem(message, file=file, column=cols[role], **{unit: at}))

        model = get["model"][n].strip() if "model" in get else ""
        item_id = _resolve(index, get["item"][n].strip(), model, problem)
        dimension = read_dimension(resolver, get["dimension"][n], problem)
        expected = read_score(get["expected"][n], problem, "expected")
        raw = get["tolerance"][n] if "tolerance" in get else ""
        tolerance = parse_tolerance(raw)
        if tolerance is None:
            problem(
                Message(
                    'tolerance "{value}" is not a number of points from 0 to 4 (e.g. 1)',
                    value=str(raw).strip(),
                ),
                "tolerance",
            )
        if item_id is None or dimension is None or expected is None or tolerance is None:
            continue
        where.setdefault((item_id, dimension), []).append(at)
        parsed.append((item_id, dimension, expected, tolerance))
    problems += _repeated(where, index, unit, file)
    if not parsed and not problems:
        problems.append(Problem(Message("the file has no gold scores"), file=file))
    if problems:
        raise InputError(problems, file=file)
    return file, parsed


def _repeated(where: dict, index: _Items, unit: str, file: str) -> list[Problem]:
    return [
        Problem(
            Message(
                'the expected score for "{dimension}" on sample "{sample}" of model "{model}" '
                "is given more than once ({where}); keep one",
                dimension=dimension,
                sample=index.sample[item_id],
                model=index.model[item_id],
                where=where_text(unit, rows),
            ),
            file=file,
        )
        for (item_id, dimension), rows in where.items()
        if len(rows) > 1
    ][:200]


def import_gold(db: Database, path: Path) -> GoldImportReport:
    """Check every row of a gold file, then store its expected scores in one transaction.

    Nothing is written when nothing would change (the same file again).

    Raises:
        InputError: every bad row, with its row and column (nothing is written).
    """
    file, parsed = read_gold(db, path)
    origin = f"import:{Path(file).name}"
    report = GoldImportReport(file=file, rows=len(parsed))
    rows = _plan(db, parsed, origin, report)
    if rows:
        with db.transaction():
            rows = _plan(db, parsed, origin, report)  # again under the write lock
            GoldRepo(db.conn).upsert(rows)
    report.items = len(GoldRepo(db.conn).items())
    return report


def _plan(db: Database, parsed, origin: str, report: GoldImportReport) -> list:
    """The rows that change something, counting new / changed / unchanged."""
    dims = RubricRepo(db.conn).ids()
    stored = {(i, d): (e, t) for i, d, e, t, _ in GoldRepo(db.conn).rows()}
    report.new = report.changed = report.unchanged = 0
    rows = []
    for item_id, dimension, expected, tolerance in parsed:
        old = stored.get((item_id, dimension))
        if old is None:
            report.new += 1
        elif old == (expected, tolerance):
            report.unchanged += 1
            continue
        else:
            report.changed += 1
        rows.append((item_id, dims[dimension], expected, tolerance, origin))
    return rows
