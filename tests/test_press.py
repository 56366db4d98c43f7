"""Press: article pages into clean text and metadata, feeds, syndicated copies, quotes."""

import asyncio
import html
import ipaddress
import json
from dataclasses import asdict

import pytest
import sqlite_utils
from scrapy.http import Request
from scrapy.resolver import dnscache
from scrapy.utils.test import get_crawler

import db
from commitments.demo.run import demo_feeds
from commitments.demo.server import CORPUS_DIR, RecordedApi
from spiders.addresses import AddressPolicy
from spiders.articles import NotAnArticle, extract_article, normalised_hash, relevance
from spiders.items import Article
from spiders.middlewares import ADDRESS_ORIGIN, AddressPolicyMiddleware, AddressRefused
from spiders.press import DEFAULT_FEEDS, load_feeds
from tests.conftest import StaticApi, jsonl, run_cli, shared_file

PAGES = CORPUS_DIR / "press" / "articles"
BASE = "http://news.test"
FURNITURE = ("cookies", "Leave a Reply", "email address will not be published", "Subscribe", "Related content")


def page(name: str) -> str:
    return (PAGES / name).read_text().replace("{base}", BASE)


def test_article_metadata_and_clean_body():
    url = f"{BASE}/pstw/news/2019/11/12/government-promises-regular-and-robust-dialogue"
    article = extract_article(page("pstw__news__2019__11__12__government-promises-regular-and-robust-dialogue.html"), url)
    assert article["url"] == url and article["published"] == "2019-11-12"
    assert article["author"] == "Sam Whitfield" and article["outlet"] == "Public Sector Technology Weekly"
    assert "regular and robust dialogue" in article["text"]
    for furniture in FURNITURE:
        assert furniture.lower() not in article["text"].lower()


def test_syndicated_copy_names_the_original_and_hashes_the_same():
    original = extract_article(page("pstw__news__2019__11__12__government-promises-regular-and-robust-dialogue.html"), "x")
    copy = extract_article(page("syndication__regular-and-robust-dialogue.html"), f"{BASE}/syndication/regular-and-robust-dialogue")
    assert copy["url"] == original["url"] and copy["content_hash"] == original["content_hash"]


def test_index_page_is_not_an_article():
    with pytest.raises(NotAnArticle, match="not an article"):
        extract_article(page("pstw__topics__elections.html"), f"{BASE}/pstw/topics/elections")


def test_relevance_is_flagged_with_reasons():
    d = extract_article(page("pstw__news__2020__01__20__council-launches-bin-collection-app.html"), "x")
    assert relevance(d["text"], d["title"], ["consultation"], ["Earl Howe"], []) == []
    b = extract_article(page("pstw__news__2019__09__03__election-cell-highly-likely-to-return.html"), "x")
    reasons = relevance(b["text"], b["title"], [], [], ["stand up an election cell"])
    assert "parliament" in reasons and "body: Cabinet Office" in reasons


