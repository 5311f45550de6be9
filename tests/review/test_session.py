"""The review logic without a terminal: items and proposals, the key loop driven by ScriptedKeys,
conclusions, the Redactor overrides, and --decisions files."""

from __future__ import annotations

import io
import zipfile

import pytest
from rich.console import Console

from prepub_review.act.present import Presenter
from prepub_review.act.redact.plan import Override
from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor
from prepub_review.errors import VerificationFailed
from prepub_review.act.review import decisions_file
from prepub_review.act.review.interactive import ask_keep_reason, keep_reasons, review_items
from prepub_review.act.review.keys import ScriptedKeys, normalise_key
from prepub_review.act.review.screen import Screen
from prepub_review.act.review.session import Decision, Session, build_items
from prepub_review.pipeline import Checker
from tests.review.helpers import marked_docx, recipients_docx


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("review")
    checker = Checker()
    redactor = Redactor(checker, load_profile(checker.rules, "assistance-recipients"))
    draft = recipients_docx(folder)
    findings = checker.check_file(draft.path).findings
    preview = redactor.redact(draft.path, folder / "preview.docx", dry_run=True)
    return checker, redactor, draft, findings, preview, folder


@pytest.fixture
def session(setup):
    _, redactor, _, findings, preview, _ = setup
    return Session(build_items(findings, redactor, preview))


def screen_for(checker) -> tuple[Screen, io.StringIO]:
    buffer = io.StringIO()
    return Screen(Console(file=buffer, width=200, color_system=None), Presenter(checker.policy)), buffer


def docx_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


# --- items and proposals ---------------------------------------------------------------------

def test_items_in_reading_order_with_the_redactors_proposals(session, setup):
    draft = setup[2]
    kinds = [(i.finding.entity, i.proposal.kind) for i in session.items]
    assert kinds == [("PERSON", "mask"), ("CN_ID_CARD", "drop"), ("PHONE_NUMBER", "mask"), ("ADDRESS", "generalise")] * 2
    first = session.items[0]
    assert first.number == 1 and first.index == 1 and first.finding.text == draft.names[0]
    assert first.proposal.replacement == "张*明"
    assert session.items[1].proposal.replacement == ""
    assert session.items[3].proposal.replacement == "和平村"


def test_without_a_preview_the_profile_still_proposes(setup):
    _, redactor, _, findings, _, _ = setup
    items = build_items(findings, redactor, None)
    assert [i.proposal.kind for i in items[:4]] == ["mask", "drop", "mask", "generalise"]


# --- the key loop ------------------------------------------------------------------------------

def test_key_loop_accept_keep_edit_type_back(session, setup):
    screen, buffer = screen_for(setup[0])
    keys = ScriptedKeys(["y", "k", "2", "e", "a", "b", "enter", "y", "y", "y"], lines=["（略）"])
    assert review_items(session, keys, screen, ["公职人员履职信息", "已获本人同意"]) is True
    decided = {item.number: (d.kind, d.reason, d.replacement, d.by) for item, d in session.decided()}
    assert decided[1] == ("redact", "", None, "reviewer")
    assert decided[2] == ("keep", "已获本人同意", None, "reviewer")
    assert decided[3] == ("replace", "", "（略）", "reviewer")
    assert decided[4][0] == "redact" and decided[4][3] == "reviewer"      # re-decided after going back
    assert decided[8] == ("redact", "", None, "type")                     # accepted with its type
    assert set(decided) == set(range(1, 9))
    shown = buffer.getvalue()
    assert "第 1 项，共 8 项" in shown and "第 5 项，共 8 项" in shown
    assert "已对「详细地址」共 2 项采纳建议" in shown
    for raw in setup[2].ids:                                              # values are masked on screen
        assert raw not in shown


def test_key_loop_quit_help_back_at_start_unknown_key(session, setup):
    screen, buffer = screen_for(setup[0])
    keys = ScriptedKeys(["b", "?", "x", "q"])
    assert review_items(session, keys, screen, ["甲"]) is False
    shown = buffer.getvalue()
    assert "已是第一项" in shown and "按键说明" in shown and "未知按键" in shown
    assert session.decisions == {}


