"""Watching RSS/Atom feeds: new items are fetched, their text extracted, coded once, and remembered.

A poll (:func:`poll`) reads the feed (a URL, a ``file://`` URL or a local path), and for each item:

1. skips it when its guid or link is remembered in the store's ``feed_items`` table (migration
   0003) — coded or skipped by an earlier poll;
2. fetches its page (:class:`HttpFetcher`: timeouts, a size limit, a user agent; ``file://`` and
   local paths too) and extracts the main text with trafilatura; when the page cannot be had, the
   feed's own text (``content``, else ``summary``) is used if it is long enough;
3. skips it when the same text was already seen (its hash), or the text is not English, or too
   long; otherwise codes it and stores the article with its events;
4. remembers it. A page that could not be fetched and has no usable feed text is *not*
   remembered: the next poll tries again.

Every skip is reported with its reason (:class:`ItemOutcome`), and the CLI logs it.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlparse
from urllib.request import url2pathname

from sqlalchemy import or_, select

from flashpoint.errors import InputError
from flashpoint.records import Article, Event, text_sha256

if TYPE_CHECKING:
    from flashpoint.pipeline import ArticleState
    from flashpoint.store import Store

USER_AGENT = "flashpoint-watch/0.1 (+https://github.com/flashpoint; conflict event coding)"
DEFAULT_TIMEOUT_S = 20.0
DEFAULT_MAX_BYTES = 5_000_000
MIN_FEED_TEXT_CHARS = 200
"""Feed text shorter than this (a teaser) is not coded in place of an unreachable page."""


class Fetcher(Protocol):
    """Gets the bytes at a URL or path; raises :class:`InputError` naming it when it cannot."""

    def fetch(self, url: str) -> bytes: ...


class HttpFetcher:
    """HTTP(S) with httpx (timeouts, a size limit, a user agent), ``file://`` URLs and local paths."""

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
        user_agent: str = USER_AGENT,
        transport: Any = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self.transport = transport

    def fetch(self, url: str) -> bytes:
        """The bytes at ``url``; InputError for a bad status, a timeout, or a body over the limit."""
        scheme = urlparse(url).scheme.lower()
        if scheme in ("http", "https"):
            return self._http(url)
        if scheme == "file":
            return self._file(Path(url2pathname(urlparse(url).path)), url)
        if scheme and len(scheme) > 1:
            raise InputError(url, f"unsupported URL scheme {scheme!r}: use http(s)://, file:// or a path")
        return self._file(Path(url), url)

    def _file(self, path: Path, where: str) -> bytes:
        try:
            with open(path, "rb") as fh:
                data = fh.read(self.max_bytes + 1)
        except OSError as exc:
            raise InputError(where, f"cannot read: {exc.strerror or exc}") from None
        if len(data) > self.max_bytes:
            raise InputError(where, f"larger than the limit of {self.max_bytes:,} bytes")
        return data

    def _http(self, url: str) -> bytes:
        import httpx

        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0))
        try:
            with (
                httpx.Client(
                    timeout=timeout,
                    follow_redirects=True,
                    headers={"User-Agent": self.user_agent},
                    transport=self.transport,
                ) as client,
                client.stream("GET", url) as response,
            ):
                if response.status_code >= 400:
                    raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise InputError(url, f"{int(declared):,} bytes, over the limit of {self.max_bytes:,}")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise InputError(url, f"larger than the limit of {self.max_bytes:,} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException:
            raise InputError(url, f"timed out after {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise InputError(url, f"cannot fetch: {exc.__class__.__name__}: {exc}") from None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed. ``key`` identifies it across polls: its guid, else its link."""

    key: str
    guid: str | None
    link: str | None
    title: str | None
    published: dt.date | None
    feed_text: str  # the feed's own text for the item (content, else summary), tags removed


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What a poll did with one item: ``coded`` (with its events) or ``skipped`` (with why)."""

    item: FeedItem
    status: str  # coded | skipped | failed (failed: not remembered, tried again next poll)
    reason: str | None = None
    article_id: str | None = None
    events: tuple[Event, ...] = ()


def _plain(fragment: str) -> str:
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", fragment)
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _date(entry: Any) -> dt.date | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date()
    return None


def feed_url(source: str) -> str:
    """A feed argument as a URL: http(s) and file URLs as given, a local path as a file:// URL."""
    scheme = urlparse(source).scheme.lower()
    if scheme in ("http", "https", "file"):
        return source
    return Path(source).expanduser().resolve().as_uri()


def parse_feed(data: bytes, url: str) -> tuple[str | None, list[FeedItem]]:
    """The feed's title and its items (links made absolute against ``url``); InputError if not a feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or "no RSS or Atom entries"
        raise InputError(url, f"not an RSS/Atom feed ({reason})")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        link = urljoin(url, link) if link else None
        guid = entry.get("id") or None
        key = guid or link
        if not key:
            continue
        contents = [c.get("value", "") for c in entry.get("content") or []]
        text = _plain(max(contents, key=len)) if contents else ""
        summary = _plain(entry.get("summary") or "")
        items.append(
            FeedItem(
                key[:1000],
                guid,
                link,
                entry.get("title"),
                _date(entry),
                text if len(text) > len(summary) else summary,
            )
        )
    return parsed.feed.get("title"), items


def page_text(data: bytes, url: str) -> tuple[str, dict[str, Any]]:
    """The main text of an HTML page (trafilatura) and its metadata; InputError when it has none."""
    from trafilatura import bare_extraction

    try:
        markup = data.decode("utf-8")
    except UnicodeDecodeError:
        markup = data.decode("latin-1")
    try:
        doc: Any = bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, favor_precision=True
        )
    except Exception as exc:  # the extractor's HTML libraries assert or raise on some broken pages
        raise InputError(url, f"HTML page cannot be parsed ({type(exc).__name__})") from exc
    meta: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    text = (meta.get("text") or "").strip()
    if not text:
        raise InputError(url, "the page has no main text")
    return text, meta


class FeedMemory:
    """The store's ``feed_items`` table: which items were handled, and how."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def seen(self, item: FeedItem) -> str | None:
        """Why ``item`` is known (``guid``/``link`` seen before), or None when it is new."""
        from flashpoint.store import schema

        t = schema.feed_items
        clauses = [t.c.key == item.key]
        if item.guid:
            clauses.append(t.c.guid == item.guid)
        if item.link:
            clauses.append(t.c.link == item.link)
        with self.store.engine.connect() as conn:
            row = conn.execute(select(t.c.guid, t.c.link, t.c.status).where(or_(*clauses))).first()
        if row is None:
            return None
        how = "guid" if item.guid and row.guid == item.guid else "link"
        return f"already {row.status} (same {how})"

    def seen_text(self, sha: str) -> bool:
        from flashpoint.store import schema

        t = schema.feed_items
        with self.store.engine.connect() as conn:
            return conn.execute(select(t.c.key).where(t.c.text_sha256 == sha)).first() is not None

    def remember(self, feed: str, outcome: ItemOutcome, sha: str | None) -> None:
        from flashpoint.store import schema

        item = outcome.item
        with self.store.engine.begin() as conn:
            conn.execute(
                schema.feed_items.insert().values(
                    key=item.key,
                    feed=feed,
                    guid=item.guid,
                    link=item.link,
                    text_sha256=sha,
                    article_id=outcome.article_id,
                    status=outcome.status,
                    reason=outcome.reason,
                    seen_at=dt.datetime.now(dt.UTC).isoformat(),
                )
            )


class Coding(Protocol):
    """What :func:`poll` needs of a coder (:class:`flashpoint.coder.Coder` is one)."""

    def code_state(self, article: Article) -> ArticleState: ...


def _item_text(item: FeedItem, fetcher: Fetcher) -> tuple[str | None, dict[str, Any], str | None]:
    """The item's text (page first, else the feed's own), the page's metadata, and why no page text."""
    problem = None
    if item.link:
        try:
            text, meta = page_text(fetcher.fetch(item.link), item.link)
            return text, meta, None
        except InputError as exc:
            problem = exc.message
    else:
        problem = "the item has no link"
    if len(item.feed_text) >= MIN_FEED_TEXT_CHARS:
        return item.feed_text, {}, problem
    return None, {}, problem


def poll(
    source: str,
    store: Store,
    coder: Coding,
    *,
    fetcher: Fetcher | None = None,
    on_outcome: Callable[[ItemOutcome], None] | None = None,
) -> list[ItemOutcome]:
    """Read the feed once and code its new items (see the module docstring); the outcome per item."""
    from flashpoint.ingest import check_article, detect_language

    fetcher = fetcher or HttpFetcher()
    url = feed_url(source)
    feed_title, items = parse_feed(fetcher.fetch(url), url)
    memory = FeedMemory(store)
    outcomes: list[ItemOutcome] = []

    def done(outcome: ItemOutcome, sha: str | None = None, remember: bool = True) -> None:
        if remember:
            memory.remember(url, outcome, sha)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    for item in _unique(items):
        known = memory.seen(item)
        if known is not None:
            done(ItemOutcome(item, "skipped", known), remember=False)
            continue
        text, meta, problem = _item_text(item, fetcher)
        if text is None:
            done(ItemOutcome(item, "failed", f"no text: {problem}; will try again"), remember=False)
            continue
        sha = text_sha256(text)
        if memory.seen_text(sha):
            done(ItemOutcome(item, "skipped", "same text as an item already seen"), sha)
            continue
        article = Article(
            id=item.link or item.key,
            text=text,
            published=item.published or _meta_date(meta),
            title=item.title or meta.get("title"),
            source=meta.get("sitename") or feed_title,
            url=item.link,
        )
        try:
            check_article(article)
            lang = detect_language(text)
            if lang is not None and lang != "en":
                raise InputError(article.id, f"text is in language {lang!r}, not English; not coded")
            article = dataclasses.replace(article, language=lang or "en")
        except InputError as exc:
            done(ItemOutcome(item, "skipped", exc.message), sha)
            continue
        existing = store.find_article(article)
        if existing is not None:
            done(ItemOutcome(item, "skipped", f"article already stored as {existing}", existing), sha)
            continue
        try:
            state = coder.code_state(article)
        except InputError as exc:
            done(ItemOutcome(item, "skipped", exc.message), sha)
            continue
        store.add_state(state)
        note = None if problem is None else f"coded the feed's text ({problem})"
        done(ItemOutcome(item, "coded", note, article.id, tuple(state.events)), sha)
    return outcomes


def _unique(items: list[FeedItem]) -> Iterator[FeedItem]:
    seen: set[str] = set()
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            yield item


def _meta_date(meta: dict[str, Any]) -> dt.date | None:
    value = meta.get("date")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def parse_interval(text: str) -> float:
    """``15m``, ``30s``, ``2h``, ``1d`` or plain seconds as seconds; ValueError naming a bad value."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not match:
        raise ValueError(f"interval {text!r} is not a duration such as 30s, 15m, 2h or 1d")
    seconds = float(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
    if seconds <= 0:
        raise ValueError(f"interval {text!r} must be longer than zero")
    return seconds
