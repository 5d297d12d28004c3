"""The errors that end a command, each carrying the exit code it means.

A command raises one of these; cli.main catches them in one place, prints them as one
line (or, for InvalidContent, as the problem report) and returns the class's exit code.
Anything else that escapes a command is a bug in mlsd and exits EXIT_INTERNAL. A module
with an error of its own subclasses one of these (render.pages.RenderError,
render.checklist.ChecklistError), so its exit code follows from what kind of error it is.

Exit codes: 0 clean, 1 problems found or the command could not finish, 2 usage error,
3 internal error, 4 network unavailable (mlsd links checked nothing and recorded nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from mlsd.problems import Problem

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_NETWORK = 4


class MlsdError(Exception):
    """Something in the content or on disk stops the command; printed as one line."""

    exit_code: ClassVar[int] = EXIT_PROBLEMS


class UsageError(MlsdError):
    """A mistake in how mlsd was called."""

    exit_code = EXIT_USAGE


class InvalidAllowlist(UsageError):
    """The links allowlist is missing or malformed; its problems are printed before the one line."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class WriteError(MlsdError):
    """A file cannot be written: a missing folder, no permission, a full disk."""


class NetworkUnavailable(MlsdError):
    """The resolver or the network is down for the run, so no link can be judged dead or alive."""

    exit_code = EXIT_NETWORK

    def __init__(self, reason: str) -> None:
        super().__init__(f"network unavailable: nothing was checked ({reason})")


class InvalidContent(MlsdError):
    """The content has errors; a command that would write or export from it stops."""

    def __init__(self, problems: list[Problem], files_checked: int) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems, self.files_checked = problems, files_checked
