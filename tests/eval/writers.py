"""A tiny document model and one writer per format, for samples, the evaluation set and the benchmark.

A `Doc` holds what a clerk puts in a file: lines above the title (份号, 密级), a title, paragraphs
and tables, and the places where text hides (comments, tracked deletions, hidden text, hidden
columns and sheets, properties). Each format supports only some hiding places; a writer refuses
a Doc that uses a place it cannot render, so an evaluation manifest never lists text that is not
in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

FIXED_TIME = dt.datetime(2026, 10, 15, 9, 30, 0)


@dataclass
class Table:
    headers: list[str]                       # empty for a key/value form (审批表) laid out as a grid
    rows: list[list[str | int]]
    caption: str | None = None
    hidden_columns: frozenset[int] = frozenset()   # xlsx only
    hidden_rows: frozenset[int] = frozenset()      # xlsx only: indexes into rows


@dataclass
class Comment:
    text: str
    author: str = "审核人"
    anchor: int = 0          # index into Doc.blocks; docx anchors on that paragraph/table's first cell


@dataclass
class Doc:
    title: str
    blocks: list[str | Table] = field(default_factory=list)
    pre_title: list[str] = field(default_factory=list)     # 份号, 密级 lines above the title
    header: str | None = None                              # page header (every page)
    footer: str | None = None
    comments: list[Comment] = field(default_factory=list)
    deletions: list[tuple[int, str]] = field(default_factory=list)   # (paragraph block, deleted text)
    hidden_text: list[str] = field(default_factory=list)   # docx vanish run, html display:none
    hidden_inputs: list[tuple[str, str]] = field(default_factory=list)   # html <input type=hidden>
    hidden_sheets: list[tuple[str, Table]] = field(default_factory=list)  # xlsx only
    properties: dict[str, str] = field(default_factory=dict)   # author, title, subject, keywords, comments

    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


# Which hiding places each format can render.
FEATURES: dict[str, set[str]] = {
    "docx": {"pre_title", "header", "footer", "comments", "deletions", "hidden_text", "properties"},
    "xlsx": {"comments", "hidden_columns", "hidden_rows", "hidden_sheets", "properties"},
    "html": {"pre_title", "header", "footer", "comments", "hidden_text", "hidden_inputs", "properties"},
    "pdf": {"pre_title", "header", "footer", "properties"},
    "txt": {"pre_title", "header", "footer"},
    "csv": set(),
}


def used_features(doc: Doc) -> set[str]:
    used = {name for name in ("pre_title", "header", "footer", "comments", "deletions", "hidden_text",
                              "hidden_inputs", "hidden_sheets", "properties") if getattr(doc, name)}
    if any(t.hidden_columns for t in doc.tables()):
        used.add("hidden_columns")
    if any(t.hidden_rows for t in doc.tables()):
        used.add("hidden_rows")
    return used


def write(doc: Doc, path: Path, *, encoding: str = "utf-8") -> Path:
    fmt = path.suffix.lstrip(".").lower()
    fmt = "html" if fmt == "htm" else fmt
    unsupported = used_features(doc) - FEATURES[fmt]
    if unsupported:
        raise ValueError(f"{path.name}: format {fmt} cannot hold {sorted(unsupported)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    WRITERS[fmt](doc, path, encoding)
    return path


def cell_text(value: str | int) -> str:
    return str(value)


# ---------------------------------------------------------------- docx

def write_docx(doc: Doc, path: Path, encoding: str) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    for line in doc.pre_title:
        document.add_paragraph(line)
    document.add_paragraph(doc.title, style="Title")
    anchors: dict[int, object] = {}   # block index -> a run to anchor comments on
    paragraphs: dict[int, object] = {}
    for index, block in enumerate(doc.blocks):
        if isinstance(block, str):
            paragraph = document.add_paragraph(block)
            paragraphs[index] = paragraph
            anchors[index] = paragraph.runs[0] if paragraph.runs else paragraph.add_run("")
        else:
            if block.caption:
                document.add_paragraph(block.caption)
            grid = [block.headers] + block.rows if block.headers else block.rows
            table = document.add_table(rows=len(grid), cols=max(len(r) for r in grid))
            table.style = "Table Grid"
            for r, row in enumerate(grid):
                cells = table.rows[r].cells
                for c, value in enumerate(row):
                    cells[c].text = cell_text(value)
            first = table.rows[min(1, len(grid) - 1)].cells[0].paragraphs[0]
            anchors[index] = first.runs[0] if first.runs else first.add_run("")
    for comment in doc.comments:
        added = document.add_comment(anchors[comment.anchor], text=comment.text, author=comment.author,
                                     initials=comment.author[:1])
        added._comment_elm.set(qn("w:date"), f"{FIXED_TIME:%Y-%m-%dT%H:%M:%SZ}")   # not "now": stable output
    for del_id, (index, text) in enumerate(doc.deletions, start=100):
        deleted = (f'<w:del {nsdecls("w")} w:id="{del_id}" w:author="办事员" '
                   f'w:date="2026-10-14T10:00:00Z"><w:r><w:delText xml:space="preserve">'
                   f'{html.escape(text, quote=False)}</w:delText></w:r></w:del>')
        paragraphs[index]._p.append(parse_xml(deleted))
    for text in doc.hidden_text:
        document.add_paragraph().add_run(text).font.hidden = True
    section = document.sections[0]
    if doc.header:
        section.header.paragraphs[0].text = doc.header
    if doc.footer:
        section.footer.paragraphs[0].text = doc.footer
    props = document.core_properties
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.last_modified_by = doc.properties.get("author", "")
    for key, value in doc.properties.items():
        setattr(props, key, value)
    document.save(str(path))


# ---------------------------------------------------------------- xlsx

def write_xlsx(doc: Doc, path: Path, encoding: str) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment as CellComment
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "公示名单" if doc.tables() else "Sheet1"
    ws.append([doc.title])
    anchor_cells: dict[int, str] = {}
    for index, block in enumerate(doc.blocks):
        if isinstance(block, str):
            ws.append([block])
            anchor_cells[index] = f"A{ws.max_row}"
            continue
        if block.caption:
            ws.append([block.caption])
        if block.headers:
            ws.append(block.headers)
        first_data_row = ws.max_row + 1
        for row in block.rows:
            ws.append(list(row))
        anchor_cells[index] = f"B{first_data_row}"
        for col in block.hidden_columns:
            ws.column_dimensions[get_column_letter(col + 1)].hidden = True
        for row_index in block.hidden_rows:
            ws.row_dimensions[first_data_row + row_index].hidden = True
    for comment in doc.comments:
        ws[anchor_cells.get(comment.anchor, "A1")].comment = CellComment(comment.text, comment.author)
    for name, table in doc.hidden_sheets:
        hidden = wb.create_sheet(name)
        hidden.append(table.headers)
        for row in table.rows:
            hidden.append(list(row))
        hidden.sheet_state = "hidden"
    props = wb.properties
    props.created = props.modified = FIXED_TIME
    props.creator = doc.properties.get("author", "Administrator")
    props.lastModifiedBy = props.creator
    props.title = doc.properties.get("title")
    props.subject = doc.properties.get("subject")
    props.keywords = doc.properties.get("keywords")
    props.description = doc.properties.get("comments")
    wb.save(path)


# ---------------------------------------------------------------- html

def write_html(doc: Doc, path: Path, encoding: str) -> None:
    esc = html.escape
    meta = [f'<meta name="{key if key != "comments" else "description"}" content="{esc(value)}">'
            for key, value in doc.properties.items() if key != "title"]
    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", f'<meta charset="{encoding}">',
           f"<title>{esc(doc.properties.get('title', doc.title))}</title>", *meta,
           "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style>",
           "</head>", "<body>"]
    if doc.header:
        out.append(f'<div class="top-bar">{esc(doc.header)}</div>')
    out.append('<div class="article">')
    for line in doc.pre_title:
        out.append(f"<p>{esc(line)}</p>")
    out.append(f"<h1>{esc(doc.title)}</h1>")
    comments_at: dict[int, list[Comment]] = {}
    for comment in doc.comments:
        comments_at.setdefault(comment.anchor, []).append(comment)
    for index, block in enumerate(doc.blocks):
        for comment in comments_at.get(index, []):
            out.append(f"<!-- {comment.author}：{comment.text} -->")
        if isinstance(block, str):
            out.append(f"<p>{esc(block)}</p>")
            continue
        out.append("<table>")
        if block.caption:
            out.append(f"<caption>{esc(block.caption)}</caption>")
        if block.headers:
            out.append("<tr>" + "".join(f"<th>{esc(h)}</th>" for h in block.headers) + "</tr>")
        for row in block.rows:
            out.append("<tr>" + "".join(f"<td>{esc(cell_text(v))}</td>" for v in row) + "</tr>")
        out.append("</table>")
    for text in doc.hidden_text:
        out.append(f'<div style="display:none">{esc(text)}</div>')
    if doc.hidden_inputs:
        out.append('<form action="#" method="post">')
        for name, value in doc.hidden_inputs:
            out.append(f'<input type="hidden" name="{esc(name)}" value="{esc(value)}">')
        out.append("</form>")
    out.append("</div>")
    if doc.footer:
        out.append(f'<div class="footer">{esc(doc.footer)}</div>')
    out += ["</body>", "</html>", ""]
    path.write_bytes("\n".join(out).encode(encoding))


# ---------------------------------------------------------------- txt / csv

def plain_lines(doc: Doc) -> list[str]:
    lines = ([doc.header, ""] if doc.header else []) + doc.pre_title + [doc.title, ""]
    for block in doc.blocks:
        if isinstance(block, str):
            lines.append(block)
            continue
        if block.caption:
            lines.append(block.caption)
        for row in ([block.headers] if block.headers else []) + block.rows:
            lines.append("\t".join(cell_text(v) for v in row))
        lines.append("")
    if doc.footer:
        lines += ["", doc.footer]
    return lines


def write_txt(doc: Doc, path: Path, encoding: str) -> None:
    path.write_bytes(("\r\n".join(plain_lines(doc)) + "\r\n").encode(encoding))


def write_csv(doc: Doc, path: Path, encoding: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([doc.title])
    for block in doc.blocks:
        if isinstance(block, str):
            writer.writerow([block])
            continue
        if block.headers:
            writer.writerow(block.headers)
        writer.writerows([[cell_text(v) for v in row] for row in block.rows])
    path.write_bytes(buffer.getvalue().encode(encoding))


# ---------------------------------------------------------------- pdf

PDF_FONT = "STSong-Light"
_TOKEN = re.compile(r"[A-Za-z0-9@._\-+*#/:]+|.", re.DOTALL)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Wrap at character boundaries but never inside a run of ASCII (a number stays on one line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for token in _TOKEN.findall(text):
        if current and stringWidth(current + token, PDF_FONT, size) > width:
            lines.append(current)
            current = token.lstrip()
        else:
            current += token
    if current:
        lines.append(current)
    return lines or [""]


class _PdfPages:
    def __init__(self, path: Path, doc: Doc, landscape: bool):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.pagesizes import landscape as to_landscape
        from reportlab.pdfgen import canvas

        self.size = to_landscape(A4) if landscape else A4
        self.canvas = canvas.Canvas(str(path), pagesize=self.size, invariant=1)
        self.doc = doc
        self.margin = 50
        self.y = 0.0
        self.page_started = False

    @property
    def width(self) -> float:
        return self.size[0] - 2 * self.margin

    def _start_page(self) -> None:
        c = self.canvas
        if self.doc.header:
            c.setFont(PDF_FONT, 9)
            c.drawString(self.margin, self.size[1] - 30, self.doc.header)
        self.y = self.size[1] - self.margin - 10
        self.page_started = True

    def _end_page(self) -> None:
        if self.doc.footer:
            self.canvas.setFont(PDF_FONT, 9)
            self.canvas.drawString(self.margin, 25, self.doc.footer)
        self.canvas.showPage()
        self.page_started = False

    def need(self, height: float) -> None:
        if not self.page_started:
            self._start_page()
        elif self.y - height < self.margin:
            self._end_page()
            self._start_page()

    def text(self, text: str, size: float = 11, centered: bool = False) -> None:
        for line in _wrap(text, self.width, size):
            self.need(size * 1.6)
            self.canvas.setFont(PDF_FONT, size)
            if centered:
                self.canvas.drawCentredString(self.size[0] / 2, self.y, line)
            else:
                self.canvas.drawString(self.margin, self.y, line)
            self.y -= size * 1.6

    def table(self, table: Table) -> None:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        grid = ([table.headers] if table.headers else []) + [[cell_text(v) for v in r] for r in table.rows]
        columns = max(len(r) for r in grid)
        size = 9.0
        while True:
            widths = [max(stringWidth(r[c] if c < len(r) else "", PDF_FONT, size) for r in grid) + 8
                      for c in range(columns)]
            if sum(widths) <= self.width or size <= 5:
                break
            size -= 0.5
        if table.caption:
            self.text(table.caption, 10)
        row_height = size * 1.9
        for row in grid:
            self.need(row_height)
            x = self.margin
            self.canvas.setFont(PDF_FONT, size)
            for c, width in enumerate(widths):
                self.canvas.rect(x, self.y - row_height * 0.3, width, row_height, stroke=1, fill=0)
                if c < len(row):
                    self.canvas.drawString(x + 4, self.y, row[c])
                x += width
            self.y -= row_height

    def finish(self) -> None:
        if not self.page_started:
            self._start_page()
        self._end_page()
        self.canvas.save()


def write_pdf(doc: Doc, path: Path, encoding: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    unknown = set(doc.properties) - {"author", "title", "subject", "keywords"}
    if unknown:
        raise ValueError(f"{path.name}: PDF writer has no property {sorted(unknown)}")
    wide = any(len(t.headers or t.rows[0]) > 6 for t in doc.tables())
    pages = _PdfPages(path, doc, landscape=wide)
    c = pages.canvas
    c.setAuthor(doc.properties.get("author", ""))
    c.setTitle(doc.properties.get("title", doc.title))
    c.setSubject(doc.properties.get("subject", ""))
    c.setKeywords(doc.properties.get("keywords", ""))
    c.setCreator("Microsoft Word")
    for line in doc.pre_title:
        pages.text(line, 12)
    pages.text(doc.title, 16, centered=True)
    for block in doc.blocks:
        if isinstance(block, str):
            pages.text(block)
        else:
            pages.table(block)
    pages.finish()


WRITERS = {"docx": write_docx, "xlsx": write_xlsx, "html": write_html, "txt": write_txt, "csv": write_csv,
           "pdf": write_pdf}
