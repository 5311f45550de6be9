"""pdfium's substitute system fonts, loaded once per process instead of once per document.

A PDF that names a font without embedding it (the generated 公示 PDFs name STSong-Light) is read
with a substitute system font. pdfium needs it even for text extraction: the glyph boxes decide
the line boxes and where its text layer breaks lines. For Chinese the substitute is a Noto CJK
collection (.ttc, 20-26 MB), and pdfium read the whole file again for every document (it reads a
collection before it looks in its font cache, and its cache keeps a font only while a document
using it is open): about 5 ms a document, a quarter of the generated corpus's PDF reading.
Two changes, neither changes the font pdfium uses:

- `install()` puts a system font finder (`FPDF_SYSFONTINFO`) in front of pdfium's default one.
  It answers every question with the default finder's answer, except that a font collection is
  offered as one plain font file: the same bytes, which FreeType opens at the collection's first
  face, the face pdfium's default reading uses too (its face index comes from the table-0 size,
  which is 0 for a face in a collection). pdfium then looks in its cache before reading the file.
- `FontKeeper` keeps each substitute open: when reading a page loaded a font file, that page is
  copied into an in-memory document which stays open for the life of the process (no file handle).
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

COLLECTION = 0x74746366             # the table tag 'ttcf': "the whole collection file"
WHOLE_FILE = 0                      # table 0: "the whole font file"

_Info = pdfium_c.FPDF_SYSFONTINFO
CALLBACKS = ("Release", "EnumFonts", "MapFont", "GetFont", "GetFontData", "GetFaceName", "GetFontCharset",
             "DeleteFont")                       # the members of an FPDF_SYSFONTINFO of version 1


class SystemFonts:
    """The font finder pdfium calls (see the module docstring); counts the font files it loads."""

    def __init__(self, default: ctypes._Pointer):
        self.default = default
        self.files_loaded = 0
        self.info = _Info(version=1)
        self._callbacks = []            # ctypes callbacks must outlive pdfium's use of them
        prototypes = dict(_Info._fields_)
        for name in CALLBACKS:
            callback = prototypes[name](getattr(self, f"_{name}"))
            self._callbacks.append(callback)
            setattr(self.info, name, callback)

    def _call(self, name: str, *args):
        return getattr(self.default.contents, name)(self.default, *args)

    def _Release(self, this) -> None:
        pass                            # pdfium lets go of the finder only when the library ends

    def _EnumFonts(self, this, mapper) -> None:
        self._call("EnumFonts", mapper)

    def _MapFont(self, this, weight, italic, charset, pitch_family, face, exact):
        return self._call("MapFont", weight, italic, charset, pitch_family, face, exact)

    def _GetFont(self, this, face):
        return self._call("GetFont", face)

    def _GetFontData(self, this, font, table, buffer, size) -> int:
        if table not in (COLLECTION, WHOLE_FILE) or self._call("GetFontData", font, WHOLE_FILE, None, 0):
            found = self._call("GetFontData", font, table, buffer, size)
        elif table == COLLECTION:
            found = 0                   # "not a collection": pdfium then asks for table 0 (below)
        else:                           # table 0 of a face in a collection: the collection file
            found = self._call("GetFontData", font, COLLECTION, buffer, size)
        if table == WHOLE_FILE and buffer and found and size >= found:
            self.files_loaded += 1
        return found

    def _GetFaceName(self, this, font, buffer, size) -> int:
        return self._call("GetFaceName", font, buffer, size)

    def _GetFontCharset(self, this, font) -> int:
        return self._call("GetFontCharset", font)

    def _DeleteFont(self, this, font) -> None:
        self._call("DeleteFont", font)


class FontKeeper:
    """Pages that loaded a font file, copied into a document that stays open (so do their fonts)."""

    def __init__(self):
        self.document: pdfium.PdfDocument | None = None
        self.pages: list[pdfium.PdfPage] = []

    def keep(self, source: pdfium.PdfDocument, index: int) -> None:
        """Copy page `index` of `source` (still open: its fonts are in pdfium's cache) and load it."""
        if self.document is None:
            self.document = pdfium.PdfDocument.new()
        try:
            self.document.import_pages(source, [index])
            self.pages.append(self.document[len(self.document) - 1])
        except pdfium.PdfiumError:
            pass                        # not kept: the next document reads the font file again


_fonts: SystemFonts | None = None
_keeper = FontKeeper()


def install() -> SystemFonts | None:
    """Put the font finder in front of pdfium's default one (once); None if pdfium has no default."""
    global _fonts
    if _fonts is None:
        default = pdfium_c.FPDF_GetDefaultSystemFontInfo()
        if not default:
            return None
        _fonts = SystemFonts(default)
        pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(_fonts.info))
    return _fonts


def files_loaded() -> int:
    """How many font files pdfium has loaded so far (0 without the finder)."""
    return _fonts.files_loaded if _fonts is not None else 0


def keep_fonts_of(document: pdfium.PdfDocument, index: int) -> None:
    """Keep the fonts page `index` of `document` loaded for later documents."""
    _keeper.keep(document, index)
