"""Through the `prepub` command: lists that exist only as pixels are found, redacted and verified;
without OCR they are never a pass. The check of all five kinds runs as a real process (the OCR
extra loaded as a user's run loads it); redact and the re-checks run in this process, so the OCR
engine is built once per test worker rather than twice per kind."""

from __future__ import annotations

import re
import urllib.parse
import shutil

import pytest
from PIL import Image

from prepub_review.ocr import available
from tests.conftest import run_prepub, run_prepub_process

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not available(), reason="needs the [ocr] extra")]
KINDS = ("png", "docx", "pdf", "html", "xlsx")


@pytest.fixture(scope="module")
def checked(picture_files):
    run = run_prepub_process("check", "--format", "json", "--reveal", *(str(picture_files.files[k]) for k in KINDS),
                             timeout=600)
    assert run.code == 1, run.stderr
    by_path = {doc["path"]: doc for doc in run.json()["documents"]}
    return {kind: by_path[str(picture_files.files[kind])] for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_ids_in_a_picture_block_and_sit_in_their_rows(checked, picture_files, kind):
    doc, table = checked[kind], picture_files.tables[kind]
    assert doc["verdict"] == "block", doc
    ids = [f for f in doc["findings"] if f["entity"] == "CN_ID_CARD"]
    assert sorted(f["text"] for f in ids) == sorted(table.ids)
    assert all(f["field"] == "身份证号" and f["severity"] == "block" for f in ids)
    names = {f["record"]: f["text"] for f in doc["findings"] if f["entity"] == "PERSON"}
    for finding in ids:       # the name found in the same picture row is that person's
        row = table.ids.index(finding["text"])
        assert names.get(finding["record"]) == table.names[row], (finding["record"], names)
    rows = [int(re.search(r"第(\d+)行 第\d+列", f["location"]).group(1)) for f in sorted(ids, key=lambda f: table.ids.index(f["text"]))]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)


@pytest.mark.parametrize("kind", KINDS)
def test_redacted_copy_rechecks_clean_and_still_opens(picture_files, tmp_path, kind):
    source = tmp_path / picture_files.files[kind].name
    shutil.copy(picture_files.files[kind], source)
    if kind == "html":
        shutil.copy(picture_files.folder / "名单.png", tmp_path / "名单.png")
    run = run_prepub("redact", str(source))
    assert run.code == 0, run.stdout + run.stderr
    output = next(p for p in tmp_path.iterdir() if ".去标识化" in p.name and p.suffix == source.suffix)
    recheck = run_prepub("check", "--format", "json", "--reveal", str(output))
    doc = recheck.json()["documents"][0]
    assert doc["verdict"] != "block" and doc["error"] is None, doc
    assert not [f for f in doc["findings"] if f["entity"] == "CN_ID_CARD"]
    assert all(identifier not in recheck.stdout for identifier in picture_files.tables[kind].ids)
    _opens(output, kind)


def _opens(output, kind):
    if kind == "png":
        Image.open(output).verify()
    elif kind == "docx":
        import docx
        docx.Document(str(output))
    elif kind == "xlsx":
        import openpyxl
        openpyxl.load_workbook(str(output))
    elif kind == "pdf":
        import pypdfium2
        assert len(pypdfium2.PdfDocument(str(output))) == 1
    elif kind == "html":
        painted = output.with_name("名单.去标识化.png")
        Image.open(painted).verify()
        assert "名单.去标识化.png" in urllib.parse.unquote(output.read_text(encoding="utf-8"))


def test_without_ocr_every_picture_is_review_never_pass(picture_files):
    env = {"PREPUB_OCR": "0"}
    run = run_prepub("check", "--format", "json", *(str(picture_files.files[k]) for k in KINDS), env=env)
    documents = run.json()["documents"]       # and the picture the page links (the site gate adds it)
    assert {d["path"] for d in documents} >= {str(p) for p in picture_files.files.values()}
    assert {d["verdict"] for d in documents} == {"review"}, run.stdout
    for doc in documents:
        unverified = [f for f in doc["findings"] if f["entity"] == "UNVERIFIED_CONTENT" and f["severity"] == "review"]
        assert unverified and all("pip install 'prepub-review[ocr]'" in f["reason"] for f in unverified), doc
