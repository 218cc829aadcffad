"""Who did what to whom, learned: a span-pair scorer picks actor1 and actor2 among an event sentence's
actor mentions, then ACLED's conventions apply.

Every actor mention of the event's sentence (and of the sentence before, for antecedents) is a
candidate. Each gets binary features read from the parse and from the actor: which side of the trigger
it stands on and how far, its rank among the candidates, the dependency path from its head token to the
trigger ("nsubj", "pobj:by>agent", "amod>nsubj" for "Chinese troops fired ..."), whether the verb is
passive, whether it sits inside a modifier clause, its inter code and kind, the lemma of a common-noun
head ("missiles"), and crosses of these with the event type. Per role, a conditional logit (trained by
``training/arguments/train.py`` on the labelled corpus, with ACLED event notes as down-weighted silver)
scores each candidate and the option "no candidate"; the best takes the role. actor2
is scored with pair features against the chosen actor1 (order, inter codes, one named inside the
other's phrase) and is never actor1's actor. The weights live in ``data/arguments.json``.

:func:`assign` returns a :class:`~flashpoint.events.roles.Roles`: after the model's choice, protesters,
rioters and civilians, a person standing for the group he leads and a transfer of territory's gaining
side follow ACLED's conventions (:func:`flashpoint.events.roles.conventions`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flashpoint.errors import ModelError
from flashpoint.events.roles import Roles, conventions
from flashpoint.model_files import model_text
from flashpoint.nlp.parse import ParseTree, is_parsed
from flashpoint.records import Actor, ActorMention, Token

ROLES = ("actor1", "actor2")
DEFAULT_MODEL = "arguments.json"
FORMAT = 1

_CLAUSES = {"relcl", "acl", "appos", "advcl", "ccomp", "conj", "xcomp", "parataxis"}
_PRONOUNS = {"it", "they", "its", "their", "he", "his", "she", "her", "them"}
_GENERIC_INTER = {5, 6, 7}  # rioters, protesters, civilians
_NP_INSIDE = {"compound", "amod", "poss", "nmod", "appos", "nummod", "flat"}
_SUBJECTS = {"nsubj", "nsubjpass"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One actor mention that may fill a role, with the names of its (binary) features."""

    mention: ActorMention
    features: tuple[str, ...]
    pairs: tuple[tuple[str, ...], ...] = ()  # per candidate j: this one's features as actor2 when j is actor1


# ---------------------------------------------------------------------------------------------- features


class _Tree(ParseTree):
    """One sentence's parse, with the relation reading the features use."""

    def rel(self, tok: Token) -> str:
        """The token's relation to its head, with the preposition for a prepositional object."""
        head = self.head(tok)
        if tok.dep == "pobj" and head is not None:
            return f"pobj:{head.lemma.lower() or head.text.lower()}"
        return tok.dep or "none"


def trigger_token(tokens: Sequence[Token], trigger: tuple[int, int]) -> Token | None:
    """The token at the trigger's start (or the first one after it)."""
    return next((t for t in tokens if t.start <= trigger[0] < t.end), None) or next(
        (t for t in tokens if t.start >= trigger[0]), None)


def clause_verb(tree: _Tree, trig: Token) -> Token:
    """The verb the trigger belongs to: the trigger itself, or a verb up to three heads above it."""
    verb = trig
    for _ in range(3):
        if verb.pos in ("VERB", "AUX"):
            return verb
        head = tree.head(verb)
        if head is None:
            break
        verb = head
    return verb if verb.pos in ("VERB", "AUX") else trig


def head_token(tree: _Tree, tokens: Sequence[Token], mention: ActorMention) -> Token | None:
    """The mention's syntactic head: its token whose head lies outside the mention (the last such)."""
    inside = [t for t in tokens if t.start < mention.end and mention.start < t.end]
    if not inside:
        return None
    span = {t.i for t in inside}
    heads = [t for t in inside if t.head == t.i or t.head not in span]
    return heads[-1] if heads else inside[-1]


