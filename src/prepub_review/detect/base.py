"""The base of every prepub recognizer: a presidio EntityRecognizer for raw Chinese text.

presidio's AnalyzerEngine is not used on the hot path (its context enhancer needs
lemmas that a blank Chinese pipeline lacks, and it is slow on long text); instead
each recognizer looks at the raw characters around a hit itself. The classes stay
real presidio recognizers, so they can be added to anyone's AnalyzerEngine:

    registry.add_recognizer(CnIdCardRecognizer())

Subclasses implement `find(text)` yielding Candidates; `analyze()` turns them into
presidio RecognizerResults whose `recognition_metadata` carries prepub's variant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

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


class PrepubRecognizer(EntityRecognizer):
    """A presidio recognizer that decides on raw text windows (no NLP artefacts needed)."""

    ENTITY: str = ""

    def __init__(self, **kwargs):
        kwargs.setdefault("supported_entities", [self.ENTITY])
        kwargs.setdefault("supported_language", "zh")
        super().__init__(**kwargs)

    def load(self) -> None:  # presidio hook; lexicons are loaded in __init__
        pass

    def find(self, text: str) -> Iterator[Candidate]:
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        wanted = set(entities) if entities else None
        results = []
        for cand in self.find(text):
            entity = cand.entity or self.ENTITY
            if wanted is not None and entity not in wanted:
                continue
            explanation = AnalysisExplanation(
                recognizer=self.name, original_score=cand.score, textual_explanation=cand.variant
            )
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=cand.start,
                    end=cand.end,
                    score=cand.score,
                    analysis_explanation=explanation,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        VARIANT_KEY: cand.variant,
                        ATTRS_KEY: cand.attrs,
                    },
                )
            )
        return results
