"""preferences import: side-by-side judgments in Chatbot Arena's battle format.

Expectations are computed here from the file the test writes (which model was on the
left, which one the winner names) and from the project file read with SQL, never with the
import's own conversions.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from annotator.core.domain.errors import InputError
from annotator.core.domain.models import ItemDraft
from annotator.core.project import Project
from annotator.core.usecases.importing import MemoryPlan, import_plan

FIELDS = ("question_id", "judge", "model_a", "model_b", "winner", "dimension")
WINNERS = ("model_a", "model_b", "tie", "tie (bothbad)")


def add_answers(project, model: str, n: int) -> None:
    """``n`` samples s1..sn of ``model``, each answer naming its model (so a test can tell
    which answer an export chose)."""
    drafts = [
        ItemDraft(
            sample_id=f"s{k}",
            instruction=f"问题 {k}：介绍这款面霜",
            reference=f"参考 {k}",
            generated=f"{model} 的回答 {k}",
            row=k + 1,
            model=model,
        )
        for k in range(1, n + 1)
    ]
    import_plan(project.db, MemoryPlan(Path(f"{model}.jsonl"), drafts, f"sha-{model}-{n}"))


def make_project(path: Path) -> Project:
    """lora-v2 imported first (12 samples), then base (12), then qwen (8)."""
    project = Project.create(path, "prefs")
    add_answers(project, "lora-v2", 12)
    add_answers(project, "base", 12)
    add_answers(project, "qwen", 8)
    return project


def random_battles(seed: int = 16, raters=("r1", "r2", "r3"), dimensions=("", "relevance")):
    """Battle rows on every sample of lora-v2/base and qwen/base, each rater with a random
    left side and a random winner; a lora-v2-biased winner so the counts are uneven."""
    rng = np.random.default_rng(seed)
    rows = []
    for cand, n in (("lora-v2", 12), ("qwen", 8)):
        for k in range(1, n + 1):
            for rater in raters:
                left, right = (cand, "base") if rng.random() < 0.5 else ("base", cand)
                for dim in dimensions:
                    winner = WINNERS[rng.choice(4, p=(0.4, 0.3, 0.2, 0.1))]
                    rows.append(
                        {"question_id": f"s{k}", "judge": rater, "model_a": left,
                         "model_b": right, "winner": winner, "dimension": dim}
                    )  # fmt: skip
    return rows


def write_csv(path: Path, rows, fields=FIELDS, encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, lines: list) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(
                (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
            )
    return path


def dump(path: Path) -> dict:
    """Every table of the project file, row by row, read with a separate connection."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        # some tables are WITHOUT ROWID: the rows in a fixed order of their own
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"'), key=repr) for t in tables}
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stored(project) -> pd.DataFrame:
    """The judgments as the file holds them, read with SQL: the model of the item shown on
    the left and the model of the winning item (None for tie / both bad)."""
    return pd.read_sql_query(
        "SELECT c.sample_id, r.name AS rater, j.dimension, ma.name AS model_a, "
        "mb.name AS model_b, ml.name AS left_model, j.outcome, j.origin "
        "FROM judgments j JOIN comparisons c ON c.id = j.comparison_id "
        "JOIN raters r ON r.id = j.rater_id "
        "JOIN items a ON a.id = c.item_a JOIN models ma ON ma.id = a.model_id "
        "JOIN items b ON b.id = c.item_b JOIN models mb ON mb.id = b.model_id "
        "JOIN items l ON l.id = j.left_item JOIN models ml ON ml.id = l.model_id",
        project.db.conn,
    )


@pytest.fixture
def prefs(tmp_path):
    project = make_project(tmp_path / "prefs.annotator")
    yield project
    project.close()


