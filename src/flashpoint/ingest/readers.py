"""Plain text, HTML, JSONL and CSV readers (gzip-compressed batches too), and stdin."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import gzip
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from flashpoint.errors import InputError, LanguageError
from flashpoint.records import Article

Item = Article | InputError
"""What a reader yields: an article, or the error that kept one input from being read."""

BATCH_COLUMNS = ("id", "text", "published", "title", "source", "url")
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CSV_SUFFIXES = frozenset({".csv"})

MAX_CHARS_ENV = "FLASHPOINT_MAX_ARTICLE_CHARS"
DEFAULT_MAX_CHARS = 100_000
"""Longest article text coded, in characters (the longest Guardian dev article has 58,265).

Coding time grows with the text, so this bounds the time one article can take. Longer texts are
rejected with an :class:`InputError` saying so; set ``FLASHPOINT_MAX_ARTICLE_CHARS`` (0: no limit).
"""

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%d-%b-%Y",
    "%d.%m.%Y",
    "%Y%m%d",
)


def parse_published(value: object, where: str) -> dt.date | None:
    """A publication date from ISO ``YYYY-MM-DD`` (a datetime too) or a spelled-out date.

    >>> parse_published("2018-05-08", "x")
    datetime.date(2018, 5, 8)
    >>> parse_published("8 May 2018", "x")
    datetime.date(2018, 5, 8)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise InputError(where, f"publication date {value!r} is not a string; use YYYY-MM-DD")
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InputError(where, f"unknown date format {text!r}; use YYYY-MM-DD")


_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00C0-\u024F]")


