"""What crosses a process boundary (--jobs, Dask) and the cache: findings as plain, masked data."""

from __future__ import annotations

import dataclasses
import pickle

from prepub_review.act.present import Presenter
from prepub_review.decide.policy import Policy
from prepub_review.models import DocumentResult, Finding, Locator, Severity, Zone
from prepub_review.rules_loader import RulesSource
from prepub_review.site.runner import premask, strip


def every_field(finding: Finding) -> dict:
    return {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)}


def a_finding() -> Finding:
    """A finding with every field set, none at its default."""
    return Finding(entity="PHONE_NUMBER", variant="mobile", rule_id="P3", severity=Severity.BLOCK,
                   label="电话号码", reason="个人手机号", text="13912345678", location="表格1 第2行",
                   zone=Zone.TABLE, start=3, end=14, score=0.95, recognizer="phone", field="联系电话",
                   record="table1:row2",
                   context="电话：13912345678，", context_spans=((3, 14, "PHONE_NUMBER", "mobile"),),
                   attrs={"evidence": "label"}, locator=Locator("table", ("表格", 1, 2, 3), 7, 9),
                   fingerprint="f" * 32, anchor=object())


def test_a_finding_pickles_with_every_field():
    finding = dataclasses.replace(a_finding(), anchor=None)
    assert every_field(pickle.loads(pickle.dumps(finding))) == every_field(finding)


def test_premask_masks_text_and_context_and_keeps_every_other_field():
    finding = a_finding()
    presenter = Presenter(Policy.load(RulesSource()))
    masked = premask(DocumentResult(path="x.docx", findings=[finding]), presenter).findings[0]
    expected = dataclasses.replace(finding, text=presenter.value(finding), context=presenter.context(finding),
                                   attrs={}, anchor=None)
    assert every_field(masked) == every_field(expected)
    assert masked.text == "139****5678" and "13912345678" not in masked.context


def test_strip_drops_only_attrs_and_anchor():
    finding = a_finding()
    stripped = strip(DocumentResult(path="x.docx", findings=[finding])).findings[0]
    assert every_field(stripped) == every_field(dataclasses.replace(finding, attrs={}, anchor=None))
