"""The invisible-character class is Unicode's Cc and Cf, tab and line ends excepted."""

from __future__ import annotations

import unicodedata

from mlsd.text import INVISIBLE, describe, find_invisible


def test_the_class_holds_every_control_and_format_character_and_nothing_visible() -> None:
    characters = [chr(point) for point in range(0x110000)]
    wanted = {c for c in characters if unicodedata.category(c) in ("Cc", "Cf")} - set("\t\n\r")
    matched = {c for c in characters if INVISIBLE.match(c)}
    assert wanted <= matched
    # Beyond them only characters this Python's Unicode does not know yet (made Cf later).
    assert all(unicodedata.category(c) == "Cn" for c in matched - wanted)


def test_a_character_is_found_and_named() -> None:
    assert find_invisible("Tiny \u202eSearch") == 5
    assert find_invisible("plain text\twith a tab\r\n") is None
    assert describe("\u202e") == "U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert describe("\x07") == "U+0007 (a control character)"
