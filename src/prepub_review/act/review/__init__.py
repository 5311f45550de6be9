"""`prepub review`: a reviewer (保密审查人) decides on every finding of one draft.

    session.py         the items to decide (with the profile's proposal), the decisions, navigation,
                       the summary and the suggested conclusion — pure logic, no terminal
    keys.py            reading single keys: the real terminal (cbreak mode) or a script (tests)
    screen.py          what the reviewer sees (rich): an item, the help, the summary table
    interactive.py     the key loop: a KeyReader and a Screen drive a Session
    decisions_file.py  --decisions FILE: the same decisions from YAML/JSON, for scripts
    finish.py          the 保密审查记录 of a session (audit record of kind "review")

cli/review.py wires them: check the draft, preview the Redactor's plan (dry run) for the proposals,
decide, conclude, write the redacted copy through the same Redactor with the decisions as
overrides (verified like `prepub redact`), append the record.
"""
