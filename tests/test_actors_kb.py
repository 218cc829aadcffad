"""The actor knowledge base: loading, dated names, lineage, generic actors and inter codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from flashpoint.actors import build_knowledge_base, load_knowledge_base, resolve
from flashpoint.errors import InputError, KnowledgeError
from flashpoint.records import Actor

D = dt.date


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def test_actors_kb_coverage(kb) -> None:
    curated = [e for e in kb.entries() if not e.generated]
    assert len(curated) >= 150
    assert all(e.sources for e in curated)
    assert sum(len(e.actor.relations) for e in curated) >= 150


@pytest.mark.parametrize(
    ("kind", "iso3", "name", "inter"),
    [
        ("protesters", "SYR", "Protesters (Syria)", 6),
        ("rioters", "SYR", "Rioters (Syria)", 5),
        ("civilians", "SYR", "Civilians (Syria)", 7),
        ("unidentified", "SYR", "Unidentified Armed Group (Syria)", 3),
        ("civilians", "NGA", "Civilians (Nigeria)", 7),
        ("protesters", "USA", "Protesters (United States)", 6),
    ],
)
def test_actors_kb_generic_actors(kb, kind: str, iso3: str, name: str, inter: int) -> None:
    actor = kb.generic(kind, iso3)
    assert (actor.name, actor.inter, actor.country) == (name, inter, iso3)


def test_actors_kb_generic_rejects_bad_input(kb) -> None:
    with pytest.raises(InputError, match="'soldiers'"):
        kb.generic("soldiers", "SYR")
    with pytest.raises(InputError, match="'XXX'"):
        kb.generic("civilians", "XXX")


def test_actors_kb_every_country_has_institutions(kb) -> None:
    assert kb.get("Military Forces of the United States").country == "USA"
    assert kb.get("Government of Nigeria").inter == 1
    assert kb.get("Police Forces of France").kind == "state police"
    # Syria's are dated: no undated generated one beside them.
    assert "Military Forces of Syria" not in kb
    assert kb.get("Military Forces of Syria", D(2018, 5, 8)).name == "Military Forces of Syria (2000-2024)"
    assert kb.get("Military Forces of Syria", D(2025, 2, 1)).name == "Military Forces of Syria (2024-)"


def test_actors_kb_inter_relative_to_event_country(kb) -> None:
    turkey = kb.get("Military Forces of Turkey")
    assert turkey.inter == 1
    assert kb.inter_for(turkey, "TUR") == 1
    assert kb.inter_for(turkey, "SYR") == 8
    abroad = kb.relative(turkey, "SYR")
    assert abroad.kind == "external state forces"
    assert kb.relative(abroad, "TUR").inter == 1  # relative() works from either form
    hts = kb.get("Hayat Tahrir al-Sham")
    assert kb.inter_for(hts, "TUR") == 2  # non-state actors keep their code


@pytest.mark.parametrize(
    ("name", "date", "on_date", "successor"),
    [
        ("Jabhat Fateh al-Sham", D(2015, 6, 1), "Jabhat al-Nusra", None),
        ("Jabhat Fateh al-Sham", D(2016, 8, 15), "Jabhat Fateh al-Sham", None),
        ("Jabhat Fateh al-Sham", D(2018, 5, 8), "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham"),
        ("Islamic State", D(2013, 6, 1), "Islamic State of Iraq and the Levant", None),
        ("Islamic State", D(2016, 1, 1), "Islamic State", None),
        ("Abu Mohammed al-Joulani", D(2018, 5, 8), "Abu Mohammed al-Joulani", None),
        ("Abu Mohammed al-Joulani", D(2025, 3, 1), "Ahmed al-Sharaa", None),
        ("Hayat Tahrir al-Sham", D(2018, 5, 8), "Hayat Tahrir al-Sham", None),
        ("Hayat Tahrir al-Sham", D(2025, 3, 1), "Hayat Tahrir al-Sham", "Military Forces of Syria (2024-)"),
    ],
)
def test_actors_kb_dated_lineage(kb, name: str, date: dt.date, on_date: str, successor: str | None) -> None:
    actor = kb.get(name)
    assert kb.name_on(actor, date) == on_date
    assert kb.successor_on(actor, date) == successor


def test_actors_kb_relations_in_force(kb) -> None:
    hts = kb.get("Hayat Tahrir al-Sham")
    qaeda = [r for r in hts.relations if r.kind == "affiliated_with" and r.target == "al-Qaeda"]
    assert qaeda and qaeda[0].end is not None and qaeda[0].end.year == 2016
    assert qaeda[0] not in kb.relations_on(hts, D(2018, 5, 8))
    joulani = kb.get("Abu Mohammed al-Joulani")
    assert [a.name for a in kb.led_by(joulani, D(2018, 5, 8))] == ["Hayat Tahrir al-Sham"]
    assert [a.name for a in kb.led_by(joulani, D(2014, 1, 1))] == ["Jabhat Fateh al-Sham"]
    sna = kb.get("Syrian National Army")
    assert any(r.kind == "allied_with" and r.target == "Military Forces of Turkey" for r in sna.relations)


def test_actors_kb_get_ignores_spelling_of_canonical_names(kb) -> None:
    assert kb.get("hayat tahrir al sham").name == "Hayat Tahrir al-Sham"
    assert kb.get("Jabhat al-Nusra").name == "Jabhat Fateh al-Sham"  # a former name
    assert kb.get("No Such Brigade") is None


def _write(tmp_path: Path, actors: list[dict]) -> Path:
    path = tmp_path / "kb.json"
    path.write_text(json.dumps({"version": "t", "actors": actors}), encoding="utf-8")
    return path


@pytest.mark.parametrize("inter", [0, 9, "2", True])
def test_actors_kb_inter_outside_1_to_8_is_refused(tmp_path: Path, inter: object) -> None:
    entry = {"name": "A Brigade", "kind": "rebel group", "inter": inter, "sources": "test"}
    with pytest.raises(KnowledgeError, match=r"A Brigade: 'inter' must be an ACLED inter code 1\.\.8, or null"):
        build_knowledge_base([_write(tmp_path, [entry])], generate=False)


def test_actors_kb_unknown_inter_is_none(tmp_path: Path, kb) -> None:
    party = {"name": "A Party", "kind": "political party", "inter": None, "sources": "test"}
    assert build_knowledge_base([_write(tmp_path, [party])], generate=False).get("A Party").inter is None
    assert kb.get("Recep Tayyip Erdogan").inter is None  # a person: the government he leads has the code
    assert all(e.actor.inter is None or 1 <= e.actor.inter <= 8 for e in kb.entries())


def test_actors_kb_malformed_files_name_the_problem(tmp_path: Path) -> None:
    good = {"name": "A Brigade", "kind": "rebel group", "inter": 2, "sources": "test"}
    with pytest.raises(KnowledgeError, match=r"A Brigade.*inter"):
        build_knowledge_base([_write(tmp_path, [{**good, "inter": 12}])], generate=False)
    with pytest.raises(KnowledgeError, match="relation kind 'enemy_of'"):
        build_knowledge_base(
            [_write(tmp_path, [{**good, "relations": [{"kind": "enemy_of", "target": "A Brigade"}]}])],
            generate=False,
        )
    with pytest.raises(KnowledgeError, match="'Nobody'"):
        build_knowledge_base(
            [_write(tmp_path, [{**good, "relations": [{"kind": "member_of", "target": "Nobody"}]}])],
            generate=False,
        )
    with pytest.raises(KnowledgeError, match="ISO date"):
        build_knowledge_base([_write(tmp_path, [{**good, "start": "May 2018"}])], generate=False)
    with pytest.raises(KnowledgeError, match="sources"):
        build_knowledge_base([_write(tmp_path, [{**good, "sources": ""}])], generate=False)


def test_actors_kb_small_file_loads(tmp_path: Path) -> None:
    kb = build_knowledge_base(
        [_write(tmp_path, [{"name": "A Brigade", "kind": "rebel group", "inter": 2, "country": "SYR", "sources": "t",
                            "aliases": ["ABR"]}])],
        generate=False,
    )
    assert kb.get("A Brigade") == Actor("A Brigade", "rebel group", 2, "SYR", ("ABR",))
    assert resolve(kb, "the ABR fighters").actor.name == "A Brigade"
