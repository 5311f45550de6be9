import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
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


@pytest.fixture(scope="session")
def checker():
    from prepub_review.pipeline import Checker

    return Checker()
