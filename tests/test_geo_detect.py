"""Toponym detection: places inside organisation names, metonyms, demonyms, and no false loose hits."""

from __future__ import annotations

import re

import pytest

from flashpoint.geo.detect import detect_toponyms
from flashpoint.geo.gazetteer import MemoryGazetteer, load_gazetteer
from flashpoint.geo.geoparser import Geoparser
from flashpoint.geo.names import looks_arabic
from flashpoint.records import Actor, ActorMention, Mention, Place

JAMAICA = Place("Jamaica", 18.0, -77.5, 3489940, "JM", "JAM", "Jamaica", None, None, None, "A", "PCLI", 2934855)
LIVERPOOL = Place("Liverpool", 53.41058, -2.97794, 2644210, "GB", "GBR", "United Kingdom", "England", None, None,
                  "P", "PPLA2", 864122)
TEHRAN = Place("Tehran", 35.69439, 51.42151, 112931, "IR", "IRN", "Iran", "Tehran", None, None, "P", "PPLC",
               7153309)
GAZ = MemoryGazetteer([JAMAICA, LIVERPOOL, (TEHRAN, ["Tehran", "Teheran", "Tehrs"])])


def _org(text: str, name: str, label: str = "ORG") -> Mention:
    i = text.index(name)
    return Mention(i, i + len(name), name, label, 0)


def _spans(text: str, mentions: list[Mention]) -> list[str]:
    return [text[d.start : d.end] for d in detect_toponyms(text, (), mentions, GAZ)]


def test_geo_detect_place_inside_an_organisation_name() -> None:
    text = "The Jamaica Cancer Society will test people at no cost."
    assert _spans(text, [_org(text, "Jamaica Cancer Society")]) == ["Jamaica"]


def test_geo_detect_metonymic_organisation_span_is_a_place() -> None:
    text = "Liverpool said it condemned the attack."
    assert _spans(text, [_org(text, "Liverpool")]) == ["Liverpool"]


def test_geo_detect_person_names_hide_their_places() -> None:
    text = "Jamaica Kincaid wrote the novel."
    assert _spans(text, [_org(text, "Jamaica Kincaid", "PERSON")]) == []


def test_geo_detect_no_loose_match_on_english_contractions() -> None:
    text = "There's no doubt. Tehrs is quiet."
    assert "There's" not in _spans(text, [])
    assert not looks_arabic("There’s") and not looks_arabic("As Kelly") and looks_arabic("Ma'arrat an-Nu'man")


@pytest.mark.parametrize(("text", "word", "code"), [
    ("European airlines want a new strategy.", "European", "CONT"),
    ("Central banks across Asian markets cut rates.", "Asian", "CONT"),
    ("The Syrian army advanced.", "Syrian", "PCLI"),
])
def test_geo_detect_demonyms_of_countries_and_continents(text: str, word: str, code: str) -> None:
    gp = Geoparser(load_gazetteer(world=False))
    i = text.index(word)
    found = detect_toponyms(text, (), [], gp.gazetteer)
    assert [(d.start, d.end, d.source) for d in found if d.start == i] == [(i, i + len(word), "demonym")]
    got = gp.resolve_spans(text, [(i, i + len(word))])[0].place
    assert got is not None and got.feature_code == code


@pytest.mark.parametrize(("name", "iso2"), [("Czech Republic", "CZ"), ("Republic of Armenia", "AM"),
                                            ("South Korea", "KR"), ("Indonesia", "ID")])
def test_geo_detect_country_names_resolve_at_geonames_points(name: str, iso2: str) -> None:
    gaz = load_gazetteer(world=False)
    got = [p for p in gaz.lookup(name) if (p.feature_code or "").startswith("PCL")]
    assert got and got[0].country_code == iso2
    # GeoNames' own points are whole degrees (country-points.tsv), not derived middles
    assert got[0].latitude == round(got[0].latitude) and got[0].longitude == round(got[0].longitude)


def test_geo_detect_bare_ocean_name_beats_a_hamlet() -> None:
    gp = Geoparser(load_gazetteer(world=False))
    text = "Hurricane season in the Atlantic starts in June, forecasters in Miami said."
    i = text.index("Atlantic")
    got = gp.resolve_spans(text, [(i, i + 8)])[0].place
    assert got is not None and got.feature_code == "OCN"


def test_geo_detect_region_demonym_names_its_region_not_a_namesake_town() -> None:
    gp = Geoparser(load_gazetteer(world=False))
    text = "He was found in the English city of Salisbury, US officials said."
    i = text.index("English")
    got = gp.resolve_spans(text, [(i, i + 7)])[0].place
    assert got is not None and got.name == "England" and got.feature_code == "ADM1"


