"""Any console, any locale (issue 12): under GBK (Windows cmd's code page 936), Big5, ASCII or the C
locale, and with output redirected to a file, no command crashes on encoding. People's text is
written in the console's encoding with symbols falling back (✓ → √ or [OK]); JSON and CSV stay
UTF-8 bytes whatever the console. Every command is run for real, the interactive review included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from prepub_review.act.audit import AuditLog
from tests.audit.helpers import decided_record, record
from tests.conftest import ROOT
from tests.review.helpers import recipients_docx

pytestmark = pytest.mark.slow   # every test runs real processes: scheduled first

CONSOLES = {
    "gbk": {"PYTHONIOENCODING": "gbk"},
    "big5": {"PYTHONIOENCODING": "big5"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "C locale": {"LC_ALL": "C", "LANG": "C"},
}
CRASH_SIGNS = ("Traceback", "UnicodeEncodeError", "UnicodeDecodeError", "内部错误")


def console_env(tmp_path: Path, settings: dict) -> dict:
    values = {k: v for k, v in os.environ.items()
              if not k.startswith(("PREPUB_", "LC_", "PYTHONIOENCODING", "PYTHONUTF8"))}
    values.update(NO_COLOR="1", COLUMNS="120", PYTHONPATH=str(ROOT), PREPUB_REVIEWER="审查员甲",
                  PREPUB_CONFIG=str(tmp_path / "no-config.yaml"), PREPUB_AUDIT_DB=str(tmp_path / "audit.sqlite3"),
                  PREPUB_AUDIT_KEY=str(tmp_path / "audit.key"), **settings)
    return values


def prepub(env: dict, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Output captured as bytes, i.e. redirected to a file as `prepub … > 报告.txt` would be."""
    return subprocess.run([sys.executable, "-m", "prepub_review", *args], env=env, cwd=cwd,
                          capture_output=True, timeout=300, check=False)


def console_text(data: bytes, settings: dict) -> str:
    """Strict: what was written IS in the console's encoding. (On an ASCII console, which cannot
    show Chinese at all, click writes its own messages as UTF-8 rather than fail; accepted.)"""
    encoding = settings.get("PYTHONIOENCODING", "utf-8")
    return data.decode(encoding if encoding != "ascii" else "utf-8")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    base = tmp_path_factory.mktemp("consoles")
    draft = recipients_docx(base).path
    log = AuditLog(base / "trail.sqlite3")
    log.append(record(1, document_name="低保公示✓.docx"))
    log.append(decided_record(2))
    decisions = base / "决定.yaml"
    decisions.write_text("decisions:\n  - match: {entity: PERSON}\n    decision: keep\n    reason: 公职人员履职信息\n",
                         encoding="utf-8")
    return base, draft, decisions


def commands(base: Path, draft: Path, decisions: Path, out: Path) -> list[tuple[list[str], int]]:
    trail = str(base / "trail.sqlite3")
    return [
        (["check", "--show-info", str(draft)], 1),
        (["redact", str(draft), "-o", str(out / "redacted.docx")], 0),
        (["redact", str(draft), "--dry-run"], 0),
        (["review", str(draft), "--accept-all", "-o", str(out / "accepted.docx")], 0),
        (["review", str(draft), "--decisions", str(decisions), "-o", str(out / "decided.docx")], 0),
        (["audit", "head", "--audit-db", trail], 0),
        (["audit", "verify", "--audit-db", trail], 0),
        (["audit", "list", "--audit-db", trail], 0),
        (["audit", "show", "2", "--audit-db", trail], 0),
        (["audit", "show", "99", "--audit-db", trail], 2),            # an error message, in Chinese
        (["check", "--no-such-option"], 2),                          # a usage error
        (["--help"], 0),
        (["audit", "--help"], 0),
    ]


