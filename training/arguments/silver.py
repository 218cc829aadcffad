"""Silver argument examples from ACLED's event notes (``/work/shared/train/acled-notes.csv``).

Each note is read through flashpoint's NLP and actor stages as ``extract.py`` reads the corpus. The
event sentence is the note's first sentence with a word that starts with a prefilter stem (else its
first sentence); its trigger is ``extract.trigger``'s fallback (no sentence-model trigger words), its
type the note's ``sub_event_type``. The silver actor1/actor2 are the actor mentions of that sentence (and
of the one before) whose resolved actor matches the row's ``actor1``/``actor2`` column (:func:`keys`).

ACLED rows are internal training material: the examples hold note text and are cached under /tmp only,
never in the repository. Only the weights trained from them ship.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract import EventExample, _stems, log, trigger

from flashpoint.records import ActorMention

Span = tuple[int, int]
_DATED = re.compile(r"\s*\((?:\d{4})?\s*-\s*(?:\d{4})?\)\s*")  # " (2000-2024)", "(2022-)"
_PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")
_STATE = re.compile(r"^(?:military forces|police forces|government) of (?:the )?(.+)$")
_FORCES = "forces of any country: "  # a weak key: the state institution, whatever its country
_GENERIC = ("protesters", "rioters", "civilians", "unidentified armed group", "unidentified communal militia")


@dataclass(frozen=True, slots=True)
class SilverExample(EventExample):
    """An ACLED note read as one event: every mention matching a column is a right answer for its role;
    ``has1``/``has2`` say whether the column names an actor at all (a named but unmatched actor is
    unreachable, like a corpus span no candidate covers)."""

    spans1: tuple[Span, ...]
    spans2: tuple[Span, ...]
    has1: bool
    has2: bool


def norm(name: str) -> str:
    """Case-folded, without punctuation, "the" and dated suffixes."""
    name = _DATED.sub(" ", name).casefold().replace("'", "").replace("’", "")
    words = re.sub(r"[^\w]+", " ", name).split()
    return " ".join(w for w in words if w != "the")


def keys(column: str) -> tuple[set[str], set[str]]:
    """The names a column's actor goes by: (exact names, weaker names). Exact: the whole name without its
    dates, each side of "X: Y", each actor of "A and/or B"; weaker: a faction's parent ("Military Forces of
    Libya (2016-) Government of National Accord": both halves), a generic actor without its country
    ("Protesters (Kenya)": "protesters"), the country of a state actor ("Military Forces of Israel": the
    mention "Israel" or "Government of Israel")."""
    exact: set[str] = set()
    weak: set[str] = set()
    for part in re.split(r"\s+and/or\s+", column.strip()):
        if not part:
            continue
        dated = _DATED.search(part)
        exact.add(norm(part))
        if dated is not None and dated.end() < len(part):  # a faction after the dates
            weak.update({norm(part[: dated.start()]), norm(part[dated.end():])})
        if ":" in part:
            exact.update(norm(p) for p in part.split(":", 1))
            weak.update(norm(_PAREN.sub("", p)) for p in part.split(":", 1))  # "X (faction)": X
        if " - " in part:  # "Boko Haram - Jamaatu Ahli ...": either name
            weak.update(norm(p) for p in part.split(" - ", 1))
        bare = _PAREN.sub("", _DATED.sub(" ", part)).strip()
        if norm(bare).startswith(_GENERIC):
            weak.add(norm(bare))
        state = _STATE.match(norm(part[: dated.start()] if dated is not None else bare))
        if state:
            weak.update({state.group(1), f"government of {state.group(1)}"})
            weak.add(_FORCES + state.group(0).split(" of ", 1)[0])
    exact.discard("")
    return exact, weak - exact - {""}


def match(mention: ActorMention, column: tuple[set[str], set[str]]) -> int:
    """2 when the mention's actor (name or alias) is the column's actor, 1 for a weaker match, else 0."""
    names = {norm(mention.actor.name), *(norm(a) for a in mention.actor.aliases)}
    exact, weak = column
    if names & exact:
        return 2
    if mention.via == "role":  # "police": the institution is right, its country only the resolver's guess
        state = _STATE.match(norm(mention.actor.name))
        if state and _FORCES + state.group(0).split(" of ", 1)[0] in weak:
            return 1
    bare = {_PAREN.sub("", n).strip() for n in names} | {norm(_PAREN.sub("", mention.actor.name))}
    return 1 if (names | bare) & weak else 0


def silver_spans(mentions: Sequence[ActorMention], col1: str, col2: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """The mentions matching each column; a mention matching both goes to the better match (neither on a
    tie). The same actor in both columns teaches nothing about actor2 (it never repeats actor1)."""
    if col2 and norm(col1) == norm(col2):
        col2 = ""
    k1, k2 = keys(col1), keys(col2)
    one: list[Span] = []
    two: list[Span] = []
    for m in mentions:
        a = match(m, k1) if col1 else 0
        b = match(m, k2) if col2 else 0
        if a > b:
            one.append((m.start, m.end))
        elif b > a:
            two.append((m.start, m.end))
    return tuple(one), tuple(two)


_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%d-%m-%y")


def event_date(text: str) -> dt.date | None:
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read_notes(path: Path, seed: int = 0) -> list[dict[str, str]]:
    """Every note with an actor1, in a random order (``seed``)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["notes"].strip() and r["actor1"].strip()]
    random.Random(seed).shuffle(rows)
    return rows


