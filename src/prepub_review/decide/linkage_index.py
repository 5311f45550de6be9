"""The index of partial identifiers of one document, for cross-document linkage (decide/linkage.py).

`LinkIndex.from_document(path, segments, findings, rules, hasher)` keeps, per document:
- `partials`: every masked identifier (身份证号, phone, bank card) and masked name, as the document
  shows it ("110105********1234", "张*明"), with where it sits and the facts of its row;
- `fulls`: every record that shows a full name or identifier, as keyed hashes only: of the whole
  value and of its projection onto the mask patterns of rules/linkage.yaml, so that a masked form
  elsewhere can be matched without the index holding the value.

Row facts (village, household size, amount, period, category) are stored as keyed hashes too.
`hasher` is a keyed hash under a key kept outside the index: `keyed_hasher(key)` (BLAKE2b in its
keyed mode, 128 bits; a run hashes some 10^5 pieces, and it costs a fraction of an HMAC-SHA256),
or any other keyed digest of a string. The index serialises to JSON (`to_json`/`from_json`) for the
check cache and the way back from a worker: the partials by column (PARTIAL_COLUMNS), and a row shared
by several values of a record written once.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial
from itertools import combinations
from operator import itemgetter
from typing import NamedTuple

from prepub_review.decide.linkage_rules import LinkRules
from prepub_review.gc_pause import collector_paused
from prepub_review.models import Finding, Segment, Zone
from prepub_review.text import normalize_width, shown_place

INDEX_VERSION = 5        # 2: keyed BLAKE2b pieces, rows written once; 3: partials by column; 4: names without padding;
                         # 5: places quote names with their personal values masked
PARTIAL_COLUMNS = ("entity", "shown", "location", "record", "row", "piece", "bits")   # of the JSON "partials"
PIECES = PARTIAL_COLUMNS.index("piece")
MASK = "*"
HASH_CHARS = 32          # 128 bits of the keyed hash (hex) are plenty for equality tests
NEAR_PERSON = 40         # an identifier in prose belongs to the nearest name within so many characters
MAX_CELL = 200           # table cells longer than this are not row fields
FULL_VARIANTS = {
    "CN_ID_CARD": {"valid", "residence_permit"},
    "PHONE_NUMBER": {"mobile"},
    "BANK_CARD": {"valid", "labelled_account"},
    "PERSON": {"private", "private_weak"},
}
MASKED_VARIANTS = {"masked", "masked_weak"}
UNKNOWN_LENGTH = frozenset("某○〇")   # 张某某: a mask of unknown length, not comparable
# A run of digits and mask characters with at least two of each, not glued to other digits/letters.
MASKED_TOKEN = re.compile(r"(?<![0-9A-Za-z*×＊])[0-9*×＊Xx]{11,19}(?![0-9A-Za-z*×＊])")
SHORTEST_TOKEN = 11      # MASKED_TOKEN's least length: a shorter text (most table cells) holds none
TOKEN_MASKS = "*×＊Xx"
FULL_WIDTH_FIRST = "\uff01"   # normalize_width changes characters from here on (！-～) only

Hasher = Callable[[str], str | None]
Renamer = Callable[[Sequence[Finding]], dict[str, str]]   # findings -> {quoted name: name shown masked}


# The index's records are NamedTuples, and LinkIndex a plain class: every run with linkage imports this
# module, and a @dataclass costs about a millisecond at import (it generates and compiles its methods).

class Place(NamedTuple):
    path: str
    location: str
    record: str          # the table row, or the prose line and name the value belongs to


class NameForm(NamedTuple):
    """A name as compared between records: the shown form if masked, keyed pieces always.

    `pieces` maps a visibility pattern ("101" = first and last character shown) to the keyed hash
    of the characters shown under it. A full name carries a piece for every pattern that keeps the
    surname; a masked name carries its own pattern (and its surname when shown)."""

    length: int
    shown: str | None
    pieces: dict[str, str]


class Row(NamedTuple):
    fields: dict[str, str]              # kind -> keyed hash of the normalised value
    name: NameForm | None = None


# tuple.__new__ bound to each record type: a NamedTuple's own __new__ is a Python function, and a site
# run makes a Place, a Row and a NameForm for every row of every list (all fields given, in order).
new_place = partial(tuple.__new__, Place)
new_name = partial(tuple.__new__, NameForm)
new_row = partial(tuple.__new__, Row)


class Partial:
    """A plain class with __slots__ (the most numerous record of a large run: 24 bytes less than a
    NamedTuple each, and no dataclass to create at import)."""

    __slots__ = ("entity", "shown", "path", "location", "record", "row", "piece", "bits")

    def __init__(self, entity: str, shown: str, path: str, location: str, record: str, row: Row, piece: str = "",
                 bits: str | None = None):
        self.entity = entity     # CN_ID_CARD, PHONE_NUMBER, BANK_CARD or PERSON
        self.shown = shown       # as the document shows it, hidden positions as "*"
        self.path, self.location, self.record = path, location, record   # its Place, made when a link needs it
        self.row = row
        self.piece = piece       # keyed hash of the shown characters (matched against full values' pieces)
        self.bits = sys.intern(shown_bits(shown)) if bits is None else bits   # its pattern (one string each)

    @property
    def place(self) -> Place:
        return Place(self.path, self.location, self.record)


class FullRecord(NamedTuple):
    place: Place
    row: Row
    carries: frozenset[str]                               # entities shown in full in this record
    # keyed hashes of each full identifier's projections onto rules/linkage.yaml's patterns; each
    # hash covers the entity, length and pattern, so the hash alone says which masked form it matches
    pieces: tuple[str, ...] = ()


class LinkIndex:
    __slots__ = ("path", "partials", "fulls")

    def __init__(self, path: str, partials: list[Partial] | None = None, fulls: list[FullRecord] | None = None):
        self.path = path
        self.partials: list[Partial] = [] if partials is None else partials
        self.fulls: list[FullRecord] = [] if fulls is None else fulls

    @classmethod
    def from_document(cls, path: str, segments: Iterable[Segment], findings: Iterable[Finding],
                      rules: LinkRules, hasher: Hasher) -> LinkIndex:
        reading = Reading(rules)
        for segment in segments:
            reading.add(segment)
        return cls.from_reading(path, reading, findings, hasher)

    @classmethod
    def from_reading(cls, path: str, reading: Reading, findings: Iterable[Finding], hasher: Hasher,
                     renamed: Renamer | None = None) -> LinkIndex:
        """The index of a document whose segments `reading` has seen. `renamed`: see IndexCollector."""
        findings = list(findings)
        index = _Builder(str(path), reading, hasher).build(findings)
        quoted = index.quoted() if renamed is not None else ""
        if quoted:
            # only the findings that may stand in a quoted name: a list's sheet quotes none of its cells
            index.show_places(renamed([f for f in findings if f.text[:1] in quoted]))
        return index

    def quoted(self) -> str:
        """The parts of the places that quote names (「…」: a sheet, a file in an archive), joined."""
        locations = {item.location for item in self.partials} | {full.place.location for full in self.fulls}
        return "\n".join({text[:text.rfind("」") + 1] for text in locations if "」" in text})

    def show_places(self, renamed: dict[str, str]) -> None:
        """The places with the names they quote as `renamed` (act.present.shown_names) says."""
        if not renamed:
            return
        for item in self.partials:
            item.location, item.record = shown_place(item.location, renamed), shown_place(item.record, renamed)
        self.fulls = [full._replace(place=Place(full.place.path, shown_place(full.place.location, renamed),
                                                shown_place(full.place.record, renamed)))
                      for full in self.fulls]

    def to_json(self) -> dict:
        # id(row) -> its number in "rows", in order of first use: the values of a record share a row
        rows: dict[int, int] = {}
        table: list[tuple] = []
        for item in (*self.partials, *self.fulls):
            if id(item.row) not in rows:
                rows[id(item.row)] = len(table)
                table.append(_row_json(item.row))
        # The partials by column (PARTIAL_COLUMNS), each a tuple: a run holds every document's index
        # until the end, and a few tuples of strings per document are soon left alone by Python's cycle
        # collector, where a tuple per partial would be made, walked, pickled and freed thousands of times.
        partials = self.partials
        return {"version": INDEX_VERSION, "path": self.path,
                "partials": (tuple([p.entity for p in partials]), tuple([p.shown for p in partials]),
                             tuple([p.location for p in partials]), tuple([p.record for p in partials]),
                             tuple([rows[id(p.row)] for p in partials]), tuple([p.piece for p in partials]),
                             tuple([p.bits for p in partials])),
                "fulls": tuple((f.place.location, f.place.record, tuple(sorted(f.carries)), tuple(f.pieces),
                                rows[id(f.row)]) for f in self.fulls),
                "rows": tuple(table)}

    @classmethod
    def from_json(cls, data: dict, path: str | None = None, shown: set[str] | None = None) -> LinkIndex:
        """`path`: where the file is now (a cache keyed by content may have seen it elsewhere).
        `shown`: the pieces the masked forms of the run show; a full record matching none of them
        cannot be linked and is left out (`link_json`)."""
        if data.get("version") != INDEX_VERSION:
            raise ValueError(f"unsupported link index version {data.get('version')!r}")
        path = path or data["path"]
        table = data["rows"]
        rows = [_row_from(entry) for entry in table]   # made at once (a few are of full records left out)
        *columns, bits = data["partials"]              # PARTIAL_COLUMNS; one string per pattern, as built
        return cls(
            path=path,
            partials=[Partial(entity, shown_as, path, location, record, rows[row], piece, bits)
                      for entity, shown_as, location, record, row, piece, bits in zip(*columns, map(sys.intern, bits))],
            fulls=[FullRecord(Place(path, location, record), rows[row], carrying(tuple(carries)), tuple(keyed))
                   for location, record, carries, keyed, row in data["fulls"]
                   if shown is None or _may_match(shown, keyed, table[row])],
        )


@lru_cache(maxsize=64)
def carrying(entities: tuple[str, ...]) -> frozenset[str]:
    """One frozenset per combination of entities, shared: an index of a large site holds many records."""
    return frozenset(entities)


# --- shown forms and keyed pieces -------------------------------------------------------------

class _ShownBits(dict):
    """str.translate table: the mask to "0", any other character to "1". Each character seen is
    added on first sight, so translating is a C-level lookup per character afterwards."""

    def __missing__(self, code: int) -> str:
        self[code] = "1"
        return "1"


_SHOWN_BITS = _ShownBits({ord(MASK): "0"})
_ASCII_BITS = bytes(0x30 if code == ord(MASK) else 0x31 for code in range(256))   # bytes.translate table


def shown_bits(shown: str) -> str:
    """"110105********1234" -> "111111000000001111": which positions a form shows."""
    if shown.isascii():     # masked numbers: a byte table is half the cost of the dict lookups
        return shown.encode("ascii").translate(_ASCII_BITS).decode("ascii")
    return shown.translate(_SHOWN_BITS)


def visible_positions(shown: str) -> frozenset[int]:
    return pattern_positions(shown_bits(shown))


@lru_cache(maxsize=4096)
def pattern_positions(bits: str) -> frozenset[int]:
    """One frozenset per visibility pattern, shared by every form masked that way."""
    return frozenset(i for i, bit in enumerate(bits) if bit == "1")


@lru_cache(maxsize=4096)
def _bits(length: int, shown: frozenset[int]) -> str:
    return "".join("1" if i in shown else "0" for i in range(length))


def keep_positions(length: int, keep_prefix: int, keep_suffix: int) -> frozenset[int]:
    return frozenset(i for i in range(length) if i < keep_prefix or i >= length - keep_suffix)


# (pattern bits "1100", a function picking the shown characters of a value in order)
Projection = tuple[str, Callable[[Sequence[str]], Sequence[str]]]


@lru_cache(maxsize=4096)
def projection(length: int, positions: frozenset[int]) -> Projection:
    ordered = sorted(positions)
    return _bits(length, positions), itemgetter(*ordered) if ordered else _nothing


def _nothing(_value: Sequence[str]) -> Sequence[str]:
    return ()


@lru_cache(maxsize=256)
def _full_materials(tag: str, length: int, patterns: tuple[tuple[int, int], ...]) -> tuple[tuple[str, int, int], ...]:
    """(head of the hashed material, prefix end, suffix start) per distinct projection of a value of
    `length` onto the (keep_prefix, keep_suffix) `patterns`, in order: two slices of the value."""
    heads: dict[str, tuple[str, int, int]] = {}
    for prefix, suffix in patterns:
        positions = keep_positions(length, prefix, suffix)
        bits = _bits(length, positions)
        head = min(prefix, length)
        tail = max(length - suffix, head)
        heads.setdefault(bits, (f"{tag}{length}P{bits}V", head, tail))
    return tuple(heads.values())


def full_pieces(hasher: Hasher, tag: str, value: str, patterns: tuple[tuple[int, int], ...]) -> list[str]:
    """The keyed hashes `piece_hash` gives for `value` under each (keep_prefix, keep_suffix) of
    `patterns`, in order, each distinct projection once (slices instead of pickers: a full ID's
    13 patterns are hashed for every full value read)."""
    canonical = _canonical(value) == value
    heads = getattr(hasher, "heads", None)
    if heads is not None and canonical and value.isascii():
        return _continued_pieces(heads, tag, value, patterns)
    found = []
    for head, end, start in _full_materials(tag, len(value), patterns):
        shown = value[:end] + value[start:]
        found.append((hasher(head + (shown if canonical else _canonical(shown))) or "")[:HASH_CHARS])
    return found


def _continued_pieces(heads: _HeadStates, tag: str, value: str, patterns: tuple[tuple[int, int], ...]) -> list[str]:
    """`full_pieces` of a canonical ASCII value under `keyed_hasher`: each projection's BLAKE2b
    continued from its head's (the head, fixed per pattern, is hashed once for the run), without the
    memo (a full number's projections seldom recur, and a full ID has 13 of them)."""
    raw = value.encode()
    found = []
    for head, end, start in _full_materials(tag, len(value), patterns):
        h = heads[head].copy()
        h.update(raw[:end])
        h.update(raw[start:])
        found.append(h.hexdigest())
    return found


@lru_cache(maxsize=1 << 15)   # a masked name or number recurs on every list of a site that names the person
def masked_piece(hasher: Hasher, tag: str, shown: str) -> tuple[str, str]:
    """(pattern bits, keyed hash) of a masked form under its own visibility pattern: what
    `piece_hash(hasher, tag, shown, visible_positions(shown))` gives, without
    building the positions (the characters shown are those that are not the mask)."""
    bits = sys.intern(shown_bits(shown))   # one string per pattern, held by many rows
    head = f"{tag}{len(shown)}P{bits}V"
    chars = _canonical(shown.replace(MASK, ""))
    heads = getattr(hasher, "heads", None)
    if heads is None:
        return bits, (hasher(head + chars) or "")[:HASH_CHARS]
    h = heads[head].copy()    # BLAKE2b continued: the key block and head are read once
    h.update(chars.encode())
    return bits, h.hexdigest()


@lru_cache(maxsize=64)
def name_projections(length: int) -> tuple[Projection, ...]:
    """The projections a full name is stored under: every pattern that keeps the surname (names of
    up to 5 characters; a longer one only as a whole)."""
    if length > 5:
        return (projection(length, frozenset(range(length))),)
    return tuple(projection(length, frozenset((0, *rest)))
                 for k in range(length) for rest in combinations(range(1, length), k))


def piece_hash(hasher: Hasher, tag: str, value: str, positions: Iterable[int]) -> str:
    """Keyed hash of `value` projected onto `positions` (the same for a full value and a masked form):
    the definition that full_pieces, masked_piece and field_hash compute faster for their cases."""
    shown = projection(len(value), frozenset(positions))
    return pieces(hasher, tag, value, (shown,))[shown[0]]


def pieces(hasher: Hasher, tag: str, value: str, projections: tuple[Projection, ...]) -> dict[str, str]:
    """Pattern bits -> keyed hash of `value` projected onto it, for each of `projections`.
    The characters are compared as the audit trail's keyed hash reads them (ValueKey.digest: width-
    normalised, letters and digits only, upper case); a value that needs it (a masked form's "*")
    is normalised per projection, after picking."""
    materials = _materials(tag, len(value), projections)
    if _canonical(value) == value:
        return {key: (hasher(head + "".join(pick(value))) or "")[:HASH_CHARS] for key, head, pick in materials}
    return {key: (hasher(head + _canonical("".join(pick(value)))) or "")[:HASH_CHARS]
            for key, head, pick in materials}


@lru_cache(maxsize=1024)
def _materials(tag: str, length: int, projections: tuple[Projection, ...]):
    """(bits, head of the hashed material, picker) per projection: "CN18P111111000000001111V" + shown."""
    return tuple((bits, f"{tag}{length}P{bits}V", pick) for bits, pick in projections)


@lru_cache(maxsize=1 << 14)   # a village, an amount, a month recur on every row and list of a site
def field_hash(hasher: Hasher, kind: str, value: str) -> str:
    """A row fact's keyed hash (= piece_hash of the whole value)."""
    return (hasher(f"F{kind}{len(value)}P{'1' * len(value)}V{_canonical(value)}") or "")[:HASH_CHARS]


def _canonical(chars: str) -> str:
    if chars.isascii() and chars.isdigit():
        return chars     # most values: digits
    if chars.isalnum() and (chars.isascii() or max(chars) < FULL_WIDTH_FIRST) and chars.upper() == chars:
        return chars     # nothing to change: Chinese names take this path
    chars = normalize_width(chars)
    if not chars.isalnum():
        chars = "".join([ch for ch in chars if ch.isalnum()])
    return chars.upper()


def keyed_hasher(key: bytes, limit: int = 200_000) -> Hasher:
    """Keyed BLAKE2b-128 of a piece's material (hex): a MAC like the audit trail's HMAC-SHA256, at a
    fraction of its cost. Never a plain hash: there are only ~10^11 plausible ID numbers.
    Remembered for the run (a region code, a surname, a village recur on every row); the memo is
    dropped when it grows past `limit` entries."""
    copy = hashlib.blake2b(key=key, digest_size=HASH_CHARS // 2, person=b"prepub-linkage").copy
    memo: dict[str, str] = {}

    def digest(material: str) -> str:
        found = memo.get(material)
        if found is None:
            if len(memo) >= limit:
                memo.clear()
            h = copy()
            h.update(material.encode("utf-8"))
            found = memo[material] = h.hexdigest()
        return found

    # keyed, nothing read yet: full_pieces and masked_piece continue it from a pattern's head
    digest.heads = _HeadStates(copy())
    return digest


class _HeadStates(dict):
    """head -> a copy of the keyed state that has read it (one per pattern a run sees)."""

    __slots__ = ("state",)

    def __init__(self, state):
        super().__init__()
        self.state = state

    def __missing__(self, head: str):
        h = self[head] = self.state.copy()
        h.update(head.encode())
        return h


def normalise_identifier(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not text.isalnum():
        text = "".join([ch for ch in text if ch.isalnum() or ch in TOKEN_MASKS])
    return text.upper()


def shown_identifier(token: str) -> str:
    """"110105********123X" keeps its check digit X; any other X, x, ×, ＊ is a mask."""
    # ASCII (most): the masks are * X x, and two replaces cost a fifth of a translate through a dict
    shown = token.replace("X", MASK).replace("x", MASK) if token.isascii() else token.translate(_AS_MASK)
    if len(token) == 18 and token[17] in "Xx" and token[16].isdigit():
        return shown[:17] + "X"
    return shown


_AS_MASK = str.maketrans(dict.fromkeys(TOKEN_MASKS, MASK))


@lru_cache(maxsize=8)
def _name_masks(mask_chars: str) -> dict[int, str]:
    """str.translate table: each of rules/linkage.yaml's name mask characters to MASK."""
    return str.maketrans(dict.fromkeys(mask_chars, MASK))


# --- row fields -------------------------------------------------------------------------------

def normalise_field(kind: str, text: str) -> str:
    """A row fact as compared (read through NORMALISED, which remembers each)."""
    value = "".join(unicodedata.normalize("NFKC", text).split())
    if kind == "period":
        numbers = re.findall(r"\d+", value)
        return f"{numbers[0]}-{int(numbers[1]):02d}" if len(numbers) >= 2 else value
    if kind in ("household", "amount"):
        number = re.search(r"\d+(?:\.\d+)?", value)
        if number is None:
            return value
        whole, _, fraction = number.group().partition(".")   # "560.00" and "560" are one amount
        fraction = fraction.rstrip("0")
        return (whole.lstrip("0") or "0") + (f".{fraction}" if fraction else "")
    return value.rstrip("。，,;；")


class _Normalised(dict):
    """text -> normalise_field(kind, text) for one kind, filled on first sight (and emptied when large)."""

    __slots__ = ("kind",)
    LIMIT = 8192

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def __missing__(self, text: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[text] = normalise_field(self.kind, text)
        return value


class _NormalisedByKind(dict):
    """kind -> _Normalised: `NORMALISED[kind][text]` is two dict lookups in C for a value seen before (a
    list's cells repeat a village, an amount, a month on every row), where the lru_cache of two
    arguments makes and hashes a key tuple per call."""

    def __missing__(self, kind: str) -> _Normalised:
        values = self[kind] = _Normalised(kind)
        return values


NORMALISED = _NormalisedByKind()


def prose_fields(text: str, rules: LinkRules) -> dict[str, str]:
    found = {}
    for kind, (pattern, needs) in rules.prose_fields.items():
        for word in needs:
            if word in text:
                break
        else:
            if needs:
                continue    # no match can hold none of them: a substring test in C instead of a search
        match = pattern.search(text)
        if match:
            found[kind] = NORMALISED[kind][match.group(1)]
    return found


class _Builder:
    """Builds the index of the document whose segments `reading` has seen."""

    def __init__(self, path: str, reading: Reading, hasher: Hasher):
        self.path, self.reading, self.rules, self.hasher = path, reading, reading.rules, hasher
        self._names: dict[int, str | None] = {}   # id(name finding) -> _name_shown, read once per finding

    def build(self, findings: list[Finding]) -> LinkIndex:
        index = LinkIndex(self.path)
        names = self._names = {}
        persons: dict[str, list[Finding]] = defaultdict(list)   # names in prose, by line
        for f in findings:
            if f.entity == "PERSON":
                shown = names[id(f)] = self._name_shown(f)
                if f.record is None and shown is not None:
                    persons[f.location].append(f)
        records = self._records(findings, persons)
        rows = {key: self._row(key, members) for key, members in records.items()}
        for key, members in records.items():
            self._add_record(index, new_place((self.path, members[0].location, key)), rows[key], members)
        self._add_scanned(index, self.reading.masked, findings, persons, rows)
        return index

    # A record: a table row (finding.record), or a name in prose with the identifiers near it.
    def _records(self, findings: list[Finding], persons: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
        records: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            if f.entity in FULL_VARIANTS:
                records[f.record if f.record is not None else self._record_key(f, persons)].append(f)
        return records

    def _record_key(self, finding: Finding, persons: dict[str, list[Finding]]) -> str:
        if finding.record is not None:
            return finding.record
        near = [p for p in persons.get(finding.location, ())
                if min(abs(p.start - finding.end), abs(finding.start - p.end)) <= NEAR_PERSON]
        anchor = min(near, key=lambda p: abs(p.start - finding.start), default=finding)
        return f"{finding.location}@{anchor.start}"

    def _row(self, key: str, members: list[Finding]) -> Row:
        values = self.reading.cells.get(key) or self.reading.prose.get(members[0].location)
        if not values:
            values, bare = {}, self.reading.bare
            for f in members:
                if f.location not in bare:      # a line stating no fact has none in a finding's context either
                    values.update({k: v for k, v in prose_fields(f.context, self.rules).items() if k not in values})
        hasher = self.hasher
        fields = {kind: field_hash(hasher, kind, value) for kind, value in values.items() if value}
        shown = self._first_name(members)
        return new_row((fields, None if shown is None else self.name_form(shown)))

    def _first_name(self, members: list[Finding]) -> str | None:
        """The first comparable name of a record's findings (as `_name_shown` reads it), if any."""
        names = self._names
        for f in members:
            if f.entity == "PERSON":
                shown = names.get(id(f))
                if shown is not None:
                    return shown
        return None

    def _name_shown(self, finding: Finding) -> str | None:
        """A name as compared: "张*明" for a masked name, "张建明" for a full one; None if not comparable
        (张某某 hides an unknown number of characters; officials are not in a record's facts)."""
        compact = "".join(finding.text.split())     # "王　芳", padded to the width of three, is 王芳
        if finding.variant in MASKED_VARIANTS:
            text = compact.translate(_name_masks(self.rules.name_mask_chars))
            return text if MASK in text and UNKNOWN_LENGTH.isdisjoint(text) else None
        if finding.variant in FULL_VARIANTS["PERSON"]:
            return compact
        return None

    def name_form(self, shown: str) -> NameForm:
        if MASK in shown:
            bits, digest = masked_piece(self.hasher, "N", shown)
            return new_name((len(shown), shown, {bits: digest}))
        return NameForm(len(shown), None, pieces(self.hasher, "N", shown, name_projections(len(shown))))

    def _add_record(self, index: LinkIndex, place: Place, row: Row, members: list[Finding]) -> None:
        carries: set[str] = set()
        keyed: dict[str, None] = {}     # the pieces, in order, once each
        for f in members:
            if f.entity == "PERSON" and row.name is not None:
                if row.name.shown is None:
                    carries.add("PERSON")
                elif f.variant in MASKED_VARIANTS and self._names.get(id(f)) == row.name.shown:
                    bits, shown_piece = next(iter(row.name.pieces.items()))   # a masked name has its own piece only
                    index.partials.append(Partial("PERSON", row.name.shown, *place, row, shown_piece, bits))
            elif f.variant in FULL_VARIANTS.get(f.entity, ()) and f.entity in self.rules.identifiers:
                value = normalise_identifier(f.text)
                carries.add(f.entity)
                patterns = self.rules.identifiers[f.entity].full_patterns
                keyed.update(dict.fromkeys(full_pieces(self.hasher, f.entity[:2], value, patterns)))
        if carries and (keyed or self._facts(row) >= self.rules.min_row_evidence):
            index.fulls.append(FullRecord(place, row, carrying(tuple(sorted(carries))), tuple(keyed)))
        # else a full name with too few row facts: no masked record can be linked to it (a match on
        # the name pieces needs `min_row_evidence` agreeing facts), so it is not kept

    def _facts(self, row: Row) -> int:
        return sum(1 for kind in row.fields if self.rules.is_evidence(kind))

    def _add_scanned(self, index: LinkIndex, masked: list[Kept], findings: list[Finding],
                     persons: dict[str, list[Finding]], rows: dict[str, Row]) -> None:
        """Masked identifiers: the recognizers' masked findings, and any digit/mask run they did not
        report ("11****19900101****" shows a birth date between two masked runs)."""
        locations = {kept[1] for kept in masked}
        by_location: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            if f.location in locations:
                by_location[f.location].append(f)
        lengths = {entity: spec.lengths for entity, spec in self.rules.identifiers.items()}
        hasher, path, append = self.hasher, self.path, index.partials.append
        for text, location, header, record, zone in masked:
            here = by_location.get(location)
            for match in MASKED_TOKEN.finditer(text):
                token = match.group()
                shown = shown_identifier(token)
                masks = shown.count(MASK) + (shown[-1] == "X")   # counted as in the token: X is in TOKEN_MASKS
                if masks < 2 or len(token) - masks < 2:          # the rest of a token are digits
                    continue
                start, end = match.span()
                judged, entity = _judged(here, start, end) if here else (False, None)
                if judged:
                    continue   # a full value the recognizers judged (or not a masked identifier at all)
                if entity is None:
                    entity = self._entity_by_shape(shown, header)
                if len(shown) not in lengths.get(entity, ()):
                    continue
                key = record
                if key is None or key not in rows:
                    probe = Finding(entity=entity, variant="masked", rule_id="", severity=None,  # type: ignore[arg-type]
                                    label="", reason="", text=token, location=location, zone=Zone(zone),
                                    start=start, end=end, score=0, recognizer="",
                                    record=record, context=text[max(0, start - 24):end + 24])
                    key = self._record_key(probe, persons)
                    if key not in rows:
                        rows[key] = self._row(key, [probe])
                bits, digest = masked_piece(hasher, entity[:2], shown)
                append(Partial(entity, shown, path, location, key, rows[key], digest, bits))

    @staticmethod
    def _entity_by_shape(shown: str, header: str | None) -> str | None:
        if header and any(word in header for word in ("卡号", "账号", "帐号", "银行")):
            return "BANK_CARD"
        if len(shown) == 18:
            return "CN_ID_CARD"
        if len(shown) == 11 and shown[0] in "1*":
            return "PHONE_NUMBER"
        if len(shown) in (16, 17, 19):
            return "BANK_CARD"
        return None


def _judged(findings: Iterable[Finding], start: int, end: int) -> tuple[bool, str | None]:
    """Of the findings overlapping [start, end): whether one is not a masked value (the recognizers
    judged the text themselves), and the entity of the first one (None if none overlaps)."""
    entity = None
    for f in findings:
        if f.start < end and start < f.end:
            if f.variant not in MASKED_VARIANTS:
                return True, entity
            if entity is None:
                entity = f.entity
    return False, entity


def _row_json(row: Row) -> tuple:
    """(fields, name length, name as shown or None if full, name pieces); length 0: no name."""
    name = row.name
    return (row.fields, 0, None, {}) if name is None else (row.fields, name.length, name.shown, name.pieces)


def _may_match(shown: set[str], keyed: Iterable[str], row: Sequence) -> bool:
    """Whether a full record (its pieces, and its name's if it shows the name in full) has a piece in `shown`."""
    if not shown.isdisjoint(keyed):
        return True
    _, length, name_shown, name_pieces = row
    return length > 0 and name_shown is None and not shown.isdisjoint(name_pieces.values())


def link_json(items: Iterable[tuple[str, dict]]) -> list[LinkIndex]:
    """The indexes of a run from their JSON (path, data), leaving out the full records that no
    masked form of the run can match (Linker.records buckets full records by these pieces)."""
    items = list(items)
    shown = {piece for _, data in items for piece in data["partials"][PIECES] if piece}
    return [LinkIndex.from_json(data, path, shown) for path, data in items]


def _row_from(data: Sequence) -> Row:
    fields, length, name_shown, name_pieces = data
    return new_row((fields, new_name((length, name_shown, name_pieces)) if length else None))


# A segment holding a masked digit run, as the builder scans it: (text, location, field, record,
# zone value). A plain tuple of strings, which the cycle collector stops tracking at its first pass:
# holding the Segments themselves (locator, reader anchor) until their document ends made each of
# them long-lived and cost the site run full collections of the worker's whole heap.
Kept = tuple[str, str, str | None, str | None, str]


class Reading:
    """What linkage keeps of a document's segments as they stream past: the row facts of table
    cells under a row-fact column and of prose lines stating at least two of them (normalised as
    they are read), the prose lines stating none, and the segments holding a masked digit run
    (scanned when the document ends). Everything else streams past; nothing is read twice."""

    __slots__ = ("rules", "kinds", "cells", "prose", "bare", "masked")

    def __init__(self, rules: LinkRules):
        self.rules = rules
        self.kinds = rules.header_kinds         # column header -> row-field kind
        self.cells: dict[str, dict[str, str]] = defaultdict(dict)   # record -> row-field kind -> value
        self.prose: dict[str, dict[str, str]] = {}    # location of a prose line -> its row facts
        self.bare: set[str] = set()                   # locations of prose lines stating no row fact
        self.masked: list[Kept] = []

    def add(self, segment: Segment) -> None:
        record = segment.record
        if record is None and segment.seams:
            return      # a paragraph joined from lines that are read on their own too
        text = segment.text
        # TOKEN_MASKS spelled out: five substring searches in C cost half a set test over the characters
        # of a cell (which makes a string of each Chinese character), and a call costs as much again
        masked = (len(text) >= SHORTEST_TOKEN
                  and ("*" in text or "×" in text or "＊" in text or "X" in text or "x" in text)
                  and MASKED_TOKEN.search(text) is not None)
        if record is not None:
            kind = self.kinds[segment.field]
            if kind is not None and kind != "name" and len(text) <= MAX_CELL:
                self.cells[record][kind] = NORMALISED[kind][text]
        else:
            facts = prose_fields(text, self.rules)
            if masked or len(facts) >= 2:
                self.prose[segment.location] = facts
            if not facts:
                self.bare.add(segment.location)
        if masked:
            self.masked.append((text, segment.location, segment.field, record, segment.zone._value_))


class IndexCollector:
    """The Checker's observer (pipeline.DocumentObserver): builds one LinkIndex per checked document
    from what a `Reading` keeps of its segments."""

    def __init__(self, rules: LinkRules, hasher: Hasher, keep: bool = True, renamed: Renamer | None = None):
        """`keep`: hold the indexes here (one process); else hand each to its document as JSON
        (`result.observed["linkage"]`), for a run whose documents come back from workers or a cache.
        `renamed`: a document's findings -> the names its locations quote, with the personal values
        they hold masked (act.present.Presenter.renamed). The index keeps its places so: a link shows
        them, and a cached index must not hold a raw value."""
        self.rules, self.hasher, self.keep, self.renamed = rules, hasher, keep, renamed
        self.indexes: list[LinkIndex] = []
        self.start("")

    def start(self, path: str) -> None:
        self._reading = Reading(self.rules)
        # The pipeline's `observer.segment(segment)`, once per segment: the Reading's own method,
        # without a call of this collector's in between.
        self.segment: Callable[[Segment], None] = self._reading.add

    def document(self, result) -> None:
        """The document's index, built with the cycle collector paused: its objects (thousands for a
        list) make no cycles. Collected as they are made, they would outlive two collections and count
        towards the next full collection of the whole heap (one per worker on the generated site,
        ~30 ms each). For a run whose documents come back as JSON, all but plain tuples and strings
        are gone when this returns."""
        with collector_paused():
            index = LinkIndex.from_reading(result.path, self._reading, result.findings, self.hasher, self.renamed)
            if self.keep:
                self.indexes.append(index)
            else:
                result.observed["linkage"] = index.to_json()
            # Freed here, while the collector is off: alive when it comes back on, every object of the
            # index would be walked by the young collection the next allocation sets off.
            del index
            self.start("")
