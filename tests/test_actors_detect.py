"""Finding actors in text: aliases, transliterations, nationality phrases, acronyms, coreference,
unknown actors, and the seed article's expected actors."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from flashpoint.actors import ActorStage, finder_for, load_knowledge_base, resolve
from flashpoint.actors.normalise import canonical_key
from flashpoint.pipeline import ArticleState, Pipeline
from flashpoint.records import Article, Mention

from .conftest import shared_file

D = dt.date
SEED_DATE = D(2018, 5, 8)


@pytest.fixture(scope="module")
def kb():
    return load_knowledge_base()


@pytest.fixture(scope="module")
def finder(kb):
    return finder_for(kb)


def found(finder, text: str, date: dt.date | None = SEED_DATE, ner=()) -> list[tuple[str, str, str]]:
    return [(m.text, m.actor.name, m.via) for m in finder.find(text, date, ner)]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Hayy'at Tahrir al-Sham", "Hayat Tahrir al-Sham"),
        ("Hayy’at Tahrir al-Sham", "Hayat Tahrir al-Sham"),
        ("Hay'at Tahrir ash-Sham", "Hayat Tahrir al-Sham"),
        ("HTS", "Hayat Tahrir al-Sham"),
        ("Abu Muhammad al-Jolani", "Abu Mohammed al-Joulani"),
        ("Julani", "Abu Mohammed al-Joulani"),
        ("Jabhat al-Nosra", "Jabhat Fateh al-Sham"),
        ("al-Nusrah Front", "Jabhat Fateh al-Sham"),
        ("Jabhat Fatah al Sham", "Jabhat Fateh al-Sham"),
        ("Maarat al-Nouman Military Council", "Maarat al-Numan Military Council"),
        ("Ma'arrat al-Nu'man Military Council", "Maarat al-Numan Military Council"),
        ("Failaq al-Sham", "Faylaq al-Sham"),
        ("Ahrar al-Sharqiyah", "Ahrar al-Sharqiya"),
        ("Nour al-Din al-Zinki", "Nour al-Din al-Zenki Movement"),
        ("Jaish al-Islam", "Jaysh al-Islam"),
        ("Daesh", "Islamic State"),
        ("Qassem Soleimani", "Qasem Soleimani"),
        ("Hizbullah", "Hezbollah"),
    ],
)
def test_actors_detect_aliases_and_transliterations(finder, text: str, actor: str) -> None:
    mentions = finder.find(f"Reports say {text} was involved.", SEED_DATE)
    assert [m.text for m in mentions] == [text]
    assert mentions[0].actor.name == actor or canonical_key(actor) == canonical_key(mentions[0].actor.name) or (
        finder.kb.get(mentions[0].actor.name).name == actor
    )


def test_actors_detect_case_guards(finder) -> None:
    # "is" is not Islamic State; a lower-case common word is not a one-word alias.
    assert found(finder, "It is what it is, said the nusra man.") == []


@pytest.mark.parametrize(
    ("phrase", "iso3", "actor"),
    [
        ("Great Britain", "GBR", "Government of the United Kingdom"),
        ("four Saudi men", "SAU", "Civilians (Saudi Arabia)"),
        ("a US destroyer", "USA", "Military Forces of the United States"),
        ("Kurdish-led Syrian Democratic Forces", "SYR", "Syrian Democratic Forces"),
        ("Russia’s ambassador to Poland", "RUS", "Government of Russia"),
        ("Turkish officials", "TUR", "Government of Turkey"),
        ("the Russian military", "RUS", "Military Forces of Russia"),
        ("Israeli warplanes", "ISR", "Military Forces of Israel"),
        ("Iranian diplomats", "IRN", "Government of Iran"),
        ("two British nationals", "GBR", "Civilians (United Kingdom)"),
        ("Jordanian border guards", "JOR", "Military Forces of Jordan"),
        ("Lebanese police", "LBN", "Police Forces of Lebanon"),
        ("the French foreign minister", "FRA", "Government of France"),
        ("a U.S. drone", "USA", "Military Forces of the United States"),
        ("Iraqi protesters", "IRQ", "Protesters (Iraq)"),
        ("Turkey’s defence ministry", "TUR", "Government of Turkey"),
        ("Egyptian security forces", "EGY", "Police Forces of Egypt"),
        ("American troops", "USA", "Military Forces of the United States"),
        ("Chinese officials", "CHN", "Government of China"),
        ("a German journalist", "DEU", "Civilians (Germany)"),
        ("Kurdish-led forces", "SYR", "Syrian Democratic Forces"),
        ("Turkish-backed rebels", "SYR", "Syrian National Army"),
        ("the YPG", "SYR", "People's Protection Units"),
        ("Hezbollah fighters", "LBN", "Hezbollah"),
        ("the Islamic Revolutionary Guard Corps", "IRN", "Islamic Revolutionary Guard Corps"),
        ("UK", "GBR", "Government of the United Kingdom"),
        ("Ukraine", "UKR", "Government of Ukraine"),
        ("Saudi warplanes", "SAU", "Military Forces of Saudi Arabia"),
        ("the Emirati government", "ARE", "Government of the United Arab Emirates"),
        # a state word before a military one names the forces; the barrel bomb is a military weapon
        ("Iraqi government troops", "IRQ", "Military Forces of Iraq"),
        ("Sudanese army helicopters", "SDN", "Military Forces of Sudan"),
        ("Syrian barrel bombs", "SYR", "Military Forces of Syria (2000-2024)"),
        # a named group, not Pakistan's state forces: the alias wins over the nationality phrase
        ("Pakistani Taliban", "PAK", "Tehrik-i-Taliban Pakistan"),
    ],
)
def test_actors_detect_nationality_phrases(kb, phrase: str, iso3: str, actor: str) -> None:
    resolution = resolve(kb, phrase, SEED_DATE)
    assert resolution is not None, phrase
    assert (resolution.actor.name, resolution.actor.country) == (actor, iso3)


def test_actors_detect_nationality_heldout_score(kb) -> None:
    """A held-out set of phrases scored for their country (the issue asks for >= 0.9)."""
    cases = {
        "Great Britain": "GBR", "four Saudi men": "SAU", "a US destroyer": "USA",
        "Kurdish-led Syrian Democratic Forces": "SYR", "Russia’s ambassador to Poland": "RUS",
        "Qatari mediators": "QAT", "a Dutch frigate": "NLD", "Canadian special forces": "CAN",
        "the Swiss embassy": "CHE", "Filipino workers": "PHL", "Syrian refugees": "SYR",
        "Yemeni officials": "YEM", "Moroccan police": "MAR", "an Indian navy ship": "IND",
        "Belgian soldiers": "BEL", "the Australian government": "AUS", "Greek coastguard": "GRC",
        "Afghan migrants": "AFG", "Libyan authorities": "LBY", "Malian troops": "MLI",
    }
    right = 0
    for phrase, iso3 in cases.items():
        resolution = resolve(kb, phrase, SEED_DATE)
        right += resolution is not None and resolution.actor.country == iso3
    assert right / len(cases) >= 0.9


def test_actors_detect_acronym_defined_in_parentheses(finder) -> None:
    text = (
        "Fighters of the Free Idlib Brigade (FIB) attacked a checkpoint. Later the FIB withdrew, "
        "and the Turkish Armed Forces (TSK) shelled the area; the TSK said five died."
    )
    got = found(finder, text, D(2019, 1, 1))
    assert ("Free Idlib Brigade", "Free Idlib Brigade", "acronym") in got
    assert ("FIB", "Free Idlib Brigade", "acronym") in got
    fib = next(m for m in finder.find(text, D(2019, 1, 1)) if m.text == "FIB")
    assert fib.actor.known is False and fib.actor.inter == 2
    assert [g[1] for g in got if g[0] == "TSK"] == ["Military Forces of Turkey"] * 2


def test_actors_detect_acronym_of_an_untyped_organisation_has_no_inter(finder) -> None:
    text = "Members of the Coastal Farmers Cooperative (CFC) met on Monday. Later the CFC said it would appeal."
    cfc = [m.actor for m in finder.find(text, D(2019, 1, 1)) if m.text == "CFC"]
    assert [(a.name, a.kind, a.inter, a.known) for a in cfc] == [
        ("Coastal Farmers Cooperative", "organisation", None, False)] * 2


def test_actors_detect_dated_resolution(finder) -> None:
    text = "Jabhat al-Nusra fighters clashed with regime forces."
    early = {m.text: m.actor for m in finder.find(text, D(2015, 3, 1))}
    assert early["Jabhat al-Nusra"].name == "Jabhat al-Nusra"
    assert early["regime forces"].name == "Military Forces of Syria (2000-2024)"
    late = {m.text: m.actor for m in finder.find("Syrian army units clashed with gunmen in Latakia.", D(2025, 3, 7))}
    assert late["Syrian army"].name == "Military Forces of Syria (2024-)"
    assert late["gunmen"].name == "Unidentified Armed Group (Syria)"


def test_actors_detect_roles_use_focus_country(finder) -> None:
    text = "In Idlib, activists said civilians fled as gunmen opened fire near Aleppo, Syria."
    got = {m.text: m.actor.name for m in finder.find(text, SEED_DATE)}
    assert got["activists"] == "Protesters (Syria)"
    assert got["civilians"] == "Civilians (Syria)"
    assert got["gunmen"] == "Unidentified Armed Group (Syria)"
    assert "Syria" not in got  # "Aleppo, Syria": a place, not an actor


def test_actors_detect_an_unnamed_armed_group_is_unidentified_unless_the_article_named_one(finder) -> None:
    got = found(finder, "Militants stormed a checkpoint in Mali on Friday, and a suicide bomber hit a convoy.")
    assert ("Militants", "Unidentified Armed Group (Mali)", "role") in got
    assert ("suicide bomber", "Unidentified Armed Group (Mali)", "role") in got
    named = found(finder, "Boko Haram was blamed. Militants stormed a checkpoint in Nigeria on Friday.")
    assert ("Militants", "Boko Haram", "coreference") in named
    assert all(name != "Unidentified Armed Group (Nigeria)" for _, name, _ in named)


def test_actors_detect_state_words_before_military_ones_name_the_focus_countrys_forces(finder) -> None:
    text = ("Fighting flared again in Yemen. A regime helicopter and army artillery hit two villages, "
            "and government aircraft struck a third.")
    got = {m.text: m.actor.name for m in finder.find(text, SEED_DATE)}
    assert got["regime helicopter"] == "Military Forces of Yemen"
    assert got["army artillery"] == "Military Forces of Yemen"
    assert got["government aircraft"] == "Military Forces of Yemen"


def test_actors_detect_two_nationalities_share_one_role_word(finder) -> None:
    got = {m.text: m.actor.name for m in finder.find("Syrian and Russian warplanes pounded Aleppo.", SEED_DATE)}
    assert got == {"Syrian": "Military Forces of Syria (2000-2024)", "Russian warplanes": "Military Forces of Russia"}
    got = {m.text: m.actor.name for m in finder.find("Saudi and Emirati diplomats met in Riyadh.", SEED_DATE)}
    assert got["Saudi"] == "Government of Saudi Arabia"


def test_actors_detect_unknown_armed_actor_from_ner(finder) -> None:
    text = "The Lions of Tartus Brigade claimed the attack, Reuters reported."
    lions, reuters = text.index("Lions"), text.index("Reuters")
    ner = (
        Mention(lions - 4, lions + 23, "The Lions of Tartus Brigade", "ORG", 0),
        Mention(reuters, reuters + 7, "Reuters", "ORG", 0),
    )
    mentions = finder.find(text, SEED_DATE, ner)
    unknown = [m for m in mentions if not m.actor.known]
    assert [(m.text, m.actor.kind, m.actor.inter, m.via) for m in unknown] == [
        ("Lions of Tartus Brigade", "rebel group", 2, "ner")
    ]


def test_actors_detect_seed_expected_actors(finder, seed_text: str) -> None:
    expected = json.loads(shared_file("examples/hts-2018/expected.json").read_text(encoding="utf-8"))
    mentions = finder.find(seed_text, SEED_DATE)
    by_text: dict[str, set[str]] = {}
    for m in mentions:
        by_text.setdefault(m.text, set()).add(canonical_key(m.actor.name))
    kb = finder.kb
    for actor in expected["actors"]:
        want = canonical_key(actor["name"])
        for alias in actor["aliases_in_text"]:
            resolution = resolve(kb, alias, SEED_DATE)
            assert resolution is not None, alias
            names = {canonical_key(n) for n in (resolution.actor.name, resolution.name_on_date,
                                                  resolution.successor_on_date) if n}
            assert want in names, (alias, resolution)
            if alias in seed_text:
                assert any(want in v for t, v in by_text.items() if alias in t or t in alias), alias
        for phrase in actor.get("in_context", []):
            linked = [m for m in mentions if phrase.lower() in m.text.lower()]
            assert linked and all(canonical_key(m.actor.name) == want for m in linked), phrase
        if "acled_inter" in actor:
            inters = {m.actor.inter for m in mentions if canonical_key(m.actor.name) == want}
            assert inters == {actor["acled_inter"]}, actor["name"]


def test_actors_detect_seed_relations(kb) -> None:
    hts = resolve(kb, "HTS", SEED_DATE).actor
    assert any(r.kind == "affiliated_with" and r.target == "al-Qaeda" and r.end.year == 2016 for r in hts.relations)
    jfs = resolve(kb, "Jabhat Fateh al-Sham", SEED_DATE)
    assert any(r.kind == "formerly" and r.target == "Jabhat al-Nusra" for r in jfs.actor.relations)
    assert jfs.successor_on_date == "Hayat Tahrir al-Sham"
    joulani = resolve(kb, "Joulani", SEED_DATE)
    assert any(r.kind == "leader_of" and r.target == "Hayat Tahrir al-Sham" for r in joulani.relations)


@pytest.mark.slow
def test_actors_stage_after_nlp(spacy_model, seed_text: str) -> None:
    from flashpoint.nlp.stage import NlpStage

    pipeline = Pipeline([NlpStage(spacy_model), ActorStage()])
    state = pipeline(ArticleState(Article(id="seed", text=seed_text, published=SEED_DATE)))
    mentions = state.actor_mentions
    assert "actors" in state.done
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(seed_text[m.start : m.end] == m.text for m in mentions)
    names = {m.actor.name for m in mentions}
    assert {"Hayat Tahrir al-Sham", "Maarat al-Numan Military Council", "Military Forces of Turkey",
            "Government of Turkey", "Syrian National Army", "Protesters (Syria)"} <= names
    council = [m for m in mentions if m.text == "Maarat al-Numan Military Council"]
    assert council and council[0].sentence > 0


@pytest.mark.parametrize(
    "text",
    [
        "Rival pro-Iranian and pro-US forces compete for landmarks.",
        "Officials believe a Syria-wide settlement has been reached.",
        "Syria’s opposition groups met in Riyadh.",
        "I set up the Syrian Women’s Forum for Peace in 2016.",
        "They fled to Turkey and then to Greece.",
    ],
)
def test_actors_detect_countries_used_as_modifiers_or_places_are_not_actors(finder, text: str) -> None:
    assert [m.text for m in finder.find(text, SEED_DATE) if m.via in {"country", "nationality"}] == []


def test_actors_detect_coalition_refers_to_the_named_coalition(finder) -> None:
    text = "Islamic State fighters fled as the US-led coalition struck. The coalition said 20 died."
    got = {m.text: m.actor.name for m in finder.find(text, D(2017, 6, 1))}
    assert got["The coalition"] == "Global Coalition against Daesh"
