"""Fixtures that write real input files the way other tools write them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

TRIPLES = [
    ("s1", "把这句话翻译成英文：你好", "Hello", "Hello there"),
    ("s2", "写一首关于秋天的诗", "秋风起，落叶黄。", "秋天来了，叶子落了。"),
    ("s3", 'Say "hi",\nthen stop', "hi", "hi!"),
]


def _csv_text(header: list[str], rows: list[tuple], delimiter: str = ",") -> str:
    """CSV as the csv module writes it (quotes cells holding delimiters, quotes, newlines)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def csv_text():
    """csv_text(header, rows, delimiter=",") -> CSV text with CRLF line ends."""
    return _csv_text


@pytest.fixture
def triples():
    """Three (id, instruction, reference, generated) rows: Chinese, quotes, a newline."""
    return TRIPLES


@pytest.fixture
def write(tmp_path: Path):
    """write(name, text_or_bytes, encoding="utf-8") -> Path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture
def write_jsonl(tmp_path: Path):
    def _write(name: str, records: list) -> Path:
        path = tmp_path / name
        lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return _write


@pytest.fixture
def write_xlsx(tmp_path: Path):
    def _write(name: str, sheets: dict[str, list[list]]) -> Path:
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            ws = book.create_sheet(title)
            for row in rows:
                ws.append(row)
        path = tmp_path / name
        book.save(path)
        return path

    return _write
