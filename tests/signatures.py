"""Forging a signed token for tests that check it is refused."""


def with_one_character_changed(token: str) -> str:
    """`token` with one character of its signature changed. Not the last character: in base64 its
    low bits may carry no data, so changing it can leave the signature as it was."""
    changed = "A" if token[-6] != "A" else "B"
    return token[:-6] + changed + token[-5:]
