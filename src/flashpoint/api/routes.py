"""The API's routes: thin over :class:`~flashpoint.store.Store`, the exports and the batch runner."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from flashpoint.api.models import (
    ArticleIn,
    ArticleMeta,
    ArticleResult,
    ArticlesResult,
    ClientConfig,
    Context,
    EventDetail,
    EventPage,
    ModalityParam,
    Problem,
)
from flashpoint.api.security import authorize, has_control, read_body
from flashpoint.errors import InputError
from flashpoint.records import DEFAULT_MODALITIES, Article, Event, Modality, ReviewStatus
from flashpoint.serialize import event_to_dict
from flashpoint.store import EventQuery

router = APIRouter()

MAX_PAGE = 1000
DEFAULT_PAGE = 200
MAX_OFFSET = 1_000_000_000
CONTEXT_CHARS = 300
FILTER_MAX = 200

_problem = {"model": Problem}


def _services(request: Request) -> Any:
    return request.app.state.services


def _clean(name: str, value: str | None) -> str | None:
    """A filter value, stripped; control characters (NUL among them) are refused by name."""
    if value is None:
        return None
    if has_control(value):
        raise HTTPException(400, f"{name}: control characters are not allowed")
    value = value.strip()
    return value or None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None or not value.strip():
        return None
    parts = value.split(",")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        nums = []
    if len(nums) != 4 or not all(math.isfinite(n) for n in nums):
        raise HTTPException(400, f"bbox {value!r}: give four numbers west,south,east,north")
    west, south, east, north = nums
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise HTTPException(
            400,
            f"bbox {value!r}: need -180 <= west <= east <= 180 and -90 <= south <= north <= 90",
        )
    return west, south, east, north


def _modalities(values: list[ModalityParam] | None) -> frozenset[Modality] | None:
    if not values:
        return DEFAULT_MODALITIES
    if ModalityParam.ALL in values:
        return None
    return frozenset(Modality(v.value) for v in values)


Str = Annotated[str | None, Query(max_length=FILTER_MAX)]


def event_filters(
    actor: Annotated[
        str | None, Query(max_length=FILTER_MAX, description="Part of an actor name, any role.")
    ] = None,
    type: Annotated[str | None, Query(max_length=FILTER_MAX, description="ACLED event type.")] = None,
    sub_type: Annotated[str | None, Query(max_length=FILTER_MAX, description="ACLED sub-event type.")] = None,
    country: Str = None,
    admin1: Str = None,
    since: Annotated[dt.date | None, Query(description="Earliest event date, YYYY-MM-DD.")] = None,
    until: Annotated[dt.date | None, Query(description="Latest event date, YYYY-MM-DD.")] = None,
    bbox: Annotated[
        str | None, Query(max_length=200, description="west,south,east,north in degrees.")
    ] = None,
    modality: Annotated[
        list[ModalityParam] | None,
        Query(description="Modalities to include (repeat the parameter); default asserted and attempted."),
    ] = None,
    q: Annotated[
        str | None, Query(max_length=FILTER_MAX, description="Text anywhere in the event record.")
    ] = None,
    article: Annotated[str | None, Query(max_length=1000, description="Only this article's events.")] = None,
    review_status: Annotated[
        list[ReviewStatus] | None,
        Query(description="Only events with these review statuses (repeat the parameter)."),
    ] = None,
    include_rejected: Annotated[
        bool, Query(description="Include events a review rejected (left out by default).")
    ] = False,
) -> EventQuery:
    return EventQuery(
        actor=_clean("actor", actor),
        event_type=_clean("type", type),
        sub_event_type=_clean("sub_type", sub_type),
        country=_clean("country", country),
        admin1=_clean("admin1", admin1),
        since=since,
        until=until,
        bbox=_bbox(bbox),
        text=_clean("q", q),
        article_id=_clean("article", article),
        modalities=_modalities(modality),
        review_status=frozenset(review_status) if review_status else None,
        include_rejected=include_rejected or ReviewStatus.REJECTED in (review_status or ()),
    )


Filters = Annotated[EventQuery, Depends(event_filters)]


@router.get(
    "/api/events", response_model=EventPage, responses={400: _problem, 429: _problem}, tags=["events"]
)
def list_events(
    request: Request,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Stored events matching the filters, by date then id, a page at a time."""
    store = _services(request).store
    found = store.events(dataclasses.replace(filters, limit=limit + 1, offset=offset))
    more = len(found) > limit
    return {
        "events": [event_to_dict(e) for e in found[:limit]],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if more else None,
    }


