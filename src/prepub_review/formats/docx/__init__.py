"""Word .docx/.docm: reader.py walks the WordprocessingML; writer.py edits it in place."""
