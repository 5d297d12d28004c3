"""Writing generated files so that a failure never leaves one half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mlsd.errors import WriteError


def write_atomic(path: Path, text: str) -> None:
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    if path.exists() and not path.is_file():
        # Renaming over a device or a pipe (/dev/stdout) would replace it, not write to it.
        raise WriteError(f"cannot write {path}: not a regular file")
    try:
        _replace(path, data)
    except OSError as error:  # a missing folder, no permission, a full disk: the user's to fix
        raise WriteError(f"cannot write {path}: {error.strerror or error}") from None


def _replace(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def is_stale(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") != text
    except (FileNotFoundError, UnicodeDecodeError):
        return True
