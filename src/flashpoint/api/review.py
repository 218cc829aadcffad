"""The review routes: record a person's review of an event, and the queue of events to review.

``POST /api/events/{id}/review`` needs the bearer token; the review is recorded as made by the
token's name (``flashpoint serve --token-name``). Thin over :meth:`flashpoint.store.Store.review`.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from flashpoint.api.models import Problem, ReviewIn, ReviewQueue, ReviewResult
from flashpoint.api.security import authorize, has_control, read_body
from flashpoint.errors import ReviewError, UnknownEventError
from flashpoint.serialize import event_to_dict

router = APIRouter()

MAX_REVIEW_BODY = 64 * 1024
MAX_QUEUE = 500
_problem = {"model": Problem}
_REVIEW = TypeAdapter(ReviewIn)


def _choice(body: bytes) -> tuple[str, dict[str, Any] | None, str | None]:
    """The action, fields and duplicate id of a review body, or 422 naming what is wrong."""
    try:
        parsed = json.loads(body)
        choice = _REVIEW.validate_python(parsed)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise HTTPException(422, f"body is not valid UTF-8 JSON: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:10]
        )
        raise HTTPException(
            422, f'body must be one of {{"confirm": true}}, {{"reject": true}}, {{"set": {{FIELD: VALUE}}}} '
            f'or {{"duplicate_of": ID}}: {problems}'
        ) from None
    given = [
        name
        for name, on in (
            ("confirm", choice.confirm),
            ("reject", choice.reject),
            ("set", choice.set is not None),
            ("duplicate_of", choice.duplicate_of is not None),
        )
        if on
    ]
    if len(given) != 1:
        raise HTTPException(
            422, f"give exactly one of confirm, reject, set or duplicate_of (got {', '.join(given) or 'none'})"
        )
    action = {"confirm": "confirm", "reject": "reject", "set": "correct", "duplicate_of": "duplicate"}[given[0]]
    return action, choice.set, choice.duplicate_of


@router.post(
    "/api/events/{event_id}/review",
    response_model=ReviewResult,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewIn"}}},
        }
    },
    responses={401: _problem, 403: _problem, 404: _problem, 413: _problem, 422: _problem, 429: _problem},
    tags=["review"],
)
async def post_review(
    request: Request,
    event_id: str,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> dict[str, Any]:
    """Review an event: confirm it, reject it, correct fields, or mark it a duplicate of another.

    Needs ``Authorization: Bearer <token>``; the review is recorded as made by the token's name.
    The machine's coding is kept; the event then reads as reviewed everywhere (``review_status``,
    corrected values, ``machine_values``). 404 for an unknown event, 422 for a bad field or value.
    """
    services = _services(request)
    authorize(services, authorization)
    body = await read_body(request, min(services.settings.max_body_bytes, MAX_REVIEW_BODY))
    action, fields, duplicate_of = _choice(body)
    if has_control(event_id):
        raise HTTPException(404, f"no event with id {event_id!r}")
    by = services.settings.token_name
    try:
        review, event = await run_in_threadpool(
            services.store.review, event_id, action, fields=fields, duplicate_of=duplicate_of, by=by
        )
    except UnknownEventError as exc:
        raise HTTPException(404, str(exc)) from None
    except ReviewError as exc:
        raise HTTPException(422, str(exc)) from None
    return {"review": review.as_dict(), "event": event_to_dict(event)}


@router.get("/api/review/queue", response_model=ReviewQueue, responses={429: _problem}, tags=["review"])
def review_queue(
    request: Request, limit: Annotated[int, Query(ge=1, le=MAX_QUEUE)] = 50
) -> dict[str, Any]:
    """Unreviewed events (asserted and attempted) to review next: least confident first, then oldest."""
    return {"events": [event_to_dict(e) for e in _services(request).store.review_queue(limit)]}


def _services(request: Request) -> Any:
    return request.app.state.services
