"""Writes a redacted PDF with PyMuPDF: true removal, not boxes drawn over text.

Each value is found on its line (the area the pdfium reader recorded in its anchor) with
PyMuPDF's text search, covered by a redaction annotation that carries the replacement, and
the annotations are applied: the characters leave the content stream, pixels of images
under them are blanked, vector graphics stay. Annotations and form fields holding personal
data are deleted, document properties edited, embedded files removed. The file is saved
with garbage collection and compression, so no deleted object stays behind.

`leftovers()` checks the saved file by means the checker does not have: each replaced value
must be gone from its line in the text layer as both pdfium and PyMuPDF read it, and a value
no longer visible anywhere must not be in the file's bytes, its decompressed streams or the
strings of its content streams. Text the search cannot locate (for example a CID font whose
codes PyMuPDF cannot map to Unicode) therefore fails verification instead of leaking.

A scanned page (read by OCR) is redacted in its pixels: the page is rendered as the reader saw
it, each value painted over (pixels.py), and the page's whole content replaced by that one image,
so the original scan is gone from the file, not merely covered.

PyMuPDF (AGPL) is imported only here, so only redacting a PDF needs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium

from prepub_review.formats.edits import Cleaning, Edit
from prepub_review.formats.image import pixels
from prepub_review.ocr.picture import PictureTextAnchor
from prepub_review.errors import ReadError, VerificationFailed
from prepub_review.models import Notice, Zone
from prepub_review.formats.pdf import reader as pdf_reader
from prepub_review.formats.pdf import revisions
from prepub_review.formats.base import ATTACHMENT, Limits, ReaderItem, is_attached_file_notice
from prepub_review.formats.pdf.reader import (
    REVISION,
    PdfAnnotationAnchor,
    PdfBookmarkAnchor,
    PdfLineAnchor,
    PdfPageImage,
    PdfPropertyAnchor,
    PdfWrappedAnchor,
    PdfXmpAnchor,
)

LINE_MARGIN = 2.0                # points added around a line's area: the two libraries' boxes differ a little
REPLACEMENT_FONTS = ("helv", "china-s")     # base-14 Helvetica for ASCII, MuPDF's built-in Simplified Chinese
FONT_PROGRAM_KEYS = ("Length1", "Length2", "Length3")
FONT_PROGRAM_SUBTYPES = ("/Type1C", "/CIDFontType0C", "/OpenType")
ENCODINGS = ("utf-8", "utf-16-be", "gb18030")
UNMAPPED_NOTICE = "unmapped_text"    # pdf/reader.py: a page whose text layer yields glyph codes
MIN_CHECKED_CHARS = 2            # a single character in the bytes of a file says nothing
XMP_CREATOR = re.compile(r"<dc:creator\b.*?<rdf:li[^>]*>[^<]*\S.*?</dc:creator>", re.DOTALL)


def _pymupdf():
    try:
        import pymupdf
    except ImportError as exc:
        raise ReadError("对 PDF 去标识化需要 PyMuPDF。请安装：pip install 'pymupdf>=1.24,<1.27'",
                        code="reader_unavailable") from exc
    return pymupdf


class PdfDocument:
    def __init__(self, path: Path, limits: Limits):
        self.fitz = _pymupdf()
        self.path, self.limits = path, limits
        try:
            self.doc = self.fitz.open(str(path))
        except (RuntimeError, ValueError) as exc:
            raise ReadError(f"PDF 文件已损坏或格式错误，无法去标识化（{exc}）", code="corrupt_pdf") from exc
        if self.doc.needs_pass:
            self.doc.close()
            raise ReadError("PDF 文件设置了打开密码，无法去标识化。请去除密码后再处理", code="encrypted")
        self.applied: list[Edit] = []
        self.unmapped: str | None = None     # location of a page whose text layer cannot be read
        self.author = (self.doc.metadata or {}).get("author") or ""

    def close(self) -> None:
        self.doc.close()

    def items(self) -> Iterator[ReaderItem]:
        for item in pdf_reader.read(self.path, self.limits, measure_boxes=True):
            if isinstance(item, Notice) and item.code == UNMAPPED_NOTICE and self.unmapped is None:
                self.unmapped = item.location
            yield item

    def cannot_edit(self) -> VerificationFailed | None:
        """What cannot be read cannot be found, and what cannot be found cannot be removed."""
        if self.unmapped is None:
            return None
        return VerificationFailed(
            f"无法可靠地去标识化：{self.unmapped}的文字层无法识别（字体缺少 Unicode 映射），"
            "其中的个人信息既查不出也删不掉。请用原文件重新导出 PDF（如用 Word/WPS“另存为 PDF”），"
            "或对原 .docx/.xlsx 去标识化", code="pdf_text_unmapped")

    def cleaned(self, place) -> bool:
        """The author property is emptied and embedded files (with their names) are removed in clean(),
        and earlier revisions leave as the file is saved whole. An XMP value is not counted: clean()
        removes the document's packet only, and apply() checks."""
        return (place.zone == Zone.PROPERTY and place.field == "作者" and not isinstance(place.anchor, PdfXmpAnchor)) \
            or (place.locator is not None and place.locator.part in (ATTACHMENT, REVISION)) \
            or is_attached_file_notice(place)

    # -- cleaning -----------------------------------------------------------------------------
    def clean(self) -> list[Cleaning]:
        steps = []
        _, earlier = revisions.earlier(self.path)
        if earlier:     # save() writes the current revision alone
            steps.append(Cleaning("revisions", f"删除增量保存留下的早期版本 {earlier} 个（整个文件重新写出）", earlier))
        files = self._remove_embedded_files()
        if files:
            steps.append(Cleaning("embedded_files", f"删除 PDF 内嵌附件 {files} 个（附件内容未经审查）", files))
        cleared = []
        if self.author.strip():
            self._set_property("author", "")
            cleared.append("作者")
        xmp = self.doc.get_xml_metadata() or ""
        if xmp and (XMP_CREATOR.search(xmp) or (self.author.strip() and self.author.strip() in xmp)):
            self.doc.del_xml_metadata()
            cleared.append("XMP 元数据（含作者）")
        if cleared:
            steps.append(Cleaning("properties", f"清除文档属性：{'、'.join(cleared)}", len(cleared)))
        return steps

    def _remove_embedded_files(self) -> int:
        count = 0
        for name in self.doc.embfile_names():
            self.doc.embfile_del(name)
            count += 1
        for page in self.doc:
            for annot in list(page.annots(types=[self.fitz.PDF_ANNOT_FILE_ATTACHMENT])):
                page.delete_annot(annot)
                count += 1
        return count

    # -- edits ----------------------------------------------------------------------------------
    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        unplaced, doomed_annotations, marked = [], {}, {}
        self.pending: dict[int, list[tuple]] = {}      # page -> replacement texts to write once it is redacted
        scanned: dict[PdfPageImage, list[Edit]] = {}
        for edit in edits:
            anchor = edit.finding.anchor
            if isinstance(anchor, PictureTextAnchor) and isinstance(anchor.picture, PdfPageImage):
                scanned.setdefault(anchor.picture, []).append(edit)
                continue
            if isinstance(anchor, PdfLineAnchor):
                placed = self._mark_line(anchor, edit.finding.text, edit.replacement,
                                         marked.setdefault(anchor.page, set()))
            elif isinstance(anchor, PdfWrappedAnchor):
                placed = self._mark_wrapped(anchor, edit, marked)
            elif isinstance(anchor, PdfAnnotationAnchor):
                doomed_annotations.setdefault(anchor.page, set()).add(anchor.index)
                placed = True
            elif isinstance(anchor, PdfPropertyAnchor):
                placed = self._edit_property(anchor.key.lower(), edit)
            elif isinstance(anchor, PdfBookmarkAnchor):
                placed = self._edit_bookmark(anchor.index, edit)
            elif isinstance(anchor, PdfXmpAnchor):
                placed = True                 # the document's packet goes below; leftovers() finds any other
            else:
                placed = False
            self.applied.append(edit)         # an unplaced edit is checked by leftovers() too
            if not placed:
                unplaced.append(edit)
        for page_index in marked:
            self._apply_redactions(self.doc[page_index])
            for origin, text, fontname, size in self.pending.get(page_index, []):
                self.doc[page_index].insert_text(origin, text, fontname=fontname, fontsize=size)
        unplaced += self._repaint_scans(scanned)
        removed = sum(self._delete_annotations(self.doc[page], indexes) for page, indexes in doomed_annotations.items())
        steps = [Cleaning("annotations", f"删除含个人信息的批注、链接或表单字段 {removed} 个", removed)] if removed else []
        removed = self._remove_xmp([edit.finding.text for edit in edits])
        if removed:
            steps.append(Cleaning("xmp_metadata", "删除含个人信息的 XMP 元数据", removed))
        return unplaced, steps

    def _remove_xmp(self, texts: list[str]) -> int:
        """Remove each XMP packet holding one of `texts`: the document's (the catalog's /Metadata) and
        any other metadata stream (a picture's, a page's), emptied. How many were removed."""
        removed = 0
        xmp = self.doc.get_xml_metadata() or ""
        if xmp and any(text in xmp for text in texts):
            self.doc.del_xml_metadata()
            removed += 1
        for xref in range(1, self.doc.xref_length()):
            if not self.doc.xref_is_stream(xref) or self.doc.xref_get_key(xref, "Type") != ("name", "/Metadata"):
                continue
            packet = (self.doc.xref_stream(xref) or b"").decode("utf-8", "replace")
            if any(text in packet for text in texts):
                self.doc.update_stream(xref, b"")
                removed += 1
        return removed

    def _repaint_scans(self, scanned: dict[PdfPageImage, list[Edit]]) -> list[Edit]:
        """Each scanned page with edits: its content replaced by its painted rendering."""
        if not scanned:
            return []
        unplaced = []
        source = pdfium.PdfDocument(str(self.path))
        try:
            for key, page_edits in scanned.items():
                picture = pdf_reader.render_page(source[key.page], key.dpi)
                painted, missed = pixels.paint(picture, page_edits)
                unplaced += missed
                page = self.doc[key.page]
                page.add_redact_annot(page.rect, fill=False, cross_out=False)
                page.apply_redactions(images=self.fitz.PDF_REDACT_IMAGE_REMOVE,
                                      graphics=self.fitz.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED)
                page.insert_image(page.rect, stream=pixels.encode(painted, "PNG"))
                self.applied += [e for e in page_edits if e not in missed]
        finally:
            source.close()
        return unplaced

    def _mark_wrapped(self, anchor: PdfWrappedAnchor, edit: Edit, marked: dict) -> bool:
        """A value in pieces (a wrapped number, a table cell's runs, a paragraph's lines): each piece's
        share of the finding marked where that piece stands (the replacement written once, on the
        first). A short piece is looked for on its own line only: anywhere on the page, "9" or "356"
        would take every equal figure with it."""
        finding, placed, offset, replacement = edit.finding, True, 0, edit.replacement
        for line, length in zip(anchor.lines, anchor.lengths):
            start, end = max(finding.start, offset), min(finding.end, offset + length)
            offset += length
            if start >= end:
                continue
            piece = finding.text[start - finding.start:end - finding.start]
            # a piece at a line's edge: of equal text on its line, the last one ends it, the first opens it
            edge = None
            if anchor.at_line_edges and end < finding.end:
                edge = "last"
            elif anchor.at_line_edges and start > finding.start:
                edge = "first"
            placed = self._mark_line(line, piece, replacement, marked.setdefault(line.page, set()),
                                     anywhere=len(piece) >= pdf_reader.MIN_HEAD_DIGITS, edge=edge) and placed
            replacement = ""
        return placed

    def _mark_line(self, anchor: PdfLineAnchor, raw: str, replacement: str, marked: set,
                   anywhere: bool = True, edge: str | None = None) -> bool:
        """Mark `raw` where it stands on the line (or, `anywhere`, on the page); `edge` "last" or
        "first": only the occurrence that ends or opens the line."""
        page = self.doc[anchor.page]
        hits = _search(page, raw, _clip(page, anchor.box)) if anchor.box else []
        if not hits and anywhere:
            hits = _search(page, raw, None)   # the line's area as pdfium saw it may differ; the page then
        if edge is not None and len(hits) > 1:
            hits = [(max if edge == "last" else min)(hits, key=lambda rect: rect.x0)]
        for number, rect in enumerate(hits):
            key = tuple(round(v, 1) for v in rect)
            if key in marked:
                continue                      # the same place, found for an equal value on the line
            marked.add(key)
            # The annotation carries no text: PyMuPDF would shrink it to fit the tight box. The
            # replacement is written after the removal, on the old baseline at the old size.
            page.add_redact_annot(rect, fill=False, cross_out=False)
            if number == 0 and replacement:
                self.pending.setdefault(anchor.page, []).append(self._replacement_text(page, rect, replacement))
        return bool(hits)

    def _replacement_text(self, page, rect, text: str) -> tuple:
        fontname = REPLACEMENT_FONTS[0] if text.isascii() else REPLACEMENT_FONTS[1]
        origin, size = _first_char(page, rect)
        width = self.fitz.get_text_length(text, fontname=fontname, fontsize=size)
        if width > rect.width > 0:
            size *= rect.width / width        # never run into the text that follows
        return origin, text, fontname, size

    def _apply_redactions(self, page) -> None:
        fitz = self.fitz
        # Images: blank only the pixels under the value (a scan under an OCR layer shows it too).
        # Vector graphics: keep all (table borders, underlines), they hold no text.
        page.apply_redactions(images=fitz.PDF_REDACT_IMAGE_PIXELS, graphics=fitz.PDF_REDACT_LINE_ART_NONE)

    def _delete_annotations(self, page, indexes: set[int]) -> int:
        xrefs = page.annot_xrefs()            # in /Annots order, as pdfium counts them
        doomed = {xrefs[i][0] for i in indexes if i < len(xrefs)}
        count = 0
        for widget in list(page.widgets() or []):
            if widget.xref in doomed:
                page.delete_widget(widget)
                doomed.discard(widget.xref)
                count += 1
        for link in page.get_links():           # MuPDF keeps links apart from other annotations
            if link.get("xref") in doomed:
                page.delete_link(link)
                doomed.discard(link["xref"])
                count += 1
        for xref in doomed:
            annot = page.load_annot(xref)
            if annot is not None:
                page.delete_annot(annot)      # takes its popup with it
                count += 1
        return count

    def _edit_property(self, key: str, edit: Edit) -> bool:
        value = (self.doc.metadata or {}).get(key) or ""
        if edit.finding.text not in value:
            return key == "author" and not value      # the author was cleared already
        self._set_property(key, value.replace(edit.finding.text, edit.replacement))
        return True

    def _set_property(self, key: str, value: str) -> None:
        metadata = {k: v for k, v in (self.doc.metadata or {}).items() if k not in ("format", "encryption")}
        metadata[key] = value
        self.doc.set_metadata(metadata)

    def _edit_bookmark(self, index: int, edit: Edit) -> bool:
        toc = self.doc.get_toc(simple=False)
        if index >= len(toc) or edit.finding.text not in toc[index][1]:
            return False
        self.doc.set_toc_item(index, title=toc[index][1].replace(edit.finding.text, edit.replacement))
        return True

    def save(self, out: Path) -> None:
        self.doc.save(str(out), garbage=4, deflate=True, clean=True)

    # -- verification ---------------------------------------------------------------------------
    def leftovers(self, saved: Path) -> list[Edit]:
        """Edits whose raw value can still be found in the saved file."""
        checked = [e for e in self.applied
                   if len(e.finding.text) >= MIN_CHECKED_CHARS and e.finding.text not in e.replacement]
        if not checked:
            return []
        out = self.fitz.open(str(saved))
        pages = pdfium.PdfDocument(str(saved))
        try:
            visible = "\n".join(page.get_text() + "\n" + _pdfium_text(pages[i], None) for i, page in enumerate(out))
            stored = _stored_bytes(out, saved)
            return [edit for edit in checked if _still_there(edit, out, pages, visible, stored)]
        finally:
            pages.close()
            out.close()