def _bucket(n: int) -> str:
    for edge in (16, 9, 5, 3, 2, 1):
        if n >= edge:
            return str(edge)
    return "0"


def _side(mention: ActorMention, trig: Token) -> str:
    if mention.end <= trig.start:
        return "before"
    if mention.start >= trig.end:
        return "after"
    return "over"


def _parse_features(tree: _Tree, head: Token, trig: Token, verb: Token, shared: dict[int, str]) -> list[str]:
    """Relation, path to the trigger (up to the lowest common head), modifier clauses, passive voice."""
    up = tree.head(head)
    rel = tree.rel(head)
    out = [f"dep:{rel}", f"dep2:{rel}>{tree.rel(up) if up is not None else 'root'}"]
    trig_up = tree.ancestors(trig)
    where = {t.i: n for n, t in enumerate(trig_up)}
    path: list[str] = []
    lca: Token | None = None
    for t in tree.ancestors(head):
        if t.i in where:
            lca = t
            break
        path.append(tree.rel(t))
    out.append("hpath:" + (">".join(path[:3]) or "self"))
    if lca is not None:
        out.append(f"tlen:{min(where[lca.i], 3)}")
        out.append("lca:" + ("trigger" if lca is trig else "verb" if lca is verb else "other"))
        out.extend(f"tmod:{t.dep}" for t in trig_up[: where[lca.i]] if t.dep in ("relcl", "acl"))
    clauses = [d for d in dict.fromkeys(p.split(":")[0] for p in path) if d in _CLAUSES]
    out.extend(f"mod:{d}" for d in clauses)
    passive = any(c.dep in ("nsubjpass", "auxpass") for c in tree.kids(verb))
    if passive:
        out += ["passive", f"passive&{'m' if clauses else ''}dep:{rel}"]
    if trig.pos in ("NOUN", "PROPN"):
        out += ["trig:noun", f"trig:noun&dep2:{out[1][5:]}"]
    to_root = [tree.rel(t) for t in tree.ancestors(head)][:-1]
    out.append("rpath:" + (">".join(to_root[:2]) or "root"))
    return out + _phrase_features(tree, head, trig, verb, passive, shared)


def _phrase_features(tree: _Tree, head: Token, trig: Token, verb: Token, passive: bool,
                     shared: dict[int, str]) -> list[str]:
    """The role of the noun phrase the mention sits in ("Russian" in "Russian warplanes" stands in the
    subject; "X" in "the forces of X" too), and whether that phrase is an argument of the trigger's verb
    (a subject also of a verb in ``shared``: :func:`subject_heads`)."""
    np, inner = head, False
    while (up := tree.head(np)) is not None:
        rel = tree.rel(np)
        if rel in _NP_INSIDE:
            np, inner = up, True
        elif rel == "pobj:of" and up.dep == "prep" and (noun := tree.head(up)) is not None and noun.pos in (
                "NOUN", "PROPN"):
            np, inner = noun, True
        else:
            break
    role = tree.rel(np)
    governor = tree.head(np)
    if governor is not None and governor.dep in ("prep", "agent") and np.dep == "pobj":
        governor = tree.head(governor)
    out = [f"np:{role}"] + (["np:inner"] if inner else [])
    word = f"hword:{head.lemma.lower() or head.text.lower()}" if head.pos == "NOUN" else None
    if word is not None:
        out.append(word)
    if governor is not None and (governor.i in (verb.i, trig.i) or (governor.i in shared and role in _SUBJECTS)):
        voice = "passive" if passive else "active"
        out += [f"arg:{role}", f"arg:{role}&{voice}", f"arg:{role}&{'inner' if inner else 'head'}"]
        if word is not None:
            out.append(f"{word}&arg:{role}&{voice}")
        if governor.i in shared:
            out.append(f"arg:shared:{shared[governor.i]}")
    return out


