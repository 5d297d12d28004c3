"""What the base branch holds, read with git: which side of a collision is new.

The base is MLSD_BASE_REF when set (CI sets it to the pull request's base), else
origin/main, else main. Outside a git repository, or when no base exists, there is no
answer (None) and callers fall back to an order that needs no history.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

CANDIDATES = ("origin/main", "main")


def git(root: Path, *arguments: str) -> str | None:
    """git's output, or None when git is missing or the command fails."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *arguments], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def base_ref(root: Path) -> str | None:
    configured = os.environ.get("MLSD_BASE_REF")
    for ref in (configured,) if configured else CANDIDATES:
        if git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is not None:
            return ref
    return None


def files_on_base(root: Path, folder: str) -> set[str] | None:
    """Paths (relative to the root) under folder on the base branch, or None when unknown."""
    ref = base_ref(root)
    if ref is None:
        return None
    prefix = _prefix(root)
    listing = git(root, "ls-tree", "-r", "--name-only", "--full-tree", ref, "--", f"{prefix}{folder}")
    if listing is None:
        return None
    return {line.removeprefix(prefix) for line in listing.splitlines()}


def _prefix(root: Path) -> str:
    """Where the root lies inside its git repository ('' at the top), for paths git prints from the top."""
    return (git(root, "rev-parse", "--show-prefix") or "").strip()


def merge_order(root: Path, folder: str) -> list[str]:
    """Paths under folder in the order they arrived on the current branch's first-parent line.

    A merge commit is compared with its first parent (-m --first-parent), so a file that
    came in with a pull request counts from the merge, not from when its author wrote it."""
    prefix = _prefix(root)
    log = git(
        root,
        "log",
        "--first-parent",
        "-m",
        "--reverse",
        "--diff-filter=A",
        "--name-only",
        "--format=",
        "--",
        f"{prefix}{folder}",
    )
    order: list[str] = []
    for line in (log or "").splitlines():
        path = line.strip().removeprefix(prefix)
        if path and path not in order:
            order.append(path)
    return order


def changed_since(root: Path, ref: str) -> tuple[str, list[str]] | None:
    """Where this branch left ref, and the paths (relative to the root) changed since then, or None."""
    merge_base = git(root, "merge-base", ref, "HEAD")
    if merge_base is None:
        return None
    merge_base = merge_base.strip()
    changed = git(root, "diff", "--name-only", "--no-renames", "--relative", merge_base, "--")
    untracked = git(root, "ls-files", "--others", "--exclude-standard")
    paths = {*(changed or "").splitlines(), *(untracked or "").splitlines()}
    return merge_base, sorted(path for path in paths if path)
