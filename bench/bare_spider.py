"""The crawl benchmark's reference: a bare Scrapy spider fetching the pages the written
questions spider fetches (list pages by skip/take, the detail of each cut answer), and
doing nothing with them beyond reading the JSON. Run by bench/crawl_speed.py:

    scrapy runspider bench/bare_spider.py -a api=http://127.0.0.1:PORT -a since=... -a until=...
"""

import json
from urllib.parse import urlencode

import scrapy

LIST = "/api/writtenquestions/questions"
TAKE = 100


class BareSpider(scrapy.Spider):
    name = "bare_written_questions"

    def __init__(self, api, since, until, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.api, self.since, self.until = api.rstrip("/"), since, until
        self.records = 0

    def page(self, skip):
        query = urlencode([("expandMember", "true"), ("answeredWhenFrom", self.since), ("answeredWhenTo", self.until),
                           ("includeWithdrawn", "true"), ("skip", skip), ("take", TAKE)])
        return scrapy.Request(f"{self.api}{LIST}?{query}", callback=self.parse_page, cb_kwargs={"skip": skip})

    async def start(self):
        yield self.page(0)

    def parse_page(self, response, skip):
        payload = json.loads(response.text)
        for entry in payload["results"]:
            value = entry["value"]
            text = value.get("answerText") or ""
            if text.endswith("...") or len(value.get("questionText") or "") >= 255:
                yield scrapy.Request(f"{self.api}{LIST}/{value['id']}?expandMember=true", callback=self.parse_detail)
            else:
                self.records += 1
        if payload["results"] and skip + len(payload["results"]) < payload["totalResults"]:
            yield self.page(skip + len(payload["results"]))

    def parse_detail(self, response):
        json.loads(response.text)["value"]
        self.records += 1

    def closed(self, reason):
        self.crawler.stats.set_value("bare/records", self.records)
        print(f"BARE_RECORDS {self.records}")
