"""The `commitments` command: a thin shell over the library, one function a command."""

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from commitments import tracking_cli
from common import config, resources
from spiders import date_fields

EXPORT_FIELDS = ("source", "source_id", "source_url", "date", "sentence", "kind", "action",
                 "owner", "person", "deadline", "deadline_text", "deadline_precision", "commitment_id")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", envvar="COMMITMENTS_DB", default=config.DEFAULT_DB_PATH, show_default=True,
              help="The SQLite file (environment: COMMITMENTS_DB).")
@click.option("--overrides", envvar="COMMITMENTS_OVERRIDES", type=click.Path(dir_okay=False),
              show_default="overrides.yaml in the database's folder, e.g. data/overrides.yaml",
              help="The reviewed overrides file (YAML: merge, split, retitle, status, unlink; "
                   "environment: COMMITMENTS_OVERRIDES). Applied by every extract and track run.")
@click.version_option(package_name="commitments-tracker")
@click.pass_context
def cli(ctx, db_path, overrides):
    """Track the commitments the UK Government makes to Parliament.

    \b
    Example (a typical run):
      commitments crawl written-questions --since 2021-02-01 --until 2021-02-07
      commitments extract
      commitments status "digital imprints"
      commitments serve
    Every command's --help has an example of its own.
    """
    ctx.obj = {"db_path": db_path, "overrides": overrides}


class PathError(click.ClickException):
    """A path option that cannot be used (not a store, not a folder): one line, exit 2 like a usage error."""

    exit_code = 2


@contextmanager
def _store_errors():
    """A --db that cannot be used, in one line: a missing store exits 1, a path that is
    not a store of this version (a folder, a text file, someone else's database) exits 2."""
    import db

    try:
        yield
    except db.StoreNotFound as exc:
        raise click.ClickException(f"{exc}: run a crawl or `commitments demo` first, or give --db PATH") from None
    except db.StoreError as exc:
        raise PathError(str(exc)) from None


def _open(ctx):
    """The store, for a command that writes (an older store is migrated on the way)."""
    import db

    with _store_errors():
        return db.open_db(ctx.obj["db_path"])


def _read(ctx):
    """The store, read-only, for a command that only reads: a missing file is an error, never created."""
    import db

    with _store_errors():
        return db.read_db(ctx.obj["db_path"])


def _prepare_store(ctx):
    """Before a crawl: refuse a --db that cannot be the store, and bring an existing store
    up to date, so that neither surfaces inside Scrapy; a missing store is made by the crawl."""
    import db

    with _store_errors():
        exists = db.store_version(ctx.obj["db_path"]) is not None
    if exists:
        _open(ctx).close()


# -- crawl -------------------------------------------------------------------

@cli.group()
def crawl():
    """Collect source records into the store (Scrapy spiders).

    A crawl shows a progress line and ends with a summary (records stored,
    rejections and their first reasons, where the store is); -v gives Scrapy's
    own log instead, --quiet prints only errors. An API that cannot be reached
    stops the crawl at once with one line.

    \b
    Example:
      commitments crawl written-questions --since 2021-02-01 --until 2021-02-07
    """


def _output_options(fn):
    """-v / --quiet: how much a crawl prints (commitments/progress.py)."""
    fn = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")(fn)
    return click.option("-v", "--verbose", count=True,
                        help="Scrapy's own log instead of the progress line (-vv: debug).")(fn)


def _output_mode(verbose: int, quiet: bool) -> str:
    if verbose and quiet:
        raise click.UsageError("-v/--verbose and -q/--quiet exclude each other")
    return "verbose" if verbose else "quiet" if quiet else "progress"


