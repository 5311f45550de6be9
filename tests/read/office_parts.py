"""Small hand-built .docx/.xlsx packages for reader edge cases (the rich fixtures are in tests/fixtures/office)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from tests.fixtures.make_fixtures import W_NS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "office"

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="{{target}}"/></Relationships>')
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')
S_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="' + REL + '"'


def write_parts(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def docx_with_body(path: Path, body_xml: str, extra: dict[str, str] | None = None) -> Path:
    """A minimal .docx whose w:body holds `body_xml`."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PKG_RELS.format(target="word/document.xml"),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body_xml}</w:body></w:document>',
    }
    parts.update(extra or {})
    return write_parts(path, parts)


def r(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(*runs: str) -> str:
    return f"<w:p>{''.join(runs)}</w:p>"


def xlsx_with_sheets(path: Path, sheets: dict[str, str], shared: list[str] | None = None,
                     states: dict[str, str] | None = None, extra: dict[str, str] | None = None) -> Path:
    """A minimal .xlsx; `sheets` maps sheet name -> the XML inside <worksheet> (e.g. '<sheetData>…')."""
    states = states or {}
    sheet_entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rIdS{i}"'
        + (f' state="{states[name]}"' if name in states else "") + "/>"
        for i, name in enumerate(sheets, 1))
    rels = "".join(f'<Relationship Id="rIdS{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i, _ in enumerate(sheets, 1))
    rels += f'<Relationship Id="rIdSS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PKG_RELS.format(target="xl/workbook.xml"),
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {S_NS}><sheets>{sheet_entries}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": ('<?xml version="1.0" encoding="UTF-8"?><Relationships '
                                       f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'),
        "xl/sharedStrings.xml": (f'<?xml version="1.0" encoding="UTF-8"?><sst {S_NS}>'
                                 + "".join(f"<si><t>{escape(s)}</t></si>" for s in shared or []) + "</sst>"),
    }
    for i, body in enumerate(sheets.values(), 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {S_NS}>{body}</worksheet>'
    parts.update(extra or {})
    return write_parts(path, parts)


def roster_xlsx(path: Path, rows: int, columns: int = 10) -> Path:
    """A one-sheet roster 「名单」: a header row 列1…列N, then `rows` rows of a shared-string name
    (column A) and 18-digit numbers (the other columns). The xlsx test and benchmark share it."""
    from prepub_review.formats.xlsx.reader import column_letters

    header = '<row r="1">' + "".join(f'<c r="{column_letters(c)}1" t="inlineStr"><is><t>列{c}</t></is></c>'
                                     for c in range(1, columns + 1)) + "</row>"
    body = "".join(
        f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 2}</v></c>'
        + "".join(f'<c r="{column_letters(c)}{i}"><v>{330483199001011234 + c}</v></c>' for c in range(2, columns + 1))
        + "</row>" for i in range(2, rows + 2))
    return xlsx_with_sheets(path, {"名单": f"<sheetData>{header}{body}</sheetData>"},
                            shared=[f"名字{i}" for i in range(rows)])