def _still_there(edit: Edit, out, pages: pdfium.PdfDocument, visible: str, stored: list[bytes]) -> bool:
    raw, anchor = edit.finding.text, edit.finding.anchor
    if isinstance(anchor, PdfLineAnchor) and _on_line(out, pages, anchor, raw):
        return True
    if isinstance(anchor, PdfPropertyAnchor) and raw in ((out.metadata or {}).get(anchor.key.lower()) or ""):
        return True
    if raw in visible:
        return False          # shown elsewhere on purpose (kept, or not personal there): not a hidden copy
    encoded = [data for data in (_encoded(raw, codec) for codec in ENCODINGS) if data]
    return any(data in blob for blob in stored for data in encoded)


def _clip(page, box: tuple[float, float, float, float]):
    """pdfium's line box (PDF user space, y upwards) in PyMuPDF's page coordinates, with a margin."""
    import pymupdf

    left, bottom, right, top = box
    rect = pymupdf.Rect(left, bottom, right, top) * page.transformation_matrix
    rect.normalize()
    return rect + (-LINE_MARGIN, -LINE_MARGIN, LINE_MARGIN, LINE_MARGIN)


def _first_char(page, rect) -> tuple[tuple[float, float], float]:
    """Baseline origin and font size of the first character inside `rect`, so the replacement
    sits where the value was and looks like it; the box's bottom left if none is found."""
    for block in page.get_text("rawdict", clip=rect).get("blocks", []):
        for line in block.get("lines", []):
            for span in line.get("spans", []):
                for char in span.get("chars", []):
                    x0, y0, x1, y1 = char["bbox"]
                    if rect.contains(((x0 + x1) / 2, (y0 + y1) / 2)) and span.get("size"):
                        return tuple(char["origin"]), float(span["size"])
    return (rect.x0, rect.y1 - rect.height * 0.2), max(rect.height * 0.8, 4.0)


