"""Redaction: write a de-identified, format-preserving copy of a document (`prepub redact`).

redactor.py orchestrates: read with anchors -> detect -> decide -> plan (profiles.py chooses an
action per finding, operators.py computes the replacement) -> format writer (docx.py, xlsx.py,
html.py, text.py) -> verify the output with the same checker -> atomic rename.
"""
