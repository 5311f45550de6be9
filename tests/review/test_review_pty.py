"""`prepub review` through a real pseudo-terminal: keystrokes in, screen text out."""

from __future__ import annotations

import re
import signal
import zipfile

import pexpect
import pytest

from prepub_review.act.audit import AuditLog, file_sha256
from tests.conftest import run_prepub
from tests.review.helpers import command, env, recipients_docx

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\r")
TIMEOUT = 30


class Terminal:
    """A spawned `prepub review` whose screen is read as plain text (colours and styles removed)."""

    def __init__(self, args: list[str], environment: dict, encoding: str = "utf-8"):
        # As a shell starts a foreground job: SIGINT at its default, whatever this test process inherited
        # (an ignored signal stays ignored across exec, and Ctrl-C would then do nothing).
        self.child = pexpect.spawn(args[0], args[1:], env=environment, encoding=encoding,
                                   dimensions=(50, 200), timeout=TIMEOUT,
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.raw = ""
        self.seen = 0          # plain-text position up to which `wait` has matched

    @property
    def screen(self) -> str:
        return ANSI.sub("", self.raw)

    def wait(self, text: str) -> None:
        """Wait until `text` appears after what was matched last."""
        while True:
            found = self.screen.find(text, self.seen)
            if found >= 0:
                self.seen = found + len(text)
                return
            try:
                self.raw += self.child.read_nonblocking(4096, timeout=TIMEOUT)
            except (pexpect.TIMEOUT, pexpect.EOF) as exc:
                raise AssertionError(f"did not see {text!r}; screen ends with:\n{self.screen[-1500:]}") from exc

    def keys(self, text: str) -> None:
        self.child.send(text)

    def finish(self) -> int:
        while True:
            try:
                self.raw += self.child.read_nonblocking(4096, timeout=TIMEOUT)
            except pexpect.EOF:
                break
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else 128 + self.child.signalstatus


@pytest.fixture
def draft(tmp_path):
    return recipients_docx(tmp_path)


def spawn(tmp_path, draft, *extra: str) -> Terminal:
    return Terminal(command(str(draft.path), "-o", str(tmp_path / "out.docx"), "--approver", "批准人乙", *extra),
                    env(tmp_path))


def records(tmp_path):
    db = tmp_path / "audit.sqlite3"
    return AuditLog(db).records() if db.exists() else []


def test_full_session_writes_a_verified_copy_and_an_audit_record(tmp_path, draft):
    term = spawn(tmp_path, draft)
    term.wait("第 1 项，共 8 项")
    term.wait("位置：表格1 第2行 第1列")
    term.wait("张*明")                         # the masked result of the proposal
    term.wait("按键：")
    term.keys("y")
    term.wait("第 2 项，共 8 项")
    term.wait("按键：")
    term.keys("k")                             # keep the ID number ...
    term.wait("保留原文的理由")
    term.keys("2")                             # ... 已获本人同意
    term.wait("第 3 项，共 8 项")
    term.wait("按键：")
    term.keys("e")                             # replace the mobile number
    term.wait("替换为")
    term.child.sendline("（略）")
    term.wait("第 4 项，共 8 项")
    term.wait("按键：")
    term.keys("?")
    term.wait("按键说明")
    term.keys("a")                             # all addresses: items 4 and 8
    term.wait("共 2 项采纳建议")
    term.wait("第 5 项，共 8 项")
    term.wait("按键：")
    term.keys("b")                             # back to item 4, shown with its decision
    term.wait("第 4 项，共 8 项")
    term.wait("已决定：采纳建议")
    term.wait("按键：")
    term.keys("\r")                            # Enter accepts
    for number in (5, 6, 7):
        term.wait(f"第 {number} 项，共 8 项")
        term.wait("按键：")
        term.keys("y")
    term.wait("审查汇总")
    term.wait("建议结论：去标识化后公开")
    term.wait("回车 确认建议")
    term.keys("\r")
    term.wait("理由（直接回车采用")
    term.child.sendline("")
    term.wait("已写入审查记录：第 1 号")
    assert term.finish() == 0
    screen = term.screen
    assert "已写入并校验通过" in screen
    for raw in draft.ids + draft.mobiles:      # never shown raw
        assert raw not in screen

    output = tmp_path / "out.docx"
    with zipfile.ZipFile(output) as archive:
        text = archive.read("word/document.xml").decode("utf-8")
    assert draft.ids[0] in text and draft.ids[1] not in text
    assert "（略）" in text and not any(m in text for m in draft.mobiles)
    assert "和平村" in text and "12号" not in text

    [stored] = records(tmp_path)
    record = stored.record
    assert (record.kind, record.reviewer, record.approver) == ("review", "审查员甲", "批准人乙")
    assert record.conclusion == "publish_redacted" and "第三十七条" in record.legal_basis
    assert record.document_sha256 == file_sha256(draft.path) and record.output_sha256 == file_sha256(output)
    assert record.publishes_personal_info == 1 and record.started_utc   # stored as 1/0
    assert [row.decision for row in record.findings] == ["redact", "keep", "edit", "redact",
                                                         "redact", "redact", "redact", "redact"]
    assert record.findings[1].reason == "已获本人同意" and record.findings[2].replacement == "（略）"
    assert record.findings[1].masked_value != draft.ids[0]
    database = (tmp_path / "audit.sqlite3").read_bytes()
    assert not any(raw.encode() in database for raw in draft.ids + draft.mobiles)


def test_quit_without_saving_leaves_nothing(tmp_path, draft):
    term = spawn(tmp_path, draft)
    term.wait("按键：")
    term.keys("y")
    term.wait("第 2 项")
    term.wait("按键：")
    term.keys("q")
    term.wait("是否保存为未完成的审查记录")
    term.keys("n")
    term.wait("未生成文件，未写入审查记录")
    assert term.finish() == 1
    assert not (tmp_path / "out.docx").exists() and records(tmp_path) == []


def test_ctrl_c_leaves_nothing(tmp_path, draft):
    term = spawn(tmp_path, draft)
    term.wait("按键：")
    term.keys("y")
    term.wait("第 2 项")
    term.wait("按键：")
    term.keys("\x03")
    term.wait("已中断")
    term.wait("是否保存")
    term.keys("\x03")                          # a second Ctrl-C: leave without saving
    term.wait("未生成文件，未写入审查记录")
    assert term.finish() == 130
    assert not (tmp_path / "out.docx").exists() and records(tmp_path) == []


def test_ctrl_c_while_typing_then_save_a_partial_record(tmp_path, draft):
    term = spawn(tmp_path, draft)
    term.wait("按键：")
    term.keys("k")
    term.wait("保留原文的理由")
    term.keys("1")
    term.wait("第 2 项")
    term.wait("按键：")
    term.keys("e")
    term.wait("替换为")
    term.keys("\x03")                          # interrupted in the middle of a line
    term.wait("是否保存")
    term.keys("y")
    term.wait("已保存未完成的审查记录：第 1 号")
    assert term.finish() == 130
    assert not (tmp_path / "out.docx").exists()
    [stored] = records(tmp_path)
    assert stored.record.conclusion == "incomplete" and stored.record.output_sha256 is None
    assert [(r.decision, r.reason) for r in stored.record.findings] == [("keep", "公职人员履职信息")]


def test_back_from_the_conclusion_and_withhold(tmp_path, draft):
    term = spawn(tmp_path, draft)
    term.wait("按键：")
    for key in ("a", "a", "a"):                # names, ID numbers, mobiles
        term.keys(key)
        term.wait("采纳建议。")
        term.wait("按键：")
    term.keys("a")                             # addresses: all decided
    term.wait("建议结论：去标识化后公开")
    term.wait("回车 确认建议")
    term.keys("b")                             # back to the last item
    term.wait("第 8 项，共 8 项")
    term.wait("按键：")
    term.keys("y")
    term.wait("回车 确认建议")
    term.keys("4")                             # 不予公开（个人隐私）
    term.wait("理由（直接回车采用")
    term.child.sendline("名单涉及的对象均不宜公开")
    term.wait("已写入审查记录：第 1 号")
    assert term.finish() == 0
    assert not (tmp_path / "out.docx").exists()
    [stored] = records(tmp_path)
    assert stored.record.conclusion == "withhold_privacy" and stored.record.conclusion_label == "不予公开"
    assert stored.record.conclusion_reason == "名单涉及的对象均不宜公开"
    assert stored.record.publishes_personal_info == 0


# --- without a terminal (in this process: stdin is not a tty under CliRunner) ---------------------

def test_reviewer_name_is_required(tmp_path, draft):
    run = run_prepub("review", str(draft.path), "--accept-all", env=env(tmp_path, reviewer=None))
    assert run.code == 2 and "须指明审查人" in run.stderr and "PREPUB_REVIEWER" in run.stderr
    assert records(tmp_path) == []


def test_interactive_needs_a_terminal(tmp_path, draft):
    run = run_prepub("review", str(draft.path), env=env(tmp_path))
    assert run.code == 2 and "--decisions" in run.stderr

