"""Dates as the project passes them around: ISO strings (YYYY-MM-DD)."""

import datetime as dt


def iso_date(value: str | None) -> str | None:
    """'2021-02-01T00:00:00' -> '2021-02-01'; anything unparseable is an error for the caller."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()


def check_date(value: str | None, name: str) -> str | None:
    """A YYYY-MM-DD argument, checked; `name` says which one in the error."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def check_window(since: str | None, until: str | None, names: tuple[str, str] = ("since", "until")) -> tuple:
    """(since, until) checked as dates and in order: the one window check every command and spider uses."""
    since, until = check_date(since, names[0]), check_date(until, names[1])
    if since and until and since > until:
        raise ValueError(f"{names[0]} {since} is after {names[1]} {until}")
    return since, until


def as_date(value) -> dt.date | None:
    """A document's date as a date, from an ISO string or a date; None when absent or unreadable."""
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def now_iso() -> str:
    """The current UTC time, to the second, for bookkeeping columns."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
