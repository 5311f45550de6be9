"""`--format html`: one self-contained Chinese page for the approving leader (审批领导).

No external assets (inline CSS and a few lines of JS for the filters), works offline, prints well.
Order: summary by verdict; pages with their attachments; every document with its findings
(location, masked value, reason); approvals (已审批保留) and legacy items (历史遗留待整改) shown apart;
stale approvals. Document sections are spooled to a temporary file as they arrive and copied in
after the summary, so memory stays flat.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from html import escape
from typing import TextIO

from prepub_review import __version__
from prepub_review.act.present import SEVERITY_LABELS, VERDICT_LABELS, Presenter
from prepub_review.models import Severity, Verdict
from prepub_review.site.approvals import APPROVED, LEGACY, STATUS_LABELS
from prepub_review.site.gate import RunSummary, SiteDocument
from prepub_review.site.links import EXTERNAL, MISSING, OUTSIDE

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em;color:#222;line-height:1.5}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:2px solid #ccc;margin-top:2em}h3{font-size:1.05em;margin:0}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}
.v-block,.s-block{color:#b00020}.v-review,.s-review{color:#a06000}.v-pass{color:#1b5e20}.v-error{color:#6a1b9a}
td:first-child{white-space:nowrap}.s-info{color:#666}.doc{border:1px solid #ddd;border-radius:4px;padding:.6em;margin:.8em 0;break-inside:avoid}
.badge{font-weight:bold;margin-right:.6em}.muted{color:#666}.legacy{background:#fff8e1}.approved{background:#f1f8e9}
.filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid #ddd}
code{font-family:monospace}
@media print{.filters{display:none}body{margin:0}a{color:inherit;text-decoration:none}.doc{border-color:#999}}
"""

SCRIPT = """
(function(){
  function apply(){
    var sev={};document.querySelectorAll('input[data-sev]').forEach(function(b){sev[b.dataset.sev]=b.checked;});
    var ent=document.getElementById('entity').value;
    document.querySelectorAll('tr[data-severity]').forEach(function(r){
      var ok=sev[r.dataset.severity]!==false&&(ent===''||r.dataset.entity===ent);r.style.display=ok?'':'none';});
  }
  document.querySelectorAll('.filters input,.filters select').forEach(function(e){e.addEventListener('change',apply);});
  apply();
})();
"""


def anchor(path: str) -> str:
    return "d-" + hashlib.sha1(path.encode("utf-8")).hexdigest()[:12]


