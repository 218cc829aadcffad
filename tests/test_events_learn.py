"""Training examples (ACLED notes, written sentences, the corpus) and the trigger words the model keeps."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flashpoint.errors import InputError
from flashpoint.events import finetune, learn
from flashpoint.events.corpus import EVENT, NONE

_ACLED = """event_id_cnty,event_date,event_type,sub_event_type,actor1,inter1,notes
KEN1,9-May-19,Protests,Peaceful protest,Protesters (Kenya),6,"On 9 May 2019, teachers marched in Nairobi to demand pay. [size=no report]"
KEN2,2022-05-23,Battles,Armed clash,Al Shabaab,2,"On 23 May 2022, KDF soldiers clashed with Al Shabaab militants near Mandera."
"""


def test_acled_notes_are_current_events_in_news_prose(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text(_ACLED, encoding="utf-8")
    notes = learn.from_acled(path, cap=10)
    assert [(e.kind, e.reason, e.event, e.source) for e in notes] == [
        ("Armed clash", EVENT, "Armed clash", "acled"), ("Peaceful protest", EVENT, "Peaceful protest", "acled")]
    assert notes[1].text == "Teachers marched in Nairobi to demand pay."  # date lead and coder remark gone


def test_acled_unknown_sub_event_type_is_named(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text("notes,event_type,sub_event_type\nsomething,Battles,Bar fight\n", encoding="utf-8")
    with pytest.raises(InputError, match="Bar fight"):
        learn.from_acled(path, cap=10)


def test_written_sentences_give_their_modality_as_reason(tmp_path: Path) -> None:
    (tmp_path / "w.tsv").write_text(
        "label\tmodality\ttext\n"
        "Armed clash\tasserted\tSoldiers and rebels fought near Goma.\n"
        "Armed clash\tthreatened\tThe rebels vowed to storm Goma.\n"
        "Air/drone strike\thypothetical\tThe air force may bomb the camps next week.\n"
        "NONE:disaster\tasserted\tA cyclone flattened fishing villages.\n", encoding="utf-8")
    got = [(e.kind, e.reason, e.event) for e in learn.from_written(tmp_path)]
    assert got == [("Armed clash", EVENT, "Armed clash"), ("Armed clash", "threat", NONE),
                   ("Air/drone strike", "plan", NONE), (NONE, "offtopic", NONE)]
    assert learn.from_written(tmp_path / "w.tsv") == learn.from_written(tmp_path)  # a file or a folder


def test_trigger_words_mark_their_type_against_none() -> None:
    data = [learn.Example(t, "Arrests", EVENT, "written") for t in
            ("Police arrested three men.", "Police arrested a journalist.", "Officers arrested two students.")]
    data += [learn.Example(t, NONE, "offtopic", "written") for t in
             ("Police said the road was closed.", "The minister said talks went well.", "Three men won prizes.")]
    words = finetune.trigger_words(data, min_count=2)["Arrests"]
    assert max(words, key=words.__getitem__) == "arrested"
    assert "police" not in words or words["police"] < words["arrested"]


def test_acled_caps_keep_every_written_and_corpus_example() -> None:
    data = [learn.Example(f"note {n}", "Attack", EVENT, "acled") for n in range(10)]
    data += [learn.Example(f"corpus {n}", NONE, "offtopic", "corpus") for n in range(10)]
    kept = finetune.sqrt_balanced(data, cap=3)
    assert sum(e.source == "acled" for e in kept) == 3 and sum(e.source == "corpus" for e in kept) == 10


@pytest.mark.skipif(importlib.util.find_spec("torch") is not None, reason="torch is installed here")
def test_train_without_the_train_extra_says_what_to_install(tmp_path: Path) -> None:
    from flashpoint.cli.app import app

    path = tmp_path / "acled.csv"
    path.write_text(_ACLED, encoding="utf-8")
    result = CliRunner().invoke(app, ["train", "--acled", str(path), "--out", str(tmp_path / "m.npz")])
    assert result.exit_code == 2 and "flashpoint[train]" in result.output


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs the train extra (torch)")
def test_train_fine_tunes_a_model_the_stage_uses(tmp_path: Path) -> None:
    from flashpoint.cli.app import app
    from flashpoint.events.sentence_model import SentenceModel

    examples = tmp_path / "written.tsv"
    rows = [("Peaceful protest", f"Hundreds of {w} marched to demand pay.") for w in
            ("nurses", "teachers", "farmers", "students", "drivers", "miners")]
    rows += [("NONE:sport", f"The {w} won the cup final on Sunday.") for w in
             ("team", "club", "side", "champions", "visitors", "hosts")]
    examples.write_text("label\tmodality\ttext\n" + "".join(f"{a}\tasserted\t{b}\n" for a, b in rows),
                        encoding="utf-8")
    out = tmp_path / "model.npz"
    result = CliRunner().invoke(app, ["train", "--examples", str(examples), "--out", str(out), "--epochs", "8"])
    assert result.exit_code == 0, result.output
    model = SentenceModel.load(out)
    assert not model.reads_lead  # written sentences only, each read alone: so it reads at run time
    protest, sport = model.read(["Hundreds of cooks marched to demand pay.", "The club won the cup final."])
    assert protest.label == "Peaceful protest" and sport.label == NONE


def _reviewed_store(tmp_path: Path) -> str:
    """A store of four events over four articles, three of them reviewed: confirmed, corrected, rejected."""
    from flashpoint.records import Evidence
    from flashpoint.store import open_store
    from tests.helpers import make_event, make_state

    url = f"sqlite:///{tmp_path / 'reviews.db'}"
    store = open_store(url, merge_reports=False)
    texts = {"a1": "Rebels shelled the town of Saraqib on Monday.", "a2": "Hundreds marched in Idlib against the rebels.",
             "a3": "The club won the cup final on Sunday.", "a4": "Rebels shelled the village of Kafr Nabl."}
    for n, (aid, text) in enumerate(texts.items(), start=1):
        event = make_event(aid, f"FP{n}", evidence=Evidence(aid, text, 0, len(text)), field_evidence={})
        store.add_state(make_state(aid, text, (event,)))
    store.review("FP1", "confirm", by="ana")
    store.review("FP2", "correct", fields={"sub_event_type": "Peaceful protest"}, by="ana")
    store.review("FP3", "reject", by="ana")
    store.close()
    return url


def test_reviews_teach_their_evidence_sentences(tmp_path: Path) -> None:
    got = {e.text: (e.kind, e.reason, e.event) for e in learn.from_reviews(_reviewed_store(tmp_path))}
    assert got == {
        "Rebels shelled the town of Saraqib on Monday.": ("Shelling/artillery/missile attack", EVENT,
                                                          "Shelling/artillery/missile attack"),
        "Hundreds marched in Idlib against the rebels.": ("Peaceful protest", EVENT, "Peaceful protest"),
        "The club won the cup final on Sunday.": (NONE, learn.REJECTED, NONE),
    }  # the unreviewed event teaches nothing


def test_reviews_from_a_database_that_is_not_there_are_refused(tmp_path: Path) -> None:
    missing = f"sqlite:///{tmp_path / 'nope.db'}"
    with pytest.raises(InputError, match=r"nope\.db"):
        learn.from_reviews(missing)
    assert not (tmp_path / "nope.db").exists()


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs the train extra (torch)")
def test_train_from_reviews_learns_a_rejected_sentence_is_no_event(tmp_path: Path) -> None:
    from flashpoint.cli.app import app
    from flashpoint.events.sentence_model import SentenceModel

    examples = tmp_path / "written.tsv"
    rows = [("Shelling/artillery/missile attack", f"Rebels shelled the {w} of Saraqib on Monday.") for w in
            ("town", "city", "suburbs", "outskirts", "centre", "market")]
    rows += [("NONE:sport", f"The {w} lost the league match on Sunday.") for w in ("team", "club", "side")]
    examples.write_text("label\tmodality\ttext\n" + "".join(f"{a}\tasserted\t{b}\n" for a, b in rows),
                        encoding="utf-8")
    out = tmp_path / "model.npz"
    result = CliRunner().invoke(app, ["train", "--examples", str(examples), "--from-reviews", _reviewed_store(tmp_path),
                                      "--out", str(out), "--epochs", "8"])
    assert result.exit_code == 0, result.output
    model = SentenceModel.load(out)
    shelling, cup = model.read(["Rebels shelled the town of Saraqib on Monday.", "The club won the cup final on Sunday."])
    assert shelling.label == "Shelling/artillery/missile attack" and cup.label == NONE


def test_corpus_sentences_after_the_first_are_learned_with_their_article_lead() -> None:
    from flashpoint.events.corpus import LabelledDocument
    from flashpoint.events.sentence_model import with_context

    text = "Gunmen attacked a bus near Jos. Police said two men were held."
    line = {"label": NONE, "reason": "offtopic"}
    article = LabelledDocument("wikinews", "wn-a", text, None, ((0, 31), (32, 62)), ((line,), (line,)))
    single = LabelledDocument("els", "els-b", "Police held two men.", None, ((0, 20),), ((line,),))
    got = [e.text for e in learn.from_corpus([article, single])]
    assert got == ["Gunmen attacked a bus near Jos.",
                   with_context("Police said two men were held.", "Gunmen attacked a bus near Jos."),
                   "Police held two men."]
