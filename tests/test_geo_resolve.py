"""Resolution behaviour with an in-memory gazetteer (the fake) and with the shipped one."""

from __future__ import annotations

import json

import pytest

from flashpoint.geo.gazetteer import MemoryGazetteer, load_gazetteer
from flashpoint.geo.geoparser import Geoparser
from flashpoint.geo.names import name_key, skeleton
from flashpoint.geo.resolve import Toponym, is_relative, resolve_toponyms
from flashpoint.records import Place

from .conftest import shared_file

IDLIB_CITY = Place("Idlib", 35.93062, 36.63393, 169388, "SY", "SYR", "Syria", "Idlib", None, None, "P", "PPLA",
                   128840)
IDLIB_GOV = Place("Idlib", 35.83, 36.62, 169387, "SY", "SYR", "Syria", "Idlib", None, None, "A", "ADM1", 442917)
TRIPOLI_LB = Place("Tripoli", 34.43352, 35.84415, 266826, "LB", "LBN", "Lebanon", "Liban-Nord", None, None, "P",
                   "PPLA", 229398)
TRIPOLI_LY = Place("Tripoli", 32.88743, 13.18733, 2210247, "LY", "LBY", "Libya", "Tripoli", None, None, "P",
                   "PPLC", 1150989)
LEBANON = Place("Lebanon", 33.83, 35.83, 272103, "LB", "LBN", "Lebanon", None, None, None, "A", "PCLI", 6848925)
LIBYA = Place("Libya", 28.0, 17.0, 2215636, "LY", "LBY", "Libya", None, None, None, "A", "PCLI", 6678567)
MAARAT = Place("Ma‘arrat an Nu‘mān", 35.6483, 36.67693, 167611, "SY", "SYR", "Syria", "Idlib", None, None, "P",
               "PPL", None)
SYRIA = Place("Syria", 35.0, 38.0, 163843, "SY", "SYR", "Syria", None, None, None, "A", "PCLI", 22198110)

FAKE = MemoryGazetteer([IDLIB_CITY, IDLIB_GOV, TRIPOLI_LB, TRIPOLI_LY, LEBANON, LIBYA, MAARAT, SYRIA])


def _resolve(text: str, *names: str):
    tops = []
    for n in names:
        i = text.index(n)
        tops.append(Toponym(i, i + len(n)))
    return resolve_toponyms(text, tops, FAKE)


@pytest.mark.parametrize(
    "variant",
    ["Maarat al-Numan", "Ma'arrat an-Nu'man", "Maarrat al-Numan", "Maaret al-Noman", "Ma‘arrat an Nu‘mān",
     "Maarat al Numan", "Ma`arrat al-Nu`man"],
)
def test_geo_resolve_transliteration_variants_meet_one_place(variant: str) -> None:
    got = _resolve(f"Protesters gathered in {variant} on Friday.", variant)[0].mention.place
    assert got == MAARAT


def test_geo_names_keys_fold_marks_and_articles() -> None:
    assert name_key("Ma’arrat an-Nu’man") == name_key("Ma'arrat an-Nu'man") == "maarrat an numan"
    assert skeleton("Deir ez-Zor") == skeleton("Dayr az Zawr")
    assert skeleton("Yarmouk") == skeleton("Yarmuk")


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("Clashes erupted across Idlib province on Monday.", "Idlib", "ADM1"),
        ("Clashes erupted in Idlib city on Monday.", "Idlib", "PPLA"),
        ("Shelling hit the city of Idlib on Monday.", "Idlib", "PPLA"),
        ("Shelling hit Idlib on Monday.", "Idlib", "PPLA"),
        ("Turkey deployed troops in the Idlib governorate.", "Idlib governorate", "ADM1"),
    ],
)
def test_geo_resolve_admin_qualifiers(text: str, name: str, code: str) -> None:
    r = _resolve(text, name)[0]
    assert r.mention.place is not None and r.mention.place.feature_code == code


