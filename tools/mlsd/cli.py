"""The `mlsd` command line: the only place that prints a summary or chooses an exit code.

Exit codes: 0 clean, 1 problems found (or stale files), 2 usage error, 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from mlsd import __version__
from mlsd.checks import validated
from mlsd.collection import load_collection
from mlsd.commands import content_selection
from mlsd.content import SCHEMA_DIR
from mlsd.errors import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, InvalidContent, UsageError
from mlsd.files import is_stale, write_atomic
from mlsd.links_cli import register as register_links
from mlsd.models import word_count
from mlsd.new_cli import register as register_new
from mlsd.output import add_report_options, use_color
from mlsd.problems import report
from mlsd.render_cli import register as register_render
from mlsd.schema import schema_texts


def cmd_validate(args: argparse.Namespace) -> int:
    root: Path = args.root
    selected = content_selection(root, args.paths)
    content, problems = validated(root)
    if selected:
        problems = [problem for problem in problems if problem.path in selected]
    checked = len(selected) if selected else len(content.files)
    sys.stdout.write(report(problems, checked, args.format, use_color(args.color, sys.stdout)))
    return EXIT_PROBLEMS if any(problem.severity == "error" for problem in problems) else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    folder = args.root / SCHEMA_DIR
    stale = [name for name, text in schema_texts().items() if is_stale(folder / name, text)]
    if args.check:
        for name in stale:
            print(f"{SCHEMA_DIR}/{name} is out of date", file=sys.stderr)
        if stale:
            print("run 'mlsd schema' to regenerate it", file=sys.stderr)
        return EXIT_PROBLEMS if stale else EXIT_OK
    for name, text in schema_texts().items():
        if name in stale:
            write_atomic(folder / name, text)
            print(f"wrote {SCHEMA_DIR}/{name}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    collection = load_collection(args.root)
    document = {
        "version": __version__,
        "frameworks": [framework.model_dump(mode="json") for framework in collection.frameworks],
        "cases": [case.model_dump(mode="json") for case in collection.cases],
        "resources": [resource.model_dump(mode="json") for resource in collection.resources],
        "tags": collection.tags,
    }
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    collection = load_collection(args.root)
    print(f"{'ch':>3}  {'id':<34} {'part':<8} {'words':>6} {'follow-ups':>10} {'refs':>5} {'patches':>7}")
    for case in collection.cases:
        print(
            f"{case.chapter:>3}  {case.id:<34} {case.part:<8} {word_count(case.model_dump(mode='json')):>6}"
            f" {len(case.follow_ups):>10} {len(case.references):>5} {len(case.patches):>7}"
        )
    types = sorted({resource.type for resource in collection.resources})
    print(
        f"{len(collection.cases)} cases, {len(collection.frameworks)} frameworks, "
        f"{len(collection.resources)} resources of {len(types)} types ({', '.join(types)})"
    )
    return EXIT_OK


def _find_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / "resources.yaml").is_file() or (folder / "cases").is_dir():
            return folder
    return start


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(
        name: str, help_text: str, example: str, handler: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            parents=[common],
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=handler)
        return sub

    validate = command(
        "validate",
        "Check the content files and report every problem with its line.",
        "mlsd validate cases/ad-click-prediction.yaml --format github",
        cmd_validate,
    )
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="only report problems in these files (the collection checks still see every file)",
    )
    add_report_options(validate)
    schema = command(
        "schema", "Write the JSON Schemas generated from the models to schemas/.", "mlsd schema --check", cmd_schema
    )
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 when a schema is out of date")
    command(
        "export", "Print the whole validated content as one JSON document.", "mlsd export > content.json", cmd_export
    )
    command("stats", "Print words, follow-ups, references and patches per chapter.", "mlsd stats", cmd_stats)
    register_render(command)
    register_new(command)
    register_links(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.root = (args.root or _find_root(Path.cwd())).resolve()
        if not args.root.is_dir():
            raise UsageError(f"--root {args.root} is not a folder")
        return int(args.handler(args))
    except UsageError as error:
        print(f"mlsd: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except InvalidContent as invalid:
        sys.stderr.write(report(invalid.problems, invalid.files_checked, "text", use_color("auto", sys.stderr)))
        print("mlsd: the content is invalid; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
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
