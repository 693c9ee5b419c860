"""Schema version 7 (see ``schema``): gold items and a calibration round (issue 18).

``gold`` holds the lead's expected score of an (item, dimension) and how far a rater may
be from it (``tolerance``, in points); ``origin`` says where it came from (the file it was
imported from, or ``adjudicated``). It is the lead's alone: a package is written from
scratch (``create_db``) and no hand-out copies a row of it, so a gold item travels as an
ordinary item (the blindness tests check the bytes).

``assignment_rounds`` marks the assignments of a calibration round (every rater the same
items, handed out first); an assignment without a row here is of the main round. A table
of its own, not a column on ``assignments``: the migration stays additive for every file
that reaches it (an older package's copy is migrated too), and the row goes with its
assignment (the foreign key cascades).
"""

from __future__ import annotations

V7 = """
CREATE TABLE gold (
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id),
    expected     INTEGER NOT NULL CHECK (typeof(expected) = 'integer' AND expected BETWEEN 1 AND 5),
    tolerance    REAL NOT NULL DEFAULT 1 CHECK (tolerance >= 0),
    origin       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, dimension_id)
) WITHOUT ROWID;

CREATE TABLE assignment_rounds (
    item_id  INTEGER NOT NULL,
    rater_id INTEGER NOT NULL,
    round    TEXT NOT NULL DEFAULT 'calibration' CHECK (round IN ('calibration')),
    PRIMARY KEY (item_id, rater_id),
    FOREIGN KEY (item_id, rater_id) REFERENCES assignments(item_id, rater_id) ON DELETE CASCADE
) WITHOUT ROWID;
"""
