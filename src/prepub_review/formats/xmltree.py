"""Small lxml tree edits shared by the writers (docx, html)."""

from __future__ import annotations

from lxml import etree


def remove_keep_tail(elem: etree._Element) -> None:
    """Remove `elem` but keep the text that follows it (lxml stores that text on the element)."""
    parent = elem.getparent()
    if elem.tail:
        previous = elem.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + elem.tail
        else:
            parent.text = (parent.text or "") + elem.tail
    parent.remove(elem)
