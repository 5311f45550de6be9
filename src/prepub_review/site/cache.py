"""`--cache DIR`: what was found in a file, kept so unchanged files are not read again.

An entry is keyed by the SHA-256 of the file's bytes and lives in a named section
(`results` for the checked document, `links` for a page's links; another per-run index, e.g. the
cross-document linkage, adds its own section beside them). `meta.json` says which prepub version and
code (a digest of its source: a fix between releases changes what is found), rules digest and
fingerprint key made the entries: when any differs, or meta is unreadable, the whole cache is
cleared and rebuilt with a warning -- never trusted.

The cache never holds a raw value: results are stored as reports show them (values and context
masked, fingerprints keyed), and a run that needs raw values (`--reveal`, `--audit`) does not read it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from prepub_review import __version__

CACHE_FORMAT = 2   # 2: context spans carry the variant; landlines shown as P3


@functools.cache
def code_digest() -> str:
    """SHA-256 of prepub's own source files (their paths and bytes, in order), read once per process
    (a cluster worker builds a Cache and then takes the client's context)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path, context: dict):
        self.directory = Path(directory)
        self._root = str(self.directory)
        self.context = {"format": CACHE_FORMAT, "prepub": __version__, "code": code_digest(), **context}

    def open(self) -> str | None:
        """Prepare the directory; returns a warning (Chinese) when an old or corrupt cache was cleared."""
        meta = self.directory / "meta.json"
        warning = None
        if meta.exists():
            try:
                found = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found = None
            if found != self.context:
                warning = (f"缓存 {self.directory} 已损坏，已清空重建" if found is None else
                           f"缓存 {self.directory} 由其他版本的 prepub 或其他规则生成，已清空重建")
                self._clear()
        self.directory.mkdir(parents=True, exist_ok=True)
        if not meta.exists():
            _write_atomic(meta, json.dumps(self.context, sort_keys=True))
        return warning

    def _clear(self) -> None:
        for child in self.directory.iterdir():
            if child.name == "meta.json" or (child.is_dir() and child.name.isidentifier()):
                shutil.rmtree(child) if child.is_dir() else child.unlink()

    def _entry(self, section: str, content_hash: str) -> Path:
        # os.path, not pathlib: a cached run of a large site does this for every file
        return Path(os.path.join(self._root, section, content_hash[:2], content_hash + ".json"))

    def has(self, section: str, content_hash: str) -> bool:
        return os.path.isfile(os.path.join(self._root, section, content_hash[:2], content_hash + ".json"))

    def get(self, section: str, content_hash: str) -> tuple[object | None, str | None]:
        """(data, warning): data None on a miss; a corrupt entry is a miss with a warning."""
        path = self._entry(section, content_hash)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, None
        except OSError as exc:
            return None, f"缓存条目无法读取，已重新审查：{path}（{exc.strerror}）"
        try:
            entry = json.loads(text)
            if entry["hash"] != content_hash:
                raise ValueError("hash")
            return entry["data"], None
        except (ValueError, KeyError, TypeError):
            return None, f"缓存条目已损坏，已重新审查并重建：{path}"

    def secret(self, name: str) -> bytes:
        """A random key kept in the cache folder (file mode 0600), created on first use: for keyed
        hashes that must match across runs of this cache and nowhere else."""
        from prepub_review.act.audit.build import ValueKey

        self.directory.mkdir(parents=True, exist_ok=True)
        return ValueKey.load_or_create(self.directory / f"{name}.key").key

    def put(self, section: str, content_hash: str, data: object) -> None:
        path = self._entry(section, content_hash)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, json.dumps({"hash": content_hash, "data": data}, ensure_ascii=False))


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
