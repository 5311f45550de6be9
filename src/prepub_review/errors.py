"""Errors a person sees. Messages are Chinese-first and say what to do next."""

from __future__ import annotations


class PrepubError(Exception):
    """Base for every error prepub reports to a user instead of a traceback."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ReadError(PrepubError):
    """A document could not be read completely. Its verdict is `error`, never `pass`.

    `code` is a stable English id (e.g. "encrypted", "corrupt_zip", "zip_bomb",
    "legacy_needs_libreoffice"); `message` is the Chinese explanation.
    """

    code = "read_error"


class RulesError(PrepubError):
    """A file under rules/ (or a user's profile) is malformed. Names file, line and key."""

    code = "rules_error"


class RedactionRefused(PrepubError):
    """The document must not be redacted (a block-level classification marking)."""

    code = "classification_marking"


class VerificationFailed(PrepubError):
    """The written output still holds block-level findings (or unreadable leftovers); it was removed."""

    code = "verification_failed"
