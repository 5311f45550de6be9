"""Formats: one package per file format, each holding its reader and its writer.

    registry.py   the one format registry (name, package, Chinese kind, extensions, writable)
    document.py   the input checks (size, permissions, encryption) and opening a document
    sniff.py      the real format from the content
    base.py       Limits and the reader item types;  edits.py  Edit / Cleaning (what a writer applies)
    tables.py     the one table-header detector (docx, xlsx, html, csv, pdf tables)
    ooxml/        the safe zip + XML package shared by docx and xlsx (read-only and editable)
    docx/ xlsx/ html/ pdf/ text/ (txt, md, csv)  legacy/ (.doc/.xls/.wps/.et/.odt/.ods via LibreOffice)
"""
