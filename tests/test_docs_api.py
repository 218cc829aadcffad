"""Every public function of the Python API is documented: fp.__all__, and the public methods and
properties of Session, Store, Coder and EventList. This fails when one lacks a docstring."""

from __future__ import annotations

import inspect

import pytest

import flashpoint as fp
from flashpoint.store.repository import EventList


def _public_api() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for name in fp.__all__:
        if name == "__version__":
            continue
        out.append((f"fp.{name}", getattr(fp, name)))
    for cls in (fp.Session, fp.Store, fp.Coder, EventList):
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            if isinstance(member, property | staticmethod | classmethod) or inspect.isfunction(member):
                out.append((f"{cls.__name__}.{name}", member))
    return out


API = _public_api()


def test_docs_api_covers_the_main_entry_points():
    names = {n for n, _ in API}
    assert {
        "fp.Coder",
        "fp.open",
        "fp.open_store",
        "Session.add",
        "Session.events",
        "Session.control",
        "Session.support",
        "Store.add",
        "Store.events",
        "Coder.code",
        "EventList.to_pandas",
    } <= names


@pytest.mark.parametrize(("name", "obj"), API, ids=[n for n, _ in API])
def test_docs_api_every_public_function_has_a_docstring(name: str, obj: object):
    target = obj.fget if isinstance(obj, property) else obj
    target = getattr(target, "__func__", target)
    doc = target.__doc__ if isinstance(target, property) else inspect.getdoc(target)
    assert doc and doc.strip(), f"{name} has no docstring"
    if inspect.isclass(target):  # a dataclass without one gets its signature as a docstring
        assert not doc.startswith(f"{target.__name__}("), (
            f"{name} has only its generated signature as a docstring"
        )
