"""LibreOffice is found through PREPUB_SOFFICE, on PATH, or where installers put it (issue 12)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from prepub_review.formats.legacy.reader import find_soffice, soffice_install_locations
from tests.conftest import ROOT


def test_prepub_soffice_wins_and_must_exist(tmp_path):
    fake = tmp_path / "LibreOffice" / "program" / "soffice"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    assert find_soffice({"PREPUB_SOFFICE": str(fake)}) == str(fake)
    assert find_soffice({"PREPUB_SOFFICE": f'"{fake}"'}) == str(fake)     # pasted with quotes, as on Windows
    assert find_soffice({"PREPUB_SOFFICE": str(tmp_path / "missing")}) is None


def test_windows_standard_locations():
    environ = {"ProgramFiles": r"D:\Program Files", "ProgramFiles(x86)": r"C:\Program Files (x86)"}
    places = [PureWindowsPath(p) for p in soffice_install_locations(environ, windows=True)]
    assert places[0] == PureWindowsPath(r"D:\Program Files\LibreOffice\program\soffice.exe")
    assert PureWindowsPath(r"C:\Program Files\LibreOffice\program\soffice.exe") in places
    assert PureWindowsPath(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe") in places
    assert len(places) == len(set(places))


def test_linux_standard_locations(tmp_path):
    places = soffice_install_locations({"HOME": str(tmp_path)}, windows=False)
    assert "/usr/lib/libreoffice/program/soffice" in places
    assert "/snap/bin/libreoffice" in places
    assert str(tmp_path / ".local/share/flatpak/exports/bin/org.libreoffice.LibreOffice") in places


def test_found_in_the_standard_location_when_not_on_path(monkeypatch):
    standard = Path("/usr/lib/libreoffice/program/soffice")
    if not standard.is_file():
        pytest.skip("LibreOffice is not installed in /usr/lib/libreoffice (.ci/run installs it)")
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert find_soffice({}, windows=False) == str(standard)


@pytest.mark.libreoffice
def test_a_legacy_document_is_read_with_soffice_named_by_the_variable(tmp_path):
    """Through the real command: PATH without LibreOffice, PREPUB_SOFFICE pointing to it."""
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    env = dict(os.environ, PATH=path_without_libreoffice(tmp_path), PYTHONIOENCODING="utf-8",
               PREPUB_SOFFICE=os.path.realpath(soffice), HOME=str(tmp_path))
    run = subprocess.run([sys.executable, "-m", "prepub_review", "check", "--format", "json",
                          str(ROOT / "tests/fixtures/legacy/recipients.doc")], env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    document = __import__("json").loads(run.stdout)["documents"][0]
    assert document["error"] is None and document["verdict"] == "block", run.stderr
    env["PREPUB_SOFFICE"] = str(tmp_path / "nowhere" / "soffice")
    run = subprocess.run([sys.executable, "-m", "prepub_review", "check", "--format", "json",
                          str(ROOT / "tests/fixtures/legacy/recipients.doc")], env=env, capture_output=True,
                         text=True, timeout=300, check=False)
    assert __import__("json").loads(run.stdout)["documents"][0]["error_code"] == "legacy_needs_libreoffice"


def path_without_libreoffice(tmp_path: Path) -> str:
    """A PATH with every tool of the system's bin directories except LibreOffice's launchers."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        for entry in Path(directory).glob("*") if Path(directory).is_dir() else ():
            target = tools / entry.name
            if entry.name not in ("soffice", "libreoffice") and not target.exists():
                target.symlink_to(entry)
    return str(tools)
