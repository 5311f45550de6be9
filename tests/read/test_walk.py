"""expand_paths: deterministic recursion, unsupported files listed, symlinks never hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prepub_review.formats.walk import WalkProblem, expand_paths


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


def rel(root: Path, paths: list[Path]) -> list[str]:
    return [str(path.relative_to(root)) for path in paths]


def test_directory_walk_is_sorted_and_lists_unsupported(tmp_path):
    touch(tmp_path, "b.docx", "a.PDF", "z/c.xlsx", "y/d.html", "site.css", "y/app.js", "e.txt",
          ".git/config.txt", ".hidden.docx", "~$b.docx", "y/.~lock.d.html#", "old.wps", "old.et")
    result = expand_paths([tmp_path])
    assert rel(tmp_path, result.files) == ["a.PDF", "b.docx", "e.txt", "old.et", "old.wps", "y/d.html", "z/c.xlsx"]
    assert rel(tmp_path, result.unsupported) == ["site.css", "y/app.js"]
    assert sorted(rel(tmp_path, result.ignored)) == [".git", ".hidden.docx", "y/.~lock.d.html#", "~$b.docx"]
    assert result.problems == []


def test_documents_prepub_does_not_read_are_reviewed_so_their_reader_says_why(tmp_path):
    # a recipient list in slides or an archive on the site must not pass as a line among the fonts
    touch(tmp_path, "名单.rtf", "notes.pptx", "附件/材料.ZIP", "公告.ofd", "旧.ppt", "演示.dps", "a.rar", "b.7z",
          "font.woff2", "app.js")
    result = expand_paths([tmp_path])
    assert rel(tmp_path, result.files) == ["a.rar", "b.7z", "notes.pptx", "公告.ofd", "名单.rtf", "旧.ppt",
                                           "演示.dps", "附件/材料.ZIP"]
    assert rel(tmp_path, result.unsupported) == ["app.js", "font.woff2"]


def test_explicit_files_are_taken_as_given(tmp_path):
    touch(tmp_path, ".secret.txt", "style.css", "a.docx")
    result = expand_paths([tmp_path / ".secret.txt", tmp_path / "style.css", tmp_path / "a.docx"])
    assert rel(tmp_path, result.files) == [".secret.txt", "a.docx"]
    assert rel(tmp_path, result.unsupported) == ["style.css"]


def test_missing_path_is_a_problem(tmp_path):
    result = expand_paths([tmp_path / "不存在.docx"])
    assert result.problems == [WalkProblem(tmp_path / "不存在.docx", "not_found", f"找不到文件或文件夹：{tmp_path / '不存在.docx'}")]


def test_symlink_loops_end_and_files_come_once(tmp_path):
    touch(tmp_path, "docs/a.docx", "docs/sub/b.pdf")
    os.symlink(tmp_path / "docs", tmp_path / "docs/sub/back-to-top")   # a loop
    os.symlink(tmp_path / "docs/a.docx", tmp_path / "docs/sub/same-file.docx")
    os.symlink("self-loop", tmp_path / "docs/self-loop")                 # ELOOP
    os.symlink(tmp_path / "nowhere.docx", tmp_path / "docs/broken.docx")
    result = expand_paths([tmp_path / "docs", tmp_path / "docs/sub"])
    assert rel(tmp_path, result.files) == ["docs/a.docx", "docs/sub/b.pdf"]
    assert [(rel(tmp_path, [p.path])[0], p.code) for p in result.problems] == [
        ("docs/broken.docx", "broken_link"), ("docs/self-loop", "unreadable")]


def test_broken_symlink_argument(tmp_path):
    os.symlink(tmp_path / "nowhere.pdf", tmp_path / "link.pdf")
    assert [p.code for p in expand_paths([tmp_path / "link.pdf"]).problems] == ["broken_link"]


def test_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    assert [p.code for p in expand_paths([tmp_path / "pipe.txt"]).problems] == ["not_a_file"]
    assert rel(tmp_path, expand_paths([tmp_path]).ignored) == ["pipe.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_unreadable_directory_is_a_problem(tmp_path):
    touch(tmp_path, "locked/a.docx")
    (tmp_path / "locked").chmod(0)
    try:
        assert [p.code for p in expand_paths([tmp_path]).problems] == ["permission_denied"]
    finally:
        (tmp_path / "locked").chmod(0o755)


def test_prepubignore_leaves_out_what_it_names_below_its_folder(tmp_path):
    # A name matches at any depth below the folder; a pattern with "/" is relative to the folder.
    touch(tmp_path, "README.md", "a.docx", "sub/README.md", "sub/b.docx", "drafts/x.docx", "drafts/y.txt",
          "other/b.docx")
    (tmp_path / ".prepubignore").write_text("# 说明文件不是待发布的文件\nREADME.md\n\ndrafts/*.docx\n",
                                            encoding="utf-8")
    (tmp_path / "sub" / ".prepubignore").write_text("b.docx\n", encoding="utf-8")
    result = expand_paths([tmp_path])
    assert rel(tmp_path, result.files) == ["a.docx", "drafts/y.txt", "other/b.docx"]
    assert sorted(rel(tmp_path, result.ignored)) == [
        ".prepubignore", "README.md", "drafts/x.docx", "sub/.prepubignore", "sub/README.md", "sub/b.docx"]


def test_a_file_named_on_the_command_line_is_checked_even_if_ignored(tmp_path):
    touch(tmp_path, "README.md")
    (tmp_path / ".prepubignore").write_text("README.md\n", encoding="utf-8")
    assert rel(tmp_path, expand_paths([tmp_path / "README.md"]).files) == ["README.md"]


def test_files_named_by_content_are_reviewed_whatever_their_extension(tmp_path):
    touch(tmp_path, "plan.rtf", "notes.log", "a.docx", "sub/slides.pptx", "sub/run.log")
    result = expand_paths([tmp_path / "plan.rtf", tmp_path / "notes.log", tmp_path / "a.docx", tmp_path / "sub"],
                          named_by_content=True)
    assert rel(tmp_path, result.files) == ["plan.rtf", "notes.log", "a.docx", "sub/slides.pptx"]
    assert rel(tmp_path, result.unsupported) == ["sub/run.log"]       # a folder's files: by extension
