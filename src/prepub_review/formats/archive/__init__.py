"""ZIP archives: reader.py reads every file inside as a file of its own. No writer: `prepub redact`
refuses an archive (unpack it, redact each file, pack it again)."""
