"""Redaction: write a de-identified, format-preserving copy of a document (`prepub redact`).

redactor.py orchestrates: open the document once for editing (formats/) -> check it (detect,
decide) -> plan (profiles.py chooses an action per finding, operators.py computes the
replacement) -> the format's writer cleans and edits the open document -> save -> verify the
output with the same checker -> atomic rename.
"""
