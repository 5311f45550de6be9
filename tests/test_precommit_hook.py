"""The pre-commit hook through the real tools: a real git repository and real `pre-commit`.

`pre-commit try-repo` installs this checkout (working tree included) into pre-commit's own
environment, exactly as a site repository would get it from `.pre-commit-hooks.yaml`.
"""

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import synth
from tests.conftest import ROOT

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


def try_repo(repo: Path, *files: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"), NO_COLOR="1")
    bindir = str(Path(sys.executable).parent)
    env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "prepub-check", "--verbose", "--files", *files],
        cwd=repo, capture_output=True, text=True, env=env, timeout=900, check=False,
    )


def test_hook_passes_a_clean_page_and_blocks_a_leaking_one(site_repo):
    clean = try_repo(site_repo, "index.html")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    number = synth.cn_id(random.Random(3))
    page = site_repo / "gongshi.html"
    page.write_text(
        "<html><head><meta charset='utf-8'></head><body><table><tr><th>户主姓名</th><th>身份证号</th></tr>"
        f"<tr><td>王建华</td><td>{number}</td></tr></table></body></html>", encoding="utf-8")
    git(site_repo, "add", "gongshi.html")
    leaking = try_repo(site_repo, "gongshi.html")
    assert leaking.returncode == 1, leaking.stdout + leaking.stderr
    assert "Failed" in leaking.stdout
    assert "身份证号" in leaking.stdout
    assert number not in leaking.stdout, "the hook output must not become the leak"
