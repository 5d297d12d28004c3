"""Every problem code mlsd reports, declared once with what it means.

Problem.code is typed Code, so mypy rejects a code that is not declared here; CODES gives
each its one-line meaning, and a test checks that each has a golden fixture.
"""

from __future__ import annotations

from typing import Literal

Code = Literal[
    # Reading one file (loader.py, content.py)
    "size",
    "encoding",
    "yaml",
    "empty",
    "alias",
    "duplicate-key",
    "missing-file",
    "file-name",
    "schema-comment",
    "type",
    "schema",
    # The collection (checks/)
    "duplicate-id",
    "duplicate-chapter",
    "duplicate-item",
    "dangling-ref",
    "missing-step",
    "missing-section",
    "unknown-step",
    "missing-patch",
    "placeholder",
    "duplicate-url",
    # The second edition (checks/delivery.py, ageing.py, crosswalk.py)
    "missing-field",
    "sizing-gap",
    "sample-size",
    "experiment-duration",
    "experiment-inputs",
    "unlisted-ref",
    "talk-track",
    "stale-patch",
    "stale-review",
    "crosswalk",
    # The URL policy (urls.py)
    "url-invalid",
    "url-scheme",
    "url-tracking",
    "url-credentials",
    "url-private",
    "url-shortener",
    "url-piracy",
    # mlsd links (links/state.py)
    "allowlist",
]

CODES: dict[Code, str] = {
    "size": "the file is larger than a content file can reasonably be",
    "encoding": "the file is not UTF-8",
    "yaml": "the file is not valid YAML (syntax, tabs, several documents, a key that is not plain)",
    "empty": "the file holds nothing",
    "alias": "YAML anchors, aliases and merge keys are refused: each value is written where it is read",
    "duplicate-key": "a key appears twice in one mapping",
    "missing-file": "resources.yaml, the resource list and tag vocabulary, is missing",
    "file-name": "a content file does not end in .yaml, or is not named after its id",
    "schema-comment": "the first line does not name the file's JSON Schema",
    "type": "the file holds something other than a mapping of keys to values",
    "schema": "the model rejects a value: a missing or unknown key, a wrong type or value",
    "duplicate-id": "two cases, frameworks or resources share an id",
    "duplicate-chapter": "two cases share a chapter number",
    "duplicate-item": "a tag, reference or case is listed twice",
    "dangling-ref": "a framework, resource, case or tag that the reference names does not exist",
    "missing-step": "a case lacks a step its framework requires",
    "missing-section": "a step lacks a section its framework requires",
    "unknown-step": "a case has a step its framework does not have",
    "missing-patch": "a classic chapter has no patch saying what changed since the book",
    "placeholder": "TODO text from 'mlsd new case' is still in the case (a warning)",
    "duplicate-url": "two resources link the same page",
    "missing-field": "a chapter lacks a second-edition field (talk track, sizing, experiment, ...)",
    "sizing-gap": "the sizing lacks a quantity every chapter (or every LLM chapter) sizes",
    "sample-size": "the experiment's sample size is more than 10% off what its own inputs need",
    "experiment-duration": "the experiment's traffic cannot reach its sample size in its duration",
    "experiment-inputs": "the experiment's metric cannot describe a test (a rate outside (0, 1), no deviation)",
    "unlisted-ref": "a production example cites a write-up missing from the chapter's references",
    "talk-track": "the talk track's minutes run backwards or past the interview",
    "stale-patch": "the chapter's newest patch is more than 18 months old (a warning)",
    "stale-review": "the chapter was last reviewed more than 12 months ago (a warning)",
    "crosswalk": "a view of another framework covers one of its steps twice, never, or out of order",
    "url-invalid": "the URL cannot be parsed or has no host",
    "url-scheme": "the URL is not https",
    "url-tracking": "the URL carries tracking parameters",
    "url-credentials": "the URL carries a user name or password",
    "url-private": "the URL points at a private, loopback or non-public host",
    "url-shortener": "the URL goes through a link shortener",
    "url-piracy": "the URL points at a site that hosts unlicensed copies",
    "allowlist": "an entry of the links allowlist is malformed (reported by mlsd links)",
}
