"""Side-by-side hand-outs read by an attacker: nothing in a package or a sheet made for
comparisons tells the models apart.

The attacker holds a rater's package (every table read with sqlite3, every byte of the
file) or sheet (every part of the xlsx unzipped), knows the candidate model names and
sample ids, and looks for them, for the project's uids, its source paths and the
comparisons' uids; then for order: whether the side an answer is shown on, the row ids
or the row order follow the model. The test (not the rater) knows each answer's model
by its text.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from scipy.stats import kendalltau

from annotator.core.domain.models import ItemDraft
from annotator.core.domain.side_by_side import Choice
from annotator.core.project import Project
from annotator.core.usecases.importing import MemoryPlan, import_plan
from annotator.core.usecases.team import assign, create_package, create_sheet

BASE, CAND_1, CAND_2 = "qzmodel-base-7b", "qzmodel-lora-r16", "qzmodel-dpo-v3"
MODELS = (BASE, CAND_1, CAND_2)  # imported in this order
N = 40
SAMPLES = [f"SMPQZ-{k:04d}" for k in range(1, N + 1)]
RATERS = ("alice", "bobqz", "carolqz")
SECRET_COMMENT = "QZ-PRIVATE-REMARK"


def _drafts(m: int, model: str) -> list[ItemDraft]:
    return [
        ItemDraft(
            sample_id=sid,
            instruction=f"写一句关于产品 {k} 的广告语",
            reference=f"参考 {k}",
            generated=f"回答 {k} 之{'甲乙丙'[m]}",  # says nothing about the model
            row=k + 1,
            model=model,
            metadata={"origin": f"METAQZ-{model}"},
        )
        for k, sid in enumerate(SAMPLES, start=1)
    ]


@pytest.fixture(scope="module")
def lead(tmp_path_factory):
    """Two candidates against the baseline on 40 samples, three raters, others' work."""
    folder = tmp_path_factory.mktemp("lead")
    project = Project.create(folder / "eval.annotator", "blind eval")
    for m, model in enumerate(MODELS):
        plan = MemoryPlan(Path(f"/secret/PATHQZ/{model}.jsonl"), _drafts(m, model), model)
        import_plan(project.db, plan)
    project.side_by_side.create(vs_baseline=True)
    assign(project.db, list(RATERS), per_item=2, seed=11)
    for other in RATERS[1:]:  # other raters' verdicts and comments must not travel
        scoring = project.session(other)
        pairs = project.side_by_side.session(scoring)
        for n in range(6):
            pairs.judge(pairs.order[n], Choice("left"))
            pairs.set_comment(pairs.order[n], f"{SECRET_COMMENT} {other}")
        scoring.close()
    yield project
    project.close()


@pytest.fixture(scope="module")
def handouts(lead, tmp_path_factory):
    """Each rater's package and sheet, each alone in its folder."""
    made = {}
    for rater in RATERS:
        folder = tmp_path_factory.mktemp(f"handout-{rater}")
        create_package(lead.db, rater, folder / f"{rater}.annotator")
        create_sheet(lead.db, rater, folder / f"{rater}.xlsx")
        made[rater] = (folder / f"{rater}.annotator", folder / f"{rater}.xlsx")
    return made


def _hidden(lead: Project, rater: str) -> list[str]:
    """Everything the lead hides from ``rater``, as text (their own name and comments
    travel with their work)."""
    conn = lead.db.conn
    item_uids = [r[0] for r in conn.execute("SELECT uid FROM items")]
    comparison_uids = [r[0] for r in conn.execute("SELECT uid FROM comparisons")]
    return [
        *MODELS,
        "qzmodel",
        *SAMPLES,
        "SMPQZ",
        "PATHQZ",
        "METAQZ",
        *(f"{SECRET_COMMENT} {other}" for other in RATERS if other != rater),
        *(other for other in RATERS if other != rater),
        lead.meta.get("handout_secret"),
        *item_uids,
        *comparison_uids,
        # a comparison's uid hashed the obvious ways is no id either
        *(hashlib.sha256(u.encode()).hexdigest()[:16] for u in comparison_uids),
        *(hashlib.blake2b(u.encode(), digest_size=8).hexdigest() for u in comparison_uids),
    ]


def _model_of_text(lead: Project) -> dict[str, str]:
    rows = lead.db.conn.execute(
        "SELECT i.generated, m.name FROM items i JOIN models m ON m.id = i.model_id"
    )
    return dict(rows.fetchall())


def _project_comparison(lead: Project) -> dict[frozenset, int]:
    rows = lead.db.conn.execute(
        "SELECT c.id, a.generated, b.generated FROM comparisons c "
        "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b"
    )
    return {frozenset((ta, tb)): cid for cid, ta, tb in rows}


