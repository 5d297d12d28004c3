"""mlsd: the tooling of the mlsd ML system design repository."""

from __future__ import annotations

__version__ = "0.1.0"
