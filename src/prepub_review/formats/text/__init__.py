"""Plain text, Markdown and CSV: reader.py decodes and splits lines/cells; writer.py edits lines."""
