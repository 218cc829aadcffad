from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from flashpoint.cli.app import app
from flashpoint.errors import InputError
from flashpoint.evaluation.articles import (
    GoldArticle,
    GoldEvent,
    actor_ok,
    evaluate,
    field_verdicts,
    match_events,
    parse_article,
    read_gold,
    score_article,
    summarise,
)
from flashpoint.pipeline import ArticleState
from flashpoint.records import DateBasis, Evidence, Modality, TimePrecision
from tests.helpers import TEXT, make_event

runner = CliRunner()

SARAQIB = (35.8624, 36.8006)
IDLIB = (35.9306, 36.6339)  # ~17 km from Saraqib
HAMA = (35.1318, 36.7578)  # ~81 km
HOMS = (34.7308, 36.7094)  # ~126 km
FIRST = (0, 39)  # "HTS fighters shelled Saraqib on Monday."
SECOND = (40, 80)  # "Protesters marched in Idlib against HTS."


def gold_event(**changes: object) -> GoldEvent:
    base = dict(
        evidence=FIRST,
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="HTS",
        actor2=None,
        location="Saraqib",
        latitude=SARAQIB[0],
        longitude=SARAQIB[1],
        date=dt.date(2018, 5, 7),
        fatalities=None,
    )
    base.update(changes)
    return GoldEvent(**base)  # type: ignore[arg-type]


def in_second_sentence(**changes: object):
    evidence = Evidence("a1", TEXT[40:80], *SECOND)
    return make_event(evidence=evidence, sources=(evidence,), field_evidence={}, **changes)


def gold_article(*events: GoldEvent, article_id: str = "a1") -> GoldArticle:
    return GoldArticle(article_id, dt.date(2018, 5, 8), TEXT, events)


# -- matching -----------------------------------------------------------------------------------------


def test_evaluation_articles_matches_by_evidence_sentence():
    other_type = make_event(event_type="Battles", sub_event_type="Armed clash", latitude=None, longitude=None)
    assert match_events([gold_event()], [other_type]) == [(0, 0, "sentence")]


def test_evaluation_articles_matches_an_also_sentence():
    gold = gold_event(evidence=SECOND, also=((0, 10),), latitude=None, longitude=None)
    assert match_events([gold], [make_event()]) == [(0, 0, "sentence")]
    assert match_events([gold_event(evidence=SECOND, latitude=None, longitude=None)], [make_event()]) == []


@pytest.mark.parametrize(
    ("gold_changes", "event_changes", "matched"),
    [
        ({}, {}, True),  # same type, same day, same place
        ({"date": dt.date(2018, 5, 14)}, {}, True),  # 7 days
        ({"date": dt.date(2018, 5, 15)}, {}, False),  # 8 days
        ({}, {"latitude": HAMA[0], "longitude": HAMA[1]}, True),  # ~81 km
        ({}, {"latitude": HOMS[0], "longitude": HOMS[1]}, False),  # ~126 km
        ({"date": None}, {}, False),  # the gold date unknown
        ({"latitude": None, "longitude": None}, {}, False),  # gold coordinates unknown
        ({}, {"latitude": None, "longitude": None}, False),  # predicted coordinates unknown
        ({}, {"event_type": "Battles", "sub_event_type": "Armed clash"}, False),  # another type
        ({}, {"sub_event_type": "Air/drone strike"}, True),  # same type, another sub-event type
    ],
)
def test_evaluation_articles_matches_by_type_time_and_place(gold_changes, event_changes, matched):
    pairs = match_events([gold_event(**gold_changes)], [in_second_sentence(**event_changes)])
    assert pairs == ([(0, 0, "type-time-place")] if matched else [])


def test_evaluation_articles_matching_is_one_to_one_higher_confidence_first():
    low, high = make_event(event_id="LOW", confidence=0.5), make_event(event_id="HIGH", confidence=0.9)
    score = score_article(gold_article(gold_event()), [low, high])
    assert [m.event_id for m in score.matches] == ["HIGH"]
    assert score.false_positives == ("LOW",)
    assert (score.gold, score.predicted, score.matched) == (1, 2, 1)


def test_evaluation_articles_sentence_match_beats_a_more_confident_type_time_place_match():
    nearby = in_second_sentence(event_id="NEAR", confidence=0.99)
    same_sentence = make_event(event_id="SAME", confidence=0.4)
    score = score_article(gold_article(gold_event()), [nearby, same_sentence])
    assert [(m.event_id, m.by) for m in score.matches] == [("SAME", "sentence")]
    assert score.false_positives == ("NEAR",)


