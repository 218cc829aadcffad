"""The package's Python API (flashpoint/__init__.py): what `import flashpoint as fp` offers, and that it reads like the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

import flashpoint as fp

TEXT = (
    "Government forces shelled the town of Saraqib in Idlib province on Monday, killing three civilians, "
    "activists said. On Tuesday, hundreds of residents protested in Maarat al-Numan against Hayat Tahrir al-Sham."
)


def test_package_all_is_exact_and_every_name_resolves():
    assert sorted(fp.__all__) == sorted(set(fp.__all__))
    for name in fp.__all__:
        assert getattr(fp, name) is not None, name
    public = {n for n in dir(fp) if not n.startswith("_")}
    assert public == set(fp.__all__) - {"__version__"}
    with pytest.raises(AttributeError):
        fp.no_such_thing  # noqa: B018


def test_package_import_loads_nothing_heavy():
    code = "import sys, flashpoint; print(any(m.startswith(('spacy', 'sqlalchemy', 'flashpoint.coder')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_package_every_public_name_is_documented():
    for name in fp.__all__:
        if name == "__version__":
            continue
        assert getattr(fp, name).__doc__, f"flashpoint.{name} has no docstring"


@pytest.mark.slow
def test_package_coder_session_and_pandas(tmp_path):
    coder = fp.Coder()
    events = coder.code(TEXT, published="2018-05-08")
    assert {e.sub_event_type for e in events} >= {"Shelling/artillery/missile attack"}
    assert all(isinstance(e, fp.Event) for e in events)
    with fp.open(f"sqlite:///{tmp_path / 'fp.db'}", coder=coder) as session:  # shares the loaded models
        first = session.add(TEXT, published="2018-05-08")
        again = session.add(TEXT, published="2018-05-08")
        assert first.stored and not again.stored and again.article_id == first.article_id
        frame = session.events().to_pandas()
        assert len(frame) == first.events and "sub_event_type" in frame.columns
        assert list(session.events(actor="Protesters").to_pandas()["event_type"]) == ["Protests"]
        periods = session.support("Hayat Tahrir al-Sham")
        assert [p.protests_against for p in periods] == [1]