@pytest.mark.parametrize("keys,lines,expected", [
    (["1"], [], "公职人员履职信息"),
    (["4", "2"], [], "已获本人同意"),            # 4 is not a choice (two reasons + 其他): asked again
    (["3"], ["  本人书面同意 "], "本人书面同意"),  # 3 = 其他（自行填写）
    (["esc"], [], None),
    (["3"], [""], None),                         # empty free text cancels
])
def test_keep_reason(setup, keys, lines, expected):
    screen, _ = screen_for(setup[0])
    assert ask_keep_reason(ScriptedKeys(keys, lines), screen, ["公职人员履职信息", "已获本人同意"]) == expected


def test_keys_are_normalised():
    assert normalise_key("\r") == "enter" and normalise_key("Y") == "y" and normalise_key("？") == "?"
    with pytest.raises(KeyboardInterrupt):
        normalise_key("\x03")


def test_keep_reasons_come_from_rules():
    reasons = keep_reasons(Checker().rules)
    assert reasons[:2] == ["公职人员履职信息", "已获本人同意"] and "依法应当公开" in reasons


def test_context_highlights_the_masked_value(session, setup):
    screen, _ = screen_for(setup[0])
    item = session.items[1]
    text = screen.context(item)
    span = text.spans[0]
    assert text.plain[span.start:span.end] == screen.presenter.value(item.finding)
    assert item.finding.text not in text.plain


# --- conclusions -----------------------------------------------------------------------------

@pytest.mark.parametrize("decisions,conclusion,publishes", [
    ([Decision("keep", "已获本人同意")] * 8, "publish", True),
    ([Decision("redact")] * 8, "publish_redacted", True),           # masked names remain personal information
    ([Decision("keep", "x")] + [Decision("redact")] * 7, "publish_redacted", True),
    ([Decision("replace", replacement="某某")] + [Decision("keep", "x")] * 7, "publish_redacted", True),
])
def test_suggested_conclusion_and_pi_flag(session, decisions, conclusion, publishes):
    for item, decision in zip(session.items, decisions):
        session.decisions[item.number] = decision
    assert session.suggested_conclusion() == conclusion
    assert session.publishes_personal_info(conclusion) is publishes
    assert session.publishes_personal_info("withhold_privacy") is False


def test_pi_flag_false_when_every_personal_value_is_removed(session):
    for item in session.items:
        session.decisions[item.number] = Decision("redact") if item.proposal.kind == "drop" \
            else Decision("replace", replacement="（略）")
    assert session.publishes_personal_info("publish_redacted") is False


@pytest.mark.parametrize("decision,expected", [(Decision("redact"), "withhold_secret"),
                                               (Decision("keep", "这是引用，不是标志"), "publish")])
def test_marking_confirmed_suggests_withholding(tmp_path, setup, decision, expected):
    checker, redactor = setup[0], setup[1]
    path = marked_docx(tmp_path)
    items = build_items(checker.check_file(path).findings, redactor, None)
    assert items and items[0].proposal.kind == "withhold"
    session = Session(items)
    session.decide_all(decision)
    assert session.suggested_conclusion() == expected
    if expected == "withhold_secret":
        assert "秘密" in session.suggested_reason(expected) or "标志" in session.suggested_reason(expected)


# --- the Redactor with the reviewer's decisions -------------------------------------------------

def test_overrides_keep_and_replace_through_the_redactor(session, setup, tmp_path):
    _, redactor, draft, *_ = setup
    session.decisions[2] = Decision("keep", "已获本人同意")            # first ID number kept
    session.decisions[3] = Decision("replace", replacement="（略）")   # first mobile replaced
    session.decide_all(Decision("redact"))
    result = redactor.redact(draft.path, tmp_path / "out.docx", overrides=session.overrides())
    text = docx_text(result.output)
    assert draft.ids[0] in text and draft.ids[1] not in text           # kept value passes verification
    assert "（略）" in text and draft.mobiles[0] not in text and draft.mobiles[1] not in text
    assert "张*明" in text and "李*芳" in text
    assert [f.text for f in result.kept_by_reviewer] == [draft.ids[0]]