def test_evaluation_articles_same_sub_event_type_pairs_first_within_a_sentence():
    arrest = gold_event(event_type="Strategic developments", sub_event_type="Arrests")
    shelling = make_event(event_id="SHELL", confidence=0.5)
    arrested = make_event(
        event_id="ARREST", event_type="Strategic developments", sub_event_type="Arrests", confidence=0.9
    )
    score = score_article(gold_article(gold_event(), arrest), [arrested, shelling])
    assert [(m.gold, m.event_id) for m in score.matches] == [(0, "SHELL"), (1, "ARREST")]
    assert all(m.fields["sub_event_type"] for m in score.matches)


def test_evaluation_articles_ignores_events_outside_the_default_output():
    score = score_article(gold_article(gold_event()), [make_event(modality=Modality.HYPOTHETICAL)])
    assert (score.predicted, score.matched, score.false_negatives) == (0, 0, (0,))


def test_evaluation_articles_empty_gold_article_makes_every_event_a_false_positive():
    score = score_article(gold_article(), [make_event(), in_second_sentence(event_id="FP2")])
    report = summarise([score])
    assert score.false_positives == ("FP1", "FP2")
    assert (report.tp, report.fp, report.fn, report.precision, report.recall) == (0, 2, 0, 0.0, 0.0)


def test_evaluation_articles_precision_recall_f1_are_micro_over_articles():
    elsewhere = in_second_sentence(event_id="FP2", latitude=None)
    one = score_article(gold_article(gold_event()), [make_event(), elsewhere])
    two_gold = gold_article(gold_event(), gold_event(evidence=SECOND, date=None), article_id="a2")
    two = score_article(two_gold, [])
    report = summarise([one, two])
    assert (report.tp, report.fp, report.fn) == (1, 1, 2)
    assert report.precision == 0.5
    assert report.recall == pytest.approx(1 / 3)
    assert report.f1 == pytest.approx(0.4)


# -- fields -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "predicted", "names", "ok"),
    [
        ("Military Forces of Syria", "Military Forces of Syria (2000-2024)", (), True),  # same_actor
        ("syrian army", "Military Forces of Syria (2000-2024)", ("Syrian Army", "SAA"), True),  # an alias
        ("the Syrian army", "Military Forces of Syria (2000-2024)", ("Syrian Army",), True),  # article dropped
        ("the rebels", "Military Forces of Syria (2000-2024)", ("Syrian Army",), False),
        ("HTS", "Hayat Tahrir al-Sham", ("HTS fighters",), True),  # the matched text
        ("Tahrir", "Hayat Tahrir al-Sham", (), True),  # contained in the name
        ("Islamic State", "Hayat Tahrir al-Sham", ("HTS",), False),
        (None, None, (), True),
        (None, "Hayat Tahrir al-Sham", (), False),
        ("HTS", None, (), False),
    ],
)
def test_evaluation_articles_actor_match(gold, predicted, names, ok):
    assert actor_ok(gold, predicted, names) is ok


def test_evaluation_articles_field_verdicts_of_a_good_pair():
    gold = gold_event(location="Saraqib", latitude=IDLIB[0], longitude=IDLIB[1], fatalities=None)
    verdicts = field_verdicts(gold, make_event(fatalities=0), TEXT)
    assert verdicts == {
        "sub_event_type": True,
        "actor1": True,  # "HTS" is the text the actor was found on
        "actor2": True,  # both none
        "location": True,  # ~17 km
        "date": True,
        "date_in_precision": True,
        "fatalities": True,  # gold null, predicted 0
    }


def test_evaluation_articles_field_verdicts_of_a_wrong_pair():
    gold = gold_event(
        sub_event_type="Air/drone strike",
        actor1="Islamic State",
        actor2="Civilians",
        date=None,
        fatalities=3,
        latitude=HAMA[0],
        longitude=HAMA[1],
    )
    verdicts = field_verdicts(gold, make_event(fatalities=2), TEXT)
    assert verdicts == {
        "sub_event_type": False,
        "actor1": False,
        "actor2": False,
        "location": False,  # ~81 km
        "date": None,  # not scored
        "date_in_precision": None,
        "fatalities": False,
    }


@pytest.mark.parametrize(
    ("location", "event_changes", "ok"),
    [
        ("saraqib", {}, True),  # the predicted place's name, any case
        ("Sarāqib", {"field_evidence": {"location": (21, 28)}}, False),
        ("Saraqib town", {}, False),
        (None, {}, False),  # gold: no location, predicted one
        (None, {"location": None, "latitude": None, "longitude": None}, True),
    ],
)
def test_evaluation_articles_location_by_name_without_gold_coordinates(location, event_changes, ok):
    gold = gold_event(location=location, latitude=None, longitude=None)
    assert field_verdicts(gold, make_event(**event_changes), TEXT)["location"] is ok


