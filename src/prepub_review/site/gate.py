"""One `prepub check` run over files and sites: plan → check (runner) → annotate → reports.

Planning walks each argument, reads the links of every HTML page (cached by the page's bytes),
adds the attachments a named page links, and narrows the run to `--changed-since REF` when asked.
Annotating adds what only the whole run knows: the pages publishing an attachment, a page's broken
links, and the approvals file's 已审批保留 / 历史遗留待整改 entries. Each annotated document is handed
to the reports at once; the run keeps only per-file verdicts for the closing summary.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from prepub_review.errors import PrepubError
from prepub_review.models import SEVERITY_RANK, DocumentResult, Finding, Notice, Severity, Verdict
from prepub_review.formats.registry import REVIEWED_EXTENSIONS
from prepub_review.formats.walk import expand_paths
from prepub_review.site import links as site_links
from prepub_review.site.approvals import APPROVED, LEGACY, Approval, Matcher
from prepub_review.site.cache import Cache
from prepub_review.site.links import Link, PageLinks

VERDICT_RANK = {Verdict.PASS: 0, Verdict.REVIEW: 1, Verdict.BLOCK: 2, Verdict.ERROR: 3}
LINKS = "links"


@dataclass(slots=True)
class Plan:
    files: list[Path] = field(default_factory=list)
    problems: list[DocumentResult] = field(default_factory=list)     # paths the walk could not open
    unsupported: list[Path] = field(default_factory=list)
    pages: dict[str, PageLinks] = field(default_factory=dict)        # page path -> its links
    linked_from: dict[str, list[str]] = field(default_factory=dict)  # attachment path -> pages
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SiteDocument:
    """A checked file with what the run knows about it. Approved findings are at info already."""

    doc: DocumentResult
    relative_path: str                       # to the repository (approvals) root, or as given
    approvals: dict[int, Approval] = field(default_factory=dict)   # finding index -> its entry
    linked_from: list[str] = field(default_factory=list)
    links: PageLinks | None = None

    def entries(self, status: str) -> list[tuple[Finding, Approval]]:
        return [(self.doc.findings[i], a) for i, a in sorted(self.approvals.items()) if a.status == status]

    def open_findings(self) -> list[Finding]:
        """Findings neither approved nor legacy: what the ordinary report lists."""
        return [f for i, f in enumerate(self.doc.findings) if i not in self.approvals]


@dataclass(slots=True)
class RunSummary:
    verdicts: Counter = field(default_factory=Counter)
    pages: list[tuple[str, Verdict, list[tuple[str, Verdict]]]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    approved: int = 0
    legacy: list[tuple[str, str, str]] = field(default_factory=list)   # (path, label, location)
    stale: list[Approval] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    external: list[tuple[str, Link]] = field(default_factory=list)     # (page, link) leaving the site
    linkage: object | None = None    # decide.linkage.LinkReport across all documents (None: not run)

    @property
    def documents(self) -> int:
        return sum(self.verdicts.values())


# --- planning ----------------------------------------------------------------------------------------

def plan(paths: Sequence[Path], cache: Cache | None, changed_since: str | None = None,
         listed: Sequence[Path] = ()) -> Plan:
    """The files of a run: `paths` named by the user (a file named so is read whatever its extension)
    and `listed` ones (--files-from: a list from elsewhere, taken by extension like a folder's files)."""
    result = Plan()
    seen: set[str] = set()
    roots: dict[str, str] = {}
    for argument, named in [(path, True) for path in paths] + [(path, False) for path in listed]:
        walked = expand_paths([argument], named_by_content=named)
        root = _root_of(Path(argument))
        for path in walked.files:
            key = os.path.normpath(str(path))
            if key not in seen:
                seen.add(key)
                roots[key] = root
                result.files.append(Path(key))
        result.unsupported.extend(walked.unsupported)
        result.problems.extend(DocumentResult(path=str(p.path), verdict=Verdict.ERROR, error=p.message,
                                              error_code=p.code) for p in walked.problems)
    for path in list(result.files):
        key = str(path)
        if site_links.is_page(key):
            result.pages[key] = _links_of(key, roots[key], cache, result.warnings)
    linked: dict[str, list[str]] = defaultdict(list)
    for page, page_links in result.pages.items():
        for link in page_links.links:
            if site_links.is_attachment(link, REVIEWED_EXTENSIONS) and page not in linked[link.target]:
                linked[link.target].append(page)
    result.linked_from = dict(linked)
    for attachment in linked:       # a named page brings the attachments it publishes
        if attachment not in seen:
            seen.add(attachment)
            result.files.append(Path(attachment))
    if changed_since is not None:
        _narrow_to_changes(result, changed_since)
    return result


def _root_of(argument: Path) -> str:
    """The site root links resolve against: a folder argument; for a file (a staged page), the
    highest folder up to its git root that holds an index page, else the git root."""
    if argument.is_dir():
        return os.path.normpath(str(argument))
    from prepub_review.site.approvals import git_root

    top = git_root(argument)
    folder = Path(os.path.abspath(argument)).parent
    if top is None:
        return os.path.normpath(str(argument.parent))
    chosen = top
    for candidate in (folder, *folder.parents):
        if any((candidate / f"index{extension}").is_file() for extension in sorted(site_links.PAGE_EXTENSIONS)):
            chosen = candidate
        if candidate == top:
            break
    return os.path.normpath(str(chosen) if argument.is_absolute() else os.path.relpath(chosen))


def _links_of(page: str, root: str, cache: Cache | None, warnings: list[str]) -> PageLinks:
    try:
        data = Path(page).read_bytes()
    except OSError:
        return PageLinks(page)     # the checker reports the page as unreadable
    if cache is None:
        return site_links.page_links(page, data, root)
    import hashlib

    # The links depend on the bytes and on where the page sits (relative links, the root).
    key = hashlib.sha256(data + b"\0" + page.encode() + b"\0" + root.encode()).hexdigest()
    cached, warning = cache.get(LINKS, key)
    if warning:
        warnings.append(warning)
    if cached is not None:
        try:
            return PageLinks(page, [Link(*item) for item in cached])
        except TypeError:
            warnings.append(f"缓存条目已损坏，已重新读取：{page}")
    found = site_links.page_links(page, data, root)
    # Targets' existence can change without the page changing: re-check it on every run.
    cache.put(LINKS, key, [[link.href, link.line, link.kind, link.target] for link in found.links])
    return found


def refresh_existence(page_links: PageLinks) -> PageLinks:
    """Local/missing is a fact about the tree now, not about the cached page."""
    fixed = []
    for link in page_links.links:
        if link.kind in (site_links.LOCAL, site_links.MISSING) and link.target is not None:
            kind = site_links.LOCAL if os.path.isfile(link.target) else site_links.MISSING
            link = dataclasses.replace(link, kind=kind)
        fixed.append(link)
    return PageLinks(page_links.page, fixed)


def changed_files(reference: str, start: Path) -> set[str]:
    """Absolute paths changed (or added, deleted, untracked) since a git ref."""
    from prepub_review.site.approvals import git_root

    top = git_root(start)
    if top is None:
        raise PrepubError(f"--changed-since 需要在 git 仓库中使用：{start} 不在 git 仓库内")

    def git(*args: str) -> list[str]:
        done = subprocess.run(["git", "-C", str(top), *args], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise PrepubError(f"--changed-since {reference}：git 报错：{done.stderr.strip() or done.returncode}")
        return [name for name in done.stdout.split("\0") if name]

    names = git("diff", "--name-only", "-z", "--no-renames", reference, "--")
    names += git("ls-files", "--others", "--exclude-standard", "-z")
    return {os.path.normpath(os.path.join(top, name)) for name in names}


def _narrow_to_changes(result: Plan, reference: str) -> None:
    start = result.files[0] if result.files else Path(".")
    changed = changed_files(reference, start)
    keep = {str(p) for p in result.files if os.path.abspath(p) in changed}
    for page, page_links in result.pages.items():
        if any(link.target and os.path.abspath(link.target) in changed for link in page_links.links):
            keep.add(page)
    result.files = [p for p in result.files if str(p) in keep]


# --- annotating -------------------------------------------------------------------------------------

def annotate(doc: DocumentResult, planned: Plan, matcher: Matcher, policy) -> SiteDocument:
    page_links = planned.pages.get(doc.path)
    if page_links is not None:
        page_links = refresh_existence(page_links)
    site_doc = SiteDocument(doc=doc, relative_path=matcher.relative(doc.path),
                            linked_from=planned.linked_from.get(doc.path, []), links=page_links)
    if doc.verdict is Verdict.ERROR:
        if site_doc.linked_from:
            doc.error = f"{doc.error}（链接它的网页：{'、'.join(site_doc.linked_from)}）"
        return site_doc
    if page_links is not None:
        broken = [Notice("broken_link", f"第{link.line}行 链接「{link.href}」",
                         f"链接的文件不存在：{link.target}") for link in page_links.of_kind(site_links.MISSING)]
        doc.findings = [*doc.findings, *policy.judge([], broken)]
    matcher.checked.add(site_doc.relative_path)
    findings = []
    for index, finding in enumerate(doc.findings):
        approval = matcher.match(site_doc.relative_path, finding) if matcher.file else None
        if approval is not None:
            site_doc.approvals[index] = approval
            if approval.status != LEGACY:
                finding = dataclasses.replace(finding, severity=Severity.INFO)
        findings.append(finding)
    doc.findings = findings
    doc.verdict = _verdict(f for i, f in enumerate(findings) if i not in site_doc.approvals
                           or site_doc.approvals[i].status != LEGACY)
    return site_doc


def _verdict(findings) -> Verdict:
    worst = max((SEVERITY_RANK[f.severity] for f in findings), default=0)
    return {2: Verdict.BLOCK, 1: Verdict.REVIEW, 0: Verdict.PASS}[worst]


def worst(verdicts) -> Verdict:
    return max(verdicts, key=VERDICT_RANK.__getitem__, default=Verdict.PASS)


class SummaryBuilder:
    """Keeps per-file verdicts (not findings) while documents stream past; builds the summary."""

    def __init__(self, planned: Plan):
        self.planned = planned
        self.summary = RunSummary(skipped=[{"path": str(p), "reason": "格式不支持，未审查"}
                                           for p in planned.unsupported])
        self.verdict_of: dict[str, Verdict] = {}

    def add(self, site_doc: SiteDocument) -> None:
        doc = site_doc.doc
        self.verdict_of[doc.path] = doc.verdict
        self.summary.verdicts[doc.verdict] += 1
        self.summary.approved += len(site_doc.entries(APPROVED))
        for finding, _ in site_doc.entries(LEGACY):
            self.summary.legacy.append((doc.path, finding.label, finding.location))
        if site_doc.links is not None:
            self.summary.external.extend((doc.path, link) for link in site_doc.links.links
                                         if link.kind in (site_links.EXTERNAL, site_links.OUTSIDE))

    def finish(self, matcher: Matcher) -> RunSummary:
        summary = self.summary
        for page, page_links in self.planned.pages.items():
            if page not in self.verdict_of:
                continue
            attachments = []
            for link in page_links.links:
                if site_links.is_attachment(link, REVIEWED_EXTENSIONS) and link.target in self.verdict_of:
                    if all(link.target != a for a, _ in attachments):
                        attachments.append((link.target, self.verdict_of[link.target]))
            overall = worst([self.verdict_of[page], *(v for _, v in attachments)])
            summary.pages.append((page, overall, attachments))
        summary.orphans = [path for path in self.verdict_of
                           if not site_links.is_page(path) and path not in self.planned.linked_from]
        summary.stale = matcher.stale()
        return summary


def exit_verdicts(summary: RunSummary, policy=None) -> set[Verdict]:
    """Every verdict of the run, a cross-document link's severity included (judged by `policy`)."""
    verdicts = {v for v, n in summary.verdicts.items() if n}
    verdicts.update(overall for _, overall, _ in summary.pages)
    if summary.linkage is not None and policy is not None:
        from prepub_review.decide.policy import verdict_of

        # A link's verdict is its rule's severity. The exit code asks only which verdicts occur (a block
        # wins), so no finding is made for each place of each link here.
        verdicts.update(verdict_of([policy.rule_for(item.kind, item.variant)]) for item in summary.linkage.links)
    return verdicts
