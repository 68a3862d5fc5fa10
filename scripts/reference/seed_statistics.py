#!/usr/bin/env python3
"""Prints the reference numbers of tests/SonoSynth.Tests/Metrics/SeedStatisticsTests.cs, computed by SciPy.

Run with Debian's SciPy (python3-scipy): /usr/bin/python3 scripts/reference/seed_statistics.py
"""
import numpy as np
from scipy import stats

first = np.array([71.25, 68.75, 74.5, 70.0, 69.5])
second = np.array([66.0, 69.25, 70.5, 64.75, 67.0])
mean = first.mean()
low, high = stats.t.interval(0.95, len(first) - 1, loc=mean, scale=stats.sem(first))
print(f"mean interval of first: mean {mean!r} sd {first.std(ddof=1)!r} lower {low!r} upper {high!r}")
difference = first - second
dlow, dhigh = stats.t.interval(0.95, len(difference) - 1, loc=difference.mean(), scale=stats.sem(difference))
result = stats.ttest_rel(first, second)
print(f"paired first-second: mean {difference.mean()!r} lower {dlow!r} upper {dhigh!r} t {result.statistic!r} p {result.pvalue!r}")