def subject_heads(tree: _Tree, verb: Token) -> dict[int, str]:
    """The verbs whose subject is also the clause verb's, by the relation that links them: a verb with no
    subject of its own takes that of the verb it complements ("Turkey resumed shelling": xcomp) or is
    conjoined to ("jets struck the town and shelled the road": conj)."""
    out: dict[int, str] = {}
    tok = verb
    while tok.dep in ("xcomp", "conj") and not any(k.dep in _SUBJECTS for k in tree.kids(tok)):
        up = tree.head(tok)
        if up is None or up.i in out or up.pos not in ("VERB", "AUX"):  # root, or a cycle
            break
        out[up.i] = tok.dep
        tok = up
    return out


def _inter(actor: Actor) -> int:
    """The inter code as the shipped weights read it: 0 for an unknown one (None)."""
    return 0 if actor.inter is None else actor.inter


def _actor_features(mention: ActorMention) -> list[str]:
    actor = mention.actor
    out = [f"inter:{_inter(actor)}", f"kind:{actor.kind}", f"via:{mention.via}"]
    if actor.inter in _GENERIC_INTER:
        out.append("generic")
    if not actor.known:
        out.append("unknown")
    return out


def _order_features(mentions: Sequence[ActorMention], trig: Token) -> list[list[str]]:
    """Per mention: first/last/only in the sentence, and rank counted outwards from the trigger."""
    sides = [_side(m, trig) for m in mentions]
    before = [n for n, s in enumerate(sides) if s == "before"][::-1]
    after = [n for n, s in enumerate(sides) if s == "after"]
    out: list[list[str]] = [[] for _ in mentions]
    for side, order in (("before", before), ("after", after)):
        for rank, n in enumerate(order):
            out[n].append(f"rank:{side}:{min(rank, 2)}")
    if mentions:
        out[0].append("first")
        out[-1].append("last")
    if len(mentions) == 1:
        out[0].append("only")
    names = set()
    for n, m in enumerate(mentions):
        if m.actor.name in names:
            out[n].append("repeat")
        names.add(m.actor.name)
    return out


def _event_type(sub_event_type: str) -> str:
    from flashpoint.events import taxonomy

    try:
        return taxonomy.event_type_of(sub_event_type)
    except KeyError:
        return "unknown"


def _crossed(event_type: str, sub_event_type: str, base: Sequence[str]) -> list[str]:
    """The event type (and sub-event type) crossed with the features that mean different things in it."""
    keep = [f for f in base if f.startswith(("inter:", "kind:", "side:", "dep:", "hpath:", "generic", "passive&"))]
    return [f"ev={event_type}&{f}" for f in keep] + [
        f"sub={sub_event_type}&{f}" for f in keep if f.startswith(("inter:", "side:", "generic"))]


def candidates(sub_event_type: str, tokens: Sequence[Token], mentions: Sequence[ActorMention],
               trigger: tuple[int, int], context: Sequence[ActorMention] = ()) -> list[Candidate]:
    """The candidates of one event: the sentence's actor mentions, then the previous sentence's."""
    mentions = sorted(mentions, key=lambda m: m.start)
    trig = trigger_token(tokens, trigger)
    parsed = is_parsed(tokens)
    tree = _Tree(tokens)
    verb = clause_verb(tree, trig) if trig is not None and parsed else None
    shared = subject_heads(tree, verb) if verb is not None else {}  # verbs whose subject is the trigger's too
    order = _order_features(mentions, trig) if trig is not None else [[] for _ in mentions]
    event_type = _event_type(sub_event_type)
    out: list[Candidate] = []
    for mention, ranks in zip(mentions, order, strict=True):
        feats = [*_actor_features(mention), *ranks]
        head = head_token(tree, tokens, mention)
        if trig is not None:
            side = _side(mention, trig)
            feats.append(f"side:{side}")
            if head is not None:
                feats.append(f"dist:{side}:{_bucket(abs(head.i - trig.i))}")
        if verb is not None and trig is not None and head is not None:
            feats += _parse_features(tree, head, trig, verb, shared)
        elif not parsed:
            feats.append("noparse")
        out.append(Candidate(mention, tuple(dict.fromkeys([*feats, *_crossed(event_type, sub_event_type, feats)]))))
    out.extend(_context_candidates(tree, verb, mentions, context, event_type))
    heads = [head_token(tree, tokens, c.mention) if n < len(mentions) else None for n, c in enumerate(out)]
    return [Candidate(c.mention, c.features, tuple(_pair(tree, heads, out, i, j) for j in range(len(out))))
            for i, c in enumerate(out)]


