"""What crosses a process boundary (--jobs, Dask) and the cache: findings as plain, masked data."""

from __future__ import annotations

import dataclasses
import pickle

from prepub_review.act.present import Presenter
from prepub_review.decide.policy import Policy
from prepub_review.models import DocumentResult, Finding, Locator, Severity, Zone, field_replacer
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


def test_from_fields_builds_the_same_frozen_finding_as_its_init():
    finding = a_finding()
    built = Finding.from_fields(**every_field(finding))
    assert type(built) is Finding and every_field(built) == every_field(finding) and built == finding
    assert hash(built) == hash(finding)
    try:
        built.text = "x"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a finding from from_fields must stay frozen")
    try:
        Finding.from_fields(*list(every_field(finding).values())[:-1])
    except TypeError:
        pass
    else:
        raise AssertionError("from_fields must take every field")


def test_field_replacer_is_dataclasses_replace_for_its_fields():
    finding = a_finding()
    replace = field_replacer(Finding, "severity", "text")
    replaced = replace(finding, Severity.INFO, "x")
    assert type(replaced) is Finding
    assert every_field(replaced) == every_field(dataclasses.replace(finding, severity=Severity.INFO, text="x"))
    assert finding.text == "13912345678"   # the original is left as it was
    try:
        field_replacer(Finding, "txt")
    except TypeError as exc:
        assert "txt" in str(exc)
    else:
        raise AssertionError("an unknown field name must be refused")


def test_the_context_shortcut_masks_as_the_general_path():
    """A context that is one value is masked through the value memo; it must equal mask_spans."""
    from prepub_review.act.masking import mask_spans

    policy = Policy.load(RulesSource())
    presenter = Presenter(policy)
    base = a_finding()
    cases = [("13912345678", ((0, 11, "PHONE_NUMBER", "mobile"),)),
             ("张三丰", ((0, 3, "PERSON", "private"),)),
             ("010-12345678", ((0, 12, "PHONE_NUMBER", "landline"),)),
             ("138****5678", ((0, 11, "PHONE_NUMBER", "mobile"),)),
             ("电话13912345678", ((2, 13, "PHONE_NUMBER", "mobile"),))]
    for context, spans in cases:
        finding = dataclasses.replace(base, text=context, context=context, context_spans=spans,
                                      attrs={"masked_as": "PERSON"})   # the value masks otherwise
        general = mask_spans(context, [(s, e, policy.mask_spec(entity, variant)) for s, e, entity, variant in spans])
        assert presenter.context(finding) == general
        assert presenter.context(finding) == general   # from the memo


def test_a_file_is_checked_with_the_cycle_collector_paused_and_restored(tmp_path):
    import gc

    from prepub_review.site.runner import RunSettings, Task, check_file

    seen = []

    class Checker:
        def check_file(self, path):
            seen.append(gc.isenabled())
            return DocumentResult(path=str(path), findings=[a_finding()])

    presenter = Presenter(Policy.load(RulesSource()))
    assert gc.isenabled()
    doc, warnings = check_file(Task(tmp_path / "a.txt", None, False), (Checker(), presenter, RunSettings()))
    assert seen == [False] and gc.isenabled()
    assert doc.findings[0].text != "13912345678" and warnings == []
    gc.disable()
    try:   # left off when it was off
        check_file(Task(tmp_path / "a.txt", None, False), (Checker(), presenter, RunSettings()))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_context_of_several_values_masks_as_mask_spans():
    """Presenter.context masks each value through its memo; the text must equal masking.mask_spans
    for any spans, overlapping and clipped ones included, before and after the memo holds them."""
    import random

    from prepub_review.act.masking import mask_spans

    policy = Policy.load(RulesSource())
    presenter = Presenter(policy)
    kinds = [("PHONE_NUMBER", "mobile"), ("PERSON", "private"), ("CN_ID_CARD", "valid"),
             ("EMAIL_ADDRESS", "personal"), ("ADDRESS", "door_level"), ("PHONE_NUMBER", "landline")]
    rng = random.Random(7)
    context = "户主张三丰，电话13912345678，身份证330483199001011234，邮箱ab@x.cn，住和平村3组12号、138****5678"
    for _ in range(400):
        spans = []
        for _ in range(rng.randrange(0, 5)):
            start = rng.randrange(len(context))
            spans.append((start, rng.randrange(start + 1, len(context) + 1), *rng.choice(kinds)))
        finding = dataclasses.replace(a_finding(), context=context, context_spans=tuple(spans))
        general = mask_spans(context, [(s, e, policy.mask_spec(entity, variant))
                                       for s, e, entity, variant in spans])
        assert presenter.context(finding) == general
        assert presenter.context(finding) == general


def test_the_parent_takes_each_document_with_the_collector_paused_and_restores_it(tmp_path, monkeypatch):
    """The parent's share of a run (results from the workers, annotation, the report) runs with the
    cycle collector paused, and the collector is on again when the command returns."""
    import gc

    from prepub_review.cli import check as check_command
    from tests.conftest import run_prepub

    for name in ("一.txt", "二.txt"):
        (tmp_path / name).write_text("联系人王建华，电话13812345678。\n", encoding="utf-8")
    made = check_command.make_reporter
    seen = []

    def recording_reporter(*args, **kwargs):
        reporter = made(*args, **kwargs)
        document = reporter.document

        def noted(site_doc):
            seen.append(gc.isenabled())
            return document(site_doc)

        reporter.document = noted
        return reporter

    monkeypatch.setattr(check_command, "make_reporter", recording_reporter)
    run = run_prepub("check", "--format", "json", "--jobs", "1", str(tmp_path))
    assert run.code in (0, 1), run.stderr
    assert seen == [False, False] and gc.isenabled()
