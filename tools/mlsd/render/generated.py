"""Every file `mlsd render` owns: the generated pages and checklist, and the pages left over."""

from __future__ import annotations

from pathlib import Path

from mlsd.collection import Collection
from mlsd.diagrams.svg import CACHE_DIR, SvgCache
from mlsd.render.checklist import ChecklistOptions, render_checklist
from mlsd.render.pages import CASE_PAGES, FRAMEWORK_PAGES, render_pages

CHECKLIST_FILE = "docs/checklist.html"


def generated_files(root: Path, collection: Collection) -> dict[str, str]:
    readme = root / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    files = render_pages(collection, current)
    svgs = SvgCache(root / CACHE_DIR)
    files[CHECKLIST_FILE] = render_checklist(collection, ChecklistOptions(), svgs)
    files.update(svgs.files(CACHE_DIR))
    return files


def orphans(root: Path, files: dict[str, str]) -> list[str]:
    """Generated pages whose case or framework no longer exists, and SVGs no diagram uses."""
    found = []
    for folder, pattern in ((CASE_PAGES, "*.md"), (FRAMEWORK_PAGES, "*.md"), (CACHE_DIR, "*.svg")):
        for path in sorted((root / folder).glob(pattern)):
            relative = path.relative_to(root).as_posix()
            if relative not in files:
                found.append(relative)
    return found
