"""`prepub review` of a legacy .doc opens it once: LibreOffice converts it exactly once per command
(a logging `soffice` placed first on PATH hands each call on to the real one)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.review.helpers import command, env

LEGACY = Path(__file__).parent.parent / "fixtures" / "legacy"
REAL_SOFFICE = shutil.which("soffice")

pytestmark = [pytest.mark.libreoffice, pytest.mark.skipif(REAL_SOFFICE is None, reason="LibreOffice not installed")]


def logging_soffice(folder: Path, log: Path) -> Path:
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{REAL_SOFFICE}" "$@"\n')
    script.chmod(0o755)
    return bin_dir


def test_accept_all_of_a_doc_converts_it_once(tmp_path):
    source = tmp_path / "recipients.doc"
    shutil.copy(LEGACY / "recipients.doc", source)
    log = tmp_path / "soffice.log"
    variables = env(tmp_path)
    variables["PATH"] = f"{logging_soffice(tmp_path, log)}:{variables['PATH']}"
    proc = subprocess.run(command(str(source), "--accept-all"), env=variables, capture_output=True, text=True,
                          timeout=300, check=False, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "recipients.doc.去标识化.docx").is_file()
    calls = log.read_text().splitlines()
    assert len(calls) == 1 and "--convert-to docx" in calls[0]
