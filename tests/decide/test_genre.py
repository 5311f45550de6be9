"""Genres that publish personal data by design (rules/genres.yaml) and rules extended without copying."""

from __future__ import annotations

import random

import pytest

from prepub_review.errors import RulesError
from prepub_review.pipeline import Checker
from tests import synth
from tests.conftest import run_prepub

ID = synth.cn_id(random.Random(7))
MOBILE = synth.mobile(random.Random(7))


def acted(checker, text):
    return [(f.entity, f.text) for f in checker.check_text(text) if f.severity.value != "info"]


@pytest.mark.parametrize("text", [
    "县管领导干部任前公示\n王建国，男，汉族，1975年3月生，桐溪人，大学学历，现任县民政局办公室主任，拟任县民政局副局长。",
    "关于表彰见义勇为先进个人的决定\n李小龙，男，45岁，城南街道幸福村村民。",
    "关于城南街道部分道路命名的批复\n一、文昌路：东起人民路，西至幸福村12号，全长800米。",
    "2026年残疾人事业发展统计公报\n全区持证残疾人1,234人，其中视力残疾120人，肢体残疾300人。",
    "关于召开全县民政工作会议的通知\n会议地点：县行政中心（人民路8号）三楼。",
    "养老服务平台采购项目中标结果公告\n中标供应商地址：建设路18号\n评审专家：王建国、李红梅、赵平",
])
def test_by_design_content_is_info(checker, text):
    assert acted(checker, text) == []


@pytest.mark.parametrize("text, entity", [
    ("县管领导干部任前公示\n王建国，男，身份证号" + ID + "，手机" + MOBILE, "CN_ID_CARD"),
    ("县管领导干部任前公示\n王建国，男，身份证号" + ID + "，手机" + MOBILE, "PERSON"),    # the name beside an ID
    ("关于文昌路更名的公告\n终点为住户王建国家（幸福村3组12号）。", "ADDRESS"),        # a named resident
    ("关于表彰见义勇为先进个人的决定\n救援中，王建国受伤，经诊断为肢体残疾二级。", "PERSON"),
    ("行政处罚决定书\n当事人：王建国，男，45岁，住址：幸福村3组12号", "ADDRESS"),
])
def test_what_the_genre_does_not_publish_stays(checker, text, entity):
    assert entity in {e for e, _ in acted(checker, text)}


def test_a_genre_cannot_lower_a_protected_entity(tmp_path):
    (tmp_path / "extend.yaml").write_text(
        "set:\n  genres.yaml#genres.naming.published: {CN_ID_CARD: info}\n", encoding="utf-8")
    with pytest.raises(RulesError, match="protected"):
        Checker(tmp_path)


def test_extend_adds_officials_and_overrides_one_key(tmp_path):
    (tmp_path / "extend.yaml").write_text(
        "add:\n  officials.txt: [王建国]\n  identifiers.yaml#email.free_mail_domains: [example.cn]\n"
        "set:\n  policy/PERSON.yaml#variants.private_weak.severity: info\n", encoding="utf-8")
    checker = Checker(tmp_path)
    assert acted(checker, "户主王建国，男，68岁。") == []
    assert acted(checker, "户主李红梅，男，68岁。") == [("PERSON", "李红梅")]
    assert checker.policy.rule_for("PERSON", "private_weak").severity.value == "info"
    assert acted(checker, "电子邮箱：li@example.cn") == [("EMAIL_ADDRESS", "li@example.cn")]


@pytest.mark.parametrize("extend, message", [
    ("set:\n  policy/PERSON.yaml#variants.nothing.severity: info\n", "没有键"),
    ("add:\n  nosuch.txt: [a]\n", "没有内置规则文件"),
    ("set:\n  policy/PERSON.yaml: info\n", "文件#键路径"),
])
def test_extend_errors_name_the_problem(tmp_path, extend, message):
    (tmp_path / "extend.yaml").write_text(extend, encoding="utf-8")
    with pytest.raises(RulesError, match=message):
        Checker(tmp_path)


def test_extend_through_the_command(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "extend.yaml").write_text("add:\n  officials.txt: [王建国]\n", encoding="utf-8")
    page = tmp_path / "名单.txt"
    page.write_text("户主王建国，男，68岁。\n", encoding="utf-8")
    assert run_prepub("check", "--fail-on", "review", str(page)).code == 1
    assert run_prepub("check", "--fail-on", "review", "--rules", str(rules), str(page)).code == 0
