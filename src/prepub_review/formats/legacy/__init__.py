"""Legacy .doc/.wps/.xls/.et and OpenDocument .odt/.ods: converted once by LibreOffice, then handled
as .docx/.xlsx."""
