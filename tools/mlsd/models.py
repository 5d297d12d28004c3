"""The content model: what a framework, a case and the resource list may hold.

Pydantic models only, no I/O. Every model forbids unknown keys and is strict, so
YAML 1.1's `yes`/`no`/`on` (booleans) or `1.0` (a float) never pass for text.
Rules that need more than one file (references, duplicates) live in checks.py.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator
from pydantic.fields import FieldInfo

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]
Line = Annotated[str, StringConstraints(min_length=2, max_length=400)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=240)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def yaml_keys(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The keys a model takes in YAML: a field's alias where it has one (a diagram edge's `from`)."""
    return {field.alias or name: field for name, field in model.model_fields.items()}


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
    covers: list[Id] = Field(
        default_factory=list,
        description="In a view of another framework: the ids of that framework's steps this step groups.",
    )


class Framework(Strict):
    id: Id
    title: Name
    summary: Text
    interview_minutes: int = Field(ge=15, le=120)
    source: Text | None = Field(default=None, description="Where the framework comes from.")
    view_of: Id | None = Field(
        default=None,
        description="The framework whose steps this one regroups (a crosswalk); its steps then say what they cover.",
    )
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


# --- cases: delivering the design in 45 minutes -----------------------------


Minute = Annotated[int, Field(ge=0, le=60, description="Minute of a 45-60 minute interview.")]


class MustSay(Strict):
    minute: Minute
    point: Line


class DrawCue(Strict):
    minute: Minute
    what: Line = Field(description="What to draw on the whiteboard at that minute.")


class TalkTrack(Strict):
    """What a candidate says and draws, minute by minute, and what to drop when time runs short."""

    opening: Text = Field(description="The first 60 seconds, as the candidate would say them.")
    must_say: list[MustSay] = Field(min_length=8, max_length=10)
    draw: list[DrawCue] = Field(min_length=1)
    cut_when_short: list[Line] = Field(min_length=1)


SizingKind = Literal[
    "request-rate",
    "candidates-scored",
    "storage",
    "memory",
    "fleet",
    "cost",
    "gpu-memory",
    "tokens-per-second",
    "cost-per-million-tokens",
    "other",
]


class SizingRow(Strict):
    quantity: Name
    kind: SizingKind
    inputs: Text = Field(description="The assumed inputs and the arithmetic that joins them.")
    result: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"\d")]
    decision: Text = Field(description="The design decision this number drives.")


class UnitPrice(Strict):
    item: Name
    price: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"\d")]
    as_of: date = Field(description="When the price was read.")
    source: Text | None = Field(default=None, description="Where the price comes from (a list price, a rate card).")


class Sizing(Strict):
    rows: list[SizingRow] = Field(min_length=5)
    unit_prices: list[UnitPrice] = Field(min_length=1)
    monthly_cost_usd: int = Field(ge=1, description="The monthly cost the cost row arrives at, in dollars.")


MetricKind = Literal["proportion", "continuous"]


class ExperimentMetric(Strict):
    """The primary metric. For a proportion, baseline is the control rate in (0, 1)."""

    name: Name
    kind: MetricKind
    baseline: float
    minimum_detectable_effect: float = Field(gt=0, description="Relative to the baseline: 0.02 means 2%.")
    standard_deviation: float | None = Field(default=None, gt=0, description="Required for a continuous metric.")


class Experiment(Strict):
    """The online test, sized from the chapter's own traffic; mlsd validate recomputes the sample size."""

    unit: Text = Field(description="The unit of randomisation and why.")
    primary_metric: ExperimentMetric
    significance_level: float = Field(gt=0, le=0.2, description="Two-sided alpha.")
    power: float = Field(ge=0.5, lt=1)
    sample_size_per_arm: int = Field(ge=1)
    daily_units_per_arm: int = Field(ge=1, description="Units entering each arm per day, from the chapter's traffic.")
    traffic: Text = Field(description="How daily_units_per_arm follows from the chapter's scale.")
    duration_days: int = Field(ge=1, le=365)
    guardrails: list[Line] = Field(min_length=1)
    decision_rule: Text
    if_unmeasurable: Text = Field(description="What to do when the metric cannot be measured at this scale.")