# -- orientation and what is stored ---------------------------------------------------------
def test_each_row_is_stored_by_model_order_with_model_a_on_the_left(prefs, tmp_path):
    rows = random_battles(dimensions=("",))
    prefs.side_by_side.create(models=["lora-v2", "base"])  # one pair exists already
    report = prefs.side_by_side.import_preferences(write_csv(tmp_path / "b.csv", rows))
    assert (report.rows, report.new, report.changed, report.unchanged) == (60, 60, 0, 0)
    assert report.comparisons_created == 8  # qwen/base only
    got = stored(prefs)
    assert len(got) == 60
    # the baseline is b in both pairs, whichever way the rows named them
    assert set(zip(got.model_a, got.model_b, strict=True)) == {
        ("lora-v2", "base"),
        ("qwen", "base"),
    }
    by_key = {
        (r.sample_id, r.rater, frozenset((r.model_a, r.model_b))): r for r in got.itertuples()
    }
    for row in rows:
        s = by_key[(row["question_id"], row["judge"], frozenset((row["model_a"], row["model_b"])))]
        assert s.left_model == row["model_a"]
        if row["winner"] in ("model_a", "model_b"):
            winner_model = row[row["winner"]]
            assert s.outcome == ("a" if winner_model == s.model_a else "b")
        else:
            assert s.outcome == {"tie": "tie", "tie (bothbad)": "both_bad"}[row["winner"]]
    assert set(got.origin) == {"import:b.csv"}


def test_two_candidates_are_oriented_as_create_orients_them(prefs, tmp_path):
    rows = [{"question_id": "s1", "judge": "r1", "model_a": "lora-v2", "model_b": "qwen",
             "winner": "model_a", "dimension": ""}]  # fmt: skip
    prefs.side_by_side.import_preferences(write_csv(tmp_path / "b.csv", rows))
    (row,) = stored(prefs).itertuples()
    # between two candidates the model imported first (lora-v2) is b
    assert (row.model_a, row.model_b, row.outcome, row.left_model) == (
        "qwen", "lora-v2", "b", "lora-v2"
    )  # fmt: skip
    pairs = {(p.model_a, p.model_b): p for p in prefs.side_by_side.create(all_pairs=True).pairs}
    assert pairs[("qwen", "lora-v2")].existing == 1  # create finds the imported comparison


def test_counts_of_the_evaluation_equal_pandas_counts_of_the_file(prefs, tmp_path):
    rows = random_battles()
    prefs.side_by_side.import_preferences(write_csv(tmp_path / "b.csv", rows))
    frame = pd.DataFrame(rows)
    frame["candidate"] = np.where(frame.model_a == "base", frame.model_b, frame.model_a)
    winner = np.where(frame.winner == "model_a", frame.model_a, frame.model_b)
    decisive = frame.winner.isin(["model_a", "model_b"])
    frame["kind"] = np.select(
        [decisive & (winner == frame.candidate), decisive, frame.winner == "tie"],
        ["wins", "losses", "ties"],
        "both_bad",
    )
    expected = frame.groupby(["candidate", "dimension"]).kind.value_counts().unstack(fill_value=0)
    report = prefs.evaluate(resamples=20).pairwise
    assert report is not None and len(report.pairs) == 4
    for pair in report.pairs:
        assert pair.model_b == "base"
        want = expected.loc[(pair.model_a, pair.dimension)]
        got = (pair.wins, pair.ties, pair.losses, pair.both_bad)
        assert got == tuple(int(want.get(k, 0)) for k in ("wins", "ties", "losses", "both_bad"))
        picked = frame[(frame.candidate == pair.model_a) & (frame.dimension == pair.dimension)]
        assert pair.judgments == len(picked)
        assert pair.samples == picked.question_id.nunique()
    # pooled position bias (one choice per screen: the overall judgments): a decisive
    # judgment for model_a chose the answer shown on the left
    overall = frame.dimension == ""
    assert report.position_bias.left == int((overall & (frame.winner == "model_a")).sum())
    assert report.position_bias.decisive == int((overall & decisive).sum())