def test_geo_detect_named_regions_are_regions_not_namesake_hamlets() -> None:
    gp = Geoparser(load_gazetteer(world=False))
    text = "US officials in Washington and Texas said the Middle East and North Africa face unrest."
    got = [gp.resolve_spans(text, [(text.index(n), text.index(n) + len(n))])[0].place
           for n in ("Middle East", "North Africa")]
    assert all(p is not None and p.feature_code == "RGN" and p.country_code is None for p in got)


def test_geo_detect_a_place_named_once_is_a_place_wherever_the_article_repeats_it() -> None:
    text = "Fire crews went to Allendale on Monday. The Allendale Woman's Club, led by Kent Allendale, helped."
    first = text.index("Allendale")
    mentions = [Mention(first, first + 9, "Allendale", "GPE", 0), _org(text, "Kent Allendale", "PERSON")]
    found = detect_toponyms(text, (), mentions, GAZ)
    assert [(d.start, text[d.start : d.end], d.source) for d in found] == [
        (first, "Allendale", "ner"), (text.index("Allendale", first + 1), "Allendale", "repeat")]


def test_geo_detect_new_york_inside_an_organisation_is_new_york_not_york() -> None:
    york = Place("York", 53.96, -1.08, 2633352, "GB", "GBR", "United Kingdom", "England", None, None, "P",
                 "PPLA2", 153717)
    new_york = Place("New York", 43.0, -75.5, 5128638, "US", "USA", "United States", "New York", None, None, "A",
                     "ADM1", 19274244)
    gaz = MemoryGazetteer([york, new_york])
    text = "The New York Times reported the fire."
    found = detect_toponyms(text, (), [_org(text, "The New York Times")], gaz)
    assert [text[d.start : d.end] for d in found] == ["New York"]


def test_geo_detect_towns_listed_with_a_found_place_in_its_country() -> None:
    zilina = Place("Žilina", 49.22, 18.74, 3056508, "SK", "SVK", "Slovakia", "Žilinský", None, None, "P", "PPLA",
                   85000)
    nitra = Place("Nitra", 48.31, 18.09, 3058531, "SK", "SVK", "Slovakia", "Nitriansky", None, None, "P", "PPLA",
                  78000)
    presov = Place("Prešov", 49.0, 21.24, 723819, "SK", "SVK", "Slovakia", "Prešovský", None, None, "P", "PPLA",
                   91000)
    nitra_us = Place("Nitra", 40.0, -80.0, 990999999, "US", "USA", "United States", "Ohio", None, None, "P", "PPL",
                     1200)
    gaz = MemoryGazetteer([zilina, nitra, presov, nitra_us])
    text = "It sold its stores in Žilina, Nitra and Prešov last year."
    i = text.index("Žilina")
    found = detect_toponyms(text, (), [Mention(i, i + 6, "Žilina", "GPE", 0)], gaz)
    assert [(text[d.start : d.end], d.source) for d in found] == [
        ("Žilina", "ner"), ("Nitra", "listed"), ("Prešov", "listed")]
    # a listed name that is no place of the found one's country stays out
    other = "Talks with Slovakia, Nitra Holdings and others."
    j = other.index("Slovakia")
    assert [other[d.start : d.end] for d in detect_toponyms(other, (), [Mention(j, j + 8, "Slovakia", "GPE", 0)],
                                                            MemoryGazetteer([nitra_us]))] == ["Slovakia"]


def test_geo_detect_organisation_spans_naming_a_building_or_site_are_toponyms() -> None:
    text = "He was held at the Cloverhill District Court after talks at the Jamaica Cancer Society."
    mentions = [_org(text, "the Cloverhill District Court"), _org(text, "the Jamaica Cancer Society")]
    found = detect_toponyms(text, (), mentions, GAZ)
    assert [(text[d.start : d.end], d.source) for d in found] == [
        ("Cloverhill District Court", "facility"), ("Jamaica", "embedded")]


def test_geo_detect_no_repeat_of_an_unknown_name_the_model_mostly_labels_an_organisation() -> None:
    text = "Isis fighters fled. Isis said it held the town. Later Isis denied it."
    spans = [m.start() for m in re.finditer("Isis", text)]
    mentions = [Mention(spans[0], spans[0] + 4, "Isis", "GPE", 0)] + [
        Mention(s, s + 4, "Isis", "ORG", 0) for s in spans[1:]]
    assert [(d.start, d.source) for d in detect_toponyms(text, (), mentions, GAZ)] == [(spans[0], "ner")]