def test_geo_resolve_region_of_a_country_keeps_the_country() -> None:
    """In "the Ural region of Russia" the admin word is the Ural's: Russia stays the country, not a
    second-level region of the same name (Jamaica has one); "the US state of Wisconsin" still asks for
    a state."""
    gp = Geoparser(load_gazetteer())
    text = "A block collapsed in Magnitogorsk, a city in the Ural region of Russia."
    at = text.index("Russia")
    [m] = gp.resolve_spans(text, [(at, at + len("Russia"))])
    assert m.place is not None and m.place.feature_code == "PCLI" and m.place.country_code == "RU"
    text = "Voters in the US state of Wisconsin went to the polls."
    at = text.index("Wisconsin")
    [m] = gp.resolve_spans(text, [(at, at + len("Wisconsin"))])
    assert m.place is not None and m.place.feature_code == "ADM1" and m.place.country_code == "US"


@pytest.mark.parametrize(
    ("text", "name", "relative"),
    [
        ("Airstrikes hit villages south of Idlib city.", "Idlib", True),
        ("Fighting near Idlib killed five.", "Idlib", True),
        ("Fighting 10 km north of Idlib killed five.", "Idlib", True),
        ("Fighting in Idlib killed five.", "Idlib", False),
    ],
)
def test_geo_resolve_relative_positions(text: str, name: str, relative: bool) -> None:
    i = text.index(name)
    assert is_relative(text, i, i + len(name)) is relative
    assert _resolve(text, name)[0].relative is relative


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Clashes in Tripoli, Lebanon, left two dead.", "LB"),
        ("Militias fought in Tripoli, Libya, overnight.", "LY"),
        ("In northern Lebanon, gunmen in Tripoli opened fire.", "LB"),
        ("Libya's unity government said fighting in Tripoli had stopped.", "LY"),
    ],
)
def test_geo_resolve_ambiguous_tripoli_by_context(text: str, country: str) -> None:
    names = ["Tripoli", "Lebanon" if "Lebanon" in text else "Libya"]
    got = _resolve(text, *names)[0].mention.place
    assert got is not None and got.country_code == country


@pytest.mark.parametrize(("word", "iso2"), [("Syrian", "SY"), ("Lebanese", "LB"), ("Libyan", "LY")])
def test_geo_resolve_demonyms_name_their_country(word: str, iso2: str) -> None:
    got = _resolve(f"The {word} army said so.", word)[0].mention.place
    assert got is not None and got.country_code == iso2 and got.feature_code == "PCLI"


def test_geo_resolve_demonym_focus_breaks_a_tie() -> None:
    got = _resolve("Lebanese troops entered Tripoli at dawn.", "Lebanese", "Tripoli")[1].mention.place
    assert got == TRIPOLI_LB


def test_geo_memory_gazetteer_lookup_and_get() -> None:
    assert FAKE.get(167611) == MAARAT
    assert set(FAKE.lookup("tripoli")) == {TRIPOLI_LB, TRIPOLI_LY}
    assert FAKE.lookup("Maaret al-Noman") == ()
    assert FAKE.lookup("Maaret al-Noman", loose=True) == (MAARAT,)


@pytest.mark.slow
def test_geo_resolve_seed_places_within_tolerance(seed_text: str) -> None:
    from flashpoint.evaluation.geoparse import haversine_km

    expected = json.loads(shared_file("examples/hts-2018/expected.json").read_text(encoding="utf-8"))
    gp = Geoparser(load_gazetteer())
    for place in expected["places"]:
        name = place["name"]
        i = seed_text.index(name)
        got = gp.resolve_spans(seed_text, [(i, i + len(name))])[0].place
        assert got is not None, name
        assert haversine_km(got.latitude, got.longitude, place["lat"], place["lon"]) <= place["tolerance_km"], name


PARIS_FR = Place("Paris", 48.85341, 2.3488, 2988507, "FR", "FRA", "France", "Île-de-France", None, None, "P", "PPLC",
                 2138551)