@pytest.mark.parametrize("console, everything", [("gbk", True), ("C locale", True), ("big5", False), ("ascii", False)])
def test_every_command_works_in_any_console(tmp_path, workspace, console, everything):
    """Every command under GBK and the C locale; a reading and a writing one under Big5 and ASCII."""
    base, draft, decisions = workspace
    settings = CONSOLES[console]
    env = console_env(tmp_path, settings)
    chosen = commands(base, draft, decisions, tmp_path)
    for args, expected in chosen if everything else [chosen[0], chosen[1], chosen[8]]:
        run = prepub(env, *args)
        out, err = console_text(run.stdout, settings), console_text(run.stderr, settings)
        assert run.returncode == expected, (args, out[-500:], err[-800:])
        assert not any(sign in out + err for sign in CRASH_SIGNS), (args, err)


def test_gbk_report_is_the_utf8_report_with_only_missing_symbols_replaced(tmp_path):
    utf8 = prepub(console_env(tmp_path, {"PYTHONIOENCODING": "utf-8"}), "check", "samples/")
    gbk = prepub(console_env(tmp_path, CONSOLES["gbk"]), "check", "samples/")
    assert utf8.returncode == gbk.returncode == 1
    assert "✓".encode() in utf8.stdout and "✗".encode() in utf8.stdout
    expected = utf8.stdout.decode("utf-8").replace("✓", "√").replace("✗", "×")
    assert gbk.stdout.decode("gbk") == expected
    ascii_run = prepub(console_env(tmp_path, CONSOLES["ascii"]), "check", "samples/")
    assert ascii_run.returncode == 1 and b"[OK]" in ascii_run.stdout and b"[X]" in ascii_run.stdout


@pytest.mark.parametrize("console", ["gbk", "ascii"])
def test_machine_output_stays_utf8_whatever_the_console(tmp_path, workspace, console):
    base, draft, _ = workspace
    env = console_env(tmp_path, CONSOLES[console])
    report = prepub(env, "check", "--format", "json", str(draft))
    assert report.returncode == 1
    assert json.loads(report.stdout.decode("utf-8"))["documents"][0]["findings"][0]["label"]
    plan = prepub(env, "redact", str(draft), "--dry-run", "--format", "json")
    assert plan.returncode == 0 and json.loads(plan.stdout.decode("utf-8"))
    ledger = prepub(env, "audit", "export", "--format", "csv", "--audit-db", str(base / "trail.sqlite3"))
    assert ledger.stdout.startswith(b"\xef\xbb\xbf") and "低保公示✓.docx" in ledger.stdout.decode("utf-8")
    exported = prepub(env, "audit", "export", "--format", "json", "--audit-db", str(base / "trail.sqlite3"))
    assert json.loads(exported.stdout.decode("utf-8"))["records"][0]["document_name"] == "低保公示✓.docx"


@pytest.mark.parametrize("console", ["gbk", "C locale"])
def test_interactive_review_in_a_non_utf8_console(tmp_path, console):
    """Keys and a typed reason arrive in the console's encoding (GBK bytes from a GBK terminal)."""
    from tests.review.test_review_pty import Terminal

    settings = CONSOLES[console]
    encoding = settings.get("PYTHONIOENCODING", "utf-8")
    draft = recipients_docx(tmp_path, name="draft.docx")   # pexpect would encode a Chinese argv in GBK too
    term = Terminal([sys.executable, "-m", "prepub_review", "review", str(draft.path), "-o", str(tmp_path / "o.docx")],
                    console_env(tmp_path, settings), encoding=encoding)
    term.wait("第 1 项，共 8 项")
    term.wait("按键：")
    term.keys("k")
    term.wait("保留原文的理由")
    term.keys("4")
    term.wait("理由：")
    term.child.sendline("本人书面同意公开")
    for number in range(2, 9):
        term.wait(f"第 {number} 项，共 8 项")
        term.wait("按键：")
        term.keys("y")
    term.wait("建议结论：去标识化后公开")
    term.wait("回车 确认建议")
    term.keys("\r")
    term.wait("理由（直接回车采用")
    term.keys("\r")
    assert term.finish() == 0, term.screen[-1500:]
    assert not any(sign in term.screen for sign in CRASH_SIGNS)
    stored = AuditLog(tmp_path / "audit.sqlite3").records()[-1].record
    assert stored.findings[0].decision == "keep" and stored.findings[0].reason == "本人书面同意公开"