class HtmlReporter:
    def __init__(self, stream: TextIO, presenter: Presenter, title: str = "发布前审查报告"):
        self.stream, self.presenter, self.title = stream, presenter, title
        self.sections = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")
        self.entities: dict[str, str] = {}
        self.approved_rows: list[str] = []
        self.legacy_rows: list[str] = []

    def document(self, site_doc: SiteDocument) -> None:
        doc = site_doc.doc
        out = [f'<section class="doc" id="{anchor(doc.path)}"><h3><span class="badge v-{doc.verdict.value}">'
               f'{VERDICT_LABELS[doc.verdict]}</span>{escape(doc.path)}</h3>']
        if site_doc.linked_from:
            pages = "、".join(f'<a href="#{anchor(p)}">{escape(p)}</a>' for p in site_doc.linked_from)
            out.append(f"<p>由网页发布：{pages}</p>")
        if doc.error:
            out.append(f'<p class="v-error">{escape(doc.error)}</p>')
        rows = []
        for index, finding in enumerate(doc.findings):
            approval = site_doc.approvals.get(index)
            self.entities.setdefault(finding.entity, finding.label)
            value = escape(self.presenter.value(finding))
            cells = (f"<td>{escape(finding.location)}</td><td>{escape(finding.label)}</td><td><code>{value}</code></td>"
                     f"<td>{escape(finding.reason)}</td><td>{escape(finding.rule_id)}</td>")
            if approval is None:
                rows.append(f'<tr data-severity="{finding.severity.value}" data-entity="{escape(finding.entity)}">'
                            f'<td class="s-{finding.severity.value}">{SEVERITY_LABELS[finding.severity]}</td>{cells}</tr>')
                continue
            row = (f'<tr class="{approval.status}"><td><a href="#{anchor(doc.path)}">{escape(doc.path)}</a></td>'
                   f"{cells}<td>{escape(approval.describe())}</td></tr>")
            (self.approved_rows if approval.status == APPROVED else self.legacy_rows).append(row)
        if rows:
            out.append("<table><tr><th>级别</th><th>位置</th><th>类别</th><th>值（已脱敏）</th><th>说明</th><th>规则</th></tr>"
                       + "".join(rows) + "</table>")
        marked = [s for s in (APPROVED, LEGACY) if site_doc.entries(s)]
        if marked:
            out.append('<p class="muted">' + "，".join(f"{STATUS_LABELS[s]} {len(site_doc.entries(s))} 项"
                                                     for s in marked) + "（见下文）</p>")
        if site_doc.links is not None:
            listed = [link for link in site_doc.links.links if link.kind in (MISSING, OUTSIDE, EXTERNAL)]
            if listed:
                kinds = {MISSING: "链接的文件不存在", OUTSIDE: "指向站点根目录以外（未访问）", EXTERNAL: "站外链接（未访问）"}
                out.append("<ul>" + "".join(f"<li>第{link.line}行 <code>{escape(link.href)}</code>：{kinds[link.kind]}</li>"
                                            for link in listed) + "</ul>")
        out.append("</section>\n")
        self.sections.write("".join(out))

    def _linkage(self, summary: RunSummary) -> str:
        from prepub_review.act.report_linkage import linkage_places

        rows = []
        for _item, path, finding in linkage_places(summary.linkage, self.presenter):
            rows.append(f'<tr data-severity="{finding.severity.value}" data-entity="{escape(finding.entity)}">'
                        f'<td class="s-{finding.severity.value}">{SEVERITY_LABELS[finding.severity]}</td>'
                        f'<td><a href="#{anchor(path)}">{escape(path)}</a> {escape(finding.location)}</td>'
                        f"<td>{escape(finding.label)}</td><td><code>{escape(self.presenter.value(finding))}</code></td>"
                        f"<td>{escape(finding.reason)}</td><td>{escape(finding.rule_id)}</td></tr>")
        head = "<tr><th>级别</th><th>文件与位置</th><th>类别</th><th>值（已脱敏）</th><th>说明</th><th>规则</th></tr>"
        return (f"<h2>跨文件关联（{len(summary.linkage.links)} 项：各处单看已去标识化，合起来仍可识别本人）</h2>"
                + (f"<table>{head}{''.join(rows)}</table>" if rows else '<p class="muted">无</p>'))

    def finish(self, summary: RunSummary) -> None:
        w = self.stream.write
        w(f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(self.title)}</title>'
          f'<meta name="generator" content="prepub {escape(__version__)}"><style>{STYLE}</style></head><body>\n')
        w(f"<h1>{escape(self.title)}</h1>")
        w(f'<p class="muted">prepub {escape(__version__)} · 值一律脱敏显示{"（本报告含原始值，请勿外传）" if self.presenter.reveal else ""}</p>')
        w("<h2>结论汇总</h2><table><tr><th>结论</th><th>文件数</th></tr>")
        for verdict in (Verdict.BLOCK, Verdict.ERROR, Verdict.REVIEW, Verdict.PASS):
            w(f'<tr><td class="v-{verdict.value}">{VERDICT_LABELS[verdict]}</td><td>{summary.verdicts[verdict]}</td></tr>')
        w(f"<tr><td>已审批保留（不影响结论）</td><td>{summary.approved} 项</td></tr>"
          f"<tr><td>历史遗留待整改（不阻止发布）</td><td>{len(summary.legacy)} 项</td></tr>"
          f"<tr><td>过期的审批</td><td>{len(summary.stale)} 条</td></tr></table>")
        if summary.skipped:
            w("<p>未审查（格式不支持）：" + "、".join(escape(s["path"]) for s in summary.skipped) + "</p>")
        if summary.pages:
            w("<h2>网页及其附件</h2><p class=\"muted\">网页的结论以其自身和最差的附件计。</p>"
              "<table><tr><th>网页</th><th>结论（含附件）</th><th>附件</th></tr>")
            for page, overall, attachments in summary.pages:
                items = "<br>".join(f'<a href="#{anchor(a)}">{escape(a)}</a> <span class="v-{v.value}">{VERDICT_LABELS[v]}</span>'
                                    for a, v in attachments) or '<span class="muted">无</span>'
                w(f'<tr><td><a href="#{anchor(page)}">{escape(page)}</a></td>'
                  f'<td class="v-{overall.value}">{VERDICT_LABELS[overall]}</td><td>{items}</td></tr>')
            w("</table>")
            if summary.orphans:
                w(f'<p class="muted">未被任何网页链接的文件 {len(summary.orphans)} 个（同样已审查）。</p>')
        w('<h2>逐个文件</h2><div class="filters">级别：')
        for severity in (Severity.BLOCK, Severity.REVIEW, Severity.INFO):
            w(f'<label><input type="checkbox" data-sev="{severity.value}" checked> {SEVERITY_LABELS[severity]}</label> ')
        w('　类别：<select id="entity"><option value="">全部</option>')
        for entity, label in sorted(self.entities.items()):
            w(f'<option value="{escape(entity)}">{escape(label)}</option>')
        w("</select></div>\n")
        self.sections.seek(0)
        shutil.copyfileobj(self.sections, self.stream)
        self.sections.close()
        if summary.linkage is not None:
            w(self._linkage(summary))
        head = "<tr><th>文件</th><th>位置</th><th>类别</th><th>值（已脱敏）</th><th>说明</th><th>规则</th><th>审批</th></tr>"
        w(f"<h2>已审批保留（{len(self.approved_rows)} 项，不影响结论）</h2>")
        w(f"<table>{head}{''.join(self.approved_rows)}</table>" if self.approved_rows else '<p class="muted">无</p>')
        w(f"<h2>历史遗留待整改（{len(self.legacy_rows)} 项，不阻止发布，须逐步整改）</h2>")
        w(f"<table>{head}{''.join(self.legacy_rows)}</table>" if self.legacy_rows else '<p class="muted">无</p>')
        if summary.stale:
            w(f"<h2>过期的审批（{len(summary.stale)} 条）</h2><p class=\"muted\">已不匹配任何发现项，可运行 "
              "<code>prepub approvals prune</code> 清理。</p><ul>")
            w("".join(f"<li>{escape(a.path)} {escape(a.label or a.entity)}：{escape(a.describe())}</li>" for a in summary.stale))
            w("</ul>")
        w(f"<script>{SCRIPT}</script></body></html>\n")
