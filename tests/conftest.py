import json
import os
import subprocess
import sys
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


def run_prepub(*args: str, cwd: Path | None = None, input: str | None = None, timeout: int = 120,
               env: dict[str, str] | None = None) -> Run:
    """Run the real `prepub` entry point in a fresh process (as a user or a hook would)."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1", COLUMNS="200", **(env or {}))
    proc = subprocess.run(
        [sys.executable, "-m", "prepub_review", *args], cwd=cwd, input=input, capture_output=True,
        text=True, timeout=timeout, env=env, check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def checker():
    from prepub_review.pipeline import Checker

    return Checker()
