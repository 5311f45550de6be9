"""What every report shares: Chinese names of verdicts and severities, and safe display of values."""

from __future__ import annotations

from prepub_review.act.masking import mask_spans, shown_masked, shown_masked_unremembered
from prepub_review.decide.policy import Policy
from prepub_review.models import Finding, Severity, Verdict

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