PARIS_TN = Place("Paris", 36.302, -88.32671, 4655533, "US", "USA", "United States", "Tennessee", None, None, "P",
                 "PPLA2", 10156)
TENNESSEE = Place("Tennessee", 35.75, -86.25, 4662168, "US", "USA", "United States", "Tennessee", None, None, "A",
                  "ADM1", 6910840)
US_FAKE = MemoryGazetteer([PARIS_FR, PARIS_TN, TENNESSEE])


@pytest.mark.parametrize("text", ["A fire broke out in Paris, Tenn., on Sunday.", "A fire broke out in Paris, TN."])
def test_geo_resolve_us_state_abbreviation_after_a_town_names_its_state(text: str) -> None:
    i = text.index("Paris")
    got = resolve_toponyms(text, [Toponym(i, i + 5)], US_FAKE)[0].mention.place
    assert got == PARIS_TN


def test_geo_resolve_ap_state_abbreviation_span_is_the_state() -> None:
    text = "A fire broke out in Paris, Tenn., on Sunday."
    i = text.index("Tenn.")
    got = resolve_toponyms(text, [Toponym(i, i + 5)], US_FAKE)[0].mention.place
    assert got == TENNESSEE
    # without the qualifier the capital wins
    assert resolve_toponyms("Paris is busy.", [Toponym(0, 5)], US_FAKE)[0].mention.place == PARIS_FR


WASH_DC = Place("Washington", 38.89511, -77.03637, 4140963, "US", "USA", "United States", "Washington, D.C.", None,
                None, "P", "PPLC", 689545)
WASH_STATE = Place("Washington", 47.50012, -120.50147, 5815135, "US", "USA", "United States", "Washington", None,
                   None, "A", "ADM1", 6544495)
TACOMA = Place("Tacoma", 47.25288, -122.44429, 5812944, "US", "USA", "United States", "Washington", None, None, "P",
               "PPLA2", 217827)
SPOKANE = Place("Spokane", 47.65966, -117.42908, 5811696, "US", "USA", "United States", "Washington", None, None,
                "P", "PPLA2", 217108)
WASH_FAKE = MemoryGazetteer([WASH_DC, WASH_STATE, TACOMA, SPOKANE])


def _resolve_all(text: str, names: list[str], gaz: MemoryGazetteer) -> list[Place | None]:
    spans, pos = [], 0
    for n in names:
        pos = text.index(n, pos)
        spans.append(Toponym(pos, pos + len(n)))
        pos += len(n)
    return [r.mention.place for r in resolve_toponyms(text, spans, gaz)]


def test_geo_resolve_region_after_a_town_and_comma_is_the_region_that_holds_it() -> None:
    text = "A baker from Tacoma, Washington shares tips."
    assert _resolve_all(text, ["Tacoma", "Washington"], WASH_FAKE) == [TACOMA, WASH_STATE]
    assert _resolve_all("Talks in Washington ended.", ["Washington"], WASH_FAKE) == [WASH_DC]


def test_geo_resolve_region_where_two_other_named_places_lie_beats_a_namesake_capital() -> None:
    text = "The team drove from Tacoma to Spokane; its focus is at home in Washington."
    assert _resolve_all(text, ["Tacoma", "Spokane", "Washington"], WASH_FAKE)[2] == WASH_STATE
    one = "The team drove from Tacoma; its focus is at home in Washington."
    assert _resolve_all(one, ["Tacoma", "Washington"], WASH_FAKE)[1] == WASH_DC


@pytest.mark.parametrize(("text", "name", "gid"), [
    ("a nerve agent developed by the Soviet Union.", "Soviet Union", 2017370),
    ("why T&T was not represented at the meeting", "T&T", 3573591),
    ("officers from NSW National Parks", "NSW", 2155400),
    ("a mine near Sudbury, Ont., closed.", "Ont.", 6093943),
])
def test_geo_resolve_common_abbreviations_and_former_names(text: str, name: str, gid: int) -> None:
    i = text.index(name)
    got = Geoparser(load_gazetteer()).resolve_spans(text, [(i, i + len(name))])[0].place
    assert got is not None and got.geonameid == gid