def _search(page, raw: str, clip) -> list:
    """Where MuPDF finds `raw` (in `clip`, or on the whole page). MuPDF may read no character for a
    glyph pdfium reads: U+00B7 of a non-embedded CJK font (买买提·热合曼 reads 买买提热合曼). Then
    `raw` is looked for as MuPDF reads it, without the characters it reads nowhere in `clip`: the
    box found spans the unread glyph too, and removing it removes that glyph."""
    hits = page.search_for(raw, clip=clip)
    if hits:
        return hits
    seen = set(page.get_text("text", clip=clip))
    readable = "".join(ch for ch in raw if ch in seen)
    if readable == raw or len(readable) < MIN_CHECKED_CHARS:
        return []
    return page.search_for(readable, clip=clip)


def _on_line(out, pages: pdfium.PdfDocument, anchor: PdfLineAnchor, raw: str) -> bool:
    if anchor.page >= len(out):
        return False
    page = out[anchor.page]
    clip = _clip(page, anchor.box) if anchor.box else None
    if page.search_for(raw, clip=clip):
        return True
    return raw in _pdfium_text(pages[anchor.page], anchor.box)


def _pdfium_text(page: pdfium.PdfPage, box: tuple[float, float, float, float] | None) -> str:
    textpage = page.get_textpage()
    try:
        if box is None:
            return textpage.get_text_range()
        left, bottom, right, top = box
        return textpage.get_text_bounded(left - LINE_MARGIN, bottom - LINE_MARGIN,
                                         right + LINE_MARGIN, top + LINE_MARGIN)
    finally:
        textpage.close()