def _package_tables(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = {t: conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    dump["sqlite_master"] = conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()
    return dump


def _package_pairs(path: Path) -> list[tuple[int, int, int, str, str]]:
    """(comparison row, left item row, right item row, left text, right text), by row."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = conn.execute(
        "SELECT c.id, c.item_a, c.item_b, a.generated, b.generated FROM comparisons c "
        "JOIN items a ON a.id = c.item_a JOIN items b ON b.id = c.item_b ORDER BY c.id"
    ).fetchall()
    conn.close()
    return rows


def _sheet_pairs(path: Path) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(path)["side_by_side"]
    return [(r[2], r[3]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]


def _pair_of(left_model: str, right_model: str) -> str:
    return left_model if left_model != BASE else right_model  # the candidate names the pair


# -- nothing in the bytes ------------------------------------------------------------------------
def test_no_table_or_byte_of_a_package_names_what_the_lead_hides(lead, handouts):
    for rater, (package, _) in handouts.items():
        hidden = _hidden(lead, rater)
        data = b"".join(p.read_bytes() for p in sorted(package.parent.glob("*.annotator*")))
        assert [t for t in hidden if t.encode() in data] == [], rater
        for table, rows in _package_tables(package).items():
            values = [str(v) for row in rows for v in row]
            for text in hidden:
                assert not any(text in v for v in values), (rater, table, text)
        conn = sqlite3.connect(f"file:{package}?mode=ro", uri=True)
        assert conn.execute("SELECT DISTINCT name FROM models").fetchall() == [("blind",)]
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM comparison_assignments").fetchone()[0] == 0
        conn.close()


def test_no_part_of_a_sheet_names_what_the_lead_hides(lead, handouts):
    for rater, (_, sheet) in handouts.items():
        hidden = _hidden(lead, rater)
        with zipfile.ZipFile(sheet) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        parts["<file>"] = sheet.read_bytes()
        for name, data in parts.items():
            for text in hidden:
                for encoded in (text.encode(), text.encode("utf-16-le")):
                    assert encoded.lower() not in data.lower(), (rater, name, text)
        wb = openpyxl.load_workbook(sheet)
        assert wb.sheetnames == ["ratings", "side_by_side", "rubric", "meta"]
        assert not wb.defined_names


# -- nothing in the sides ------------------------------------------------------------------------
def _left_counts(rows: list[tuple[str, str]], models: dict[str, str]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for left, right in rows:
        lm, rm = models[left], models[right]
        counts.setdefault(_pair_of(lm, rm), Counter())[lm] += 1
    return counts


def test_each_model_is_on_the_left_in_half_of_each_raters_comparisons(lead, handouts):
    models = _model_of_text(lead)
    for rater, (package, sheet) in handouts.items():
        shown = [(left, right) for _, _, _, left, right in _package_pairs(package)]
        assert sorted(shown) == sorted(_sheet_pairs(sheet))  # the sheet shows the same sides
        counts = _left_counts(shown, models)
        assert set(counts) == {CAND_1, CAND_2}
        for pair, counter in counts.items():
            total = sum(counter.values())
            assert total >= 15
            for model in (pair, BASE):
                assert abs(counter[model] - total / 2) <= 1, (rater, pair, counter)


def test_the_sides_differ_between_raters(lead, handouts):
    models, ids = _model_of_text(lead), _project_comparison(lead)
    left_model = {}
    for rater, (package, _) in handouts.items():
        for _, _, _, left, right in _package_pairs(package):
            left_model[(rater, ids[frozenset((left, right))])] = models[left]
    for one, two in [(0, 1), (0, 2), (1, 2)]:
        shared = [
            cid for (r, cid) in left_model if r == RATERS[one] and (RATERS[two], cid) in left_model
        ]
        same = [left_model[(RATERS[one], c)] == left_model[(RATERS[two], c)] for c in shared]
        assert len(shared) >= 10
        assert 0 < sum(same) < len(same), (RATERS[one], RATERS[two])  # not one fixed side


# -- nothing in the ids or the order -------------------------------------------------------------
def test_package_row_ids_say_nothing_about_the_models(lead, handouts):
    models, ids = _model_of_text(lead), _project_comparison(lead)
    project_item = dict(lead.db.conn.execute("SELECT generated, id FROM items").fetchall())
    for rater, (package, _) in handouts.items():
        pairs = _package_pairs(package)
        # is the baseline's answer the lower item row? chance, not a rule
        base_lower = [(li < ri) == (models[lt] == BASE) for _, li, ri, lt, _ in pairs]
        share = sum(base_lower) / len(base_lower)
        assert 0.2 <= share <= 0.8, (rater, share)
        # the comparison rows do not follow the project's (created pair by pair)
        tau = kendalltau(range(len(pairs)), [ids[frozenset((lt, rt))] for *_, lt, rt in pairs])
        assert abs(tau.statistic) < 0.4, (rater, tau)
        # nor do the item rows follow the import order (model by model)
        conn = sqlite3.connect(f"file:{package}?mode=ro", uri=True)
        items = conn.execute("SELECT id, generated FROM items ORDER BY id").fetchall()
        conn.close()
        tau = kendalltau([i for i, _ in items], [project_item[t] for _, t in items])
        assert abs(tau.statistic) < 0.4, (rater, tau)


def test_sheet_rows_say_nothing_about_the_models(lead, handouts):
    models, ids = _model_of_text(lead), _project_comparison(lead)
    for rater, (_, sheet) in handouts.items():
        rows = _sheet_pairs(sheet)
        tau = kendalltau(range(len(rows)), [ids[frozenset(r)] for r in rows])
        assert abs(tau.statistic) < 0.4, (rater, tau)
        runs = sum(
            1
            for a, b in zip(rows, rows[1:], strict=False)
            if _pair_of(models[a[0]], models[a[1]]) != _pair_of(models[b[0]], models[b[1]])
        )
        assert runs >= len(rows) // 5  # the two pairs are mixed, not in two blocks
        ms = openpyxl.load_workbook(sheet)["meta"]
        pair_rows = [r for r in ms.iter_rows(values_only=True) if r[0] == "pair"]
        assert len(pair_rows) == len(rows)
