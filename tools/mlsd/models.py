"""The content model: what a framework, a case and the resource list may hold.

Pydantic models only, no I/O. Every model forbids unknown keys and is strict, so
YAML 1.1's `yes`/`no`/`on` (booleans) or `1.0` (a float) never pass for text.
Rules that need more than one file (references, duplicates) live in checks.py.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
Line = Annotated[str, StringConstraints(min_length=2, max_length=400)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=240)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- frameworks ------------------------------------------------------------


# Structured parts of a case step; a framework step names those it requires.
Section = Literal[
    "clarifying_questions",
    "requirements",
    "framing",
    "data",
    "modeling",
    "evaluation",
    "serving",
    "monitoring",
]
SECTIONS: tuple[Section, ...] = get_args(Section)


class FrameworkStep(Strict):
    id: Id
    title: Name
    goal: Text
    minutes: int = Field(ge=1, le=60, description="Time budget in a 45-60 minute interview.")
    checklist: list[Line] = Field(min_length=3, description="Concrete items a candidate can tick.")
    pitfalls: list[Line] = Field(min_length=1)
    interviewer_listens_for: list[Line] = Field(min_length=1)
    sections: list[Section] = Field(
        default_factory=list,
        description="Structured sections every case must fill in this step.",
    )


class Framework(Strict):
    id: Id
    title: Name
    summary: Text
    interview_minutes: int = Field(ge=15, le=120)
    source: Text | None = Field(default=None, description="Where the framework comes from.")
    steps: list[FrameworkStep] = Field(min_length=2)


# --- cases: the structured sections ----------------------------------------


class ClarifyingQuestion(Strict):
    question: Line
    assumption: Text = Field(description="The answer assumed for this design.")


class Figure(Strict):
    """A number the design is sized against, e.g. 'peak queries per second': '20,000'."""

    name: Name
    value: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"\d")]


class Requirements(Strict):
    functional: list[Line] = Field(min_length=1)
    non_functional: list[Line] = Field(min_length=1)
    scale: list[Figure] = Field(min_length=2)


MLCategory = Literal[
    "binary classification",
    "multiclass classification",
    "multilabel classification",
    "regression",
    "ranking",
    "representation learning",
    "object detection",
    "image segmentation",
    "forecasting",
    "clustering",
    "sequence generation",
    "image generation",
    "retrieval",
    "anomaly detection",
    "reinforcement learning",
]


class Framing(Strict):
    business_objective: Text
    ml_objective: Text
    input: Text
    output: Text
    category: list[MLCategory] = Field(min_length=1)
    why: Text | None = None


class DataSource(Strict):
    name: Name
    description: Text


class Label(Strict):
    name: Name
    source: Text = Field(description="How the label is obtained: explicit, implicit, human, model.")
    caveats: Text | None = None


class Feature(Strict):
    name: Name
    type: Name = Field(description="e.g. numerical, categorical, embedding, text, image.")
    computation: Text = Field(description="How the value is computed, and when.")


class Data(Strict):
    sources: list[DataSource] = Field(min_length=1)
    labels: list[Label] = Field(min_length=1)
    features: list[Feature] = Field(min_length=3)
    pipeline: list[Line] = Field(min_length=1, description="Stages that turn raw data into features.")


class Candidate(Strict):
    name: Name
    description: Text
    pros: list[Line] = Field(min_length=1)
    cons: list[Line] = Field(min_length=1)


class Modeling(Strict):
    candidates: list[Candidate] = Field(min_length=2)
    chosen: Name = Field(description="The name of one of the candidates.")
    why: Text
    loss: Text
    sampling: Text = Field(description="How training examples are built and sampled.")

    @field_validator("chosen")
    @classmethod
    def _chosen_is_a_candidate(cls, chosen: str, info: ValidationInfo) -> str:
        names = [candidate.name for candidate in info.data.get("candidates", [])]
        if names and chosen not in names:
            raise ValueError(f"'{chosen}' is not one of the candidates: {', '.join(names)}")
        return chosen


class Metric(Strict):
    name: Name
    why: Text


class Evaluation(Strict):
    offline: list[Metric] = Field(min_length=1)
    online: list[Metric] = Field(min_length=1)
    ab_test: Text = Field(description="Unit of randomisation, guardrails, duration, decision rule.")
    business: list[Metric] = Field(default_factory=list)


PredictionMode = Literal["online", "batch", "hybrid"]


class Stage(Strict):
    name: Name
    description: Text
    latency_ms: int | None = Field(default=None, ge=0, le=3_600_000)


class Serving(Strict):
    mode: PredictionMode
    mode_why: Text
    stages: list[Stage] = Field(min_length=1)
    latency_budget_ms: int | None = Field(default=None, ge=1, le=3_600_000)


class Signal(Strict):
    name: Name
    action: Text = Field(description="What is watched, the threshold, and what happens then.")


class Monitoring(Strict):
    drift: list[Line] = Field(min_length=1)
    signals: list[Signal] = Field(min_length=2)
    retraining: Text


class StepContent(Strict):
    """What a case says for one framework step: prose, key points and sections."""

    discussion: Text
    key_points: list[Line] = Field(min_length=3, description="Rendered as the step's checklist.")
    clarifying_questions: list[ClarifyingQuestion] | None = None
    requirements: Requirements | None = None
    framing: Framing | None = None
    data: Data | None = None
    modeling: Modeling | None = None
    evaluation: Evaluation | None = None
    serving: Serving | None = None
    monitoring: Monitoring | None = None

    def filled_sections(self) -> set[Section]:
        return {section for section in SECTIONS if getattr(self, section) is not None}


# --- cases -----------------------------------------------------------------


Part = Literal["classic", "patched"]


Difficulty = Literal["easy", "medium", "hard"]


class Tradeoff(Strict):
    decision: Line
    chosen: Text
    alternative: Text
    why: Text


class FollowUp(Strict):
    question: Line
    answer: Text


class Patch(Strict):
    title: Name
    year: int = Field(ge=2018, le=2100, description="When the change became common practice.")
    change: Text = Field(description="What modern practice does differently.")
    why: Text
    references: list[Id] = Field(default_factory=list)


class Case(Strict):
    id: Id
    chapter: int = Field(ge=1, le=99_999)
    title: Name
    part: Part
    difficulty: Difficulty
    tags: list[Id] = Field(min_length=1)
    framework: Id
    summary: Text
    steps: dict[Id, StepContent] = Field(min_length=1)
    tradeoffs: list[Tradeoff] = Field(min_length=1)
    follow_ups: list[FollowUp] = Field(min_length=1)
    patches: list[Patch] = Field(default_factory=list)
    references: list[Id] = Field(min_length=1)


# --- resources -------------------------------------------------------------


ResourceType = Literal["book", "course", "paper", "blog", "repository", "talk", "tool", "newsletter"]


Access = Literal["free", "paid", "freemium"]


Status = Literal["active", "archived", "retired"]


class Resource(Strict):
    id: Id
    title: Title
    url: Annotated[str, StringConstraints(min_length=8, max_length=2000)]
    type: ResourceType
    tags: list[Id] = Field(min_length=1)
    year: int = Field(ge=1950, le=2100)
    access: Access
    cases: list[Id] = Field(default_factory=list, description="Ids of the cases it supports.")
    description: Line
    authors: list[Name] = Field(default_factory=list)
    status: Status = "active"


class ResourceList(Strict):
    tags: dict[Id, Line] = Field(min_length=1, description="The controlled tag vocabulary.")
    resources: list[Resource] = Field(min_length=1)


WORD = re.compile("[\\w'\u2019-]+")


def word_count(value: object) -> int:
    """Words in every string of a dumped model, keys excluded."""
    if isinstance(value, str):
        return len(WORD.findall(value))
    if isinstance(value, dict):
        return sum(word_count(item) for item in value.values())
    if isinstance(value, list):
        return sum(word_count(item) for item in value)
    return 0
