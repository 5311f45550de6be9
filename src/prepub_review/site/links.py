"""Local links of HTML pages: which attachments a page publishes, and which links are broken.

Only `href` and `src` attributes (and an `<object>`'s `data`, how a page embeds a PDF) are followed,
and only to files inside the checked root
(relative, root-relative, URL-encoded Chinese names, `../`). Links to other hosts and links that
leave the root are listed, never fetched. A link's target is an attachment when prepub reads its
format and it is not itself a page; other local targets (style sheets, scripts, images prepub does
not read) are only checked for existence.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from prepub_review.formats.registry import spec_of

PAGE_EXTENSIONS = frozenset(spec_of("html").extensions)
LINK_ATTRIBUTES = frozenset({"href", "src"})
EMBEDDING = ("object", "data")     # <object data="名单.pdf" type="application/pdf">: the page shows the file
NOT_FILES = ("#", "javascript:", "mailto:", "tel:", "data:", "about:", "sms:")
# The bytes of a link attribute's name (or of an <object> tag), in any case. An attribute name holds no
# character references and both encodings a page is decoded with (UTF-8, GB18030) keep ASCII letters as
# those bytes, so a page without them has no link for the parser to find.
LINK_NAME = re.compile(rb"(?i)href|src|<object")

LOCAL, MISSING, OUTSIDE, EXTERNAL = "local", "missing", "outside", "external"


@dataclass(frozen=True, slots=True)
class Link:
    href: str        # as written in the page, less its query string and fragment (shown_href)
    line: int        # 1-based line of the tag in the page
    kind: str        # local | missing | outside | external
    target: str | None = None   # normalised path of the file (local and missing links)


@dataclass(slots=True)
class PageLinks:
    page: str
    links: list[Link] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Link]:
        return [link for link in self.links if link.kind == kind]


def shown_href(href: str) -> str:
    """A link as a report shows it: without its query string and fragment, which can carry a person's
    data (?sfzh=…); the page's own finding on the address reports that data, masked."""
    path = href.split("#", 1)[0]
    return f"{path.split('?', 1)[0]}?…" if "?" in path else path


def is_page(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in PAGE_EXTENSIONS


class _HrefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (name in LINK_ATTRIBUTES or (tag, name) == EMBEDDING) and value and value.strip():
                self.found.append((value.strip(), self.getpos()[0]))

    handle_startendtag = handle_starttag


def decode_page(data: bytes) -> str:
    """Pages are UTF-8 nearly always; older government sites are GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def raw_links(data: bytes) -> list[tuple[str, int]]:
    """(href, line) of every href/src attribute in the page, in document order."""
    if not LINK_NAME.search(data):
        return []       # no attribute can be named href or src: nothing to parse for
    collector = _HrefCollector()
    try:
        collector.feed(decode_page(data))
        collector.close()
    except Exception:   # html.parser is tolerant; a pathological page simply yields what it found
        pass
    return collector.found


def resolve(href: str, line: int, page: str, root: str) -> Link | None:
    """Classify one link of `page` (a path under `root`); None for links that are not files. The Link
    keeps the address as reports show it (shown_href: no query string)."""
    lowered = href.lower()
    if lowered.startswith(NOT_FILES):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return Link(shown_href(href), line, EXTERNAL)
    path = unquote(parts.path, encoding="utf-8", errors="replace")
    if not path:
        return None     # "?page=2": the page itself
    base = root if path.startswith("/") else os.path.dirname(page)
    target = os.path.normpath(os.path.join(base, path.lstrip("/")))
    if not is_inside(target, root):
        return Link(shown_href(href), line, OUTSIDE)
    if os.path.isdir(target):
        index = os.path.join(target, "index.html")
        if not os.path.isfile(index):
            return None  # a folder listing the web server makes: not a file we can check
        target = index
    return Link(shown_href(href), line, LOCAL if os.path.isfile(target) else MISSING, target)


def is_inside(path: str, root: str) -> bool:
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return relative != ".." and not relative.startswith(".." + os.sep)


def page_links(page: str, data: bytes, root: str) -> PageLinks:
    result = PageLinks(page)
    for href, line in raw_links(data):
        link = resolve(href, line, page, root)
        if link is not None:
            result.links.append(link)
    return result


def is_attachment(link: Link, readable_extensions: frozenset[str]) -> bool:
    """A local file prepub reads that is not a page: the document the page publishes."""
    if link.kind != LOCAL or link.target is None:
        return False
    extension = os.path.splitext(link.target)[1].lower()
    return extension in readable_extensions and extension not in PAGE_EXTENSIONS
