"""The world knowledge base: a table of actor phrases (tests/data/actors_world.tsv) across regions,
countries and dates resolves to the right country and kind; composition, offices, loading."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from flashpoint.actors import load_knowledge_base, resolve
from flashpoint.actors.offices import parse_offices
from flashpoint.errors import KnowledgeError

TABLE = Path(__file__).parent / "data" / "actors_world.tsv"


def _rows() -> list[dict[str, str]]:
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


def resolved(kb, row: dict[str, str]) -> tuple[str, str | None]:
    """(country, kind) a row's phrase resolves to; ('-', None) when nothing does."""
    date = dt.date.fromisoformat(row["date"]) if row["date"] else None
    found = resolve(kb, row["phrase"], date)
    if found is None:
        return "-", None
    return found.actor.country or (found.acled.country if found.acled else None) or "-", found.actor.kind


def test_actors_world_table_is_broad() -> None:
    assert len(ROWS) >= 300
    assert len({r["country"] for r in ROWS} - {"-"}) >= 60
    assert sum(1 for r in ROWS if r["date"]) >= 100


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['region']}: {r['phrase']}" for r in ROWS])
def test_actors_world_table(kb, row: dict[str, str]) -> None:
    want_kind = None if row["kind"] == "-" else row["kind"]
    assert resolved(kb, row) == (row["country"], want_kind)


def test_actors_world_scores_by_region(kb) -> None:
    """Every region of the table scores 1.0 on country (the per-region figures the README quotes)."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for row in ROWS:
        total[row["region"]] += 1
        right[row["region"]] += resolved(kb, row)[0] == row["country"]
    assert {region: right[region] / total[region] for region in total} == {region: 1.0 for region in total}


@pytest.mark.parametrize(
    ("phrase", "date", "holder"),
    [
        ("Armenian Prime Minister", dt.date(2020, 1, 1), "Nikol Pashinyan"),
        ("the German Chancellor", dt.date(2017, 4, 1), "Angela Merkel"),
        ("the German Chancellor", dt.date(2023, 4, 1), "Olaf Scholz"),
        ("the President of France", dt.date(2016, 1, 1), "François Hollande"),
        ("Ukraine's defence minister", dt.date(2022, 6, 1), "Oleksii Reznikov"),
        ("the US Secretary of State", dt.date(2019, 1, 1), "Mike Pompeo"),
    ],
)
def test_actors_world_office_holder_on_a_date(kb, phrase: str, date: dt.date, holder: str) -> None:
    found = resolve(kb, phrase, date)
    assert found is not None and found.holder is not None
    assert found.holder.holder == holder


def test_actors_world_person_in_office_is_coded_as_the_government(kb) -> None:
    merkel = resolve(kb, "Angela Merkel", dt.date(2017, 4, 1))
    assert (merkel.actor.kind, merkel.acled.name, merkel.acled.inter) == ("person", "Government of Germany", 1)
    assert merkel.source.startswith("world_offices.tsv")
    later = resolve(kb, "Angela Merkel", dt.date(2023, 1, 1))
    assert later.actor.country == "DEU" and later.acled.kind == "person"  # out of office: herself


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("Chile's Defense Department", "Government of Chile"),
        ("Norway's central bank", "Government of Norway"),
        ("Saudi National Guard", "Military Forces of Saudi Arabia"),
        ("Syrian mercenaries", "Mercenaries (Syria)"),
        ("Ukrainian agricultural workers", "Farmers (Ukraine)"),
        ("Rakhine rebels", "Rebel Groups (Myanmar)"),
        ("Ankara", "Government of Turkey"),
    ],
)
def test_actors_world_composition_names_the_acled_actor(kb, phrase: str, name: str) -> None:
    found = resolve(kb, phrase)
    assert found is not None and found.actor.name == name
    assert " + " in found.source or "country word" in found.source


@pytest.mark.parametrize("phrase", ["Zorblax fighters", "the Quuxian navy", "Senator John Doe", "a man in a hat"])
def test_actors_world_unknown_stays_unknown(kb, phrase: str) -> None:
    found = resolve(kb, phrase)
    assert found is None or (found.actor.country is None and found.actor.kind != "person")


def test_actors_world_named_entry_carries_its_source(kb) -> None:
    found = resolve(kb, "the rebel FDLR force")
    assert found.actor.name == "Democratic Forces for the Liberation of Rwanda"
    assert found.source.startswith("world_groups.json")
    eu = resolve(kb, "the European Union")
    assert eu.actor.country is None and eu.actor.inter == 8


def test_actors_world_places_alone_are_no_actors(kb) -> None:
    # A province or city names a country only with a role word; a capital stands for its government.
    assert resolve(kb, "Kandahar") is None
    assert resolve(kb, "Kandahar police").actor.name == "Police Forces of Afghanistan"


def test_actors_world_offices_file_errors_name_the_line() -> None:
    good = "ARM\tprime minister\tNikol Pashinyan\t2018-05-08\t\tPashinyan\tWikipedia: Nikol Pashinyan"
    assert parse_offices(good).people[0]["relations"][0]["target"] == "Government of Armenia"
    with pytest.raises(KnowledgeError, match=r"x.tsv:1: .*'XXX'"):
        parse_offices(good.replace("ARM", "XXX"), "x.tsv")
    with pytest.raises(KnowledgeError, match="office 'tsar'"):
        parse_offices(good.replace("prime minister", "tsar"))
    with pytest.raises(KnowledgeError, match="ends"):
        parse_offices(good.replace("\t\t", "\t2010-01-01\t"))