def test_geo_resolve_unknown_name_takes_the_place_that_hosts_it() -> None:
    text = "He was treated at the Bambino Gesu Hospital in Idlib, not in Tripoli, Lebanon."
    names = ["Bambino Gesu Hospital", "Idlib", "Tripoli", "Lebanon"]
    got = resolve_toponyms(text, [Toponym(text.index(n), text.index(n) + len(n)) for n in names], FAKE)
    assert got[0].mention.place == IDLIB_CITY and got[0].mention.confidence == 0.5 and got[0].relative
    before = "They met at Idlib's Bambino Gesu Hospital."
    spans = [Toponym(12, 17), Toponym(before.index("Bambino"), before.index("Bambino") + 21)]
    assert resolve_toponyms(before, spans, FAKE)[1].mention.place == IDLIB_CITY


def test_geo_resolve_streets_named_after_far_places_stay_in_the_article_town() -> None:
    text = "Police in Idlib closed Tripoli Street after the blast in Idlib."
    names = [("Idlib", 10), ("Tripoli Street", text.index("Tripoli Street")), ("Idlib", text.rindex("Idlib"))]
    got = resolve_toponyms(text, [Toponym(i, i + len(n)) for n, i in names], FAKE)
    assert got[1].mention.place is not None and got[1].mention.place.country_code == "SY"


def test_geo_resolve_unknown_names_fall_back_to_the_main_town_of_the_main_region() -> None:
    # Aleppo is the most named town, but the article's region is Idlib (three of its places)
    aleppo = Place("Aleppo", 36.20124, 37.16117, 170063, "SY", "SYR", "Syria", "Aleppo", None, None, "P", "PPLA",
                   1602264)
    text = "Aleppo and Aleppo. In Idlib, Maarat al-Numan and Idlib province, the Zzyzx Hospital was hit."
    names = [("Aleppo", 0), ("Aleppo", 11), ("Idlib", 22), ("Maarat al-Numan", 29), ("Idlib province", 49),
             ("Zzyzx Hospital", text.index("Zzyzx"))]
    gaz = MemoryGazetteer([IDLIB_CITY, IDLIB_GOV, MAARAT, SYRIA, aleppo])
    got = resolve_toponyms(text, [Toponym(i, i + len(n)) for n, i in names], gaz)
    assert [r.mention.text for r in got] == [n for n, _ in names]
    assert got[-1].mention.place == IDLIB_CITY


def test_geo_resolve_state_in_parentheses_names_the_county_of_that_state() -> None:
    walker_tx = Place("Walker County", 30.74, -95.57, 4739690, "US", "USA", "United States", "Texas", "Walker County",
                      None, "A", "ADM2", 40938)
    walker_ga = Place("Walker County", 32.75, -83.44, 4229163, "US", "USA", "United States", "Georgia",
                      "Walker County", None, "A", "ADM2", None)
    text = "The Walker County (Ga.) Sheriff's Office is asking for help."
    got = resolve_toponyms(text, [Toponym(4, 17)], MemoryGazetteer([walker_tx, walker_ga]))
    assert got[0].mention.place == walker_ga


def test_geo_resolve_name_that_starts_an_organisation_name_leans_on_the_known_place() -> None:
    venice_it = Place("Venice", 45.43713, 12.33265, 3164603, "IT", "ITA", "Italy", "Veneto", None, None, "P",
                      "PPLA", 51298)
    venice_us = Place("Venice", 33.99084, -118.45952, 5405841, "US", "USA", "United States", "California", None,
                      None, "P", "PPLX", 40885)
    gaz = MemoryGazetteer([venice_it, venice_us, WASH_DC, TACOMA])
    text = "Officials in Washington and Tacoma cited the Venice Commission. Venice Police said so."
    got = _resolve_all(text, ["Washington", "Tacoma", "Venice", "Venice"], gaz)
    assert got[2] == venice_it  # the commission's namesake, despite the article's US focus
    assert got[3] == venice_us  # a local institution: the place the article is about


