import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


TEST_ENV = {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}


def run_prepub_process(*args: str, cwd: Path | None = None, input: str | None = None,
                       env: Mapping[str, str] | None = None, timeout: int = 120) -> Run:
    """Run the real `prepub` entry point in a fresh process (as a user or a hook would).

    Costs a second of start-up: keep it for a few end-to-end tests per command and use
    `run_prepub` for the rest."""
    proc = subprocess.run(
        [sys.executable, "-m", "prepub_review", *args], cwd=cwd, input=input, capture_output=True,
        text=True, timeout=timeout, env={**(env if env is not None else os.environ), **TEST_ENV}, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_prepub(*args: str, cwd: Path | None = None, input: str | None = None,
               env: Mapping[str, str] | None = None) -> Run:
    """Run `prepub` in this process: the same entry point (`prepub_review.cli.main`, with its
    error handling and exit codes) under click's CliRunner isolation (own stdin/stdout/stderr,
    environment `env` like subprocess's, working directory `cwd`)."""
    from click.testing import CliRunner

    from prepub_review.cli import main

    wanted = {**(env if env is not None else os.environ), **TEST_ENV}
    overrides: dict[str, str | None] = {k: v for k, v in wanted.items() if os.environ.get(k) != v}
    overrides.update({k: None for k in os.environ if k not in wanted})
    runner = CliRunner()
    with contextlib.chdir(cwd or Path.cwd()), runner.isolation(input=input, env=overrides) as (out, err, _):
        argv, sys.argv = sys.argv, ["prepub", *args]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv = argv
            sys.stdout.flush()
            sys.stderr.flush()
        return Run(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8", "replace"))


def pytest_configure(config: pytest.Config) -> None:
    """The Python processes the tests start (the xdist workers, `prepub`, pre-commit's hook, Dask, ~300
    in a run) share one bytecode cache. With PYTHONDONTWRITEBYTECODE set (as on machines that keep
    their trees free of __pycache__) each of them would compile every module it imports again: ~0.4 s
    of a `prepub check` process's 0.75 s, 1.3 s of a Dask process's 2. The cache is kept apart from
    the trees, in pytest's cache folder; Python checks each entry against its source as usual."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        cache = getattr(config, "cache", None)    # None under -p no:cacheprovider
        folder = cache.mkdir("pycache") if cache else Path(tempfile.gettempdir()) / "prepub-tests-pycache"
        os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
        del os.environ["PYTHONDONTWRITEBYTECODE"]


# Tests that share a costly module or session fixture, run on one pytest-xdist worker so that it is
# built once, not once per worker (nodeid prefix -> group). Groups are collected first, in this
# order (longest first), so they start at once. (xdist's own `xdist_group` mark and
# --dist loadgroup do nothing on pytest 9.2: the nodeid suffix they rely on is no longer
# writable, pytest-xdist issue 1386.)
XDIST_GROUPS = {
    "tests/test_precommit_hook.py": "pre-commit",                                          # hook env: ~10 s
    "tests/site/test_gate_e2e.py::test_precommit_hook_honours_the_approvals_file": "pre-commit",
    "tests/ocr/test_pictures_cli.py": "ocr-pictures",       # the pictures and their OCR check
    "tests/cluster/test_dask_cluster.py": "dask-cluster",   # a scheduler and two workers
    "tests/realworld/test_realworld.py": "realworld-set",
    "tests/eval/test_evaluation.py": "eval-set",
    "tests/site/test_reports.py": "site-reports",
}
GROUP_ORDER = list(dict.fromkeys(XDIST_GROUPS.values()))


def xdist_group(nodeid: str) -> str | None:
    return next((group for prefix, group in XDIST_GROUPS.items()
                 if nodeid == prefix or nodeid.startswith((prefix + "::", prefix + "["))), None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`-n N` (xdist's `load`): as `load`, except that each group of XDIST_GROUPS is one unit of
    work, sent whole to one worker."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid) or nodeid

    config.option.loadscopereorder = False     # keep the order pytest_collection_modifyitems made
    return GroupScheduling(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The XDIST_GROUPS first, then modules with a test marked `slow` or `libreoffice`, each module's
    tests kept together and in order (their module fixtures are built once), then the rest: under
    pytest-xdist a long test started last keeps one worker busy after the other has finished."""
    slow_modules = {item.module for item in items
                    if item.get_closest_marker("slow") or item.get_closest_marker("libreoffice")}

    def rank(item: pytest.Item) -> tuple[int, bool]:
        group = xdist_group(item.nodeid)
        return (GROUP_ORDER.index(group) if group else len(GROUP_ORDER), item.module not in slow_modules)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def checker():
    from prepub_review.pipeline import Checker

    return Checker()


@contextlib.contextmanager
def shared_folder(tmp_path_factory, name: str) -> Iterator[Path]:
    """A folder shared by every pytest-xdist worker of this run (the one base temp folder above
    theirs), held under a lock so whichever worker comes first builds it and the others wait and
    reuse it. Use it for costly artefacts that identical workers would otherwise each build."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    with FileLock(str(root / f"{name}.lock")):
        yield root / name


@dataclass(frozen=True)
class PreCommit:
    """This checkout as a site repository's `.pre-commit-config.yaml` names it, run by real pre-commit.

    The hook environment (a virtualenv with prepub and its dependencies, which pre-commit-uv has
    pre-commit build with uv) is built once per test run: every test uses the same `PRE_COMMIT_HOME`,
    repository and rev. (`pre-commit try-repo` would build a new one on every call: it keeps its
    environments in a temp folder.)"""

    config: Path
    home: Path

    def run(self, repo: Path, *files: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PRE_COMMIT_HOME=str(self.home), NO_COLOR="1")
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--config", str(self.config), "prepub-check", "--verbose",
             "--files", *files], cwd=repo, capture_output=True, text=True, env=env, timeout=900, check=False)


def _commit_snapshot(dest: Path) -> str:
    """This checkout's working tree (tracked and new, not ignored files) committed into `dest`: the
    uncommitted changes are what is tested, as `pre-commit try-repo` does. Fixed dates: same tree,
    same rev."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    env = dict(os.environ, GIT_AUTHOR_NAME="prepub tests", GIT_AUTHOR_EMAIL="tests@example.invalid",
               GIT_COMMITTER_NAME="prepub tests", GIT_COMMITTER_EMAIL="tests@example.invalid",
               GIT_AUTHOR_DATE="2026-01-01T00:00:00Z", GIT_COMMITTER_DATE="2026-01-01T00:00:00Z")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=dest, env=env, capture_output=True, check=True)
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=dest, capture_output=True, text=True,
                          check=True).stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_hook(tmp_path_factory) -> PreCommit:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    with shared_folder(tmp_path_factory, "pre-commit") as folder:
        config = folder / ".pre-commit-config.yaml"
        if not config.exists():
            (folder / "hooks-repo").mkdir(parents=True)
            rev = _commit_snapshot(folder / "hooks-repo")
            repo = json.dumps(str(folder / "hooks-repo"), ensure_ascii=False)   # a YAML string
            config.write_text(f"repos:\n- repo: {repo}\n  rev: {rev}\n  hooks:\n  - id: prepub-check\n", encoding="utf-8")
    return PreCommit(config, folder / "home")
