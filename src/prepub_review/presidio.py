"""prepub's recognizers inside presidio, and presidio's recognizers inside prepub.

prepub's own recognizers are plain classes (importing presidio costs the spaCy import, most of
a second on every pre-commit run). This module, imported only when wanted, joins the two:

- `as_presidio(recognizer)` / `presidio_recognizers()`: prepub's recognizers as presidio
  EntityRecognizers for anyone's AnalyzerEngine. Each result carries prepub's variant and
  attributes in `recognition_metadata` (keys `prepub_variant`, `prepub_attrs`):

      registry = RecognizerRegistry(supported_languages=["zh"])
      for recognizer in presidio_recognizers():
          registry.add_recognizer(recognizer)
      AnalyzerEngine(nlp_engine=..., registry=registry, supported_languages=["zh"])

- `FromPresidio`: a presidio EntityRecognizer (e.g. presidio's own IbanRecognizer listed in
  rules/recognizers.yaml) run by prepub's engine like any prepub recognizer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from prepub_review.detect.base import ATTRS_KEY, VARIANT_KEY, Candidate, PrepubRecognizer
from prepub_review.detect.registry import build_recognizers
from prepub_review.rules_loader import RulesSource


class PresidioRecognizer(EntityRecognizer):
    """A prepub recognizer as a presidio EntityRecognizer. It decides on the raw text, so it
    needs no NLP artefacts and works with any NLP engine (spaCy blank zh, no_op, …)."""

    def __init__(self, recognizer: PrepubRecognizer):
        self.recognizer = recognizer
        super().__init__(supported_entities=list(recognizer.supported_entities),
                         supported_language=recognizer.supported_language, name=recognizer.name)

    def load(self) -> None:  # presidio hook; the wrapped recognizer loaded its rules already
        pass

    def validate_result(self, pattern_text: str) -> bool | None:
        """The wrapped recognizer's checksum (ID, bank card, USCC, …), where it has one."""
        validate = getattr(self.recognizer, "validate_result", None)
        return validate(pattern_text) if validate else None

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts=None) -> list[RecognizerResult]:
        wanted = set(entities or self.supported_entities)
        results = []
        for cand in self.recognizer.find(text):
            entity = cand.entity or self.recognizer.ENTITY
            if entity in wanted:
                results.append(self._result(entity, cand))
        return results

    def _result(self, entity: str, cand: Candidate) -> RecognizerResult:
        explanation = AnalysisExplanation(recognizer=self.name, original_score=cand.score,
                                          textual_explanation=cand.variant)
        return RecognizerResult(
            entity_type=entity, start=cand.start, end=cand.end, score=cand.score,
            analysis_explanation=explanation,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                VARIANT_KEY: cand.variant,
                ATTRS_KEY: cand.attrs,
            },
        )


class FromPresidio(PrepubRecognizer):
    """A presidio EntityRecognizer run by prepub's engine; its hits get the variant "default"."""

    def __init__(self, recognizer: EntityRecognizer):
        super().__init__(name=recognizer.name, supported_entities=list(recognizer.supported_entities),
                         supported_language=recognizer.supported_language)
        self.recognizer = recognizer
        self.ENTITY = self.supported_entities[0]

    def find(self, text: str) -> Iterator[Candidate]:
        for result in self.recognizer.analyze(text, self.supported_entities, None) or []:
            yield Candidate(result.start, result.end, "default", float(result.score), entity=result.entity_type)


def as_presidio(recognizer: PrepubRecognizer) -> EntityRecognizer:
    """The recognizer as presidio sees it (a presidio recognizer wrapped for prepub is unwrapped)."""
    if isinstance(recognizer, FromPresidio):
        return recognizer.recognizer
    return PresidioRecognizer(recognizer)


def presidio_recognizers(rules_dir: Path | None = None, entities: set[str] | None = None) -> list[EntityRecognizer]:
    """Every recognizer listed in rules/recognizers.yaml (or a --rules directory), for presidio."""
    return [as_presidio(r) for r in build_recognizers(RulesSource(rules_dir), entities)]