@functools.cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short to tell.

    Texts mostly in a non-Latin script are decided by script alone; Latin-script texts by py3langid,
    which must be confident before a text is called non-English.
    """
    sample = text[:2500]  # enough to tell; the classifier costs time linear in what it reads
    letters = [c for c in sample if c.isalpha()]
    if len(letters) < 20:
        return None
    non_latin = sum(1 for c in letters if _NON_LATIN.match(c))
    if non_latin > len(letters) / 2:
        lang, _ = _identifier().classify(sample)
        return str(lang) if lang != "en" else "und"
    lang, prob = _identifier().classify(sample)
    if lang != "en" and prob >= 0.9:
        return str(lang)
    return "en"


def max_article_chars() -> int | None:
    """The article size limit in force: ``FLASHPOINT_MAX_ARTICLE_CHARS``, else the default; None: none."""
    raw = os.environ.get(MAX_CHARS_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_CHARS
    try:
        limit = int(raw)
    except ValueError:
        raise InputError(MAX_CHARS_ENV, f"{raw!r} is not a whole number of characters (0: no limit)") from None
    if limit < 0:
        raise InputError(MAX_CHARS_ENV, f"{limit} is negative; give a number of characters (0: no limit)")
    return limit or None


def check_article(article: Article, where: str | None = None) -> None:
    """Raise :class:`InputError` for an article the coder must not take.

    That is a text over the size limit (:func:`max_article_chars`), or invalid Unicode in any of
    its strings (lone surrogates, e.g. from a ``\\ud800`` JSON escape or undecodable argv bytes).
    """
    where = article.id.encode("utf-8", "backslashreplace").decode("utf-8") if where is None else where
    limit = max_article_chars()
    if limit is not None and len(article.text) > limit:
        raise InputError(
            where,
            f"text is {len(article.text):,} characters, over the limit of {limit:,}; split it, or raise "
            f"the limit with {MAX_CHARS_ENV}=N (0: no limit)",
        )
    for name in ("id", "text", "title", "source", "url"):
        value = getattr(article, name)
        if isinstance(value, str) and not value.isascii() and _has_surrogate(value):
            raise InputError(where, f"{name!r} holds invalid Unicode (a lone surrogate such as \\ud800)")


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_language(article: Article, where: str) -> Article:
    check_article(article, where)
    lang = detect_language(article.text)
    if lang is not None and lang != "en":
        raise LanguageError(where, f"text is in language {lang!r}, not English; not coded")
    return Article(
        article.id, article.text, article.published, article.title, article.source, article.url, lang or "en"
    )


def _decode(data: bytes, where: str) -> str:
    if not data.strip():
        raise InputError(where, "empty input: no text to code")
    if b"\x00" in data[:8192]:
        raise InputError(where, "binary file (NUL bytes): expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 text (undecodable byte at offset {exc.start})") from exc
    if not text.strip():
        raise InputError(where, "empty input: no text to code")
    if _control_share(text) > 0.05:
        raise InputError(where, "binary-looking input: too many control characters")
    return text


def _control_share(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return bad / max(1, len(sample))


def read_text(
    path: Path | str,
    *,
    published: dt.date | None = None,
    title: str | None = None,
    data: bytes | None = None,
) -> Item:
    """One plain-text article; its id is its path (``-`` for stdin)."""
    where = str(path)
    try:
        raw = data if data is not None else Path(path).read_bytes()
        text = _decode(raw, where)
        return _check_language(Article(where, text, published, title), where)
    except OSError as exc:
        return InputError(where, f"cannot read file: {exc.strerror or exc}")
    except InputError as exc:
        return exc


def read_html(path: Path | str, *, published: dt.date | None = None, title: str | None = None) -> Item:
    """One HTML page: main text and metadata (title, date, site, url) extracted by trafilatura."""
    where = str(path)
    try:
        html = _decode(Path(path).read_bytes(), where)
        from trafilatura import bare_extraction

        try:
            doc: Any = bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=True)
        except Exception as exc:  # the extractor's HTML libraries assert or raise on some broken pages
            raise InputError(where, f"HTML page cannot be parsed ({type(exc).__name__})") from exc
        meta: dict[str, Any] = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
        text = meta.get("text") or ""
        if not text.strip():
            raise InputError(where, "HTML page has no main text to code")
        meta_date = parse_published(meta.get("date"), where) if meta.get("date") else None
        article = Article(
            id=where,
            text=text,
            published=published or meta_date,
            title=title or meta.get("title"),
            source=meta.get("sitename"),
            url=meta.get("url"),
        )
        return _check_language(article, where)
    except OSError as exc:
        return InputError(where, f"cannot read file: {exc.strerror or exc}")
    except InputError as exc:
        return exc


def record_to_article(record: dict[str, Any], where: str, default_id: str) -> Article:
    """An article from a batch record (keys id, text, published, title, source, url; text required).

    Raises :class:`InputError` naming ``where`` when the record cannot be coded.
    """
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, "missing or empty 'text' field")
    if "\x00" in text:
        raise InputError(where, "'text' contains NUL bytes")
    raw_id = record.get("id")
    article_id = default_id if raw_id is None or str(raw_id).strip() == "" else str(raw_id)

    def opt(key: str) -> str | None:
        v = record.get(key)
        return None if v is None or str(v).strip() == "" else str(v)

    article = Article(
        id=article_id,
        text=text,
        published=parse_published(record.get("published"), where),
        title=opt("title"),
        source=opt("source"),
        url=opt("url"),
    )
    return _check_language(article, where)


def _open_text(path: Path | str) -> IO[str]:
    if str(path) == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="strict")
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="strict")
    return open(path, encoding="utf-8-sig", errors="strict", newline="")


def read_jsonl(path: Path | str) -> Iterator[Item]:
    """A JSONL batch (``-`` for stdin, ``.gz`` compressed): one object per line, ``text`` required."""
    for item in jsonl_records(path):
        if isinstance(item, InputError):
            yield item
            continue
        where, record = item
        try:
            yield record_to_article(record, where, where)
        except InputError as exc:
            yield exc


def jsonl_records(path: Path | str) -> Iterator[tuple[str, dict[str, Any]] | InputError]:
    """Each object of a JSONL batch with where it stands (``FILE:LINE``), or the InputError naming a
    line that is no JSON object (the rest of the file is still read)."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        stream = _open_text(path)
    except OSError as exc:
        yield InputError(name, f"cannot read file: {exc.strerror or exc}")
        return
    with stream:
        lineno = 0
        while True:
            where = f"{name}:{lineno + 1}"
            try:
                line = stream.readline()
            except (UnicodeDecodeError, EOFError, OSError) as exc:
                yield InputError(where, f"unreadable input ({exc.__class__.__name__}); rest of file skipped")
                return
            if not line:
                return
            lineno += 1
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
                continue
            except RecursionError:
                yield InputError(where, "malformed JSON (nested too deeply)")
                continue
            except ValueError as exc:  # e.g. an integer with more digits than Python converts
                yield InputError(where, f"malformed JSON ({exc})")
                continue
            if not isinstance(record, dict):
                yield InputError(where, f"expected a JSON object, got {type(record).__name__}")
                continue
            yield where, record


