"""Legacy .doc/.wps/.xls/.et: LibreOffice conversion, then the OOXML readers."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from pathlib import Path

import pytest

from prepub_review.errors import ReadError
from prepub_review.models import Segment
from prepub_review.formats.document import read_document
from prepub_review.formats.legacy import reader as legacy
from prepub_review.formats.base import Limits
from tests.fixtures.make_legacy_fixtures import PERSON_ID, PERSON_NAME
from tests.read.make_files import LEGACY, content

needs_soffice = pytest.mark.skipif(legacy.find_soffice() is None, reason="LibreOffice (soffice) not installed")


def copy_fixture(tmp_path: Path, fixture: str, name: str) -> Path:
    path = tmp_path / name
    shutil.copy(LEGACY / fixture, path)
    return path


@pytest.fixture
def private_tempdir(tmp_path, monkeypatch):
    """Temporary files of the code under test go here, so the test can see they are cleaned up."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("name", ["通知.doc", "通知.wps"])
def test_doc_is_converted_and_read_with_prefixed_locations(tmp_path, private_tempdir, name):
    path = copy_fixture(tmp_path, "recipients.doc", name)
    fmt, items = read_document(path, Limits())
    found = [item for item in content(items) if isinstance(item, Segment)]
    assert fmt == "doc"
    suffix = Path(name).suffix
    assert all(item.location.startswith(f"(由 {suffix} 转换) ") for item in found)
    by_text = {item.text: item for item in found}
    assert by_text[PERSON_ID].field == "身份证号"
    assert by_text[PERSON_NAME].record == by_text[PERSON_ID].record
    assert list(private_tempdir.iterdir()) == []


@pytest.mark.libreoffice
@needs_soffice
def test_xls_is_converted_and_read(tmp_path, private_tempdir):
    pytest.importorskip("prepub_review.formats.xlsx.reader")
    fmt, items = read_document(copy_fixture(tmp_path, "recipients.xls", "名单.et"), Limits())
    found = [item for item in content(items) if isinstance(item, Segment)]
    assert fmt == "xls"
    assert PERSON_ID in [item.text for item in found]
    assert all(item.location.startswith("(由 .et 转换) ") for item in found)
    assert list(private_tempdir.iterdir()) == []


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("fixture, name", [("recipients.odt", "通知.odt"), ("recipients.ods", "名单.ods")])
def test_open_document_is_converted_and_read(tmp_path, private_tempdir, fixture, name):
    fmt, items = read_document(copy_fixture(tmp_path, fixture, name), Limits())
    found = [item for item in content(items) if isinstance(item, Segment)]
    assert fmt == Path(name).suffix[1:]
    by_text = {item.text: item for item in found}
    assert by_text[PERSON_ID].field == "身份证号"
    assert by_text[PERSON_NAME].record == by_text[PERSON_ID].record
    assert all(item.location.startswith(f"(由 {Path(name).suffix} 转换) ") for item in found)
    assert list(private_tempdir.iterdir()) == []


@pytest.mark.libreoffice
@needs_soffice
def test_convert_legacy_for_the_redactor(tmp_path, private_tempdir):
    converted = legacy.convert_legacy(LEGACY / "recipients.doc", "docx", Limits())
    try:
        assert converted.suffix == ".docx" and converted.read_bytes()[:2] == b"PK"
        assert list(converted.parent.iterdir()) == [converted]
    finally:
        shutil.rmtree(converted.parent)


@pytest.mark.parametrize("fixture, name, words", [
    ("recipients.doc", "a.doc",
     ("这是旧版 Word 文档(.doc)，需要 LibreOffice 才能审查。请安装：apt-get install libreoffice-writer-nogui"
      "（或另存为 .docx 后再审查）")),
    ("recipients.doc", "a.wps", "这是WPS 文字文档(.wps)，需要 LibreOffice 才能审查"),
    ("recipients.xls", "a.xls", "apt-get install libreoffice-calc-nogui（或另存为 .xlsx 后再审查）"),
])
def test_without_libreoffice_says_what_to_install(tmp_path, monkeypatch, fixture, name, words):
    monkeypatch.setattr(legacy, "find_soffice", lambda: None)
    _fmt, items = read_document(copy_fixture(tmp_path, fixture, name), Limits())
    with pytest.raises(ReadError) as caught:
        list(items)
    assert caught.value.code == "legacy_needs_libreoffice"
    assert words in caught.value.message


def fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_conversion_timeout_kills_and_cleans_up(tmp_path, monkeypatch, private_tempdir):
    marker = tmp_path / "still-running"
    script = fake_soffice(tmp_path, f"sleep 30; touch {marker}")
    monkeypatch.setattr(legacy, "find_soffice", lambda: script)
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        legacy.convert_legacy(LEGACY / "recipients.doc", "docx", Limits(libreoffice_timeout_s=1))
    assert time.monotonic() - started < 10
    assert caught.value.code == "legacy_conversion_timeout"
    assert "1 秒" in caught.value.message
    assert list(private_tempdir.iterdir()) == []


@pytest.mark.parametrize("body", ["echo 'Error: source file could not be loaded'; exit 0",
                                  "echo crashed >&2; exit 134"])
def test_conversion_failure_is_a_clear_error(tmp_path, monkeypatch, private_tempdir, body):
    script = fake_soffice(tmp_path, body)
    monkeypatch.setattr(legacy, "find_soffice", lambda: script)
    with pytest.raises(ReadError) as caught:
        legacy.convert_legacy(LEGACY / "recipients.doc", "docx", Limits())
    assert caught.value.code == "legacy_conversion_failed"
    assert "LibreOffice 无法转换" in caught.value.message
    assert list(private_tempdir.iterdir()) == []


def test_fake_soffice_gets_a_private_profile_and_a_plain_source_name(tmp_path, monkeypatch, private_tempdir):
    log = tmp_path / "args"
    # Writes the arguments, then "converts" by copying the source to the requested output.
    script = fake_soffice(tmp_path, f'echo "$@" > {log}\nfor last; do :; done\n'
                                    'outdir=$(echo "$@" | sed "s/.*--outdir \\([^ ]*\\).*/\\1/")\n'
                                    'mkdir -p "$outdir"; cp "$last" "$outdir/source.docx"')
    monkeypatch.setattr(legacy, "find_soffice", lambda: script)
    weird = copy_fixture(tmp_path, "recipients.doc", "名单 (终稿).v2.wps")
    with legacy.converted_copy(weird, "docx", Limits()) as converted:
        assert converted.name == "converted.docx" and converted.is_file()
        kept = converted.parent
    args = log.read_text()
    assert "-env:UserInstallation=file://" in args and "--headless" in args
    assert args.rstrip().endswith("source.doc")     # a Word 97 .wps is opened as .doc
    assert not kept.exists()
    assert os.listdir(private_tempdir) == []


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("fixture, flat, name", [("recipients.odt", "fodt", "通知.fodt"),
                                                 ("recipients.ods", "fods", "名单.xml")])   # known by content
def test_flat_open_document_is_converted_and_read_as_a_document(tmp_path, private_tempdir, fixture, flat, name):
    """LibreOffice's flat XML formats. Read as XML text, a table's header was lost and a name in it passed."""
    from tests.read.test_vector import soffice

    saved = soffice(copy_fixture(tmp_path, fixture, f"source{Path(fixture).suffix}"), flat, tmp_path / "flat")
    path = saved.rename(tmp_path / name)
    fmt, items = read_document(path, Limits())
    found = [item for item in content(items) if isinstance(item, Segment)]
    assert fmt == flat
    by_text = {item.text: item for item in found}
    assert by_text[PERSON_ID].field == "身份证号" and by_text[PERSON_NAME].field is not None
    assert all(item.location.startswith(f"(由 {Path(name).suffix} 转换) ") for item in found)
