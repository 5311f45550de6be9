"""The pre-commit hook through the real tools: a real git repository and real `pre-commit`.

pre-commit installs this checkout (working tree included, see `pre_commit_hook` in conftest) into
its own environment, exactly as a site repository would get it from `.pre-commit-hooks.yaml`.
"""

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import synth

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path_factory.mktemp("site")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "clerk@example.invalid")
    git(repo, "config", "user.name", "clerk")
    (repo / "index.html").write_text(
        "<html><head><meta charset='utf-8'><title>信息公开</title></head><body>"
        "<p>本局2025年主动公开政府信息120条，经保密审查不涉及国家秘密。</p></body></html>", encoding="utf-8")
    git(repo, "add", "index.html")
    git(repo, "commit", "-qm", "init")
    return repo


def test_hook_passes_a_clean_page_and_blocks_a_leaking_one(site_repo, pre_commit_hook):
    clean = pre_commit_hook.run(site_repo, "index.html")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout
    # pre-commit-uv (the [test] extra) had pre-commit build the hook's environment with uv: with pip
    # that costs ~35 s of CPU, a quarter of the suite's.
    [made] = pre_commit_hook.home.glob("repo*/py_env-*/pyvenv.cfg")
    made_by = made.read_text(encoding="utf-8")
    assert re.search(r"^uv = ", made_by, re.MULTILINE), made_by

    number = synth.cn_id(random.Random(3))
    page = site_repo / "gongshi.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><th>户主姓名</th><th>身份证号</th></tr>"
        f"<tr><td>王建华</td><td>{number}</td></tr></table></body></html>", encoding="utf-8")
    git(site_repo, "add", "gongshi.html")
    leaking = pre_commit_hook.run(site_repo, "gongshi.html")
    assert leaking.returncode == 1, leaking.stdout + leaking.stderr
    assert "Failed" in leaking.stdout
    assert "身份证号" in leaking.stdout
    assert number not in leaking.stdout, "the hook output must not become the leak"


def test_hook_takes_every_file_a_folder_run_reviews():
    """The hook's `files` pattern and the format registry name the same files, except raster pictures:
    reading them needs the [ocr] extra, which the hook's environment does not install."""
    import yaml

    from prepub_review.formats.registry import REVIEWED_EXTENSIONS, spec_of

    hook = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
    pattern = re.compile(hook["files"])
    wanted = REVIEWED_EXTENSIONS - set(spec_of("image").extensions)
    assert sorted(ext for ext in wanted if not pattern.search(f"site/附件{ext}")) == []
    assert sorted(ext for ext in spec_of("image").extensions if pattern.search(f"a{ext}")) == []