def read_csv(path: Path | str) -> Iterator[Item]:
    """A CSV batch with a header naming some of id, text, published, title, source, url."""
    name = "<stdin>" if str(path) == "-" else str(path)
    try:
        stream = _open_text(path)
    except OSError as exc:
        yield InputError(name, f"cannot read file: {exc.strerror or exc}")
        return
    # A field over the csv module's own limit (128 KiB) would end the whole file; let it through so
    # that only its row is rejected, by the article size limit.
    csv.field_size_limit(sys.maxsize)
    with stream:
        try:
            reader = csv.DictReader(stream)
            if reader.fieldnames is None or "text" not in reader.fieldnames:
                yield InputError(name, "CSV header has no 'text' column")
                return
            for record in reader:
                where = f"{name}:{reader.line_num}"
                try:
                    yield record_to_article(dict(record), where, where)
                except InputError as exc:
                    yield exc
        except (UnicodeDecodeError, csv.Error, EOFError, OSError) as exc:
            yield InputError(name, f"unreadable CSV ({exc}); rest of file skipped")


def read_paths(
    paths: Iterable[Path | str],
    *,
    published: dt.date | None = None,
    title: str | None = None,
) -> Iterator[Item]:
    """Articles from files by type: ``.html``, ``.jsonl``/``.ndjson``, ``.csv`` (``.gz`` too), else text.

    ``-`` reads one plain-text article from stdin.
    """
    for path in paths:
        p = Path(path)
        suffixes = [s.lower() for s in p.suffixes]
        last = suffixes[-2] if suffixes[-1:] == [".gz"] and len(suffixes) > 1 else (suffixes[-1:] or [""])[0]
        if str(path) == "-":
            yield read_text("-", published=published, title=title, data=sys.stdin.buffer.read())
        elif p.is_dir():
            yield InputError(str(path), "is a directory; pass files")
        elif last in JSONL_SUFFIXES:
            yield from read_jsonl(p)
        elif last in CSV_SUFFIXES:
            yield from read_csv(p)
        elif last in HTML_SUFFIXES:
            yield read_html(p, published=published, title=title)
        else:
            yield read_text(p, published=published, title=title)


def read_inputs(
    paths: Iterable[Path | str] = (),
    batch: str | None = None,
    *,
    published: dt.date | None = None,
    title: str | None = None,
) -> Iterator[Item]:
    """What ``flashpoint code`` and ``flashpoint places`` read: the files ``paths`` (by type, as
    :func:`read_paths`), then the ``batch`` file (CSV by its name, else JSONL; ``-``: JSONL from stdin).

    ``published`` dates the articles that carry no date; ``title`` names a single text input.
    """
    sources: list[Iterator[Item]] = [read_paths(paths, published=published, title=title)]
    if batch is not None:
        lower = batch.lower().removesuffix(".gz")
        sources.append(read_csv(batch) if lower.endswith(".csv") else read_jsonl(batch))
    for source in sources:
        for item in source:
            if isinstance(item, Article) and item.published is None and published is not None:
                item = dataclasses.replace(item, published=published)
            yield item


def count_inputs(batch: str) -> int | None:
    """Lines (JSONL) or rows (CSV, roughly) of a batch file, for a progress bar; None for stdin or a
    file that cannot be read."""
    if batch == "-":
        return None
    opener: Any = gzip.open if batch.endswith(".gz") else open
    try:
        with opener(batch, "rb") as fh:
            n = sum(1 for line in fh if line.strip())
    except OSError:
        return None
    return max(0, n - 1) if batch.lower().removesuffix(".gz").endswith(".csv") else n
