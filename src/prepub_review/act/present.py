"""What every report shares: Chinese names of verdicts and severities, and safe display of values."""

from __future__ import annotations

from prepub_review.act.masking import mask_spans, shown_masked
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

    def __init__(self, policy: Policy, reveal: bool = False):
        self.policy = policy
        self.reveal = reveal

    def value(self, finding: Finding) -> str:
        if self.reveal:
            return finding.text
        # A linkage finding's value is an identifier or name: masked as that entity (attrs["masked_as"]).
        if "masked_as" in finding.attrs:
            return shown_masked(finding.text, self.policy.mask_spec(finding.attrs["masked_as"]))
        return shown_masked(finding.text, self.policy.mask_spec(finding.entity, finding.variant))

    def context(self, finding: Finding) -> str:
        if self.reveal:
            return finding.context
        spans = [(s, e, self.policy.mask_spec(entity, variant)) for s, e, entity, variant in finding.context_spans]
        return mask_spans(finding.context, spans)
