"""No raw personal value, and no plain hash of one, ever reaches the database file."""

import dataclasses
import hashlib
import random
import stat

import pytest

from prepub_review.act.audit import AuditLog, ValueKey, finding_rows, verify
from tests import synth
from tests.audit.helpers import record


@pytest.fixture(scope="module")
def raw_values():
    rng = random.Random(41)
    return {"id": synth.cn_id(rng), "phone": synth.mobile(rng)}


def test_raw_id_number_never_appears_in_the_database(tmp_path, backend, checker, raw_values):
    text = f"户主：李桂芬，身份证号：{raw_values['id']}，联系电话：{raw_values['phone']}"
    findings = checker.check_text(text)
    assert {f.entity for f in findings} >= {"CN_ID_CARD", "PHONE_NUMBER"}
    key = ValueKey.load_or_create(tmp_path / "keys" / "audit.key")
    rows = finding_rows(findings, checker.policy, decision="redact", value_key=key)
    db = backend.new_target()
    log = AuditLog(db)
    log.append(dataclasses.replace(record(1, findings=0), findings=rows))
    assert verify(log).ok

    stored = backend.stored_bytes(db)
    for raw in raw_values.values():
        for form in (raw, raw.encode().hex(), hashlib.sha256(raw.encode()).hexdigest(),
                     hashlib.md5(raw.encode()).hexdigest()):
            assert (form.encode() if isinstance(form, str) else form) not in stored
    id_row = next(r for r in rows if r.entity == "CN_ID_CARD")
    assert id_row.masked_value == f"{raw_values['id'][:6]}********{raw_values['id'][-4:]}"
    assert id_row.masked_value.encode() in stored
    assert id_row.value_hmac and id_row.value_hmac.encode() in stored
    assert (tmp_path / "keys" / "audit.key").read_bytes().strip() not in stored


def test_key_file_is_private_and_reused(tmp_path):
    path = tmp_path / "cfg" / "audit.key"
    first = ValueKey.load_or_create(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = ValueKey.load_or_create(path)
    assert first.digest("330483199001011234") == again.digest("330483199001011234")
    assert list(path.parent.iterdir()) == [path]   # no temp file left behind


@pytest.mark.parametrize("a, b", [
    ("330483199001011234", "３３０４８３ 1990 0101 1234"),
    ("138-1234-5678", "13812345678"),
    ("33048319900101123x", "33048319900101123X"),
])
def test_keyed_hash_ignores_width_and_separators(tmp_path, a, b):
    key = ValueKey.load_or_create(tmp_path / "k")
    assert key.digest(a) == key.digest(b)


def test_keyed_hash_depends_on_the_key(tmp_path):
    one, two = ValueKey.load_or_create(tmp_path / "1"), ValueKey.load_or_create(tmp_path / "2")
    assert one.digest("13812345678") != two.digest("13812345678")
    assert one.digest("13812345678") != hashlib.sha256(b"13812345678").hexdigest()
    assert one.digest("--") is None


def test_corrupt_key_file_is_a_clear_error(tmp_path):
    from prepub_review.errors import PrepubError

    path = tmp_path / "audit.key"
    path.write_text("not hex")
    with pytest.raises(PrepubError, match="已损坏"):
        ValueKey.load_or_create(path)
