"""Birth dates under the shipped profiles: removed from a recipients' list, cut to the year on the web."""

from __future__ import annotations

import pytest

from tests.conftest import run_prepub

LINE = "户主赵桂英，女，出生日期：1953-05-27，和平村，家庭人口2人，救助金额2000元。"


@pytest.mark.parametrize("profile, shown", [("assistance-recipients", "出生日期：，"),
                                            ("web-general", "出生日期：1953-**-**，")])
def test_a_birth_date_is_dropped_or_cut_to_the_year(tmp_path, profile, shown):
    source = tmp_path / "公示.txt"
    source.write_text(f"城南街道临时救助对象公示\n{LINE}\n", encoding="utf-8")
    out = tmp_path / "发布.txt"
    run = run_prepub("redact", str(source), "-o", str(out), "--profile", profile)
    assert run.code == 0, run.stdout + run.stderr
    written = out.read_text(encoding="utf-8")
    assert shown in written and "05-27" not in written