def test_geo_resolve_province_named_without_its_form_word() -> None:
    got = Geoparser(load_gazetteer()).resolve_spans("Calamba City, Laguna, Philippines", [(14, 20)])[0].place
    assert got is not None and got.feature_code == "ADM2" and got.country_code == "PH"


def test_geo_resolve_bare_county_lies_at_the_articles_town_of_its_state() -> None:
    """A county known only by name (its point is its state's) takes the point of the article's town in
    that state; a county with a point of its own keeps it."""
    georgia = Place("Georgia", 32.7, -83.4, 4197000, "US", admin1="Georgia", feature_class="A",
                    feature_code="ADM1")
    walker = Place("Walker County", 32.7, -83.4, 4229163, "US", admin1="Georgia", feature_class="A",
                   feature_code="ADM2")
    lafayette = Place("LaFayette", 34.70, -85.28, 4205885, "US", admin1="Georgia", feature_class="P",
                      feature_code="PPLA2", population=7000)
    hamilton = Place("Hamilton County", 35.18, -85.16, 4626334, "US", admin1="Georgia", feature_class="A",
                     feature_code="ADM2")
    gaz = MemoryGazetteer([georgia, walker, lafayette, hamilton])
    text = "Deputies in LaFayette said the Walker County and Hamilton County jails are full."
    tops = [Toponym(text.index(n), text.index(n) + len(n)) for n in ("LaFayette", "Walker County",
                                                                     "Hamilton County")]
    got = [r.mention.place for r in resolve_toponyms(text, tops, gaz)]
    assert got[1] is not None and got[1].geonameid == 4229163
    assert (got[1].latitude, got[1].longitude) == (34.70, -85.28)
    assert got[2] == hamilton
    alone = resolve_toponyms("The Walker County jail is full.", [Toponym(4, 17)], gaz)[0].mention.place
    assert alone == walker


@pytest.mark.parametrize(("text", "name", "middle"), [
    ("Deputies in Lincoln County, Nevada, closed the road.", "Lincoln County", (37.64, -114.88)),
    ("Flooding hit Pike County, Kentucky, on Monday.", "Pike County", (37.47, -82.52)),
])
def test_geo_resolve_us_county_without_a_large_town_lies_in_the_county(
        text: str, name: str, middle: tuple[float, float]) -> None:
    """A US county with no town of 15,000 has a point of its own (the middle of its ZIP codes), not its
    state's, which lies 215 km away for Lincoln County in Nevada."""
    from flashpoint.evaluation.geoparse import haversine_km

    [got] = _resolve_shipped(text, name)[:1]
    assert got is not None and got.feature_code == "ADM2"
    assert haversine_km(got.latitude, got.longitude, *middle) < 60


def _resolve_shipped(text: str, *names: str) -> list[Place | None]:
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    return [m.place for m in Geoparser(load_gazetteer()).resolve_spans(text, spans)]


def test_geo_resolve_usps_code_after_a_comma_is_the_state() -> None:
    got = _resolve_shipped("HORRY COUNTY, SC (WMBF) - A homeless man was found dead.", "HORRY COUNTY", "SC")
    assert got[1] is not None and (got[1].feature_code, got[1].name) == ("ADM1", "South Carolina")


def test_geo_resolve_region_listed_with_a_region_is_a_region() -> None:
    got = _resolve_shipped("Workers moved from western states such as California or Washington.",
                           "California", "Washington")
    assert got[1] is not None and (got[1].feature_code, got[1].admin1) == ("ADM1", "Washington")


def test_geo_resolve_landmarks_beat_namesake_towns() -> None:
    got = _resolve_shipped("Reporters waited outside the White House, then flew out of Heathrow.",
                           "White House", "Heathrow")
    assert got[0] is not None and abs(got[0].latitude - 38.9) < 0.05 and got[0].country_code == "US"
    assert got[1] is not None and got[1].country_code == "GB"


