"""Mermaid's own JavaScript parser (the one GitHub runs), for tests: mermaid.parse() inside
the QuickJS engine that the mermaidx package embeds.

mmdr draws the SVG; this second, independent parser proves that what a case page hands to
GitHub parses there too. It drives mermaidx's engine object directly, because its public
render() lays the diagram out as well (about a second a diagram) where parsing alone takes
milliseconds; mermaidx is pinned in the dev extra for that reason.
"""

from __future__ import annotations

import json
from typing import Any


class MermaidJs:
    def __init__(self) -> None:
        from mermaidx.engines.quickjs_engine import Engine

        self._engine: Any = Engine()
        self._engine.start()

    def parse(self, source: str) -> str | None:
        """None when Mermaid accepts the text, else its error message."""
        return str(self._engine._executor.submit(self._parse, source).result()) or None

    def _parse(self, source: str) -> str:
        context = self._engine._ctx  # runs on the engine's own thread, as QuickJS requires
        context.eval(
            "globalThis.__mlsdParse = null;"
            f"mermaid.parse({json.dumps(source)}).then("
            "  () => { __mlsdParse = ''; },"
            "  (error) => { __mlsdParse = String((error && error.message) || error); });"
        )
        while self._engine._run_job():
            pass
        return str(context.eval("__mlsdParse"))

    def close(self) -> None:
        self._engine.close()
