"""The terminal report a clerk reads: a verdict line per document, then findings grouped by
location, each with its Chinese label, a short reason and the value masked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import groupby

from rich.console import Console
from rich.text import Text

from prepub_review.act.present import SEVERITY_LABELS, VERDICT_LABELS, Presenter
from prepub_review.models import DocumentResult, Finding, Severity, Verdict

VERDICT_STYLES = {Verdict.PASS: "bold green", Verdict.REVIEW: "bold yellow",
                  Verdict.BLOCK: "bold red", Verdict.ERROR: "bold magenta"}
SEVERITY_STYLES = {Severity.BLOCK: "red", Severity.REVIEW: "yellow", Severity.INFO: "dim"}
VERDICT_MARKS = {Verdict.PASS: "✓", Verdict.REVIEW: "?", Verdict.BLOCK: "✗", Verdict.ERROR: "!"}


def print_document(console: Console, doc: DocumentResult, presenter: Presenter, show_info: bool) -> None:
    counts = Counter(f.severity for f in doc.findings)
    head = Text()
    head.append(f"{VERDICT_MARKS[doc.verdict]} {VERDICT_LABELS[doc.verdict]}", style=VERDICT_STYLES[doc.verdict])
    head.append(f"  {doc.path}")
    if doc.verdict is Verdict.ERROR:
        console.print(head)
        console.print(Text(f"    {doc.error}", style="magenta"))
        return
    parts = [f"{SEVERITY_LABELS[s]} {counts[s]} 项" for s in (Severity.BLOCK, Severity.REVIEW) if counts[s]]
    if counts[Severity.INFO]:
        parts.append(f"提示 {counts[Severity.INFO]} 项")
    if parts:
        head.append("  (" + "，".join(parts) + ")", style="dim")
    console.print(head)
    shown = [f for f in doc.findings if show_info or f.severity is not Severity.INFO]
    if len(shown) > 5:
        by_label = Counter(f.label for f in shown)
        console.print(Text("    " + " · ".join(f"{label} {n}" for label, n in by_label.most_common()), style="dim"))
    for location, group in groupby(shown, key=lambda f: f.location):
        console.print(Text(f"    {location}", style="bold"))
        for finding in group:
            console.print(_finding_line(finding, presenter))
    hidden_info = counts[Severity.INFO] if not show_info else 0
    if hidden_info and doc.verdict is not Verdict.PASS:
        console.print(Text(f"    另有 {hidden_info} 项提示信息（如公职人员履职信息、机关联系电话），加 --show-info 查看", style="dim"))


def _finding_line(finding: Finding, presenter: Presenter) -> Text:
    line = Text("      ")
    line.append(f"[{SEVERITY_LABELS[finding.severity]}]", style=SEVERITY_STYLES[finding.severity])
    line.append(f" {finding.label}")
    value = presenter.value(finding)
    if value:
        line.append(f"  {value}", style="bold")
    line.append(f"  {finding.reason}", style="dim")
    line.append(f"  ({finding.rule_id})", style="dim")
    return line


def print_summary(console: Console, documents: Sequence[DocumentResult], skipped: Sequence[dict]) -> None:
    if skipped:
        console.print(Text(f"未审查的文件 {len(skipped)} 个（格式不支持或无法访问）：", style="yellow"))
        for item in skipped:
            console.print(Text(f"    {item['path']}  {item['reason']}", style="yellow"))
    if len(documents) > 1:
        verdicts = Counter(d.verdict for d in documents)
        parts = [f"{VERDICT_LABELS[v]} {verdicts[v]}" for v in Verdict if verdicts[v]]
        console.print(Text(f"共审查 {len(documents)} 个文件：" + "，".join(parts), style="bold"))

