"""Use case: side-by-side judgments out, as preference data and as battles.

Chosen by the file's name (``pairwise_kind``):

- ``preferences*.jsonl``: LLaMA-Factory's alpaca-style preference dataset for DPO, reward
  modelling or ORPO: one row per comparison whose overall judgments have a clear majority
  (more than half of them name the same answer), ``instruction`` the sample's prompt,
  ``input`` empty, ``chosen`` the answer the majority preferred, ``rejected`` the other.
  Comparisons with a majority of ties or of both-bad, or with split votes, are left out
  and counted. ``dataset_info.json`` next to it registers the file (``"ranking": true``);
  an existing one keeps its other entries, and one that cannot be read is never replaced.
- ``battles*.jsonl``: every judgment in Chatbot Arena's battle format (FastChat's keys),
  ``model_a`` being the model shown on the left; ``preferences import`` reads it back.
  The five-level scale's strength is not part of that format and is not written.

Both are written to hidden scratch files next to the target and renamed over it when
complete: a failed export leaves neither half a file nor a damaged earlier one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from annotator.core.domain.errors import AnnotatorError
from annotator.core.domain.message import Message
from annotator.core.domain.side_by_side import BOTH_BAD, LEFT, OVERALL, RIGHT, SAME
from annotator.core.formats.paths import refuse_project_files
from annotator.core.formats.preferences import (
    battle_record,
    dataset_info_text,
    preference_record,
    write_jsonl,
)
from annotator.core.formats.xlsx_report.scratch import Scratch, clean_leftovers
from annotator.core.storage import Database
from annotator.core.storage.comparisons import ComparisonsRepo

PREFERENCES, BATTLES = "preferences", "battles"
DATASET_INFO = "dataset_info.json"


def pairwise_kind(target: Path) -> str | None:
    """ "preferences" for preferences*.jsonl (preference*.jsonl too), "battles" for
    battles*.jsonl (battle*.jsonl); None for any other name."""
    name = Path(target).name.lower()
    if not name.endswith(".jsonl"):
        return None
    if name.startswith("preference"):
        return PREFERENCES
    if name.startswith("battle"):
        return BATTLES
    return None


@dataclass
class PairwiseExport:
    """What an export of judgments wrote, and what it left out."""

    path: Path
    kind: str  # PREFERENCES or BATTLES
    rows: int  # rows written
    judgments: int  # judgments read (overall ones only, for preferences)
    comparisons: int = 0  # comparisons with an overall judgment (preferences)
    ties: int = 0  # left out: most judgments say "about the same"
    both_bad: int = 0  # left out: most judgments say both are unacceptable
    split: int = 0  # left out: no answer, tie or both-bad has more than half
    dataset_info: Path | None = None
    dataset: str | None = None  # the entry's name in dataset_info.json

    @property
    def left_out(self) -> int:
        return self.ties + self.both_bad + self.split

    def to_dict(self) -> dict:
        data = dict(vars(self))
        data["path"] = str(self.path)
        data["dataset_info"] = str(self.dataset_info) if self.dataset_info else None
        data["left_out"] = self.left_out
        return data


def _no_judgments(what: Message) -> AnnotatorError:
    return AnnotatorError(
        Message(
            "the project has no {what} yet; nothing was written. Create comparisons "
            "(annotator pairwise create) and judge them, or import judgments "
            "(annotator preferences import)",
            what=what,
        )
    )


def write_pairwise(db: Database, target: Path) -> PairwiseExport:
    """Write ``target`` by its name (``pairwise_kind``); the caller has checked the name
    and its folder.

    Raises:
        AnnotatorError: no judgments (or, for preferences, no overall judgment or no clear
            majority anywhere: nothing would be worth training on); a dataset_info.json
            that cannot be read. Nothing is written then.
    """
    frame = ComparisonsRepo(db.conn).frame()
    if pairwise_kind(target) == BATTLES:
        if not len(frame):
            raise _no_judgments(Message("side-by-side judgments"))
        return _battles(frame, target)
    return _preferences(db, frame, target)


def _battles(frame, target: Path) -> PairwiseExport:
    records = []
    for row in frame.itertuples(index=False):
        right = row.model_b if row.left == row.model_a else row.model_a
        if row.outcome in ("a", "b"):
            winner = row.model_a if row.outcome == "a" else row.model_b
            side = LEFT if winner == row.left else RIGHT
        else:
            side = SAME if row.outcome == "tie" else BOTH_BAD
        records.append(
            battle_record(
                row.sample_id, row.left, right, side, row.rater, row.dimension, row.updated_at
            )
        )
    _replace({target: lambda fh: write_jsonl(fh, records)})
    return PairwiseExport(target, BATTLES, len(records), len(frame))


def _majorities(overall) -> tuple[dict[int, str], dict[str, int]]:
    """comparison id -> "a" or "b" where more than half of its overall judgments name that
    answer; and how many comparisons were left out, by why."""
    chosen: dict[int, str] = {}
    left_out = {"tie": 0, "both_bad": 0, "split": 0}
    for cid, outcomes in overall.groupby("comparison_id", sort=True)["outcome"]:
        counts = outcomes.value_counts()
        n = len(outcomes)
        winner = next((o for o in ("a", "b", "tie", "both_bad") if 2 * counts.get(o, 0) > n), None)
        if winner in ("a", "b"):
            chosen[int(cid)] = winner
        else:
            left_out[winner or "split"] += 1
    return chosen, left_out


def _preferences(db: Database, frame, target: Path) -> PairwiseExport:
    overall = frame[frame["dimension"] == OVERALL]
    if not len(overall):
        raise _no_judgments(Message("overall side-by-side judgments"))
    chosen, left_out = _majorities(overall)
    if not chosen:
        raise AnnotatorError(
            Message(
                "no comparison has a clear majority for one answer ({ties} mostly the same, "
                "{both_bad} mostly both unacceptable, {split} split); nothing was written",
                ties=left_out["tie"],
                both_bad=left_out["both_bad"],
                split=left_out["split"],
            )
        )
    texts = ComparisonsRepo(db.conn).texts()
    records = []
    for cid, winner in chosen.items():
        instruction, a, b = texts[cid]
        records.append(preference_record(instruction, *((a, b) if winner == "a" else (b, a))))
    info = target.parent / DATASET_INFO
    refuse_project_files(info, db.path)
    text = dataset_info_text(_existing(info), target.stem, target.name, info)
    _replace({target: lambda fh: write_jsonl(fh, records), info: lambda fh: fh.write(text)})
    return PairwiseExport(
        target,
        PREFERENCES,
        len(records),
        len(overall),
        comparisons=len(chosen) + sum(left_out.values()),
        ties=left_out["tie"],
        both_bad=left_out["both_bad"],
        split=left_out["split"],
        dataset_info=info,
        dataset=target.stem,
    )


def _existing(info: Path) -> bytes | None:
    if info.is_dir():
        raise AnnotatorError(
            Message(
                "{path} is a folder: dataset_info.json cannot be written; nothing was written",
                path=info,
            )
        )
    return info.read_bytes() if info.exists() else None


def _replace(writers: dict) -> None:
    """Write each file into a scratch file next to it, then rename them all over their
    targets (so a failure while writing leaves every target as it was)."""
    folder = next(iter(writers)).parent
    clean_leftovers(folder)  # what earlier, killed exports left next to the target
    scratch = Scratch(folder)
    try:
        parts = []
        for target, write in writers.items():
            part = scratch.new(".part")
            with part.open("w", encoding="utf-8", newline="\n") as fh:
                write(fh)
            parts.append((part, target))
        for part, target in parts:
            os.replace(part, target)
    finally:
        scratch.discard()