def _pair(tree: _Tree, heads: Sequence[Token | None], cands: Sequence[Candidate], i: int, j: int) -> tuple[str, ...]:
    """Features of candidate ``i`` as actor2 when candidate ``j`` is actor1: order, inter codes, and whether
    one is named inside the other's phrase ("fighters from X", "X, the group that ...")."""
    a, b = cands[j].mention, cands[i].mention
    out = ["pair:" + ("a2_before" if b.start < a.start else "a2_after"), f"pair:inter{_inter(a.actor)}>{_inter(b.actor)}"]
    if a.actor.inter == b.actor.inter:
        out.append("pair:same_inter")
    ha, hb = heads[j], heads[i]
    if ha is None or hb is None:
        out.append("pair:ctx" if (ha is None) != (hb is None) else "pair:noparse")
        return tuple(out)
    up_b, up_a = tree.ancestors(hb), tree.ancestors(ha)
    if ha in up_b[1:]:
        out.append("pair:inside_a1:" + tree.rel(up_b[up_b.index(ha) - 1]))
    elif hb in up_a[1:]:
        out.append("pair:a1_inside:" + tree.rel(up_a[up_a.index(hb) - 1]))
    return tuple(out)


def _context_candidates(tree: _Tree, verb: Token | None, mentions: Sequence[ActorMention],
                        context: Sequence[ActorMention], event_type: str) -> list[Candidate]:
    """The previous sentence's mentions: antecedents when the clause's subject is a pronoun or missing."""
    subjects = [c for c in tree.kids(verb) if c.dep in ("nsubj", "nsubjpass")] if verb is not None else []
    pronoun = any(s.text.lower() in _PRONOUNS or any(
        k.dep == "poss" and k.text.lower() in _PRONOUNS for k in tree.kids(s)) for s in subjects)
    named = any(m.start <= s.start < m.end for s in subjects for m in mentions)
    situation = "pronoun" if pronoun else "named" if named else "nosubject" if not subjects else "other"
    out = []
    ordered = sorted(context, key=lambda m: m.start)
    for n, mention in enumerate(ordered):
        feats = ["ctx", f"ctx&{situation}", f"ctx&ev={event_type}", *(f"ctx&{f}" for f in _actor_features(mention))]
        if n == len(ordered) - 1:
            feats.append("ctx&last")
        out.append(Candidate(mention, tuple(feats)))
    return out


# ---------------------------------------------------------------------------------------------- the model


def null_features(sub_event_type: str, cands: Sequence[Candidate], agent: bool | None = None) -> tuple[str, ...]:
    """The features of "no candidate takes the role", scored against the candidates: the event type and
    how many actors the sentence names (for actor2, also whether there is an actor1)."""
    named = sum(1 for c in cands if "ctx" not in c.features)
    out = ["null", f"null&ev={_event_type(sub_event_type)}", f"null&sub={sub_event_type}", f"null&n:{min(named, 4)}"]
    if agent is not None:
        out.append("null&" + ("agent" if agent else "noagent"))
    return tuple(out)


