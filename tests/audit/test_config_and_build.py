"""Where the database and key live, the config file, and the pure record builders."""

from pathlib import Path

import pytest

from prepub_review import config
from prepub_review.act.audit import load_conclusions, title_and_number
from prepub_review.rules_loader import RulesSource


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in ("PREPUB_CONFIG", "PREPUB_AUDIT_DB", "PREPUB_AUDIT_KEY", "PREPUB_REVIEWER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def write_config(home: Path, text: str) -> Path:
    path = home / "cfg" / "prepub" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_config(home):
    assert config.audit_db_path() == home / "data" / "prepub" / "audit.sqlite3"
    assert config.audit_key_path() == home / "cfg" / "prepub" / "audit.key"
    assert config.default_reviewer() is None


def test_precedence_cli_then_env_then_config(home, monkeypatch):
    write_config(home, "audit_db: 记录/audit.sqlite3\nreviewer: 审查员甲\naudit_key: /srv/keys/k\n")
    assert config.audit_db_path() == home / "cfg" / "prepub" / "记录" / "audit.sqlite3"
    assert config.audit_key_path() == Path("/srv/keys/k")
    assert config.default_reviewer() == "审查员甲"
    monkeypatch.setenv("PREPUB_AUDIT_DB", str(home / "env.sqlite3"))
    monkeypatch.setenv("PREPUB_REVIEWER", "审查员乙")
    assert config.audit_db_path() == home / "env.sqlite3"
    assert config.default_reviewer() == "审查员乙"
    assert config.audit_db_path(Path("cli.sqlite3")) == Path("cli.sqlite3")


@pytest.mark.parametrize("text, message", [
    ("audit_db: [1, 2]\n", "第1行: 键「audit_db」应为 str"),
    ("reviwer: 张\n", "第1行: 未知的键「reviwer」"),
    ("audit_db: a\naudit_db: b\n", "第2行: 键「audit_db」重复"),
    ("- a\n- b\n", "应为「键: 值」映射"),
    ("audit_db: [\n", "YAML 格式错误"),
])
def test_config_errors_name_file_line_and_key(home, text, message):
    path = write_config(home, text)
    with pytest.raises(config.ConfigError) as error:
        config.load_config()
    assert message in error.value.message and str(path) in error.value.message


def test_config_error_through_the_cli_exits_2(home, monkeypatch):
    from tests.conftest import run_prepub

    monkeypatch.setenv("PREPUB_CONFIG", str(write_config(home, "audit_db: [1]\n")))
    run = run_prepub("audit", "head")
    assert run.code == 2 and "配置文件错误" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("lines, expected", [
    (["X民政局文件", "X民发〔2026〕12号", "", "关于做好2026年低保工作的通知", "各乡镇人民政府："],
     ("关于做好2026年低保工作的通知", "X民发〔2026〕12号")),
    (["000123", "秘密★1年", "特急", "某县民政局文件", "某民函[2025]7号", "关于调整救助标准的请示"],
     ("关于调整救助标准的请示", "某民函[2025]7号")),
    (["城南街道2026年10月最低生活保障对象公示", "姓名：张*明"], ("城南街道2026年10月最低生活保障对象公示", None)),
    (["民发〔 2021 〕 第57号 关于进一步做好最低生活保障工作的通知"], (None, "民发〔2021〕第57号")),
    (["", "（此件公开发布）", "各街道："], (None, None)),
    ([], (None, None)),
])
def test_title_and_number(lines, expected):
    assert title_and_number(lines) == expected


def test_title_beginning_with_a_marking_word_is_still_a_title():
    assert title_and_number(["关于加强内部审计工作的通知"])[0] == "关于加强内部审计工作的通知"
    assert title_and_number(["内部资料", "注意保存", "2025年工作总结报告"])[0] == "2025年工作总结报告"


def test_conclusions_map_is_complete():
    conclusions = load_conclusions(RulesSource())
    assert {"publish", "publish_redacted", "withhold_secret", "withhold_privacy"} <= set(conclusions)
    assert conclusions["publish_redacted"].label == "去标识化后公开（区分处理）"
    assert "第三十七条" in conclusions["publish_redacted"].basis
    assert "第十四条" in conclusions["withhold_secret"].basis


def test_conclusions_file_errors_name_the_line(tmp_path):
    from prepub_review.errors import PrepubError

    (tmp_path / "audit_conclusions.yaml").write_text("conclusions:\n  publish:\n    lable: x\n", encoding="utf-8")
    with pytest.raises(PrepubError, match="第3行: 未知的键「lable」"):
        load_conclusions(RulesSource(tmp_path))


def test_title_marks_come_from_rules_and_a_unit_can_add_its_own(tmp_path):
    from prepub_review.act.audit import load_title_marks

    lines = ["机要资料", "关于做好2026年低保工作的通知"]
    assert title_and_number(lines)[0] == "机要资料"                    # not a mark in the shipped rules
    shipped = (RulesSource().path("audit_title.yaml")).read_text(encoding="utf-8")
    (tmp_path / "audit_title.yaml").write_text(shipped.replace("head_marks: [", "head_marks: [机要, "), encoding="utf-8")
    marks = load_title_marks(RulesSource(tmp_path))
    assert title_and_number(lines, marks=marks)[0] == "关于做好2026年低保工作的通知"


@pytest.mark.parametrize("text, message", [
    ("head_marks: [绝密]\nhead_mark_max_chars: 12\nnot_title_endings: [文件]\nnot_title_symbols: []\nextra: 1\n",
     "第5行: 未知的键「extra」"),
    ("head_marks: 绝密\nhead_mark_max_chars: 12\nnot_title_endings: [文件]\nnot_title_symbols: [★]\n",
     "第1行: 键「head_marks」应为非空字符串列表"),
    ("head_marks: [绝密]\nhead_mark_max_chars: 0\nnot_title_endings: [文件]\nnot_title_symbols: [★]\n", "第2行"),
])
def test_title_marks_file_errors_name_the_line(tmp_path, text, message):
    from prepub_review.act.audit import load_title_marks
    from prepub_review.errors import PrepubError

    (tmp_path / "audit_title.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PrepubError, match=message):
        load_title_marks(RulesSource(tmp_path))
