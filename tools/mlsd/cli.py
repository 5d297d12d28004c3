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
from typing import NoReturn, TextIO

from mlsd import __version__
from mlsd.checklist import ChecklistError, ChecklistOptions, parse_chapters, render_checklist, write_pdf
from mlsd.checks import check_collection
from mlsd.content import SCHEMA_DIR, Content, kind_of, load_content
from mlsd.files import is_stale, write_atomic, write_atomic_bytes
from mlsd.links_cli import register as register_links
from mlsd.models import word_count
from mlsd.new_cli import NewError
from mlsd.new_cli import register as register_new
from mlsd.problems import Problem, add_report_options, report
from mlsd.render import CASE_PAGES, FRAMEWORK_PAGES, RenderError, Site, render_pages
from mlsd.schema import schema_texts

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """A mistake in how mlsd was called; printed as one line, exit 2."""


def validated(root: Path) -> tuple[Content, list[Problem]]:
    content = load_content(root)
    return content, sorted([*content.problems, *check_collection(content)])


def _use_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return stream.isatty()


def _selected(root: Path, paths: Sequence[str]) -> set[str]:
    selected = set()
    for name in paths:
        path = Path(name).resolve()
        try:
            relative = path.relative_to(root).as_posix()
        except ValueError:
            raise UsageError(f"{name} is outside the repository at {root}") from None
        if kind_of(relative) is None:
            raise UsageError(f"{name} is not a content file (cases/*.yaml, frameworks/*.yaml, resources.yaml)")
        if not path.is_file():
            raise UsageError(f"{name} does not exist")
        selected.add(relative)
    return selected


def cmd_validate(args: argparse.Namespace) -> int:
    root: Path = args.root
    selected = _selected(root, args.paths)
    content, problems = validated(root)
    if selected:
        problems = [problem for problem in problems if problem.path in selected]
    checked = len(selected) if selected else len(content.files)
    sys.stdout.write(report(problems, checked, args.format, _use_color(args.color, sys.stdout)))
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


def _invalid(problems: list[Problem], files: int) -> int:
    sys.stderr.write(report(problems, files, "text", _use_color("auto", sys.stderr)))
    print("mlsd: the content is invalid; nothing was written", file=sys.stderr)
    return EXIT_PROBLEMS


def cmd_export(args: argparse.Namespace) -> int:
    content, problems = validated(args.root)
    if any(problem.severity == "error" for problem in problems):
        return _invalid(problems, len(content.files))
    assert content.resources is not None and content.resources.model is not None
    document = {
        "version": __version__,
        "frameworks": [item.model.model_dump(mode="json") for item in content.frameworks if item.model],
        "cases": [
            item.model.model_dump(mode="json")
            for item in sorted(content.cases, key=lambda item: item.model.chapter if item.model else 0)
            if item.model
        ],
        "resources": [resource.model_dump(mode="json") for resource in content.resources.model.resources],
        "tags": content.resources.model.tags,
    }
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    content, problems = validated(args.root)
    if any(problem.severity == "error" for problem in problems):
        return _invalid(problems, len(content.files))
    cases = sorted((item.model for item in content.cases if item.model), key=lambda case: case.chapter)
    print(f"{'ch':>3}  {'id':<34} {'part':<8} {'words':>6} {'follow-ups':>10} {'refs':>5} {'patches':>7}")
    for case in cases:
        print(
            f"{case.chapter:>3}  {case.id:<34} {case.part:<8} {word_count(case.model_dump(mode='json')):>6}"
            f" {len(case.follow_ups):>10} {len(case.references):>5} {len(case.patches):>7}"
        )
    assert content.resources is not None and content.resources.model is not None
    resources = content.resources.model.resources
    types = sorted({resource.type for resource in resources})
    print(
        f"{len(cases)} cases, {len(content.frameworks)} frameworks, "
        f"{len(resources)} resources of {len(types)} types ({', '.join(types)})"
    )
    return EXIT_OK


CHECKLIST_FILE = "docs/checklist.html"


