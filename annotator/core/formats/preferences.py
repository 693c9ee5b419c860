"""Pairwise preferences in and out of the project's files.

In: Chatbot Arena's battle format (FastChat's ``clean_battle`` records), as CSV, TSV, XLSX,
JSON or JSON lines: ``question_id`` (or ``sample_id``), ``judge`` (or ``rater``),
``model_a`` (the answer shown on the LEFT), ``model_b``, ``winner`` in ``model_a`` /
``model_b`` / ``tie`` / ``tie (bothbad)``, and an optional ``dimension`` (empty: overall).
Other columns (``turn``, ``anony``, ``language``, ``tstamp``, ``conversation_a`` ...) are
ignored. ``read_battles`` checks what a file says by itself (empty cells, an unknown
winner or dimension, a model against itself, a judgment given twice); what needs the
project (its models and samples) is checked by the use case.

Out: the same battle records, and LLaMA-Factory's alpaca-style preference dataset
(``instruction``, ``input``, ``chosen``, ``rejected``) with its ``dataset_info.json`` entry.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError, InputError, Problem
from annotator.core.domain.message import Message
from annotator.core.domain.rubric import DimensionResolver
from annotator.core.domain.side_by_side import BOTH_BAD, LEFT, OVERALL, RIGHT, SAME
from annotator.core.formats.items.drafts import where as where_text
from annotator.core.formats.items.importer import _load
from annotator.core.formats.items.jsonfiles import read_jsonl
from annotator.core.formats.items.sniff import sniff
from annotator.core.formats.items.tabular import Table
from annotator.core.formats.paths import shown
from annotator.core.storage.rater_names import rater_key

HEADERS = {
    "sample": ("sample_id", "question_id", "sample", "样本", "样本id", "题目id"),
    "rater": ("rater", "judge", "annotator", "评分人", "评审", "标注员"),
    "model_a": ("model_a", "模型a", "左侧模型"),
    "model_b": ("model_b", "模型b", "右侧模型"),
    "winner": ("winner", "胜者", "结果"),
    "dimension": ("dimension", "criterion", "维度"),
}
REQUIRED = ("sample", "rater", "model_a", "model_b", "winner")
# The winner as written -> the side it names (model_a is the answer shown on the left).
SIDE_OF_WINNER = {"model_a": LEFT, "model_b": RIGHT, "tie": SAME, "tie (bothbad)": BOTH_BAD}
WINNER_OF_SIDE = {side: winner for winner, side in SIDE_OF_WINNER.items()}
MAX_PROBLEMS = 200


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return text.replace(" ", "_").replace("-", "_")


def _winner(text: str) -> str | None:
    """The side a winner cell names: any case and spacing ("Tie(BothBad)"); else None."""
    words = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())
    return SIDE_OF_WINNER.get(words.replace("tie(bothbad)", "tie (bothbad)"))


@dataclass(frozen=True)
class Battle:
    """One row of a battle file, as read (names not yet looked up in the project)."""

    at: int  # the row (header = 1) or the line it came from
    sample: str
    rater: str  # the file's first spelling of this rater
    model_a: str  # the model whose answer was shown on the left
    model_b: str
    side: str | None  # LEFT / RIGHT / SAME / BOTH_BAD; None when the winner is unknown
    dimension: str | None  # OVERALL or a rubric key; None when unknown


@dataclass
class Battles:
    """What ``read_battles`` found: every row, and the problems the file shows by itself."""

    file: str
    unit: str  # "row" or "line": how ``Battle.at`` counts
    columns: dict[str, str]  # role -> the file's column
    battles: list[Battle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    same_as: dict[str, str] = field(default_factory=dict)  # a spelling -> the rater it is

    def problem(self, message: Message, role: str, at: int) -> Problem:
        """A problem at row (or line) ``at``, in the column holding ``role``."""
        return Problem(message, file=self.file, column=self.columns[role], **{self.unit: at})


def _table(path: Path) -> Table:
    """The file as a table of text (the items importer's reader: encodings, formats)."""
    try:
        return _load(path).table
    except InputError:
        if path.suffix.lower() == ".jsonl":  # a first line that is no object reads as JSON
            text = _text(path)
            if text is not None:
                read_jsonl(text, str(path))  # says which lines are not objects
        raise


def _text(path: Path) -> str | None:
    try:
        return sniff(path.read_bytes(), path).text
    except (OSError, InputError):
        return None


def _columns(
    columns: list[str], file: str, rater: str | None = None, judge: bool = False
) -> dict[str, str]:
    """The file's column of each role; ``judge``: the file is an LLM judge's."""
    found: dict[str, str] = {}
    for role, names in HEADERS.items():
        wanted = {_norm(n) for n in names}
        for column in columns:
            if _norm(column) in wanted and role not in found:
                found[role] = column
    missing = [HEADERS[r][0] for r in REQUIRED if r not in found and not (r == "rater" and rater)]
    if judge:
        missing = ["judge" if name == HEADERS["rater"][0] else name for name in missing]
    if missing:
        raise InputError(
            Problem(_missing_words(judge, ", ".join(missing), ", ".join(columns)), file=file, row=1)
        )
    return found


def _missing_words(judge: bool, missing: str, found: str) -> Message:
    if judge:
        return Message(
            "missing column(s) {missing}; found {found}. A judge's battle file has "
            "question_id (or sample_id), judge (or rater; or name the judge with --judge), "
            "model_a (the answer shown on the left), model_b, winner and optionally dimension",
            missing=missing,
            found=found,
        )
    return Message(
        "missing column(s) {missing}; found {found}. A battle file has "
        "question_id (or sample_id), judge (or rater), model_a (the answer "
        "shown on the left), model_b, winner and optionally dimension",
        missing=missing,
        found=found,
    )


def read_battles(
    path: str | Path, resolver: DimensionResolver, *, orders: bool = False, rater: str | None = None
) -> Battles:
    """Read a battle file and check each row on its own.

    ``orders`` (an LLM judge's verdicts): the same comparison may be given once in each
    order (``model_a`` shown left, then ``model_b``); only the same order twice is a repeat.
    ``rater`` names the rater (the judge) of a file with no rater column; a row naming
    another is refused.

    Returns:
        Every row as a ``Battle`` and the problems found (each with its row or line and
        column); the caller adds the project's checks and refuses the file if any.

    Raises:
        InputError: the file cannot be read as a table, or a required column is missing.
    """
    path = Path(path)
    table = _table(path)
    file = shown(path)
    found = Battles(file, "line" if table.unit == "line" else "row", {})
    found.columns = _columns(table.columns, file, rater, judge=orders)
    cells = {role: table.data[column] for role, column in found.columns.items()}
    spellings: dict[str, str] = {}  # rater_key -> the file's first spelling
    for n, at in enumerate(table.rows):
        values = {role: cells[role][n].strip() for role in cells}
        if rater and not values.get("rater"):
            values["rater"] = rater
        elif rater and rater_key(values["rater"]) != rater_key(rater):
            found.problems.append(
                found.problem(
                    Message(
                        'the row names the judge "{cell}" but the import was asked for the '
                        'judge "{judge}"; leave out --judge or correct the row',
                        cell=values["rater"],
                        judge=rater,
                    ),
                    "rater",
                    at,
                )
            )
        found.battles.append(_battle(found, resolver, values, at, spellings))
    found.problems += _repeated(found, orders)
    if not table.rows:
        found.problems.append(Problem(Message("the file has no judgments"), file=file))
    return found


def _battle(found: Battles, resolver, values: dict[str, str], at: int, spellings) -> Battle:
    """One row read, its own problems added to ``found``."""
    problems = found.problems
    for role in REQUIRED:
        if not values[role]:
            empty = Message("the cell is empty; expected {what}", what=_WHAT[role])
            problems.append(found.problem(empty, role, at))
    rater = values["rater"]
    if rater:
        first = spellings.setdefault(rater_key(rater), rater)
        if first != rater:  # one rater, two spellings: a repeat across them is still found
            found.same_as[rater], rater = first, first
    side = _winner(values["winner"]) if values["winner"] else None
    if values["winner"] and side is None:
        problems.append(
            found.problem(
                Message(
                    'unknown winner "{winner}"; expected model_a, model_b, tie or tie (bothbad)',
                    winner=values["winner"],
                ),
                "winner",
                at,
            )
        )
    if values["model_a"] and values["model_a"] == values["model_b"]:
        problems.append(
            found.problem(
                Message(
                    'model "{model}" is compared with itself; model_a and model_b must differ',
                    model=values["model_a"],
                ),
                "model_b",
                at,
            )
        )
    text = values.get("dimension", "")
    dimension = OVERALL if not text else resolver.resolve(text)
    if dimension is None:
        problems.append(
            found.problem(
                Message(
                    'unknown dimension "{dimension}"; expected one of {expected} (or empty '
                    "for the overall judgment)",
                    dimension=text,
                    expected=resolver.expected(),
                ),
                "dimension",
                at,
            )
        )
    a, b = values["model_a"], values["model_b"]
    return Battle(at, values["sample"], rater, a, b, side, dimension)


_WHAT = {
    "sample": Message("the sample id"),
    "rater": Message("the rater's name"),
    "model_a": Message("the model shown on the left"),
    "model_b": Message("the model shown on the right"),
    "winner": Message("model_a, model_b, tie or tie (bothbad)"),
}


def _repeated(found: Battles, orders: bool = False) -> list[Problem]:
    """A judgment given twice (the same sample, models, rater and dimension, whichever
    way round the models were shown; with ``orders``, the same way round): which one is
    meant cannot be known."""
    where: dict[tuple, list[int]] = {}
    for b in found.battles:
        if b.sample and b.rater and b.model_a and b.model_b and b.dimension is not None:
            models = (b.model_a, b.model_b) if orders else frozenset((b.model_a, b.model_b))
            key = (b.sample, models, b.rater, b.dimension)
            where.setdefault(key, []).append(b.at)
    return [
        found.problem(
            _twice(
                orders,
                rater=rater,
                sample=sample,
                model_a=min(models),
                model_b=max(models),
                dimension=dimension or Message("overall"),
                where=where_text(found.unit, rows),
            ),
            "sample",
            rows[1],
        )
        for (sample, models, rater, dimension), rows in where.items()
        if len(rows) > 1
    ][:MAX_PROBLEMS]


def _twice(orders: bool, **params) -> Message:
    """A repeated judgment in words: a judge's (``orders``) names the judge and the order."""
    if orders:
        return Message(
            'the judge "{rater}" judges sample "{sample}" of {model_a} and {model_b} '
            "({dimension}) in the same order more than once ({where}); keep one",
            **params,
        )
    return Message(
        'rater "{rater}" judges sample "{sample}" of {model_a} and {model_b} '
        "({dimension}) more than once ({where}); keep one",
        **params,
    )


# -- out ------------------------------------------------------------------------------------
def battle_record(
    sample: str, left: str, right: str, side: str, rater: str, dimension: str, updated_at: str
) -> dict:
    """One battle in FastChat's keys: ``model_a`` is the model shown on the left."""
    record = {
        "question_id": sample,
        "model_a": left,
        "model_b": right,
        "winner": WINNER_OF_SIDE[side],
        "judge": rater,
    }
    if dimension != OVERALL:
        record["dimension"] = dimension
    record["tstamp"] = _epoch(updated_at)
    return record


def _epoch(stamp: str) -> float | None:
    """Seconds since 1970 of a stored ISO time, as FastChat's ``tstamp``."""
    try:
        return round(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp(), 3)
    except (AttributeError, ValueError):
        return None


def preference_record(instruction: str, chosen: str, rejected: str) -> dict:
    """One row of LLaMA-Factory's alpaca-style preference dataset."""
    return {"instruction": instruction, "input": "", "chosen": chosen, "rejected": rejected}


def write_jsonl(fh, records) -> int:
    """Write one JSON object per line; returns how many."""
    count = 0
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def dataset_entry(file_name: str) -> dict:
    """The ``dataset_info.json`` entry of a preference file (LLaMA-Factory's data/README)."""
    return {
        "file_name": file_name,
        "ranking": True,
        "columns": {
            "prompt": "instruction",
            "query": "input",
            "chosen": "chosen",
            "rejected": "rejected",
        },
    }


def dataset_info_text(existing: bytes | None, name: str, file_name: str, where: Path) -> str:
    """``dataset_info.json`` with the entry ``name`` added or replaced, the others kept.

    Raises:
        AnnotatorError: the existing file is not a JSON object (it is never overwritten).
    """
    info: dict = {}
    if existing is not None and existing.strip():
        try:
            info = json.loads(existing.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise AnnotatorError(_damaged(where, str(exc))) from None
        if not isinstance(info, dict):
            raise AnnotatorError(_damaged(where, Message("it is not a JSON object {{...}}")))
    info[name] = dataset_entry(file_name)
    return json.dumps(info, ensure_ascii=False, indent=2) + "\n"


def _damaged(where: Path, reason) -> Message:
    return Message(
        "{path} cannot be read ({reason}); it is left as it is and nothing was written. "
        "Repair it, move it away, or export into another folder",
        path=where,
        reason=reason,
    )
