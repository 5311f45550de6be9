"""Reading the reviewer's keys: one key without Enter, or a line of text.

`TerminalKeys` puts the real terminal in cbreak mode for one key (Ctrl-C still interrupts:
KeyboardInterrupt); `ScriptedKeys` replays a list, so the session logic is tested without a
terminal. Keys come back normalised: "enter", "left", "right", "esc", "eof", or one character,
lower-cased and half-width (a Chinese input method types "？" for "?").
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable, Iterable
from typing import Protocol

from prepub_review.text import normalize_width

ESCAPES = {b"\x1b[D": "left", b"\x1bOD": "left", b"\x1b[C": "right", b"\x1bOC": "right"}


class KeyReader(Protocol):
    def key(self) -> str: ...

    def line(self, prompt: str) -> str | None:
        """A line of text (without the newline), or None if the reviewer cancelled (Ctrl-D)."""
        ...


def normalise_key(raw: str) -> str:
    if raw in ("\r", "\n"):
        return "enter"
    if raw == "\x03":
        raise KeyboardInterrupt
    if raw == "\x04":
        return "eof"
    if raw == "\x1b":
        return "esc"
    return normalize_width(raw).lower()


class TerminalKeys:
    """Keys from a terminal's file descriptor; `echo` prints a prompt before reading a line."""

    def __init__(self, stream=None, echo: Callable[[str], None] | None = None):
        self.stream = stream or sys.stdin
        self.echo = echo or (lambda text: print(text, end="", flush=True))

    def key(self) -> str:
        import termios
        import tty

        fd = self.stream.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            data = os.read(fd, 1)
            if data == b"\x1b":
                while len(data) < 3 and select.select([fd], [], [], 0.05)[0]:
                    data += os.read(fd, 1)
                return ESCAPES.get(data, "esc")
            needed = _utf8_length(data[0]) if data else 0
            while len(data) < needed:
                data += os.read(fd, 1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        if not data:
            return "eof"
        return normalise_key(data.decode("utf-8", errors="replace"))

    def line(self, prompt: str) -> str | None:
        self.echo(prompt)
        text = self.stream.readline()
        if not text:
            return None
        return text.rstrip("\r\n")


def _utf8_length(first: int) -> int:
    if first >= 0xF0:
        return 4
    if first >= 0xE0:
        return 3
    if first >= 0xC0:
        return 2
    return 1


class ScriptedKeys:
    """Replays keys and lines (for tests); running out of either is a test error, not a hang."""

    def __init__(self, keys: Iterable[str] = (), lines: Iterable[str | None] = ()):
        self.keys = list(keys)
        self.lines = list(lines)
        self.prompts: list[str] = []

    def key(self) -> str:
        if not self.keys:
            raise AssertionError("ScriptedKeys: no keys left")
        key = self.keys.pop(0)
        return normalise_key(key) if len(key) == 1 else key

    def line(self, prompt: str) -> str | None:
        self.prompts.append(prompt)
        if not self.lines:
            raise AssertionError(f"ScriptedKeys: no line left for prompt {prompt!r}")
        return self.lines.pop(0)