def actor2_features(cand: Candidate, agent: int | None) -> tuple[str, ...]:
    """A candidate's features for actor2: its own, and its pair features with actor1 (candidate ``agent``)."""
    return (*cand.features, *(cand.pairs[agent] if agent is not None and cand.pairs else ("pair:none",)))


@dataclass(frozen=True, slots=True)
class RoleWeights:
    """A conditional logit: each option (a candidate, or none) scores the sum of its features' weights."""

    weights: dict[str, float]

    def score(self, features: Iterable[str]) -> float:
        return sum(self.weights.get(f, 0.0) for f in features)

    def best(self, options: Sequence[Sequence[str]], null: Sequence[str]) -> int | None:
        """The option with the highest score, or None when "no candidate" scores higher than all."""
        scores = [self.score(o) for o in options]
        top = max(range(len(options)), key=scores.__getitem__, default=None)
        return top if top is not None and scores[top] > self.score(null) else None

    def probabilities(self, options: Sequence[Sequence[str]], null: Sequence[str]) -> list[float]:
        """Each option's probability, then that of "no candidate" (last)."""
        scores = [self.score(o) for o in options] + [self.score(null)]
        top = max(scores)
        exps = [math.exp(x - top) for x in scores]
        return [x / sum(exps) for x in exps]


@dataclass(frozen=True, slots=True)
class ArgumentModel:
    """The two role scorers, read from (and written to) one small JSON file."""

    roles: dict[str, RoleWeights]
    meta: dict[str, Any]

    def choose(self, sub_event_type: str, cands: Sequence[Candidate]) -> tuple[
            ActorMention | None, ActorMention | None]:
        """actor1: the best candidate, unless "none" scores higher; actor2: the same among the candidates that
        name another actor, scored with their pair features against actor1."""
        first = self.roles["actor1"].best([c.features for c in cands], null_features(sub_event_type, cands))
        agent = cands[first].mention if first is not None else None
        rest = [c for c in cands if agent is None or c.mention.actor.name != agent.actor.name]
        second = self.roles["actor2"].best([actor2_features(c, first) for c in rest],
                                           null_features(sub_event_type, cands, agent is not None))
        return agent, rest[second].mention if second is not None else None

    def to_json(self) -> str:
        data = {"format": FORMAT, "meta": self.meta, "roles": {r: {"weights": w.weights} for r, w in self.roles.items()}}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str = DEFAULT_MODEL) -> ArgumentModel:
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            roles = {r: RoleWeights({str(k): float(v) for k, v in data["roles"][r]["weights"].items()})
                     for r in ROLES}
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ModelError(f"argument model {where}: malformed ({exc!r}); retrain it with "
                             "training/arguments/train.py") from exc
        return cls(roles, dict(data.get("meta", {})))


@cache
def load_model(path: Path | None = None) -> ArgumentModel:
    """The argument model at ``path`` (default: the one shipped in the package), loaded once."""
    text = model_text("flashpoint.events", DEFAULT_MODEL, path, "argument model", "training/arguments/train.py")
    return ArgumentModel.from_json(text, str(path or DEFAULT_MODEL))


# ---------------------------------------------------------------------------------------------- roles


def assign(
    sub_event_type: str,
    sentence_text: str,
    sentence_start: int,
    sentence_index: int,
    tokens: Sequence[Token],
    mentions: Sequence[ActorMention],
    trigger: tuple[int, int],
    country: str | None,
    context: Sequence[ActorMention] = (),
    date: dt.date | None = None,
    *,
    model: ArgumentModel | None = None,
) -> Roles:
    """actor1, actor2 and target of one event, the model choosing actor1 and actor2 among the mentions
    (``model``: default the shipped one) and ACLED's conventions applied after."""
    model = model or load_model()
    agent, patient = model.choose(sub_event_type, candidates(sub_event_type, tokens, mentions, trigger, context))
    return conventions(sub_event_type, sentence_text, sentence_start, sentence_index, tokens, mentions, trigger,
                       country, agent, patient, date)