def wrap_seed(text: str, title: str, author: str, published: str, furniture_from: str | None = None,
              skip: tuple[str, ...] = ()) -> str:
    """A seed article as a news page: metadata in the head, the body in <article>, and
    the lines from `furniture_from` on (comment form, newsletter) as the furniture real pages put around it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = lines.index(title) + 1
    end = next((i for i, line in enumerate(lines) if furniture_from and line.startswith(furniture_from)), len(lines))
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[start:end] if not line.startswith(skip))
    furniture = "".join(f"<p>{html.escape(line)}</p>" for line in lines[end:])
    return (f"<html><head><title>{html.escape(title)}</title><meta property='og:type' content='article'>"
            f"<meta property='og:title' content=\"{html.escape(title)}\"><meta name='author' content='{author}'>"
            f"<meta property='article:published_time' content='{published}'></head><body>"
            f"<nav><a href='/'>Main content</a> <a href='/news'>News</a></nav><main><article><h1>{html.escape(title)}</h1>"
            f"{body}</article></main><aside class='related'>{furniture}</aside>"
            f"<form class='comment-form'><p>Leave a Reply</p><p>Your email address will not be published.</p></form>"
            f"<div class='newsletter'>Subscribe to our newsletter</div><footer>© Outlet</footer></body></html>")


def test_seed_articles_wrapped_in_html_give_title_date_author_and_clean_body():
    text = shared_file("seeds/publictechnology-2019-11-12-regular-and-robust-dialogue.txt").read_text()
    text = text.replace("A grey colored placeholder image", "\n")
    title = next(line.strip() for line in text.splitlines() if line.strip().startswith("Government promises"))
    markup = wrap_seed(text, title, "Sam Trendall", "2019-11-12T09:00:00+00:00", furniture_from="Sam Trendall",
                       skip=("Credit:", "Related content"))
    article = extract_article(markup, "https://outlet.test/a")
    assert (article["title"], article["author"], article["published"]) == (title, "Sam Trendall", "2019-11-12")
    assert "regular and robust dialogue" in article["text"] and "commitments to launch a consultation" in article["text"]
    for furniture in ("Learn More", "Leave a Reply", "subscription has been confirmed", "Subscribe", "Main content"):
        assert furniture not in article["text"]

    text = shared_file("seeds/diginomica-2019-09-03-election-cell.txt").read_text()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[1]  # after "Main content"; the line after the title is the byline
    markup = wrap_seed(text, title, "Derek du Preez", "2019-09-03T15:00:00+01:00", skip=(lines[2],))
    article = extract_article(markup, "https://outlet.test/b")
    assert (article["title"], article["author"], article["published"]) == (title, "Derek du Preez", "2019-09-03")
    assert "election cell" in article["text"] and "Main content" not in article["text"]


def test_feeds_file_is_checked(tmp_path):
    assert len(load_feeds(DEFAULT_FEEDS)["feeds"]) >= 3
    no_url = tmp_path / "feeds.toml"
    no_url.write_text("[[feeds]]\nname = 'x'\n")
    with pytest.raises(ValueError, match="needs a url"):
        load_feeds(no_url)
    result = run_cli("crawl", "press", "--feeds", no_url, check=False)
    assert result.returncode == 2 and "needs a url" in result.stderr


def test_same_words_under_another_address_are_a_duplicate():
    database = sqlite_utils.Database(memory=True)
    db.ensure_db_shape(database)
    first = Article(url="https://a.test/1", fetched_url="https://a.test/1", feed="f", outlet="A", title="T",
                    author=None, published="2019-11-12", text="Same words.", content_hash="h", relevant=True)
    copy = Article(**{**asdict(first), "url": "https://b.test/9", "fetched_url": "https://b.test/9", "outlet": "B"})
    copy_record = asdict(copy)
    db.save_records(database, [asdict(first), copy_record])
    assert database["articles"].get("https://b.test/9")["duplicate_of"] == "https://a.test/1"
    assert [d["id"] for d in database["documents"].rows] == ["article:https://a.test/1"]


def test_press_crawl_quotes_paraphrase_and_seen_url_memory(db_path, tmp_path):
    feeds = tmp_path / "feeds.toml"
    with RecordedApi() as api:
        feeds.write_text(demo_feeds(api))
        args = ["crawl", "press", "--feeds", feeds, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
        run_cli(*args, db=db_path)
        articles_fetched = [p for p in api.requests if p.startswith(("/pstw/news", "/govnews", "/syndication"))]
        api.requests.clear()
        run_cli(*args, db=db_path)
        refetched = [p for p in api.requests if p.startswith(("/pstw/news", "/govnews", "/syndication"))]
    assert len(articles_fetched) == 5 and refetched == []
    database = sqlite_utils.Database(db_path)
    original = database["articles"].get(f"{api.url}/pstw/news/2019/11/12/government-promises-regular-and-robust-dialogue")
    assert original["outlet"] == "Public Sector Technology Weekly" and "syndication" in original["aliases"]
    (skipped,) = database["rejections"].rows
    assert skipped["url"].endswith("/pstw/topics/elections") and "not an article" in skipped["reason"]
    run_cli("extract", db=db_path)
    mentions = jsonl(run_cli("export", "mentions", db=db_path).stdout)
    assert {m["source"] for m in mentions} == {"article"} and all(m["source_id"].startswith("http") for m in mentions)
    imprints = [m for m in mentions if "digital imprints" in m["action"]]
    assert imprints and imprints[0]["owner"] == "Cabinet Office" and imprints[0]["person"] == "Earl Howe"
    reported = {r["action"]: r["reported"] for r in database.query("select action, reported from mentions")}
    assert reported["publish new guidance for candidates on online abuse"] == 1
    assert reported["launch a consultation on electoral integrity"] == 0
    assert not [m for m in mentions if "bin" in m["source_id"]]  # a council's plans are not the Government's


def test_a_page_that_is_not_a_feed_is_a_logged_incomplete_run(db_path, tmp_path):
    feeds = tmp_path / "feeds.toml"
    with RecordedApi() as api:
        feeds.write_text(f'[[feeds]]\nname = "wrong"\nurl = "{api.url}/pstw/topics/elections"\n')
        result = run_cli("crawl", "press", "--feeds", feeds, "-s", "AUTOTHROTTLE_ENABLED=False", db=db_path, check=False)
    assert result.returncode == 1 and "incomplete" in result.stderr
    (rejection,) = sqlite_utils.Database(db_path)["rejections"].rows
    assert "not a readable feed" in rejection["reason"]


def test_feed_entries_that_are_not_web_pages_are_never_read(db_path, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private key material " * 40)
    page = (CORPUS_DIR / "press" / "articles"
            / "pstw__news__2019__11__12__government-promises-regular-and-robust-dialogue.html").read_bytes()
    with StaticApi({"/news/review.html": page}, content_type="text/html") as site:
        feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                f'<item><title>local</title><link>file://{secret}</link></item>'
                f'<item><title>inline</title><link>data:text/html,hello</link></item>'
                f'<item><title>real</title><link>{site.url}/news/review.html</link></item>'
                f'</channel></rss>').encode()
        site.routes["/feed.rss"] = feed
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feeds]]\nname = "t"\nurl = "{site.url}/feed.rss"\n')
        run_cli("crawl", "press", "--feeds", feeds, "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
                db=db_path)
    database = sqlite_utils.Database(db_path)
    assert [a["fetched_url"] for a in database["articles"].rows] == [f"{site.url}/news/review.html"]
    assert not list(database.query("select * from documents where text like '%key material%'"))
    reasons = [r["reason"] for r in database["rejections"].rows]
    assert sum("not http(s)" in reason for reason in reasons) == 2


def test_feeds_file_takes_only_web_addresses(tmp_path):
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nname = "local"\nurl = "file:///etc/passwd"\n')
    with pytest.raises(ValueError, match="http"):
        load_feeds(feeds)


# -- addresses: a public feed never leads the crawler into this machine or its network --------

PUBLIC_FEED = "http://93.184.216.34/feed.rss"  # a literal public address: nothing is resolved or fetched


@pytest.mark.parametrize("url, kind", [
    ("http://127.0.0.1/admin", "loopback"), ("http://localhost/", "loopback"), ("http://2130706433/", "loopback"),
    ("http://0.0.0.0:8080/", "loopback"), ("http://[::1]/", "loopback"), ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://10.1.2.3/", "private"), ("http://192.168.1.1/router", "private"), ("http://172.16.0.1/", "private"),
    ("http://172.31.255.254/", "private"), ("http://[fc00::1]/", "private"), ("http://[fd12:3456::1]/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"), ("http://[fe80::1]/", "link-local"),
])
def test_a_public_feed_may_not_lead_to_a_local_address(url, kind):
    reason = asyncio.run(AddressPolicy().refusal(url, [PUBLIC_FEED]))
    assert reason and f"is a {kind} address" in reason and "only public addresses" in reason


def test_a_local_feed_reaches_its_own_kind_and_the_public_one_only():
    policy = AddressPolicy()
    local_feed = "http://127.0.0.1:8000/feed.rss"
    allowed = ["http://127.0.0.1:8000/news/a", "http://localhost:9000/b", "http://172.32.0.1/"]
    assert [asyncio.run(policy.refusal(url, [local_feed])) for url in allowed] == [None, None, None]
    # A documentation range is not public either.
    assert "refused" in asyncio.run(policy.refusal("http://[2001:db8::1]/", [local_feed]))
    assert "link-local" in asyncio.run(policy.refusal("http://169.254.169.254/", [local_feed]))
    assert "private" in asyncio.run(policy.refusal("http://10.0.0.1/", [local_feed]))
    # Networks named public (a test's 127.0.0.2) count as public, and only those.
    named = AddressPolicy(["127.0.0.2"])
    assert asyncio.run(named.refusal("http://127.0.0.2/a", [PUBLIC_FEED])) is None
    assert "loopback" in asyncio.run(named.refusal("http://127.0.0.3/a", [PUBLIC_FEED]))


def test_the_download_connects_to_the_address_the_policy_checked(monkeypatch):
    # DNS rebinding: a name that answers a public address to the check and a private one to the
    # download. The middleware pins the checked address in Scrapy's resolver cache, which the
    # download asks before DNS.
    answers = {"news.example": ["93.184.216.35", "2606:2800:220:1::1"], "v6only.example": ["2606:2800:220:1::2"]}

    async def lookup(host):
        return [ipaddress.ip_address(a) for a in answers[host]]

    monkeypatch.setattr(AddressPolicy, "_lookup", staticmethod(lookup))
    crawler = get_crawler(settings_dict={"DNSCACHE_ENABLED": True})
    crawler.spider = None
    middleware = AddressPolicyMiddleware.from_crawler(crawler)
    dnscache.pop("news.example", None)
    request = Request("http://news.example/a", meta={ADDRESS_ORIGIN: PUBLIC_FEED})
    assert asyncio.run(middleware.process_request(request)) is None
    assert dnscache["news.example"] == "93.184.216.35"
    answers["news.example"] = ["10.0.0.5"]  # what DNS would say now: never asked again
    dnscache.pop("news.example")  # evicted meanwhile: the next request pins it again
    assert asyncio.run(middleware.process_request(request)) is None
    assert dnscache["news.example"] == "93.184.216.35"
    with pytest.raises(AddressRefused, match="no IPv4 address"):
        asyncio.run(middleware.process_request(Request("http://v6only.example/", meta={ADDRESS_ORIGIN: PUBLIC_FEED})))
    # An address literal is not resolved, so not pinned.
    assert asyncio.run(middleware.process_request(Request("http://93.184.216.36/", meta={ADDRESS_ORIGIN: PUBLIC_FEED}))) is None
    assert "93.184.216.36" not in dnscache


def test_a_public_feed_never_makes_the_crawler_fetch_from_this_machine(db_path, tmp_path):
    inside_routes = {"/private/admin.html": b"<html>admin</html>", "/robots.txt": b""}
    with StaticApi(inside_routes, content_type="text/html") as inside:
        port = inside.httpd.server_address[1]
        # 127.0.0.2 stands for a public news site (ADDRESS_POLICY_PUBLIC_NETWORKS below);
        # 127.0.0.1 is "this machine" that no entry of its feed may reach.
        with StaticApi({}, content_type="text/html", host="127.0.0.2",
                       redirects={"/news/moved.html": f"{inside.url}/private/moved-here.html",
                                  "/robots.txt": f"{inside.url}/robots.txt"}) as public:
            public.routes["/news/review.html"] = page(
                "pstw__news__2019__11__12__government-promises-regular-and-robust-dialogue.html"
            ).replace(BASE, public.url).encode()
            inside_links = [f"{inside.url}/private/admin.html", f"http://localhost:{port}/private/admin.html",
                            f"http://[::1]:{port}/private/admin.html", f"http://2130706433:{port}/private/admin.html",
                            f"{public.url}/news/moved.html"]
            items = "".join(f"<item><title>{i}</title><link>{html.escape(link)}</link></item>"
                            for i, link in enumerate([*inside_links, f"{public.url}/news/review.html"]))
            public.routes["/feed.rss"] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                                          f'{items}</channel></rss>').encode()
            feeds = tmp_path / "feeds.toml"
            feeds.write_text(f'[[feeds]]\nname = "public"\nurl = "{public.url}/feed.rss"\n')
            run_cli("crawl", "press", "--feeds", feeds, "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", "ADDRESS_POLICY_PUBLIC_NETWORKS=127.0.0.2", db=db_path)
    assert inside.requests == []
    database = sqlite_utils.Database(db_path)
    assert [a["fetched_url"] for a in database["articles"].rows] == [f"{public.url}/news/review.html"]
    refused = {r["url"]: r["reason"] for r in database["rejections"].rows}
    assert set(refused) == set(inside_links)
    assert all("refused" in reason and "is a loopback address" in reason for reason in refused.values())
    assert f"a redirect from {public.url}/news/moved.html to {inside.url}/private/moved-here.html" \
        in refused[f"{public.url}/news/moved.html"]


# -- canonical URLs: a page's claim never overwrites another article ----------------------------

ORIGINAL_WORDS = "The Government will publish its response to the consultation in the spring. " * 5


def article_record(url: str, fetched_url: str, text: str, **fields) -> dict:
    return {**asdict(Article(url=url, fetched_url=fetched_url, feed="f", outlet="A", title="Original title",
                             author="A. Writer", published="2019-11-12", text=text,
                             content_hash=normalised_hash(text), relevant=True)), **fields}


def test_a_canonical_url_naming_another_article_does_not_overwrite_it(db_path):
    database = db.open_db(db_path)
    original_url = "https://a.test/news/1"
    db.save_records(database, [article_record(original_url, original_url, ORIGINAL_WORDS)])
    claims = [
        # Same site, the stored article's address, other words.
        article_record(original_url, "https://a.test/news/other", "Other words. " * 30, title="Other", author="B"),
        # Another site naming the stored article, other words.
        article_record(original_url, "https://c.test/x", "Words of c. " * 30, title="C", author="C"),
        # Another site naming an address of a.test nobody stored yet: it may not take it.
        article_record("https://a.test/news/2", "https://b.test/story", "Words of b. " * 30, title="B"),
    ]
    assert db.save_records(database, claims) == {"stored": 3, "rejected": 0}
    rows = {row["url"]: row for row in database["articles"].rows}
    assert set(rows) == {original_url, "https://a.test/news/other", "https://c.test/x", "https://b.test/story"}
    kept = rows[original_url]
    assert (kept["title"], kept["author"], kept["text"], kept["aliases"]) == ("Original title", "A. Writer",
                                                                             ORIGINAL_WORDS, "[]")
    assert database["documents"].get(f"article:{original_url}")["text"] == ORIGINAL_WORDS
    assert (rows["https://a.test/news/other"]["title"], rows["https://c.test/x"]["author"]) == ("Other", "C")
    assert all(rows[url]["duplicate_of"] is None for url in rows)


def test_copies_with_the_same_words_still_deduplicate_whichever_site_they_are_on(db_path):
    database = db.open_db(db_path)
    original_url = "https://a.test/news/1"
    db.save_records(database, [article_record(original_url, original_url, ORIGINAL_WORDS)])
    copies = [article_record(original_url, "https://a.test/amp/1", ORIGINAL_WORDS, title="AMP"),
              article_record(original_url, "https://syndicate.test/1", ORIGINAL_WORDS, title="Copy", outlet="S"),
              article_record("https://a.test/news/9", "https://other.test/9", ORIGINAL_WORDS)]
    db.save_records(database, copies)
    rows = {row["url"]: row for row in database["articles"].rows}
    assert json.loads(rows[original_url]["aliases"]) == ["https://a.test/amp/1", "https://syndicate.test/1"]
    assert rows[original_url]["title"] == "Original title"
    assert rows["https://other.test/9"]["duplicate_of"] == original_url
    assert [d["id"] for d in database["documents"].rows] == [f"article:{original_url}"]
    # A page re-fetched where it was stored from (its article edited since) updates its own row.
    db.save_records(database, [article_record("https://a.test/news/5", "https://a.test/news/5?utm=rss", "Old. " * 70),
                               article_record("https://a.test/news/5", "https://a.test/news/5?utm=rss", "New. " * 70)])
    assert database["articles"].get("https://a.test/news/5")["text"].startswith("New.")