class ProductionExample(Strict):
    company: Name
    system: Name
    what: Text = Field(description="What they built, in our words.")
    reference: Id = Field(description="The resource id of their first-party write-up.")


# --- cases: architecture diagrams ------------------------------------------


NodeKind = Literal["client", "service", "model", "store", "index", "cache", "stream", "job", "external", "human"]
Direction = Literal["LR", "RL", "TB", "BT"]
NodeLabel = Annotated[str, StringConstraints(min_length=1, max_length=48)]
EdgeLabel = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class DiagramNode(Strict):
    id: Id = Field(description="Named by edges and groups; never shown (the page generates its own ids).")
    label: NodeLabel = Field(description="One line of plain text, e.g. 'Feature store (Redis)'.")
    kind: NodeKind = Field(description="Sets the shape: a cylinder for a store, index or cache, a hexagon for a model.")


class DiagramEdge(Strict):
    """An arrow. Edges that carry latency_ms form the online request path."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)

    source: Id = Field(alias="from", description="The id of the node the arrow leaves.")
    to: Id = Field(description="The id of the node the arrow points at.")
    label: EdgeLabel | None = Field(default=None, description="What flows along it, e.g. 'features' or 'top 500'.")
    latency_ms: int | None = Field(
        default=None,
        ge=0,
        le=3_600_000,
        description=(
            "Marks the edge as part of the online request path, with the time its stage takes. The longest"
            " chain of such edges must fit the serving latency_budget_ms."
        ),
    )


class DiagramGroup(Strict):
    id: Id
    label: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="e.g. 'Online', 'Nearline', 'Offline'."
    )
    nodes: list[Id] = Field(min_length=1, description="The ids of its nodes; a node is in at most one group.")


class Diagram(Strict):
    id: Id
    title: Name = Field(description="What the picture shows, as a caption.")
    direction: Direction = Field(default="LR", description="LR: left to right; TB: top to bottom.")
    nodes: list[DiagramNode] = Field(min_length=2, max_length=40)
    edges: list[DiagramEdge] = Field(min_length=1, max_length=80)
    groups: list[DiagramGroup] = Field(default_factory=list)


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
    year: int = Field(
        ge=2018,
        le=2100,
        description=(
            "The year the practice reached production: the release or publication year of the newest"
            " first-party source cited for it. A patch's age is counted from 1 July of that year."
        ),
    )
    change: Text = Field(description="What modern practice does differently.")
    why: Text
    references: list[Id] = Field(default_factory=list)


class Case(Strict):
    id: Id
    chapter: int | None = Field(
        default=None,
        ge=1,
        le=99_999,
        description=(
            "Leave it out in a new case: the case is numbered on main when it merges (mlsd number),"
            " so two new cases never claim the same number."
        ),
    )
    title: Name
    part: Part
    difficulty: Difficulty
    tags: list[Id] = Field(min_length=1)
    framework: Id
    summary: Text
    reviewed: date | None = Field(default=None, description="When the chapter was last reviewed as a whole.")
    talk_track: TalkTrack | None = None
    steps: dict[Id, StepContent] = Field(min_length=1)
    diagrams: list[Diagram] | None = Field(
        default=None,
        min_length=1,
        description="Architecture diagrams: the online request path and the offline path that feeds it.",
    )
    sizing: Sizing | None = None
    experiment: Experiment | None = None
    tradeoffs: list[Tradeoff] = Field(min_length=1)
    follow_ups: list[FollowUp] = Field(min_length=1)
    patches: list[Patch] = Field(default_factory=list)
    in_production: list[ProductionExample] | None = Field(default=None, min_length=1)
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
