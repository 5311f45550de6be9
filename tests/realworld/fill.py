"""Fills the real-world templates with synthetic people and records what must be found.

A template writes a placeholder where a value goes: `{KIND}` or `{KIND|form}` or `{KIND=literal}`.
An UPPER-CASE kind is private data and becomes a labelled truth item; a lower-case kind is
something published by design (an official's name, an office phone, a company's credit code)
and is never labelled, so a block/review finding on it counts as a false alarm.

Forms write the value the way real pages do: `fw` full-width digits, `sp2` groups split by two
spaces, `ideo` groups split by an ideographic space, `dash` hyphens, `dot` dots, `sp` single spaces.
Everything is invented (Faker zh_CN, valid check digits).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable

from tests import synth
from tests.eval import people

PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)(?:=([^}|]*))?(?:\|([a-z0-9]+))?\}")
# Two-character Tibetan and Mongolian given names used alone, without a Han surname.
SHORT_MINORITY = ("扎西", "卓玛", "次仁", "格桑", "达瓦", "央金", "多吉", "巴图", "其其", "拉姆", "旺堆", "曲珍")
OFFICIAL_TITLES = ("局长", "副局长", "主任", "科长", "副主任", "处长")
ID_GROUPS = (6, 8, 4)
CARD_GROUPS = (4, 4, 4, 4, 3)


def full_width(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or "A" <= c <= "Z" else c for c in value)


def grouped(value: str, sizes: tuple[int, ...], separator: str) -> str:
    parts, pos = [], 0
    for size in sizes:
        if pos < len(value):
            parts.append(value[pos:pos + size])
            pos += size
    if pos < len(value):
        parts.append(value[pos:])
    return separator.join(parts)


def uscc_like_bank_card(rng: random.Random) -> str:
    """An all-digit 统一社会信用代码 starting 91 that also passes the bank-card Luhn check."""
    while True:
        body = "91" + rng.choice(synth.REGIONS) + "".join(str(rng.randrange(10)) for _ in range(9))
        code = body + synth.uscc_check_char(body)
        if code.isdigit() and synth.luhn_complete(code[:-1]) == code:
            return code


def foreigner_id(rng: random.Random) -> str:
    """外国人永久居留身份证 (2023 format): 9 + province + 3-digit nationality + birth date + sequence + check."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
    province, nationality = rng.choice(("11", "31", "33", "44")), rng.choice(("840", "392", "410", "250"))
    first17 = f"9{province}{nationality}{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + synth.id_check_digit(first17)


def foreigner_id_old(rng: random.Random) -> str:
    """The old 15-character 外国人永久居留证: nationality letters + 受理地 + YYMMDD + sequence."""
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 45))
    nationality = rng.choice(("USA", "JPN", "KOR", "FRA", "GBR"))
    office = rng.choice(("1100", "3100", "3301", "4403"))
    return f"{nationality}{office}{birth:%y%m%d}{rng.randrange(100):02d}"


def legacy_id(rng: random.Random) -> str:
    birth = dt.date(1935, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 45))
    return f"{rng.choice(synth.REGIONS)}{birth:%y%m%d}{rng.randrange(1000):03d}"


def digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))


