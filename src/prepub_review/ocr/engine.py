"""The OCR engine: rapidocr-onnxruntime (PP-OCRv4 Chinese), built lazily once per process.

`recognise(image)` returns the text lines of a picture with their boxes in the picture's pixels.
Results are cached by the SHA-256 of the picture's pixels when a cache folder is configured
(`prepub check --cache DIR`), so an unchanged picture is never OCR'd twice.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from prepub_review.errors import ReadError

INSTALL_HINT = "安装 OCR 扩展后可自动识别图片中的文字：pip install 'prepub-review[ocr]'"
# Detection resizes the picture so its longer side is at most this (rapidocr's default scales the
# SHORTER side up to 736 px, which makes a wide table image 3-4x slower for no gain in accuracy).
DET_LONG_SIDE = 1600
MIN_TEXT_SCORE = 0.5          # rapidocr's own default: lines recognised with less confidence are dropped
ENGINE_ID = f"rapidocr-ppocrv4/det{DET_LONG_SIDE}"   # part of the cache key: other settings, other results


@dataclass(frozen=True, slots=True)
class OcrLine:
    """One recognised text line: `box` = (left, top, right, bottom) in the picture's pixels;
    `slope` = the line's baseline rise per pixel (a skewed scan or a tilted photo)."""

    text: str
    box: tuple[int, int, int, int]
    score: float
    slope: float = 0.0


@dataclass(slots=True)
class _Settings:
    cache_dir: Path | None = None
    threads: int = 0              # onnxruntime threads per process; 0 = all cores


_settings = _Settings()
_engine = None
_engine_lock = threading.Lock()
_recent: OrderedDict[bytes, list[OcrLine]] = OrderedDict()   # redact reads its output twice: OCR it once
RECENT_PICTURES = 16


def available() -> bool:
    """Whether the `[ocr]` extra is installed (checked without importing it: import is slow).
    PREPUB_OCR=0 in the environment makes prepub behave as if it were not (a quick first pass)."""
    if os.environ.get("PREPUB_OCR", "").strip().lower() in ("0", "off", "no", "false"):
        return False
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def configure(*, cache_dir: Path | None = None, threads: int = 0) -> None:
    """Process-wide OCR settings: the CLI calls this once (and each cluster worker, per task)."""
    global _engine
    if threads != _settings.threads:
        _engine = None
    _settings.cache_dir, _settings.threads = cache_dir, threads


def recognise(picture: Image.Image) -> list[OcrLine]:
    """The text lines of `picture` (top to bottom as the engine found them), cached by pixel hash."""
    rgb = picture.convert("RGB")
    digest = hashlib.sha256(f"{ENGINE_ID}|{rgb.width}x{rgb.height}|".encode() + rgb.tobytes()).digest()
    if digest in _recent:
        return list(_recent[digest])
    lines = _cached_or_run(rgb, digest)
    _recent[digest] = lines
    while len(_recent) > RECENT_PICTURES:
        _recent.popitem(last=False)
    return list(lines)


def _cached_or_run(rgb: Image.Image, digest: bytes) -> list[OcrLine]:
    from prepub_review.ocr import cache

    if _settings.cache_dir is not None:
        hit = cache.load(_settings.cache_dir, digest)
        if hit is not None:
            return [OcrLine(text, tuple(box), score, slope) for text, box, score, slope in hit]
    lines = _run(rgb)
    if _settings.cache_dir is not None:
        cache.store(_settings.cache_dir, digest, [[ln.text, list(ln.box), ln.score, ln.slope] for ln in lines])
    return lines


def _run(rgb: Image.Image) -> list[OcrLine]:
    engine = _get_engine()
    try:
        found, _elapsed = engine(rgb)
    except Exception as exc:   # onnxruntime/opencv failures on a hostile picture
        raise ReadError(f"图片文字识别失败（{type(exc).__name__}: {exc}），图片内容未能审查", code="ocr_failed") from exc
    lines = []
    for points, text, score in found or []:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        text = text.strip()
        if text and score >= MIN_TEXT_SCORE:
            (x0, y0), (x1, y1) = points[0], points[1]         # top-left, top-right corners
            slope = (y1 - y0) / (x1 - x0) if x1 - x0 > 0 else 0.0
            lines.append(OcrLine(text, (int(min(xs)), int(min(ys)), int(max(xs) + 0.5), int(max(ys) + 0.5)),
                                 round(float(score), 3), round(float(slope), 4)))
    return lines


def _get_engine():
    global _engine
    with _engine_lock:
        if _engine is None:
            if not available():
                raise ReadError(f"未安装 OCR 扩展。{INSTALL_HINT}", code="ocr_unavailable")
            try:
                from rapidocr_onnxruntime import RapidOCR   # models load from the installed package

                threads = _settings.threads or -1
                # PREPUB_OCR_DET=default: rapidocr's own detection size (benchmarks/ocr.py's baseline)
                size = {} if os.environ.get("PREPUB_OCR_DET") == "default" else \
                    {"det_limit_type": "max", "det_limit_side_len": DET_LONG_SIDE}
                _engine = RapidOCR(**size, intra_op_num_threads=threads, inter_op_num_threads=1,
                                   print_verbose=False)
            except (ImportError, OSError, RuntimeError) as exc:   # e.g. opencv without libGL
                raise ReadError(f"OCR 扩展已安装但无法加载（{type(exc).__name__}: {exc}），图片内容未能审查。"
                                "如缺少 libGL，请安装：apt-get install libgl1 libglib2.0-0", code="ocr_unavailable") from exc
        return _engine
