"""What the reviewer sees. Document text goes into rich `Text` objects, never into markup, so a
"[bold]" in a document is shown as it is. Values are masked unless --reveal was given."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from prepub_review.act.present import SEVERITY_LABELS, Presenter
from prepub_review.act.review.session import (
    DECISION_ZH,
    PROPOSAL_ZH,
    Decision,
    ReviewItem,
    Session,
    counts_by_label,
)
from prepub_review.decide.policy import CONTEXT_CHARS

PUBLISHED_AS_REPLACED = {"mask", "generalise"}   # proposals whose replacement still shows the value
SEVERITY_STYLE = {"block": "bold red", "review": "yellow", "info": "dim"}
KEYS_LINE = "按键：y/回车 采纳建议  k 保留原文  e 改写  a 本类全部采纳  b 上一项  ? 帮助  q 退出"
HELP = [
    ("y 或 回车", "采纳建议的处理（如打码、删除、泛化）"),
    ("k", "保留原文：再选择理由（如 公职人员履职信息、已获本人同意），或自行填写"),
    ("e", "改写：输入替换这一处的文字"),
    ("a", "本类其余各项全部采纳建议（如全部姓名按方案打码）"),
    ("b 或 ←", "返回上一项，可以改变已作的决定"),
    ("?", "显示本帮助"),
    ("q", "退出：不生成文件；可选择把已作的决定保存为未完成的审查记录"),
    ("Ctrl-C", "中断，同 q"),
]


class Screen:
    def __init__(self, console: Console, presenter: Presenter):
        self.console = console
        self.presenter = presenter

    def say(self, text: str, style: str | None = None) -> None:
        self.console.print(Text(text, style=style or ""))

    def item(self, session: Session, item: ReviewItem) -> None:
        finding = item.finding
        out = self.console
        out.rule(Text(f"第 {item.number} 项，共 {len(session.items)} 项"))
        head = Text()
        head.append(f"[{SEVERITY_LABELS[finding.severity]}] ", style=SEVERITY_STYLE.get(finding.severity.value, ""))
        head.append(finding.label, style="bold")
        head.append(f"（规则 {finding.rule_id}）")
        out.print(head)
        where = f"位置：{finding.location}" + (f"    字段：{finding.field}" if finding.field else "")
        out.print(Text(where))
        if finding.text:
            out.print(Text("原文：").append_text(self.context(item)))
        out.print(Text(f"说明：{finding.reason}"))
        out.print(Text("建议：").append_text(self.proposal(item)))
        decision = session.decisions.get(item.number)
        if decision is not None:
            out.print(Text("已决定：", style="bold").append(describe(item, decision)))
        out.print(Text(KEYS_LINE, style="dim"))

    def value(self, item: ReviewItem) -> str:
        """The value as it will be published when the proposal masks or generalises it (what the
        reviewer sees is what gets published); otherwise masked for display, raw with --reveal."""
        if not self.presenter.reveal and item.proposal.kind in PUBLISHED_AS_REPLACED and item.proposal.replacement:
            return item.proposal.replacement
        return self.presenter.value(item.finding)

    def context(self, item: ReviewItem) -> Text:
        """The text around the value (masked unless --reveal), the value itself highlighted."""
        finding = item.finding
        around = self.presenter.context(finding).replace("\r", " ").replace("\n", " ")
        start = finding.start - max(0, finding.start - CONTEXT_CHARS)
        end = min(start + (finding.end - finding.start), len(around))
        value = self.value(item)
        shown = around[:start] + value + around[end:]
        end = start + len(value)
        text = Text(shown)
        text.stylize("bold reverse", start, end)
        return text

    def proposal(self, item: ReviewItem) -> Text:
        proposal = item.proposal
        text = Text(PROPOSAL_ZH[proposal.kind], style="bold")
        if proposal.replacement is not None:
            text.append("  →  ")
            text.append(proposal.replacement or "（删除）", style="green")
        return text

    def help(self) -> None:
        table = Table(title="按键说明", show_header=False, box=None, padding=(0, 2))
        for key, meaning in HELP:
            table.add_row(Text(key, style="bold"), Text(meaning))
        self.console.print(table)

    def summary(self, session: Session) -> None:
        table = Table(title="审查汇总")
        table.add_column("类别")
        for kind in DECISION_ZH:
            table.add_column(DECISION_ZH[kind], justify="right")
        table.add_column("合计", justify="right")
        for label, counts in counts_by_label(session):
            table.add_row(label, *(str(counts[k]) for k in DECISION_ZH), str(sum(counts.values())))
        if session.items:
            self.console.print(table)
        else:
            self.say("未发现需要逐项审查的内容。")
        exceptions = [(i, d) for i, d in session.decided() if d.kind != "redact"]
        for item, decision in exceptions:
            line = Text(f"  第 {item.number} 项  {item.finding.location}  {item.finding.label} ")
            line.append(self.presenter.value(item.finding))    # kept or rewritten: not the proposal
            line.append(f"：{describe(item, decision)}")
            self.console.print(line)


def describe(item: ReviewItem, decision: Decision) -> str:
    """A decision in words: 采纳建议（打码 → 张*明） / 保留原文（理由） / 改写为「…」."""
    if decision.kind == "keep":
        return f"保留原文（{decision.reason}）" if decision.reason else "保留原文"
    if decision.kind == "replace":
        return f"改写为「{decision.replacement}」"
    proposal = item.proposal
    shown = PROPOSAL_ZH[proposal.kind]
    if proposal.replacement is not None:
        shown += f" → {proposal.replacement or '（删除）'}"
    via = {"type": "，本类全部采纳", "accept_all": "，全部采纳", "file": "，按决定文件"}.get(decision.by, "")
    return f"采纳建议（{shown}{via}）"
