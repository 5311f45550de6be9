"""Legacy binary documents (.doc, .wps, .xls, .et, .ppt, .pps, .dps) and OpenDocument (.odt, .ods,
.odp): convert with LibreOffice, then read.

Older offices still publish Word 97-2003 files, and WPS Office saves .wps/.et in the
same binary formats; LibreOffice on a 信创 desktop saves .odt/.ods by default. LibreOffice
converts them to .docx/.xlsx, which the OOXML readers
handle; every location then starts with "(由 .doc 转换) " so the reader of a report
knows the place refers to the converted copy.

`convert_legacy` is public so that the redactor can convert a file the same way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from prepub_review.errors import ReadError
from prepub_review.formats.base import Limits, ReaderItem
from prepub_review.formats.sniff import sniff

# sniffed format -> (conversion target, suffix LibreOffice should see, Debian package to install)
CONVERSIONS = {
    "doc": ("docx", ".doc", "libreoffice-writer-nogui"),
    "works": ("docx", ".wps", "libreoffice-writer-nogui"),
    "xls": ("xlsx", ".xls", "libreoffice-calc-nogui"),
    "odt": ("docx", ".odt", "libreoffice-writer-nogui"),
    "ods": ("xlsx", ".ods", "libreoffice-calc-nogui"),
    "ppt": ("pptx", ".ppt", "libreoffice-impress-nogui"),
    "odp": ("pptx", ".odp", "libreoffice-impress-nogui"),
    "fodt": ("docx", ".fodt", "libreoffice-writer-nogui"),
    "fods": ("xlsx", ".fods", "libreoffice-calc-nogui"),
    "fodp": ("pptx", ".fodp", "libreoffice-impress-nogui"),
}
KIND_BY_EXTENSION = {
    ".doc": "旧版 Word 文档(.doc)", ".wps": "WPS 文字文档(.wps)",
    ".xls": "旧版 Excel 表格(.xls)", ".et": "WPS 表格(.et)",
    ".odt": "OpenDocument 文本(.odt)", ".ods": "OpenDocument 表格(.ods)",
    ".ppt": "旧版 PowerPoint 演示文稿(.ppt)", ".pps": "旧版 PowerPoint 放映文件(.pps)", ".dps": "WPS 演示文稿(.dps)",
    ".odp": "OpenDocument 演示文稿(.odp)",
    ".fodt": "OpenDocument 平面 XML 文本(.fodt)", ".fods": "OpenDocument 平面 XML 表格(.fods)",
    ".fodp": "OpenDocument 平面 XML 演示文稿(.fodp)",
}
KIND_BY_FORMAT = {"doc": "旧版 Word 文档(.doc)", "works": "Works 文档(.wps)", "xls": "旧版 Excel 表格(.xls)",
                  "odt": "OpenDocument 文本(.odt)", "ods": "OpenDocument 表格(.ods)",
                  "ppt": "旧版 PowerPoint 演示文稿(.ppt)", "odp": "OpenDocument 演示文稿(.odp)",
                  "fodt": "OpenDocument 平面 XML 文本(.fodt)", "fods": "OpenDocument 平面 XML 表格(.fods)",
                  "fodp": "OpenDocument 平面 XML 演示文稿(.fodp)"}
TARGET_NAMES = {"docx": ".docx", "xlsx": ".xlsx", "pptx": ".pptx"}
OUTPUT_TAIL_CHARS = 300


def read(path: Path, limits: Limits, *, source_format: str | None = None) -> Iterator[ReaderItem]:
    """Segments of a legacy document, read from a temporary .docx/.xlsx conversion."""
    source_format = source_format or sniff(path)
    target = _conversion(source_format)[0]
    reader = importlib.import_module(f"prepub_review.formats.{target}.reader").read
    prefix = converted_prefix(path)
    with converted_copy(path, target, limits, source_format=source_format) as converted:
        for item in reader(converted, limits):
            yield dataclasses.replace(item, location=prefix + item.location)


def converted_prefix(path: Path) -> str:
    """What every location of a converted document starts with: "(由 .doc 转换) "."""
    return f"(由 {path.suffix.lower() or '旧版文档'} 转换) "


@contextlib.contextmanager
def converted_copy(path: Path, target_ext: str, limits: Limits, *,
                   source_format: str | None = None) -> Iterator[Path]:
    """A converted copy of `path` that is deleted when the block ends."""
    converted = convert_legacy(path, target_ext, limits, source_format=source_format)
    try:
        yield converted
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)


SOFFICE_VARIABLE = "PREPUB_SOFFICE"


def find_soffice(environ: dict | None = None, windows: bool | None = None) -> str | None:
    """LibreOffice's soffice: $PREPUB_SOFFICE, else on PATH, else where installers put it
    (Windows: Program Files; Linux: the distribution's, LibreOffice's own /opt packages, snap, flatpak)."""
    environ = os.environ if environ is None else environ
    explicit = environ.get(SOFFICE_VARIABLE, "").strip().strip('"')
    if explicit:
        return explicit if Path(explicit).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    windows = os.name == "nt" if windows is None else windows
    return next((c for c in soffice_install_locations(environ, windows) if Path(c).is_file()), None)


def soffice_install_locations(environ: dict, windows: bool) -> list[str]:
    if windows:
        from pathlib import PureWindowsPath

        roots = [environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        return [str(PureWindowsPath(root, "LibreOffice", "program", "soffice.exe"))
                for root in dict.fromkeys(filter(None, roots))]
    import glob

    home = Path(environ.get("HOME") or Path.home())
    return [
        "/usr/lib/libreoffice/program/soffice", "/usr/lib64/libreoffice/program/soffice",
        *sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True),   # newest version first
        "/snap/bin/libreoffice",
        "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
        str(home / ".local/share/flatpak/exports/bin/org.libreoffice.LibreOffice"),
    ]


def convert_legacy(path: Path, target_ext: str, limits: Limits, *, source_format: str | None = None) -> Path:
    """Convert `path` to `target_ext` ("docx"/"xlsx") with LibreOffice.

    The result is the only file in a new temporary directory; the caller removes it
    with `shutil.rmtree(result.parent)` (or uses `converted_copy`).
    """
    target = target_ext.lstrip(".").lower()
    if target not in TARGET_NAMES:
        raise ValueError(f"unsupported conversion target: {target_ext}")
    source_format = source_format or sniff(path)
    _target, source_suffix, package = _conversion(source_format)
    kind = KIND_BY_EXTENSION.get(path.suffix.lower(), KIND_BY_FORMAT[source_format])
    soffice = find_soffice()
    if soffice is None:
        save_as = TARGET_NAMES[target]
        raise ReadError(f"这是{kind}，需要 LibreOffice 才能审查。请安装：apt-get install {package}"
                        f"（或另存为 {save_as} 后再审查）", code="legacy_needs_libreoffice")
    workdir = Path(tempfile.mkdtemp(prefix="prepub-convert-"))
    try:
        result = _run_conversion(soffice, path, workdir, source_suffix, target, kind, limits)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return result


def _conversion(source_format: str) -> tuple[str, str, str]:
    try:
        return CONVERSIONS[source_format]
    except KeyError:
        raise ReadError(f"此文件不是旧版 Word/Excel 文档（检测为 {source_format}），无需转换",
                        code="not_legacy") from None


def _run_conversion(soffice: str, path: Path, workdir: Path, source_suffix: str, target: str, kind: str,
                    limits: Limits) -> Path:
    # A plain ASCII name with the right suffix: LibreOffice picks its import filter by it,
    # and a .wps that is really a Word 97 file must be opened as .doc.
    source = workdir / f"source{source_suffix}"
    shutil.copyfile(path, source)
    outdir = workdir / "out"
    command = [
        soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
        f"-env:UserInstallation={(workdir / 'profile').as_uri()}",  # private profile: no clash with a user's LibreOffice
        "--convert-to", target, "--outdir", str(outdir), str(source),
    ]
    env = {**os.environ, "HOME": str(workdir / "home")}   # keeps ~/.cache and ~/.config out of the user's home
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env=env, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=limits.libreoffice_timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise ReadError(f"LibreOffice 转换{kind}超时（超过 {limits.libreoffice_timeout_s} 秒），未能审查。"
                        "文件可能过大或已损坏；可用 Word/WPS 另存为新格式后再审查",
                        code="legacy_conversion_timeout") from None
    finally:
        _kill_group(process)   # LibreOffice may leave helper processes behind
    converted = outdir / f"source.{target}"
    if process.returncode != 0 or not converted.is_file() or converted.stat().st_size == 0:
        tail = output.decode("utf-8", errors="replace").strip()[-OUTPUT_TAIL_CHARS:]
        raise ReadError(f"LibreOffice 无法转换此{kind}（可能已损坏或受密码保护），未能审查。"
                        f"可用 Word/WPS 打开后另存为 {TARGET_NAMES[target]} 再审查。转换输出：{tail or '无'}",
                        code="legacy_conversion_failed")
    result = workdir / f"converted.{target}"
    converted.rename(result)
    for leftover in workdir.iterdir():   # the copy of the source, the profile, the home folder
        if leftover == result:
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return result


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)