def test_geo_detect_person_span_after_in_that_is_a_town_is_a_place() -> None:
    klamath = Place("Klamath Falls", 42.22, -121.78, 5735238, "US", "USA", "United States", "Oregon", None, None,
                    "P", "PPLA2", 21335)
    gaz = MemoryGazetteer([klamath])
    text = "In Klamath Falls, users pay less. Klamath Falls said so."
    first, second = text.index("Klamath Falls"), text.rindex("Klamath Falls")
    mentions = [Mention(first, first + 13, "Klamath Falls", "PERSON", 0),
                Mention(second, second + 13, "Klamath Falls", "PERSON", 0)]
    assert [(d.start, d.source) for d in detect_toponyms(text, (), mentions, gaz)] == [(first, "gazetteer")]


def test_geo_detect_person_span_after_to_or_from_needs_a_town_of_15000() -> None:
    big = Place("Misratah", 32.37535, 15.09254, 2214846, "LY", "LBY", "Libya", "Mişrātah", None, None, "P",
                "PPLA", 386120)
    small = Place("Anna", 37.46, -89.25, 4232679, "US", "USA", "United States", "Illinois", None, None, "P", "PPL",
                  4442)
    gaz = MemoryGazetteer([(big, ["Misratah", "Misrata"]), small])
    text = "Militias from Misrata came. To Anna, her family was everything."
    i, j = text.index("Misrata"), text.index("Anna")
    mentions = [Mention(i, i + 7, "Misrata", "PERSON", 0), Mention(j, j + 4, "Anna", "PERSON", 0)]
    assert [text[d.start : d.end] for d in detect_toponyms(text, (), mentions, gaz)] == ["Misrata"]


@pytest.fixture(scope="module")
def region_gaz() -> MemoryGazetteer | object:
    return load_gazetteer(world=False)


def _found(text: str, mentions: list[Mention], gaz: object, actors: tuple[ActorMention, ...] = ()) -> list[str]:
    return [f"{text[d.start : d.end]}:{d.source}" for d in detect_toponyms(text, (), mentions, gaz, actors=actors)]


@pytest.mark.parametrize("text", [
    "Government forces shelled Saraqib on Monday.",
    "Rebels withdrew after the army entered Saraqib.",
    "A resident of Saraqib said the market was hit.",
])
def test_geo_detect_cued_syrian_town_the_model_calls_an_organisation(text: str, region_gaz: object) -> None:
    # the small model tags "Saraqib" ORG here; a place cue and the exact gazetteer name make it a place
    assert f"Saraqib:{'cued'}" in _found(text, [_org(text, "Saraqib")], region_gaz)


def test_geo_detect_uncued_town_name_is_not_a_place(region_gaz: object) -> None:
    # sentence start, no cue before it: not taken on the gazetteer's word alone
    text = "Saraqib was quiet on Monday."
    assert _found(text, [_org(text, "Saraqib")], region_gaz) == []


def test_geo_detect_town_named_like_a_person_stays_a_person(region_gaz: object) -> None:
    # Aksoy and Saad are Turkish and Israeli villages; here they are people
    text = "Mehmet Aksoy was killed. He was buried near Aksoy family land. Fighters loyal to Abu Saad entered Afrin."
    mentions = [_org(text, "Mehmet Aksoy", "PERSON"), _org(text, "Abu Saad", "PERSON"), _org(text, "Afrin", "GPE")]
    got = _found(text, mentions, region_gaz)
    assert got == ["Afrin:ner"]


def test_geo_detect_name_inside_an_actor_or_a_month_is_no_cued_place(region_gaz: object) -> None:
    text = "Jets struck Hayat Tahrir al-Sham positions on Nov. 13 in Idlib. They fought in the Taliban ranks."
    hts = Actor("Hayat Tahrir al-Sham", "rebel", 2, "SYR")
    taliban = Actor("Taliban", "rebel", 2, "AFG")
    i, j = text.index("Hayat"), text.index("Taliban")
    actors = (ActorMention(i, i + 20, "Hayat Tahrir al-Sham", 0, hts, 1.0),
              ActorMention(j, j + 7, "Taliban", 1, taliban, 1.0))
    got = _found(text, [_org(text, "Hayat Tahrir al-Sham", "PERSON"), _org(text, "Taliban")], region_gaz, actors)
    assert got == ["Idlib:gazetteer"]  # not "al-Sham" (Damascus), "Nov" or "Taliban" (Turkish villages)


