"""`--format json` written as documents arrive: the same object as a whole report would be
(stable keys, see README; one line, like json.dumps without indentation), plus site mode's keys,
without holding every document in memory.

A finding is written straight to JSON text (`finding_text`) rather than built as a dict and dumped:
a report holds tens of thousands of findings, and the dict and its encoding cost several times more
than the text. tests/site/test_json_text.py holds the finding's JSON as a dict and checks that
json.dumps of it gives the same bytes.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from json.encoder import encode_basestring as _string   # what json.dumps(ensure_ascii=False) uses
from typing import TextIO

from prepub_review import __version__
from prepub_review.act.present import Presenter
from prepub_review.act.report_json import FORMAT_VERSION, document_json
from prepub_review.act.report_site import approval_json, site_doc_extras, stale_json
from prepub_review.models import Finding, Locator
from prepub_review.site.approvals import Approval
from prepub_review.site.gate import RunSummary, SiteDocument


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _scalar(value) -> str:
    """_dumps(value) for a str, None, bool, int or finite float, without the encoder's set-up."""
    kind = type(value)
    if kind is str:
        return _string(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return _dumps(value)   # bool, NaN, a subclass: as json writes it


class _Remembered(dict):
    """JSON text of values that repeat from finding to finding (a rule's texts, entity names, column
    headers, small numbers), encoded once each. Bounded: emptied when full."""

    __slots__ = ("encode",)
    LIMIT = 1 << 16

    def __init__(self, encode):
        super().__init__()
        self.encode = encode

    def __missing__(self, key):
        if len(self) >= self.LIMIT:
            self.clear()
        text = self[key] = self.encode(key)
        return text


def _rule_text(key: tuple) -> str:
    rule_id, variant, label, reason, zone = key
    return (f'"rule_id": {_scalar(rule_id)}, "variant": {_scalar(variant)}, "label": {_scalar(label)}, '
            f'"reason": {_scalar(reason)}, "zone": {_scalar(zone)}')


# Keyed by exact type (1, 1.0 and True are one dict key but three JSON texts): str, int, float.
_STRINGS, _INTS, _FLOATS = _Remembered(_string), _Remembered(int.__repr__), _Remembered(_scalar)
_RULES = _Remembered(_rule_text)   # (rule_id, variant, label, reason, zone value) -> those five keys


def _repeating(value) -> str:
    """_scalar(value), from the _Remembered table of its type when it has one."""
    kind = type(value)
    if kind is str:
        return _STRINGS[value]
    if kind is int:
        return _INTS[value]
    if kind is float:
        return _FLOATS[value]
    return _scalar(value)


def finding_text(finding: Finding, approval: Approval | None, presenter: Presenter) -> str:
    """A finding's JSON (see README for the keys), written directly: "masked" is followed by the
    linkage keys, if any, then fingerprint, locator and approval. Fields typed `str` are encoded as
    strings; repeating values come from the `_Remembered` tables. (An f-string: `%` formatting parses
    its template on every call and costs half again as much.)"""
    attrs, field, record = finding.attrs, finding.field, finding.record
    linked = "" if "linked" not in attrs else (
        f', "linked": {_dumps(attrs["linked"])}, "revealed": {_dumps(attrs["revealed"])}')
    # A Severity or Zone is a str whose _value_ is the same text as a plain str (cheap to hash).
    rule = _RULES[finding.rule_id, finding.variant, finding.label, finding.reason, finding.zone._value_]
    return (f'{{"entity": {_STRINGS[finding.entity]}, "text": {_string(presenter.value(finding))}, '
            f'"severity": {_STRINGS[finding.severity._value_]}, "location": {_string(finding.location)}, '
            f'"score": {_repeating(finding.score)}, {rule}, "field": {"null" if field is None else _STRINGS[field]}, '
            f'"record": {"null" if record is None else _string(record)}, '
            f'"context": {_string(presenter.context(finding))}, "start": {_repeating(finding.start)}, '
            f'"end": {_repeating(finding.end)}, '
            f'"recognizer": {_STRINGS[finding.recognizer]}, "masked": {"false" if presenter.reveal else "true"}'
            f'{linked}, "fingerprint": {_string(finding.fingerprint)}, "locator": {locator_json(finding.locator)}, '
            f'"approval": {"null" if approval is None else _dumps(approval_json(approval))}}}')


def locator_json(locator: Locator | None) -> str:
    if locator is None:
        return "null"
    path = ", ".join([_repeating(item) for item in locator.path])
    return (f'{{"part": {_STRINGS[locator.part]}, "path": [{path}], "line": {_repeating(locator.line)}, '
            f'"column": {_repeating(locator.column)}}}')


def _object_text(data: dict, written: dict[str, str]) -> str:
    """`_dumps(data)`, except that the value of each key in `written` is the JSON text given there."""
    return "{" + ", ".join(f"{_string(key)}: {written[key] if key in written else _dumps(value)}"
                           for key, value in data.items()) + "}"


class JsonReporter:
    def __init__(self, stream: TextIO, presenter: Presenter):
        self.stream, self.presenter = stream, presenter
        self.count = 0
        self.stream.write('{"version": %d, "tool": %s, "documents": [' % (
            FORMAT_VERSION, _dumps({"name": "prepub", "version": __version__})))

    def document(self, site_doc: SiteDocument) -> None:
        approvals, presenter = site_doc.approvals, self.presenter
        findings = [finding_text(f, approvals.get(i), presenter) for i, f in enumerate(site_doc.doc.findings)]
        data = document_json(site_doc.doc, [])
        data.update(site_doc_extras(site_doc))
        self.stream.write((", " if self.count else "") +
                          _object_text(data, {"findings": "[" + ", ".join(findings) + "]"}))
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
