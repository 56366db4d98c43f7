"""The home page's chart: commitments made and delivered over time, as inline SVG drawn at
build time (no script, no asset from elsewhere), with its numbers as a table beside it.

Made: each commitment counted in the period of its first mention. Delivered: each commitment
counted in the period of its first "delivered" or "partly delivered" event. Periods are years,
or quarters when the data spans under three years (a handful of bars would say little).
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

# Bar colours: each at least 3:1 against the white background (WCAG non-text contrast),
# and the two told apart by a pattern of their own as well as by colour.
MADE_COLOUR = "#1d5fa0"
DELIVERED_COLOUR = "#155724"
DELIVERED_EVENTS = ("delivered", "partly_delivered")

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 48


@dataclass
class Chart:
    period_name: str  # "Year" or "Quarter"
    rows: list[tuple[str, int, int]]  # (period label, made, delivered), in time order
    svg: str

    @property
    def totals(self) -> tuple[int, int]:
        return sum(r[1] for r in self.rows), sum(r[2] for r in self.rows)


def _period(day: str, quarterly: bool) -> str | None:
    if not day or len(day) < 7 or not day[:4].isdigit():
        return None
    if not quarterly:
        return day[:4]
    month = int(day[5:7]) if day[5:7].isdigit() else 1
    return f"{day[:4]} Q{(month - 1) // 3 + 1}"


def _all_periods(first: str, last: str, quarterly: bool) -> list[str]:
    """Every period from first to last, empty ones included: a gap in time shows as a gap."""
    if not quarterly:
        return [str(y) for y in range(int(first), int(last) + 1)]
    (y, q), (end_y, end_q) = ((int(p[:4]), int(p[-1])) for p in (first, last))
    out = []
    while (y, q) <= (end_y, end_q):
        out.append(f"{y} Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def delivered_date(commitment: dict) -> str | None:
    return next((e["date"] for e in commitment.get("events", [])
                 if e.get("event") in DELIVERED_EVENTS and e.get("date")), None)


def made_and_delivered(commitments: list[dict]) -> Chart | None:
    """The chart's numbers and its SVG; None when no commitment has a date."""
    made_dates = [c["first_made"] for c in commitments if _period(c.get("first_made") or "", False)]
    delivered_dates = [d for d in map(delivered_date, commitments) if d and _period(d, False)]
    every = made_dates + delivered_dates
    if not every:
        return None
    quarterly = int(max(every)[:4]) - int(min(every)[:4]) < 3
    made, delivered = {}, {}
    for dates, counts in ((made_dates, made), (delivered_dates, delivered)):
        for day in dates:
            key = _period(day, quarterly)
            counts[key] = counts.get(key, 0) + 1
    periods = _all_periods(_period(min(every), quarterly), _period(max(every), quarterly), quarterly)
    rows = [(p, made.get(p, 0), delivered.get(p, 0)) for p in periods]
    name = "Quarter" if quarterly else "Year"
    return Chart(name, rows, _svg(rows, name))


def _nice_max(value: int) -> int:
    for step in (1, 2, 5):
        for scale in (1, 10, 100, 1000, 10000, 100000):
            if step * scale * 4 >= value:
                return step * scale * 4
    return value


def _svg(rows: list[tuple[str, int, int]], period_name: str) -> str:
    top = _nice_max(max(max(m, d) for _, m, d in rows) or 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(rows)
    bar = max(min(slot * 0.38, 28), 1)
    label_every = max(1, round(len(rows) / 12))  # no more than about a dozen axis labels

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
             f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
             '<title id="chart-title">Commitments made and delivered, by '
             f'{period_name.lower()}</title>',
             f'<desc id="chart-desc">{escape(_describe(rows, period_name))}</desc>',
             '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="6" height="6" fill="#155724"/>'
             '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2"/></pattern></defs>']
    for i in range(5):  # grid lines and their values
        value = top * i // 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#333">{value}</text>')
    for i, (label, made, delivered) in enumerate(rows):
        x = LEFT + i * slot + slot / 2
        for value, dx, fill, what in ((made, -bar, MADE_COLOUR, "made"), (delivered, 0, "url(#hatch)", "delivered")):
            if value:
                parts.append(f'<rect x="{x + dx:.1f}" y="{y(value):.1f}" width="{bar:.1f}" '
                             f'height="{y(0) - y(value):.1f}" fill="{fill}"><title>{escape(label)}: {value} '
                             f'{what}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" '
                         f'fill="#333">{escape(label)}</text>')
    legend_y = HEIGHT - 12
    parts.append(f'<rect x="{LEFT}" y="{legend_y - 10}" width="12" height="12" fill="{MADE_COLOUR}"/>'
                 f'<text x="{LEFT + 18}" y="{legend_y}" font-size="12" fill="#1b1b1b">Made (first mentioned)</text>'
                 f'<rect x="{LEFT + 190}" y="{legend_y - 10}" width="12" height="12" fill="url(#hatch)"/>'
                 f'<text x="{LEFT + 208}" y="{legend_y}" font-size="12" fill="#1b1b1b">Delivered (in full or '
                 'part)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _describe(rows: list[tuple[str, int, int]], period_name: str) -> str:
    made = sum(r[1] for r in rows)
    delivered = sum(r[2] for r in rows)
    busiest = max(rows, key=lambda r: r[1])
    return (f"{made} commitments made and {delivered} delivered between {rows[0][0]} and {rows[-1][0]}; "
            f"most were made in {busiest[0]} ({busiest[1]}). The table below gives each {period_name.lower()}'s "
            "numbers.")
