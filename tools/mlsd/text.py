"""Characters that change how text displays without showing themselves.

Control characters, bidirectional overrides and isolates (the "Trojan Source" attack shows a
reviewer one order of text and stores another), zero-width spaces and joiners, soft hyphens
and the invisible "tag" characters that can smuggle instructions to a language model: no
sentence or URL of this project needs one, and a reviewer cannot see any of them. The class
below is Unicode's categories Cc (controls, but for tab and line ends) and Cf (format);
tests/test_text.py checks it against unicodedata.
"""

from __future__ import annotations

import re
import unicodedata

INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def find_invisible(text: str) -> int | None:
    """The index of the first invisible character in text, or None."""
    match = INVISIBLE.search(text)
    return match.start() if match else None


def describe(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    name = unicodedata.name(char, "") or "a control character"
    return f"U+{ord(char):04X} ({name})"
