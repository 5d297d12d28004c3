"""--changed-since: the lines of the content a branch added, read from git diff."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from mlsd.errors import UsageError

CONTENT_PATHSPECS = ("resources.yaml", "cases", "frameworks")


def changed_lines(root: Path, ref: str) -> dict[str, set[int]]:
    """Lines of content files added since ref (committed or not), and every line of new untracked files."""
    if ref.startswith("-"):
        raise UsageError(f"--changed-since {ref}: a git ref does not start with '-'")
    git = ["git", "-C", str(root), "-c", "core.quotepath=off"]
    # Explicit prefixes and --relative: a user's diff.noprefix or a content root below the
    # repository's top would otherwise change the paths the diff prints.
    arguments = ["diff", "--no-color", "--no-ext-diff", "--relative", "-U0", "--src-prefix=a/", "--dst-prefix=b/"]
    try:
        diff = subprocess.run([*git, *arguments, ref, "--", *CONTENT_PATHSPECS], capture_output=True, text=True)
        untracked = subprocess.run(
            [*git, "ls-files", "--others", "--exclude-standard", "--", *CONTENT_PATHSPECS],
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which was not found") from None
    if diff.returncode != 0:
        reason = (diff.stderr.strip().splitlines() or ["git diff failed"])[-1]
        raise UsageError(f"--changed-since {ref}: {reason}")
    added: dict[str, set[int]] = {}
    current: str | None = None
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            current = line[6:] if line.startswith("+++ b/") else None
        elif line.startswith("@@") and current is not None:
            hunk = re.match(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", line)
            if hunk:
                start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
                added.setdefault(current, set()).update(range(start, start + count))
    for name in untracked.stdout.splitlines() if untracked.returncode == 0 else []:
        path = root / name
        if path.is_file():
            added[name] = set(range(1, path.read_text(encoding="utf-8", errors="replace").count("\n") + 2))
    return added
