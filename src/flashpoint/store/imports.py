"""Imports of events into the store: an analyst's ACLED CSV, and flashpoint's own exports.

Formats (:data:`IMPORT_FORMATS`):

- ``acled-csv``: an ACLED export, in ACLED's column names (any order, any subset that has
  ``event_id_cnty``, ``event_date`` and ``sub_event_type``; the 31 columns of a full export, or the
  shorter exports ACLED's tool and older files give). Dates as ACLED writes them (``2018-04-15``,
  ``15 April 2018``, ``15-April-2018``, ``15/04/2018``, ``15-04-18`` ...), inter codes as numbers or
  as ACLED's 2024 names (``Rebel group``), interaction as a number or ``State forces-Rebel group``.
  Each row becomes one event, ``modality`` asserted, ``confidence`` 1.0, under its own article
  ``acled:<event_id_cnty>`` whose text is the row's notes (the event's evidence, so the map shows
  it), keeping ACLED's ``event_id_cnty`` as ``event_id``.
- ``jsonl``, ``geojson``, ``parquet``: events as ``flashpoint export`` writes them. Events keep their
  ids and article ids; each article is rebuilt from its events' evidence at their offsets (spaces in
  between), so every evidence span still points at its sentence.

Importing is idempotent: an article already stored (by id) or an event id already stored is counted
as present and left alone. Imported events are not merged into each other (ACLED rows are distinct
events by definition); articles coded later are merged into them as usual.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from flashpoint.errors import InputError
from flashpoint.pipeline import ArticleState
from flashpoint.records import Article, DateBasis, Event, Evidence, GeoPrecision, Modality, TimePrecision
from flashpoint.serialize import event_from_dict

IMPORT_FORMATS: tuple[str, ...] = ("acled-csv", "jsonl", "geojson", "parquet")
ACLED_ARTICLE_PREFIX = "acled:"
ACLED_REQUIRED: tuple[str, ...] = ("event_id_cnty", "event_date", "sub_event_type")

ACLED_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d-%B-%Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d/%m/%y",
    "%B %d, %Y",
    "%Y/%m/%d",
)
"""Date spellings found in ACLED exports, tried in order (day before month: ACLED never writes
month-first numeric dates)."""

Item = Event | InputError
_WHOLE = re.compile(r"-?\d+(\.0+)?")
"""A whole number, also as spreadsheets and pandas write it (``6.0``)."""


# -- ACLED CSV -------------------------------------------------------------------------------------
def parse_acled_date(value: str) -> dt.date:
    """An ACLED ``event_date`` in any of :data:`ACLED_DATE_FORMATS`; ValueError naming it otherwise."""
    text = value.strip()
    if "T" in text[:11] and text[:4].isdigit():
        text = text.split("T", 1)[0]
    for fmt in ACLED_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"event_date {value!r} is not a date ACLED writes (e.g. 2018-04-15 or 15 April 2018)")


def _word_key(name: str) -> str:
    return re.sub(r"s\b", "", re.sub(r"\s+", " ", name.strip().lower()))


def _inter_by_name() -> dict[str, int]:
    from flashpoint.events.taxonomy import inter_codes

    table = {_word_key(name): code for code, name in inter_codes().items()}
    table[_word_key("External/Other forces")] = 8
    table[_word_key("Other forces")] = 8
    return table


def parse_inter(value: str, column: str) -> int | None:
    """An inter code: ``2`` or ACLED's name for it (``Rebel group``, ``State Forces``); blank or ``0``
    (ACLED's code where the event has no such actor): None."""
    text = value.strip()
    if not text:
        return None
    if _WHOLE.fullmatch(text):
        code = int(float(text))
        if not 0 <= code <= 8:
            raise ValueError(f"{column} {value!r} is not an ACLED inter code (0-8)")
        return code or None
    code_by_name = _inter_by_name().get(_word_key(text))
    if code_by_name is None:
        raise ValueError(f"{column} {value!r} is not an ACLED inter code or name")
    return code_by_name


def parse_interaction(value: str, inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: a number, ``State forces-Rebel group``, ``Protesters only``; blank: computed."""
    from flashpoint.events.taxonomy import interaction_code

    text = value.strip()
    if not text:
        return interaction_code(inter1, inter2)
    if _WHOLE.fullmatch(text):
        return int(float(text))
    names = _inter_by_name()
    if text.lower().endswith(" only"):
        code = names.get(_word_key(text[: -len(" only")]))
        if code is not None:
            return code * 10
    else:
        parts = [names.get(_word_key(p)) for p in text.split("-")]
        if len(parts) == 2 and None not in parts:
            return interaction_code(parts[0], parts[1])
    raise ValueError(f"interaction {value!r} is not an ACLED interaction code or name")


def _int(value: str, column: str, lo: int | None = None, hi: int | None = None) -> int | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = int(float(text)) if _WHOLE.fullmatch(text) else int(text)
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a whole number") from None
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise ValueError(f"{column} {value!r} is outside {lo}..{hi}")
    return number


def _float(value: str, column: str, limit: float) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{column} {value!r} is not a number") from None
    if not -limit <= number <= limit:
        raise ValueError(f"{column} {value!r} is outside -{limit:g}..{limit:g}")
    return number


def acled_event(row: dict[str, str]) -> Event:
    """One ACLED CSV row (column names lower-cased) as an asserted Event; ValueError naming a bad value."""
    from flashpoint.countries import by_name
    from flashpoint.events import taxonomy

    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    event_id = cell("event_id_cnty")
    if not event_id:
        raise ValueError("event_id_cnty is empty")
    if len(event_id) > 64 or any(ord(c) < 32 for c in event_id):
        raise ValueError(f"event_id_cnty {event_id[:70]!r} is not an ACLED event id")
    try:
        sub = taxonomy.get(cell("sub_event_type"))
    except KeyError:
        raise ValueError(f"sub_event_type {cell('sub_event_type')!r} is not one of ACLED's 25") from None
    event_type = cell("event_type")
    if event_type and event_type.lower() != sub.event_type.lower():
        raise ValueError(
            f"event_type {event_type!r} does not match sub_event_type {sub.name!r} ({sub.event_type})"
        )
    precision = _int(cell("time_precision"), "time_precision", 1, 3) or 1
    geo = _int(cell("geo_precision"), "geo_precision", 1, 3)
    inter1 = parse_inter(cell("inter1"), "inter1")
    inter2 = parse_inter(cell("inter2"), "inter2")
    country = cell("country") or None
    iso = _int(cell("iso"), "iso", 0, 999)
    if iso is None and country:
        found = by_name(country)
        iso = found.numeric if found is not None else None
    notes = cell("notes")
    article_id = ACLED_ARTICLE_PREFIX + event_id
    evidence = Evidence(article_id, notes, 0, len(notes)) if notes else None
    fatalities = _int(cell("fatalities"), "fatalities", 0) or 0
    return Event(
        event_id=event_id,
        article_id=article_id,
        event_date=parse_acled_date(cell("event_date")),
        time_precision=TimePrecision(precision),
        date_basis=DateBasis.EXPLICIT,
        disorder_type=cell("disorder_type") or sub.disorder_type,
        event_type=sub.event_type,
        sub_event_type=sub.name,
        actor1=cell("actor1") or None,
        assoc_actor_1=cell("assoc_actor_1") or None,
        inter1=inter1,
        actor2=cell("actor2") or None,
        assoc_actor_2=cell("assoc_actor_2") or None,
        inter2=inter2,
        interaction=parse_interaction(cell("interaction"), inter1, inter2),
        civilian_targeting=cell("civilian_targeting") or None,
        iso=iso,
        country=country,
        admin1=cell("admin1") or None,
        admin2=cell("admin2") or None,
        admin3=cell("admin3") or None,
        location=cell("location") or None,
        latitude=_float(cell("latitude"), "latitude", 90),
        longitude=_float(cell("longitude"), "longitude", 180),
        geo_precision=None if geo is None else GeoPrecision(geo),
        geonameid=None,
        fatalities=fatalities,
        notes=notes,
        source=cell("source") or None,
        target=None,
        quantities=(),
        modality=Modality.ASSERTED,
        confidence=1.0,
        plover={"type": sub.plover_type, "mode": sub.plover_mode} if sub.plover_type else {},
        cameo=sub.cameo,
        evidence=evidence,
        field_evidence={},
        sources=(evidence,) if evidence else (),
    )


def _open_text(path: Path) -> Any:
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(str(path), f"cannot read file: {exc.strerror or exc}") from None


def read_acled_csv(path: Path | str) -> Iterator[Item]:
    """Events from an ACLED CSV export; a bad row yields an InputError naming the file and line."""
    path = Path(path)
    try:
        stream = _open_text(path)
    except InputError as exc:
        yield exc
        return
    csv.field_size_limit(sys.maxsize)
    with stream:
        try:
            reader = csv.reader(stream)
            header = next(reader, None)
            if header is None:
                yield InputError(str(path), "empty file; expected an ACLED CSV header")
                return
            columns = [h.strip().lower() for h in header]
            missing = [c for c in ACLED_REQUIRED if c not in columns]
            if missing:
                yield InputError(
                    f"{path}:1",
                    f"not an ACLED CSV export: no column {', '.join(missing)} (found {', '.join(columns[:8])})",
                )
                return
            for values in reader:
                where = f"{path}:{reader.line_num}"
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(columns):
                    yield InputError(where, f"{len(values)} fields where the header has {len(columns)}")
                    continue
                try:
                    yield acled_event(dict(zip(columns, values, strict=True)))
                except ValueError as exc:
                    yield InputError(where, str(exc))
        except UnicodeDecodeError as exc:
            yield InputError(
                str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
            )
        except csv.Error as exc:
            yield InputError(str(path), f"malformed CSV ({exc})")


# -- flashpoint's own exports ----------------------------------------------------------------------
def _record_event(record: Any, where: str) -> Item:
    if not isinstance(record, dict):
        return InputError(where, f"expected a JSON object, got {type(record).__name__}")
    if "event_id" not in record:
        hint = "; it looks like an article: use flashpoint code --input" if "text" in record else ""
        return InputError(where, f"not an event record (no event_id){hint}")
    try:
        return event_from_dict(record)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return InputError(where, f"not an event record ({exc.__class__.__name__}: {exc})")


def read_event_jsonl(path: Path | str) -> Iterator[Item]:
    """Events from JSON lines of event records (``flashpoint export --format jsonl``)."""
    path = Path(path)
    try:
        stream = _open_text(path)
    except InputError as exc:
        yield exc
        return
    with stream:
        try:
            for n, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{n}"
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, RecursionError, ValueError) as exc:
                    yield InputError(where, f"malformed JSON ({getattr(exc, 'msg', exc)})")
                    continue
                yield _record_event(record, where)
        except UnicodeDecodeError as exc:
            yield InputError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})")


def read_event_geojson(path: Path | str) -> Iterator[Item]:
    """Events from a GeoJSON FeatureCollection written by ``flashpoint export --format geojson``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        yield InputError(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError, ValueError) as exc:
        yield InputError(str(path), f"not a GeoJSON file ({exc.__class__.__name__}: {exc})")
        return
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        yield InputError(str(path), "not a GeoJSON FeatureCollection")
        return
    for n, feature in enumerate(data.get("features") or [], start=1):
        where = f"{path}: feature {n}"
        props = feature.get("properties") if isinstance(feature, dict) else None
        yield (
            _record_event(props, where)
            if props is not None
            else InputError(where, "feature without properties")
        )


def read_event_parquet(path: Path | str) -> Iterator[Item]:
    """Events from a Parquet file written by ``flashpoint export --format parquet``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from flashpoint.store.arrow import events_from_arrow

    path = Path(path)
    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        yield InputError(str(path), f"not a readable Parquet file ({exc})")
        return
    yield from events_from_arrow(table, str(path))


READERS: dict[str, Callable[[Path | str], Iterator[Item]]] = {
    "acled-csv": read_acled_csv,
    "jsonl": read_event_jsonl,
    "geojson": read_event_geojson,
    "parquet": read_event_parquet,
}


def read_events(path: Path | str, fmt: str) -> Iterator[Item]:
    """Events (or an InputError per bad row) from ``path`` in ``fmt`` (one of :data:`IMPORT_FORMATS`)."""
    if fmt not in READERS:
        raise InputError(
            str(path), f"unknown import format {fmt!r}; choose one of {', '.join(IMPORT_FORMATS)}"
        )
    if not Path(path).is_file():
        raise InputError(str(path), "no such file")
    return READERS[fmt](path)


# -- into the store ---------------------------------------------------------------------------------
@dataclass
class ImportResult:
    """What an import did: articles and events added, events already present, rows skipped."""

    articles: int = 0
    events: int = 0
    present: int = 0
    skipped: list[InputError] = field(default_factory=list)


def rebuilt_text(events: Iterable[Event], article_id: str) -> str:
    """An article's text rebuilt from its events: each evidence span at its offsets, spaces between.

    Without any evidence, the events' notes, one per line.
    """
    spans = sorted(
        {
            (s.start, s.end, s.text)
            for e in events
            for s in (e.evidence, *e.sources)
            if s is not None and s.article_id == article_id and len(s.text) == s.end - s.start
        }
    )
    if not spans:
        return "\n".join(dict.fromkeys(e.notes for e in events if e.notes))
    chars: list[str] = []
    for start, end, text in spans:
        if len(chars) < end:
            chars.extend(" " * (end - len(chars)))
        chars[start:end] = text
    return "".join(chars)


def _article(events: list[Event], fmt: str, source: str) -> Article:
    article_id = events[0].article_id
    if fmt == "acled-csv":
        text = events[0].notes or f"ACLED event {events[0].event_id}"
        return Article(article_id, text, None, f"ACLED {events[0].event_id}", events[0].source, None, "en")
    text = rebuilt_text(events, article_id) or f"events imported from {source}"
    return Article(article_id, text, None, None, None, None, "en")


def _with_unique_texts(
    store: Any, articles: list[tuple[Article, list[Event]]]
) -> list[tuple[Article, list[Event]]]:
    """Articles are also identified by their text: keep each imported article's text its own."""
    from flashpoint.records import text_sha256
    from flashpoint.store import schema

    shas = [text_sha256(a.text) for a, _ in articles]
    with store.engine.connect() as conn:
        taken = set(
            conn.execute(
                select(schema.articles.c.text_sha256).where(schema.articles.c.text_sha256.in_(shas))
            ).scalars()
        )
    out = []
    for (article, events), sha in zip(articles, shas, strict=True):
        if sha in taken:
            article = dataclasses.replace(article, text=f"{article.text}\n\n[{article.id}]")
            sha = text_sha256(article.text)
        taken.add(sha)
        out.append((article, events))
    return out


def import_events(
    store: Any,
    items: Iterable[Item],
    fmt: str,
    *,
    source: str = "import",
    on_skip: Callable[[InputError], None] | None = None,
    chunk: int = 500,
) -> ImportResult:
    """Store imported events, grouped into their articles; idempotent (see the module docstring).

    ``store`` is a :class:`~flashpoint.store.Store`; imported events are not merged into each other.
    """
    from flashpoint.store import schema

    result = ImportResult()
    by_article: dict[str, list[Event]] = {}
    seen_ids: set[str] = set()
    for item in items:
        if isinstance(item, InputError):
            result.skipped.append(item)
            if on_skip is not None:
                on_skip(item)
            continue
        if item.event_id in seen_ids:
            result.present += 1
            continue
        seen_ids.add(item.event_id)
        by_article.setdefault(item.article_id, []).append(item)

    merge, store.merge_reports = store.merge_reports, False
    try:
        groups = list(by_article.items())
        for i in range(0, len(groups), chunk):
            part = groups[i : i + chunk]
            with store.engine.connect() as conn:
                have_articles = set(
                    conn.execute(
                        select(schema.articles.c.id).where(schema.articles.c.id.in_([a for a, _ in part]))
                    ).scalars()
                )
                event_ids = [e.event_id for _, evs in part for e in evs]
                have_events = set(
                    conn.execute(
                        select(schema.events.c.event_id).where(schema.events.c.event_id.in_(event_ids))
                    ).scalars()
                )
            articles: list[tuple[Article, list[Event]]] = []
            for article_id, events in part:
                if article_id in have_articles:
                    result.present += len(events)
                    continue
                new = [e for e in events if e.event_id not in have_events]
                result.present += len(events) - len(new)
                if new:
                    articles.append((_article(new, fmt, source), new))
            states = [ArticleState(a, events=tuple(evs)) for a, evs in _with_unique_texts(store, articles)]
            written = store.add_states(states)
            for state, ok in zip(states, written, strict=True):
                if ok:
                    result.articles += 1
                    result.events += len(state.events)
                else:
                    result.present += len(state.events)
    finally:
        store.merge_reports = merge
    return result
