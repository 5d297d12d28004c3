"""What makes the printable checklist tickable in a browser: checkboxes, progress bars, the script, the CSP.

The page works without the script and prints as it always has: the boxes stay the CSS
squares drawn beside each item and the checkboxes, progress bars and buttons stay hidden.
The script (checklist.js beside this module) shows them and keeps what is ticked in local
storage. The Content-Security-Policy forbids every fetch and allows only this script, by
the sha256 of its text, so the hash and the page are the same on every render.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from importlib import resources

from markupsafe import Markup, escape

from mlsd.models import Case
from mlsd.study.items import follow_up_ids, key_point_ids

STYLE = """
input.tick { display: none; }
html.ticking ul.ticks li::before { display: none; }
html.ticking input.tick {
  display: block; position: absolute; left: 0; top: 1.4mm; width: 3.2mm; height: 3.2mm; margin: 0;
  appearance: none; -webkit-appearance: none; border: 0.3mm solid #111; border-radius: 0.4mm;
  background: #fff; cursor: pointer; font: bold 2.8mm/3mm sans-serif; text-align: center; color: #111;
}
html.ticking input.tick:checked::before { content: "\\2713"; }
html.ticking input.tick:focus-visible { outline: 0.5mm solid #2457c5; outline-offset: 0.3mm; }
html.ticking ul.ticks label { cursor: pointer; }
.study-bar { display: flex; flex-wrap: wrap; gap: 2mm 4mm; align-items: center; margin: 0 0 4mm; font-size: 9.5pt; }
.study-bar[hidden], .progress[hidden] { display: none; }
.study-bar button { font: inherit; padding: 0.8mm 2.5mm; }
.progress { display: flex; align-items: center; gap: 2mm; font-size: 9pt; color: #444; margin: 0 0 2mm; }
.progress progress { width: 50mm; height: 2.5mm; }
@media print { .study-bar, .progress { display: none !important; } }
"""


@cache
def script() -> str:
    return resources.files("mlsd.study").joinpath("checklist.js").read_text(encoding="utf-8")


def script_hash() -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script().encode("utf-8")).digest()).decode("ascii")


def content_security_policy() -> str:
    # No fetch of any kind (default-src 'none' covers connect, font, frame, media); inline styles
    # fetch nothing once url() is refused, so they need no hash; data: images are bytes already
    # in the page (inline SVG diagrams need no source at all).
    return (
        f"default-src 'none'; script-src '{script_hash()}'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


class Ticking:
    """The template's view: `study.head`, `study.toolbar`, `study.progress(case)`, `study.item(id, text)`."""

    @property
    def head(self) -> Markup:
        policy = content_security_policy()  # quotes but no double quote or markup: safe in the attribute
        return Markup(f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n<style>{STYLE}</style>')

    @property
    def toolbar(self) -> Markup:
        return Markup(
            '<div class="study study-bar" id="study-overall" hidden>'
            '<span>Ticked: <span class="count"></span></span> <progress value="0" max="1"></progress> '
            '<button type="button" id="study-export">Export progress</button> '
            '<button type="button" id="study-import">Import progress</button> '
            '<button type="button" id="study-reset">Reset</button> '
            '<input type="file" id="study-file" accept="application/json,.json" hidden> '
            '<span id="study-status" role="status"></span></div>'
        )

    def progress(self, case: Case) -> Markup:
        return Markup(
            f'<div class="study progress" data-chapter="{case.chapter}" hidden>'
            '<progress value="0" max="1"></progress> <span class="count"></span></div>'
        )

    def item(self, item_id: str, text: str) -> Markup:
        # The label wraps the box, so the id is written once and a click on the text ticks it.
        return Markup(
            f'<li><label><input type="checkbox" class="tick" id="{escape(item_id)}">{escape(text)}</label></li>'
        )

    @property
    def script(self) -> Markup:
        # The text between the tags is exactly what the CSP hash covers.
        return Markup(f"<script>{script()}</script>")

    # The ids come from items.py, as the deck's GUIDs and the drill's scorecard do.
    key_point_ids = staticmethod(key_point_ids)
    follow_up_ids = staticmethod(follow_up_ids)
