"""Skeletons for a new case and a new resource that validate as they are.

A new case gets every step its framework requires, each with placeholder text marked
TODO, so `mlsd validate` passes at once and then lists each placeholder as a warning
until it is written: the contributor sees the whole shape before writing a word.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml

from mlsd.diagrams.skeleton import diagram_skeleton
from mlsd.models import Framework, Resource

TODO = "TODO"
BOOK = "ml-system-design-interview-book"


def _todo(what: str) -> str:
    return f"{TODO}: {what}"


def _section(name: str) -> Any:
    sections: dict[str, Any] = {
        "clarifying_questions": [
            {
                "question": _todo("a question that would change the design?"),
                "assumption": _todo("the answer you assume"),
            }
        ],
        "requirements": {
            "functional": [_todo("what the system must do")],
            "non_functional": [_todo("latency, freshness, availability, privacy")],
            "scale": [
                {"name": _todo("daily active users"), "value": "TODO 100 million"},
                {"name": _todo("peak queries per second"), "value": "TODO 10,000"},
            ],
        },
        "framing": {
            "business_objective": _todo("the business outcome to move"),
            "ml_objective": _todo("what the model optimises"),
            "input": _todo("what the model sees"),
            "output": _todo("what the model returns"),
            "category": ["ranking"],
        },
        "data": {
            "sources": [{"name": _todo("source"), "description": _todo("what it holds")}],
            "labels": [{"name": _todo("label"), "source": _todo("how the label is obtained")}],
            "features": [
                {"name": _todo(f"feature {n}"), "type": "numerical", "computation": _todo("how")} for n in (1, 2, 3)
            ],
            "pipeline": [_todo("how raw data becomes features")],
        },
        "modeling": {
            "candidates": [
                {
                    "name": f"{TODO} candidate {n}",
                    "description": _todo("the approach"),
                    "pros": [_todo("a strength")],
                    "cons": [_todo("a weakness")],
                }
                for n in (1, 2)
            ],
            "chosen": f"{TODO} candidate 1",
            "why": _todo("why this candidate"),
            "loss": _todo("the loss function"),
            "sampling": _todo("how training examples are built and sampled"),
        },
        "evaluation": {
            "offline": [{"name": _todo("offline metric"), "why": _todo("why it fits")}],
            "online": [{"name": _todo("online metric"), "why": _todo("why it fits")}],
            "ab_test": _todo("unit of randomisation, guardrails, duration, decision rule"),
            "business": [{"name": _todo("business metric"), "why": _todo("why it matters")}],
        },
        "serving": {
            "mode": "online",
            "mode_why": _todo("why online, batch or hybrid"),
            "stages": [{"name": _todo("stage"), "description": _todo("what it does"), "latency_ms": 10}],
            "latency_budget_ms": 100,
        },
        "monitoring": {
            "drift": [_todo("what drifts")],
            "signals": [{"name": _todo(f"signal {n}"), "action": _todo("threshold and action")} for n in (1, 2)],
            "retraining": _todo("when and how retraining runs"),
        },
    }
    return sections[name]


def _delivery(framework: Framework) -> dict[str, Any]:
    """Talk track, sizing and experiment placeholders whose numbers already pass the checks."""
    minutes = [min(framework.interview_minutes, 1 + 5 * n) for n in range(8)]
    sizing_kinds = ("request-rate", "candidates-scored", "storage", "fleet", "cost")
    return {
        "talk_track": {
            "opening": _todo("the first 60 seconds, as you would say them"),
            "must_say": [
                {"minute": minute, "point": _todo("a point you must make by this minute")} for minute in minutes
            ],
            "draw": [{"minute": minutes[2], "what": _todo("what you draw on the whiteboard then")}],
            "cut_when_short": [_todo("what to drop when time runs short")],
        },
        "sizing": {
            "rows": [
                {
                    "quantity": _todo(kind.replace("-", " ")),
                    "kind": kind,
                    "inputs": _todo("the assumed inputs and the arithmetic"),
                    "result": "TODO 1",
                    "decision": _todo("the decision this number drives"),
                }
                for kind in sizing_kinds
            ],
            "unit_prices": [{"item": _todo("what is priced"), "price": "TODO $1 per hour", "as_of": date(2026, 1, 1)}],
            "monthly_cost_usd": 1,
        },
        "experiment": {
            "unit": _todo("the unit of randomisation and why"),
            "primary_metric": {
                "name": _todo("primary metric"),
                "kind": "proportion",
                "baseline": 0.05,
                "minimum_detectable_effect": 0.02,
            },
            "significance_level": 0.05,
            "power": 0.8,
            "sample_size_per_arm": 752703,
            "daily_units_per_arm": 60000,
            "traffic": _todo("how the daily units per arm follow from the chapter's traffic"),
            "duration_days": 14,
            "guardrails": [_todo("a metric that must not regress")],
            "decision_rule": _todo("when you ship"),
            "if_unmeasurable": _todo("what to do when the metric cannot be measured at this scale"),
        },
    }


def case_skeleton(
    identifier: str,
    chapter: int | None,
    title: str,
    part: str,
    difficulty: str,
    tags: list[str],
    framework: Framework,
    reference: str,
    today: date,
) -> dict[str, Any]:
    """The reference is a resource id the skeleton cites (the book, where the repository lists it).

    Without a chapter the case is numbered when it merges (mlsd number), so it is left out."""
    delivery = _delivery(framework)
    steps: dict[str, Any] = {}
    for step in framework.steps:
        content: dict[str, Any] = {
            "discussion": _todo(f"a paragraph on {step.title.lower()}: {step.goal}"),
            "key_points": [_todo(item) for item in step.checklist[:3]],
        }
        for section in step.sections:
            content[section] = _section(section)
        steps[step.id] = content
    numbered = {"chapter": chapter} if chapter is not None else {}
    return {
        "id": identifier,
        **numbered,
        "title": title,
        "part": part,
        "difficulty": difficulty,
        "tags": tags,
        "framework": framework.id,
        "summary": _todo("two to four sentences on the problem and the heart of the design"),
        "reviewed": today,
        "talk_track": delivery["talk_track"],
        "steps": steps,
        "diagrams": [diagram_skeleton()],
        "sizing": delivery["sizing"],
        "experiment": delivery["experiment"],
        "tradeoffs": [
            {
                "decision": _todo("a decision"),
                "chosen": _todo("what you chose"),
                "alternative": _todo("what you gave up"),
                "why": _todo("why"),
            }
        ],
        "follow_ups": [{"question": _todo("a question an interviewer asks next?"), "answer": _todo("a short answer")}],
        "patches": [
            {
                "title": _todo("what changed"),
                "year": today.year,
                "change": _todo("what practice does now"),
                "why": _todo("why it changed"),
                "references": [],
            }
        ],
        "in_production": [
            {
                "company": _todo("a company that built this"),
                "system": _todo("its system"),
                "what": _todo("what they did, in your words"),
                "reference": reference,
            }
        ],
        "references": [reference],
    }


def resource_entry(values: dict[str, Any]) -> dict[str, Any]:
    return {key: values[key] for key in Resource.model_fields if values.get(key) not in (None, [], "")}


def dump(data: dict[str, Any], schema_line: str) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)
    return f"{schema_line}\n{body}"
