"""PDF: reader.py reads the text layer with pdfium (fonts.py: its substitute system fonts, loaded once
per process); writer.py removes text with PyMuPDF."""
