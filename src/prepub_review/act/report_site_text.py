"""The terminal report in site mode: the ordinary per-document report, plus which pages publish a
file, its 已审批保留 and 历史遗留待整改 items, a page's links, and the site summary at the end."""

from __future__ import annotations

import dataclasses

from rich.console import Console
from rich.text import Text

from prepub_review.act import report_terminal
from prepub_review.act.present import VERDICT_LABELS, Presenter
from prepub_review.models import Verdict
from prepub_review.site.approvals import APPROVED, LEGACY, STATUS_LABELS
from prepub_review.site.gate import RunSummary, SiteDocument
from prepub_review.site.links import EXTERNAL, OUTSIDE


class TextReporter:
    def __init__(self, console: Console, presenter: Presenter, show_info: bool, quiet: bool):
        self.console, self.presenter, self.show_info, self.quiet = console, presenter, show_info, quiet

    def document(self, site_doc: SiteDocument) -> None:
        doc = site_doc.doc
        legacy = site_doc.entries(LEGACY)
        if self.quiet and doc.verdict is Verdict.PASS and not legacy:
            return
        view = dataclasses.replace(doc, findings=site_doc.open_findings())
        report_terminal.print_document(self.console, view, self.presenter, self.show_info)
        if site_doc.linked_from:
            self.console.print(Text(f"    由网页发布：{'、'.join(site_doc.linked_from)}", style="cyan"))
        for status in (APPROVED, LEGACY):
            for finding, approval in site_doc.entries(status):
                if status == APPROVED and not self.show_info:
                    continue
                line = Text(f"    [{STATUS_LABELS[status]}] {finding.label}  {self.presenter.value(finding)}  "
                            f"{finding.location}  ", style="yellow" if status == LEGACY else "dim")
                line.append(approval.describe(), style="dim")
                self.console.print(line)
        approved = len(site_doc.entries(APPROVED))
        if approved and not self.show_info:
            self.console.print(Text(f"    已审批保留 {approved} 项（不影响结论），加 --show-info 查看", style="dim"))
        if site_doc.links is not None:
            leaving = [link for link in site_doc.links.links if link.kind in (EXTERNAL, OUTSIDE)]
            if leaving:
                self.console.print(Text(f"    站外或根目录以外的链接 {len(leaving)} 个（已列出，未访问）", style="dim"))

    def finish(self, summary: RunSummary) -> None:
        console = self.console
        worse = [(page, overall, attachments) for page, overall, attachments in summary.pages
                 if any(v is overall for _, v in attachments) and overall is not Verdict.PASS]
        if worse:
            console.print(Text("网页连同附件的结论（网页以其最差的附件计）：", style="bold"))
            for page, overall, attachments in worse:
                bad = [a for a, v in attachments if v is overall]
                console.print(Text(f"    {VERDICT_LABELS[overall]}  {page}  ← 附件 {'、'.join(bad)}"))
        if summary.legacy:
            console.print(Text(f"历史遗留待整改 {len(summary.legacy)} 项（不阻止发布，须逐步整改）：", style="yellow"))
            for path, label, location in summary.legacy[:20]:
                console.print(Text(f"    {path}  {label}  {location}", style="yellow"))
            if len(summary.legacy) > 20:
                console.print(Text(f"    …另有 {len(summary.legacy) - 20} 项，见 JSON 或 HTML 报告", style="yellow"))
        if summary.stale:
            console.print(Text(f"过期的审批 {len(summary.stale)} 条（已不匹配任何发现项，可运行 prepub approvals prune 清理）：",
                               style="dim"))
            for approval in summary.stale:
                console.print(Text(f"    {approval.path}  {approval.label or approval.entity}  {approval.describe()}",
                                   style="dim"))
        if summary.linkage is not None:
            from prepub_review.act.report_linkage import print_linkage

            print_linkage(console, summary.linkage, self.presenter)
        report_terminal.print_summary(console, [_Verdicted(v) for v, n in summary.verdicts.items() for _ in range(n)],
                                      summary.skipped)
        if summary.approved:
            console.print(Text(f"已审批保留 {summary.approved} 项（不影响结论）", style="dim"))
        if not summary.documents:
            console.print("没有找到可审查的文件。")


@dataclasses.dataclass(frozen=True, slots=True)
class _Verdicted:
    """What print_summary reads of a document: its verdict."""

    verdict: Verdict
