"""CN_CERTIFICATE: passports, travel permits, 台胞证 and military IDs, found by their label.

Variants (rules/policy/CN_CERTIFICATE.yaml):
  passport          护照: E+8 digits, E+letter (not I/O)+7 digits, G+8 digits, DE/SE/PE+7 digits;
                    under a passport label also the older forms (a letter G/P/D/S/E + 7 digits,
                    D/S + 8 digits: 外交/公务护照); also an E/G number under a generic 证件号码
                    label (so the permits and "X字第…号" military IDs below)
  passport_unlabelled  the unmistakable forms (E…, DE/SE/PE…) without any label: review
  hk_macau_permit   港澳居民来往内地通行证 (回乡证): H/M + 8 or 10 digits
  travel_permit     往来港澳通行证 (mainland residents): C + 8 digits or C + letter + 7 digits
  taiwan_permit     台胞证: 8 digits, or the older 10 characters
  taiwan_travel_permit  大陆居民往来台湾通行证: L or T + 8 digits
  foreigner_permit  the old 15-character 外国人永久居留证: 3 nationality letters + 4-digit 受理地 code +
                    YYMMDD birth date + 2 digits (the 18-digit 2023 card is an ID number: id_card.py)
  military_id       军官证/士兵证...: "南字第1234567号" or 6-12 letters and digits

These numbers have no check digit and look like many other codes, so a label on the same line,
shortly before the number, is required ("护照号码：E12345678", a "护照号" table column); or a label
that ends the line above when the number opens its line (a form's label cell). Under a generic
证件号码 label only the unmistakable formats count (E/G passports, H/M permits, "军字第…号").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import line_end, normalize_width
from prepub_review.detect.recognizers.common import LabelHit, Labels, Section, is_plausible_date
from prepub_review.rules_loader import RulesSource

_LETTER = "A-HJ-NP-Z"   # Latin capitals without I and O
_FORMATS = {
    "passport": re.compile(rf"E\d{{8}}|E[{_LETTER}]\d{{7}}|G\d{{8}}|[DSP]E\d{{7}}"
                           r"|[GPDSE]\d{7}|[DS]\d{8}"),     # older forms, 外交 D…, 公务 S…
    "passport_eg": re.compile(rf"E\d{{8}}|E[{_LETTER}]\d{{7}}|G\d{{8}}"),
    "hk_macau_permit": re.compile(r"[HM]\d{8}(?:\d{2})?"),
    "travel_permit": re.compile(rf"C\d{{8}}|C[{_LETTER}]\d{{7}}"),
    "taiwan_permit": re.compile(r"\d{8}|[0-9A-Z]{10}"),
    "taiwan_travel_permit": re.compile(r"[LT]\d{8}"),
    "foreigner_permit": re.compile(r"[A-Z]{3}\d{12}"),
    "military_id": re.compile(r"[\u4e00-\u9fff]{1,2}字第\d{4,10}号|[0-9A-Z]{0,4}\d{6,10}"),
    "military_book": re.compile(r"[\u4e00-\u9fff]{1,2}字第\d{4,10}号"),
}
# Which formats each label kind accepts, in order, and the variant each format reports.
_ACCEPTS = {
    "passport": [("passport", "passport")],
    # A generic 证件号码 column: only formats no other number has (not 8 digits, not bare codes).
    "generic": [("passport_eg", "passport"), ("hk_macau_permit", "hk_macau_permit"),
                ("military_book", "military_id")],
    "hk_macau_permit": [("hk_macau_permit", "hk_macau_permit")],
    "travel_permit": [("travel_permit", "travel_permit"), ("hk_macau_permit", "hk_macau_permit")],
    "taiwan_permit": [("taiwan_permit", "taiwan_permit")],
    "taiwan_travel_permit": [("taiwan_travel_permit", "taiwan_travel_permit")],
    "foreigner_permit": [("foreigner_permit", "foreigner_permit")],
    "military_id": [("military_id", "military_id")],
}
_TOKEN = re.compile(r"(?<![0-9A-Za-z])(?:[\u4e00-\u9fff]{1,2}字第\d{4,10}号|[0-9A-Za-z]{6,15})(?![0-9A-Za-z])")
# Passport numbers no other code looks like: reported without a label.
_BARE_PASSPORT = re.compile(rf"(?<![0-9A-Za-z])(?:E\d{{8}}|E[{_LETTER}]\d{{7}}|[DSP]E\d{{7}})(?![0-9A-Za-z])")


_LABEL_TAIL = " \t\u3000:：(（)）】]"
_CELL_PREFIX = re.compile(r"[^\d:：\n]{1,20}[:：]")
_STARTS_VALUE = re.compile(r"[ \t\u3000]*(?:[\u4e00-\u9fff]{1,2}字第|[0-9A-Za-z]{6,12}(?![0-9A-Za-z]))")


def _has_birth_date(yymmdd: str) -> bool:
    year, month, day = 1900 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    return is_plausible_date(year, month, day, dt.date.max.toordinal())


def _looks_like_date(value: str) -> bool:
    """An 8-digit YYYYMMDD date ("有效期至20250101") is not a document number."""
    if len(value) != 8 or not value.isdigit():
        return False
    year, month, day = int(value[:4]), int(value[4:6]), int(value[6:])
    return 1950 <= year <= 2100 and is_plausible_date(year, month, day, dt.date.max.toordinal())


class CnCertificateRecognizer(PrepubRecognizer):
    ENTITY = "CN_CERTIFICATE"
    VARIANTS = ("passport", "passport_unlabelled", "hk_macau_permit", "travel_permit", "taiwan_permit",
                "taiwan_travel_permit",
                "foreigner_permit", "military_id")

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        kinds = list(_ACCEPTS)
        section = Section(rules, "certificate", {"label_window"} | {f"{k}_labels" for k in kinds})
        self.label_window = section.integer("label_window", 20, 1, 200)
        self.labels = Labels({kind: section.words(f"{kind}_labels") for kind in kinds}, section.where())

    def validate_result(self, pattern_text: str) -> bool:
        """True if the text has the form of a passport or travel permit number."""
        value = normalize_width(pattern_text).strip().upper()
        formats = ("passport", "hk_macau_permit", "travel_permit")
        return any(_FORMATS[name].fullmatch(value) for name in formats)

    def find(self, text: str) -> Iterator[Candidate]:
        normalized = normalize_width(text)
        labelled = set()
        for label in self.labels.find_all(normalized):
            candidate = self._value_after(normalized, label)
            if candidate is not None:
                labelled.add(candidate.start)
                yield candidate
        if "E" in normalized:
            for match in _BARE_PASSPORT.finditer(normalized):
                if match.start() not in labelled:
                    yield Candidate(match.start(), match.end(), "passport_unlabelled", 0.6, {"label": None})

    def _value_after(self, text: str, label: LabelHit) -> Candidate | None:
        begin, stop = label.end, min(line_end(text, label.end), label.end + self.label_window)
        if not text[begin:stop].strip(_LABEL_TAIL) and stop < len(text):
            # the label ends its line (a form's label cell, a wrapped PDF line): its value opens
            # the next line, after an engine-written "列名：" prefix at most
            begin = stop + 1
            stop = min(line_end(text, begin), begin + self.label_window)
            prefix = _CELL_PREFIX.match(text, begin, stop)
            if prefix is not None:
                begin = prefix.end()
            if not _STARTS_VALUE.match(text, begin, stop):
                return None
        for token in _TOKEN.finditer(text, begin, stop):
            value = token.group().upper()
            for format_name, variant in _ACCEPTS[label.kind]:
                if _FORMATS[format_name].fullmatch(value) and not _looks_like_date(value) \
                        and (variant != "foreigner_permit" or _has_birth_date(value[7:13])):
                    return Candidate(token.start(), token.end(), variant, 0.8, {"label": label.word})
        return None