def _crawl_options(date_choices: tuple[str, ...] = (), questions: bool = True):
    def decorate(fn):
        options = [
            click.option("--since", help="First date of the window, YYYY-MM-DD. Without it: incremental, "
                                         "everything new or changed since the last complete crawl."),
            click.option("--until", help="Last date of the window, YYYY-MM-DD (default: no limit)."),
        ]
        if questions:
            options += [
                click.option("--house", type=click.Choice(["Commons", "Lords", "Bicameral"]), help="Only this House."),
                click.option("--answering-body", "answering_bodies", multiple=True, type=int,
                             help="Only this answering body (API id, listed by `commitments bodies`; repeatable)."),
                click.option("--search", "search_term", help="Only records matching this search term."),
            ]
        options += [
            click.option("--api-url", help="API root (scheme and host), e.g. http://127.0.0.1:8000."),
            click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting (repeatable)."),
            click.option("--job-dir", help="Resumable job directory (default: one per crawl under the database's folder, "
                                           "removed when the crawl completes)."),
            click.option("--redis-url", envvar="COMMITMENTS_REDIS_URL", metavar="URL",
                         help="Crawl as one worker of a distributed job: every worker given the same Redis and the "
                              "same command shares one request queue and seen-set (environment: "
                              "COMMITMENTS_REDIS_URL; needs scrapy-redis). See README, 'Beyond one machine'."),
        ]
        if len(date_choices) > 1:
            options.append(click.option("--date-field", type=click.Choice(date_choices), default=date_choices[0],
                                        show_default=True, help="Which date the window applies to."))
        fn = _output_options(fn)  # listed last in --help
        for option in reversed(options):
            fn = option(fn)
        return fn
    return decorate