def test_evaluation_articles_location_name_may_be_the_text_as_written():
    gold = gold_event(location="Saraqib", latitude=None, longitude=None)
    other_name = make_event(location="Sarāqib", field_evidence={"location": (21, 28)})
    assert field_verdicts(gold, other_name, TEXT)["location"] is True


def test_evaluation_articles_uses_the_aliases_it_is_given():
    gold = gold_event(actor1="Jabhat Fateh al-Sham")
    event = make_event(field_evidence={})
    aliases = {"Hayat Tahrir al-Sham": ("HTS", "Jabhat Fateh al-Sham")}
    assert field_verdicts(gold, event, TEXT)["actor1"] is False
    assert field_verdicts(gold, event, TEXT, lambda name: aliases.get(name, ()))["actor1"] is True


@pytest.mark.parametrize(
    ("gold", "changes", "exact", "within"),
    [
        (dt.date(2018, 5, 7), {}, True, True),  # the day
        (dt.date(2018, 5, 6), {}, False, False),  # a day off at day precision
        (dt.date(2018, 5, 5), {"time_precision": TimePrecision.WEEK}, False, True),  # the week around the 7th
        (dt.date(2018, 5, 3), {"time_precision": TimePrecision.WEEK}, False, False),
        # no usable date: the publication date is the upper bound of the 30 days before it
        (dt.date(2018, 4, 20), {"time_precision": TimePrecision.MONTH, "date_basis": DateBasis.PUBLICATION},
         False, True),
        (dt.date(2018, 5, 8), {"time_precision": TimePrecision.MONTH, "date_basis": DateBasis.PUBLICATION},
         False, False),  # after the publication date
        (dt.date(2018, 5, 28), {"time_precision": TimePrecision.MONTH, "date_basis": DateBasis.EXPLICIT},
         False, True),  # "in May"
        (dt.date(2018, 11, 2), {"time_precision": TimePrecision.MONTH, "date_basis": DateBasis.YEAR},
         False, True),  # "in 2018"
        (dt.date(2018, 5, 7), {"event_date": None, "time_precision": None, "date_basis": DateBasis.UNDATED},
         False, False),
    ],
)
def test_evaluation_articles_date_within_its_precision(gold, changes, exact, within):
    verdicts = field_verdicts(gold_event(date=gold), make_event(**changes), TEXT)
    assert (verdicts["date"], verdicts["date_in_precision"]) == (exact, within)


def test_evaluation_articles_field_scores_count_not_scored_dates():
    gold = gold_article(gold_event(), gold_event(evidence=SECOND, date=None))
    score = score_article(gold, [make_event(), in_second_sentence(event_id="FP2")])
    dates = {f.name: f for f in summarise([score]).fields}["date"]
    assert (dates.correct, dates.scored, dates.not_scored) == (1, 1, 1)


# -- reading the gold file ----------------------------------------------------------------------------


def gold_line(**changes: object) -> str:
    event = {
        "evidence": [0, 39],
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actor1": "HTS",
        "actor2": None,
        "location": "Saraqib",
        "latitude": SARAQIB[0],
        "longitude": SARAQIB[1],
        "date": "2018-05-07",
        "fatalities": None,
        "also": [[40, 80]],
    }
    article: dict[str, object] = {"id": "a1", "published": "2018-05-08", "text": TEXT, "events": [event]}
    for key, value in changes.items():
        if key.startswith("event_"):
            name = key.removeprefix("event_")
            if value is ...:
                del event[name]
            else:
                event[name] = value
        elif value is ...:
            del article[key]
        else:
            article[key] = value
    return json.dumps(article)


