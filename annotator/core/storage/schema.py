"""The project file's schema, as an ordered list of migrations.

``PRAGMA user_version`` holds the schema version. A file is brought up to
``SCHEMA_VERSION`` by running every migration after its version, in one
transaction, after a backup copy has been written (see ``connection.open_db``).
Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

from annotator.core.storage.schema_v5 import V5
from annotator.core.storage.schema_v6 import V6
from annotator.core.storage.schema_v7 import V7

# Version 1: the first schema (foundation).
V1 = """
CREATE TABLE project (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE models (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    model_id    INTEGER NOT NULL REFERENCES models(id),
    format      TEXT NOT NULL,
    encoding    TEXT,
    n_items     INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (sha256, model_id)
);

CREATE TABLE items (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL,  -- unique: checked on import (an index slowed imports by 30%)
    sample_id    TEXT NOT NULL,
    model_id     INTEGER NOT NULL REFERENCES models(id),
    instruction  TEXT NOT NULL,
    reference    TEXT NOT NULL,
    generated    TEXT NOT NULL,
    source_id    INTEGER REFERENCES sources(id),
    source_row   INTEGER,
    metadata     TEXT NOT NULL DEFAULT '{}',
    content_hash TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (model_id, sample_id)
);

CREATE TABLE raters (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE dimensions (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    position       INTEGER NOT NULL,
    name_en        TEXT NOT NULL,
    name_zh        TEXT NOT NULL,
    description_en TEXT NOT NULL DEFAULT '',
    description_zh TEXT NOT NULL DEFAULT '',
    anchors_en     TEXT NOT NULL DEFAULT '[]',
    anchors_zh     TEXT NOT NULL DEFAULT '[]',
    weight         REAL NOT NULL DEFAULT 1.0
);

CREATE TABLE ratings (
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    rater_id     INTEGER NOT NULL REFERENCES raters(id),
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    origin       TEXT NOT NULL DEFAULT 'app',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (item_id, rater_id, dimension_id)
) WITHOUT ROWID;
CREATE INDEX ratings_rater ON ratings(rater_id, item_id);

CREATE TABLE annotations (
    item_id    INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    rater_id   INTEGER NOT NULL REFERENCES raters(id),
    comment    TEXT NOT NULL DEFAULT '',
    flag       TEXT NOT NULL DEFAULT '',
    seconds    REAL NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (item_id, rater_id)
) WITHOUT ROWID;

CREATE TABLE gates (
    key       TEXT PRIMARY KEY,
    position  INTEGER NOT NULL,
    spec      TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE metric_values (
    item_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    origin    TEXT NOT NULL CHECK (origin IN ('imported', 'computed')),
    value     REAL,
    signature TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, name, origin)
) WITHOUT ROWID;

-- Append-only: every change of a score, written by triggers so no code path can forget it.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    action       TEXT NOT NULL,
    item_id      INTEGER NOT NULL,
    rater_id     INTEGER,
    dimension_id INTEGER,
    old_value    TEXT,
    new_value    TEXT,
    origin       TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TRIGGER ratings_audit_insert AFTER INSERT ON ratings
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'score', NEW.item_id, NEW.rater_id, NEW.dimension_id, NULL,
            NEW.score, NEW.origin);
END;
CREATE TRIGGER ratings_audit_update AFTER UPDATE OF score ON ratings
WHEN OLD.score IS NOT NEW.score
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'score', NEW.item_id, NEW.rater_id, NEW.dimension_id, OLD.score,
            NEW.score, NEW.origin);
END;
CREATE TRIGGER ratings_audit_delete AFTER DELETE ON ratings
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unscore', OLD.item_id, OLD.rater_id,
            OLD.dimension_id, OLD.score, NULL, 'undo');
END;
"""

# Version 2: team workflow and adjudication (assignments, packages merged, adjudicated scores).
V2 = """
CREATE TABLE assignments (
    item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    rater_id INTEGER NOT NULL REFERENCES raters(id),
    shared   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (item_id, rater_id)
) WITHOUT ROWID;
CREATE INDEX assignments_rater ON assignments(rater_id);

CREATE TABLE merges (
    id         INTEGER PRIMARY KEY,
    rater_id   INTEGER NOT NULL REFERENCES raters(id),
    package_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    path       TEXT NOT NULL,
    merged_at  TEXT NOT NULL,
    n_new      INTEGER NOT NULL,
    n_changed  INTEGER NOT NULL,
    n_same     INTEGER NOT NULL
);

