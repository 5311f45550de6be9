"""OCR results cached under `--cache DIR/ocr/`, one file per picture.

The text of a picture of a recipient list is personal data, and a cache must not become a second
copy of it. Each entry is therefore encrypted with a key derived from the picture's own pixels
(SHA-256 of them, see engine.recognise): whoever holds the picture can read its entry -- they can
see the picture anyway -- while the cache folder alone reveals nothing. The file name is a second,
different hash of the pixels, so it does not give the key away. Cipher: a SHAKE-256 key stream
(each key encrypts exactly one message) and an HMAC-SHA256 tag; stdlib only.

A damaged or unreadable entry is treated as a miss and OCR runs again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from pathlib import Path

SUBDIR = "ocr"
TAG_BYTES = 32


def load(cache_dir: Path, digest: bytes) -> list | None:
    path, key = _place(cache_dir, digest)
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    tag, body = blob[:TAG_BYTES], blob[TAG_BYTES:]
    if not hmac.compare_digest(tag, hmac.new(key, body, hashlib.sha256).digest()):
        return None
    try:
        return json.loads(_xor(key, body).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def store(cache_dir: Path, digest: bytes, value: list) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    path, key = _place(cache_dir, digest)
    body = _xor(key, json.dumps(value, ensure_ascii=False).encode("utf-8"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(hmac.new(key, body, hashlib.sha256).digest() + body)
        os.replace(temp, path)
    except OSError:
        pass


def _place(cache_dir: Path, digest: bytes) -> tuple[Path, bytes]:
    name = hashlib.sha256(b"prepub-ocr-name|" + digest).hexdigest()
    key = hashlib.sha256(b"prepub-ocr-key|" + digest).digest()
    return Path(cache_dir) / SUBDIR / name[:2] / name, key


def _xor(key: bytes, data: bytes) -> bytes:
    stream = hashlib.shake_256(key).digest(len(data))
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")
