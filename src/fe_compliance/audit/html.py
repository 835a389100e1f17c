"""The HTML report: one self-contained file a compliance officer opens in a browser.

No network, no external script, style or font: the page carries its own CSS and a small script that sorts and
filters the violations table. It holds the summary (with what reproduces the audit), the violations table (at most
:data:`MAX_TABLE_ROWS` rows; the JSON and CSV reports hold all), and for each of the :data:`MAX_CHARTS` customers
with most violations an inline SVG chart per violated limit: the window's total after each of their carts against
the cap, over time, violating carts marked. The page says when there are more violations or flagged customers than
it shows. Size budget: about 1 KB per table row and 3 KB per chart, so at most about 6 MB.

The chart data comes from a second replay of the inputs that traces only the charted customers (the first pass
found who they are); memory stays bounded by what those customers bought.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TextIO

from .replay import SaleOutcome

__all__ = ["MAX_CHARTS", "MAX_TABLE_ROWS", "SIZE_BUDGET_BYTES", "write_html"]

MAX_CHARTS: Final = 200
MAX_TABLE_ROWS: Final = 5000
SIZE_BUDGET_BYTES: Final = 6_000_000
_W: Final = 640
_H: Final = 150
_PAD: Final = 36

_STYLE: Final = """
body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:1.5em;color:#1d1d1f}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}
th{background:#f2f2f2}#violations th{cursor:pointer;user-select:none}
#violations td.num{text-align:right;font-variant-numeric:tabular-nums}
.confirmed{color:#a40000;font-weight:600}.unconfirmed{color:#9a5b00;font-weight:600}.advisory{color:#555}
.controls{margin:.6em 0}.controls input,.controls select{margin-right:1em}
.chart{display:inline-block;margin:.4em 1em .4em 0;vertical-align:top}
.chart figcaption{font-size:.9em}svg text{font:10px sans-serif;fill:#333}
.note{color:#555;font-style:italic}
"""

_SCRIPT: Final = """
(function(){
  var table=document.getElementById('violations');
  var body=table.tBodies[0];
  var rows=Array.prototype.slice.call(body.rows);
  var text=document.getElementById('filter-text');
  var status=document.getElementById('filter-status');
  var shown=document.getElementById('shown-count');
  function apply(){
    var q=text.value.trim().toLowerCase(), s=status.value, n=0;
    rows.forEach(function(r){
      var ok=(!s||r.getAttribute('data-status')===s)&&(!q||r.textContent.toLowerCase().indexOf(q)>=0);
      r.style.display=ok?'':'none'; if(ok){n++;}
    });
    shown.textContent=String(n);
  }
  var order={};
  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
    th.addEventListener('click',function(){
      var numeric=th.getAttribute('data-type')==='num', dir=order[i]=-(order[i]||-1);
      rows.sort(function(a,b){
        var x=a.cells[i].getAttribute('data-v'), y=b.cells[i].getAttribute('data-v');
        if(numeric){return dir*(parseFloat(x)-parseFloat(y));}
        return dir*(x<y?-1:x>y?1:0);
      });
      rows.forEach(function(r){body.appendChild(r);});
      Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',dir>0?'ascending':'descending');
    });
  });
  text.addEventListener('input',apply); status.addEventListener('change',apply); apply();
})();
"""

_COLUMNS: Final = (
    ("status", "text"),
    ("code", "text"),
    ("customer_id", "text"),
    ("transaction_id", "text"),
    ("sold_at", "text"),
    ("cap", "num"),
    ("used", "num"),
    ("requested", "num"),
    ("total", "num"),
    ("over_by", "num"),
    ("unit", "text"),
    ("sources", "text"),
)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _cell(name: str, kind: str, record: Mapping[str, Any]) -> str:
    value = record[name]
    if name == "sources":
        value = " ".join(value)
    if kind == "num":
        return f'<td class="num" data-v="{float(value)!r}">{float(value):.6g}</td>'
    css = f' class="{_e(value)}"' if name == "status" else ""
    return f'<td{css} data-v="{_e(value)}">{_e(value)}</td>'


def _chart(customer: str, code: str, points: Sequence[tuple[float, float, float, bool]], start: float,
           end: float) -> str:
    """An SVG line of the window total after each cart, the cap as a dashed line, violating carts as red dots."""
    top = max(max(p[1] for p in points), max(p[2] for p in points)) * 1.1 or 1.0
    span = (end - start) or 1.0

    def x(ts: float) -> float:
        return _PAD + (ts - start) / span * (_W - 2 * _PAD)

    def y(value: float) -> float:
        return _H - 20 - value / top * (_H - 40)

    line = " ".join(f"{x(ts):.1f},{y(total):.1f}" for ts, total, _cap, _bad in points)
    caps = " ".join(f"{x(ts):.1f},{y(cap):.1f}" for ts, _total, cap, _bad in points)
    dots = "".join(
        f'<circle class="violation" cx="{x(ts):.1f}" cy="{y(total):.1f}" r="4" fill="#c00">'
        f"<title>{_e(dt.datetime.fromtimestamp(ts, dt.UTC).date())}: {total:.6g} over cap {cap:.6g}</title></circle>"
        for ts, total, cap, bad in points
        if bad
    )
    first_day = dt.datetime.fromtimestamp(start, dt.UTC).date().isoformat()
    last_day = dt.datetime.fromtimestamp(end, dt.UTC).date().isoformat()
    return (
        f'<figure class="chart" data-customer="{_e(customer)}" data-code="{_e(code)}">'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" role="img" '
        f'aria-label="{_e(code)} usage of {_e(customer)}">'
        f'<line x1="{_PAD}" y1="{_H - 20}" x2="{_W - _PAD}" y2="{_H - 20}" stroke="#999"/>'
        f'<polyline class="cap" points="{caps}" fill="none" stroke="#888" stroke-dasharray="4 3"/>'
        f'<polyline class="usage" points="{line}" fill="none" stroke="#1f5fbf" stroke-width="1.5"/>'
        f'{dots}<text x="{_PAD}" y="{_H - 6}">{first_day}</text>'
        f'<text x="{_W - _PAD}" y="{_H - 6}" text-anchor="end">{last_day}</text>'
        f'<text x="4" y="12">{top / 1.1:.4g}</text></svg>'
        f"<figcaption>{_e(customer)}: {_e(code)} (window total after each cart; dashed: cap)</figcaption></figure>"
    )


def charts_html(outcomes: Iterable[SaleOutcome], wanted: Mapping[str, set[str]]) -> list[str]:
    """One chart per (customer, violated limit), from the traced carts of the charted customers."""
    series: dict[tuple[str, str], list[tuple[float, float, float, bool]]] = {}
    for outcome in outcomes:
        codes = wanted.get(outcome.customer_id)
        if not codes:
            continue
        ts = outcome.at.timestamp()
        for figures in outcome.limits:
            if figures.code in codes and figures.requested > 0.0:
                series.setdefault((outcome.customer_id, figures.code), []).append(
                    (ts, figures.total, figures.cap, figures.exceeded)
                )
    if not series:
        return []
    start = min(p[0] for points in series.values() for p in points)
    end = max(p[0] for points in series.values() for p in points)
    return [_chart(customer, code, points, start, end) for (customer, code), points in series.items()]


def write_html(
    summary: Mapping[str, Any],
    violations: Iterable[Mapping[str, Any]],
    charts: Sequence[str],
    flagged_customers: int,
    out: TextIO,
) -> None:
    """Write the report page to ``out``."""
    w = out.write
    by = summary["violations_by_status"]
    w("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    w(f"<title>fe-compliance audit: {_e(summary['pack'])}</title><style>{_STYLE}</style></head><body>")
    w(f"<h1>Purchase-limit audit: {_e(summary['pack'])} ({_e(summary['state'])})</h1>")
    w('<h2>Summary</h2><table id="summary">')
    rows = (
        ("sales from", f"{summary['first_sale']} to {summary['last_sale']}"),
        ("lines read", summary["lines_read"]),
        ("customers", summary["customers"]),
        ("sales (carts)", f"{summary['sales']} ({summary['carts']})"),
        ("returns / voids", f"{summary['returns']} / {summary['voids']}"),
        ("violations", summary["violations"]),
        ("of confirmed limits", by["confirmed"]),
        ("of UNCONFIRMED limits", by["unconfirmed"]),
        ("of advisory limits", by["advisory"]),
        ("bad rows", summary["bad_rows"]),
        ("library", f"fe-compliance {summary['library']['version']}"),
        ("options", json.dumps(summary["options"], sort_keys=True)),
    )
    for key, value in rows:
        w(f'<tr><th>{_e(key)}</th><td data-key="{_e(key)}">{_e(value)}</td></tr>')
    w("</table><h2>Inputs</h2><table><tr><th>file</th><th>format</th><th>rows</th><th>SHA-256</th></tr>")
    for item in summary["inputs"]:
        w(f"<tr><td>{_e(item['file'])}</td><td>{_e(item['format'])}</td><td>{item['rows']}</td>"
          f"<td><code>{_e(item['sha256'])}</code></td></tr>")
    w("</table><h2>Rules in force</h2>")
    for period in summary["rule_periods"]:
        w(f"<p>{_e(period['valid_from'])} to {_e(period['valid_until'] or 'now')}</p><table>"
          "<tr><th>limit</th><th>cap</th><th>window</th><th>standing</th><th>citation</th></tr>")
        for limit in period["limits"]:
            standing = ("confirmed" if limit["confirmed"] else "UNCONFIRMED") + (
                "" if limit["enforced"] else ", advisory")
            w(f"<tr><td>{_e(limit['code'])}</td><td>{_e(limit['cap'])}</td><td>{_e(limit['window'])}</td>"
              f"<td>{_e(standing)}</td><td>{_e(limit['citation'])}</td></tr>")
        w("</table>")
    w("<h2>Violations</h2>")
    w('<div class="controls"><label>Filter <input id="filter-text" type="search" placeholder="customer, limit, '
      'transaction..."></label><label>Standing <select id="filter-status"><option value="">all</option>'
      '<option value="confirmed">confirmed</option><option value="unconfirmed">unconfirmed</option>'
      '<option value="advisory">advisory</option></select></label>'
      'Showing <span id="shown-count">0</span> of <span id="table-count">'
      f'{min(summary["violations"], MAX_TABLE_ROWS)}</span> rows.</div>')
    if summary["violations"] > MAX_TABLE_ROWS:
        w(f'<p class="note" id="table-truncated">The table shows the first {MAX_TABLE_ROWS} of '
          f'{summary["violations"]} violations; the JSON and CSV reports hold all of them.</p>')
    w('<table id="violations"><thead><tr>')
    for name, kind in _COLUMNS:
        w(f'<th data-type="{kind}">{_e(name)}</th>')
    w("</tr></thead><tbody>")
    for n, record in enumerate(violations):
        if n >= MAX_TABLE_ROWS:
            break
        explanation = " | ".join(record["explanation"])
        w(f'<tr data-status="{_e(record["status"])}" title="{_e(explanation)}">')
        w("".join(_cell(name, kind, record) for name, kind in _COLUMNS))
        w("</tr>")
    w("</tbody></table><h2>Usage against the cap, by flagged customer</h2>")
    if flagged_customers > MAX_CHARTS:
        w(f'<p class="note" id="charts-truncated">Charts for the {MAX_CHARTS} customers with most violations, of '
          f"{flagged_customers} customers with violations.</p>")
    w('<div id="charts">')
    for chart in charts:
        w(chart)
    w(f"</div><script>{_SCRIPT}</script></body></html>\n")
