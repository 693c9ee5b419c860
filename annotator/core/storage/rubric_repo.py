"""The project's rubric: dimensions with names, descriptions, anchors and weights."""

from __future__ import annotations

import json
import sqlite3

from annotator.core.domain.models import Dimension, Rubric


class RubricRepo:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def save(self, rubric: Rubric) -> None:
        """Insert or update every dimension (keys are stable; ratings refer to them)."""
        for position, d in enumerate(rubric.dimensions):
            self.conn.execute(
                "INSERT INTO dimensions (key, position, name_en, name_zh, description_en, "
                "description_zh, anchors_en, anchors_zh, weight) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(key) DO UPDATE SET position=excluded.position, "
                "name_en=excluded.name_en, name_zh=excluded.name_zh, "
                "description_en=excluded.description_en, description_zh=excluded.description_zh, "
                "anchors_en=excluded.anchors_en, anchors_zh=excluded.anchors_zh, "
                "weight=excluded.weight",
                (
                    d.key,
                    position,
                    d.name_en,
                    d.name_zh,
                    d.description_en,
                    d.description_zh,
                    json.dumps(list(d.anchors_en), ensure_ascii=False),
                    json.dumps(list(d.anchors_zh), ensure_ascii=False),
                    d.weight,
                ),
            )

    def load(self) -> Rubric:
        rows = self.conn.execute(
            "SELECT key, name_en, name_zh, description_en, description_zh, anchors_en, "
            "anchors_zh, weight FROM dimensions ORDER BY position"
        ).fetchall()
        return Rubric(
            tuple(
                Dimension(
                    key=r[0],
                    name_en=r[1],
                    name_zh=r[2],
                    description_en=r[3],
                    description_zh=r[4],
                    anchors_en=tuple(json.loads(r[5])),
                    anchors_zh=tuple(json.loads(r[6])),
                    weight=r[7],
                )
                for r in rows
            )
        )

    def ids(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT key, id FROM dimensions").fetchall())
