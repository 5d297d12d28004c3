"""A view of a framework (the 4-step view of the 7 steps): each chapter's page and the checklist
show the chapter regrouped under the view's steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlsd.cli import main

VIEW = """# yaml-language-server: $schema=../schemas/framework.schema.json
id: quick-view
title: A Quick View
summary: The two-step framework seen as one talk and one picture.
interview_minutes: 45
view_of: two-step
steps:
  - id: everything
    title: Talk it through
    goal: Agree on the problem and design it.
    minutes: 40
    checklist: [Ask who the users are, Name two candidates, Choose one]
    pitfalls: [Designing before asking]
    interviewer_listens_for: [Numbers]
    covers: [requirements, design]
  - id: picture
    title: Draw it
    goal: Draw the request path.
    minutes: 5
    checklist: [Draw the client, Draw the index, Label the latency]
    pitfalls: [No numbers on the arrows]
    interviewer_listens_for: [A latency per hop]
"""


@pytest.fixture
def viewed(repo: Path) -> Path:
    (repo / "frameworks" / "quick-view.yaml").write_text(VIEW, encoding="utf-8")
    assert main(["render", "--root", str(repo)]) == 0
    return repo


def test_case_page_shows_the_view_with_links_to_its_steps(viewed: Path) -> None:
    page = (viewed / "docs" / "cases" / "tiny-search.md").read_text(encoding="utf-8")
    assert "- [In the 2-step view](#in-the-2-step-view)" in page
    assert "## In the 2-step view" in page
    row = "| 1\\. Talk it through | 40 | [1\\. Requirements](#1-requirements)<br>[2\\. Design](#2-design) |"
    assert row in page
    assert "| 2\\. Draw it | 5 | [Architecture](#architecture) |" in page


def test_view_page_maps_its_steps_and_lists_the_chapters(viewed: Path) -> None:
    page = (viewed / "docs" / "frameworks" / "quick-view.md").read_text(encoding="utf-8")
    assert "A view of [A Two-Step Framework](two-step.md)" in page
    assert "[1\\. Requirements](two-step.md#1-requirements)<br>[2\\. Design](two-step.md#2-design)" in page
    assert "- [Chapter 2: Tiny Search](../cases/tiny-search.md#in-the-2-step-view)" in page


def test_checklist_regroups_key_points_under_the_view(viewed: Path) -> None:
    output = viewed / "view.html"
    assert main(["checklist", "--root", str(viewed), "--view", "quick-view", "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    talk = html.index("<h3>1. Talk it through</h3>")
    assert html.index("Ask how many documents there are") > talk  # a requirements point
    assert html.index("Name two candidates") > talk  # a design point
    # The picture step covers no step of the framework: it lists what the talk track draws.
    assert '<h3>2. Draw it</h3>\n<ul class="ticks">\n<li>The query path from the app to the index</li>' in html


def test_checklist_refuses_a_framework_that_is_not_a_view(viewed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["checklist", "--root", str(viewed), "--view", "two-step", "--output", str(viewed / "x.html")]) == 2
    assert "--view takes a framework that regroups another: quick-view" in capsys.readouterr().err
    assert not (viewed / "x.html").exists()


def test_case_page_shows_the_talk_track_sizing_experiment_and_production(repo: Path) -> None:
    assert main(["render", "--root", str(repo)]) == 0
    page = (repo / "docs" / "cases" / "tiny-search.md").read_text(encoding="utf-8")
    contents = page.index("## Contents")
    assert contents < page.index("## Talk track: the 45 minutes") < page.index("## 1\\. Requirements")
    assert "| 3 | State the 200 ms p99 budget |" in page
    assert "| Index size | 10 million documents x 2 KB of postings each | **20 GB** |" in page
    assert "**Monthly cost:** \\$1,460, at these unit prices:" in page
    assert "| Sample size per arm | 752,703 (recomputed by `mlsd validate`) |" in page
    assert "| Minimum detectable effect | 2% relative |" in page
    assert "| Example Corp | Site search |" in page and "(https://example.org/bm25)" in page
