"""prepub: pre-publication privacy and confidentiality review for 政府信息公开.

The path of a document: read (format readers -> text segments with locations)
-> detect (recognizers on raw text; prepub_review.presidio wraps them for presidio) -> decide (policy from rules/) -> act (report).
"""

__version__ = "0.1.0"
