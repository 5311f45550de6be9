"""OFD (GB/T 33190, 版式文件): reader.py reads the text, annotations and pictures of every page.
No writer yet: `prepub redact` refuses an OFD with a clear message."""