def generated_files(root: Path, site: Site) -> dict[str, str]:
    readme = root / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    files = render_pages(site, current)
    files[CHECKLIST_FILE] = render_checklist(site, ChecklistOptions())
    return files


def orphans(root: Path, files: dict[str, str]) -> list[str]:
    """Generated pages whose case or framework no longer exists."""
    found = []
    for folder in (CASE_PAGES, FRAMEWORK_PAGES):
        for path in sorted((root / folder).glob("*.md")):
            relative = path.relative_to(root).as_posix()
            if relative not in files:
                found.append(relative)
    return found


def cmd_render(args: argparse.Namespace) -> int:
    root: Path = args.root
    content, problems = validated(root)
    if any(problem.severity == "error" for problem in problems):
        return _invalid(problems, len(content.files))
    try:
        files = generated_files(root, Site.from_content(content))
    except (RenderError, ChecklistError) as error:
        print(f"mlsd: error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    stale = sorted(name for name, text in files.items() if is_stale(root / name, text))
    removed = orphans(root, files)
    if args.check:
        for name in stale:
            print(f"{name} is out of date", file=sys.stderr)
        for name in removed:
            print(f"{name} belongs to no case or framework", file=sys.stderr)
        if stale or removed:
            print("run 'mlsd render' and commit the result", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"{len(files)} generated files are up to date", file=sys.stderr)
        return EXIT_OK
    for name in stale:
        write_atomic(root / name, files[name])
    for name in removed:
        (root / name).unlink()
    print(
        f"wrote {len(stale)} of {len(files)} generated files" + (f", removed {len(removed)}" if removed else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_checklist(args: argparse.Namespace) -> int:
    content, problems = validated(args.root)
    if any(problem.severity == "error" for problem in problems):
        return _invalid(problems, len(content.files))
    try:
        options = ChecklistOptions(
            chapters=parse_chapters(args.chapters) if args.chapters else None,
            part=args.part,
            paper=args.paper,
            layout=args.layout,
            follow_ups=args.follow_ups,
        )
        html = render_checklist(Site.from_content(content), options)
        pdf = write_pdf(html, str(args.root)) if args.pdf else None
    except ChecklistError as error:
        raise UsageError(str(error)) from None
    if args.output == "-":
        sys.stdout.write(html)
    else:
        write_atomic(Path(args.output), html)
        print(f"wrote {args.output}", file=sys.stderr)
    if pdf is not None:
        write_atomic_bytes(Path(args.pdf), pdf)
        print(f"wrote {args.pdf}", file=sys.stderr)
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
    render = command(
        "render",
        "Regenerate the README's generated part, the case and framework pages and "
        "docs/checklist.html; writes nothing when the content is invalid.",
        "mlsd render --check",
        cmd_render,
    )
    render.add_argument("--check", action="store_true", help="write nothing; list stale files and exit 1 if any")
    checklist = command(
        "checklist",
        "Write a printable checklist (HTML with print CSS, and optionally a PDF).",
        "mlsd checklist --chapters 2,5-7 --paper letter --pdf checklist.pdf",
        cmd_checklist,
    )
    checklist.add_argument("--chapters", metavar="LIST", help="chapter numbers and ranges, e.g. 2,5-7 (default: all)")
    checklist.add_argument("--part", choices=("classic", "patched"), help="only classic or only patched chapters")
    checklist.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    checklist.add_argument(
        "--layout",
        choices=("page", "compact"),
        default="page",
        help="a chapter per page, or chapters run on (default: page)",
    )
    checklist.add_argument(
        "--no-follow-ups", dest="follow_ups", action="store_false", help="leave out the follow-up questions"
    )
    checklist.add_argument(
        "--output",
        "-o",
        default="mlsd-checklist.html",
        metavar="FILE",
        help="where to write the HTML; '-' for standard output (default: mlsd-checklist.html)",
    )
    checklist.add_argument("--pdf", metavar="FILE", help="also write a PDF (needs: pip install 'mlsd[pdf]')")
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
    except (UsageError, NewError) as error:
        print(f"mlsd: error: {error}", file=sys.stderr)
        return EXIT_USAGE
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
