"""The key loop: a KeyReader and a Screen drive a Session, then the reviewer confirms a conclusion.

Ctrl-C is not caught here: KeyboardInterrupt reaches the command, which offers to save a
partial record. Quitting (q) returns None the same way.
"""

from __future__ import annotations

from prepub_review.act.review.keys import KeyReader
from prepub_review.act.review.screen import Screen, describe
from prepub_review.act.review.session import (
    EDITABLE,
    PUBLISH,
    PUBLISH_REDACTED,
    WITHHOLD_INTERNAL,
    WITHHOLD_PRIVACY,
    WITHHOLD_SECRET,
    Decision,
    Session,
)
from prepub_review.rules_loader import RulesSource, string_list

ACCEPT, KEEP, EDIT, ALL_OF_TYPE, BACK, HELP, QUIT = ("y", "enter"), "k", "e", "a", ("b", "left"), ("?", "h"), ("q", "eof")
CONCLUSION_KEYS = {"1": PUBLISH, "2": PUBLISH_REDACTED, "3": WITHHOLD_SECRET, "4": WITHHOLD_PRIVACY,
                   "5": WITHHOLD_INTERNAL}
CONCLUSION_HINTS = {WITHHOLD_SECRET: "国家秘密", WITHHOLD_PRIVACY: "个人隐私", WITHHOLD_INTERNAL: "内部/过程性信息"}


def review_items(session: Session, keys: KeyReader, screen: Screen, keep_reasons: list[str]) -> bool:
    """Decide items until every one is decided (True) or the reviewer quits (False)."""
    if not session.items:
        return True
    show = True
    while True:
        item = session.items[session.position]
        if show:
            screen.item(session, item)
        show = True
        key = keys.key()
        if key in ACCEPT:
            session.decide(Decision("redact"))
        elif key == KEEP:
            reason = ask_keep_reason(keys, screen, keep_reasons)
            if reason is None:
                screen.say("已取消。")
                continue
            session.decide(Decision("keep", reason=reason))
        elif key == EDIT:
            if item.proposal.kind not in EDITABLE:
                screen.say("此项不能改写（它不是正文中的一个值，或会随所在内容一并清除）。", "yellow")
                show = False
                continue
            text = keys.line("替换为（直接回车取消）：")
            if not text or not text.strip():
                screen.say("已取消。")
                continue
            session.decide(Decision("replace", replacement=text.strip()))
        elif key == ALL_OF_TYPE:
            count = session.accept_all_of_type()
            screen.say(f"已对「{item.finding.label}」共 {count} 项采纳建议。", "green")
        elif key in BACK:
            if not session.back():
                screen.say("已是第一项。")
                show = False
            continue
        elif key in HELP:
            screen.help()
            show = False
            continue
        elif key in QUIT:
            return False
        else:
            screen.say("未知按键；按 ? 查看帮助。")
            show = False
            continue
        decided = session.decisions.get(item.number)
        if decided is not None and key not in ACCEPT:
            screen.say(f"第 {item.number} 项：{describe(item, decided)}")
        if session.done:
            return True


def ask_keep_reason(keys: KeyReader, screen: Screen, reasons: list[str]) -> str | None:
    """A numbered reason, or free text; None if cancelled."""
    choices = "  ".join(f"{n} {reason}" for n, reason in enumerate(reasons, start=1))
    other = len(reasons) + 1
    screen.say(f"保留原文的理由：{choices}  {other} 其他（自行填写）  Esc 取消")
    while True:
        key = keys.key()
        if key.isdigit() and 1 <= int(key) <= len(reasons):
            return reasons[int(key) - 1]
        if key.isdigit() and int(key) == other:
            text = keys.line("理由：")
            return text.strip() if text and text.strip() else None
        if key in ("esc", "q", "eof"):
            return None
        screen.say(f"请按 1–{other} 选择理由，或按 Esc 取消。")


def choose_conclusion(session: Session, keys: KeyReader, screen: Screen, labels: dict[str, str],
                      can_redact: str | None) -> tuple[str, str] | None:
    """The reviewer confirms or changes the suggested conclusion and its reason.

    Returns (conclusion key, reason), or None to go back to the items ("b") — the caller
    re-runs the loop — and raises QuitReview on "q". `can_redact` is None when a redacted
    copy can be written, else the reason why not.
    """
    suggested = session.suggested_conclusion()
    menu = "  ".join(f"{key} {_label(labels, value)}" for key, value in CONCLUSION_KEYS.items())
    screen.say(f"建议结论：{_label(labels, suggested)}", "bold")
    screen.say(f"理由：{session.suggested_reason(suggested)}")
    while True:
        screen.say(f"按键：回车 确认建议  {menu}  b 返回修改  q 退出", "dim")
        key = keys.key()
        if key in BACK and session.items:
            return None
        if key in QUIT:
            raise QuitReview
        conclusion = suggested if key == "enter" else CONCLUSION_KEYS.get(key)
        if conclusion is None:
            screen.say("未知按键。")
            continue
        if conclusion == PUBLISH_REDACTED and can_redact:
            screen.say(f"不能选择去标识化后公开：{can_redact}", "yellow")
            continue
        default_reason = session.suggested_reason(conclusion)
        text = keys.line(f"结论：{_label(labels, conclusion)}。理由（直接回车采用：{default_reason}）：")
        if text is None:
            continue
        return conclusion, text.strip() or default_reason


def keep_reasons(rules: RulesSource) -> list[str]:
    """The numbered reasons for keeping a value (rules/review.yaml)."""
    from prepub_review.errors import RulesError

    data = rules.mapping("review.yaml", {"keep_reasons"})
    reasons = string_list(data, "keep_reasons")
    if len(reasons) > 8:
        raise RulesError(f"{data.where('keep_reasons')}: 「keep_reasons」最多 8 项（按键 1–9，9 留给“其他”）")
    return reasons


class QuitReview(Exception):
    """The reviewer chose to quit at the conclusion step."""


def _label(labels: dict[str, str], key: str) -> str:
    label = labels.get(key, key)
    hint = CONCLUSION_HINTS.get(key)
    return f"{label}（{hint}）" if hint and hint not in label else label
