"""Template parameters, threshold formulas and the ladder's pause: what loads, and every
mistake reported as one line at its FILE:LINE:COL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from opsplanner.schedule.checks import parse_formula
from opsplanner.schedule.loader import load_schedule
from tests.schedule.test_loader import problems, write

SHOP = """\
schedule: shop
title: Shop routine
parameters:
  gross_margin: 40%
  ad_days_buffer: 1
metrics:
  ad_spend: {label: Spend, unit: money, currency: CNY}
  ad_sales: {label: Ad sales, unit: money, currency: CNY}
  ad_roi: {label: ROI, unit: number, formula: ad_sales / ad_spend}
  ad_margin: {label: Margin, unit: money, formula: ad_sales * gross_margin}
blocks:
  - id: ads
    title: Ads
    start: "11:00"
    end: "12:00"
    tasks:
      - id: ad-report
        title: Ad report
        metrics: [ad_spend, ad_sales, ad_roi]
        checks:
          - ad_roi < 1 / gross_margin
          - ad_spend > ad_sales * ad_days_buffer
          - "ad_roi < days_to_next_workday"
targets:
  weekly:
    metric: ad_sales
    from: 2026-11-02
    base: 1000
    growth: 10%
    pause: [holidays >= 2, 2027-02-08..2027-02-21]
"""


def test_parameters_threshold_formulas_and_pause_load(tmp_path: Path) -> None:
    schedule = load_schedule(write(tmp_path, SHOP))
    assert [(p.id, p.value) for p in schedule.parameters] == [
        ("gross_margin", 0.4),
        ("ad_days_buffer", 1.0),
    ]
    checks = schedule.tasks()[0].checks
    assert [c.source for c in checks] == [
        "ad_roi < 1 / gross_margin",
        "ad_spend > ad_sales * ad_days_buffer",
        "ad_roi < days_to_next_workday",
    ]
    assert checks[0].limit == parse_formula("1 / gross_margin")
    (target,) = schedule.targets
    assert target.pause_holidays == 2
    assert min(target.pause_dates) == date(2027, 2, 8)
    assert len(target.pause_dates) == 14


def test_a_single_pause_word_and_the_default_count(tmp_path: Path) -> None:
    text = SHOP.replace("[holidays >= 2, 2027-02-08..2027-02-21]", "holidays")
    (target,) = load_schedule(write(tmp_path, text)).targets
    assert (target.pause_holidays, target.pause_dates) == (3, frozenset())


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "ad_roi < 1 / gross_margin",
            "ad_roi < 1 / gross_margn",
            "shop.yaml:21:26: task 'ad-report' check names unknown 'gross_margn'; a threshold "
            "may use numbers, metrics, parameters and days_to_next_workday; "
            "did you mean 'gross_margin'?",
        ),
        (
            '"ad_roi < days_to_next_workday"',
            '"ad_roi < days_to_next_work_day"',
            "shop.yaml:23:23: task 'ad-report' check names unknown 'days_to_next_work_day'; a "
            "threshold may use numbers, metrics, parameters and days_to_next_workday; "
            "did you mean 'days_to_next_workday'?",
        ),
        (
            "ad_roi < 1 / gross_margin",
            "ad_roi < 1 / (gross_margin",
            'shop.yaml:21:26: task \'ad-report\' check: unclosed "("; expected ")" before the '
            "end of the check",
        ),
        (
            "ad_roi < 1 / gross_margin",
            "ad_roi < 1 / gross_margin %",
            'shop.yaml:21:39: task \'ad-report\' check: unexpected "%" after "gross_margin"; '
            "expected + - * / or the end of the check",
        ),
        (
            "gross_margin: 40%",
            "gross_margin: forty",
            "shop.yaml:4:17: parameter 'gross_margin' should be a number or a percentage like "
            "40%, not 'forty'",
        ),
        (
            "ad_days_buffer: 1",
            "ad_days_buffer: 1\n  ad_roi: 1",
            "shop.yaml:6:3: parameter 'ad_roi' has the same name as a metric; rename one of them",
        ),
        (
            "ad_days_buffer: 1",
            "ad_days_buffer: 1\n  days_to_next_workday: 1",
            "shop.yaml:6:3: parameter 'days_to_next_workday' is a name opsplanner gives a "
            "meaning to; choose another",
        ),
        (
            "ad_days_buffer: 1",
            "ad_days_buffer: 1\n  gross_margin: 1",
            "shop.yaml:6:3: duplicate parameter 'gross_margin'",
        ),
        (
            "ad_sales * gross_margin}",
            "ad_sales * gross_margn}",
            "shop.yaml:10:63: metric 'ad_margin' `formula` names unknown metric or parameter "
            "'gross_margn'; did you mean 'gross_margin'?",
        ),
        (
            "ad_sales * gross_margin}",
            "ad_sales * days_to_next_workday}",
            "shop.yaml:10:63: metric 'ad_margin' `formula`: 'days_to_next_workday' can only be "
            "used in a check's threshold",
        ),
        (
            "[holidays >= 2, 2027-02-08..2027-02-21]",
            "[holiday, 2027-02-08..2027-02-21]",
            "shop.yaml:30:13: target 'weekly' `pause`: expected holidays, holidays >= N or dates "
            "like 2027-02-08..2027-02-21, not 'holiday'",
        ),
        (
            "[holidays >= 2, 2027-02-08..2027-02-21]",
            "[holidays >= 8]",
            "shop.yaml:30:13: target 'weekly' `pause`: a week has 1 to 7 days, not 8",
        ),
        (
            "[holidays >= 2, 2027-02-08..2027-02-21]",
            "[holidays, 2027-02-21..2027-02-08]",
            "shop.yaml:30:23: target 'weekly' `pause`: range '2027-02-21..2027-02-08' must run "
            "forwards and span at most a year",
        ),
        (
            "[holidays >= 2, 2027-02-08..2027-02-21]",
            "{holidays: 3}",
            "shop.yaml:30:12: target 'weekly' `pause` should be a list",
        ),
    ],
)
def test_mistakes_are_located_one_line_problems(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert SHOP.count(old) == 1
    found = problems(tmp_path, SHOP.replace(old, new))
    assert found == [expected]


def test_parameters_must_be_a_mapping(tmp_path: Path) -> None:
    text = SHOP.replace(
        "parameters:\n  gross_margin: 40%\n  ad_days_buffer: 1\n", "parameters: 40%\n"
    )
    found = problems(tmp_path, text)
    assert found[0] == (
        "shop.yaml:3:13: `parameters` should be a mapping of name → number or percentage, "
        "like gross_margin: 40%"
    )