@router.get(
    "/api/events/{event_id}",
    response_model=EventDetail,
    responses={404: _problem, 429: _problem},
    tags=["events"],
)
def get_event(
    request: Request,
    event_id: str,
    text: Annotated[bool, Query(description="Include the article's whole text (the review panel).")] = False,
) -> dict[str, Any]:
    """One event (as reviewed) with its evidence sentence, the text around it, its sources, its
    article and its reviews."""
    store = _services(request).store
    event = None if has_control(event_id) else store.event(event_id)
    if event is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    article = store.article(event.article_id)
    return {
        "event": event_to_dict(event),
        "article": None if article is None else _article_meta(article),
        "context": _context(event, article),
        "reviews": [r.as_dict() for r in store.reviews(event.event_id)],
        "article_text": article.text if text and article is not None else None,
    }


def _article_meta(article: Article) -> dict[str, Any]:
    return ArticleMeta(
        id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published,
    ).model_dump()


def _context(event: Event, article: Article | None) -> dict[str, str] | None:
    ev = event.evidence
    if ev is None or article is None or article.text[ev.start : ev.end] != ev.text:
        return None
    text = article.text
    lo, hi = max(0, ev.start - CONTEXT_CHARS), min(len(text), ev.end + CONTEXT_CHARS)
    before, after = text[lo : ev.start], text[ev.end : hi]
    if lo > 0 and " " in before:  # start and end on whole words
        before = "…" + before[before.index(" ") :]
    if hi < len(text) and " " in after:
        after = after[: after.rindex(" ")] + " …"
    return Context(before=before, after=after).model_dump()


# -- exports -----------------------------------------------------------------------------------
ExportLimit = Annotated[int | None, Query(ge=1, le=MAX_OFFSET, description="At most this many events.")]


def _chunks(lines: Iterator[str], size: int = 64 * 1024) -> Iterator[bytes]:
    buf: list[str] = []
    n = 0
    for line in lines:
        buf.append(line)
        n += len(line)
        if n >= size:
            yield "".join(buf).encode("utf-8")
            buf, n = [], 0
    if buf:
        yield "".join(buf).encode("utf-8")


def _csv_lines(events: Iterator[Event]) -> Iterator[str]:
    from flashpoint.store.exports import ACLED_COLUMNS, acled_row

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    stamp = int(dt.datetime.now(dt.UTC).timestamp())
    for e in events:
        writer.writerow(acled_row(e, stamp))
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()


def _geojson_lines(events: Iterator[Event]) -> Iterator[str]:
    from flashpoint.store.exports import geojson_feature

    yield '{"type": "FeatureCollection", "features": ['
    for n, e in enumerate(events):
        yield ("," if n else "") + "\n" + json.dumps(geojson_feature(e), ensure_ascii=False)
    yield "\n]}\n"


@router.get(
    "/api/export/acled.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}, 400: _problem, 429: _problem},
    tags=["export"],
)
def export_csv(request: Request, filters: Filters, limit: ExportLimit = None) -> StreamingResponse:
    """Matching events as ACLED CSV (ACLED's 31 columns, in ACLED's order)."""
    events = _services(request).store.iter_events(dataclasses.replace(filters, limit=limit))
    return StreamingResponse(
        _chunks(_csv_lines(events)),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="flashpoint-acled.csv"'},
    )


@router.get(
    "/api/export/events.geojson",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}},
        400: _problem,
        429: _problem,
    },
    tags=["export"],
)
def export_geojson(request: Request, filters: Filters, limit: ExportLimit = None) -> StreamingResponse:
    """Matching events as an RFC 7946 GeoJSON FeatureCollection (null geometry when unplaced)."""
    events = _services(request).store.iter_events(dataclasses.replace(filters, limit=limit))
    return StreamingResponse(
        _chunks(_geojson_lines(events)),
        media_type="application/geo+json",
        headers={"content-disposition": 'attachment; filename="flashpoint-events.geojson"'},
    )


# -- configuration for the page ----------------------------------------------------------------
@router.get("/api/config", response_model=ClientConfig, responses={429: _problem}, tags=["page"])
def config(request: Request) -> dict[str, Any]:
    """What the map page needs to know: the optional tile layer and which views exist."""
    services = _services(request)
    s = services.settings
    from flashpoint.api import knowledge

    return {
        "tile_url": s.tile_url,
        "tile_attribution": s.tile_attribution,
        "writable": s.token is not None,
        "features": knowledge.features(),
        "sub_event_types": _sub_event_types(),
    }


def _sub_event_types() -> dict[str, list[str]]:
    from flashpoint.events import taxonomy

    out: dict[str, list[str]] = {t.name: [] for t in taxonomy.event_types()}
    for sub in taxonomy.sub_event_types():
        out[sub.event_type].append(sub.name)
    return out


# -- coding articles ---------------------------------------------------------------------------
_ARTICLE_BODY_SCHEMA = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/ArticleIn"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}, "minItems": 1},
                ]
            }
        },
        "text/plain": {"schema": {"type": "string", "minLength": 1}},
    },
}
_ONE = TypeAdapter(ArticleIn)
_MANY = TypeAdapter(list[ArticleIn])


