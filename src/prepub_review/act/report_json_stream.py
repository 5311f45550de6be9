"""`--format json` written as documents arrive: the same object as a whole report would be
(stable keys, see README; one line, like json.dumps without indentation), plus site mode's keys,
without holding every document in memory."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from prepub_review import __version__
from prepub_review.act.present import Presenter
from prepub_review.act.report_json import FORMAT_VERSION, document_json
from prepub_review.act.report_site import finding_data, site_doc_extras, stale_json
from prepub_review.site.gate import RunSummary, SiteDocument



def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


class JsonReporter:
    def __init__(self, stream: TextIO, presenter: Presenter):
        self.stream, self.presenter = stream, presenter
        self.count = 0
        self.stream.write('{"version": %d, "tool": %s, "documents": [' % (
            FORMAT_VERSION, _dumps({"name": "prepub", "version": __version__})))

    def document(self, site_doc: SiteDocument) -> None:
        approvals = site_doc.approvals
        data = document_json(site_doc.doc, [finding_data(f, approvals.get(i), self.presenter)
                                            for i, f in enumerate(site_doc.doc.findings)])
        data.update(site_doc_extras(site_doc))
        self.stream.write((", " if self.count else "") + _dumps(data))
        self.count += 1

    def finish(self, summary: RunSummary) -> None:
        verdicts = Counter({v.value: n for v, n in summary.verdicts.items()})
        tail = {
            "skipped": summary.skipped,
            "summary": {"documents": summary.documents,
                        **{v: verdicts[v] for v in ("pass", "review", "block", "error")},
                        "approved": summary.approved, "legacy": len(summary.legacy), "stale": len(summary.stale)},
            "site": {
                "pages": [{"path": page, "verdict": overall.value,
                           "attachments": [{"path": a, "verdict": v.value} for a, v in attachments]}
                          for page, overall, attachments in summary.pages],
                "orphans": summary.orphans,
                "leaving_links": [{"page": page, "href": link.href, "line": link.line, "kind": link.kind}
                                  for page, link in summary.external],
            },
            "approvals": {"stale": stale_json(summary)},
        }
        if summary.linkage is not None:
            from prepub_review.act.report_linkage import linkage_json

            tail.update(linkage_json(summary.linkage, self.presenter))
        self.stream.write("]")
        for key, value in tail.items():
            self.stream.write(f', "{key}": ' + _dumps(value))
        self.stream.write("}\n")
