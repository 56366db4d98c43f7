"""A commitment's status, derived from its events and its deadline, and always explained.

- `delivered` / `partly_delivered` / `dropped`: the latest such event decides;
- `overdue`: the (latest) deadline passed before the as-of date with no delivery;
- `delayed`: a later mention moved the deadline, which has not passed yet;
- `in_progress`: a step towards it was reported;
- `unclear`: nothing was said of it for UNCLEAR_AFTER_DAYS (two years) before the as-of date;
- `made`: promised (and perhaps restated), nothing else known yet.
"""

from datetime import date, timedelta

from common.dates import as_date

STATUSES = ("made", "in_progress", "delivered", "partly_delivered", "delayed", "dropped", "overdue", "unclear")
OUTCOMES = {"delivered", "partly_delivered", "dropped"}
UNCLEAR_AFTER_DAYS = 730


def _quote(event: dict) -> str:
    return f"“{event['sentence']}” ({event['source']}, {event['date']})"


def _latest_deadline(events: list[dict]) -> tuple[str | None, dict | None]:
    deadline, setter = None, None
    for event in events:
        if event["event"] in {"made", "restated", "delayed"} and event.get("deadline"):
            if deadline is None or event["deadline"] > deadline:
                deadline, setter = event["deadline"], event
    return deadline, setter


def derive_status(events: list[dict], as_of: date) -> dict:
    """{status, status_date, status_event_id, status_reason} from events in date order."""
    known = [e for e in events if as_date(e["date"]) is None or as_date(e["date"]) <= as_of]
    events = known or events[:1]  # judged before it was made: as made, on its first event
    outcome = next((e for e in reversed(events) if e["event"] in OUTCOMES), None)
    if outcome is not None:
        words = {"delivered": "Delivered", "partly_delivered": "Partly delivered", "dropped": "Dropped"}
        return _status(outcome["event"], outcome, f"{words[outcome['event']]}: {_quote(outcome)}")
    deadline, setter = _latest_deadline(events)
    if deadline and as_date(deadline) and as_date(deadline) < as_of:
        text = f" (“{setter['deadline_text']}”)" if setter.get("deadline_text") else ""
        last = events[-1]
        return _status("overdue", setter,
                       f"The deadline, {deadline}{text}, passed with no report of delivery; "
                       f"last heard of on {last['date']} ({last['source']}).", status_date=deadline)
    delayed = next((e for e in reversed(events) if e["event"] == "delayed"), None)
    if delayed is not None:
        return _status("delayed", delayed, f"Put back to {delayed['deadline']}: {_quote(delayed)}")
    progress = next((e for e in reversed(events) if e["event"] == "progress"), None)
    if progress is not None:
        return _status("in_progress", progress, f"In progress: {_quote(progress)}")
    last = events[-1]
    last_date = as_date(last["date"])
    if last_date and as_of - last_date > timedelta(days=UNCLEAR_AFTER_DAYS):
        years = (as_of - last_date).days / 365.25
        return _status("unclear", last,
                       f"Last mentioned on {last['date']}, {years:.1f} years before {as_of.isoformat()}; "
                       "nothing since says whether it was done.")
    made = events[0]
    restated = sum(1 for e in events if e["event"] == "restated")
    again = f"; restated {restated} time{'s' if restated != 1 else ''}" if restated else ""
    return _status("made", made, f"Promised on {made['date']}{again}: {_quote(made)}")


def _status(status: str, event: dict, reason: str, status_date: str | None = None) -> dict:
    return {"status": status, "status_date": status_date or event["date"], "status_event_id": event["id"],
            "status_reason": reason}
