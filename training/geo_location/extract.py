"""Read Halterman's event-location sentences through flashpoint's pipeline up to geo and keep, per
accepted item, what the geo stage's step 1 sees: the sentences, tokens, named-entity and actor mentions and the
geoparser's detected and resolved place mentions, with the trigger (the VERB span) and the LOCATION spans.

Used by ``train.py``, which keeps the records in a cache file (``--cache``, under /tmp): they hold the
sentences' text, so they stay out of the repository. Every sentence is parsed and gets named entities
(``parse_filter=None``), as the coder does for the sentences it codes.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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