# -- again, and changed ---------------------------------------------------------------------
def test_the_same_file_again_changes_nothing_and_a_changed_winner_is_applied(prefs, tmp_path):
    rows = random_battles(dimensions=("",))
    path = write_csv(tmp_path / "b.csv", rows)
    first = prefs.side_by_side.import_preferences(path)
    assert first.backup is None  # nothing to lose before the first judgments
    before, tables = digest(prefs.path), dump(prefs.path)
    again = prefs.side_by_side.import_preferences(path)
    assert (again.new, again.changed, again.unchanged, again.comparisons_created) == (0, 0, 60, 0)
    assert again.backup is None
    assert digest(prefs.path) == before and dump(prefs.path) == tables
    # the same judgment with its models named the other way round is the same judgment
    flipped = dict(rows[0], model_a=rows[0]["model_b"], model_b=rows[0]["model_a"])
    flipped["winner"] = {"model_a": "model_b", "model_b": "model_a"}.get(
        rows[0]["winner"], rows[0]["winner"]
    )
    changed_winner = dict(rows[1], winner="tie" if rows[1]["winner"] != "tie" else "model_a")
    path2 = write_csv(tmp_path / "b2.csv", [flipped, changed_winner, *rows[2:]])
    third = prefs.side_by_side.import_preferences(path2)
    # the flipped row shows the other answer on the left: the stored left side changes
    assert (third.new, third.changed, third.unchanged) == (0, 2, 58)
    assert third.backup is not None and Path(third.backup).exists()
    got = stored(prefs)
    one = got[
        (got.sample_id == changed_winner["question_id"])
        & (got.rater == changed_winner["judge"])
        & (got.model_a == "lora-v2")
    ]
    want = (
        "tie"
        if changed_winner["winner"] == "tie"
        else ("a" if changed_winner["model_a"] == "lora-v2" else "b")
    )
    assert one.outcome.iloc[0] == want
    assert set(got.origin) == {"import:b.csv", "import:b2.csv"}


def test_rater_spellings_are_one_rater_and_the_project_spelling_is_kept(prefs, tmp_path):
    base = {"model_a": "base", "model_b": "lora-v2", "winner": "model_b", "dimension": ""}
    prefs.side_by_side.import_preferences(
        write_csv(tmp_path / "a.csv", [dict(base, question_id="s1", judge="Wang Wu")])
    )
    rows = [
        dict(base, question_id="s2", judge="wang  wu"),
        dict(base, question_id="s3", judge="ＷＡＮＧ ＷＵ"),
    ]
    report = prefs.side_by_side.import_preferences(write_csv(tmp_path / "b.csv", rows))
    assert report.same_as == {"wang  wu": "Wang Wu", "ＷＡＮＧ ＷＵ": "Wang Wu"}
    assert prefs.raters() == ["Wang Wu"]
    assert report.new == 2


# -- hostile files ------------------------------------------------------------------------------
def _problems(caught) -> set[tuple]:
    return {(p.row or p.line, p.column) for p in caught.value.problems}