class Filler:
    """One document's values: each kind draws fresh synthetic data from a seeded generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = synth.faker(seed)
        self.truth: list[dict] = []
        r = self.rng
        self.kinds: dict[str, tuple[str | None, Callable[[], str]]] = {
            # private data (labelled)
            "NAME": ("PERSON", lambda: people.person_name(r, self.fake)),
            "HAN": ("PERSON", self._han_name),
            "SHORTNAME": ("PERSON", lambda: r.choice(SHORT_MINORITY)),
            "ID": ("CN_ID_CARD", lambda: synth.cn_id(r)),
            "ID15": ("CN_ID_CARD", lambda: legacy_id(r)),
            "FOREIGNER": ("CN_ID_CARD", lambda: foreigner_id(r)),
            "FOREIGNER15": ("CN_CERTIFICATE", lambda: foreigner_id_old(r)),
            "MOBILE": ("PHONE_NUMBER", lambda: synth.mobile(r)),
            "MOBILE0": ("PHONE_NUMBER", lambda: "0" + synth.mobile(r)),
            "BANK": ("BANK_CARD", lambda: synth.bank_card(r, r.choice((16, 19)))),
            "FREEMAIL": ("EMAIL_ADDRESS", self._free_mail),
            "PASSPORT": ("CN_CERTIFICATE", lambda: r.choice(("E" + digits(r, 8),
                                                             "E" + letters(r, 1) + digits(r, 7)))),
            "PASSPORT_OLD": ("CN_CERTIFICATE", lambda: r.choice("GP") + digits(r, 7)),
            "PASSPORT_G": ("CN_CERTIFICATE", lambda: "G" + digits(r, 8)),
            "DIPLOMATIC": ("CN_CERTIFICATE", lambda: r.choice(("DE" + digits(r, 7), "D" + digits(r, 7)))),
            "SERVICE": ("CN_CERTIFICATE", lambda: r.choice(("SE" + digits(r, 7), "S" + digits(r, 7)))),
            "HKMO": ("CN_CERTIFICATE", lambda: r.choice(("C" + digits(r, 8),
                                                         "C" + letters(r, 1) + digits(r, 7)))),
            "HOMEVISIT": ("CN_CERTIFICATE", lambda: r.choice("HM") + digits(r, 8)),
            "TAIWAN": ("CN_CERTIFICATE", lambda: r.choice("LT") + digits(r, 8)),
            "HEALTH": ("SENSITIVE_HEALTH", lambda: r.choice(people.HEALTH_REASONS)),
            "ADDR": ("ADDRESS", self._door_address),
            # published by design (never labelled)
            "name": (None, self.fake.name),
            "title": (None, lambda: r.choice(OFFICIAL_TITLES)),
            "masked": (None, lambda: self.fake.last_name() + r.choice(("某", "某某"))),
            "tel": (None, lambda: synth.landline(r)),
            "uscc": (None, lambda: synth.uscc(r)),
            "uscc_luhn": (None, lambda: uscc_like_bank_card(r)),
            "orgmail": (None, self._office_mail),
            "company": (None, lambda: self.fake.company()),
            "town": (None, lambda: r.choice(people.TOWNS)),
            "village": (None, lambda: r.choice(people.VILLAGES)),
            "road": (None, lambda: r.choice(people.ROADS)),
            "num": (None, lambda: str(r.randrange(1, 200))),
            "count": (None, lambda: f"{r.randrange(100, 9000):,}"),
            "age": (None, lambda: str(r.randrange(20, 80))),
            "year": (None, lambda: str(r.randrange(1965, 1990))),
            "month": (None, lambda: str(r.randrange(1, 13))),
        }

    def _door_address(self) -> str:
        r = self.rng
        return f"{r.choice(people.VILLAGES)}{r.randrange(1, 12)}组{r.randrange(1, 80)}号"

    def _office_mail(self) -> str:
        r = self.rng
        return (f"{r.choice(people.PINYIN)}{r.choice(('mzj', 'ban', 'office'))}"
                f"@{r.choice(('163.com', 'qq.com', 'tongxi.gov.cn'))}")

    def _han_name(self) -> str:
        given = "".join(self.rng.choice(people.GIVEN_CHARS) for _ in range(self.rng.choice((1, 2))))
        return self.fake.last_name() + given

    def _free_mail(self) -> str:
        domain = ("qq.com", "163.com", "126.com", "sina.com", "gmail.com")
        return f"{self.rng.choice(people.PINYIN)}{self.rng.randrange(10, 9999)}@{self.rng.choice(domain)}"

    def value(self, kind: str, literal: str | None, form: str | None) -> str:
        if kind not in self.kinds:
            raise KeyError(f"unknown placeholder kind {kind!r}")
        entity, make = self.kinds[kind]
        value = literal if literal is not None else make()
        value = _FORMS[form](value) if form else value
        if entity is not None:
            self.truth.append({"entity": entity, "text": value})
        return value

    def fill(self, template: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.value(m.group(1), m.group(2), m.group(3)), template)


def _groups_for(value: str) -> tuple[int, ...]:
    if len(value) == 18:
        return ID_GROUPS
    if len(value) == 11:
        return (3, 4, 4)
    return CARD_GROUPS


_FORMS: dict[str, Callable[[str], str]] = {
    "fw": full_width,
    "sp": lambda v: grouped(v, _groups_for(v), " "),
    "sp2": lambda v: grouped(v, _groups_for(v), "  "),
    "ideo": lambda v: grouped(v, _groups_for(v), "\u3000"),
    "dash": lambda v: grouped(v, _groups_for(v), "-"),
    "dot": lambda v: grouped(v, _groups_for(v), "."),
}
