"""What every report shares: Chinese names of verdicts and severities, and safe display of values."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from prepub_review.act.masking import mask_spans, shown_masked, shown_masked_unremembered
from prepub_review.decide.policy import Policy
from prepub_review.entities import CLASSIFICATION_MARK, UNVERIFIED_CONTENT
from prepub_review.models import Finding, Locator, Severity, Verdict
from prepub_review.text import shown_place

VERDICT_LABELS = {
    Verdict.PASS: "通过",
    Verdict.REVIEW: "需人工复核",
    Verdict.BLOCK: "不得发布",
    Verdict.ERROR: "无法审查",
}
SEVERITY_LABELS = {Severity.BLOCK: "阻止", Severity.REVIEW: "复核", Severity.INFO: "提示"}


class Presenter:
    """Shows finding values masked (the default) or raw (`reveal=True`, on explicit request)."""

    MEMO_SIZE = 1 << 16   # shown values remembered (a list repeats names; a run can hold millions of values)

    def __init__(self, policy: Policy, reveal: bool = False):
        self.policy = policy
        self.reveal = reveal
        self._shown: dict[tuple[str, str, str], str] = {}   # (entity, variant, value) -> as shown

    def value(self, finding: Finding) -> str:
        if self.reveal:
            return finding.text
        # A linkage finding's value is an identifier or name: masked as that entity (attrs["masked_as"]).
        if "masked_as" in finding.attrs:
            return shown_masked(finding.text, self.policy.mask_spec(finding.attrs["masked_as"]))
        return self._masked(finding.entity, finding.variant, finding.text)

    def context(self, finding: Finding) -> str:
        if self.reveal:
            return finding.context
        context, spans = finding.context, finding.context_spans
        if len(spans) == 1 and spans[0][0] == 0 and spans[0][1] == len(context):
            return self._masked(spans[0][2], spans[0][3], context)   # the context is one value (a table cell)
        # each value through the memo (the finding's own value was just shown)
        return mask_spans(context, spans, lambda value, span: self._masked(span[2], span[3], value))

    def _masked(self, entity: str, variant: str, value: str) -> str:
        """shown_masked(value) with the spec of (entity, variant), remembered: the mask of a value is
        the same wherever it appears (its own finding, another finding's context)."""
        key = (entity, variant, value)
        shown = self._shown.get(key)
        if shown is None:
            if len(self._shown) >= self.MEMO_SIZE:
                self._shown.clear()
            spec = self.policy.mask_spec(entity, variant)
            shown = self._shown[key] = shown_masked_unremembered(value, spec)
        return shown

    def places(self, findings: Sequence[Finding]) -> list[Finding]:
        """The findings of one document with the names their locations quote, and their fields, masked
        where those hold a personal value found in the document: a sheet, a file in an archive or an
        embedded file named after a household is shown as 工作表「户主王**家」 (shown_names)."""
        renamed = self.renamed(findings)
        return [with_names_masked(f, renamed) for f in findings] if renamed else list(findings)

    def renamed(self, findings: Sequence[Finding]) -> dict[str, str]:
        """shown_names with this presenter's masks ({} when it shows raw values)."""
        if self.reveal:
            return {}
        return shown_names(findings, lambda f: self._masked(f.entity, f.variant, f.text))


_QUOTED = re.compile("「([^「」]*)」")
_NOT_PERSONAL = {CLASSIFICATION_MARK, UNVERIFIED_CONTENT}


def shown_names(findings: Sequence[Finding], shown) -> dict[str, str]:
    """{name: name as shown} for each name a finding shows beside its value, that holds the value
    of a review or block finding, each such value replaced by `shown(finding)`: a name quoted in a
    location or record (「…」: a sheet, a file in an archive), and a field (a table's header text,
    where a form or a list without a header had its first row taken for one). Usually empty.
    Locations sharing their quoted part (the cells of one sheet) are looked at once."""
    names: set[str] = {f.field for f in findings if f.field}
    heads: set[str] = set()
    for finding in findings:
        for text in (finding.location, finding.record):
            if text and "」" in text:
                head = text[:text.rfind("」") + 1]
                if head not in heads:
                    heads.add(head)
                    names.update(_QUOTED.findall(head))
    if not names:
        return {}
    # blanks as a field shows them (one space for any run: "王　芳" heads its column as "王 芳")
    values = {" ".join(f.text.split()): f for f in findings
              if f.severity is not Severity.INFO and f.entity not in _NOT_PERSONAL and len(f.text) >= 2}
    values = {value: f for value, f in values.items() if any(value in name for name in names)}
    renamed = {}
    for name in names if values else ():
        shown_name = name
        for value in sorted((v for v in values if v in name), key=len, reverse=True):
            shown_name = shown_name.replace(value, shown(values[value]))
        if shown_name != name:
            renamed[name] = shown_name
    return renamed


def with_names_masked(finding: Finding, renamed: dict[str, str]) -> Finding:
    """The finding with its location, record, field and locator showing the names as `renamed` says."""
    location, record = shown_place(finding.location, renamed), shown_place(finding.record, renamed)
    field = renamed.get(finding.field, finding.field) if finding.field else finding.field
    locator = finding.locator
    if locator is not None and any(isinstance(item, str) and item in renamed for item in locator.path):
        locator = Locator(locator.part, tuple(renamed.get(item, item) if isinstance(item, str) else item
                                              for item in locator.path), locator.line, locator.column)
    if location == finding.location and record == finding.record and field == finding.field \
            and locator is finding.locator:
        return finding
    return dataclasses.replace(finding, location=location, record=record, field=field, locator=locator)