def _stored_bytes(out, saved: Path) -> list[bytes]:
    """What the file stores, in the forms a value could hide in: the raw bytes, every object's
    source and the strings in it, decompressed streams other than images and font programs,
    and the strings their text operators show."""
    blobs = [saved.read_bytes()]
    for xref in range(1, out.xref_length()):
        source = out.xref_object(xref, compressed=False).encode("latin-1", errors="replace")
        blobs += [source, pdf_strings(source)]
        if not out.xref_is_stream(xref) or _is_image_or_font(out, xref):
            continue
        data = out.xref_stream(xref) or b""
        blobs += [data, pdf_strings(data)]
    return blobs


def _is_image_or_font(out, xref: int) -> bool:
    subtype = out.xref_get_key(xref, "Subtype")[1]
    if subtype == "/Image" or subtype in FONT_PROGRAM_SUBTYPES:
        return True
    return any(out.xref_get_key(xref, key)[0] != "null" for key in FONT_PROGRAM_KEYS)


def pdf_strings(data: bytes) -> bytes:
    """The bytes of every literal `(...)` and hex `<...>` string in PDF source, one after another,
    so a value shown in pieces ([(3304) -20 (8319)] TJ) is found whole."""
    found = bytearray()
    i, size = 0, len(data)
    while i < size:
        byte = data[i]
        if byte == 0x28:                                   # (
            i = _literal(data, i + 1, found)
        elif byte == 0x3C and i + 1 < size and data[i + 1] != 0x3C:      # < but not <<
            end = data.find(b">", i + 1)
            end = size if end < 0 else end
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", data[i + 1:end])
            found += bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii"))
            i = end + 1
        elif byte == 0x3C:
            i += 2
        else:
            i += 1
    return bytes(found)


ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal(data: bytes, i: int, found: bytearray) -> int:
    depth, size = 1, len(data)
    while i < size:
        byte = data[i]
        if byte == 0x5C and i + 1 < size:                  # backslash escape
            following = data[i + 1]
            if 0x30 <= following <= 0x37:
                octal = re.match(rb"[0-7]{1,3}", data[i + 1:i + 4]).group()
                found.append(int(octal, 8) & 0xFF)
                i += 1 + len(octal)
                continue
            found += ESCAPES.get(following, b"" if following in (0x0A, 0x0D) else bytes([following]))
            i += 2
            continue
        if byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        found.append(byte)
        i += 1
    return i


def _encoded(raw: str, codec: str) -> bytes:
    try:
        return raw.encode(codec)
    except UnicodeEncodeError:
        return b""


def open_editable(path: Path, limits: Limits, fmt: str) -> PdfDocument:
    return PdfDocument(path, limits)
