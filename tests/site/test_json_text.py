"""The JSON report writes each finding as text directly; it must be exactly json.dumps of the finding's
JSON as a dict (`finding_data`, below: the keys in their documented order)."""

from __future__ import annotations

import dataclasses
import json

from prepub_review.act.present import Presenter
from prepub_review.act.report_json_stream import finding_text
from prepub_review.act.report_site import approval_json
from prepub_review.models import Finding, Locator, Severity, Zone
from prepub_review.pipeline import Checker
from prepub_review.site.approvals import Approval
from prepub_review.site.runner import PremaskedPresenter

TEXT = ("户主张三，身份证号330483199001011237，电话13912345678。\n"
        "家住和平村3组12号。\"引号\\反斜杠\"\t制表 \u2028 行分隔")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def finding_data(finding: Finding, approval: Approval | None, presenter: Presenter) -> dict:
    data = {
        "entity": finding.entity,
        "text": presenter.value(finding),
        "severity": finding.severity.value,
        "location": finding.location,
        "score": finding.score,
        "rule_id": finding.rule_id,
        "variant": finding.variant,
        "label": finding.label,
        "reason": finding.reason,
        "zone": finding.zone.value,
        "field": finding.field,
        "record": finding.record,
        "context": presenter.context(finding),
        "start": finding.start,
        "end": finding.end,
        "recognizer": finding.recognizer,
        "masked": not presenter.reveal,
    }
    if "linked" in finding.attrs:   # cross-document linkage: where the other halves are
        data["linked"] = finding.attrs["linked"]
        data["revealed"] = finding.attrs["revealed"]
    data["fingerprint"] = finding.fingerprint
    locator = finding.locator
    data["locator"] = None if locator is None else {
        "part": locator.part, "path": list(locator.path), "line": locator.line, "column": locator.column}
    data["approval"] = approval_json(approval) if approval is not None else None
    return data


def _variants(finding: Finding) -> list[Finding]:
    """The finding, and copies with every kind of value the JSON must write as json does."""
    return [
        finding,
        dataclasses.replace(finding, field=None, record=None, locator=None),
        dataclasses.replace(finding, score=1, start=0, end=0),
        dataclasses.replace(finding, score=float("nan")),
        dataclasses.replace(finding, score=True, locator=Locator("line", ("第", 3, True, 2.5), 7, None)),
        dataclasses.replace(finding, locator=Locator("table", ("表格", 1, 2, 3), None, 4)),
        dataclasses.replace(finding, attrs={"linked": [{"path": "a.html", "n": 1}], "revealed": "生日"}),
        dataclasses.replace(finding, severity=Severity.INFO, zone=Zone.COMMENT, field="列\"名\"",
                            reason="原因\n第二行", label="标签\\"),
    ]


def test_finding_text_is_json_dumps_of_finding_data():
    checker = Checker()
    findings = checker.check_text(TEXT)
    assert len(findings) >= 3
    approval = Approval(path="a.docx", entity="PERSON", rule_id="P10", fingerprint="f" * 32,
                        status="approved", reviewer="王审核", reason="公示栏", date="2026-01-02")
    for presenter in (Presenter(checker.policy), Presenter(checker.policy, reveal=True),
                      PremaskedPresenter(checker.policy)):
        for finding in findings:
            for variant in _variants(finding):
                for given in (None, approval):
                    for _ in range(2):   # the second time from the remembered texts
                        assert finding_text(variant, given, presenter) == \
                            _dumps(finding_data(variant, given, presenter))
