import random

import openpyxl
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepub_review.act.redact.profiles import load_profile
from prepub_review.act.redact.redactor import Redactor
from prepub_review.cli import _register_commands, cli
from prepub_review.pipeline import Checker
from tests import synth

CHECKER = Checker()
REDACTOR = Redactor(CHECKER, load_profile(CHECKER.rules, "assistance-recipients"))
VILLAGES = ["和平村", "东风村", "城南社区", "石桥村"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), rows=st.integers(1, 6))
def test_recipient_tables_lose_identifiers_and_keep_the_rest(tmp_path_factory, seed, rows):
    rng = random.Random(seed)
    folder = tmp_path_factory.mktemp("p")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "联系电话", "银行卡号", "村/社区", "家庭人口", "保障金额"])
    identifiers, kept = [], []
    for _ in range(rows):
        row = ["张三明", synth.cn_id(rng), synth.mobile(rng), synth.bank_card(rng),
               rng.choice(VILLAGES), rng.randint(1, 6), rng.randint(300, 3000)]
        identifiers += row[1:4]
        kept.append(row[4:])
        sheet.append(row)
    source = folder / "list.xlsx"
    book.save(source)
    result = REDACTOR.redact(source, folder / "out.xlsx")
    text = b"".join(__import__("zipfile").ZipFile(result.output).read(n)
                    for n in __import__("zipfile").ZipFile(result.output).namelist())
    assert not [value for value in identifiers if value.encode() in text]
    out = openpyxl.load_workbook(result.output).active
    assert [list(r)[4:] for r in out.iter_rows(min_row=2, values_only=True)] == kept


def test_cli_exit_codes(tmp_path):
    _register_commands()
    runner = CliRunner()
    source = tmp_path / "a.txt"
    source.write_text(f"联系电话：{synth.mobile(random.Random(1))}，困难群众张三。\n", encoding="utf-8")
    done = runner.invoke(cli, ["redact", str(source)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "a.去标识化.txt").exists() and "SHA-256" in done.output
    again = runner.invoke(cli, ["redact", str(source)])
    assert again.exit_code == 2 and "已存在" in again.output
    assert runner.invoke(cli, ["redact", str(source), "--force", "--format", "json"]).exit_code == 0
    assert runner.invoke(cli, ["redact", str(tmp_path / "missing.txt")]).exit_code == 2
    marked = tmp_path / "m.txt"
    marked.write_text("秘密★1年\n正文\n", encoding="utf-8")
    refused = runner.invoke(cli, ["redact", str(marked)])
    assert refused.exit_code == 1 and "解密" in refused.output
    dry = runner.invoke(cli, ["redact", str(source), "-o", str(tmp_path / "d.txt"), "--dry-run"])
    assert dry.exit_code == 0 and not (tmp_path / "d.txt").exists()


def test_a_json_list_is_redacted_into_json_and_a_masked_bare_number_is_refused(tmp_path):
    import json

    _register_commands()
    runner = CliRunner()
    rng = random.Random(5)
    number, phone = synth.cn_id(rng), synth.mobile(rng)
    quoted = tmp_path / "gongshi.json"
    quoted.write_text(json.dumps([{"xm": "张建明", "sfzh": number, "dh": phone, "cun": "和平村"}], ensure_ascii=False),
                      encoding="utf-8")
    done = runner.invoke(cli, ["redact", str(quoted)])
    assert done.exit_code == 0, done.output
    written = (tmp_path / "gongshi.去标识化.json").read_text(encoding="utf-8")
    [row] = json.loads(written)                      # still JSON, the site's script can read it
    assert number not in written and phone not in written and row["cun"] == "和平村"
    bare = tmp_path / "bare.json"
    bare.write_text(f'{{"xm": "张建明", "dh": {phone}}}', encoding="utf-8")
    refused = runner.invoke(cli, ["redact", str(bare)])
    assert refused.exit_code != 0 and "JSON 无法解析" in refused.output
    assert not (tmp_path / "bare.去标识化.json").exists()
