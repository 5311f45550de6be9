"""Reading text that exists only as pixels: scanned pages, photos, pasted screenshots.

Optional and offline. `pip install 'prepub-review[ocr]'` adds rapidocr-onnxruntime, whose wheel
ships the PP-OCRv4 Chinese detection/recognition models as ONNX files; they are loaded from the
installed package, nothing is downloaded. Without the extra every picture that would need OCR is
reported as UNVERIFIED_CONTENT (`needs_ocr`, review) with the command that installs it.

    engine.py    the OCR engine (lazy, one per process) and the result cache hook
    cache.py     OCR results by image hash under `--cache DIR`, encrypted with a key only the
                 image itself gives (see cache.py)
    layout.py    OCR'd lines -> rows and columns, so a photographed table reads like a table
    picture.py   one picture -> Segments / Notices, for every format reader (image files, scanned
                 PDF pages, images inside .docx/.xlsx/.html)
"""

from __future__ import annotations

from prepub_review.ocr.engine import INSTALL_HINT, OcrLine, available, configure, recognise

__all__ = ["INSTALL_HINT", "OcrLine", "available", "configure", "recognise"]
