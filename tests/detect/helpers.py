"""What the recognizer tests share."""


def found(recognizer, text: str) -> list[tuple[str, str]]:
    """(matched text, variant) of each candidate a recognizer finds in `text`, in its order."""
    return [(text[c.start:c.end], c.variant) for c in recognizer.find(text)]