CREATE TABLE adjudications (
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    note         TEXT NOT NULL DEFAULT '',
    by_whom      TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (item_id, dimension_id)
) WITHOUT ROWID;

CREATE TRIGGER adjudications_audit_insert AFTER INSERT ON adjudications
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'adjudicate', NEW.item_id, NULL, NEW.dimension_id, NULL, NEW.score,
            NEW.by_whom);
END;
CREATE TRIGGER adjudications_audit_update AFTER UPDATE OF score ON adjudications
WHEN OLD.score IS NOT NEW.score
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'adjudicate', NEW.item_id, NULL, NEW.dimension_id, OLD.score,
            NEW.score, NEW.by_whom);
END;
"""

# Version 3: scores are integers, not only numbers between 1 and 5 (a REAL 4.5 passed the
# old CHECK and made every statistic "not computable"), and the hand-outs a lead made are
# remembered (their seal is recomputed from the project's secret; the row records what was
# handed out, so a merge can say when a file comes back with less than it left with).
# SQLite cannot change a CHECK in place: the two score tables are rebuilt. Their triggers
# are dropped first, so the rebuild itself writes nothing to the audit log; a score that is
# not a whole number (only a tampered file could have written one) is not carried over,
# and the audit log records that it was dropped.
V3 = """
DROP TRIGGER ratings_audit_insert;
DROP TRIGGER ratings_audit_update;
DROP TRIGGER ratings_audit_delete;
DROP TRIGGER adjudications_audit_insert;
DROP TRIGGER adjudications_audit_update;

INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unscore', item_id, rater_id, dimension_id,
       score, NULL, 'migration: not a whole score'
FROM ratings WHERE score <> CAST(score AS INTEGER) OR score NOT BETWEEN 1 AND 5;

ALTER TABLE ratings RENAME TO ratings_v2;
CREATE TABLE ratings (
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    rater_id     INTEGER NOT NULL REFERENCES raters(id),
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id),
    score        INTEGER NOT NULL CHECK (typeof(score) = 'integer' AND score BETWEEN 1 AND 5),
    origin       TEXT NOT NULL DEFAULT 'app',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (item_id, rater_id, dimension_id)
) WITHOUT ROWID;
INSERT INTO ratings (item_id, rater_id, dimension_id, score, origin, updated_at)
SELECT item_id, rater_id, dimension_id, CAST(score AS INTEGER), origin, updated_at
FROM ratings_v2 WHERE score = CAST(score AS INTEGER) AND score BETWEEN 1 AND 5;
DROP TABLE ratings_v2;
CREATE INDEX ratings_rater ON ratings(rater_id, item_id);

INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unadjudicate', item_id, NULL, dimension_id,
       score, NULL, 'migration: not a whole score'
FROM adjudications WHERE score <> CAST(score AS INTEGER) OR score NOT BETWEEN 1 AND 5;

ALTER TABLE adjudications RENAME TO adjudications_v2;
CREATE TABLE adjudications (
    item_id      INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    dimension_id INTEGER NOT NULL REFERENCES dimensions(id),
    score        INTEGER NOT NULL CHECK (typeof(score) = 'integer' AND score BETWEEN 1 AND 5),
    note         TEXT NOT NULL DEFAULT '',
    by_whom      TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (item_id, dimension_id)
) WITHOUT ROWID;
INSERT INTO adjudications (item_id, dimension_id, score, note, by_whom, updated_at)
SELECT item_id, dimension_id, CAST(score AS INTEGER), note, by_whom, updated_at
FROM adjudications_v2 WHERE score = CAST(score AS INTEGER) AND score BETWEEN 1 AND 5;
DROP TABLE adjudications_v2;

CREATE TRIGGER ratings_audit_insert AFTER INSERT ON ratings
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'score', NEW.item_id, NEW.rater_id, NEW.dimension_id, NULL,
            NEW.score, NEW.origin);
END;
CREATE TRIGGER ratings_audit_update AFTER UPDATE OF score ON ratings
WHEN OLD.score IS NOT NEW.score
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'score', NEW.item_id, NEW.rater_id, NEW.dimension_id, OLD.score,
            NEW.score, NEW.origin);
