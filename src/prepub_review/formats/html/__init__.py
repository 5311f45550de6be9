"""HTML pages: reader.py walks the parsed page; writer.py edits its text nodes and attributes."""
