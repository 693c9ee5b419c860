"""Render resources/icons/annotator.svg into the PNG, ICO and ICNS files the builds need.

Run from anywhere: ``python packaging/make_icons.py [--out DIR]``. Needs only PySide6.

The ICO and ICNS containers are written here rather than through Qt's image writers:
Qt writes a single image per file, while Windows and macOS pick the best of several sizes.
Both containers simply wrap PNG data, which Windows (Vista+) and macOS (10.7+) accept.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
SVG = ICON_DIR / "annotator.svg"

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# ICNS chunk type for each PNG size (Apple's icns format, PNG-payload types only).
ICNS_TYPES = (
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic10", 1024),
)
PNG_SIZE = 256


def _ensure_gui_app() -> None:
    # Painting and PNG encoding need a QGuiApplication; offscreen keeps this headless.
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _ensure_gui_app.app = QGuiApplication(sys.argv[:1])  # type: ignore[attr-defined]


def render_png(svg: Path, size: int) -> bytes:
    """Render ``svg`` to a square, transparent ``size`` x ``size`` PNG.

    Args:
        svg: The SVG file.
        size: Edge length in pixels.

    Returns:
        The PNG file's bytes.
    """
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _ensure_gui_app()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size}px PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG per size (sizes up to 256).

    Args:
        pngs: PNG bytes by edge length.

    Returns:
        The .ico file's bytes.
    """
    sizes = sorted(pngs)
    if not sizes or sizes[-1] > 256:
        raise ValueError("ICO images must be 1-256 px")
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, payload = [], []
    for size in sizes:
        data = pngs[size]
        edge = 0 if size == 256 else size  # a 0 byte means 256 in the directory
        entries.append(struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(data), offset))
        payload.append(data)
        offset += len(data)
    return header + b"".join(entries) + b"".join(payload)


def icns_bytes(chunks: list[tuple[str, bytes]]) -> bytes:
    """A macOS .icns: the 'icns' magic, the total length, then (type, length, PNG) chunks.

    Args:
        chunks: (four-letter icns type, PNG bytes) pairs.

    Returns:
        The .icns file's bytes.
    """
    body = b"".join(
        kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data for kind, data in chunks
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(svg: Path = SVG, out: Path = ICON_DIR) -> list[Path]:
    """Write annotator.png (256 px), annotator.ico and annotator.icns next to each other.

    Args:
        svg: The source drawing.
        out: The folder to write into.

    Returns:
        The files written.
    """
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(ICO_SIZES) | {size for _, size in ICNS_TYPES} | {PNG_SIZE})
    pngs = {size: render_png(svg, size) for size in sizes}
    written = {
        out / "annotator.png": pngs[PNG_SIZE],
        out / "annotator.ico": ico_bytes({size: pngs[size] for size in ICO_SIZES}),
        out / "annotator.icns": icns_bytes([(kind, pngs[size]) for kind, size in ICNS_TYPES]),
    }
    for path, data in written.items():
        path.write_bytes(data)
    return list(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", type=Path, default=SVG, help="the source SVG")
    parser.add_argument("--out", type=Path, default=ICON_DIR, help="where to write the icons")
    args = parser.parse_args(argv)
    for path in make_icons(args.svg, args.out):
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
