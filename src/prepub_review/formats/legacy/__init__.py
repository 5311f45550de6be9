"""Legacy .doc/.wps/.xls/.et: converted once by LibreOffice, then handled as .docx/.xlsx."""