Reading = tuple[EventExample, str, str]  # a note's event sentence as the pipeline reads it; actor1, actor2 columns


def readings(rows: Sequence[dict[str, str]]) -> list[Reading]:
    """The pipeline's reading of each note's event sentence, with the row's actor columns."""
    from flashpoint.actors import ActorStage
    from flashpoint.events.roles import article_country
    from flashpoint.nlp import NlpStage
    from flashpoint.nlp.model import SpacyModel
    from flashpoint.pipeline import ArticleState
    from flashpoint.records import Article

    stems = _stems()
    nlp, actors = NlpStage(SpacyModel(ner_everywhere=False)), ActorStage()
    out: list[Reading] = []
    states = nlp.pipe(ArticleState(Article(r["event_id_cnty"], r["notes"], event_date(r["event_date"]))) for r in rows)
    for n, (r, state) in enumerate(zip(rows, states, strict=True)):
        if n % 1000 == 0:
            log(f"{n}/{len(rows)} notes")
        state = actors(state)
        if not state.sentences:
            continue
        sentence = next((s for s in state.sentences if any(
            stems.match(t.text.lower()) for t in state.sentence_tokens(s.index) if t.pos in ("VERB", "NOUN"))),
            state.sentences[0])
        tokens = state.sentence_tokens(sentence.index)
        mine = tuple(m for m in state.actor_mentions if m.sentence == sentence.index)
        before = tuple(m for m in state.actor_mentions if m.sentence == sentence.index - 1)
        out.append((EventExample(
            "acled", r["event_id_cnty"], False, r["sub_event_type"], sentence, tokens, mine, before,
            trigger(None, stems, r["sub_event_type"], sentence, tokens), article_country(state.actor_mentions),
            state.article.published, None, None), r["actor1"].strip(), r["actor2"].strip()))
    return out


def label(reading: Reading) -> SilverExample | None:
    """The note as a silver example, or None when neither column matched a mention."""
    e, col1, col2 = reading
    one, two = silver_spans(e.mentions + e.context, col1, col2)
    if not one and not two:
        return None
    return SilverExample(e.source, e.doc, e.dev, e.sub_event_type, e.sentence, e.tokens, e.mentions, e.context,
                         e.trigger, e.country, e.published, one[0] if one else None, two[0] if two else None, one,
                         two, bool(col1), bool(col2))


def sample(found: Sequence[Reading], n: int, per_type: int) -> list[Reading]:
    """The first ``n`` readings (the notes are in a random order), at most ``per_type`` of one sub-event type
    (0: no limit)."""
    taken: Counter[str] = Counter()
    out: list[Reading] = []
    for reading in found:
        if len(out) >= n:
            break
        if not per_type or taken[reading[0].sub_event_type] < per_type:
            taken[reading[0].sub_event_type] += 1
            out.append(reading)
    return out


def load(cache: Path, path: Path, n: int, per_type: int) -> tuple[list[SilverExample], Counter[str]]:
    """``n`` silver examples (:func:`sample`) and the match counts. The pipeline's readings of every note
    come from ``cache`` when it exists (it holds note text: keep it under /tmp)."""
    import pickle

    if cache.exists():
        with open(cache, "rb") as f:
            found: list[Reading] = pickle.load(f)
    else:
        found = readings(read_notes(path))
        with open(cache, "wb") as f:
            pickle.dump(found, f)
    counts: Counter[str] = Counter()
    out = []
    for reading in sample(found, n, per_type):
        ex = label(reading)
        counts["notes"] += 1
        counts["actor2 column"] += bool(reading[2])
        counts["actor1 matched"] += ex is not None and bool(ex.spans1)
        counts["actor2 matched"] += ex is not None and bool(ex.spans2)
        counts["kept"] += ex is not None
        if ex is not None:
            out.append(ex)
    return out, counts
