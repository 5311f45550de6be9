"""Records passed between the stages: read -> detect -> decide -> act."""

from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from enum import StrEnum


def pickled_by_fields(cls=None, *, optional: tuple[str, ...] = ()):
    """Give a frozen slots dataclass `cls.from_fields(...)`, a constructor taking every field (by
    position or keyword; no defaults but for the trailing fields named `optional`, which keep their
    own; no `__post_init__`), and pickle it as a call of that with its field values. With --jobs
    every finding of a run is built three times (judged, masked, unpickled); the frozen `__init__`
    sets each field through `object.__setattr__` and costs about six times `from_fields`, and the
    dataclass's own slots pickling walks `dataclasses.fields()` per object.

    `from_fields` fills an instance of a plain twin class with the same slots (plain attribute
    stores, which the interpreter makes cheap) and then makes it a `cls`: Python allows assigning
    `__class__` between classes of the same layout, and the object is then an ordinary `cls`."""
    if cls is None:
        return lambda cls: pickled_by_fields(cls, optional=optional)
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    if names[len(names) - len(optional):] != list(optional):
        raise TypeError(f"{cls.__name__}: optional fields {optional} must be its last")
    values = operator.attrgetter(*names) if len(names) > 1 else (lambda obj: (getattr(obj, names[0]),))
    twin = type(f"_{cls.__name__}Fields", (), {"__slots__": cls.__slots__})
    parameters = ", ".join(f"{f.name}=_defaults[{f.name!r}]" if f.name in optional else f.name
                           for f in fields)
    source = (f"def from_fields({parameters}):\n    self = _new(_twin)\n"
              + "".join(f"    self.{name} = {name}\n" for name in names)
              + "    self.__class__ = _cls\n    return self\n")
    namespace = {"_new": object.__new__, "_twin": twin, "_cls": cls,
                 "_defaults": {f.name: f.default for f in fields if f.name in optional}}
    exec(source, namespace)   # like dataclasses' own __init__: built from the field names only
    from_fields = namespace["from_fields"]
    from_fields.__module__, from_fields.__qualname__ = cls.__module__, f"{cls.__qualname__}.from_fields"
    cls.from_fields = staticmethod(from_fields)   # found by pickle under its qualified name
    cls.__reduce__ = lambda self: (from_fields, values(self))
    return cls


def field_replacer(cls, *changed: str):
    """`dataclasses.replace(obj, **dict(zip(changed, values)))` as `replace(obj, *values)`, for a class
    made with pickled_by_fields: one generated call of `cls.from_fields` that reads the other fields
    as attributes. (A --jobs run masks every finding so; dataclasses.replace walks the fields and
    checks the names on every call, and costs several times as much.)"""
    names = [f.name for f in dataclasses.fields(cls)]
    unknown = set(changed) - set(names)
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)}")
    arguments = ", ".join(name if name in changed else f"obj.{name}" for name in names)
    namespace = {"_from_fields": cls.from_fields}
    exec(f"def replace(obj, {', '.join(changed)}):\n    return _from_fields({arguments})\n", namespace)
    return namespace["replace"]


class Zone(StrEnum):
    """Where in a document a segment sits; the policy decides some findings by zone."""

    BODY = "body"            # ordinary paragraphs / page text / visible HTML text
    TOP = "top"              # the first lines of the body (where 密级 and 附注 markings go)
    TABLE = "table"          # a table cell (docx table, sheet cell, HTML <td>)
    HEADER = "header"        # page header or footer
    NOTE = "note"            # footnote / endnote
    COMMENT = "comment"      # Word comment, cell comment, HTML comment
    REVISION = "revision"    # tracked insertion or deletion
    HIDDEN = "hidden"        # hidden text, hidden sheet/row/column, display:none, hidden input
    PROPERTY = "property"    # document properties, <meta>, title/alt attributes
    SCRIPT = "script"        # string literals in scripts


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Locator:
    """Where a segment sits, structured: the key machines use (SARIF, approvals, edits).

    The Chinese `location` string is for people and is never used as a key.
    `part` names the kind of place ("body", "table", "sheet", "page", "comment", "revision",
    "property", "header", "note", "hidden", "line", ...); `path` is its format-specific address
    (e.g. ("表格", 1, 3, 2) for table 1 row 3 column 2, or ("Sheet1", "B7")); `line`/`column` are
    1-based positions in the source file where the format has them (text, CSV, HTML).
    """

    part: str
    path: tuple[str | int, ...] = ()
    line: int | None = None
    column: int | None = None


