"""Earlier revisions kept by an incremental save (formats/pdf/revisions.py): what only they show is
read, and redaction writes the current revision alone."""

from __future__ import annotations

import pymupdf
import pytest

from prepub_review.formats.base import Limits
from prepub_review.formats.pdf import revisions
from prepub_review.formats.pdf.reader import REVISION, read
from prepub_review.models import Notice, Segment
from tests.conftest import run_prepub
from tests.read.make_files import PERSON_ID, PERSON_PHONE, pdf_bytes

ROW = f"张建国 和平村 {PERSON_ID} {PERSON_PHONE}"
MASKED_ROW = f"张*国 和平村 {PERSON_ID[:6]}********{PERSON_ID[-4:]} {PERSON_PHONE[:3]}****{PERSON_PHONE[-4:]}"


def masked_in_an_editor(path, *, change_text: bool = True) -> None:
    """What a clerk does in a PDF editor that saves incrementally: the row masked in place, the
    author cleared, and the file saved over itself (the first revision stays in the file)."""
    doc = pymupdf.open(path)
    page = doc[0]
    if change_text:
        for rect in page.search_for(ROW):
            page.add_redact_annot(rect)
        page.apply_redactions()
        page.insert_text((72, 130), MASKED_ROW, fontname="china-s", fontsize=11)
        doc.set_metadata({**doc.metadata, "author": ""})
    else:
        doc.set_toc([[1, "正文", 1]])     # a bookmark added: a revision that only adds
    doc.saveIncr()
    doc.close()


@pytest.fixture
def edited(tmp_path):
    path = tmp_path / "公示.pdf"
    path.write_bytes(pdf_bytes([["城南街道临时救助公示", ROW]], author="李秘书"))
    masked_in_an_editor(path)
    return path


def segments(path):
    return [item for item in read(path, Limits()) if isinstance(item, Segment)]


def test_what_only_an_earlier_revision_shows_is_read_with_its_revision(edited):
    earlier = [(s.text, s.location) for s in segments(edited) if s.locator and s.locator.part == REVISION]
    assert (ROW, "早期版本1 第1页 第2行") in earlier
    assert ("李秘书", "早期版本1 文档属性 Author") in earlier
    # what the current revision shows too is not read twice
    assert all(text != "城南街道临时救助公示" for text, _ in earlier)


def test_a_list_masked_in_an_incremental_editor_does_not_pass(edited):
    run = run_prepub("check", "--format", "json", "--no-progress", str(edited))
    assert run.code == 1
    found = {(f["entity"], f["location"], f["severity"]) for f in run.json()["documents"][0]["findings"]}
    assert ("CN_ID_CARD", "早期版本1 第1页 第2行", "block") in found
    assert ("PHONE_NUMBER", "早期版本1 第1页 第2行", "block") in found


def test_an_incremental_save_that_changes_no_text_adds_nothing(tmp_path):
    path = tmp_path / "报告.pdf"
    path.write_bytes(pdf_bytes([["2024年政府信息公开工作年度报告", "本机关全年主动公开政府信息120条。"]]))
    masked_in_an_editor(path, change_text=False)
    assert len(revisions.earlier(path)[0]) == 1
    assert [s for s in segments(path) if s.locator and s.locator.part == REVISION] == []


@pytest.mark.parametrize("body, expected", [
    # an earlier section closed by startxref and %%EOF: one earlier revision
    (b"%PDF-1.7\n1 0 obj<<>>endobj\nxref\ntrailer<<>>\nstartxref\n9\n%%EOF\n2 0 obj<<>>endobj\nstartxref\n40\n%%EOF\n", 1),
    # a linearized file's first-page section is not a revision
    (b"%PDF-1.7\n1 0 obj<</Linearized 1/L 200>>endobj\nxref\ntrailer<<>>\nstartxref\n0\n%%EOF\n"
     b"2 0 obj<<>>endobj\nstartxref\n40\n%%EOF\n", 0),
    # "%%EOF" without a startxref before it (inside a stream, a comment) closes nothing
    (b"%PDF-1.7\n1 0 obj<</Length 5>>stream\n%%EOF\nendstream endobj\nstartxref\n9\n%%EOF\n", 0),
    (b"%PDF-1.7\nstartxref\n9\n%%EOF\n", 0),
])
def test_earlier_revisions_are_the_sections_closed_before_the_last(tmp_path, body, expected):
    path = tmp_path / "a.pdf"
    path.write_bytes(body)
    ends, count = revisions.earlier(path)
    assert len(ends) == count == expected
    assert all(revisions.revision(path, end).endswith(b"%%EOF") for end in ends)


def test_an_earlier_revision_that_does_not_open_is_a_notice(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\nstartxref\n0\n%%EOF\n" + pdf_bytes([["本机关全年主动公开政府信息120条。"]]))
    notices = [item for item in read(path, Limits()) if isinstance(item, Notice)]
    assert [(n.location, n.code) for n in notices] == [("早期版本1", "pdf_revision_unreadable")]
    run = run_prepub("check", "--format", "json", "--no-progress", str(path))
    assert run.json()["documents"][0]["verdict"] == "review"


def test_redaction_writes_the_current_revision_alone(edited, tmp_path):
    out = tmp_path / "out.pdf"
    run = run_prepub("redact", str(edited), "-o", str(out))
    assert run.code == 0, run.stderr + run.stdout
    assert "删除增量保存留下的早期版本 1 个" in run.stdout
    data = out.read_bytes()
    assert data.count(b"%%EOF") == 1 and revisions.earlier(out) == ([], 0)
    assert run_prepub("check", "--no-progress", str(out)).code == 0
    assert PERSON_ID.encode() not in data


def test_revisions_beyond_the_limit_are_a_notice(edited, monkeypatch):
    monkeypatch.setattr(revisions, "MAX_REVISIONS", 0)
    notices = [(n.code, n.location) for n in read(edited, Limits()) if isinstance(n, Notice)]
    assert notices == [("pdf_revision_unreadable", "早期版本")]
