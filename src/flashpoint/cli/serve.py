"""``flashpoint serve``: the HTTP API and the map page over a store."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from flashpoint.cli.common import DEFAULT_URL, DbOption, fail, stderr, store_or_exit


def serve(
    db: DbOption = DEFAULT_URL,
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 exposes it to the network).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token that allows POST /api/articles (or FLASHPOINT_TOKEN). Without it: read-only.",
            envvar="FLASHPOINT_TOKEN",
            show_envvar=True,
        ),
    ] = None,
    token_name: Annotated[
        str,
        typer.Option(
            help="Whom reviews made with --token are recorded as (or FLASHPOINT_TOKEN_NAME).",
            envvar="FLASHPOINT_TOKEN_NAME",
            show_envvar=True,
        ),
    ] = "api",
    tiles: Annotated[
        str | None,
        typer.Option(
            help="Map tile URL template, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (needs the web)."
        ),
    ] = None,
    tile_attribution: Annotated[str | None, typer.Option(help="Attribution text for --tiles.")] = None,
    max_body: Annotated[int, typer.Option(help="Largest request body in bytes.", min=1)] = 2 * 1024 * 1024,
    rate_limit: Annotated[
        int, typer.Option(help="Requests a minute per client for reads (0: no limit).", min=0)
    ] = 1200,
    write_rate_limit: Annotated[
        int, typer.Option(help="Requests a minute per client for POST (0: no limit).", min=0)
    ] = 30,
    cors_origin: Annotated[
        list[str] | None, typer.Option(help="Allow browser calls from this origin (repeat). Default: none.")
    ] = None,
) -> None:
    """Serve the HTTP API and the map page.

    Example: flashpoint serve --db sqlite:///flashpoint.db --port 8000   (then open http://127.0.0.1:8000/)

    Read-only unless --token (or FLASHPOINT_TOKEN) is set; then POST /api/articles with
    "Authorization: Bearer TOKEN" codes and stores articles, and POST /api/events/ID/review records
    reviews made by --token-name (the map page's review panel uses it). The OpenAPI schema is at /openapi.json.
    """
    try:
        import uvicorn

        from flashpoint.api import ApiSettings, create_app
    except ImportError as exc:
        raise fail(f"serving needs the serve extras: pip install 'flashpoint[serve]' ({exc})") from None
    token_name = _checked_tokens(token, token_name)
    store = store_or_exit(db)
    settings = ApiSettings(
        token=token or None,
        token_name=token_name,
        max_body_bytes=max_body,
        reads_per_minute=rate_limit or None,
        writes_per_minute=write_rate_limit or None,
        cors_origins=tuple(cors_origin or ()),
        tile_url=tiles,
        tile_attribution=tile_attribution,
    )
    app = create_app(store, settings)
    mode = "read-write (token set)" if settings.token else "read-only (no token)"
    stderr.print(
        f"flashpoint serving {_display(db)} on http://{host}:{port}/ — {mode}",
        highlight=False,
        soft_wrap=True,
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level=os.environ.get("FLASHPOINT_LOG_LEVEL", "info"))
    finally:
        store.close()


def _checked_tokens(token: str | None, token_name: str) -> str:
    """--token long enough, and --token-name a reviewer's name (usage errors name the option)."""
    if token is not None and len(token) < 8:
        raise fail("--token is too short: use at least 8 characters (e.g. from `openssl rand -hex 16`)")
    from flashpoint.errors import ReviewError
    from flashpoint.review import check_by

    try:
        return check_by(token_name)
    except ReviewError as exc:
        raise fail(f"--token-name: {exc.message}") from None


def _display(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def register(app: typer.Typer, evaluate: typer.Typer) -> None:
    app.command("serve")(serve)
