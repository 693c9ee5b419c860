"""The Raters section of ``annotator report``: every flag with its reason, the adjusted
means beside the raw ones, a too-sparse note, nothing without ratings."""

from __future__ import annotations

from annotator.cli.raters_text import format_raters


def _data():
    raters = [
        {"rater": "ann", "items_done": 40, "median_seconds": 31.25, "gold_accuracy": 0.9,
         "gold_mae": 0.3, "leniency": 0.1, "flags": [], "flag_reasons": [],
         "quality_notes": []},
        {"rater": "bo", "items_done": 38, "median_seconds": 1.5, "gold_accuracy": 0.5,
         "gold_mae": 1.4, "leniency": -0.9, "flags": ["speeding", "severity"],
         "flag_reasons": ["median 1.5 s per item", "scores 0.90 points lower"],
         "quality_notes": ["drift not tested"]},
    ]  # fmt: skip
    means = [
        {"model": "A", "dimension": "rel", "raw": 3.5, "adjusted": 3.75, "n": 20, "note": None},
        {"model": "A", "dimension": "composite", "raw": 3.5, "adjusted": 3.75, "n": 20,
         "note": None},
        {"model": "B", "dimension": "rel", "raw": 3.0, "adjusted": None, "n": 7,
         "note": "too sparse to separate raters from items: rater bo shares only 2 item(s)"},
        {"model": "B", "dimension": "composite", "raw": 3.0, "adjusted": None, "n": 7,
         "note": "too sparse to separate raters from items: rater bo shares only 2 item(s)"},
    ]  # fmt: skip
    return {"stats": {"raters": raters}, "adjusted_means": means}


def test_rows_reasons_and_adjusted_means():
    lines = format_raters(_data(), {"rel": "Relevance"})
    text = "\n".join(lines)
    ann = next(line for line in lines if line.startswith("ann"))
    assert ann.split() == ["ann", "40", "31.2", "90%", "0.30", "+0.10", "-"]
    bo = lines.index(next(line for line in lines if line.startswith("bo")))
    assert lines[bo].split()[-2:] == ["speeding,", "severity"]
    assert lines[bo + 1 : bo + 4] == ["    - median 1.5 s per item",
                                      "    - scores 0.90 points lower",
                                      "    - drift not tested"]  # fmt: skip
    assert "Relevance" in text
    row_a = next(line for line in lines if line.startswith("A "))
    assert row_a.split() == ["A", "3.50", "->", "3.75", "3.50", "->", "3.75", "20"]
    row_b = next(line for line in lines if line.startswith("B "))
    assert "3.00 -> -" in row_b
    assert text.count("too sparse to separate raters from items") == 1


def test_nothing_without_raters():
    assert format_raters({"stats": {"raters": []}, "adjusted_means": []}) == []
    assert format_raters({}) == []
