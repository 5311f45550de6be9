"""Office Open XML packages (shared by docx and xlsx): package.py reads safely, editable.py writes."""
