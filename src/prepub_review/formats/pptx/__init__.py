"""PowerPoint presentations (.pptx/.ppsx): reader.py reads every slide, its notes and comments;
writer.py edits the same open package (through ooxml/editable.py's shared edits)."""
