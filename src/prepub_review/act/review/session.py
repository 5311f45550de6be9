"""A review session: the items to decide, the reviewer's decisions, and what they add up to.

Pure logic (no terminal, no files), so the key loop, --decisions and --accept-all share it.
Each item carries the profile's proposal, taken from the Redactor's plan for the very document
that is later written (opened once), so "采纳建议" means exactly what `prepub redact` would do
with that finding. An item names its finding by its index among the document's findings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from prepub_review.act.redact.plan import Override
from prepub_review.act.redact.redactor import Plan, Redactor
from prepub_review.entities import CLASSIFICATION_MARK, UNVERIFIED_CONTENT
from prepub_review.models import Finding, Severity

# What the profile would do with a finding (Proposal.kind), in Chinese.
PROPOSAL_ZH = {
    "mask": "打码",
    "drop": "删除",
    "generalise": "泛化",
    "keep": "保留（方案不处理）",
    "covered": "随重叠的另一项一并处理",
    "clean": "随批注、修订、隐藏内容或文档属性一并清除",
    "withhold": "密级/不公开标志：不能去标识化，建议不予公开",
    "manual": "无法自动处理：请对照原件人工核对",
}
CHANGING = {"mask", "drop", "generalise", "covered", "clean"}   # kinds that change the published text
EDITABLE = {"mask", "drop", "generalise", "keep"}             # kinds a typed replacement can take over

# The reviewer's decision on one item (Decision.kind), as in --decisions files.
DECISION_ZH = {"redact": "采纳建议", "keep": "保留原文", "replace": "改写"}

PUBLISH, PUBLISH_REDACTED = "publish", "publish_redacted"
WITHHOLD_SECRET, WITHHOLD_PRIVACY, WITHHOLD_INTERNAL = "withhold_secret", "withhold_privacy", "withhold_internal"


@dataclass(frozen=True, slots=True)
class Proposal:
    kind: str                       # a key of PROPOSAL_ZH
    replacement: str | None = None  # the text that would replace the value ("" = removed), if any

    @property
    def changes(self) -> bool:
        return self.kind in CHANGING


@dataclass(frozen=True, slots=True)
class ReviewItem:
    number: int                     # 1-based, as shown: 第 N 项
    finding: Finding
    finding_index: int              # its index among the checked document's findings (the Redactor's key)
    proposal: Proposal
    index: int                      # 1-based among the items of the same entity at the same location


@dataclass(frozen=True, slots=True)
class Decision:
    kind: str                       # redact (take the proposal) | keep | replace
    reason: str = ""
    replacement: str | None = None  # for replace
    by: str = "reviewer"            # reviewer | type (accept all of a type) | file | accept_all


def build_items(findings: list[Finding], redactor: Redactor, plan: Plan | None) -> list[ReviewItem]:
    """The block/review findings of the draft, in reading order, each with the profile's proposal.

    `plan` is the Redactor's plan for the same open document (None when no copy can be written,
    e.g. the document holds a marking the reviewer has not decided on yet or a PDF whose text
    cannot be read): then the proposal is the profile's action alone.
    """
    items, per_place = [], Counter()
    shown = [(index, f) for index, f in enumerate(findings) if f.severity != Severity.INFO]   # reading order
    for number, (index, finding) in enumerate(shown, start=1):
        per_place[(finding.entity, finding.location)] += 1
        proposal = _proposal(index, finding, redactor, plan)
        items.append(ReviewItem(number, finding, index, proposal, per_place[(finding.entity, finding.location)]))
    return items


def _proposal(index: int, finding: Finding, redactor: Redactor, plan: Plan | None) -> Proposal:
    if finding.entity == CLASSIFICATION_MARK:
        return Proposal("withhold")
    if finding.entity == UNVERIFIED_CONTENT:
        return Proposal("manual")
    action, replacement = redactor.proposal(finding)
    fate = plan.fate.get(index) if plan is not None else None
    if fate == "edit":
        edit = plan.edit_of[index]
        return Proposal(edit.action, edit.replacement)
    if fate == "cleaned":
        return Proposal("clean")
    if fate == "covered":
        return Proposal("covered")
    return Proposal(action.kind, None if action.kind == "keep" else replacement)


@dataclass
class Session:
    items: list[ReviewItem]
    decisions: dict[int, Decision] = field(default_factory=dict)   # item number -> decision
    position: int = 0                                              # index into items

    # -- navigation -----------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return len(self.decisions) == len(self.items)

    def decide(self, decision: Decision) -> None:
        """Decide the current item and move to the next undecided one."""
        item = self.items[self.position]
        self.decisions[item.number] = decision
        self._advance()

    def accept_all_of_type(self) -> int:
        """Take the proposal for the current item and every undecided item of its entity; returns how many."""
        entity = self.items[self.position].finding.entity
        count = 0
        for item in self.items:
            if item.finding.entity == entity and (item.number not in self.decisions or item is self.items[self.position]):
                self.decisions[item.number] = Decision("redact", by="type")
                count += 1
        self._advance()
        return count

    def back(self) -> bool:
        if self.position == 0:
            return False
        self.position -= 1
        return True

    def _advance(self) -> None:
        order = list(range(self.position + 1, len(self.items))) + list(range(self.position + 1))
        for index in order:
            if self.items[index].number not in self.decisions:
                self.position = index
                return

    def decide_all(self, decision: Decision) -> None:
        for item in self.items:
            self.decisions.setdefault(item.number, decision)

    # -- what the decisions add up to -------------------------------------------------------
    def decided(self) -> list[tuple[ReviewItem, Decision]]:
        return [(item, self.decisions[item.number]) for item in self.items if item.number in self.decisions]

    def overrides(self) -> dict[int, Override]:
        """The decisions as the Redactor takes them (by finding index); taking the proposal needs none."""
        overrides = {}
        for item, decision in self.decided():
            if decision.kind == "keep":
                overrides[item.finding_index] = Override(keep=True)
            elif decision.kind == "replace":
                overrides[item.finding_index] = Override(replacement=decision.replacement or "")
        return overrides

    def suggested_conclusion(self) -> str:
        """A confirmed marking -> withhold; anything changed -> publish redacted; all kept -> publish."""
        if any(item.proposal.kind == "withhold" and decision.kind != "keep" for item, decision in self.decided()):
            return WITHHOLD_SECRET
        if any(changes(item, decision) for item, decision in self.decided()):
            return PUBLISH_REDACTED
        return PUBLISH

    def suggested_reason(self, conclusion: str) -> str:
        decided = self.decided()
        changed = sum(changes(item, decision) for item, decision in decided)
        kept = sum(not changes(item, decision) for item, decision in decided if is_personal(item))
        if conclusion == WITHHOLD_SECRET:
            places = "、".join(item.finding.location for item, d in decided
                              if item.proposal.kind == "withhold" and d.kind != "keep")
            return f"文件含密级或不予公开标志（{places}），须先依法办理解密或更正标志，不予公开"
        if conclusion == PUBLISH_REDACTED:
            text = f"涉及个人信息的 {changed} 项已去标识化后公开（区分处理）"
            return text + (f"，另有 {kept} 项经审查保留原文（理由见逐项记录）" if kept else "")
        if conclusion == PUBLISH:
            if not decided:
                return "经审查，未发现须处理的个人信息或密级标志"
            return f"经审查，所列 {len(decided)} 项均可依法公开（理由见逐项记录）"
        if conclusion == WITHHOLD_PRIVACY:
            return "公开会损害第三方合法权益的个人隐私，且无法通过去标识化区分处理"
        return "属于内部事务信息或过程性信息"

    def publishes_personal_info(self, conclusion: str) -> bool:
        """PIPL Art. 55 flag: the published text still holds personal information. De-identified
        values (张*明, a village) are still personal information (Art. 73); removed values and a
        reviewer's own replacement text are not."""
        if conclusion not in (PUBLISH, PUBLISH_REDACTED):
            return False
        for item, decision in self.decided():
            if not is_personal(item):
                continue
            if conclusion == PUBLISH or decision.kind == "keep":
                return True
            if decision.kind == "redact" and item.proposal.kind in ("mask", "generalise", "keep"):
                return True
        return False


def changes(item: ReviewItem, decision: Decision) -> bool:
    """Does this decision change the published text?"""
    return decision.kind == "replace" or (decision.kind == "redact" and item.proposal.changes)


def is_personal(item: ReviewItem) -> bool:
    return item.finding.entity not in (CLASSIFICATION_MARK, UNVERIFIED_CONTENT)


def counts_by_label(session: Session) -> list[tuple[str, Counter]]:
    """(entity label, Counter of decision kinds) in order of first appearance, for the summary table."""
    table: dict[str, Counter] = {}
    for item, decision in session.decided():
        table.setdefault(item.finding.label, Counter())[decision.kind] += 1
    return list(table.items())
