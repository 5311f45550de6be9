"""Writes a redacted .xlsx: each edited cell gets its new value as an inline string (keeping its
style, so widths, merges and formats stay); shared strings nobody uses any more are emptied, so
the raw values leave the file; comments and personal properties are cleaned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from prepub_review.formats.ooxml.editable import EditablePackage, is_cleared_property
from prepub_review.formats.edits import Cleaning, Edit, apply_to_text, apply_within, by_anchor
from prepub_review.models import Zone
from prepub_review.formats.xlsx import reader as xlsx_reader
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.ooxml.package import local_name
from prepub_review.formats.xlsx.reader import (
    KIND_ZH,
    S,
    CellAnchor,
    ExternalCellAnchor,
    HeaderFooterAnchor,
    ListChoicesAnchor,
    PivotItemAnchor,
    PivotValueAnchor,
    s_tag,
    shared_items,
)

COMMENT_TYPES = ("comments", "threadedComment", "vmlDrawing")


class XlsxDocument:
    def __init__(self, path: Path, limits: Limits):
        self.limits = limits
        self.package = EditablePackage(path, limits, KIND_ZH)
        self.workbook = (self.package.related("", "officeDocument") or ["xl/workbook.xml"])[0]

    def close(self) -> None:
        self.package.close()

    def items(self) -> Iterator[ReaderItem]:
        return xlsx_reader.package_items(self.package, self.limits)

    def cleaned(self, place) -> bool:
        """Cell comments (with their authors) and personal properties leave the workbook in clean()."""
        return self.package.cleaned_elsewhere(place) or place.zone == Zone.COMMENT or place.field == "批注作者" \
            or is_cleared_property(place)

    def _sheet_parts(self) -> list[str]:
        rels = self.package.rels(self.workbook)
        return [rel.target for rel in rels.values()
                if rel.rel_type in ("worksheet", "xlMacrosheet") and not rel.external and self.package.has(rel.target)]

    # -- cleaning -----------------------------------------------------------------------------
    def clean(self) -> list[Cleaning]:
        steps = []
        comments = 0
        for sheet in self._sheet_parts():
            for part in self.package.related(sheet, "comments"):
                comments += sum(1 for _ in self.package.parse(part).iter(s_tag("comment")))
            removed = False
            for rel_type in COMMENT_TYPES:
                for part in self.package.related(sheet, rel_type):
                    self.package.remove_part(part)
                    removed = True
            if removed:
                root = self.package.parse(sheet)
                for elem in [e for e in root if local_name(e.tag) == "legacyDrawing"]:
                    root.remove(elem)
                self.package.dirty.add(sheet)
        for part in self.package.related(self.workbook, "person"):
            self.package.remove_part(part)
        if comments:
            steps.append(Cleaning("comments", f"删除单元格批注 {comments} 条（含作者）", comments))
        return steps + self.package.clean_shared()

    # -- edits ----------------------------------------------------------------------------------
    def apply(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        edits, unplaced, steps = self.package.place_shared_edits(edits)
        hidden_cells, formulas_dropped = 0, False
        cells_by_part: dict[str, dict[str, etree._Element]] = {}
        for group in by_anchor(edits):
            finding = group[0].finding
            anchor = finding.anchor
            if isinstance(anchor, (PivotItemAnchor, PivotValueAnchor)):
                placed = self._edit_pivot_value(anchor, group)
            elif isinstance(anchor, HeaderFooterAnchor):
                placed = self._edit_header_footer(anchor, group)
            elif isinstance(anchor, ListChoicesAnchor):
                placed = self._edit_list_choices(anchor, group)
            elif isinstance(anchor, ExternalCellAnchor):
                placed = self._edit_external_cell(anchor, group)
            else:
                placed = None
            if placed is not None:
                if not placed:
                    unplaced.extend(group)
                continue
            if not isinstance(anchor, CellAnchor):
                unplaced.extend(group)
                continue
            if anchor.part not in cells_by_part:
                cells_by_part[anchor.part] = {c.get("r"): c for c in self.package.parse(anchor.part).iter(s_tag("c"))}
            cell = cells_by_part[anchor.part].get(anchor.ref)
            if cell is None:
                unplaced.extend(group)
                continue
            new_text = apply_to_text(group[0].segment_text, group)
            formulas_dropped |= _set_cell_text(cell, new_text)
            hidden_cells += finding.zone == Zone.HIDDEN
            self.package.dirty.add(anchor.part)
        if cells_by_part:
            emptied = self._empty_unused_shared_strings()
            if emptied:
                steps.append(Cleaning("shared_strings", f"共享字符串表中不再使用的 {emptied} 项已清空（原值不留在文件中）",
                                      emptied))
        if formulas_dropped:
            for part in self.package.related(self.workbook, "calcChain"):
                self.package.remove_part(part)   # Excel rebuilds it; it must not name removed formulas
        if hidden_cells:
            steps.append(Cleaning("hidden_cells", f"隐藏工作表/行/列中的 {hidden_cells} 个单元格已按方案处理",
                                  hidden_cells))
        return unplaced, steps

    def _edit_header_footer(self, anchor: HeaderFooterAnchor, group: list[Edit]) -> bool:
        element = next(self.package.parse(anchor.part).iter(s_tag(anchor.tag)), None)
        text = element.text or "" if element is not None else ""
        if any(edit.finding.text not in text for edit in group):
            return False
        for edit in group:
            text = text.replace(edit.finding.text, edit.replacement, 1)
        element.text = text
        self.package.touch(element)
        return True

    def _edit_list_choices(self, anchor: ListChoicesAnchor, group: list[Edit]) -> bool:
        formulas = list(self.package.parse(anchor.part).iter(s_tag("formula1")))
        formula = formulas[anchor.number - 1] if anchor.number <= len(formulas) else None
        choices = (formula.text or "").strip('"').split(",") if formula is not None else []
        if not 0 < anchor.choice <= len(choices):
            return False
        choices[anchor.choice - 1] = apply_within(choices[anchor.choice - 1], group)
        formula.text = '"' + ",".join(choices) + '"'
        self.package.touch(formula)
        return True

    def _edit_external_cell(self, anchor: ExternalCellAnchor, group: list[Edit]) -> bool:
        """A cached cell of another workbook: the edited text as a string, or no value when dropped."""
        cells = list(self.package.parse(anchor.part).iter(s_tag("cell")))
        cell = cells[anchor.number - 1] if anchor.number <= len(cells) else None
        value = cell.find(s_tag("v")) if cell is not None else None
        if value is None:
            return False
        new = apply_to_text(group[0].segment_text, group)
        if new:
            value.text = new
            cell.set("t", "str")
        else:
            cell.remove(value)
            cell.attrib.pop("t", None)
        self.package.touch(cell)
        return True

    def _edit_pivot_value(self, anchor: PivotItemAnchor | PivotValueAnchor, group: list[Edit]) -> bool:
        """Edit a pivot cache value in place (the pivot table's structure and indexes stay). A number
        (an ID typed as a number) cannot hold a masked text: it becomes a missing value (<m/>), which
        its field then declares. False when the value is not where the anchor says."""
        if isinstance(anchor, PivotItemAnchor):
            fields = list(self.package.parse(anchor.part).iter(s_tag("cacheField")))
            items = shared_items(fields[anchor.field]) if anchor.field < len(fields) else []
            element = items[anchor.item] if 0 <= anchor.item < len(items) else None
            field = None                    # a shared number stays unplaced: two <m/> items would clash
        else:
            records = [r for r in self.package.parse(anchor.part) if local_name(r.tag) == "r"]
            values = list(records[anchor.record - 1]) if anchor.record <= len(records) else []
            element = values[anchor.index] if anchor.index < len(values) else None
            fields = list(self.package.parse(anchor.definition).iter(s_tag("cacheField")))
            field = fields[anchor.index] if anchor.index < len(fields) else None
        if element is None:
            return False
        kind = local_name(element.tag)
        if kind == "s":
            element.set("v", apply_within(element.get("v", ""), group))
        elif kind == "n" and field is not None:
            element.tag = s_tag("m")
            element.attrib.pop("v", None)
            declared = field.find(s_tag("sharedItems"))
            if declared is None:
                declared = etree.SubElement(field, s_tag("sharedItems"))
            declared.set("containsBlank", "1")
            self.package.touch(declared)
        else:
            return False
        self.package.touch(element)
        return True

    def _empty_unused_shared_strings(self) -> int:
        parts = self.package.related(self.workbook, "sharedStrings")
        if not parts:
            return 0
        used: set[int] = set()
        for sheet in self._sheet_parts():
            for cell in self.package.parse(sheet).iter(s_tag("c")):
                if cell.get("t") == "s":
                    value = cell.find(s_tag("v"))
                    if value is not None and (value.text or "").strip().isdigit():
                        used.add(int(value.text))
        root = self.package.parse(parts[0])
        emptied = 0
        for index, item in enumerate(root.iter(s_tag("si"))):
            if index not in used and "".join(item.itertext()).strip():
                for child in list(item):
                    item.remove(child)
                etree.SubElement(item, s_tag("t"))
                emptied += 1
        if emptied:
            self.package.dirty.add(parts[0])
        return emptied

    def save(self, out: Path) -> None:
        self.package.save(out)


def _set_cell_text(cell: etree._Element, text: str) -> bool:
    """Give a cell a new text value (inline string) or none; keeps its style. True if a formula went."""
    had_formula = any(local_name(child.tag) == "f" for child in cell)
    for child in list(cell):
        cell.remove(child)
    if text:
        cell.set("t", "inlineStr")
        inline = etree.SubElement(cell, f"{{{S}}}is")
        t = etree.SubElement(inline, f"{{{S}}}t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    elif "t" in cell.attrib:
        del cell.attrib["t"]
    return had_formula


def open_editable(path: Path, limits: Limits, fmt: str) -> XlsxDocument:
    return XlsxDocument(path, limits)