def test_a_reviewers_replacement_is_verified_too(session, setup, tmp_path):
    _, redactor, draft, *_ = setup
    session.decisions[3] = Decision("replace", replacement=draft.ids[1])   # puts an ID number back in
    session.decide_all(Decision("redact"))
    with pytest.raises(VerificationFailed):
        redactor.redact(draft.path, tmp_path / "bad.docx", overrides=session.overrides())
    assert not (tmp_path / "bad.docx").exists()


def test_override_of_an_unknown_key_changes_nothing(setup, tmp_path):
    _, redactor, draft, *_ = setup
    result = redactor.redact(draft.path, tmp_path / "o.docx",
                             overrides={("PERSON", "nowhere", "x", 1): Override(keep=True)})
    assert len(result.edits) == 8 and not result.kept_by_reviewer


# --- --decisions files ------------------------------------------------------------------------

def write(tmp_path, text: str, name: str = "d.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_decisions_file_rules_glob_label_index_first_match(session, tmp_path):
    path = write(tmp_path, """
decisions:
  - match: {entity: 姓名, location: "表格1 第3行 *"}
    decision: keep
    reason: 依法应当公开
  - match: {entity: PHONE_NUMBER, location: "表格1 第2行 第3列", index: 1}
    decision: replace
    replacement: （略）
  - match: {entity: PERSON}
    decision: redact
  - match: {rule_id: P99}
    decision: redact
conclusion: 去标识化后公开
reason: 按方案处理
""")
    loaded = decisions_file.load(path)
    warnings = decisions_file.apply(loaded, session)
    by_number = {item.number: d for item, d in session.decided()}
    assert by_number[5].kind == "keep" and by_number[5].reason == "依法应当公开"
    assert by_number[3].kind == "replace" and by_number[3].replacement == "（略）"
    assert by_number[1].kind == "redact" and len(by_number) == 8
    assert len(warnings) == 1 and "没有匹配" in warnings[0] and "第" in warnings[0]
    assert decisions_file.conclusion_key(loaded.conclusion, session, {"publish_redacted": 1}) == "publish_redacted"


def test_decisions_file_json_list_and_unmatched_error(session, tmp_path):
    path = write(tmp_path, '[{"match": {"entity": "CN_ID_CARD"}, "decision": "redact"}]', "d.json")
    loaded = decisions_file.load(path)
    assert len(loaded.rules) == 1
    strict = decisions_file.DecisionsFile(loaded.rules, unmatched="error")
    with pytest.raises(decisions_file.DecisionsError, match="没有覆盖 6 项"):
        decisions_file.apply(strict, session)


@pytest.mark.parametrize("text,message", [
    ("- {match: {entity: PERSON}, decision: keep}", "reason"),
    ("- {match: {entity: PERSON}, decision: replace}", "replacement"),
    ("- {match: {entity: PERSON}, decision: delete}", "decision"),
    ("- {match: {}, decision: redact}", "match"),
    ("- {match: {entity: PERSON, row: 2}, decision: redact}", "row"),
    ("- {match: {index: 0}, decision: redact}", "index"),
    ("decisions: []\nconclusions: publish", "conclusions"),
    ("- [unclosed", "YAML"),
])
def test_decisions_file_errors_name_the_line(tmp_path, text, message):
    with pytest.raises(decisions_file.DecisionsError) as caught:
        decisions_file.load(write(tmp_path, text))
    assert message in caught.value.message and "d.yaml" in caught.value.message


def test_conclusion_words(session):
    known = {"publish": 1, "publish_redacted": 1, "withhold_privacy": 1}
    session.decide_all(Decision("keep", "x"))
    assert decisions_file.conclusion_key(None, session, known) == "publish"
    assert decisions_file.conclusion_key("同意公开", session, known) == "publish"
    assert decisions_file.conclusion_key("不予公开", session, known) == "withhold_privacy"
    with pytest.raises(decisions_file.DecisionsError):
        decisions_file.conclusion_key("随便", session, known)