def _run_crawl(ctx, command: str, since, until, api_url, settings, job_dir, redis_url, verbose, quiet,
               **spider_args):
    from commitments.crawl import SPIDERS, CrawlError, incremental_since, parse_setting_pairs
    from common.dates import check_window
    from spiders.date_fields import incremental_date_field

    spider, api_setting = SPIDERS[command]
    db_path = ctx.obj["db_path"]
    _prepare_store(ctx)
    output = _output_mode(verbose, quiet)
    try:
        since, until = check_window(since, until, ("--since", "--until"))
        if since is None:
            since = incremental_since(db_path, spider)
            if incremental_date_field(spider):
                spider_args["date_field"] = incremental_date_field(spider)
            if output != "quiet":
                click.echo(f"Incremental crawl: what is new or changed since {since}", err=True)
        overrides = parse_setting_pairs(settings)
    except (CrawlError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    args = {"since": since, "until": until, **spider_args}
    _crawl_and_report(spider, args, db_path=db_path, api_url=api_url, api_setting=api_setting,
                      settings=overrides, job_dir=job_dir, redis_url=redis_url, output=output, verbosity=verbose)


def _crawl_and_report(spider: str, args: dict, **options) -> None:
    """Run the crawl; an API that cannot be reached is one line and exit 1, before any crawling."""
    from commitments.crawl import run_crawl
    from commitments.reach import Unreachable

    try:
        stats = run_crawl(spider, args, **options)
    except Unreachable as exc:
        raise click.ClickException(str(exc)) from None
    _report_crawl(spider, stats, options["db_path"], options["output"])


def _report_crawl(spider: str, stats: dict, db_path: str, output: str = "progress") -> None:
    """A summary of what the crawl stored (the store's own counts); exit 1 when the run is
    not complete: stopped early, lost list pages, or records the store refused. --quiet
    prints it only then."""
    from commitments.progress import summary

    status = stats.get("store/status") or stats.get("finish_reason")
    lost = sum(v for k, v in stats.items() if k.endswith("/lost_list_pages"))
    refused = stats.get("store/refused", 0)
    complete = status == "finished" and not (lost or refused)
    if output != "quiet" or not complete:
        click.echo("\n".join(summary(spider, stats, db_path)), err=True)
    if lost or refused:
        click.secho(f"{lost} list page(s) could not be read and {refused} record(s) could not be stored (see the "
                    "rejections table): this run is incomplete, and incremental runs will not start from it.",
                    fg="yellow", err=True)
    if status != "finished":
        sys.exit(1)


@crawl.command("written-questions")
@_crawl_options(tuple(date_fields.WRITTEN_QUESTIONS))
@click.pass_context
def crawl_written_questions(ctx, answering_bodies, **options):
    """Written questions and answers, both Houses.

    \b
    Example:
      commitments crawl written-questions --since 2021-02-01 --until 2021-02-01 --house Lords
    Questions whose text the list cut ("...") are completed from the detail endpoint.
    """
    _run_crawl(ctx, "written-questions", answering_body=",".join(map(str, answering_bodies)) or None, **options)


@crawl.command("written-statements")
@_crawl_options(tuple(date_fields.WRITTEN_STATEMENTS))
@click.pass_context
def crawl_written_statements(ctx, answering_bodies, **options):
    """Written ministerial statements, by the date made.

    \b
    Example:
      commitments crawl written-statements --since 2019-07-01 --until 2019-07-31
    """
    _run_crawl(ctx, "written-statements", date_field="made",
               answering_body=",".join(map(str, answering_bodies)) or None, **options)


@crawl.command("committee-evidence")
@_crawl_options(questions=False)
@click.option("--committee", "committees", multiple=True, type=int, help="Only this committee (API id; repeatable).")
@click.pass_context
def crawl_committee_evidence(ctx, committees, **options):
    """Select committees: oral evidence (transcripts as turns), written evidence,
    reports and government responses.

    \b
    Example:
      commitments crawl committee-evidence --committee 407 --since 2019-09-01 --until 2020-12-31
    Written evidence with no HTML is read from its PDF; a document that will not
    parse is stored as a rejection and the crawl goes on.
    """
    _run_crawl(ctx, "committee-evidence", committee=",".join(map(str, committees)) or None, **options)


@crawl.command("press")
@click.option("--feeds", type=click.Path(exists=True, dir_okay=False),
              help="A TOML file of feeds ([[feeds]] name, url, outlet; [relevance] terms). Default: the shipped one.")
@click.option("--refresh", is_flag=True, help="Fetch articles again even when already stored.")
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting (repeatable).")
@click.option("--job-dir", help="Resumable job directory.")
@_output_options
@click.pass_context
def crawl_press(ctx, feeds, refresh, settings, job_dir, verbose, quiet):
    """Press coverage: articles listed by RSS/Atom feeds, with their text, metadata and quotes.

    \b
    Example:
      commitments crawl press --feeds my-feeds.toml
    Articles already stored are not fetched again (use --refresh); a page that
    is not an article is skipped and logged in the rejections table.
    """
    from commitments.crawl import CrawlError, parse_setting_pairs
    from spiders.press import load_feeds

    _prepare_store(ctx)
    output = _output_mode(verbose, quiet)
    try:
        load_feeds(feeds)  # a bad feeds file is a usage error, before any crawl starts
        overrides = parse_setting_pairs(settings)
    except (CrawlError, ValueError) as exc:
        raise click.UsageError(str(exc)) from None
    args = {"feeds": str(Path(feeds).resolve()) if feeds else None, "refresh": "true" if refresh else None}
    _crawl_and_report("press", args, db_path=ctx.obj["db_path"], api_url=None, api_setting=None,
                      settings=overrides, job_dir=job_dir, output=output, verbosity=verbose)


# -- store -------------------------------------------------------------------

LOAD_BATCH = 200  # records a transaction for `load`, as the crawl's STORE_BATCH_SIZE

@cli.command()
@click.argument("file", type=click.File("r"))
@click.pass_context
def load(ctx, file):
    """Load records from a JSON Lines file into the store (each line has a record_type).

    \b
    Example:
      commitments load records.jsonl
    Lines that are not JSON, or records that cannot be stored, become rejections.
    """
    from db.store import save_records, save_rejection

    database = _open(ctx)
    records, bad, counts = [], 0, {"stored": 0, "rejected": 0}

    def store_batch():
        # A batch at a time, as the crawl's pipeline stores: the file is never all in memory.
        for key, value in save_records(database, records).items():
            counts[key] += value
        records.clear()

    for number, line in enumerate(file, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            bad += 1
            with database.conn:
                save_rejection(database, source="load", url=getattr(file, "name", None), record_id=f"line {number}",
                               reason=f"not JSON: {exc}", excerpt=line[:500])
        if len(records) >= LOAD_BATCH:
            store_batch()
    store_batch()
    click.echo(f"stored {counts['stored']}, rejected {counts['rejected'] + bad}", err=True)


@cli.command("load-hansard")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.pass_context
def load_hansard(ctx, paths):
    """Load Hansard written answers and written statements of both Houses from
    ParlParse XML (TheyWorkForYou's scrapedxml: answers*, lordswrans*, ministerial*,
    lordswms* files), given as files or folders.

    \b
    Example:
      commitments load-hansard scrapedxml/wrans/ scrapedxml/lordswrans/
    In folders, files of other kinds (debates, committees) are skipped and counted.
    A named file that is not one of these, or is not well-formed XML, becomes a
    rejection; the other files are stored, and the exit status is 1.
    """
    from db.store import save_records, save_rejection
    from spiders.parlparse import NotParlParse, file_kind, parse_file

    files, skipped = [], 0
    for path in map(Path, paths):
        if path.is_dir():
            for found in sorted(path.rglob("*.xml")):
                try:
                    file_kind(found)
                    files.append(found)
                except NotParlParse:
                    skipped += 1
        else:
            files.append(path)
    database = _open(ctx)
    stored = rejected = 0
    with click.progressbar(files, label="Loading Hansard", file=sys.stderr, show_pos=True) as bar:
        for path in bar:
            try:
                counts = save_records(database, parse_file(path.read_bytes(), path.name))
            except NotParlParse as exc:
                with database.conn:
                    save_rejection(database, source="hansard", url=str(path), reason=str(exc))
                rejected += 1
                continue
            stored, rejected = stored + counts["stored"], rejected + counts["rejected"]
    click.echo(f"{len(files)} files: {stored} answers and statements stored, {rejected} rejected"
               + (f"; {skipped} files of other kinds skipped" if skipped else ""), err=True)
    if rejected:
        sys.exit(1)


@cli.command("load-govuk")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.pass_context
def load_govuk(ctx, paths):
    """Load GOV.UK content items (the Content API's JSON: government responses,
    statements, speeches, press releases), given as files or folders of *.json.

    \b
    Example:
      commitments load-govuk item.json items/
    where item.json came from, e.g.,
      curl -s https://www.gov.uk/api/content/government/speeches/some-statement
    Each is stored as a government document owned by its publishing organisation.
    A file that is not JSON or not a content item with a body becomes a rejection;
    the other files are stored, and the exit status is 1.
    """
    from db.store import save_records, save_rejection
    from spiders.govuk import NotContentItem, parse_item

    files = [found for path in map(Path, paths) for found in (sorted(path.rglob("*.json")) if path.is_dir() else [path])]
    database = _open(ctx)
    stored = rejected = 0
    for path in files:
        try:
            records = [parse_item(json.loads(path.read_bytes()))]
        except (ValueError, NotContentItem) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            with database.conn:
                save_rejection(database, source="govuk", url=str(path), reason=f"{path.name}: {exc}")
            rejected += 1
            continue
        counts = save_records(database, records)
        stored, rejected = stored + counts["stored"], rejected + counts["rejected"]
    click.echo(f"{len(files)} files: {stored} GOV.UK items stored, {rejected} rejected", err=True)
    if rejected:
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print them as a JSON list.")
@click.pass_context
def bodies(ctx, as_json):
    """List the answering bodies and their API ids (for crawl --answering-body).

    The bodies are those seen in the store, each with how many written
    questions and statements it answered.

    \b
    Example:
      commitments bodies
      commitments crawl written-questions --since 2021-02-01 --answering-body 53
    Former names of a renamed body are shown after its name. The list grows
    with what is crawled: a first crawl of a few days shows most departments.
    """
    import db

    found = db.answering_bodies(_read(ctx))
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No answering bodies in the store yet: crawl a few days of written questions first, e.g.\n"
                   "  commitments crawl written-questions --since 2021-02-01 --until 2021-02-05", err=True)
        return
    def name(body):
        formerly = f" (formerly {'; '.join(body['aliases'])})" if body["aliases"] else ""
        return (body["name"] or "(no name)") + formerly

    rows = [(str(b["id"]), name(b), str(b["written_questions"]), str(b["written_statements"])) for b in found]
    header = ("id", "name", "questions", "statements")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        click.echo(f"{row[0]:>{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]:>{widths[3]}}".rstrip())


# -- extract -----------------------------------------------------------------

@cli.command()
@click.option("--all", "force", is_flag=True, help="Re-extract every document, changed or not.")
@click.option("--model", default=None, help=f"spaCy model (default: COMMITMENTS_MODEL or {config.DEFAULT_MODEL}).")
@click.option("--processes", default=1, show_default=True, help="Worker processes for the NLP, each extracting whole batches.")
@click.option("--shard", metavar="K/N", help="Extract only shard K of N of the documents (by a stable hash of their "
                                            "id) and leave grouping to `commitments track` once every shard is done.")
@click.option("--shards", type=click.IntRange(1, 64), metavar="N",
              help="Run N shard processes on this store at once, then group (see README, 'Beyond one machine').")
@tracking_cli.as_of_option
@click.pass_context
def extract(ctx, force, model, processes, shard, shards, as_of):
    """Find commitments, and reports on deeds (delivered, progress, delayed,
    dropped), in new or changed documents, then track them: group,
    link reports of progress and delivery, derive each status.

    \b
    Example:
      commitments extract
    A re-run over unchanged documents does no NLP work. A new extractor
    version or model re-extracts everything.
    """
    import db
    from extract.runner import extractor_version, run_extraction

    from extract.overrides import load_overrides, OverridesError
    from extract.shards import ShardError, in_shard, parse_shard, shard_of

    if shard and shards:
        raise click.UsageError("give --shard K/N (one shard) or --shards N (all of them), not both")
    try:
        index, count = parse_shard(shard) if shard else (None, None)
    except ShardError as exc:
        raise click.UsageError(str(exc)) from None
    as_of = tracking_cli.parse_as_of(as_of)
    try:
        load_overrides(tracking_cli.overrides_path(ctx))  # a malformed file fails before any NLP work
    except OverridesError as exc:
        raise click.ClickException(f"{exc} (nothing was changed)") from None
    model = model or config.model_name()
    if shards and shards > 1:
        _extract_in_shards(ctx, shards, force, model, processes)
        counts = tracking_cli.run_tracking_or_fail(_open(ctx), ctx, as_of)
        click.echo(f"{shards} shards done; {counts['commitments']} commitments, {counts['events']} events", err=True)
        return
    database = _open(ctx)
    version = extractor_version(model)
    # Counted for the progress bar; the documents themselves stream from the store.
    todo, keep = None, None
    if shard:
        keep = lambda document_id: shard_of(document_id, count) == index  # noqa: E731
        todo = in_shard(db.pending_documents(database, version, force), index, count)
    pending = db.pending_count(database, version, force, keep=keep)
    from extract.pipeline import ModelNotInstalled

    try:
        with click.progressbar(length=pending, label=f"Extracting{f' shard {shard}' if shard else ''}",
                               file=sys.stderr, show_pos=True) as bar:
            counts = run_extraction(database, model, force=force, progress=bar.update, n_process=processes,
                                    todo=todo, overrides=tracking_cli.overrides_path(ctx), as_of=as_of,
                                    track=not shard)
    except ModelNotInstalled as exc:
        raise click.ClickException(str(exc)) from None
    if shard:
        click.echo(f"shard {index}/{count}: {counts['documents']} documents extracted, {counts['mentions']} mentions, "
                   f"{counts['reports']} reports; group them with `commitments track` once every shard is done", err=True)
        return
    click.echo(f"{counts['documents']} documents extracted, {counts['mentions']} mentions, "
               f"{counts['reports']} reports, {counts['commitments']} commitments, {counts['events']} events", err=True)


def _extract_in_shards(ctx, shards: int, force: bool, model: str, processes: int) -> None:
    """`extract --shard K/N` for every K, as N processes at once on this store; a failed shard is
    named and stops the command before grouping (what the others stored stays; a rerun
    extracts only what is still pending)."""
    import subprocess

    command = [sys.executable, "-m", "commitments", "--db", ctx.obj["db_path"], "extract", "--model", model,
               "--processes", str(processes), *(["--all"] if force else [])]
    workers = [subprocess.Popen([*command, "--shard", f"{k}/{shards}"]) for k in range(1, shards + 1)]
    failed = [k for k, worker in enumerate(workers, start=1) if worker.wait() != 0]
    if failed:
        raise click.ClickException(f"shard(s) {', '.join(f'{k}/{shards}' for k in failed)} failed (see above): "
                                   "nothing was grouped; run the same command again to finish")


@cli.group()
def export():
    """Export from the store.

    \b
    Example:
      commitments export mentions > mentions.jsonl
    """


@export.command("mentions")
@click.option("--kind", multiple=True, help="Only these kinds (repeatable).")
@click.pass_context
def export_mentions(ctx, kind):
    """Every mention as JSON Lines on stdout.

    \b
    Example:
      commitments export mentions --kind firm > firm.jsonl
    """
    import db

    for row in db.mentions(_read(ctx), tuple(kind)):
        # .get: a store from before a column was added exports it empty
        click.echo(json.dumps({field: row.get(field) for field in EXPORT_FIELDS}, ensure_ascii=False))


@cli.command("extract-text")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--owner", help="The body the text speaks for (default: found in the text).")
@click.option("--speaker", help="The person speaking (the mention's person).")
@click.option("--date", "date", help="The text's date, YYYY-MM-DD, for relative deadlines.")
@click.option("--model", default=None, help="spaCy model.")
def extract_text(file, owner, speaker, date, model):
    """Commitments in a plain text, as JSON Lines (FILE or - for stdin).

    \b
    Example:
      commitments extract-text --owner "Cabinet Office" --date 2019-11-05 answer.txt
    """
    from extract.pipeline import ModelNotInstalled, extract_mentions
    from common.dates import check_date

    try:
        date = check_date(date, "--date")
        mentions = extract_mentions(file.read(), {"body": owner, "person": speaker, "date": date}, model=model)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    except ModelNotInstalled as exc:
        raise click.ClickException(str(exc)) from None
    for mention in mentions:
        row = {field: None for field in EXPORT_FIELDS} | {"date": date}
        row.update({k: v for k, v in mention.items() if k in EXPORT_FIELDS})
        click.echo(json.dumps(row, ensure_ascii=False))


@cli.command()
@click.argument("gold", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--split", type=click.Choice(["dev", "test"]),
              help="Without GOLD: only this split of the labelled corpus, with its confusions.")
@click.option("--corrections", type=click.Path(dir_okay=False),
              default=str(resources.gold_corrections()),
              show_default="the project's corrections", help="Label corrections to GOLD, keyed by qid and sentence_index.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False),
              help="Write every disagreement here (JSON Lines). Never for the test split.")
@click.option("--grouping", is_flag=True,
              help="Score the tracker's grouping instead: pairwise precision and recall on the labelled "
                   "mention pairs (extract/gold/pairs).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--model", default=None, help="spaCy model.")
def evaluate(gold, split, corrections, errors_path, grouping, as_json, model):
    """Score the extractor: precision, recall and F1 for trackable commitments
    (firm + conditional), kind and owner accuracy, and the confusions.

    Without GOLD it scores the project's labelled corpus of real answers
    (extract/gold/) and prints the development and test splits side by side.
    The test split is never read while rules are written: its figure is the
    one that counts, and its errors are not written out.

    \b
    Examples:
      commitments evaluate
      commitments evaluate --split dev --errors dev-errors.jsonl
      commitments evaluate ../shared/gold/dev-written-answers-2021-02-01.jsonl
      commitments evaluate --grouping
    """
    from extract import evaluate as ev
    from extract.train_kinds import GOLD_2021

    if errors_path and split != "dev" and not gold:
        raise click.UsageError("--errors needs --split dev: the test split's errors stay unread")
    if grouping:
        from extract import evaluate_pairs

        folder = resources.labelled_corpus() / "pairs"
        named = {name: evaluate_pairs.evaluate_grouping(folder, name) for name in ([split] if split else ["dev", "test"])}
        if errors_path:
            (scores,) = named.values()
            Path(errors_path).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in scores.errors))
        click.echo(json.dumps({n: s.as_dict() for n, s in named.items()}, indent=2) if as_json
                   else evaluate_pairs.format_grouping(named))
        return
    if gold:
        named = {Path(gold).name: ev.evaluate(ev.load_gold(Path(gold), Path(corrections) if corrections else None),
                                              model=model)}
    else:
        corpus = resources.labelled_corpus()
        named = {}
        for name in [split] if split else ["dev", "test"]:
            if name == "dev":
                named[name] = ev.score(ev.load_corpus(corpus, name), model=model)
            else:
                # Test sentences that are word for word a dev or training sentence were, in effect,
                # read: the figure on the others is the stricter one, shown beside it.
                seen = ev.sentences_seen_in_training(corpus, GOLD_2021 if GOLD_2021.exists() else None)
                named[name], named[f"{name}, unseen"] = ev.score(ev.load_corpus(corpus, name), model=model, unseen=seen)
    if errors_path:
        (scores,) = named.values()
        Path(errors_path).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in scores.errors))
    if as_json:
        # A gold file's figures as one object (as they always were); the corpus's keyed by split.
        figures = {name: scores.as_dict() for name, scores in named.items()}
        click.echo(json.dumps(figures[Path(gold).name] if gold else figures, indent=2))
    elif len(named) == 1:
        click.echo(ev.format_report(next(iter(named.values()))))
    else:
        click.echo(ev.format_side_by_side(named))
        if not gold and config.kind_model():
            # The learned layer was trained on the dev split: its dev column is in-sample.
            click.echo("\ndev is in-sample for the learned kind classifier (trained on it); its 5-fold "
                       "cross-validated dev figures are in extract/model/README.md. Test is the figure that counts.")


