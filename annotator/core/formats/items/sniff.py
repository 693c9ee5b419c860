"""Find out what a file is: its text encoding and its format, from content first, name second."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from annotator.core.domain.errors import InputError, Problem
from annotator.core.domain.message import Message

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls (Excel 97-2003)
_BOMS = (  # UTF-32 first: its little-endian BOM starts with the UTF-16 one
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_DELIMITERS = (",", "\t", ";", "|")
_EXT_DELIMITER = {".csv": ",", ".tsv": "\t", ".tab": "\t", ".txt": "\t"}


@dataclass(frozen=True)
class Sniffed:
    """What a file turned out to be.

    ``format`` is one of csv, tsv, xlsx, json, jsonl; ``text`` is the decoded
    content (``None`` for xlsx); ``delimiter`` is set for csv and tsv.
    """

    format: str
    encoding: str | None
    text: str | None
    delimiter: str | None = None


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode bytes by BOM, then strict UTF-8, then GB18030.

    Returns:
        ``(text, encoding)``; the text never starts with a BOM.

    Raises:
        InputError: when none of the encodings reads the file.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff"), (
                    _bom_name(bom) if encoding != "utf-8-sig" else encoding
                )
            except UnicodeDecodeError as exc:
                raise InputError(
                    Problem(
                        Message(
                            "the file starts with a {encoding} mark but is not {encoding}: {error}",
                            encoding=encoding,
                            error=exc,
                        ),
                        file=file,
                    )
                ) from exc
    guessed = _utf16_without_bom(data)
    if guessed:
        try:
            return data.decode(guessed), guessed
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise InputError(
            Problem(
                Message(
                    "cannot read the text: invalid byte 0x{byte:02x} on line "
                    "{line} for UTF-8, and the file is not GB18030/GBK or UTF-16 either; "
                    "save it as UTF-8 (in Excel: 'CSV UTF-8')",
                    byte=data[utf8_error.start],
                    line=line,
                ),
                file=file,
            )
        ) from None


def _bom_name(bom: bytes) -> str:
    return {
        b"\xff\xfe\x00\x00": "utf-32-le",
        b"\x00\x00\xfe\xff": "utf-32-be",
        b"\xff\xfe": "utf-16-le",
        b"\xfe\xff": "utf-16-be",
    }[bom]


def _utf16_without_bom(data: bytes) -> str | None:
    """Guess UTF-16 without a BOM from NUL bytes on one side (ASCII-heavy headers)."""
    head = data[:4096]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even < odd // 8:
        return "utf-16-le"
    if even > len(head) // 4 and odd < even // 8:
        return "utf-16-be"
    return None


def sniff(data: bytes, path: Path) -> Sniffed:
    """Tell the format and encoding of a file's bytes.

    Raises:
        InputError: empty file, an .xlsx that is not a zip, an old .xls, unreadable text.
    """
    file = str(path)
    ext = path.suffix.lower()
    if data.startswith(_ZIP_MAGIC):
        return Sniffed("xlsx", None, None)
    if data.startswith(_OLE_MAGIC):
        if ext in (".xlsx", ".xlsm"):  # Excel stores password-protected workbooks this way
            message = Message(
                "this workbook is password-protected (or an old .xls renamed); remove the "
                "password in Excel, or save it as .xlsx or CSV UTF-8"
            )
        else:
            message = Message(
                "this is an old Excel 97-2003 (.xls) workbook; open it in Excel and save "
                "it as .xlsx or CSV UTF-8"
            )
        raise InputError(Problem(message, file=file))
    if ext in (".xlsx", ".xlsm"):
        raise InputError(
            Problem(
                Message(
                    "expected an Excel .xlsx workbook (a zip archive) but the file is not one; "
                    "if it is a text table, rename it to .csv"
                ),
                file=file,
            )
        )
    text, encoding = decode(data, file)
    stripped = text.lstrip()
    if not stripped:
        raise InputError(Problem(Message("the file is empty"), file=file))
    first = stripped[0]
    if ext == ".jsonl" or (first == "{" and ext != ".json"):
        return Sniffed("jsonl", encoding, text)
    if first in "[{":
        return Sniffed("json", encoding, text)
    fmt, delimiter = _delimited(text, ext)
    return Sniffed(fmt, encoding, text, delimiter)


def _delimited(text: str, ext: str) -> tuple[str, str]:
    """Pick the delimiter that splits the first records into a steady number (> 1) of fields."""
    sample = text[:65536]
    if len(text) > len(sample):
        sample = sample[: sample.rfind("\n") + 1] or sample  # drop a cut-off last line
    best: tuple[int, int, int] | None = None
    chosen = _EXT_DELIMITER.get(ext, ",")
    preferred = chosen
    for delim in _DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(sample), delimiter=delim) if r][:50]
        except csv.Error:
            continue
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        steady = sum(len(r) == width for r in records) / len(records)
        is_steady = steady >= 0.9
        score = (int(is_steady), int(is_steady and delim == preferred), width)
        if best is None or score > best:
            best, chosen = score, delim
    return ("tsv" if chosen == "\t" else "csv"), chosen
