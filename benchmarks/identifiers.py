"""Throughput of the identifier recognizers on ~1 MB of synthetic Chinese prose (not a test).

    python benchmarks/identifiers.py

Text: Faker zh_CN sentences with numbers (years, amounts, counts) and, every ~40 lines, an
identifier (ID, phone, card, e-mail, passport, USCC, plate). Chunks of 64 KB, as the engine packs.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import synth

from prepub_review.detect.context import normalize_width
from prepub_review.detect.engine import DEFAULT_CHUNK_CHARS
from prepub_review.detect.recognizers.bank_card import CnBankCardRecognizer
from prepub_review.detect.recognizers.certificate import CnCertificateRecognizer
from prepub_review.detect.recognizers.email import CnEmailRecognizer
from prepub_review.detect.recognizers.id_card import CnIdCardRecognizer
from prepub_review.detect.recognizers.license_plate import CnLicensePlateRecognizer
from prepub_review.detect.recognizers.phone import CnPhoneRecognizer
from prepub_review.detect.recognizers.uscc import CnUsccRecognizer


def corpus(target_bytes: int = 1_000_000, seed: int = 5) -> str:
    rng = random.Random(seed)
    fake = synth.faker(seed)
    sentences = [fake.sentence(nb_words=12) for _ in range(400)]
    extras = [
        lambda: f"身份证号：{synth.cn_id(rng)}", lambda: f"联系电话：{synth.mobile(rng)}",
        lambda: f"电话：{synth.landline(rng)}", lambda: f"卡号：{synth.bank_card(rng)}",
        lambda: f"邮箱：{fake.email()}", lambda: "护照号码：E12345678",
        lambda: f"统一社会信用代码：{synth.uscc(rng)}", lambda: "车牌号：粤B12345",
    ]
    lines, size = [], 0
    while size < target_bytes:
        words = [rng.choice(sentences) for _ in range(rng.randrange(2, 6))]
        words.insert(1, f"{rng.randrange(2000, 2025)}年共发放{rng.randrange(10, 99999)}元，惠及{rng.randrange(1, 999)}户。")
        if rng.random() < 0.025:
            words.insert(2, rng.choice(extras)())
        line = "".join(words)
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    return "\n".join(lines)


def main() -> None:
    text = corpus()
    chunks = [text[i:i + DEFAULT_CHUNK_CHARS] for i in range(0, len(text), DEFAULT_CHUNK_CHARS)]
    megabytes = len(text.encode("utf-8")) / 1e6
    print(f"corpus: {megabytes:.2f} MB, {len(text):,} chars, {text.count(chr(10)) + 1:,} lines")
    recognizers = [cls() for cls in (CnIdCardRecognizer, CnPhoneRecognizer, CnBankCardRecognizer,
                                     CnEmailRecognizer, CnCertificateRecognizer, CnUsccRecognizer,
                                     CnLicensePlateRecognizer)]
    # As in the engine: every recognizer runs on a chunk before the next chunk, so the chunk is
    # width-normalized once (normalize_width remembers the last text). That cost is shown apart.
    rounds = 3
    spent = {r.name: 0.0 for r in recognizers}
    hits = {r.name: 0 for r in recognizers}
    normalizing = 0.0
    for _ in range(rounds):
        for chunk in chunks:
            chunk = "".join(chunk)            # a fresh string object, as the engine packs one
            start = time.perf_counter()
            normalize_width(chunk)
            normalizing += time.perf_counter() - start
            for recognizer in recognizers:
                start = time.perf_counter()
                hits[recognizer.name] += sum(1 for _ in recognizer.find(chunk))   # as the engine calls it
                spent[recognizer.name] += time.perf_counter() - start
    rows = [("normalize_width (shared)", normalizing / rounds, 0)]
    rows += [(name, seconds / rounds, hits[name] // rounds) for name, seconds in spent.items()]
    rows.append(("all seven, total", sum(seconds for _, seconds, _ in rows), sum(hits.values()) // rounds))
    for name, seconds, count in rows:
        print(f"{name:26s} {count:5d} hits {seconds * 1e3:7.1f} ms {len(text) / seconds / 1e6:7.2f} M chars/s"
              f" {seconds / len(text) * 1e9:6.1f} ns/char {megabytes / seconds:7.1f} MB/s")


if __name__ == "__main__":
    main()
