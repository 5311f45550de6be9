"""An Office package opened for editing: parsed parts are cached so the reader's anchors point into
the very trees the writer changes; only changed parts are re-serialised, every other member is
copied unchanged, removed parts are left out (with their relationships and content types)."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from prepub_review.formats.base import Limits
from prepub_review.formats.edits import Cleaning, Edit, apply_to_text, by_anchor, replace_across
from prepub_review.formats.ooxml.charts import same_values_replaced
from prepub_review.formats.ooxml.package import (
    A_P,
    A_T,
    APP_PROPERTIES,
    CUSTOM_XML_ITEM,
    CORE_PROPERTIES,
    DrawingParagraphAnchor,
    NS,
    PICTURE_SUFFIXES,
    VECTOR_SUFFIXES,
    OoxmlPackage,
    ElementTextAnchor,
    qn,
)
from prepub_review.models import Zone

CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PERSONAL_CORE = (("dc", "creator"), ("cp", "lastModifiedBy"))
KEPT_PROPERTY_LABELS = frozenset(label for _p, name, label in CORE_PROPERTIES
                                 if (_p, name) not in PERSONAL_CORE)   # title, subject... stay
# part -> (element tag, label as the reader reports it) of the properties that name a person or employer
PERSONAL_PROPERTIES = {
    "docProps/core.xml": tuple((qn(f"{prefix}:{name}"), label) for prefix, name, label in CORE_PROPERTIES
                               if (prefix, name) in PERSONAL_CORE),
    "docProps/app.xml": tuple((f"{{{NS['ep']}}}{name}", label) for name, label in APP_PROPERTIES),
}


def is_cleared_property(place) -> bool:
    """Is this segment/finding a document property clear_personal_properties() empties (author,
    last modified by, company, manager, every custom property)?"""
    return place.zone == Zone.PROPERTY and place.location.startswith("文档属性") \
        and place.field not in KEPT_PROPERTY_LABELS


class EditablePackage(OoxmlPackage):
    opens_embedded_for_editing = True        # their edits are written back on save (ooxml/embedded.py)

    def __init__(self, path: Path, limits: Limits, kind_zh: str):
        super().__init__(path, limits, kind_zh)
        self.trees: dict[str, etree._Element] = {}
        self.dirty: set[str] = set()
        self.removed: set[str] = set()
        self.replaced: dict[str, bytes] = {}     # binary members (pictures) written anew

    # -- the reader's view: cached trees, removed parts gone --------------------------------
    def parse(self, name: str) -> etree._Element:
        if name not in self.trees:
            self.trees[name] = super().parse(name)
        return self.trees[name]

    def parse_mentioning(self, name: str, word: bytes) -> etree._Element | None:
        if name not in self.trees:
            root = super().parse_mentioning(name, word)
            if root is None:
                return None
            self.trees[name] = root
        return self.trees[name]

    def parse_noting(self, name: str, word: bytes) -> tuple[etree._Element, bool]:
        if name in self.trees:
            return self.trees[name], True      # parsed before: the bytes were not kept
        root, mentioned = super().parse_noting(name, word)
        self.trees[name] = root
        return root, mentioned

    def has(self, name: str) -> bool:
        return name not in self.removed and super().has(name)

    @property
    def names(self) -> list[str]:
        return [name for name in super().names if name not in self.removed]

    def part_of(self, element: etree._Element) -> str | None:
        root = element.getroottree().getroot()
        return next((name for name, tree in self.trees.items() if tree is root), None)

    def touch(self, element: etree._Element) -> None:
        part = self.part_of(element)
        if part is not None:
            self.dirty.add(part)

    # -- structural edits ---------------------------------------------------------------------
    def remove_part(self, name: str) -> None:
        """Drop a part, every relationship pointing at it, its own .rels and its content type."""
        if not super().has(name) or name in self.removed:
            return
        self.removed.add(name)
        folder, base = posixpath.split(name)
        self.removed.add(posixpath.join(folder, "_rels", f"{base}.rels"))
        for rels_name in [n for n in super().names if n.endswith(".rels") and n not in self.removed]:
            source = _source_of(rels_name)
            root = self.parse(rels_name)
            for rel in list(root):
                target = rel.get("Target") or ""
                if rel.get("TargetMode") != "External" and _resolve(source, target) == name:
                    root.remove(rel)
                    self.dirty.add(rels_name)
        types = self.parse(CONTENT_TYPES)
        for override in list(types):
            if override.get("PartName", "").lstrip("/") == name:
                types.remove(override)
                self.dirty.add(CONTENT_TYPES)
        self._rels_cache.clear()

    def clear_personal_properties(self) -> list[str]:
        """Empty author/last-modified-by/company/manager and drop custom properties; labels of what changed."""
        cleared = []
        for part, properties in PERSONAL_PROPERTIES.items():
            if not self.has(part):
                continue
            tree = self.parse(part)
            for tag, label in properties:
                for elem in tree.iter(tag):
                    if (elem.text or "").strip():
                        elem.text = ""
                        cleared.append(label)
                        self.dirty.add(part)
        if self.has("docProps/custom.xml"):
            custom = self.parse("docProps/custom.xml")
            if len(custom):
                cleared.append(f"自定义属性 {len(custom)} 项")
                for prop in list(custom):
                    custom.remove(prop)
                self.dirty.add("docProps/custom.xml")
        return cleared

    def edit_element_text(self, group: list[Edit]) -> bool:
        """One element's edits (a group of `by_anchor`, anchored by an ElementTextAnchor) made in its text."""
        anchor: ElementTextAnchor = group[0].finding.anchor
        element, text = anchor.element, group[0].segment_text
        value = (element.get(anchor.attribute) if anchor.attribute else element.text) or ""
        end = anchor.offset + len(text)
        new = value[:anchor.offset] + apply_to_text(text, group) + value[end:]
        if anchor.attribute:
            element.set(anchor.attribute, new)
        else:
            element.text = new
        self.touch(element)
        return True

    def edit_drawing_paragraph(self, group: list[Edit]) -> bool:
        """One DrawingML paragraph's edits (right to left), made across its runs' texts."""
        anchor: DrawingParagraphAnchor = group[0].finding.anchor
        paragraphs = list(self.parse(anchor.part).iter(A_P))
        if anchor.paragraph >= len(paragraphs):
            return False
        runs = list(paragraphs[anchor.paragraph].iter(A_T))
        values = [t.text or "" for t in runs]
        for edit in group:
            values = replace_across(values, anchor.lead + edit.finding.start, anchor.lead + edit.finding.end,
                                    edit.replacement)
        for run, value in zip(runs, values):
            run.text = value
        self.touch(paragraphs[anchor.paragraph])
        return True

    def place_shared_edits(self, edits: list[Edit]) -> tuple[list[Edit], list[Edit], list[Cleaning]]:
        """The edits every Office writer places alike: those in embedded files (applied to them), in
        pictures (repainted or rewritten) and in one element's text (properties, chart labels).
        Returns (the other edits, unplaced, cleanings)."""
        from prepub_review.formats.image.pixels import is_picture_edit
        from prepub_review.formats.ooxml.embedded import is_embedded_edit

        unplaced, steps = self.embedded.apply([e for e in edits if is_embedded_edit(e)])
        missed, pictures = self.repaint_pictures([e for e in edits if is_picture_edit(e)])
        in_place = [e for e in edits if isinstance(e.finding.anchor, (ElementTextAnchor, DrawingParagraphAnchor))]
        for group in by_anchor(in_place):
            placed = self.edit_element_text(group) if isinstance(group[0].finding.anchor, ElementTextAnchor) \
                else self.edit_drawing_paragraph(group)
            if not placed:
                unplaced += group
        done = {id(e) for e in in_place}
        rest = [e for e in edits if not is_embedded_edit(e) and not is_picture_edit(e) and id(e) not in done]
        copies = same_values_replaced(self, [e for e in edits if not is_embedded_edit(e)])
        if copies:
            steps.append(Cleaning("chart_copies", f"图表和 SmartArt 图形中与已处理内容相同的文字 {copies} 处已一并处理", copies))
        return rest, unplaced + missed, steps + pictures

    def cleaned_elsewhere(self, place) -> bool:
        """Does clean() remove this segment/finding with a part (custom XML data), or does its
        embedded file's own clean() remove it?"""
        from prepub_review.formats.ooxml.embedded import EmbeddedAnchor

        if place.locator is not None and place.locator.part == "custom_xml":
            return True
        return isinstance(place.anchor, EmbeddedAnchor) and self.embedded.cleaned(place)

    def clean_shared(self) -> list[Cleaning]:
        """What every Office writer's clean() ends with: personal properties, custom XML, and the
        embedded files' own cleaning."""
        cleared = self.clear_personal_properties()
        steps = [Cleaning("properties", f"清除文档属性：{'、'.join(cleared)}", len(cleared))] if cleared else []
        return steps + self.remove_custom_xml() + self.embedded.clean()

    def remove_custom_xml(self) -> list[Cleaning]:
        """Drop the custom XML data parts (with their properties parts): nothing on a page needs them."""
        items = [name for name in self.names if CUSTOM_XML_ITEM.match(name)]
        for name in items:
            for rel in self.rels(name).values():          # customXml/itemProps1.xml
                if not rel.external:
                    self.remove_part(rel.target)
            self.remove_part(name)
        return [Cleaning("custom_xml", f"删除自定义 XML 数据 {len(items)} 项（表单或办公系统写入的数据）", len(items))] \
            if items else []

    def repaint_pictures(self, edits: list[Edit]) -> tuple[list[Edit], list[Cleaning]]:
        """Media pictures: values painted over where the edits (anchored on OCR'd lines) name them;
        every other picture that carries metadata re-encoded without it. Returns (unplaced, steps)."""
        from prepub_review.formats.image import pixels
        from prepub_review.ocr.picture import open_picture

        by_member: dict[str, list[Edit]] = {}
        for edit in edits:
            by_member.setdefault(edit.finding.anchor.picture, []).append(edit)
        unplaced, stripped = [], 0
        for name in self.names:
            suffix = posixpath.splitext(name)[1].lower()
            if suffix not in PICTURE_SUFFIXES | VECTOR_SUFFIXES or "/media/" not in f"/{name}":
                continue
            if name in by_member:
                edits_here = by_member.pop(name)
                try:
                    self.replaced[name], _format, missed = pixels.redrawn(self.read(name), edits_here)
                except Exception:
                    missed = edits_here          # not redrawn: the edits stay unplaced (verification refuses)
                unplaced += missed
                continue
            if suffix in VECTOR_SUFFIXES:
                continue
            try:
                picture = open_picture(self.read(name))
            except Exception:
                continue
            if pixels.has_metadata(picture):
                self.replaced[name] = pixels.encode(picture, picture.format)
                stripped += 1
        for missing in by_member.values():
            unplaced += missing
        steps = [Cleaning("image_metadata", f"删除 {stripped} 张图片的元数据（EXIF 含拍摄位置、XMP、注释）", stripped)] \
            if stripped else []
        return unplaced, steps

    # -- output -----------------------------------------------------------------------------
    def save(self, out: Path) -> None:
        self.embedded.write_back()
        with zipfile.ZipFile(out, "w") as target:
            for info in self._zip.infolist():
                name = info.filename.lstrip("/")
                if name in self.removed:
                    continue
                if name in self.replaced:
                    data = self.replaced[name]
                elif name in self.dirty:
                    data = etree.tostring(self.trees[name], xml_declaration=True, encoding="UTF-8",
                                          standalone=True)
                else:
                    data = self.read(name)
                copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                target.writestr(copy, data)


def _source_of(rels_name: str) -> str:
    """'word/_rels/document.xml.rels' -> 'word/document.xml'; '_rels/.rels' -> ''."""
    folder, base = posixpath.split(rels_name)
    return posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels")).lstrip("/") \
        if base != ".rels" else ""


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")
