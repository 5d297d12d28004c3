"""Templates -> strings: the README's generated part, a page per case and per framework.

Nothing here writes a file; the render command decides what is written, and only after validation.
Output is deterministic: ordering comes from the content (chapter numbers, framework
order, resource ids) and nothing depends on the clock, the machine or the environment.
"""

from __future__ import annotations

import jinja2

from mlsd.collection import Collection
from mlsd.errors import MlsdError
from mlsd.models import Case, Framework, Resource, ResourceType
from mlsd.render.environment import environment_for_markdown

MARK_START = "<!-- mlsd:generated:start (made by `mlsd render` from the YAML; do not edit by hand) -->"
MARK_END = "<!-- mlsd:generated:end -->"
CASE_PAGES = "docs/cases"
FRAMEWORK_PAGES = "docs/frameworks"

TYPE_HEADINGS: dict[ResourceType, str] = {
    "book": "Books",
    "course": "Courses",
    "paper": "Papers",
    "blog": "Engineering blog posts",
    "repository": "Repositories",
    "talk": "Talks and videos",
    "tool": "Tools",
    "newsletter": "Newsletters",
}
PART_HEADINGS = {"classic": "Classic chapters", "patched": "Patched chapters"}


class RenderError(MlsdError):
    """The content is valid but cannot be rendered (for example the README lost its markers)."""


def parts(site: Collection) -> list[tuple[str, list[Case]]]:
    return [
        (heading, [case for case in site.reading_order if case.part == part]) for part, heading in PART_HEADINGS.items()
    ]


def resources_by_type(site: Collection) -> list[tuple[str, list[Resource]]]:
    grouped = [
        (heading, [resource for resource in site.resources_by_id if resource.type == kind])
        for kind, heading in TYPE_HEADINGS.items()
    ]
    return [(heading, items) for heading, items in grouped if items]


def chapter_heading(case: Case) -> str:
    return f"Chapter {case.chapter}: {case.title}"


def step_heading(number: int, title: str) -> str:
    return f"{number}. {title}"


def view_heading(view: Framework) -> str:
    return f"In the {len(view.steps)}-step view"


def markdown_environment() -> jinja2.Environment:
    environment = environment_for_markdown()
    environment.globals.update(
        chapter_heading=chapter_heading,
        parts=parts,
        resources_by_type=resources_by_type,
        step_heading=step_heading,
        view_heading=view_heading,
        CASE_PAGES=CASE_PAGES,
        FRAMEWORK_PAGES=FRAMEWORK_PAGES,
    )
    return environment


def render_readme(site: Collection, readme: str, environment: jinja2.Environment) -> str:
    start, end = readme.find(MARK_START), readme.find(MARK_END)
    if start < 0 or end < start:
        raise RenderError(
            "README.md has lost its generated-section markers; put these two lines back where the "
            f"generated part belongs:\n  {MARK_START}\n  {MARK_END}"
        )
    generated = environment.get_template("readme.md.j2").render(site=site)
    return readme[: start + len(MARK_START)] + "\n" + generated + readme[end:]


def render_case(site: Collection, case: Case, environment: jinja2.Environment) -> str:
    previous, following = site.neighbours(case)
    framework = site.framework[case.framework]
    return environment.get_template("case.md.j2").render(
        site=site,
        case=case,
        framework=framework,
        views=site.views_of(framework.id),
        step_number={step.id: number for number, step in enumerate(framework.steps, start=1)},
        step_title={step.id: step.title for step in framework.steps},
        previous=previous,
        following=following,
    )


def render_framework(site: Collection, framework: Framework, environment: jinja2.Environment) -> str:
    def using(framework_id: str | None) -> list[Case]:
        return [case for case in site.reading_order if case.framework == framework_id]

    base = site.framework[framework.view_of] if framework.view_of else None
    return environment.get_template("framework.md.j2").render(
        site=site,
        framework=framework,
        cases=using(framework.id),
        base=base,
        base_cases=using(base.id if base else None),
        base_number={step.id: number for number, step in enumerate(base.steps, start=1)} if base else {},
        base_title={step.id: step.title for step in base.steps} if base else {},
    )


def render_pages(site: Collection, readme: str) -> dict[str, str]:
    """Every generated Markdown file: relative path -> exact text."""
    environment = markdown_environment()
    pages = {"README.md": render_readme(site, readme, environment)}
    for case in site.reading_order:
        pages[f"{CASE_PAGES}/{case.id}.md"] = render_case(site, case, environment)
    for framework in site.frameworks_by_use:
        pages[f"{FRAMEWORK_PAGES}/{framework.id}.md"] = render_framework(site, framework, environment)
    # Exactly one final newline, whichever optional block a template ended on.
    return {path: text.rstrip("\n") + "\n" for path, text in pages.items()}
