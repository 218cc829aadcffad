"""The API's guards: bearer-token check, body-size limit, per-client rate limits, security headers.

All are plain ASGI middleware or small functions so that they wrap every route, the page included.
"""

from __future__ import annotations

import hmac
import json
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a presented bearer token with the configured one."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


async def _send_json(send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answers 413 to a request whose declared Content-Length is over ``max_bytes``.

    Bodies sent without a length (chunked) are counted as they are read by the route
    (:func:`flashpoint.api.routes.read_body`), which stops at the same limit.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name == b"content-length":
                    try:
                        declared = int(value)
                    except ValueError:
                        await _send_json(send, 400, "Content-Length is not a number", [])
                        return
                    if declared > self.max_bytes:
                        await _send_json(
                            send,
                            413,
                            f"request body of {declared} bytes is over the limit of {self.max_bytes}",
                            [],
                        )
                        return
        await self.app(scope, receive, send)


class SlidingWindow:
    """At most ``limit`` hits per client in any ``window`` seconds (thread-safe)."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> float | None:
        """Record a hit; None when allowed, else the seconds to wait before the next one."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and now - hits[0] >= self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(0.0, self.window - (now - hits[0]))
            hits.append(now)
            if len(self._hits) > 10000:  # forget idle clients so the table stays small
                for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window]:
                    del self._hits[key]
            return None


class RateLimit:
    """Per-client request limits: one window for reads, a stricter one for writes (POST)."""

    def __init__(self, app: ASGIApp, reads: SlidingWindow | None, writes: SlidingWindow | None) -> None:
        self.app = app
        self.reads = reads
        self.writes = writes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            window = self.writes if scope.get("method") in ("POST", "PUT", "PATCH", "DELETE") else self.reads
            if window is not None:
                client = (scope.get("client") or ("unknown", 0))[0]
                wait = window.hit(str(client))
                if wait is not None:
                    await _send_json(
                        send,
                        429,
                        f"too many requests: at most {window.limit} per {int(window.window)} s; retry later",
                        [(b"retry-after", str(max(1, round(wait))).encode())],
                    )
                    return
        await self.app(scope, receive, send)


def tile_origin(tile_url: str | None) -> str | None:
    """The CSP source that allows a tile URL template's host (``{s}`` subdomains as a wildcard)."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}.", "a."))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname
    if "{s}." in tile_url:
        host = "*." + host.split(".", 1)[1]
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def content_security_policy(tile_url: str | None) -> str:
    images = "'self' data:" + (f" {origin}" if (origin := tile_origin(tile_url)) else "")
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    """Adds CSP and the usual hardening headers to every response."""

    def __init__(self, app: ASGIApp, tile_url: str | None) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(tile_url).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"geolocation=(), camera=(), microphone=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [
                    *message.get("headers", ()),
                    *(h for h in self.headers if h[0] not in have),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


def has_control(value: str) -> bool:
    """The value holds a control character (NUL among them)."""
    return any(ord(c) < 32 or ord(c) == 127 for c in value)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it grows past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def authorize(services: Any, authorization: str | None) -> None:
    token = services.settings.token
    if token is None:
        raise HTTPException(
            403, "this server is read-only: start it with --token or FLASHPOINT_TOKEN to accept articles"
        )
    if not token_matches(bearer_token(authorization), token):
        raise HTTPException(
            401,
            "missing or wrong bearer token (Authorization: Bearer <token>)",
            {"WWW-Authenticate": "Bearer"},
        )