def test_geo_resolve_city_listed_with_a_city_named_like_a_region_stays_a_city() -> None:
    """'New York' names a big city as well as a state: a list with it is no list of regions."""
    got = _resolve_shipped("After stops in Washington, New York and Boston, the prince flew home.",
                           "Washington", "New York", "Boston")
    assert got[0] is not None and got[0].feature_code == "PPLC"


def test_geo_resolve_two_consonant_remnant_is_not_looked_up_loosely() -> None:
    """'ez-Zor' alone (skeleton 'zar') once matched Algiers and Tyre by transliteration."""
    from flashpoint.geo.resolve import candidates

    gazetteer = load_gazetteer()
    assert candidates(gazetteer, "ez-Zor") == ((), False)
    assert candidates(gazetteer, "Deir") == ((), False)
    places, _ = candidates(gazetteer, "Maaret al-Noman")  # three or more consonants still match
    assert MAARAT.geonameid in {p.geonameid for p in places}


def test_geo_resolve_nearest_other_place_distance() -> None:
    """The cached, early-exit distance of the proximity columns: the minimum great-circle distance (any
    distance under 50 km within 50 km), remembered per place."""
    from flashpoint.geo.features import Near
    from flashpoint.geo.resolve import distance_km

    def town(name: str, lat: float, lon: float) -> Place:
        return Place(name, lat, lon, 1, "SY", "SYR", "Syria", None, None, None, "P", "PPL", 1000)

    others = [town("Aleppo", 36.2, 37.16), town("Homs", 34.73, 36.72), town("Damascus", 33.51, 36.29)]
    near = Near(others)
    for lat, lon in [(36.1, 37.1), (35.5, 36.9), (34.0, 38.5), (30.0, 31.0), (36.2, 37.16), (33.0, 44.0)]:
        p = town("x", lat, lon)
        d = min(distance_km(p, q) for q in others)
        got = near.distance(p)
        assert got < 50 if d < 50 else got == pytest.approx(d, rel=1e-9)
        assert near.distance(p) == got  # remembered
    assert not Near([])


def test_geo_resolve_sliding_context_equals_the_context_counted_afresh() -> None:
    """The window of other places slides over a long article (over CONTEXT_TOPONYMS each side) and
    gives, for every toponym, the places and regions counted afresh from its window."""
    import random

    from flashpoint.geo.resolve import CONTEXT_TOPONYMS, _Window

    rng = random.Random(7)
    towns = [Place(f"T{k}", 30 + k / 7, 35 + k / 11, k, "SY" if k % 3 else "IQ", f"A{k % 4}", None, None, None,
                   None, "P", "PPL", 1000) for k in range(40)]
    n = 2 * CONTEXT_TOPONYMS + 120
    first = [rng.choice([*towns, None]) for _ in range(n)]
    keys = [f"name{rng.randrange(60)}" for _ in range(n)]
    points = [p is not None and rng.random() < 0.8 for p in first]
    members_at = [p is not None and rng.random() < 0.7 for p in first]
    window = _Window(first, keys, points, members_at)
    for i in range(n):
        lo, hi = max(0, i - CONTEXT_TOPONYMS), min(n, i + CONTEXT_TOPONYMS + 1)
        window.move(lo, hi)
        near, inside = window.context(keys[i])
        want_near = {p for j in range(lo, hi) if points[j] and keys[j] != keys[i] and (p := first[j]) is not None}
        regions: dict[tuple[str | None, str | None], set[str]] = {}
        for j in range(lo, hi):
            if members_at[j] and keys[j] != keys[i] and (p := first[j]) is not None:
                regions.setdefault((p.country_code, p.admin1), set()).add(keys[j])
        assert sorted(near.points) == sorted((p.longitude, *_radians_cos(p.latitude)) for p in want_near)
        assert inside == {r: len(v) for r, v in regions.items()}


def _radians_cos(lat: float) -> tuple[float, float]:
    import math

    return math.radians(lat), math.cos(math.radians(lat))
