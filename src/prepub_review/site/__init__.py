"""The site gate: a disclosure website checked as one publication.

    links.py      local links of HTML pages (href/src) → attachments, broken and outside links
    approvals.py  the approvals file that travels with the site (已审批保留 / 历史遗留待整改)
    cache.py      per-file results keyed by the file's bytes, the rules and the prepub version
    runner.py     checks files in order, in parallel (--jobs), through the cache
    gate.py       one `prepub check` run: plan the files, run them, annotate, hand each to the reports
"""