def test_every_problem_is_reported_with_its_row_and_column_and_nothing_is_written(prefs, tmp_path):
    good = {"question_id": "s1", "judge": "r1", "model_a": "base", "model_b": "lora-v2",
            "winner": "model_a", "dimension": ""}  # fmt: skip
    rows = [
        good,  # row 2: fine
        dict(good, model_b="lora-v9"),  # row 3: unknown model
        dict(good, question_id="s11", model_a="qwen", model_b="base"),  # row 4: qwen has 8
        dict(good, judge="r2", model_b="base"),  # row 5: a model against itself
        dict(good, judge="r3", winner="model_c"),  # row 6: unknown winner
        dict(good, judge="r4", dimension="taste"),  # row 7: unknown dimension
        dict(good, judge=""),  # row 8: empty rater
        dict(good, question_id="", judge="r5"),  # row 9: empty sample
        dict(good, model_a="lora-v2", model_b="base", winner="tie"),  # row 10: repeats row 2
        dict(good, judge="r6", dimension="相关性"),  # row 11: fine (the Chinese name)
        dict(good, judge="r6", dimension="relevance"),  # row 12: repeats row 11
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before, tables = digest(prefs.path), dump(prefs.path)
    with pytest.raises(InputError) as caught:
        prefs.side_by_side.import_preferences(path)
    assert _problems(caught) == {
        (3, "model_b"), (4, "question_id"), (5, "model_b"), (6, "winner"),
        (7, "dimension"), (8, "judge"), (9, "question_id"), (10, "question_id"),
        (12, "question_id"),
    }  # fmt: skip
    text = str(caught.value)
    for words in ('unknown model "lora-v9"', 'model "qwen" has no answer for sample "s11"',
                  "compared with itself", 'unknown winner "model_c"',
                  'unknown dimension "taste"', "rows 2 and 10", "rows 11 and 12"):  # fmt: skip
        assert words in text
    assert all(p.file == str(path) for p in caught.value.problems)
    assert digest(prefs.path) == before and dump(prefs.path) == tables


def test_jsonl_lines_are_counted_from_one_blank_lines_included(prefs, tmp_path):
    good = {"question_id": "s1", "judge": "r1", "model_a": "base", "model_b": "lora-v2",
            "winner": "tie (bothbad)"}  # fmt: skip
    path = write_jsonl(
        tmp_path / "b.jsonl",
        [good, "", dict(good, judge="r2", winner="bad"), dict(good, judge="r3", model_a="nope")],
    )
    before = dump(prefs.path)
    with pytest.raises(InputError) as caught:
        prefs.side_by_side.import_preferences(path)
    assert _problems(caught) == {(3, "winner"), (4, "model_a")}
    assert all(p.line is not None and p.row is None for p in caught.value.problems)
    assert dump(prefs.path) == before


@pytest.mark.parametrize("first", [False, True], ids=["middle", "first-line"])
def test_a_jsonl_line_that_is_not_an_object_is_named(prefs, tmp_path, first):
    good = json.dumps({"question_id": "s1", "judge": "r1", "model_a": "base",
                       "model_b": "lora-v2", "winner": "tie"})  # fmt: skip
    lines = ["[1, 2]", good, good] if first else [good, "[1, 2]", '"text"']
    path = write_jsonl(tmp_path / "b.jsonl", lines)
    before = dump(prefs.path)
    with pytest.raises(InputError) as caught:
        prefs.side_by_side.import_preferences(path)
    lines_named = {p.line for p in caught.value.problems}
    assert lines_named == ({1} if first else {2, 3})
    assert "expected a JSON object" in str(caught.value)
    assert dump(prefs.path) == before


def test_bom_and_gbk_files_are_read(prefs, tmp_path):
    rows = [{"question_id": "s1", "judge": "张三", "model_a": "base", "model_b": "lora-v2",
             "winner": "model_b", "dimension": "相关性"},
            {"question_id": "s2", "judge": "李四", "model_a": "lora-v2", "model_b": "base",
             "winner": "tie", "dimension": ""}]  # fmt: skip
    bom = prefs.side_by_side.import_preferences(
        write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    )
    assert (bom.new, bom.raters) == (2, ["张三", "李四"])
    gbk = prefs.side_by_side.import_preferences(
        write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    )
    assert (gbk.new, gbk.unchanged) == (0, 2)  # the same judgments, read the same way
    got = stored(prefs)
    assert set(got.rater) == {"张三", "李四"}
    assert set(got.dimension) == {"relevance", ""}


def test_a_file_in_no_known_encoding_is_refused_by_name(prefs, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(
        b"question_id,judge,model_a,model_b,winner\ns1,\xff\xfe\xff,base,lora-v2,tie\n"
    )
    before = dump(prefs.path)
    with pytest.raises(InputError, match="cannot read the text") as caught:
        prefs.side_by_side.import_preferences(path)
    assert caught.value.problems[0].file == str(path)
    assert dump(prefs.path) == before


def test_missing_columns_name_what_a_battle_file_has(prefs, tmp_path):
    path = write_csv(tmp_path / "b.csv", [{"question_id": "s1", "judge": "r1"}],
                     fields=("question_id", "judge"))  # fmt: skip
    with pytest.raises(InputError, match="missing column") as caught:
        prefs.side_by_side.import_preferences(path)
    assert "model_a, model_b, winner" in str(caught.value)


def test_fastchat_records_with_their_other_keys_are_read(prefs, tmp_path):
    """FastChat's clean_battle records: question_id, model_a, model_b, winner, judge,
    conversation_a/b (null), turn, anony, language, tstamp."""
    record = {"question_id": "s4", "model_a": "lora-v2", "model_b": "base", "winner": "model_a",
              "judge": "arena_user_1", "conversation_a": None, "conversation_b": None,
              "turn": 1, "anony": True, "language": "Chinese", "tstamp": 1712345678.9}  # fmt: skip
    path = tmp_path / "clean_battle.json"
    path.write_text(json.dumps([record, dict(record, question_id="s5", winner="model_b")]))
    report = prefs.side_by_side.import_preferences(path)
    assert report.new == 2
    got = stored(prefs).sort_values("sample_id")
    assert list(got.outcome) == ["a", "b"] and set(got.left_model) == {"lora-v2"}
