"""The FastAPI application: events, exports, article coding, and the map page, over one store.

Read-only unless a token is configured; then ``POST /api/articles`` and ``POST
/api/events/{id}/review`` need ``Authorization: Bearer <token>``. Every response carries security headers; CORS is off unless origins are given; errors
are JSON ``{"detail": ...}`` without stack traces.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from flashpoint.api.security import BodyLimit, RateLimit, SecurityHeaders, SlidingWindow
from flashpoint.errors import FlashpointError, StoreError
from flashpoint.store import Store

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 2 * 1024 * 1024
DEFAULT_READS_PER_MINUTE = 1200
DEFAULT_WRITES_PER_MINUTE = 30
MAX_ARTICLES_PER_REQUEST = 100


class CoderLike(Protocol):
    """What :func:`flashpoint.batch.code_items` needs from a coder."""

    def pipe(self, articles: Any) -> Any: ...

    def code_state(self, article: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """How the server behaves. ``token`` None makes it read-only; reviews made with the token are
    recorded as made by ``token_name``."""

    token: str | None = None
    token_name: str = "api"
    max_body_bytes: int = DEFAULT_MAX_BODY
    reads_per_minute: int | None = DEFAULT_READS_PER_MINUTE
    writes_per_minute: int | None = DEFAULT_WRITES_PER_MINUTE
    max_articles: int = MAX_ARTICLES_PER_REQUEST
    cors_origins: tuple[str, ...] = ()
    tile_url: str | None = None
    tile_attribution: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class Services:
    """The store, the coder (created on first use: loading spaCy takes seconds) and a coding lock."""

    def __init__(self, store: Store, settings: ApiSettings, coder: CoderLike | None = None) -> None:
        self.store = store
        self.settings = settings
        self._coder = coder
        self.coding = threading.Lock()

    @property
    def coder(self) -> CoderLike:
        if self._coder is None:
            from flashpoint.coder import Coder

            self._coder = Coder()
        return self._coder


def static_dir() -> Path:
    """The folder of the map page's files (index.html, app.js, vendored Leaflet, outlines)."""
    return Path(str(resources.files("flashpoint.web") / "static"))


def create_app(
    store: Store, settings: ApiSettings | None = None, *, coder: CoderLike | None = None
) -> FastAPI:
    """The app over ``store``; ``coder`` defaults to :class:`flashpoint.coder.Coder` on first POST."""
    from flashpoint.api import review, routes, views

    settings = settings or ApiSettings()
    app = FastAPI(
        title="flashpoint",
        version=_version(),
        summary="Conflict events coded from news in ACLED's taxonomy, with the evidence behind each.",
        docs_url=None,  # Swagger UI loads scripts from a CDN: none at run time
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.services = Services(store, settings, coder)
    app.include_router(routes.router)
    app.include_router(views.router)
    app.include_router(review.router)
    _install_error_handlers(app)

    static = static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", headers={"cache-control": "no-cache"})

    # Middleware: the last added runs first. Headers wrap everything, limits run before routing.
    app.add_middleware(
        RateLimit,  # type: ignore[arg-type]
        reads=SlidingWindow(settings.reads_per_minute) if settings.reads_per_minute else None,
        writes=SlidingWindow(settings.writes_per_minute) if settings.writes_per_minute else None,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)  # type: ignore[arg-type]
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,  # type: ignore[arg-type]
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders, tile_url=settings.tile_url)  # type: ignore[arg-type]
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StoreError)
    @app.exception_handler(SQLAlchemyError)
    async def store_error(_request: Request, exc: Exception) -> JSONResponse:
        log.error("store error: %s", exc)
        return JSONResponse({"detail": "the database could not be read or written; see the server log"}, 503)

    @app.exception_handler(FlashpointError)
    async def flashpoint_error(_request: Request, exc: FlashpointError) -> JSONResponse:
        log.error("error: %s", exc)
        return JSONResponse({"detail": str(exc)}, 400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def internal_error(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error", exc_info=exc)
        return JSONResponse({"detail": "internal server error; see the server log"}, 500)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("flashpoint")
    except PackageNotFoundError:
        return "0"