def test_evaluation_articles_reads_a_gold_line(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_line() + "\n\n" + gold_line(id="a2", events=[]) + "\n", encoding="utf-8")
    first, second = read_gold(path)
    assert isinstance(first, GoldArticle) and isinstance(second, GoldArticle)
    assert first.published == dt.date(2018, 5, 8)
    assert first.events == (gold_event(also=(SECOND,)),)
    assert (second.id, second.events) == ("a2", ())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "expected a JSON object"),
        (gold_line(text=...), "missing field(s) text"),
        (gold_line(event_fatalities=...), "event 1: missing field(s) fatalities"),
        (gold_line(event_evidence=[0, 500]), "evidence [0, 500] is not a span of the text"),
        (gold_line(event_also=[[70, 90]]), "also [70, 90] is not a span of the text"),
        (gold_line(event_evidence=[10, 5]), "is not a span"),
        (gold_line(event_evidence="0-39"), "is not a [start, end] pair"),
        (gold_line(event_sub_event_type="Bombing"), "'Bombing' is not an ACLED sub-event type"),
        (gold_line(event_event_type="Battles"), "does not fit sub_event_type"),
        (gold_line(event_date="7 May 2018"), "date '7 May 2018' is not a date"),
        (gold_line(published="2018-5-8"), "published '2018-5-8' is not a date"),
        (gold_line(event_latitude=None), "latitude and longitude must both be given"),
        (gold_line(event_latitude=135.0), "latitude 135.0 is not a number"),
        (gold_line(event_fatalities=-1), "fatalities -1 is not a count"),
        (gold_line(event_actor1=""), "actor1 '' is not a non-empty string or null"),
        (gold_line(events=None), "events None is not a list"),
        (gold_line(id=7), "id 7 is not a non-empty string"),
    ],
)
def test_evaluation_articles_bad_line_is_named_and_the_next_one_read(tmp_path, line, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{gold_line(id='ok1')}\n{line}\n{gold_line(id='ok2')}\n", encoding="utf-8")
    items = list(read_gold(path))
    assert [type(i) for i in items] == [GoldArticle, InputError, GoldArticle]
    error = items[1]
    assert isinstance(error, InputError)
    assert error.where.startswith(f"{path}:2")
    assert message in str(error)


def test_evaluation_articles_repeated_id_and_undecodable_line_are_skipped(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(f"{gold_line()}\n{gold_line()}\n".encode() + b'{"id": "\xff"}\n')
    items = list(read_gold(path))
    assert isinstance(items[0], GoldArticle)
    assert [str(i) for i in items[1:]] == [
        f"{path}:2: id 'a1' was used by an earlier line; ids must be unique",
        f"{path}:3: not UTF-8 text",
    ]


def test_evaluation_articles_limit_counts_lines_read(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join([gold_line(id="a"), "", "oops", gold_line(id="b")]), encoding="utf-8")
    assert [getattr(i, "id", None) for i in read_gold(path, limit=2)] == ["a", None]


class FakeCoder:
    """Codes every article as the two hand-built events of tests.helpers (one of them hypothetical)."""

    def __init__(self, *_: object, **__: object) -> None:
        pass

    def pipe(self, articles):
        for article in articles:
            events = (
                make_event(article_id=article.id),
                make_event(article_id=article.id, event_id="FP9", modality=Modality.HYPOTHETICAL),
            )
            yield ArticleState(article=article, events=events)


def test_evaluation_articles_evaluate_skips_bad_lines_and_scores_the_rest(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join([gold_line(), "{", gold_line(id="empty", events=[]), gold_line(id="a1")]), encoding="utf-8"
    )
    skipped: list[InputError] = []
    report = evaluate(path, FakeCoder(), on_skip=skipped.append, aliases=lambda _: ())
    assert [e.where for e in skipped] == [f"{path}:2", f"{path}:4"]
    assert report.skipped == 2
    rows = [(a.id, a.gold, a.predicted, a.matched) for a in report.articles]
    assert rows == [("a1", 1, 1, 1), ("empty", 0, 1, 0)]
    assert (report.tp, report.fp, report.fn) == (1, 1, 0)


def test_evaluation_articles_evaluate_skips_an_article_over_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASHPOINT_MAX_ARTICLE_CHARS", "50")
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_line(), encoding="utf-8")
    skipped: list[InputError] = []
    report = evaluate(path, FakeCoder(), on_skip=skipped.append, aliases=lambda _: ())
    assert report.articles == () and report.skipped == 1
    assert "over the limit" in str(skipped[0])


# -- the command --------------------------------------------------------------------------------------


def test_evaluation_articles_cli_reports_skipped_lines_and_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr("flashpoint.coder.Coder", FakeCoder)
    path = tmp_path / "gold.jsonl"
    path.write_text(f"{gold_line()}\n{{oops\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "articles", str(path), "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"skipped: {path}:2: malformed JSON" in result.stderr
    assert "1 line(s) skipped" in result.stderr
    article, summary = (json.loads(line) for line in result.stdout.splitlines())
    assert article["article"] == "a1" and article["matched"] == 1
    assert article["matches"][0]["fields"]["date"] is True
    assert summary["summary"]["skipped"] == 1
    assert summary["summary"]["fields"]["sub_event_type"] == {"correct": 1, "scored": 1, "not_scored": 0}


def test_evaluation_articles_cli_table_exits_0_when_every_line_scored(tmp_path, monkeypatch):
    monkeypatch.setattr("flashpoint.coder.Coder", FakeCoder)
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_line() + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "articles", str(path)])
    assert result.exit_code == 0, result.output
    assert "precision 1.000  recall 1.000  F1 1.000" in result.stdout
    assert "Field accuracy" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format 'xml': use table or jsonl"),
        (["--limit", "0"], "--limit"),
    ],
)
def test_evaluation_articles_cli_usage_errors_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.setattr("flashpoint.coder.Coder", FakeCoder)
    path = tmp_path / "gold.jsonl"
    path.write_text(gold_line() + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "articles", str(path), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_evaluation_articles_cli_missing_file_exits_2(tmp_path, monkeypatch):
    monkeypatch.setattr("flashpoint.coder.Coder", FakeCoder)
    result = runner.invoke(app, ["evaluate", "articles", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "cannot read file" in result.stderr


# An invented report: a shelling, an arrest, and a sentence that reports no event.
REPORT = (
    "Government artillery shelled the village of Kafr Nabl in Idlib province on Sunday, killing two farmers, "
    "a local council said. Police arrested a schoolteacher in Damascus on Monday after he criticised power "
    "cuts online. The council said the road to the village would be repaired within a month."
)
SHELLING = (0, REPORT.index(" Police"))
ARREST = (SHELLING[1] + 1, REPORT.index(" The council"))
QUIET = (ARREST[1] + 1, len(REPORT))


@pytest.mark.slow
def test_evaluation_articles_cli_codes_an_invented_article(tmp_path):
    def event(span, event_type, sub, location, lat, lon, date, fatalities, actor1=None):
        return {
            "evidence": list(span), "event_type": event_type, "sub_event_type": sub, "actor1": actor1,
            "actor2": None, "location": location, "latitude": lat, "longitude": lon, "date": date,
            "fatalities": fatalities,
        }

    events = [
        event(SHELLING, "Explosions/Remote violence", "Shelling/artillery/missile attack", "Kafr Nabl",
              35.613, 36.561, "2018-05-06", 2),
        event(ARREST, "Strategic developments", "Arrests", "Damascus", 33.5102, 36.2913, "2018-05-07", None,
              actor1="Police"),
        # nothing like it is told anywhere: a protest in Paris, in the sentence about a road
        event(QUIET, "Protests", "Peaceful protest", "Paris", 48.8534, 2.3488, "2018-05-07", None),
    ]
    lines = [
        {"id": "report", "published": "2018-05-08", "text": REPORT, "events": events},
        {"id": "nothing", "published": None, "text": "The orchestra played to a full hall.", "events": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "articles", str(path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    report, nothing, summary = (json.loads(line) for line in result.stdout.splitlines())
    assert set(report) == {"article", "gold", "predicted", "matched", "matches", "false_positives",
                           "false_negatives"}
    assert (report["article"], report["gold"]) == ("report", 3)
    assert (nothing["article"], nothing["gold"], nothing["matched"]) == ("nothing", 0, 0)
    assert 2 in report["false_negatives"]  # the protest in Paris
    shelling = next(m for m in report["matches"] if m["gold"] == 0)  # a plain shelling sentence
    assert shelling["by"] == "sentence"
    assert shelling["fields"]["sub_event_type"] is True
    assert set(shelling["fields"]) == {"sub_event_type", "actor1", "actor2", "location", "date", "date_in_precision",
                                       "fatalities"}
    totals = summary["summary"]
    assert (totals["articles"], totals["skipped"], totals["fn"]) == (2, 0, 3 - report["matched"])
    assert totals["recall"] <= round(2 / 3, 4)
    assert totals["precision"] == round(report["matched"] / (report["predicted"] + nothing["predicted"]), 4)


def test_evaluation_articles_the_documented_examples_parse():
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "article-gold.md").read_text(encoding="utf-8")
    blocks = [json.loads(b.split("```")[0]) for b in doc.split("```json\n")[1:]]
    articles = [parse_article(json.dumps(b), f"docs example {n}") for n, b in enumerate(blocks, start=1)]
    assert [(a.id, len(a.events)) for a in articles] == [("example-1", 2), ("example-2", 0)]
    shelling = articles[0].events[0]
    assert articles[0].text[slice(*shelling.evidence)].endswith("a rescue group said.")
    assert articles[0].text[slice(*shelling.also[0])].startswith("The shelling")
