"""The sample size an online test needs, recomputed from a case's own inputs.

Two-sided tests at significance level alpha with the given power. A proportion metric uses
the two-proportion z-test with the pooled variance under the null hypothesis (Fleiss, without
continuity correction); a continuous metric uses the two-sample z-test with a common standard
deviation. The minimum detectable effect is relative: 0.02 on a 5% baseline means 5% -> 5.1%.
"""

from __future__ import annotations

import math
from statistics import NormalDist

from mlsd.models import Experiment, ExperimentMetric

TOLERANCE = 0.10  # a stated sample size may differ from the recomputed one by this fraction


def required_per_arm(metric: ExperimentMetric, significance_level: float, power: float) -> int:
    """Units per arm; raises ValueError when the inputs cannot describe a test."""
    z_alpha = NormalDist().inv_cdf(1 - significance_level / 2)
    z_beta = NormalDist().inv_cdf(power)
    effect = metric.baseline * metric.minimum_detectable_effect
    if metric.kind == "proportion":
        control, treatment = metric.baseline, metric.baseline + effect
        if not (0 < control < 1 and 0 < treatment < 1):
            raise ValueError(
                f"a proportion's baseline and treated rate must lie in (0, 1), got {control} and {treatment}"
            )
        pooled = (control + treatment) / 2
        spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_beta * math.sqrt(
            control * (1 - control) + treatment * (1 - treatment)
        )
        return math.ceil(spread**2 / effect**2)
    if metric.standard_deviation is None:
        raise ValueError("a continuous metric needs its standard_deviation")
    if effect == 0:
        raise ValueError("a continuous metric with a zero baseline has no relative effect")
    return math.ceil(2 * (z_alpha + z_beta) ** 2 * metric.standard_deviation**2 / effect**2)


def minimum_days(experiment: Experiment) -> int:
    return math.ceil(experiment.sample_size_per_arm / experiment.daily_units_per_arm)


if __name__ == "__main__":  # a calculator for authors: python -m mlsd.sample_size proportion 0.05 0.02
    import argparse

    parser = argparse.ArgumentParser(prog="python -m mlsd.sample_size")
    parser.add_argument("kind", choices=["proportion", "continuous"])
    parser.add_argument("baseline", type=float)
    parser.add_argument("mde", type=float, help="relative minimum detectable effect, e.g. 0.02")
    parser.add_argument("--sd", type=float, help="standard deviation of a continuous metric")
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--power", type=float, default=0.8)
    args = parser.parse_args()
    metric = ExperimentMetric(
        name="metric",
        kind=args.kind,
        baseline=args.baseline,
        minimum_detectable_effect=args.mde,
        standard_deviation=args.sd,
    )
    print(required_per_arm(metric, args.alpha, args.power))
