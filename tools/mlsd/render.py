"""Templates -> strings: the README's generated part, a page per case and per framework.

Nothing here writes a file; cli.py decides what is written, and only after validation.
Output is deterministic: ordering comes from the content (chapter numbers, framework
order, resource ids) and nothing depends on the clock, the machine or the environment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import jinja2
from markupsafe import Markup

from mlsd.content import Content
from mlsd.diagrams.mermaid import mermaid_block
from mlsd.diagrams.rules import request_path_ms, serving_budget
from mlsd.markdown import escape_html, escape_inline, github_slug, link
from mlsd.models import Case, Framework, Resource, ResourceType, word_count

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


class RenderError(Exception):
    """The content is valid but cannot be rendered (for example the README lost its markers)."""


@dataclass(frozen=True)
class Site:
    frameworks: list[Framework]
    cases: list[Case]
    resources: list[Resource]
    tags: dict[str, str]

    @classmethod
    def from_content(cls, content: Content) -> Site:
        assert content.resources is not None and content.resources.model is not None
        cases = [item.model for item in content.cases if item.model is not None]
        order = {"classic": 0, "patched": 1}
        frameworks = [item.model for item in content.frameworks if item.model is not None]
        usage = {framework.id: sum(case.framework == framework.id for case in cases) for framework in frameworks}
        return cls(
            # The framework most chapters follow comes first; ties keep a stable order by id.
            frameworks=sorted(frameworks, key=lambda framework: (-usage[framework.id], framework.id)),
            cases=sorted(cases, key=lambda case: (order[case.part], case.chapter)),
            resources=sorted(content.resources.model.resources, key=lambda resource: resource.id),
            tags=dict(sorted(content.resources.model.tags.items())),
        )

    @cached_property
    def framework(self) -> dict[str, Framework]:
        return {framework.id: framework for framework in self.frameworks}

    @cached_property
    def resource(self) -> dict[str, Resource]:
        return {resource.id: resource for resource in self.resources}

    def parts(self) -> list[tuple[str, list[Case]]]:
        return [
            (heading, [case for case in self.cases if case.part == part]) for part, heading in PART_HEADINGS.items()
        ]

    def resources_by_type(self) -> list[tuple[str, list[Resource]]]:
        grouped = [(heading, [r for r in self.resources if r.type == kind]) for kind, heading in TYPE_HEADINGS.items()]
        return [(heading, items) for heading, items in grouped if items]

    @cached_property
    def position(self) -> dict[str, int]:
        return {case.id: index for index, case in enumerate(self.cases)}

    def neighbours(self, case: Case) -> tuple[Case | None, Case | None]:
        index = self.position[case.id]
        previous = self.cases[index - 1] if index > 0 else None
        following = self.cases[index + 1] if index + 1 < len(self.cases) else None
        return previous, following


def chapter_heading(case: Case) -> str:
    return f"Chapter {case.chapter}: {case.title}"


def step_heading(number: int, title: str) -> str:
    return f"{number}. {title}"


def _finalize(value: object) -> object:
    # Every {{ expression }} is escaped as Markdown text unless mlsd built it as Markup.
    if value is None:
        return ""
    return escape_inline(value)


def _anchor(text: str, target: str = "") -> Markup:
    return Markup(f"[{escape_inline(text)}]({target}#{github_slug(text)})")


def _page_link(text: str, path: str) -> Markup:
    return Markup(f"[{escape_inline(text)}]({path})")


def markdown_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("mlsd", "templates"),
        autoescape=False,  # Markdown is escaped by _finalize, not as HTML
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    filters: dict[str, Callable[..., object]] = {
        "html": escape_html,
        "link": link,
        "slug": github_slug,
        "anchor": _anchor,
        "page_link": _page_link,
        "words": word_count,
    }
    environment.filters.update(filters)
    environment.globals.update(
        chapter_heading=chapter_heading,
        step_heading=step_heading,
        Markup=Markup,
        CASE_PAGES=CASE_PAGES,
        FRAMEWORK_PAGES=FRAMEWORK_PAGES,
        mermaid=mermaid_block,
        request_path_ms=request_path_ms,
        serving_budget=serving_budget,
    )
    return environment


def render_readme(site: Site, readme: str, environment: jinja2.Environment) -> str:
    start, end = readme.find(MARK_START), readme.find(MARK_END)
    if start < 0 or end < start:
        raise RenderError(
            "README.md has lost its generated-section markers; put these two lines back where the "
            f"generated part belongs:\n  {MARK_START}\n  {MARK_END}"
        )
    generated = environment.get_template("readme.md.j2").render(site=site)
    return readme[: start + len(MARK_START)] + "\n" + generated + readme[end:]


def render_case(site: Site, case: Case, environment: jinja2.Environment) -> str:
    previous, following = site.neighbours(case)
    return environment.get_template("case.md.j2").render(
        site=site, case=case, framework=site.framework[case.framework], previous=previous, following=following
    )


def render_framework(site: Site, framework: Framework, environment: jinja2.Environment) -> str:
    cases = [case for case in site.cases if case.framework == framework.id]
    return environment.get_template("framework.md.j2").render(site=site, framework=framework, cases=cases)


def render_pages(site: Site, readme: str) -> dict[str, str]:
    """Every generated Markdown file: relative path -> exact text."""
    environment = markdown_environment()
    pages = {"README.md": render_readme(site, readme, environment)}
    for case in site.cases:
        pages[f"{CASE_PAGES}/{case.id}.md"] = render_case(site, case, environment)
    for framework in site.frameworks:
        pages[f"{FRAMEWORK_PAGES}/{framework.id}.md"] = render_framework(site, framework, environment)
    # Exactly one final newline, whichever optional block a template ended on.
    return {path: text.rstrip("\n") + "\n" for path, text in pages.items()}
