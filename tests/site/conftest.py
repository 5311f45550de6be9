import random
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import synth
from tests.site.sitegen import make_site, page_html


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def site_repo(tmp_path):
    """A git repository holding a generated site: 6 pages, 3 attachments (none leaking)."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "clerk@example.invalid")
    git(repo, "config", "user.name", "clerk")
    site = make_site(repo / "site", pages=6, attachments=3, leaky=0, seed=1)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "site")
    return repo, site


def draft_with_contact(path: Path, seed: int = 5) -> dict:
    """A draft notice: a recipients table (to redact) and a volunteer's mobile published with consent."""
    rng = random.Random(seed)
    values = {"ids": [synth.cn_id(rng) for _ in range(2)], "mobile": synth.mobile(rng)}
    rows = "".join(f"<tr><td>{name}</td><td>{number}</td></tr>" for name, number in zip(("王建华", "李秀英"), values["ids"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>公示</title></head><body>\n"
        "<p>关于2026年度临时救助对象的公示</p>\n"
        f"<table><tr><th>户主姓名</th><th>身份证号</th></tr>{rows}</table>\n"
        f"<p>如有异议，请联系社区志愿者，手机{values['mobile']}，该号码经本人同意公开。</p>\n"
        "</body></html>\n", encoding="utf-8")
    return values


KEEP_CONTACT = """decisions:
  - match: {entity: PHONE_NUMBER}
    decision: keep
    reason: 已获本人同意
unmatched: proposed
"""

__all__ = ["KEEP_CONTACT", "draft_with_contact", "git", "page_html"]
