"""What `prepub redact` / `prepub review` write: the output's permission bits, its default name,
and the locations a summary shows for a converted legacy document."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor, default_output
from prepub_review.pipeline import Checker
from tests.review.helpers import command, env, recipients_docx

LEGACY = Path(__file__).parent.parent / "fixtures" / "legacy"
needs_libreoffice = [pytest.mark.libreoffice,
                     pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")]


@pytest.fixture(scope="module")
def redactor():
    checker = Checker()
    return Redactor(checker, load_profile(checker.rules, "assistance-recipients"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("bits", [0o644, 0o640])
def test_redact_output_gets_the_inputs_permission_bits(tmp_path, redactor, bits):
    draft = recipients_docx(tmp_path)
    os.chmod(draft.path, bits)
    result = redactor.redact(draft.path, tmp_path / "out.docx")
    assert result.written and mode(result.output) == bits


def test_review_output_gets_the_inputs_permission_bits(tmp_path):
    draft = recipients_docx(tmp_path)
    os.chmod(draft.path, 0o644)
    out = tmp_path / "out.docx"
    proc = subprocess.run(command(str(draft.path), "--accept-all", "-o", str(out)), env=env(tmp_path),
                          capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert mode(out) == 0o644


@pytest.mark.parametrize("legacy, modern", [("x.doc", "x.docx"), ("x.wps", "x.docx"), ("x.xls", "x.xlsx"),
                                            ("x.et", "x.xlsx"), ("名单.XLS", "名单.xlsx")])
def test_legacy_output_name_never_clashes_with_the_modern_ones(legacy, modern):
    assert default_output(Path(legacy)) != default_output(Path(modern))
    assert default_output(Path(legacy)).suffix == Path(modern).suffix      # still written in the modern format
    assert default_output(Path(legacy)).name.startswith(legacy)           # and says where it came from


@needs_libreoffice[0]
@needs_libreoffice[1]
def test_redact_summary_of_a_doc_names_the_converted_copy(tmp_path, redactor):
    source = tmp_path / "recipients.doc"
    shutil.copy(LEGACY / "recipients.doc", source)
    result = redactor.redact(source, tmp_path / "out.docx", dry_run=True)
    assert result.edits
    assert all(edit.finding.location.startswith("(由 .doc 转换) ") for edit in result.edits)
    check = Checker().check_file(source)                       # the same places as `prepub check` shows
    assert {f.location for f in check.findings} >= {e.finding.location for e in result.edits}
