"""The tracking commands: `track`, `status` and `export commitments`."""

import json
import textwrap
from datetime import date
from pathlib import Path

import click

EXPORT_COMMITMENT_FIELDS = ("id", "title", "owner", "person", "kind", "status", "status_date", "status_reason",
                            "first_made", "deadline", "deadline_latest", "mention_count", "source_count",
                            "reviewed", "review")
EXPORT_EVENT_FIELDS = ("date", "event", "source", "source_id", "source_url", "sentence", "link", "score",
                       "deadline", "reviewer", "note")


def overrides_path(ctx) -> Path:
    """The reviewed overrides file: --overrides, or overrides.yaml next to the database."""
    return Path(ctx.obj.get("overrides") or Path(ctx.obj["db_path"]).parent / "overrides.yaml")


def parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date, YYYY-MM-DD", param_hint="--as-of") from None


as_of_option = click.option(
    "--as-of", "as_of", metavar="YYYY-MM-DD",
    help="Judge deadlines as of this date (default: today): a deadline before it with no delivery is overdue.")


def run_tracking_or_fail(database, ctx, as_of: date | None, full: bool = False) -> dict:
    from extract.overrides import OverridesError
    from extract.runner import run_tracking

    try:
        return run_tracking(database, overrides_path(ctx), as_of, full=full)
    except OverridesError as exc:
        raise click.ClickException(f"{exc} (nothing was changed)") from None


@click.command()
@as_of_option
@click.option("--full", is_flag=True,
              help="Regroup every mention and link every report again, even when an incremental run could.")
@click.pass_context
def track(ctx, as_of, full):
    """Group mentions into commitments and re-derive every status, without NLP.

    Incremental by default: when only new mentions and reports arrived since
    the last run, and each new mention is dated after every one already
    grouped, only they are grouped and linked, with the commitments they can
    join or link to, and the rows that change are written; the result is the
    same as a full run's. A full run is taken instead (and said why) after a
    mention or report was deleted or changed (re-extraction), a document's
    title changed, the overrides file changed, a new mention is dated before
    the last one grouped or joins a commitment the overrides file names, or
    tracking's version changed. A new as-of date re-derives, from the
    stored events, every status it may change.

    Run it after editing the reviewed overrides file, or to judge deadlines as
    of another date.

    \b
    Example:
      commitments track --as-of 2024-01-01
      commitments track --full
    """
    from commitments.cli import _open

    counts = run_tracking_or_fail(_open(ctx), ctx, parse_as_of(as_of), full=full)
    how = "incremental" if counts.get("mode") == "incremental" else f"full: {counts.get('why_full')}"
    click.echo(f"{counts['commitments']} commitments, {counts['events']} events "
               f"({counts['rows_changed']} rows changed; {how})", err=True)


@click.command()
@click.argument("query")
@click.pass_context
def status(ctx, query):
    """One commitment's status and timeline: QUERY is its id or words of its title.

    \b
    Examples:
      commitments status 3f2a9c1d0b7e
      commitments status "digital imprints"
    """
    import db
    from commitments.cli import _read

    database = _read(ctx)
    found = db.commitment_timeline(database, query)
    if found is None:
        matches = db.find_commitments(database, query)
        if not matches:
            raise click.ClickException(f"no commitment has the id {query!r} or those words in its title")
        if len(matches) > 1:
            click.echo(f"{len(matches)} commitments match {query!r}; give one id:")
            for row in matches:
                click.echo(f"  {row['id']}  {row['status']:<16} {row['title']}")
            return
        found = db.commitment_timeline(database, matches[0]["id"])
    commitment, events = found
    click.echo(format_timeline(commitment, events))


def format_timeline(commitment: dict, events: list[dict]) -> str:
    wrap = textwrap.TextWrapper(width=88, initial_indent="      ", subsequent_indent="      ")
    deadline = commitment["deadline"] or "none given"
    if commitment["deadline_latest"]:
        deadline += f", moved to {commitment['deadline_latest']}"
    lines = [
        f"{commitment['title']}",
        f"  id {commitment['id']} · {commitment['owner'] or 'owner unknown'}"
        + (f" · {commitment['person']}" if commitment["person"] else ""),
        f"  status: {commitment['status'].replace('_', ' ').upper()} (as of {commitment['checked']})"
        + (" · reviewed" if commitment["reviewed"] else ""),
        *wrap.wrap(commitment["status_reason"] or ""),
        f"  first made {commitment['first_made']} · deadline {deadline} · "
        f"{commitment['mention_count']} mentions in {commitment['source_count']} sources",
        "",
    ]
    for event in events:
        how = "reviewed by " + event["reviewer"] if event["link"] == "reviewed" else (
            f"linked automatically, score {event['score']}" if event["score"] is not None else "")
        lines.append(f"  {event['date']}  {event['event'].replace('_', ' '):<16} {event['source']}"
                     + (f" · {how}" if how else ""))
        lines.extend(wrap.wrap(f"“{event['sentence']}”"))
        if event["source_url"]:
            lines.append(f"      {event['source_url']}")
    if commitment["review"]:
        lines += ["", *textwrap.wrap("Review: " + commitment["review"], 88, initial_indent="  ",
                                     subsequent_indent="    ")]
    return "\n".join(lines)


@click.command("commitments")
@click.pass_context
def export_commitments(ctx):
    """Every commitment as JSON Lines on stdout, with its events (oldest first).

    \b
    Example:
      commitments export commitments > commitments.jsonl
    """
    import db
    from commitments.cli import _read

    for row in db.commitments_for_export(_read(ctx)):
        record = {field: row[field] for field in EXPORT_COMMITMENT_FIELDS}
        record["events"] = [{field: e[field] for field in EXPORT_EVENT_FIELDS} for e in row["events"]]
        click.echo(json.dumps(record, ensure_ascii=False))
