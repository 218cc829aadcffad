"""A throw-away PostgreSQL schema per test, on the server named by FLASHPOINT_TEST_PG_URL.

Without that variable the PostgreSQL cases skip with the reason; with ``CI=true`` they fail
(``.ci/services.sh`` starts a server and sets it).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest

ENV = "FLASHPOINT_TEST_PG_URL"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def pg_base_url() -> str:
    url = os.environ.get(ENV)
    if not url:
        _missing(f"no PostgreSQL server: set {ENV}=postgresql://USER:PASS@HOST:PORT/DB (see .ci/services.sh)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (pip install 'flashpoint[postgres]')")
    return str(url)


@contextlib.contextmanager
def pg_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema; the schema is dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(pg_base_url()).set(drivername="postgresql+psycopg")
    name = f"fp_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
    except Exception as exc:  # any failure to reach the server is reported as such
        admin.dispose()
        _missing(f"PostgreSQL at {base.render_as_string(hide_password=True)} unusable: {exc}")
    url = base.update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
