"""`flashpoint watch`: a feed's new items are fetched, coded once across polls, skips logged."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.errors import InputError
from flashpoint.ingest.feeds import HttpFetcher, ItemOutcome, parse_feed, parse_interval, poll
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article
from flashpoint.store import open_store
from tests.helpers import make_event

runner = CliRunner()

STORIES = {
    "shelling": (
        "Syrian government forces shelled the town of Saraqib in Idlib province on Monday, killing three "
        "civilians, according to local rescue workers. The bombardment hit a market and a school. "
        "Residents said the shelling lasted for several hours before fighters of Hayat Tahrir al-Sham "
        "responded with rocket fire on army positions near the town."
    ),
    "protest": (
        "Hundreds of people protested in the city of Idlib on Tuesday against Hayat Tahrir al-Sham, "
        "demanding the release of detained activists and an end to new taxes on traders. Protesters "
        "marched from the central mosque to the offices of the local council, chanting slogans against "
        "the group, witnesses said. No violence was reported during the demonstration."
    ),
    "clash": (
        "Fighters of Hayat Tahrir al-Sham clashed with the National Front for Liberation near the village "
        "of Kafr Nabl in southern Idlib on Wednesday. At least five fighters were killed on both sides, "
        "a monitoring group said. The fighting broke out after a dispute over a checkpoint on the main "
        "road between the two rival rebel factions."
    ),
    "german": (
        "Syrische Regierungstruppen haben am Montag die Stadt Saraqib in der Provinz Idlib beschossen und "
        "dabei drei Zivilisten getötet, wie örtliche Helfer berichteten. Der Beschuss traf einen Markt und "
        "eine Schule. Die Bewohner sagten, der Beschuss habe mehrere Stunden gedauert, bevor Kämpfer mit "
        "Raketen auf Stellungen der Armee in der Nähe der Stadt antworteten."
    ),
}


def page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{s.strip().rstrip('.')}.</p>" for s in body.split(". ") if s.strip())
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>© Test Wire</footer></body></html>"
    )


def rss(items: list[tuple[str, str, str]]) -> str:
    """items: (guid, link, description)"""
    entries = "".join(
        f"<item><title>{guid}</title><guid>{guid}</guid><link>{link}</link>"
        f"<pubDate>Tue, 08 May 2018 09:00:00 GMT</pubDate><description>{desc}</description></item>"
        for guid, link, desc in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>'
        f"<link>http://example.org/</link><description>t</description>{entries}</channel></rss>"
    )


class Site:
    """Files served from a folder on 127.0.0.1, remembering each request's path and user agent."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, str]] = []
        self.delay: dict[str, float] = {}
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def do_GET(self):
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                time.sleep(site.delay.get(self.path, 0))
                super().do_GET()

            def log_message(self, *_):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def write(self, name: str, text: str) -> str:
        (self.root / name).write_text(text, encoding="utf-8")
        return f"{self.url}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    root = tmp_path / "www"
    root.mkdir()
    s = Site(root)
    yield s
    s.close()


class FakeCoder:
    """One event per article (the coder is not what is tested here); counts what it coded."""

    def __init__(self) -> None:
        self.coded: list[str] = []

    def code_state(self, article: Article) -> ArticleState:
        self.coded.append(article.id)
        event = make_event(article.id, f"FPW{len(self.coded)}", evidence=None, sources=())
        return ArticleState(article, events=(event,))


@pytest.fixture
def store(tmp_path: Path):
    s = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    yield s
    s.close()


def test_watch_codes_new_items_once_across_polls(site: Site, store):
    a = site.write("a.html", page("Shelling", STORIES["shelling"]))
    b = site.write("b.html", page("Protest", STORIES["protest"]))
    feed = site.write("feed.xml", rss([("g-a", a, "teaser"), ("g-b", b, "teaser")]))
    coder = FakeCoder()
    first = poll(feed, store, coder)
    assert [o.status for o in first] == ["coded", "coded"]
    assert coder.coded == [a, b]
    assert store.article(a).text.startswith("Shelling\nSyrian government forces shelled")
    assert store.article(a).language == "en" and store.article(a).title == "g-a"
    assert store.article(a).published.isoformat() == "2018-05-08"

    second = poll(feed, store, coder)
    assert [(o.status, o.reason) for o in second] == [("skipped", "already coded (same guid)")] * 2
    assert coder.coded == [a, b]

    c = site.write("c.html", page("Clash", STORIES["clash"]))
    site.write("feed.xml", rss([("g-c", c, "teaser"), ("g-a", a, "teaser"), ("g-b", b, "teaser")]))
    third = poll(feed, store, coder)
    assert [o.status for o in third] == ["coded", "skipped", "skipped"]
    assert coder.coded == [a, b, c]
    assert store.counts()["articles"] == 3


def test_watch_sends_its_user_agent(site: Site, store):
    a = site.write("a.html", page("Shelling", STORIES["shelling"]))
    feed = site.write("feed.xml", rss([("g-a", a, "teaser")]))
    poll(feed, store, FakeCoder())
    assert [p for p, _ in site.requests] == ["/feed.xml", "/a.html"]
    assert all(agent.startswith("flashpoint-watch/") for _, agent in site.requests)


def test_watch_unreachable_page_is_tried_again_next_poll(site: Site, store):
    link = f"{site.url}/later.html"
    feed = site.write("feed.xml", rss([("g-1", link, "A short teaser.")]))
    coder = FakeCoder()
    [outcome] = poll(feed, store, coder)
    assert outcome.status == "failed" and "HTTP 404" in outcome.reason and "try again" in outcome.reason
    site.write("later.html", page("Clash", STORIES["clash"]))
    [outcome] = poll(feed, store, coder)
    assert outcome.status == "coded" and coder.coded == [link]


