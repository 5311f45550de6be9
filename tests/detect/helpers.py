"""What the recognizer tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def found(recognizer, text: str) -> list[tuple[str, str]]:
    """(matched text, variant) of each candidate a recognizer finds in `text`, in its order."""
    return [(text[c.start:c.end], c.variant) for c in recognizer.find(text)]


# --- the shared folder beside the repository (real published reports) ------------------------------

def _shared_dir() -> Path:
    """`../shared` beside the repository; PREPUB_SHARED overrides it.

    In a git worktree (`.git` is a file pointing into the main checkout's `.git/worktrees/`),
    the folder beside the main checkout counts too, so worktrees run the same tests.
    """
    if os.environ.get("PREPUB_SHARED"):
        return Path(os.environ["PREPUB_SHARED"])
    candidates = [REPO.parent / "shared"]
    dot_git = REPO / ".git"
    if dot_git.is_file():
        gitdir = Path(dot_git.read_text(encoding="utf-8").partition("gitdir:")[2].strip())
        if gitdir.parent.name == "worktrees":
            candidates.append(gitdir.parent.parent.parent.parent / "shared")
    return next((c for c in candidates if c.is_dir()), candidates[0])


EXAMPLES = _shared_dir() / "examples"
MISSING = f"real reports not found: {EXAMPLES} (the shared folder beside the repository; set PREPUB_SHARED)"


def example(name: str) -> Path:
    """A real report from the shared examples, or a visible skip when the folder is absent."""
    path = EXAMPLES / name
    if not path.is_file():
        pytest.skip(MISSING)
    return path


def each_example() -> list:
    """Parameters for every shared example report; one visibly skipped case when there are none."""
    paths = sorted(EXAMPLES.glob("*.txt"))
    return paths or [pytest.param(None, id="no-shared-examples", marks=pytest.mark.skip(reason=MISSING))]
