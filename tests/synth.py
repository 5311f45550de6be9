"""Synthetic personal data for tests, samples and benchmarks. Never real people.

IDs get a valid MOD 11-2 check digit and a real birth date; bank cards pass Luhn.
Region codes are real county codes so IDs look right to any checker.
"""

from __future__ import annotations

import datetime as dt
import random

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
REGIONS = ("330483", "350481", "420700", "110105", "440305", "510104", "370202", "320106", "610113", "130102")
MOBILE_PREFIXES = ("130", "131", "135", "138", "139", "147", "150", "152", "158", "166", "176", "177",
                   "180", "186", "188", "191", "195", "198", "199")
UNIONPAY_BINS = ("622202", "621700", "622848", "623668", "621226", "622588")


def id_check_digit(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def cn_id(rng: random.Random, *, birth: dt.date | None = None, region: str | None = None,
          male: bool | None = None) -> str:
    """An 18-digit resident ID number with a valid check digit."""
    region = region or rng.choice(REGIONS)
    birth = birth or dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 90))
    seq = rng.randrange(0, 1000)
    if male is not None and (seq % 2 == 1) != male:
        seq = (seq + 1) % 1000
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def cn_id_bad_checksum(rng: random.Random) -> str:
    good = cn_id(rng)
    wrong = [c for c in ID_CHECK if c != good[-1]]
    return good[:-1] + rng.choice(wrong)


def cn_id_x(rng: random.Random) -> str:
    """An ID number whose check digit is X."""
    while True:
        value = cn_id(rng)
        if value.endswith("X"):
            return value


def luhn_complete(prefix_digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(prefix_digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix_digits + str((10 - total % 10) % 10)


def bank_card(rng: random.Random, length: int = 19) -> str:
    body = rng.choice(UNIONPAY_BINS)
    body += "".join(str(rng.randrange(10)) for _ in range(length - len(body) - 1))
    return luhn_complete(body)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "".join(str(rng.randrange(10)) for _ in range(8))


def landline(rng: random.Random) -> str:
    area = rng.choice(("010", "021", "027", "0573", "0598", "0755", "0571"))
    digits = 8 if len(area) == 3 or area == "0755" else rng.choice((7, 8))
    return f"{area}-{rng.randrange(2, 9)}" + "".join(str(rng.randrange(10)) for _ in range(digits - 1))


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc(rng: random.Random, prefix: str = "91") -> str:
    """统一社会信用代码 with a valid check character."""
    body = prefix + rng.choice(REGIONS) + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def uscc_that_is_also_an_id() -> str:
    """An all-digit 统一社会信用代码 whose check character also makes it a valid ID number."""
    for seq in range(1000):
        first17 = f"11010519900101{seq:03d}"
        if id_check_digit(first17) == uscc_check_char(first17):
            return first17 + id_check_digit(first17)
    raise AssertionError("no such code")


def faker(seed: int = 0):
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return fake
