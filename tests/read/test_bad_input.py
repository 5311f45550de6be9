"""Hostile and broken input through read_document: each case gives its own code, in bounded time."""

from __future__ import annotations

import builtins
import os
import time
import zipfile

import pytest

from prepub_review.errors import ReadError
from prepub_review.formats.document import read_document
from prepub_review.formats.base import Limits
from prepub_review.formats.walk import expand_paths
from tests.read.make_files import LEGACY, PERSON_ID, content, docx_bytes, encrypted_docx_bytes, write

SECONDS = 10   # generous bound: every bad file must be refused quickly


def refuse(path, limits: Limits | None = None) -> ReadError:
    """The ReadError reading `path` gives, whether at once or while iterating."""
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        _fmt, items = read_document(path, limits or Limits())
        list(items)
    assert time.monotonic() - started < SECONDS
    return caught.value


def test_empty_file(tmp_path):
    error = refuse(write(tmp_path, "a.docx", b""))
    assert (error.code, error.message) == ("empty", "文件为空（0 字节），无法审查")


def test_truncated_zip(tmp_path):
    data = docx_bytes()
    assert refuse(write(tmp_path, "a.docx", data[: len(data) * 2 // 3])).code == "corrupt_zip"


def test_password_protected_docx(tmp_path):
    error = refuse(write(tmp_path, "a.docx", encrypted_docx_bytes()))
    assert error.code == "encrypted" and "密码" in error.message


def test_zip_bomb(tmp_path):
    pytest.importorskip("prepub_review.formats.docx.reader")
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with zipfile.ZipFile(_docx_file(tmp_path)) as source:
            for info in source.infolist():
                if info.filename != "word/document.xml":
                    archive.writestr(info, source.read(info))
        padding = " " * (64 * 1024 * 1024)   # 64 MiB of spaces deflates about 1000:1
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="x">' + padding
                         + "</w:document>")
    assert path.stat().st_size < 1024 * 1024
    assert refuse(path).code == "zip_bomb"


def _docx_file(tmp_path):
    return write(tmp_path, "plain.docx", docx_bytes())


def test_binary_junk_named_docx(tmp_path):
    junk = bytes((i * 131 + 7) % 256 for i in range(8192))
    error = refuse(write(tmp_path, "公示.docx", junk))
    assert error.code == "unknown_format"
    assert error.message.startswith("文件扩展名为 .docx，但内容不是 Word 文档")


def test_permission_denied_on_open(tmp_path, monkeypatch):
    path = write(tmp_path, "a.txt", "民政局")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if os.fspath(file) == os.fspath(path):
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    error = refuse(path)
    assert error.code == "permission_denied"
    assert error.message.startswith("没有读取权限")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_for_real(tmp_path):
    path = write(tmp_path, "a.txt", "民政局")
    path.chmod(0)
    try:
        assert refuse(path).code == "permission_denied"
    finally:
        path.chmod(0o644)


def test_too_large_names_the_limit_and_the_option(tmp_path):
    error = refuse(write(tmp_path, "a.txt", "民政局" * 1000), Limits(max_file_bytes=1024))
    assert error.code == "too_large"
    assert "--max-size" in error.message


def test_directory_with_a_symlink_loop(tmp_path):
    (tmp_path / "d").mkdir()
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    os.symlink("self", tmp_path / "d" / "self")
    write(tmp_path / "d", "a.txt", "民政局")
    started = time.monotonic()
    result = expand_paths([tmp_path / "d"])
    assert time.monotonic() - started < SECONDS
    assert [path.name for path in result.files] == ["a.txt"]
    assert refuse(tmp_path / "d" / "self").code == "io_error"
    assert refuse(tmp_path / "d").code == "not_a_file"


def test_html_named_txt(tmp_path):
    fmt, items = read_document(write(tmp_path, "a.txt", "<html><body><p>民政局</p></body></html>"), Limits())
    assert fmt == "html"
    assert [s.text for s in content(items)] == ["民政局"]


def test_docx_renamed_doc_is_read_as_docx(tmp_path):
    pytest.importorskip("prepub_review.formats.docx.reader")
    fmt, items = read_document(write(tmp_path, "a.doc", docx_bytes()), Limits())
    assert fmt == "docx"
    assert any(PERSON_ID in s.text for s in items)


def test_missing_file(tmp_path):
    assert refuse(tmp_path / "nothing.pdf").code == "not_found"


def test_unexpected_reader_failure_is_reported_not_hidden(tmp_path, monkeypatch):
    from prepub_review.formats.html import reader as html

    def broken(path, limits):
        yield from ()
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(html, "read", broken)
    error = refuse(write(tmp_path, "a.html", "<html><body>x</body></html>"))
    assert error.code == "reader_failed"
    assert "ZeroDivisionError" in error.message
    assert isinstance(error.__cause__, ZeroDivisionError)


def test_missing_reader_module(tmp_path, monkeypatch):
    from prepub_review.formats import registry

    spec = registry.FORMATS["html"]
    monkeypatch.setitem(registry.FORMATS, "html", registry.FormatSpec("html", "no_such_reader", spec.kind_zh,
                                                                     spec.extensions, spec.writable))
    assert refuse(write(tmp_path, "a.html", "<html></html>")).code == "reader_unavailable"


def test_html_nested_too_deep_is_not_silently_cut(tmp_path):
    deep = "<html><body>" + "<div>" * 3000 + "赵小梅" + "</div>" * 3000 + "</body></html>"
    assert refuse(write(tmp_path, "a.html", deep)).code == "corrupt_html"


def test_html_nested_deep_but_parseable_keeps_its_text(tmp_path):
    deep = "<html><body>" + "<div>" * 1000 + "赵小梅" + "</div>" * 1000 + "<p>后文</p></body></html>"
    _fmt, items = read_document(write(tmp_path, "a.html", deep), Limits())
    assert [s.text for s in content(items)] == ["赵小梅", "后文"]


@pytest.mark.parametrize("keep_bytes", [600, 9000])
def test_truncated_legacy_container(tmp_path, keep_bytes):
    data = (LEGACY / "recipients.doc").read_bytes()[:keep_bytes]
    assert refuse(write(tmp_path, "a.doc", data)).code == "corrupt_ole"
