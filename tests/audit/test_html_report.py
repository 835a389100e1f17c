"""The HTML report in real headless Chromium: self-contained, sorts and filters, counts and charts, no errors.

Needs Debian's ``chromium`` (``.ci/run`` installs it when missing). Without a browser the test is skipped, except
under ``CI=true``, where it fails: the report must be checked in a real browser in CI.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from fe_compliance.cli import main

from ._cdp import Browser, find_browser

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no Chromium: under CI the HTML report must be checked in a real browser (.ci/run installs it)")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    opened = Browser(executable)
    try:
        yield opened
    finally:
        opened.close()


def _audit(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    page = tmp_path / "report.html"
    args = ["audit", str(ROOT / "examples" / "ma_sales_2024.csv"), "--customers",
            str(ROOT / "examples" / "ma_customers.csv"), "--state", "MA", "--exit-zero", "--quiet"]
    assert main([*args, "--html", str(page)], out=io.StringIO(), err=io.StringIO()) == 0
    out = io.StringIO()
    main([*args, "--json"], out=out, err=io.StringIO())
    return page, json.loads(out.getvalue())


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    page, _ = _audit(tmp_path)
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(" not in text and "<link" not in text
    assert page.stat().st_size < 6_000_000


def test_sorts_filters_counts_and_charts_in_chromium(tmp_path: Path, browser: Browser) -> None:
    page, report = _audit(tmp_path)
    violations = report["violations"]
    assert isinstance(violations, list) and len(violations) == 6
    browser.open(page.as_uri())
    js = browser.evaluate
    assert js("document.querySelectorAll('#violations tbody tr').length") == 6
    assert js("document.getElementById('shown-count').textContent") == "6"
    assert js("document.querySelector('td[data-key=\"violations\"]').textContent") == "6"
    # sort by "over_by" (column 10), numerically, both ways
    over = sorted(float(v["over_by"]) for v in violations)
    column = "Array.from(document.querySelectorAll('#violations tbody tr')).map(r => parseFloat(r.cells[9]"
    js("document.querySelectorAll('#violations th')[9].click()")
    assert js(column + ".getAttribute('data-v')))") == over
    js("document.querySelectorAll('#violations th')[9].click()")
    assert js(column + ".getAttribute('data-v')))") == over[::-1]
    # sort by customer, as text
    js("document.querySelectorAll('#violations th')[2].click()")
    customers = js("Array.from(document.querySelectorAll('#violations tbody tr')).map(r => r.cells[2].textContent)")
    assert customers == sorted(v["customer_id"] for v in violations)
    # filter by standing, then by text
    visible = "Array.from(document.querySelectorAll('#violations tbody tr')).filter(r => r.style.display !== 'none')"
    choose = "{const s = document.getElementById('filter-status'); s.value = '%s'; s.dispatchEvent(new Event('change'))}"  # noqa: E501
    js(choose % "advisory")
    advisory = sum(1 for v in violations if v["status"] == "advisory")
    assert js(visible + ".length") == advisory == 2
    assert js("document.getElementById('shown-count').textContent") == str(advisory)
    js(choose % "")
    js("{const t = document.getElementById('filter-text'); t.value = 'M-PLANT-1'; t.dispatchEvent(new Event('input'))}")
    assert js(visible + ".map(r => r.cells[3].textContent)") == ["T-PLANT-M1-5"]
    # one chart per flagged customer and violated limit, with each violating cart marked
    charts = js("Array.from(document.querySelectorAll('#charts figure')).map(f => [f.dataset.customer, "
                "f.dataset.code, f.querySelectorAll('circle.violation').length, "
                "f.querySelector('polyline.usage').getAttribute('points').split(' ').length])")
    expected = sorted((v["customer_id"], v["code"]) for v in violations)
    assert sorted((c, code) for c, code, _, _ in charts) == expected
    assert all(marks == 1 for _, _, marks, _ in charts)
    m1 = next(points for c, _, _, points in charts if c == "M-PLANT-1")
    assert m1 == 5  # the five 70 g purchases
    assert js("document.querySelector('#charts svg').getBoundingClientRect().width") > 100
    assert browser.console_errors() == []
    assert [url for url in browser.requests() if not url.startswith("file:")] == []


def test_the_page_says_when_it_shows_only_some_customers_and_rows() -> None:
    from fe_compliance.audit.html import MAX_CHARTS, MAX_TABLE_ROWS, write_html

    summary = {
        "pack": "Massachusetts", "state": "MA", "first_sale": "a", "last_sale": "b", "lines_read": 1,
        "customers": 1, "sales": 1, "carts": 1, "returns": 0, "voids": 0, "violations": MAX_TABLE_ROWS + 1,
        "violations_by_status": {"confirmed": 1, "unconfirmed": 0, "advisory": 0}, "bad_rows": 0,
        "library": {"version": "x"}, "options": {}, "inputs": [], "rule_periods": [],
    }
    out = io.StringIO()
    write_html(summary, iter(()), [], MAX_CHARTS + 50, out)
    page = out.getvalue()
    assert f"of {MAX_CHARTS + 50} customers with violations" in page and 'id="charts-truncated"' in page
    assert f"first {MAX_TABLE_ROWS} of {MAX_TABLE_ROWS + 1} violations" in page