def _text_id(text: str) -> str:
    return "api:" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(v) for v in value)
    return False


def _json_items(body: bytes, max_articles: int) -> list[Article | InputError]:
    from flashpoint.ingest import record_to_article

    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPException(400, f"body is not valid UTF-8 JSON: {exc}") from None
    except RecursionError:
        raise HTTPException(400, "body JSON is nested too deeply") from None
    if not isinstance(parsed, dict | list):
        raise HTTPException(
            400,
            f"body must be an article object {{text, published, id, title, source, url}} or a list, not {type(parsed).__name__}",
        )
    try:
        bad_unicode = _has_surrogate(parsed)
    except RecursionError:
        raise HTTPException(400, "body JSON is nested too deeply") from None
    if bad_unicode:
        raise HTTPException(400, "body holds invalid Unicode (a lone surrogate escape such as \\ud800)")
    try:
        validated = (_ONE if isinstance(parsed, dict) else _MANY).validate_python(parsed)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:10]
        )
        raise HTTPException(
            400,
            f"body must be an article object {{text, published, id, title, source, url}} or a list: {problems}",
        ) from None
    records = validated if isinstance(validated, list) else [validated]
    if not records:
        raise HTTPException(400, "empty list: nothing to code")
    if len(records) > max_articles:
        raise HTTPException(413, f"{len(records)} articles in one request; at most {max_articles}")
    items: list[Article | InputError] = []
    for n, record in enumerate(records):
        where = "body" if not isinstance(validated, list) else f"body[{n}]"
        data = record.model_dump()
        try:
            items.append(record_to_article(data, where, _text_id(record.text)))
        except InputError as exc:
            items.append(exc)
    return items


def _text_item(
    body: bytes, published: str | None, title: str | None, article_id: str | None
) -> Article | InputError:
    from flashpoint.ingest import parse_published, read_text

    try:
        day = parse_published(published, "published")
    except InputError as exc:
        raise HTTPException(400, str(exc)) from None
    item = read_text("body", published=day, title=title, data=body)
    if isinstance(item, Article):
        item = dataclasses.replace(item, id=article_id or _text_id(item.text))
    return item


@router.post(
    "/api/articles",
    response_model=ArticlesResult,
    openapi_extra={"requestBody": _ARTICLE_BODY_SCHEMA},
    responses={
        400: _problem,
        401: _problem,
        403: _problem,
        413: _problem,
        415: _problem,
        429: _problem,
    },
    tags=["articles"],
)
async def post_articles(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    published: Annotated[str | None, Query(max_length=100, description="For a text/plain body.")] = None,
    title: Annotated[str | None, Query(max_length=1000, description="For a text/plain body.")] = None,
    id: Annotated[str | None, Query(max_length=1000, description="For a text/plain body.")] = None,
) -> Any:
    """Code articles and store them: a text/plain article, or JSON (one article or a list).

    Needs ``Authorization: Bearer <token>``. Answers each article's outcome in input order; 400
    when no article could be coded (each reason given).
    """
    services = _services(request)
    authorize(services, authorization)
    settings = services.settings
    body = await read_body(request, settings.max_body_bytes)
    if not body.strip():
        raise HTTPException(400, "empty body: send the article text, or JSON {text, ...} or a list of them")
    ctype = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    if ctype == "application/json":
        items = _json_items(body, settings.max_articles)
    elif ctype in ("text/plain", ""):
        items = [_text_item(body, _clean("published", published), _clean("title", title), _clean("id", id))]
    else:
        raise HTTPException(415, f"content type {ctype!r}: send text/plain or application/json")
    results = await run_in_threadpool(_code, services, items)
    counts = {s: sum(1 for r in results if r.status == s) for s in ("coded", "already_stored", "skipped")}
    if counts["skipped"] == len(results):
        raise HTTPException(400, "; ".join(r.error or "" for r in results))
    return ArticlesResult(
        results=results,
        coded=counts["coded"],
        already_stored=counts["already_stored"],
        skipped=counts["skipped"],
    )


def _code(services: Any, items: list[Article | InputError]) -> list[ArticleResult]:
    from flashpoint.batch import Coded, code_items

    results: list[ArticleResult] = []
    with services.coding:
        for item, outcome in zip(items, code_items(items, services.coder, services.store), strict=True):
            if isinstance(outcome, Coded):
                results.append(
                    ArticleResult(
                        id=outcome.article.id,
                        status="coded" if outcome.stored else "already_stored",
                        events=[e.event_id for e in outcome.events],
                    )
                )
            else:
                where = item.id if isinstance(item, Article) else outcome.error.where
                results.append(ArticleResult(id=where, status="skipped", events=[], error=str(outcome.error)))
    return results
