"""Cross-document linkage in the reports: a terminal section after the documents, and the
`linkage` object of the JSON report (links with every place, mask patterns in use)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from prepub_review.act.present import SEVERITY_LABELS, Presenter
from prepub_review.decide.linkage import Link, LinkReport, link_finding
from prepub_review.models import Finding

if TYPE_CHECKING:    # the terminal report only: a JSON run does not import rich for linkage
    from rich.console import Console
    from rich.text import Text

SEVERITY_STYLES = {"block": "red", "review": "yellow", "info": "dim"}


def masking(presenter: Presenter) -> Presenter:
    """Linkage findings are made at the end of a run from what the documents show, never premasked
    (a site run's presenter may trust premasked values): always mask them (unless --reveal)."""
    return Presenter(presenter.policy, reveal=presenter.reveal)


def _first_findings(report: LinkReport, presenter: Presenter) -> list[tuple[Link, Finding]]:
    """Each link with the finding made for its first place (same rule, reason and masked value)."""
    return [(item, link_finding(item, 0, presenter.policy)) for item in report.links]


def _line(finding: Finding, presenter: Presenter, what: str, reason: str = "") -> Text:
    """"[阻止] 互补打码 身份证号  110105********6064  <reason>  (L1)"."""
    from rich.text import Text

    line = Text("    ")
    line.append(f"[{SEVERITY_LABELS[finding.severity]}]", style=SEVERITY_STYLES[finding.severity.value])
    line.append(f" {what}")
    if finding.text:
        line.append(f"  {presenter.value(finding)}", style="bold")
    line.append(f"  {reason}  ({finding.rule_id})" if reason else f"  ({finding.rule_id})", style="dim")
    return line


def print_linkage(console: Console, report: LinkReport, presenter: Presenter) -> None:
    from rich.text import Text

    presenter = masking(presenter)
    if report.links:
        console.print(Text(f"跨文件关联（{len(report.links)} 项；各处单看已去标识化，合起来仍可识别本人）", style="bold"))
    for item, finding in _first_findings(report, presenter):
        console.print(_line(finding, presenter, f"{finding.label} {presenter.policy.label(item.entity)}",
                            finding.reason.split("；另见")[0]))
        for place, shown in zip(item.places, item.shown):
            side = "全名/号码" if item.kind == "LINKED_RECORD" and not shown else ""
            console.print(Text(f"        {place.path}  {place.location}" + (f"（{side}）" if side else "")))
    mixed = [(key, uses) for key, uses in sorted(report.patterns.items()) if len(uses) > 1]
    if report.patterns:
        console.print(Text("打码方式（本次审查）：" + "；".join(
            f"{presenter.policy.label(entity)}({length}位) " + "、".join(
                f"{pattern} ×{count}" for pattern, (count, _) in sorted(uses.items()))
            for (entity, length), uses in sorted(report.patterns.items())), style="dim"))
    if mixed:
        console.print(Text("    同一类信息用了不止一种打码方式，请全站统一（见上方 L3 项）", style="yellow"))
    if report.skipped_comparisons:
        console.print(Text(f"    注意：{report.skipped_comparisons} 次比较因同组记录过多而略过", style="yellow"))


def linkage_json(report: LinkReport, presenter: Presenter) -> dict:
    presenter = masking(presenter)
    links = []
    for item, finding in _first_findings(report, presenter):
        links.append({
            "kind": item.kind, "entity": item.entity, "rule_id": finding.rule_id,
            "severity": finding.severity.value, "text": presenter.value(finding),
            "revealed": item.revealed, "length": len(item.union) if item.union else None,
            "places": [{"path": p.path, "location": p.location} for p in item.places],
            "evidence": list(item.evidence),
        })
    patterns = [{"entity": entity, "length": length, "pattern": pattern, "count": count,
                 "documents": len(paths)}
                for (entity, length), uses in sorted(report.patterns.items())
                for pattern, (count, paths) in sorted(uses.items())]
    return {"linkage": {"links": links, "mask_patterns": patterns,
                        "skipped_comparisons": report.skipped_comparisons}}




def linkage_places(report: LinkReport, presenter: Presenter) -> list[tuple[Link, str, Finding]]:
    """Every place of every link, with the finding made for it: (link, document path, finding). The
    finding's text is already masked as reports show it (raw only with --reveal)."""
    shown = masking(presenter)
    places = []
    for item in report.links:
        for i, place in enumerate(item.places):
            finding = link_finding(item, i, presenter.policy)
            places.append((item, place.path, dataclasses.replace(finding, text=shown.value(finding))))
    return places


def print_linked(console: Console, findings: list[Finding], presenter: Presenter) -> None:
    """`prepub review`: this document's linkage findings, read-only (they are not items to decide)."""
    from rich.text import Text

    if not findings:
        return
    console.print(Text(f"跨文件关联 {len(findings)} 项（只读，不在逐项决定之列）：本文件与下列位置合起来可识别本人，"
                       "改其中一处即可（统一打码方式，或删除/去标识化另一处的全名、号码）", style="bold yellow"))
    for finding in findings:
        console.print(_line(finding, presenter, f"{finding.label}  {finding.location}"))
        for other in finding.attrs.get("linked", []):
            console.print(Text(f"        另一处：{other['path']}  {other['location']}"))
