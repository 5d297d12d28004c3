from __future__ import annotations

import pytest

from mlsd.models import ExperimentMetric
from mlsd.sample_size import required_per_arm


def metric(kind: str, baseline: float, effect: float, sd: float | None = None) -> ExperimentMetric:
    return ExperimentMetric(
        name="m",
        kind=kind,
        baseline=baseline,
        minimum_detectable_effect=effect,
        standard_deviation=sd,  # type: ignore[arg-type]
    )


def test_proportion_matches_the_textbook_figure() -> None:
    # 10% -> 12% at alpha 0.05 and power 0.8 needs 3,841 per group (pooled variance, no continuity correction).
    assert required_per_arm(metric("proportion", 0.10, 0.20), 0.05, 0.8) == 3841


def test_continuous_follows_the_closed_form() -> None:
    # 2 * (1.95996 + 0.84162)^2 * 20^2 / (10 * 0.05)^2 = 25,116.3
    assert required_per_arm(metric("continuous", 10, 0.05, sd=20), 0.05, 0.8) == 25117


def test_more_power_needs_more_units() -> None:
    low = required_per_arm(metric("proportion", 0.05, 0.02), 0.05, 0.8)
    assert required_per_arm(metric("proportion", 0.05, 0.02), 0.05, 0.9) > low


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (metric("proportion", 0.9, 0.2), "must lie in (0, 1)"),
        (metric("continuous", 10, 0.05), "needs its standard_deviation"),
    ],
)
def test_impossible_inputs_are_refused(case: ExperimentMetric, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        required_per_arm(case, 0.05, 0.8)
