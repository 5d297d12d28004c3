"""The `mlsd` command line: the parser built from the command registry, and the one error handler.

A command returns its exit code when it finishes (0, or 1 for problems found or stale
files); when it cannot, the exception it raises chooses the code (errors.py), here.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from mlsd import __version__
from mlsd.commands import COMMANDS
from mlsd.errors import EXIT_INTERNAL, EXIT_OK, InvalidAllowlist, InvalidContent, MlsdError, UsageError
from mlsd.output import use_color
from mlsd.problems import report


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "resources.yaml").is_file() or (folder / "cases").is_dir():
            return folder
    return start


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line with where to look, as for every other error, not argparse's usage block.
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """Every command with its help; the options only of the command named in argv, whose module it imports."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the repository root (default: the nearest folder above with resources.yaml)",
    )
    parser = _Parser(
        prog="mlsd",
        description="Validate and render the mlsd ML system design content.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run 'mlsd COMMAND --help' for a command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"mlsd {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    # mlsd itself takes no option with a value, so the first word that is not an option names the command.
    named = next((word for word in argv if not word.startswith("-")), None)
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.name,
            help=command.help,
            description=command.help,
            parents=[common],
            epilog=f"example:\n  {command.example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if command.name == named:
            module = command.load()
            sub.set_defaults(run=module.run)
            module.add_arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        options = vars(build_parser(words).parse_args(words))
        run = options.pop("run")
        del options["command"]
        root = (options["root"] or _find_root(Path.cwd())).resolve()
        if not root.is_dir():
            raise UsageError(f"--root {root} is not a folder")
        options["root"] = root
        return int(run(**options))
    except InvalidContent as invalid:
        sys.stderr.write(report(invalid.problems, invalid.files_checked, "text", use_color("auto", sys.stderr)))
        print("mlsd: the content is invalid; nothing was written", file=sys.stderr)
        return invalid.exit_code
    except InvalidAllowlist as invalid:
        sys.stderr.write(report(invalid.problems, 1, "text", False) if invalid.problems else "")
        print(f"mlsd: error: {invalid}", file=sys.stderr)
        return invalid.exit_code
    except MlsdError as error:
        print(f"mlsd: error: {error}", file=sys.stderr)
        return error.exit_code
    except ModuleNotFoundError as error:  # an install that predates a dependency: say which
        print(
            f"mlsd: error: the Python package '{error.name}' is missing; reinstall mlsd: pip install -e .",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    except SystemExit as exit_:  # --help and --version
        return int(exit_.code or 0) if isinstance(exit_.code, int) else EXIT_OK
    except BrokenPipeError:  # `mlsd export | head`: the reader left; nothing is wrong
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("mlsd: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # the one place where an unexpected failure becomes an exit code
        if os.environ.get("MLSD_DEBUG"):
            traceback.print_exc()
        print(
            f"mlsd: internal error: {type(error).__name__}: {error}"
            " (this is a bug in mlsd; run with MLSD_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
