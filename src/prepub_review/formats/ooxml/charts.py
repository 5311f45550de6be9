"""Charts in a Word or Excel file: the labels they draw, read from the chart part's own cache.

A chart does not draw from the sheet but from a copy kept in its part (c:strCache): that copy is what
a reader of the published file sees, and it stays when the sheet is redacted, hidden or deleted (a
Word chart's sheet is an embedded workbook, see embedded.py). Read here, one segment per value, each
with an ElementTextAnchor so that redaction edits the copy in place: the chart's and axes' titles and
data-label text (a:t), series names, and category labels (names, villages...). Numbers (c:numCache)
are amounts and counts, not read. Each series keeps its own copy of the categories: each copy is read.
`same_values_replaced` is the writers' safety net: a value redacted anywhere in the file is replaced
wherever a chart's copy holds it, whether or not the chart's label was a finding of its own, and in
the rendered shapes of SmartArt graphics (a second copy of their text, which Word shows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from prepub_review.formats.ooxml.package import ElementTextAnchor, OoxmlPackage
from prepub_review.models import Locator, Segment, Zone

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C_SER, C_TX, C_CAT, C_PT, C_V = (f"{{{C}}}{name}" for name in ("ser", "tx", "cat", "pt", "v"))
A_T = f"{{{A}}}t"
CHART_PART = re.compile(r"^(?:word|xl|ppt)/charts/chart[^/]*\.xml$")
# A SmartArt graphic's rendered shapes: the same text as its data part (read by the docx reader), drawn.
DIAGRAM_DRAWING = re.compile(r"^(?:word|xl|ppt)/diagrams/drawing[^/]*\.xml$")


def chart_parts(package: OoxmlPackage) -> list[str]:
    return sorted(name for name in package.names if CHART_PART.match(name))


def chart_items(package: OoxmlPackage) -> Iterator[Segment]:
    for part in chart_parts(package):
        root = package.parse(part)
        label = f"图表「{PurePosixPath(part).stem}」"
        for number, element in enumerate(root.iter(A_T), 1):
            yield from _value(element, f"{label} 文字", None, None, Locator("chart", (part, "text", number)))
        for series, ser in enumerate(root.iter(C_SER), 1):
            name = ser.find(C_TX)
            for value in name.iter(C_V) if name is not None else ():
                yield from _value(value, f"{label} 系列{series}名称", None, None,
                                  Locator("chart", (part, series, "name")))
            categories = ser.find(C_CAT)
            for point in categories.iter(C_PT) if categories is not None else ():
                item = int(point.get("idx") or 0) + 1
                for value in point.iter(C_V):
                    yield from _value(value, f"{label} 系列{series} 第{item}项", None, f"{label} 第{item}项",
                                      Locator("chart", (part, series, item)))


def _value(element, location: str, field: str | None, record: str | None, locator: Locator) -> Iterator[Segment]:
    raw = element.text or ""
    text = raw.strip()
    if text:
        yield Segment(text, location, Zone.TABLE if record else Zone.BODY, field=field, record=record,
                      locator=locator, anchor=ElementTextAnchor(element, raw.index(text)))


def same_values_replaced(package, edits) -> int:
    """Replace, in every chart's labels and SmartArt's drawn text, each edited value (the raw text of an edit's finding) by its
    replacement; returns how many labels changed. `package` is an EditablePackage."""
    pairs = sorted({(edit.finding.text, edit.replacement) for edit in edits if edit.finding.text.strip()},
                   key=lambda pair: -len(pair[0]))
    changed = 0
    copies = chart_parts(package) + sorted(name for name in package.names if DIAGRAM_DRAWING.match(name))
    for part in copies if pairs else ():
        root = package.parse(part)
        for element in root.iter(C_V, A_T):
            text = element.text or ""
            new = text
            for raw, replacement in pairs:
                if raw in new:
                    new = new.replace(raw, replacement)
            if new != text:
                element.text = new
                changed += 1
                package.touch(element)
    return changed
