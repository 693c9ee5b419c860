"""Schema version 6 (see ``schema``): LLM judges (issue 17).

A judge is a kind of rater kept in its own tables, so no query of human work (means,
agreement, verdicts, hand-outs, a rater's session) can see it by accident: the human
statistics read ``ratings`` and ``judgments``, never these. A judge counts with the humans
only when the lead promotes it (``judges.promoted``), and then the evaluation adds it in
under its name, saying so. ``signature`` is how the judge was made (endpoint, model,
prompt hash, sampling settings; or the file it was imported from), as JSON; never a key.
A side-by-side judge sees each comparison in both orders: one row per order
(``left_item``), combined when read. ``judge_failures`` records what a run could not get
(a reply that did not parse or was out of scale after its retries), never a made-up score.
"""

from __future__ import annotations

V6 = """
CREATE TABLE judges (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    signature  TEXT NOT NULL DEFAULT '{}',
    promoted   INTEGER NOT NULL DEFAULT 0 CHECK (promoted IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE judge_scores (
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    judge_id     INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id),
    score        INTEGER NOT NULL CHECK (typeof(score) = 'integer' AND score BETWEEN 1 AND 5),
    reason       TEXT NOT NULL DEFAULT '',
    origin       TEXT NOT NULL DEFAULT 'run',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (judge_id, item_id, dimension_id)
) WITHOUT ROWID;

CREATE TABLE judge_judgments (
    comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    judge_id      INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    dimension     TEXT NOT NULL DEFAULT '',
    left_item     INTEGER NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('a', 'b', 'tie', 'both_bad')),
    reason        TEXT NOT NULL DEFAULT '',
    origin        TEXT NOT NULL DEFAULT 'run',
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (judge_id, comparison_id, dimension, left_item)
) WITHOUT ROWID;

CREATE TABLE judge_failures (
    judge_id   INTEGER NOT NULL REFERENCES judges(id) ON DELETE CASCADE,
    unit       TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    error      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (judge_id, unit)
) WITHOUT ROWID;
"""
