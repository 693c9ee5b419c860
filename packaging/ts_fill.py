"""Fill translations into a .ts file from a {source: translation} map (keeps lupdate's layout).

python packaging/ts_fill.py resources/i18n/annotator_zh_CN.ts translations.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape


def fill(ts: Path, mapping: dict[str, str]) -> int:
    text = ts.read_text(encoding="utf-8")
    filled = 0
    for source, target in mapping.items():
        # lupdate leaves new entries empty, or pre-fills a guess from another context;
        # both are marked unfinished until a translation is given here.
        pattern = re.compile(
            "(<source>" + re.escape(escape(source)) + "</source>\\s*)"
            '<translation type="unfinished"(?:/>|>[^<]*</translation>)'
        )
        done = f"<translation>{escape(target)}</translation>"
        text, n = pattern.subn(lambda m, done=done: m.group(1) + done, text)
        filled += n
    ts.write_text(text, encoding="utf-8")
    return filled


if __name__ == "__main__":
    path, table = Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    print(f"filled {fill(path, table)} translation(s)")
