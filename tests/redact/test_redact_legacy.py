"""Legacy .doc/.xls and OpenDocument .odt/.ods: converted by LibreOffice, redacted, written in the modern format."""

import shutil
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor, default_output
from prepub_review.errors import ReadError
from prepub_review.pipeline import Checker
from tests.fixtures.make_legacy_fixtures import PERSON_ID, PERSON_NAME, PERSON_PHONE

LEGACY = Path(__file__).parent.parent / "fixtures" / "legacy"


@pytest.fixture(scope="module")
def redactor():
    checker = Checker()
    return Redactor(checker, load_profile(checker.rules, "assistance-recipients"))


@pytest.mark.parametrize("name, expected", [
    ("draft.doc", "draft.doc.去标识化.docx"), ("名单.XLS", "名单.XLS.去标识化.xlsx"),
    ("a.wps", "a.wps.去标识化.docx"), ("a.et", "a.et.去标识化.xlsx"), ("a.docx", "a.去标识化.docx"),
    ("a.pdf", "a.去标识化.pdf"), ("通知.odt", "通知.odt.去标识化.docx"), ("名单.ods", "名单.ods.去标识化.xlsx"),
])
def test_default_output_is_in_the_modern_format(name, expected):
    assert default_output(Path(name)).name == expected


def zip_bytes(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return b"\n".join(archive.read(member) for member in archive.namelist())


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("fixture", ["recipients.doc", "recipients.xls", "recipients.odt", "recipients.ods"])
def test_legacy_redacted_into_modern_file(tmp_path, redactor, fixture):
    source = tmp_path / fixture
    shutil.copy(LEGACY / fixture, source)
    before = source.read_bytes()
    result = redactor.redact(source, default_output(source))
    assert result.written and source.read_bytes() == before
    blob = zip_bytes(result.output)                 # a real .docx/.xlsx: a zip
    assert not [v for v in (PERSON_ID, PERSON_PHONE, PERSON_NAME) if v.encode() in blob]
    assert result.cleanings[0].code == "converted"
    if fixture.endswith((".doc", ".odt")):
        assert result.output.name == f"{fixture}.去标识化.docx"
        document = docx.Document(str(result.output))
        assert len(document.tables) == 1 and document.tables[0].cell(0, 1).text == "身份证号"
        assert "测试作者" not in document.core_properties.author
    else:
        assert result.output.name == f"{fixture}.去标识化.xlsx"
        sheet = openpyxl.load_workbook(result.output)["低保名单"]
        assert [c.value for c in sheet[1]] == ["姓名", "身份证号", "联系电话"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([fixture, result.output.name])   # no temp left


def test_legacy_output_must_have_the_modern_suffix(tmp_path, redactor):
    source = tmp_path / "recipients.doc"
    shutil.copy(LEGACY / "recipients.doc", source)
    with pytest.raises(ReadError, match=r"\.docx 结尾"):
        redactor.redact(source, tmp_path / "out.doc")
    assert not (tmp_path / "out.doc").exists()
