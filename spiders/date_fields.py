"""Which dates each Parliament list endpoint filters on: --date-field choice -> (from, to) parameters.

One definition for the spiders, the CLI's choices and incremental runs (which ask
for everything new on any of a source's dates). No Scrapy import, so the CLI
can read it cheaply.
"""

WRITTEN_QUESTIONS = {
    "answered": ("answeredWhenFrom", "answeredWhenTo"),
    "tabled": ("tabledWhenFrom", "tabledWhenTo"),
    "corrected": ("correctedWhenFrom", "correctedWhenTo"),
}
WRITTEN_STATEMENTS = {"made": ("madeWhenFrom", "madeWhenTo")}

# spider name -> its date fields
BY_SPIDER = {"written_questions": WRITTEN_QUESTIONS, "written_statements": WRITTEN_STATEMENTS}


def incremental_date_field(spider: str) -> str | None:
    """The `date_field` argument of an incremental run: every date the source filters on."""
    fields = BY_SPIDER.get(spider)
    return ",".join(fields) if fields else None