def test_watch_codes_the_feeds_full_text_when_the_page_is_missing(site: Site, store):
    link = f"{site.url}/gone.html"
    feed = site.write("feed.xml", rss([("g-1", link, f"<p>{STORIES['protest']}</p>")]))
    [outcome] = poll(feed, store, FakeCoder())
    assert outcome.status == "coded" and "feed's text" in outcome.reason
    assert store.article(link).text == STORIES["protest"]


def test_watch_skips_same_text_other_languages_and_big_pages(site: Site, store):
    a = site.write("a.html", page("Shelling", STORIES["shelling"]))
    copy = site.write("copy.html", page("Shelling", STORIES["shelling"]))
    de = site.write("de.html", page("Beschuss", STORIES["german"]))
    big = site.write("big.html", page("Big", STORIES["clash"] * 800))
    feed = site.write(
        "feed.xml", rss([("g-a", a, "t"), ("g-copy", copy, "t"), ("g-de", de, "t"), ("g-big", big, "t")])
    )
    seen: list[ItemOutcome] = []
    coder = FakeCoder()
    poll(feed, store, coder, fetcher=HttpFetcher(max_bytes=200_000), on_outcome=seen.append)
    reasons = {o.item.guid: (o.status, o.reason) for o in seen}
    assert reasons["g-a"] == ("coded", None)
    assert reasons["g-copy"] == ("skipped", "same text as an item already seen")
    assert reasons["g-de"][0] == "skipped" and "not English" in reasons["g-de"][1]
    assert reasons["g-big"][0] == "failed" and "over the limit of 200,000" in reasons["g-big"][1]
    again = {o.item.guid: (o.status, o.reason) for o in poll(feed, store, coder)}
    assert {k: v[0] for k, v in again.items()} == dict.fromkeys(["g-a", "g-copy", "g-de", "g-big"], "skipped")
    assert "characters, over the limit" in again["g-big"][1]  # fetched now, but too long to code
    assert again["g-de"][1] == "already skipped (same guid)"
    assert coder.coded == [a]


def test_watch_timeout_is_reported(site: Site):
    site.write("slow.html", "<html></html>")
    site.delay["/slow.html"] = 1.5
    with pytest.raises(InputError, match=r"timed out after 0\.3 s"):
        HttpFetcher(timeout=0.3).fetch(f"{site.url}/slow.html")


def test_watch_local_feed_file_with_relative_links(tmp_path: Path, store):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "one.html").write_text(page("Shelling", STORIES["shelling"]))
    feed = tmp_path / "feed.xml"
    feed.write_text(rss([("g-1", "pages/one.html", "t")]))
    coder = FakeCoder()
    [outcome] = poll(str(feed), store, coder)
    assert outcome.status == "coded"
    assert coder.coded == [(tmp_path / "pages" / "one.html").as_uri()]
    [again] = poll(feed.as_uri(), store, coder)
    assert again.status == "skipped"


def test_watch_not_a_feed_is_named(tmp_path: Path, store):
    path = tmp_path / "x.xml"
    path.write_text("just words, no feed")
    with pytest.raises(InputError, match="not an RSS/Atom feed"):
        poll(str(path), store, FakeCoder())


def test_watch_atom_entries(tmp_path: Path):
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        '<entry><id>urn:1</id><title>T</title><link href="https://example.org/1"/>'
        "<updated>2018-05-07T10:00:00Z</updated><summary>S</summary></entry></feed>"
    )
    title, [item] = parse_feed(atom.encode(), "https://example.org/feed")
    assert title == "A" and item.key == "urn:1" and item.link == "https://example.org/1"
    assert item.published.isoformat() == "2018-05-07"


@pytest.mark.parametrize(
    ("text", "seconds"), [("15m", 900), ("30s", 30), ("2h", 7200), ("1d", 86400), ("90", 90)]
)
def test_watch_intervals(text: str, seconds: float):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["soon", "0", "-5m", "15 minutes"])
def test_watch_bad_interval_is_a_usage_error(text: str, tmp_path: Path):
    result = runner.invoke(
        app, ["watch", "feed.xml", "--every", text, "--db", f"sqlite:///{tmp_path / 'x.db'}"]
    )
    assert result.exit_code == 2 and "--every" in result.stderr


@pytest.mark.slow
def test_watch_cli_codes_a_local_feed_once_with_the_real_coder(site: Site, tmp_path: Path):
    a = site.write("a.html", page("Shelling", STORIES["shelling"]))
    b = site.write("b.html", page("Protest", STORIES["protest"]))
    feed = site.write("feed.xml", rss([("g-a", a, "t"), ("g-b", b, "t")]))
    db = f"sqlite:///{tmp_path / 'w.db'}"
    first = runner.invoke(app, ["watch", feed, "--once", "--db", db, "--format", "jsonl"])
    assert first.exit_code == 0, first.output
    assert f"coded {a}" in first.stderr and f"coded {b}" in first.stderr
    assert len(first.stdout.splitlines()) >= 2
    second = runner.invoke(app, ["watch", feed, "--once", "--db", db, "--format", "jsonl"])
    assert second.exit_code == 0
    assert second.stdout == ""
    assert f"skipped {a}: already coded (same guid)" in second.stderr
    assert open_store(db).counts()["articles"] == 2