END;
CREATE TRIGGER ratings_audit_delete AFTER DELETE ON ratings
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'unscore', OLD.item_id, OLD.rater_id,
            OLD.dimension_id, OLD.score, NULL, 'undo');
END;
CREATE TRIGGER adjudications_audit_insert AFTER INSERT ON adjudications
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'adjudicate', NEW.item_id, NULL, NEW.dimension_id, NULL, NEW.score,
            NEW.by_whom);
END;
CREATE TRIGGER adjudications_audit_update AFTER UPDATE OF score ON adjudications
WHEN OLD.score IS NOT NEW.score
BEGIN
    INSERT INTO audit_log (at, action, item_id, rater_id, dimension_id, old_value, new_value, origin)
    VALUES (NEW.updated_at, 'adjudicate', NEW.item_id, NULL, NEW.dimension_id, OLD.score,
            NEW.score, NEW.by_whom);
END;

CREATE TABLE handouts (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('package', 'sheet')),
    rater_id    INTEGER NOT NULL REFERENCES raters(id),
    created_at  TEXT NOT NULL,
    n_items     INTEGER NOT NULL,
    n_scores    INTEGER NOT NULL
) WITHOUT ROWID;
"""

# Version 4: one signature per metric run, not one per value. Every value used to carry its
# own signature and was read back with MAX(signature), so a metric imported from two files
# was labelled with one file's signature. A run (one metric computed by one preset, or one
# metric column of one imported file) now holds the signature once, and each value points
# to the run that produced it. Existing values are grouped into runs by (name, origin,
# signature); every value is kept. A computed run's time is taken from the stored report of
# its preset when there is one; otherwise the time of the migration.
V4 = """
CREATE TABLE metric_runs (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    origin     TEXT NOT NULL CHECK (origin IN ('imported', 'computed')),
    signature  TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',  -- the file an imported run came from
    preset     TEXT NOT NULL DEFAULT '',  -- the preset a computed run belongs to
    created_at TEXT NOT NULL,
    n_values   INTEGER NOT NULL DEFAULT 0  -- how many values the run wrote
);

INSERT INTO metric_runs (name, origin, signature, source, preset, created_at, n_values)
SELECT v.name, v.origin, v.signature,
       CASE WHEN v.origin = 'imported' AND v.signature LIKE 'imported|file:%'
            THEN substr(v.signature, 15) ELSE '' END,
       CASE WHEN v.origin <> 'computed' THEN ''
            WHEN instr(v.name, '/') > 0 THEN substr(v.name, 1, instr(v.name, '/') - 1)
            ELSE 'default' END,
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), count(*)
FROM metric_values v GROUP BY v.name, v.origin, v.signature ORDER BY v.origin, v.name, v.signature;

UPDATE metric_runs SET created_at = coalesce((
    SELECT CASE WHEN json_valid(p.value) AND json_type(p.value) = 'object'
                AND json_type(p.value, '$.computed_at') = 'text'
           THEN json_extract(p.value, '$.computed_at') END
    FROM project p WHERE p.key = 'metrics_run:' || metric_runs.preset
), created_at) WHERE origin = 'computed';

ALTER TABLE metric_values RENAME TO metric_values_v3;
CREATE TABLE metric_values (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    origin  TEXT NOT NULL CHECK (origin IN ('imported', 'computed')),
    value   REAL,
    -- no REFERENCES: a foreign key check on every value made storing 400,000 values
    -- 15-30% slower; metric_runs.py writes the run before its values and removes a run
    -- only when no value points to it
    run_id  INTEGER NOT NULL,
    -- one metric's values side by side: a run is written and read as one range
    PRIMARY KEY (name, origin, item_id)
) WITHOUT ROWID;
INSERT INTO metric_values (item_id, name, origin, value, run_id)
SELECT v.item_id, v.name, v.origin, v.value, r.id
FROM metric_values_v3 v
JOIN metric_runs r ON r.name = v.name AND r.origin = v.origin AND r.signature = v.signature;
DROP TABLE metric_values_v3;
"""

MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4, V5, V6, V7)
SCHEMA_VERSION = len(MIGRATIONS)
APPLICATION_ID = 0x414E4E54  # "ANNT": marks a SQLite file as an annotator project