def test_geo_detect_cued_town_repeats_over_the_models_person_label(region_gaz: object) -> None:
    # a town tagged PERSON on its bare name ("Douma" 13 times of 25 in one article): two cued finds
    # outweigh one PERSON label; one find does not
    text = "Jets bombed Saraqib. The attack on Saraqib killed 40. Saraqib is near Damascus."
    last = text.rindex("Saraqib")
    mentions = [Mention(last, last + 7, "Saraqib", "PERSON", 2), _org(text, "Damascus", "GPE")]
    got = _found(text, mentions, region_gaz)
    assert got == ["Saraqib:cued", "Saraqib:cued", "Saraqib:repeat", "Damascus:ner"]
    once = "Jets bombed Saraqib. Saraqib said the town was hit."
    assert _found(once, [Mention(21, 28, "Saraqib", "PERSON", 1)], region_gaz) == ["Saraqib:cued"]


@pytest.mark.parametrize(
    ("text", "cut", "name"),
    [
        ("Government forces captured villages close to Deir ez-Zor, where Isis is fighting.", "Deir", "Deir ez-Zor"),
        ("Clashes erupted in Deir al-Zour on Sunday.", "Deir", "Deir al-Zour"),
        ("Turkish troops entered Jisr ash-Shughur on Wednesday.", "Jisr", "Jisr ash-Shughur"),
        ("Protests in Aleppo Sunday were small.", "Aleppo", "Aleppo"),  # "Sunday" is no part of it
    ],
)
def test_geo_detect_place_name_the_model_cut_short_is_whole(text: str, cut: str, name: str) -> None:
    """spaCy's small model tags only 'Deir' in 'Deir ez-Zor': the gazetteer's longer name wins."""
    i = text.index(cut)
    mention = Mention(i, i + len(cut), cut, "GPE", 0, "ner")
    (hit,) = [d for d in detect_toponyms(text, (), [mention], load_gazetteer(world=False)) if d.start == i]
    assert text[hit.start : hit.end] == name
    place = Geoparser(load_gazetteer(world=False)).resolve_spans(text, [(hit.start, hit.end)])[0].place
    assert place is not None and place.country_code in {"SY", "TR"}


def test_geo_detect_whole_word_search_matches_the_lookaround_regex() -> None:
    """``_whole_word_at`` (str.find) finds exactly what ``(?<!\\w)name(?!\\w)`` finds."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from flashpoint.geo.detect import _whole_word_at

    alphabet = st.sampled_from(list("Aab_1 -.,'éÉ٣\u00b2ß"))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet, max_size=40), st.text(alphabet, min_size=1, max_size=4))
    def check(text: str, name: str) -> None:
        want = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text)]
        assert _whole_word_at(text, name) == want

    check()
    assert _whole_word_at("Aleppo and Aleppo's Aleppos, xAleppo", "Aleppo") == [0, 11]


BATNA = Place("Batna", 35.55597, 6.17414, 2505572, "DZ", "DZA", "Algeria", "Batna", None, None, "P", "PPLA", 290645)
KAFR_BATNA = Place("Kafr Baţnā", 33.51168, 36.37273, 168713, "SY", "SYR", "Syria", "Rif-dimashq", None, None, "P",
                   "PPL", 19000)
TOWNS = MemoryGazetteer([BATNA, (KAFR_BATNA, ["Kafr Batna"])])


def test_geo_detect_a_regional_town_tagged_as_an_organisation_is_the_town_not_the_city_inside_it() -> None:
    text = "A child was killed by shelling on the town of Kafr Batna on Monday."
    found = detect_toponyms(text, (), [_org(text, "Kafr Batna")], TOWNS)
    assert [text[d.start : d.end] for d in found] == ["Kafr Batna"]


def test_geo_detect_a_place_name_the_recogniser_cut_short_at_its_start_is_whole() -> None:
    text = "Shelling hit Kafr Batna on Monday."
    found = detect_toponyms(text, (), [_org(text, "Batna", "GPE")], TOWNS)
    assert [text[d.start : d.end] for d in found] == ["Kafr Batna"]
    alone = "Shelling hit Batna on Monday."  # a capitalised verb or name before it is not taken
    found = detect_toponyms(alone, (), [_org(alone, "Batna", "GPE")], TOWNS)
    assert [alone[d.start : d.end] for d in found] == ["Batna"]


@pytest.mark.parametrize(("text", "want"), [
    # a name of three letters or fewer is an abbreviation, written in capitals: "Car" opening a headline is no CAR
    ("Car bomb kills nine at a checkpoint near the border", []),
    ("Fighting spread across CAR on Sunday, the UN said.", ["CAR"]),
])
def test_geo_detect_short_country_abbreviations_only_in_capitals(text: str, want: list[str]) -> None:
    gaz = load_gazetteer(world=False)
    found = detect_toponyms(text, (), [], gaz)
    assert [text[d.start : d.end] for d in found if d.end - d.start <= 3] == want
