"""Pictures (.jpg/.png/.bmp/.tif/.webp/.gif): reader.py reads them by OCR (prepub_review.ocr); writer.py
paints over values; pixels.py paints and strips metadata for every format that writes pictures."""