# -- publish -----------------------------------------------------------------

@cli.command("build-site")
@click.option("--out", type=click.Path(), required=True,
              help="Folder for the static site: a new or empty one, or an earlier build (written over).")
@click.option("--datasette-url", default=None, metavar="URL",
              help="Where this database is served by Datasette (e.g. https://data.example.org/commitments): "
                   "each commitment and event links to its row there. Without it, no such links.")
@click.pass_context
def build_site(ctx, out, datasette_url):
    """Render the static progress site (Jinja2) from the store.

    \b
    Example:
      commitments build-site --out _site && python -m http.server -d _site
    """
    from commitments.site import OutFolderError, build_site as render, check_out_folder, web_url

    if datasette_url is not None and not web_url(datasette_url):
        raise click.BadParameter(f"{datasette_url!r} is not an http(s) address", param_hint="--datasette-url")
    try:
        out = check_out_folder(out)
    except OutFolderError as exc:
        raise PathError(str(exc)) from None
    database = _read(ctx)
    try:
        index = render(database, out, datasette_url=datasette_url)
    except OSError as exc:
        raise click.ClickException(f"cannot write the site into {out}: {exc.strerror or exc}") from None
    click.echo(f"site written: {index}", err=True)


@cli.command()
@click.option("--port", default=8001, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--live", is_flag=True, help="For a store that a crawl or an extraction is writing: pages follow "
                                          "its changes. Without it the file is served immutable (never locked).")
