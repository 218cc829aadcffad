"""Read Halterman's event-location sentences, and the event lines of the labelled corpus's whole
articles, through flashpoint's pipeline up to geo and keep, per item, what the geo stage's step 1 sees:
the sentences, tokens, named-entity and actor mentions and the geoparser's detected and resolved place
mentions, with the trigger and the gold location spans (Halterman's VERB and LOCATION spans; for a
corpus event line, the events stage's trigger for its sub-event type and the annotated ``location``,
which the guide takes from the nearest sentence that gives it when the event's own does not).

Used by ``train.py``, which keeps the records in a cache file (``--cache``, under /tmp): they hold the
sentences' text, so they stay out of the repository. Every sentence is parsed and gets named entities
(``parse_filter=None``), as the coder does for the sentences it codes.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flashpoint.events.corpus import WHOLE_ARTICLES, LabelledDocument, is_dev
from flashpoint.geo.detect import Detected
from flashpoint.geo.resolve import Resolved
from flashpoint.records import ActorMention, Mention, Sentence, Token


@dataclass(frozen=True, slots=True)
class Item:
    """One accepted item: its text, the trigger, the gold LOCATION spans and the pipeline's reading."""

    text: str
    trigger: tuple[int, int]
    locations: tuple[tuple[int, int], ...]
    sentences: tuple[Sentence, ...]
    tokens: tuple[Token, ...]
    mentions: tuple[Mention, ...]
    actor_mentions: tuple[ActorMention, ...]
    found: tuple[Detected, ...]
    resolved: tuple[Resolved, ...]
    source: str = "els"  # "els": Halterman's set; else the corpus source of a whole article
    doc: str = ""  # the corpus document (folds and the article-level check go by document)
    sentence: int | None = None  # the event's sentence, for a corpus line (else the trigger's)


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def read_items(path: Path) -> list[dict]:
    """The accepted items with one VERB span (``labeled_text.jsonl`` inside the zip is one JSON array)."""
    with zipfile.ZipFile(path) as z:
        data = json.loads(z.read("labeled_text.jsonl"))
    out = []
    for x in data:
        if x.get("answer") != "accept":
            continue
        verbs = [s for s in x.get("spans") or () if s["label"] == "VERB"]
        if verbs:
            out.append(x)
    return out


def read(items: Sequence[dict]) -> list[Item]:
    """Each distinct text through the NLP and actor stages and the geo stage's geoparser, once."""
    from flashpoint.actors import ActorStage
    from flashpoint.geo.stage import GeoStage
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel
    from flashpoint.pipeline import ArticleState
    from flashpoint.records import Article

    texts = list(dict.fromkeys(x["text"] for x in items))
    nlp, actors, geoparser = NlpStage(SpacyModel(ner_everywhere=False)), ActorStage(), GeoStage().geoparser
    read_of = {}
    states = nlp.pipe(ArticleState(Article(f"els{n}", t)) for n, t in enumerate(texts))
    for n, (text, state) in enumerate(zip(texts, states, strict=True)):
        if n % 250 == 0:
            log(f"{n}/{len(texts)} texts")
        state = actors(state)
        found, resolved = geoparser.resolve_detected(text, state.sentences, state.mentions, state.actor_mentions)
        read_of[text] = (state.sentences, state.tokens, state.mentions, state.actor_mentions, tuple(found), tuple(resolved))
    out = []
    for x in items:
        verb = next(s for s in x["spans"] if s["label"] == "VERB")
        locs = tuple((int(s["start"]), int(s["end"])) for s in x["spans"] if s["label"] == "LOCATION")
        out.append(Item(x["text"], (int(verb["start"]), int(verb["end"])), locs, *read_of[x["text"]]))
    return out


def read_corpus(docs: Sequence[LabelledDocument]) -> list[Item]:
    """One item per ``event`` line of the corpus's whole articles outside the article-level dev gold
    (``corpus.is_dev``), read as the coder reads an article: the whole text through the NLP, actor and
    geoparsing stages. An event without a ``location`` keeps no span: its text names no place for it."""
    spec = importlib.util.spec_from_file_location(  # the argument model's reader, whose trigger rule this shares
        "arguments_extract", Path(__file__).resolve().parents[1] / "arguments" / "extract.py")
    assert spec is not None and spec.loader is not None
    arguments = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(arguments)
    from flashpoint.actors import ActorStage
    from flashpoint.geo.stage import GeoStage
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel
    from flashpoint.pipeline import ArticleState
    from flashpoint.records import Article

    wanted = [d for d in docs if d.source in WHOLE_ARTICLES and not is_dev(d.source, d.doc)
              and any(x["reason"] == "event" for lines in d.labels for x in lines)]
    words_of, stems = arguments.trigger_words(), arguments._stems()
    nlp, actors, geoparser = NlpStage(SpacyModel(ner_everywhere=False)), ActorStage(), GeoStage().geoparser
    out: list[Item] = []
    states = nlp.pipe(ArticleState(Article(d.doc, d.text)) for d in wanted)
    for n, (d, state) in enumerate(zip(wanted, states, strict=True)):
        if n % 50 == 0:
            log(f"{n}/{len(wanted)} corpus articles")
        state = actors(state)
        found, resolved = geoparser.resolve_detected(d.text, state.sentences, state.mentions, state.actor_mentions)
        for (a, _b), lines in zip(d.sentences, d.labels, strict=True):
            sentence = next((s for s in state.sentences if s.start <= a < s.end), None)
            if sentence is None:
                continue
            for x in lines:
                if x["reason"] != "event":
                    continue
                span = (x.get("args") or {}).get("location")
                where = arguments.trigger(words_of, stems, x["label"], sentence, state.sentence_tokens(sentence.index))
                out.append(Item(d.text, where, ((int(span[0]), int(span[1])),) if span else (), state.sentences,
                                state.tokens, state.mentions, state.actor_mentions, tuple(found), tuple(resolved),
                                d.source, d.doc, sentence.index))
    return out
