"""Schema version 5 (see ``schema``): kept in its own module so each stays small."""

from __future__ import annotations

# Version 5: side-by-side comparisons (issue 16). A comparison is one sample answered by two
# models: ``item_a`` is the candidate's answer, ``item_b`` the other's (the baseline's when
# there is one), whatever is shown where. A judgment is one rater's verdict on one
# comparison and dimension ('' = overall): ``outcome`` names a model's answer (a / b), a
# tie or both unacceptable, ``left_item`` records which answer the rater saw on the left
# (the lead's file only: a package stores its comparisons as left = a). Who judges which
# comparison, and on which side each answer is shown to them, is chosen by ``assign``
# (balanced per rater). Every change of a judgment goes to its own append-only log.
V5 = """
CREATE TABLE comparisons (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    sample_id  TEXT NOT NULL,
    item_a     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    item_b     INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    CHECK (item_a <> item_b),
    UNIQUE (item_a, item_b)
);

CREATE TABLE comparison_assignments (
    comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    rater_id      INTEGER NOT NULL REFERENCES raters(id),
    left_item     INTEGER NOT NULL,
    PRIMARY KEY (comparison_id, rater_id)
) WITHOUT ROWID;
CREATE INDEX comparison_assignments_rater ON comparison_assignments(rater_id);

CREATE TABLE judgments (
    comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    rater_id      INTEGER NOT NULL REFERENCES raters(id),
    dimension     TEXT NOT NULL DEFAULT '',
    outcome       TEXT NOT NULL CHECK (outcome IN ('a', 'b', 'tie', 'both_bad')),
    strength      INTEGER CHECK (strength IS NULL OR strength IN (1, 2)),
    left_item     INTEGER NOT NULL,
    origin        TEXT NOT NULL DEFAULT 'app',
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (comparison_id, rater_id, dimension)
) WITHOUT ROWID;
CREATE INDEX judgments_rater ON judgments(rater_id, comparison_id);

CREATE TABLE comparison_notes (
    comparison_id INTEGER NOT NULL REFERENCES comparisons(id) ON DELETE CASCADE,
    rater_id      INTEGER NOT NULL REFERENCES raters(id),
    comment       TEXT NOT NULL DEFAULT '',
    flag          TEXT NOT NULL DEFAULT '',
    seconds       REAL NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (comparison_id, rater_id)
) WITHOUT ROWID;

CREATE TABLE judgment_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    comparison_id INTEGER NOT NULL,
    rater_id      INTEGER NOT NULL,
    dimension     TEXT NOT NULL,
    old_value     TEXT,
    new_value     TEXT,
    origin        TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER judgment_log_no_update BEFORE UPDATE ON judgment_log
BEGIN SELECT RAISE(ABORT, 'the judgment log is append-only'); END;
CREATE TRIGGER judgment_log_no_delete BEFORE DELETE ON judgment_log
BEGIN SELECT RAISE(ABORT, 'the judgment log is append-only'); END;
CREATE TRIGGER judgments_log_insert AFTER INSERT ON judgments
BEGIN
    INSERT INTO judgment_log (at, comparison_id, rater_id, dimension, old_value, new_value, origin)
    VALUES (NEW.updated_at, NEW.comparison_id, NEW.rater_id, NEW.dimension, NULL,
            NEW.outcome || coalesce(':' || NEW.strength, ''), NEW.origin);
END;
CREATE TRIGGER judgments_log_update AFTER UPDATE ON judgments
WHEN OLD.outcome IS NOT NEW.outcome OR OLD.strength IS NOT NEW.strength
BEGIN
    INSERT INTO judgment_log (at, comparison_id, rater_id, dimension, old_value, new_value, origin)
    VALUES (NEW.updated_at, NEW.comparison_id, NEW.rater_id, NEW.dimension,
            OLD.outcome || coalesce(':' || OLD.strength, ''),
            NEW.outcome || coalesce(':' || NEW.strength, ''), NEW.origin);
END;
CREATE TRIGGER judgments_log_delete AFTER DELETE ON judgments
BEGIN
    INSERT INTO judgment_log (at, comparison_id, rater_id, dimension, old_value, new_value, origin)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), OLD.comparison_id, OLD.rater_id,
            OLD.dimension, OLD.outcome || coalesce(':' || OLD.strength, ''), NULL, 'undo');
END;
"""