@click.option("--site-url", default=None, metavar="URL",
              help="Where the static site (build-site) is published, e.g. https://example.org/tracker: "
                   "each commitment's row links to its page there. Without it, no such links.")
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Datasette processes sharing the port: one renders one page at a time (bench/README.md). "
                   "Default: one per core, at most 4.")
@click.option("--print-command", "print_command", type=click.Choice(["serve", "package"]), default=None,
              help="Print the datasette command line instead of serving: `serve` (as this command runs it) "
                   "or `package` (a Docker image with the same metadata and plugins; `datasette publish` "
                   "takes the same options). The metadata it names is written to a temporary file.")
@click.pass_context
def serve(ctx, port, host, live, site_url, workers, print_command):
    """Serve the store read-only with Datasette (metadata, facets, full-text search,
    stored queries, dashboards). A missing, older or foreign file is refused, never created or changed.

    \b
    Examples:
      commitments serve --port 8001   # then open http://127.0.0.1:8001/
      commitments serve --workers 1   # one process
      commitments serve --site-url https://example.org/tracker --print-command package
    """
    import db
    from commitments import serve as datasette
    from commitments import serve_workers
    from commitments.site import web_url
    from db.connection import wal_in_use

    if site_url is not None and not web_url(site_url):
        raise click.BadParameter(f"{site_url!r} is not an http(s) address", param_hint="--site-url")
    with _store_errors():
        db.check_readable(ctx.obj["db_path"])  # opens nothing: Datasette is the only reader
    if print_command == "package":
        click.echo(datasette.command_line(datasette.package_args(ctx.obj["db_path"], site_url)))
        return
    if print_command == "serve":
        if live:
            click.echo(datasette.command_line(datasette.datasette_args(ctx.obj["db_path"], port, host, live, site_url)))
            return
        # Immutable: the table counts are taken once, as `serve` does, into a file beside the store.
        counts = str(Path(ctx.obj["db_path"]).with_suffix(".inspect.json"))
        click.echo(datasette.command_line(["inspect", ctx.obj["db_path"], "--inspect-file", counts]) + " && "
                   + datasette.command_line(datasette.datasette_args(ctx.obj["db_path"], port, host, live, site_url,
                                                                     counts)))
        return
    if not live and wal_in_use(Path(ctx.obj["db_path"])):
        click.echo("The store is being written (its -wal file has content): serving it --live.", err=True)
        live = True
    try:
        datasette.serve(ctx.obj["db_path"], port, host, live=live, site_url=site_url,
                        workers=workers or serve_workers.default_workers())
    except serve_workers.PortInUse as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.pass_context