@pickled_by_fields(optional=("seams",))
@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of text a reader found, with a location a person can find again.

    `field` is the label the text sits under: a table column header ("身份证号"),
    a property name ("作者"), an HTML attribute ("alt"). Detectors read it as context.
    `record` groups the segments of one record (a table row) so the policy can see
    that a phone number and a recipient's name belong together.
    """

    text: str
    location: str
    zone: Zone = Zone.BODY
    field: str | None = None
    record: str | None = None
    locator: Locator | None = dataclasses.field(default=None, compare=False)
    # Where the text lives in the file (format-specific), set only when a reader is asked for
    # anchors: the redactor edits the document through it. Not part of equality or repr.
    anchor: object | None = dataclasses.field(default=None, compare=False, repr=False)
    # Set on a segment a reader joined from lines it also gives on their own (a PDF paragraph the wrap
    # broke): the offsets of the breaks. Only a finding across a break is this segment's; the others
    # are the lines' own. The whole is still read, for the context of what runs across.
    seams: tuple[int, ...] = dataclasses.field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Notice:
    """Content a reader could not verify (a scanned page, an embedded object).

    Never silently clean: the policy turns each notice code into a finding.
    """

    code: str          # stable id, e.g. "scanned_page", "embedded_object"
    location: str
    detail: str = ""   # Chinese, shown to the reader


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Detection:
    """A recognizer's hit, mapped back onto the segment it came from."""

    entity: str
    variant: str       # recognizer-specific sub-kind the policy keys on ("valid", "bad_checksum"...)
    start: int         # offsets into segment.text
    end: int
    score: float
    segment: Segment
    recognizer: str
    attrs: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.segment.text[self.start:self.end]


class Severity(StrEnum):
    BLOCK = "block"
    REVIEW = "review"
    INFO = "info"


SEVERITY_RANK = {Severity.INFO: 0, Severity.REVIEW: 1, Severity.BLOCK: 2}


class Verdict(StrEnum):
    PASS = "pass"
    REVIEW = "review"
    BLOCK = "block"
    ERROR = "error"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """A detection (or notice) after the policy has judged it."""

    entity: str
    variant: str
    rule_id: str
    severity: Severity
    label: str         # Chinese entity label, e.g. 身份证号
    reason: str        # short Chinese reason
    text: str          # raw matched text: act-stage code masks it before showing it
    location: str
    zone: Zone
    start: int
    end: int
    score: float
    recognizer: str
    field: str | None = None
    record: str | None = None
    context: str = ""  # raw excerpt of the segment around the finding; masked before showing
    context_spans: tuple[tuple[int, int, str, str], ...] = ()  # (start, end, entity, variant) of every finding in it
    attrs: dict = dataclasses.field(default_factory=dict, compare=False)   # the recognizer's extra facts
    locator: Locator | None = dataclasses.field(default=None, compare=False)
    fingerprint: str = dataclasses.field(default="", compare=False)  # see fingerprint.py
    anchor: object | None = dataclasses.field(default=None, compare=False, repr=False)  # segment's anchor


@dataclass(slots=True)
class DocumentResult:
    path: str
    format: str | None = None
    verdict: Verdict = Verdict.PASS
    error: str | None = None
    error_code: str | None = None
    findings: list[Finding] = field(default_factory=list)
    segments_read: int = 0
    characters_read: int = 0
    first_lines: list[str] = field(default_factory=list, repr=False)   # body text, for title and 文号
    # What the check's observers recorded for this document, as plain JSON data (e.g. "linkage": its
    # cross-document link index): it crosses process boundaries and goes into the cache with the result.
    observed: dict = field(default_factory=dict, repr=False)
    segments: list[Segment] = field(default_factory=list, repr=False)  # kept only when asked (redact)
