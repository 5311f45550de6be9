"""ORGANISATION: the name of an organisation standing as a whole cell or field value.

Variant (rules/policy/ORGANISATION.yaml):
  name   "杭州恒信科技有限公司" as a table cell, a field value ("申请人：…有限公司") or a
         space-separated cell of a PDF table row

The finding itself is info: a company's name is public. It exists to tell the decide stage that
its record (table row, line) belongs to an organisation, so the contact data in that record (the
company's 联系电话, e-mail, address) is not personal data (policy `organisation: true` /
`with_organisation`). Only whole cells count: a name mentioned in a sentence says nothing about
the record. One Aho-Corasick pass over the name endings (rules/organisation.yaml); names of
个体工商户 ("张三便利店"), banks, schools and care homes are left out on purpose (a holder who
may be a private person; a recipient's bank, school or care home in a recipient's row), and so
is a name under a person's affiliation label ("工作单位：…有限公司").
"""

from __future__ import annotations

from collections.abc import Iterator

from prepub_review.detect.base import Candidate, PrepubRecognizer
from prepub_review.detect.context import Lexicon, is_cjk, line_start, normalize_width
from prepub_review.rules_loader import RulesSource, check_type, string_list

RULES_FILE = "organisation.yaml"
_NAME_CHARS = frozenset("()·")          # "杭州恒信科技有限公司(西湖分公司)" after width folding
_CELL_START = frozenset(" \t:")          # before the name: a field separator or a PDF cell gap
_CELL_END = frozenset(" \t")             # after the name: the end of the cell


class OrganisationRecognizer(PrepubRecognizer):
    ENTITY = "ORGANISATION"
    VARIANTS = ("name",)

    def __init__(self, rules: RulesSource | None = None, **kwargs):
        super().__init__(**kwargs)
        data = (rules or RulesSource()).mapping(RULES_FILE, {"suffixes", "affiliation_labels", "min_name_chars", "max_name_chars"})
        self.suffixes = Lexicon(string_list(data, "suffixes"))
        self.affiliation_labels = tuple(string_list(data, "affiliation_labels", []))
        self.min_name_chars = check_type(data, "min_name_chars", int) if "min_name_chars" in data else 2
        self.max_name_chars = check_type(data, "max_name_chars", int) if "max_name_chars" in data else 40

    def find(self, text: str) -> Iterator[Candidate]:
        norm = normalize_width(text)
        last_end = -1
        for _, end, suffix, _ in self.suffixes.longest(norm):
            if end < len(norm) and norm[end] == ")":
                end += 1   # "…有限公司（西湖分公司）"
            if end <= last_end or (end < len(norm) and norm[end] not in _CELL_END and norm[end] != "\n"):
                continue   # the name must end its cell
            start = self._name_start(norm, end)
            if start is None or end - start - len(suffix) < self.min_name_chars:
                continue
            if self._under_affiliation_label(norm, start):
                continue   # "工作单位：…有限公司": a person's employer, the row is still the person's
            last_end = end
            yield Candidate(start, end, "name", 0.6, {"suffix": suffix})

    def _under_affiliation_label(self, norm: str, start: int) -> bool:
        if start == 0 or norm[start - 1] != ":":
            return False
        label = norm[line_start(norm, start):start - 1].rstrip(" \t")
        return bool(self.affiliation_labels) and label.endswith(self.affiliation_labels)

    def _name_start(self, norm: str, end: int) -> int | None:
        """Where the name begins: the start of its cell, within max_name_chars; None if the
        characters before it are not a cell boundary (the name is part of a sentence)."""
        floor = max(line_start(norm, end), end - self.max_name_chars)
        pos = end
        while pos > floor and (is_cjk(norm[pos - 1]) or norm[pos - 1] in _NAME_CHARS):
            pos -= 1
        if pos == line_start(norm, end) or (pos > floor and norm[pos - 1] in _CELL_START):
            return pos
        return None