def migrate(ctx):
    """Bring an older store up to this version's shape (new tables, columns, indexes
    and views; nothing is removed). Write commands such as crawl and extract do this
    themselves; run it before read commands (export, build-site, serve) on an old store.

    \b
    Example:
      commitments migrate                       # the store at --db (default data/commitments.db)
    """
    import db
    from db.schema import SCHEMA_VERSION

    with _store_errors():
        before = db.store_version(ctx.obj["db_path"])
    if before is None:
        raise click.ClickException(f"no store at {ctx.obj['db_path']} to migrate")
    _open(ctx).close()
    click.echo(f"{ctx.obj['db_path']}: schema {before} -> {SCHEMA_VERSION}" if before != SCHEMA_VERSION
               else f"{ctx.obj['db_path']}: already at schema {SCHEMA_VERSION}", err=True)


@cli.command()
@click.option("--site", "site_dir", default="data/demo/site", show_default=True, help="Where to write the site.")
@click.pass_context
def demo(ctx, site_dir):
    """Run the whole pipeline offline on the bundled demo corpus.

    Starts a local server that answers like the Parliament APIs, crawls it with
    the real spiders, extracts, builds the site, and says where to look.
    The demo's database is data/demo/commitments.db unless --db is given.

    \b
    Example:
      commitments demo --site data/demo/site
    """
    import db
    from commitments.demo.run import run_demo
    from commitments.site import OutFolderError, check_out_folder

    source = ctx.parent.get_parameter_source("db_path")
    db_path = ctx.obj["db_path"] if source and source.name in ("COMMANDLINE", "ENVIRONMENT") else "data/demo/commitments.db"
    # The demo starts from a new store and deletes the old one: never a file that is not a store.
    with _store_errors():
        db.store_version(db_path)
    try:
        site_dir = check_out_folder(site_dir, "--site")
    except OutFolderError as exc:
        raise PathError(str(exc)) from None
    run_demo(db_path, site_dir)


def main():
    from db.connection import StoreBusy

    try:
        cli()
    except StoreBusy as exc:  # another process held the store too long: one line, no traceback
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()


cli.add_command(tracking_cli.track)
cli.add_command(tracking_cli.status)
export.add_command(tracking_cli.export_commitments)
