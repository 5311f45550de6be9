"""PDF: reader.py reads the text layer with pdfium; writer.py removes text with PyMuPDF."""
