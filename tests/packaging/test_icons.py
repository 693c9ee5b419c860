"""The app icon: the SVG, and the PNG/ICO/ICNS files generated from it, read back by Qt."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


@pytest.fixture(scope="module", autouse=True)
def gui_app(qapp):
    return qapp


def read_all(path: Path, fmt: str) -> list[QImage]:
    """Every image in a multi-image file, decoded by Qt's own plugin for the format."""
    reader = QImageReader(str(path), fmt.encode())
    assert reader.canRead(), f"Qt cannot read {path.name}: {reader.errorString()}"
    images = []
    for _ in range(reader.imageCount()):
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        images.append(image)
        reader.jumpToNextImage()
    return images


def test_svg_is_a_valid_square_drawing():
    renderer = QSvgRenderer(str(ICONS / "annotator.svg"))
    assert renderer.isValid()
    box = renderer.viewBoxF()
    assert box.width() == box.height() > 0


def test_png_is_256_with_a_transparent_outside(icons_script):
    image = QImage(str(ICONS / "annotator.png"))
    assert (image.width(), image.height()) == (256, 256)
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # outside the rounded corner
    assert image.pixelColor(128, 128).alpha() == 255


def test_ico_holds_every_size_up_to_256(icons_script):
    images = read_all(ICONS / "annotator.ico", "ico")
    sizes = sorted(image.width() for image in images)
    assert sizes == sorted(icons_script.ICO_SIZES)
    assert all(image.width() == image.height() for image in images)


def test_ico_directory_follows_the_format(icons_script):
    # Windows reads the directory, not Qt: reserved 0, type 1, 256 written as 0, sizes add up.
    data = (ICONS / "annotator.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(icons_script.ICO_SIZES))
    end = 6 + 16 * count
    for i in range(count):
        width, height, _, _, planes, bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert width == height and planes == 1 and bits == 32
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        end = max(end, offset + size)
    assert end == len(data)


def test_icns_holds_the_retina_sizes(icons_script):
    data = (ICONS / "annotator.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    images = read_all(ICONS / "annotator.icns", "icns")
    sizes = sorted(image.width() for image in images)
    assert sizes == sorted(size for _, size in icons_script.ICNS_TYPES)
    assert 256 in sizes and 512 in sizes  # 'ic08' and 'ic09'


def _pixels(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(image.constBits())[: image.sizeInBytes()]


def test_committed_icons_match_the_svg(icons_script, tmp_path):
    # Someone who edits the SVG must rerun packaging/make_icons.py.
    icons_script.make_icons(ICONS / "annotator.svg", tmp_path)
    fresh = QImage(str(tmp_path / "annotator.png"))
    committed = QImage(str(ICONS / "annotator.png"))
    assert fresh.size() == committed.size(), "run: python packaging/make_icons.py"
    # Qt releases round antialiased edges differently (6.11.3 moves 8 channel values of
    # 256x256x4 by one step); an edited SVG moves thousands by far more.
    pairs = zip(_pixels(fresh), _pixels(committed), strict=True)
    moved = [abs(a - b) for a, b in pairs if a != b]
    assert len(moved) < 64 and max(moved, default=0) <= 2, "run: python packaging/make_icons.py"


def test_small_sizes_stay_legible(icons_script):
    # At 16 px the white check mark must survive antialiasing: a stroke of solid near-white
    # pixels on the dark tile (the score bars are lighter blue, below this threshold).
    image = QImage.fromData(icons_script.render_png(ICONS / "annotator.svg", 16))
    white = [
        (x, y)
        for x in range(16)
        for y in range(16)
        if image.pixelColor(x, y).alpha() == 255 and image.pixelColor(x, y).lightness() > 230
    ]
    assert len(white) >= 10
    assert max(x for x, _ in white) - min(x for x, _ in white) >= 6  # spans the tile
