"""The base of every prepub recognizer: a plain class that decides on raw Chinese text.

Each recognizer looks at the raw characters around a hit itself (no NLP pipeline, no
lemmas), so importing one costs no more than its regular expressions. They are not
presidio classes: presidio imports spaCy, which would cost pre-commit most of a second
on every run. `prepub_review.presidio` wraps any of them as a presidio EntityRecognizer
for anyone's AnalyzerEngine:

    registry.add_recognizer(as_presidio(CnIdCardRecognizer()))

Subclasses set ENTITY and implement `find(text)` yielding Candidates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

VARIANT_KEY = "prepub_variant"
ATTRS_KEY = "prepub_attrs"


@dataclass(slots=True)
class Candidate:
    start: int
    end: int
    variant: str
    score: float
    attrs: dict = field(default_factory=dict)
    entity: str | None = None   # only for recognizers that support several entities


class PrepubRecognizer:
    """A recognizer that decides on raw text windows; `find` is all the engine calls."""

    ENTITY: str = ""

    def __init__(self, name: str | None = None, supported_entities: list[str] | None = None,
                 supported_language: str = "zh"):
        self.name = name or type(self).__name__
        self.supported_entities = list(supported_entities or [self.ENTITY])
        self.supported_language = supported_language

    def find(self, text: str) -> Iterator[Candidate]:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list:
        """presidio's call, for code that used these as presidio recognizers: a list of
        presidio RecognizerResults (imports presidio on first use; the engine never calls it)."""
        from prepub_review.presidio import as_presidio

        return as_presidio(self).analyze(text, entities, nlp_artifacts)
