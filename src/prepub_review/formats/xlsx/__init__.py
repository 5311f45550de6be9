"""Excel .xlsx/.xlsm: reader.py walks the SpreadsheetML; writer.py edits cells in place."""
