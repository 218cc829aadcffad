"""Finding actor mentions in raw text, beyond NER, and resolving them on the article's date.

:class:`ActorFinder` runs, in order, over one tokenisation of the text:

1. **aliases** of the knowledge base (a token trie: apostrophes, hyphens, Arabic articles and
   romanisations folded), dropping affiliation modifiers ("al-Qaeda linked", "Turkish-backed");
2. **nationality phrases**: a country or demonym plus an institution word ("Turkish officials",
   "a US destroyer", "Russia's ambassador", "four Saudi men"), and bare country names as their
   government when not used as a place ("Turkey, whose forces ...", but not "in Syria");
3. **acronyms defined in parentheses** ("Turkish Armed Forces (TSK)"), then their later uses;
4. **role words** naming a generic actor of the article's focus country ("activists",
   "gunmen", "civilians", "government forces");
5. **coreference** inside the article: "the militant group", "the militants", "the coalition"
   (appositive, else the most mentioned armed non-state actor of the last sentences), a leader's
   followers ("herds of Joulani", "Assad's forces") and allies named in another group ("their FSA
   allies in the Syrian National Army"); an armed group's words left over ("militants attacked", "a
   suicide bomber") refer back the same way, else name ACLED's Unidentified Armed Group of the country;
6. **unknown armed actors** from NER (ORG/NORP/PERSON spans with armed-group words), kept with
   ``known=False``.

Every actor is then named as on the article's date and coded relative to its focus country.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from flashpoint.actors.compose import Composer, Found
from flashpoint.actors.kb import (
    ARMED_NON_STATE_INTERS,
    GENERIC_KINDS,
    STATE_KINDS,
    Entry,
    KnowledgeBase,
    Resolution,
)
from flashpoint.actors.normalise import Tok, canonical_key, fold, tokenise
from flashpoint.actors.roles import focus_country, load_roles, pick_country
from flashpoint.actors.trie import PhraseTrie, TrieMatch
from flashpoint.records import Actor, ActorMention, Mention, Sentence, Via

_ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9\-]{0,8}[A-Z0-9])\s*\)")
_APPOSITIVE_GAP = re.compile(r"^[\s,:\u2013\u2014-]*(?:the\s+)?$", re.IGNORECASE)
_ARMED_WORDS = frozenset(
    fold(w)
    for w in ["brigade", "brigades", "battalion", "battalions", "army", "front", "division", "legion", "corps", "militia", "militias", "regiment", "guard", "guards", "liwa", "jaysh", "jaish", "jabhat", "faylaq", "failaq", "harakat", "kataib", "katibat", "saraya", "ansar", "jund", "ahrar", "mujahideen", "fighters", "rebels", "forces", "resistance", "council", "operations", "mobilisation", "mobilization", "tribe", "tribal", "clan", "shabiha"]
)
_MILITIA_WORDS = frozenset(fold(w) for w in ("militia", "militias", "guard", "guards", "mobilisation", "mobilization"))
_IDENTITY_WORDS = frozenset(fold(w) for w in ("tribe", "tribal", "clan"))
_STATE_WORDS = frozenset(fold(w) for w in ("army", "forces", "military", "police", "navy"))
_NUMBER_WORDS = frozenset(fold(w) for w in ("several", "some", "many", "dozens", "hundreds", "thousands", "the"))
_PREPOSITIONS = frozenset(fold(w) for w in ("in", "of", "from", "within", "among", "inside"))
_THE = fold("the")
_AND = fold("and")
_OF = fold("of")
_PRO_ANTI = frozenset({fold("pro"), fold("anti")})


_Found = Found
# Role words that make a state actor with "of" + a country name in article text ("the President of France").
_STATE_ROLES = frozenset({"government", "military", "police"})
_NAMED = frozenset({Via.ALIAS, Via.WORLD, Via.ACRONYM})
# Sectors of non-state and political actors: a country word with their role words ("Syrian rebels",
# "Mexican gangs") makes an actor in a phrase on its own, not in running text.
_PHRASE_ONLY_SECTORS = frozenset({"REB", "INS", "SEP", "RAD", "IMG", "UAF", "PRM", "MRC", "CRM", "OPP", "PTY", "IDM", "UNI"})
_TITLES = frozenset(
    ["president", "minister", "premier", "chancellor", "king", "queen", "emir", "sultan", "senator", "congressman", "congresswoman", "governor", "general", "commander", "chief", "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy", "secretary", "leader", "official", "mayor", "lawmaker", "legislator", "deputy", "representative", "prince", "sheikh", "colonel", "admiral", "marshal", "director", "judge", "justice", "prosecutor", "chairman", "chairwoman", "chair", "speaker", "mp"]
)


class ActorFinder:
    """Compiled once per knowledge base; :meth:`find` runs over one text at a time."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.roles = load_roles()
        self.compose = Composer(kb, self.roles)
        self.trie: PhraseTrie[tuple[str, str]] = PhraseTrie()
        for entry in kb.entries():
            name = entry.actor.name
            self.trie.add(name, (name, "alias"))
            bare = re.sub(r"\s*\((?:\d{4})?\s*-\s*(?:\d{4})?\)\s*$", "", name)
            if bare != name:
                self.trie.add(bare, (name, "alias"))
            for alias in entry.actor.aliases:
                self.trie.add(alias, (name, "alias"))
                if len(alias) >= 4 and alias.isalpha() and alias.isupper():
                    self.trie.add(alias.capitalize(), (name, "alias"))  # house style: "Isis", "Nato"
            for description in entry.descriptions:
                self.trie.add(description, (name, "description"), any_case=True)

    # -- the pass ----------------------------------------------------------------------------------

    def find(
        self,
        text: str,
        date: dt.date | None = None,
        ner: Sequence[Mention] = (),
        sentences: Sequence[Sentence] = (),
    ) -> list[ActorMention]:
        """Every actor mention of ``text`` resolved on ``date``, sorted by start."""
        return [mention for mention, _ in self.find_detailed(text, date, ner, sentences)]

    def resolve_phrase(self, text: str, date: dt.date | None = None) -> Resolution | None:
        """What a phrase on its own names ("Chile's Defense Department", "Angela Merkel") on ``date``.

        The longest mention wins (the first among equals); a title right before a known person
        ("Armenian Prime Minister Nikol Pashinyan") gives the person, matched over both. Capitals
        stand for their government here ("Ankara"), and role words may follow a country word past
        other lower-case words.
        """
        found = [item for _, item in self.find_detailed(text, date, phrase=True)]
        if not found:
            return None
        best = max(found, key=lambda f: (f.via not in {Via.ROLE, Via.COREFERENCE}, f.end - f.start, -f.start))
        start = best.start
        if best.via == Via.NATIONALITY or best.actor.kind.removeprefix("external ") in STATE_KINDS:
            # "Armenian Prime Minister Nikol Pashinyan": the person; "Sudanese paramilitary Rapid
            # Support Forces": the named group the description introduces
            named = next((f for f in found if f.start >= best.end and _title_gap(text[best.end : f.start])
                          and (f.actor.kind == "person" or (best.via == Via.NATIONALITY and f.via in _NAMED))), None)
            best = named or best
        actor = self.kb.get(best.actor.name, date) if best.actor.known and best.via != Via.WORLD else None
        actor = actor or best.actor
        return self.kb.resolution(
            actor, date, text[min(start, best.start) : best.end], best.via, acled=self.compose.acled(actor, date),
            entry=best.entry, source=best.source, holder=best.holder,
        )

    def find_detailed(
        self,
        text: str,
        date: dt.date | None = None,
        ner: Sequence[Mention] = (),
        sentences: Sequence[Sentence] = (),
        phrase: bool = False,
    ) -> list[tuple[ActorMention, _Found]]:
        """:meth:`find` with what resolved each mention (its source, the office holder)."""
        toks = tokenise(text)
        covered = [False] * len(toks)
        modifier_toks: set[int] = set()
        focus = focus_country(toks)
        found: list[_Found] = []

        def add(item: _Found) -> None:
            found.append(item)
            for k in range(item.first, item.last + 1):
                covered[k] = True

        self._aliases(toks, text, date, focus, add, modifier_toks)
        world = self.compose.world_aliases(toks, covered, date, focus, lambda a, b: self._modifier_use(toks, a, b))
        self._nationalities(text, toks, covered, date, add, modifier_toks, world, phrase)
        self._role_of_country(toks, covered, date, add, world, phrase)
        for item in world:
            if not any(covered[item.first : item.last + 1]):
                add(item)
        self._acronyms(text, toks, covered, found, add)
        self._bare_roles(toks, covered, date, focus, add)
        found = self._coreference(text, toks, covered, found, date, modifier_toks)
        found = self._unnamed(text, toks, covered, found, focus)
        found.extend(self._unknown(text, toks, found, ner, focus))
        found.sort(key=lambda f: (f.start, f.end))
        starts = [s.start for s in sentences]
        return [(self._mention(text, f, date, focus, starts), f) for f in found]

    def _mention(
        self, text: str, item: _Found, date: dt.date | None, focus: str | None, starts: list[int]
    ) -> ActorMention:
        actor = item.actor
        if actor.known:
            named = self.kb.name_on(actor, date)
            if named != actor.name:
                actor = dataclasses.replace(actor, name=named)
        actor = self.kb.relative(actor, focus)
        sentence = max(bisect.bisect_right(starts, item.start) - 1, 0) if starts else 0
        return ActorMention(
            start=item.start,
            end=item.end,
            text=text[item.start : item.end],
            sentence=sentence,
            actor=actor,
            confidence=item.confidence,
            via=item.via,
        )

    # -- 1. aliases --------------------------------------------------------------------------------

    def _choose(self, names: Sequence[str], date: dt.date | None, focus: str | None) -> Entry | None:
        entries = [e for e in (self.kb.entry(n) for n in dict.fromkeys(names)) if e is not None]
        return self.kb.choose(entries, date, focus) if entries else None

    def _modifier_use(self, toks: Sequence[Tok], first: int, last: int) -> bool:
        """'al-Qaeda linked', 'Turkish-backed', 'pro-Assad', 'anti-HTS': a modifier, not an actor."""
        after = toks[last + 1] if last + 1 < len(toks) else None
        if after is not None and after.joined and after.key in self.roles.affiliation_suffixes:
            return True
        before = toks[first - 1] if first > 0 else None
        return before is not None and toks[first].joined and before.key in _PRO_ANTI

    def _aliases(self, toks, text, date, focus, add, modifier_toks) -> None:  # type: ignore[no-untyped-def]
        for match in self.trie.find(toks):
            if self._modifier_use(toks, match.first, match.last):
                modifier_toks.update(range(match.first, match.last + 1))
                continue
            names = [name for name, _ in match.values]
            entry = self._choose(names, date, focus)
            if entry is None:
                continue
            forms = {form for name, form in match.values if name == entry.actor.name}
            via = Via.ALIAS if "alias" in forms else Via.ROLE
            if via == Via.ROLE and self._after_country(toks, match.first):
                continue  # "Egyptian security forces": the nationality step names them
            if via == Via.ALIAS and self._other_country_role(toks, match.first, match.last, entry.actor.country):
                continue  # "Somali National Army": not the Syrian National Army's short name
            start = toks[match.first].start
            if match.first > 0 and toks[match.first - 1].article and toks[match.first].joined:
                start = toks[match.first - 1].start
            single = match.first == match.last
            confidence = 0.9 if single else 0.95
            add(_Found(match.first, match.last, start, toks[match.last].end, entry.actor, via,
                       confidence if via == Via.ALIAS else 0.8))

    def _after_country(self, toks: Sequence[Tok], first: int) -> bool:
        for k in (first - 1, first - 2, first - 3):
            if k < 0 or not toks[k + 1].joined:
                return False
            match = self.roles.countries.longest_at(toks, k)
            if match is not None and match.last == first - 1:
                return True
        return False

    def _other_country_role(self, toks: Sequence[Tok], first: int, last: int, country: str | None) -> bool:
        """An alias that is also a role phrase, right after another country's word."""
        role = self.compose.institutions.longest_at(toks, first)
        if role is None or role.last != last:
            return False
        for k in (first - 1, first - 2, first - 3):
            if k < 0 or not toks[k + 1].joined:
                return False
            match = self.compose.countries.longest_at(toks, k)
            if match is not None and match.last == first - 1:
                return pick_country(match.values, toks, k, match.last).iso3 != country
        return False

    # -- 2. nationality phrases --------------------------------------------------------------------

    def _nationalities(self, text, toks, covered, date, add, modifier_toks, world, phrase) -> None:  # type: ignore[no-untyped-def]
        roles, compose = self.roles, self.compose
        i = 0
        n = len(toks)
        while i < n:
            tok = toks[i]
            # country words are written capitalised ("Saudi", "Chile's", "the US"): skip others cheaply
            written = tok.capitalised or tok.acronym or tok.key == _THE
            match = None if covered[i] or not written else compose.countries.longest_at(toks, i)
            if match is None or any(covered[i : match.last + 1]):
                i += 1
                continue
            ref = pick_country(match.values, toks, i, match.last)
            last = match.last
            if ref.form == "place" and compose.institutions.longest_at(toks, i) is not None:
                i += 1  # "Coast Guard": a role phrase, not the Kenyan province
                continue
            nxt = toks[last + 1] if last + 1 < n else None
            hyphenated = nxt is not None and nxt.start == toks[last].end + 1 and text[toks[last].end] in "-‐‑–"
            pro_anti = i > 0 and toks[i].joined and toks[i - 1].key in _PRO_ANTI
            if pro_anti or (nxt is not None and nxt.joined and nxt.key in roles.affiliation_suffixes) or (
                hyphenated and nxt is not None and not nxt.capitalised
            ):
                # "Turkish-backed", "pro-US forces", "Syria-wide", "US-made": a modifier, not an actor
                modifier_toks.update(range(i, last + 1))
                i = last + 1
                continue
            role = self._role_after(toks, covered, last + 1, phrase)
            end = None if role is None else role.last
            if role is None and ref.form == "demonym":
                role = self._coordinated_role(toks, covered, last + 1, phrase)
                end = last  # "Syrian and Russian warplanes": the Syrian ones too, named by their own word
            if role is not None and not phrase and (ref.form not in {"name", "demonym"} or _after_name_of(toks, i)):
                # "Kandahar police" yes, "the Lions of Tartus Brigade" no: a place, or a country after
                # "Name of", with a capitalised role word is part of a proper name
                role = role if not (toks[role.last].capitalised or _after_name_of(toks, i)) else None
            if role is not None and end is not None:
                actor = compose.role_actor(role.values[0], ref.iso3, date)
                item = None if actor is None else _Found(
                    i, end, toks[i].start, toks[end].end, actor, Via.NATIONALITY, 0.85,
                    f"{_word_source(ref)} + {compose.role_source(toks, role)}",
                    holder=compose.holder(toks, role, ref.iso3, date))
                if item is not None and _claim(item, world):
                    add(item)
                    i = end + 1
                    continue
            which = _bare_use(ref, phrase)
            if which and self._actor_use_of_country(toks, i, last):
                actor = self.kb.institution(which, ref.iso3, date)
                item = None if actor is None else _Found(
                    i, last, toks[i].start, toks[last].end, actor, Via.COUNTRY, 0.5, _word_source(ref))
                if item is not None and _claim(item, world):
                    add(item)
            i = last + 1

    def _coordinated_role(self, toks: Sequence[Tok], covered: list[bool], j: int,
                          phrase: bool) -> TrieMatch[str] | None:
        """The role word after "and" and a second nationality ("Syrian and Russian warplanes"), which the
        first nationality shares; None when there is none. The second phrase may already be an actor
        ("Russian warplanes" is a name of Russia's forces): only its role word is read."""
        if j + 1 >= len(toks) or toks[j].key != _AND or covered[j] or not toks[j + 1].capitalised:
            return None
        other = self.compose.countries.longest_at(toks, j + 1)
        if other is None or pick_country(other.values, toks, j + 1, other.last).form != "demonym":
            return None
        return self._role_after(toks, [False] * len(toks), other.last + 1, phrase)

    def _role_after(self, toks: Sequence[Tok], covered: list[bool], j: int, phrase: bool) -> TrieMatch[str] | None:
        """The role phrase after a country word, past up to three modifiers ("senior", "two"); in a
        phrase on its own also past other lower-case words ("Ukrainian agricultural workers")."""
        n = len(toks)
        skipped = 0
        for _ in range(4):
            if j >= n or covered[j] or not toks[j].joined:
                return None
            roles = self.compose.phrase_institutions if phrase else self.compose.institutions
            role = roles.longest_at(toks, j)
            if role is not None and not phrase and role.values[0][:3] in _PHRASE_ONLY_SECTORS:
                return None  # "British jihadists", "Syrian rebels": in an article, named groups and coreference say who
            if role is not None and not any(covered[j : role.last + 1]):
                if _inside_proper_name(toks, role.last) and not _title(toks[role.last]):
                    return None  # "the Syrian Women’s Forum", "the UK Student Film Awards"
                head = self._head_role(toks, covered, role)
                return head or role
            if toks[j].key not in self.roles.modifiers:
                if not (phrase and not toks[j].capitalised and skipped < 2):
                    return None
                skipped += 1
            j += 1
        return None

    def _head_role(self, toks: Sequence[Tok], covered: list[bool], role: TrieMatch[str]) -> TrieMatch[str] | None:
        """"women protesters", "student activists": a civilians word before another role word
        describes it; the later word is the role. So does a state word before a military one ("Syrian
        government helicopters", "regime forces": the military, as ACLED names them)."""
        k = role.last + 1
        state = role.values[0] == "government" and toks[role.last].key in self.roles.state_modifiers
        if not (role.values[0] == "civilians" or state) or k >= len(toks) or covered[k] or not toks[k].joined:
            return None
        head = self.compose.institutions.longest_at(toks, k)
        if head is None or any(covered[k : head.last + 1]) or (state and head.values[0] != "military"):
            return None
        return head

    def _role_of_country(self, toks, covered, date, add, world, phrase) -> None:  # type: ignore[no-untyped-def]
        """"the President of France", "the central bank of Norway": a role, 'of', a country."""
        compose = self.compose
        n = len(toks)
        ofs = [k for k, tok in enumerate(toks) if tok.key == _OF]
        for i in range(n):
            at = bisect.bisect_right(ofs, i)
            if at == len(ofs) or ofs[at] - i > 5:
                continue  # no "of" close after: no "<role> of <country>" here
            role = None if covered[i] else compose.institutions.longest_at(toks, i)
            if role is None or any(covered[i : role.last + 1]):
                continue
            k = role.last + 1
            if k + 1 >= n or toks[k].key != _OF or covered[k] or not toks[k].joined:
                continue
            k += 1 if toks[k + 1].key != _THE else 2
            match = compose.countries.longest_at(toks, k) if k < n and toks[k].joined else None
            if match is None or any(covered[k : match.last + 1]):
                continue
            ref = pick_country(match.values, toks, k, match.last)
            if not phrase and (ref.form != "name" or role.values[0] not in _STATE_ROLES):
                continue
            actor = compose.role_actor(role.values[0], ref.iso3, date)
            if actor is None:
                continue
            item = _Found(i, match.last, toks[i].start, toks[match.last].end, actor, Via.NATIONALITY, 0.8,
                          f"{compose.role_source(toks, role)} + {_word_source(ref)}",
                          holder=compose.holder(toks, role, ref.iso3, date))
            if _claim(item, world):
                add(item)

    def _actor_use_of_country(self, toks: Sequence[Tok], first: int, last: int) -> bool:
        """A country name used as an actor: not after 'in'/'across'/..., not inside a longer name,
        not a possessive without an institution ("Syria's opposition", "Syria's war")."""
        if toks[last].possessive:
            return False
        before = toks[first - 1] if first > 0 else None
        if before is not None and (before.key in self.roles.locatives or (before.capitalised and toks[first].joined)):
            return False
        if before is not None and before.capitalised and text_gap_is_comma(toks, first):
            return False  # "Aleppo, Syria": a place named with its country
        after = toks[last + 1] if last + 1 < len(toks) else None
        return not (after is not None and after.joined and after.capitalised and not toks[last].possessive)

    # -- 3. acronyms defined in parentheses --------------------------------------------------------

    def _acronyms(self, text, toks, covered, found, add) -> None:  # type: ignore[no-untyped-def]
        starts = [t.start for t in toks]
        defined: dict[str, Actor] = {}
        for match in _ACRONYM_DEF.finditer(text):
            acronym = match.group(1)
            if sum(ch.isupper() for ch in acronym) < 2:
                continue
            ti = bisect.bisect_left(starts, match.start(1))
            if ti >= len(toks) or toks[ti].start != match.start(1):
                continue
            before = [f for f in found if f.end <= match.start() and not text[f.end : match.start()].strip()]
            if before:
                actor = before[-1].actor
            else:
                long_form = self._long_form(text, toks, ti, acronym)
                if long_form is None:
                    continue
                first, last = long_form
                if any(covered[first : last + 1]):
                    continue
                kind, inter = _guess_type(toks[first : last + 1]) or ("organisation", None)
                name = text[toks[first].start : toks[last].end]
                actor = Actor(name=name, kind=kind, inter=inter, aliases=(acronym,), known=False)
                add(_Found(first, last, toks[first].start, toks[last].end, actor, Via.ACRONYM, 0.6))
            defined.setdefault(acronym, actor)
        if not defined:
            return
        for k, tok in enumerate(toks):
            actor = defined.get(tok.text)
            if actor is not None and not covered[k]:
                add(_Found(k, k, tok.start, tok.end, actor, Via.ACRONYM, 0.85))

    @staticmethod
    def _long_form(text: str, toks: Sequence[Tok], paren_tok: int, acronym: str) -> tuple[int, int] | None:
        """The capitalised words before '(ACR)' whose initials spell the acronym's first letter on."""
        last = paren_tok - 1
        if last < 0:
            return None
        first = last
        while first - 1 >= 0 and last - first < 8:
            prev = toks[first - 1]
            if not (prev.capitalised or prev.key in {_OF, "al", "fur", "and"}) or not toks[first].joined:
                break
            first -= 1
        while first <= last and not toks[first].capitalised:
            first += 1
        if first > last:
            return None
        initials = "".join(t.text[0] for t in toks[first : last + 1] if t.capitalised)
        head = acronym.rstrip("s")
        while initials and initials[0] != head[0]:
            first += 1
            while first <= last and not toks[first].capitalised:
                first += 1
            initials = initials[1:]
        if not initials or len(initials) < 2:
            return None
        return first, last

    # -- 4. bare role words ------------------------------------------------------------------------

    def _bare_roles(self, toks, covered, date, focus, add) -> None:  # type: ignore[no-untyped-def]
        for i, match in _uncovered(self.roles.bare, toks, covered):
            which = match.values[0]
            actor: Actor | None
            if which in GENERIC_KINDS:
                actor = self._generic(which, focus)
            else:
                actor = self.kb.institution(which, focus, date) if focus else None
            if actor is not None:
                add(_Found(i, match.last, toks[i].start, toks[match.last].end, actor, Via.ROLE, 0.6))

    def _generic(self, which: str, focus: str | None) -> Actor:
        """ACLED's generic actor of this kind ("Unidentified Armed Group (Mali)"), of no country without one."""
        return self.kb.generic(which, focus) if focus else _unplaced(which)

    # -- 5. coreference ----------------------------------------------------------------------------

    def _coreference(self, text, toks, covered, found, date, modifier_toks) -> list[_Found]:  # type: ignore[no-untyped-def]
        found = self._followers(toks, found, date)
        found = self._allies(text, toks, found)
        roles = self.roles
        by_first = sorted(found, key=lambda f: f.start)
        extra: list[_Found] = []
        for i, tok in enumerate(toks):
            if covered[i]:
                continue
            head = None
            if tok.key == _THE:
                j = i + 1
                while j < len(toks) and j - i <= 6 and toks[j].joined and not covered[j]:
                    key = toks[j].key
                    if key in roles.coref_heads:
                        head = j
                    elif not (toks[j].article or key in roles.coref_modifiers or j in modifier_toks):
                        break
                    j += 1
            elif tok.key in roles.bare_heads and i > 0 and (
                toks[i - 1].text.isdigit() or toks[i - 1].key in _NUMBER_WORDS
            ):
                head = i
            if head is None or any(covered[i : head + 1]):
                continue
            start, end = toks[i].start, toks[head].end
            actor, confidence = self._antecedent(text, toks, end, start, by_first + extra, toks[head].key)
            if actor is None:
                continue
            item = _Found(i, head, start, end, actor, Via.COREFERENCE, confidence)
            extra.append(item)
            for k in range(i, head + 1):
                covered[k] = True
        return found + extra

    def _unnamed(self, text: str, toks: Sequence[Tok], covered: list[bool], found: list[_Found],
                 focus: str | None) -> list[_Found]:
        """An armed group's words that coreference left ("militants attacked", "a suicide bomber"): the
        article's armed group they refer back to, else ACLED's Unidentified Armed Group of its country."""
        by_first = sorted(found, key=lambda f: f.start)
        extra: list[_Found] = []
        for i, match in _uncovered(self.roles.unnamed, toks, covered):
            start, end = toks[i].start, toks[match.last].end
            actor, confidence = self._antecedent(text, toks, end, start, by_first + extra, toks[match.last].key)
            item = (_Found(i, match.last, start, end, actor, Via.COREFERENCE, confidence) if actor is not None else
                    _Found(i, match.last, start, end, self._generic("unidentified", focus), Via.ROLE, 0.6))
            extra.append(item)
            for k in range(i, match.last + 1):
                covered[k] = True
        return found + extra

    def _antecedent(
        self, text: str, toks: Sequence[Tok], end: int, start: int, found: Sequence[_Found], head: str
    ) -> tuple[Actor | None, float]:
        following = [f for f in found if f.start >= end]
        if following:
            nxt = min(following, key=lambda f: f.start)
            if _is_armed_group(nxt.actor) and _APPOSITIVE_GAP.match(text[end : nxt.start]):
                return nxt.actor, 0.8
        # "the coalition" after "the US-led coalition", "the militia" after "Kurdish militia".
        named = [
            f for f in found
            if f.end <= start and f.via != Via.COREFERENCE and f.actor.kind != "person"
            and any(t.key == head for t in toks[f.first : f.last + 1])
        ]
        if named:
            return named[-1].actor, 0.75
        earlier = [f for f in found if f.end <= start and _is_armed_group(f.actor)]
        if not earlier:
            return None, 0.0
        counts = Counter(f.actor.name for f in earlier)
        recent = [f for f in earlier if start - f.end <= 600]
        pool = recent or earlier
        best = max(pool, key=lambda f: (counts[f.actor.name], f.end))
        return best.actor, 0.7

    def _followers(self, toks: Sequence[Tok], found: list[_Found], date: dt.date | None) -> list[_Found]:
        """'herds of Joulani', "Assad's forces": a leader's followers are the group he leads."""
        out: list[_Found] = []
        for item in found:
            if item.actor.kind != "person":
                out.append(item)
                continue
            led = self._led_group(item.actor, date)
            first, last = item.first, item.last
            replaced = None
            if led is not None and first >= 2 and toks[first - 1].key == _OF and toks[first - 2].key in self.roles.followers:
                f = first - 2
                replaced = _Found(f, last, toks[f].start, item.end, led, Via.COREFERENCE, 0.75)
            elif led is not None and toks[last].possessive and last + 1 < len(toks) and (
                toks[last + 1].key in self.roles.followers
            ):
                replaced = _Found(first, last + 1, item.start, toks[last + 1].end, led, Via.COREFERENCE, 0.75)
            out.append(replaced or item)
        return out

    def _led_group(self, person: Actor, date: dt.date | None) -> Actor | None:
        led = self.kb.led_by(person, date)
        armed = [a for a in led if a.kind != "state government"]
        pool = armed or list(led)
        return pool[0] if pool else None

    def _allies(self, text: str, toks: Sequence[Tok], found: list[_Found]) -> list[_Found]:
        """'their FSA allies in the Syrian National Army': the allies are the group they are in."""
        by_first = {f.first: f for f in found}
        out: list[_Found] = []
        for item in found:
            j = item.last + 1
            if (
                item.actor.kind != "person"
                and j + 1 < len(toks)
                and toks[j].key in self.roles.allies
                and toks[j + 1].key in _PREPOSITIONS
            ):
                k = j + 2
                if k < len(toks) and toks[k].key == _THE:
                    k += 1
                target = by_first.get(k)
                if target is not None and _is_armed_group(target.actor):
                    out.append(_Found(item.first, j, item.start, toks[j].end, target.actor, Via.COREFERENCE, 0.75))
                    continue
            out.append(item)
        return out

    # -- 6. unknown actors from NER ----------------------------------------------------------------

    def _unknown(self, text, toks, found, ner, focus) -> list[_Found]:  # type: ignore[no-untyped-def]
        spans = [(f.start, f.end) for f in found]
        out: list[_Found] = []
        starts = [t.start for t in toks]
        for mention in ner:
            if mention.label not in {"ORG", "NORP", "PERSON"}:
                continue
            if any(s < mention.end and mention.start < e for s, e in spans):
                continue
            first = bisect.bisect_left(starts, mention.start)
            last = bisect.bisect_left(starts, mention.end) - 1
            if first > last:
                continue
            if toks[first].key == _THE:
                first += 1
            if first > last:
                continue
            typed = _guess_type(toks[first : last + 1])
            if typed is None:
                continue
            kind, inter = typed
            start, end = toks[first].start, toks[last].end
            country = focus
            ref = self.roles.countries.longest_at(toks, first)
            if ref is not None and kind == "state forces":
                country = ref.values[0].iso3
            actor = Actor(name=text[start:end], kind=kind, inter=inter, country=country, known=False)
            out.append(_Found(first, last, start, end, actor, Via.NER, 0.5))
            spans.append((start, end))
        return out


def _bare_use(ref: object, phrase: bool) -> str | None:
    """What a country word alone stands for: a country's name its government ("Turkey, whose forces");
    in a phrase on its own also a capital ("Ankara") its government and a people ("Syrians",
    "Uyghurs") its civilians."""
    form, written = getattr(ref, "form", ""), getattr(ref, "phrase", "")
    if form == "name" or (phrase and form == "capital"):
        return "government"
    if phrase and (form == "people" or (form == "demonym" and written.endswith("s"))):
        return "civilians"
    return None


def _claim(item: Found, world: list[Found]) -> bool:
    """Whether a composed mention beats the named world actors it overlaps (it must be longer);
    those it beats leave ``world``."""
    clash = [w for w in world if w.first <= item.last and item.first <= w.last]
    if any(w.last - w.first >= item.last - item.first for w in clash):
        return False
    for w in clash:
        world.remove(w)
    return True


_GAP_WORD = re.compile(r"[^\W\d_][\w.'’-]*")


def _title_gap(gap: str) -> bool:
    """What may stand between an institution and a person's name: up to three lower-case words or
    titles ("Malian junta leader Assimi Goïta", "Pakistan army chief Asim Munir")."""
    if gap.strip(" ,") and not gap[:1].isspace():
        return False
    words = _GAP_WORD.findall(gap)
    if len(words) > 3 or len(" ".join(words)) + 4 < len(gap.strip()):
        return False
    return all(w.islower() or w.casefold().rstrip(".") in _TITLES for w in words)


def _after_name_of(toks: Sequence[Tok], i: int) -> bool:
    """Token ``i`` follows "Capitalised of (the)": inside a name ("Army of Islam", "Lions of Tartus")."""
    k = i - 1
    if k >= 0 and toks[k].key == _THE:
        k -= 1
    return k >= 1 and toks[k].key == _OF and toks[k - 1].capitalised


def _title(tok: Tok) -> bool:
    """A title that a person's name may follow ("Prime Minister Nikol Pashinyan")."""
    return tok.text.casefold().rstrip(".") in _TITLES


def _word_source(ref: object) -> str:
    phrase, file = getattr(ref, "phrase", None), getattr(ref, "file", None)
    if phrase and file:
        return f"country word {phrase!r} ({file})"
    return "country word (countries.tsv)"


def _inside_proper_name(toks: Sequence[Tok], last: int) -> bool:
    """A capitalised role word followed by another capitalised word or a possessive: part of a name."""
    tok = toks[last]
    if not tok.capitalised:
        return False
    after = toks[last + 1] if last + 1 < len(toks) else None
    return tok.possessive or (after is not None and after.joined and after.capitalised)


def text_gap_is_comma(toks: Sequence[Tok], k: int) -> bool:
    """Whether token ``k`` follows its predecessor after just a comma ("Aleppo, Syria")."""
    return k > 0 and toks[k].start - toks[k - 1].end == 2 and not toks[k].joined


def _guess_type(toks: Sequence[Tok]) -> tuple[str, int] | None:
    """Kind and inter code an unknown name suggests ("... Brigade" -> rebel group, 2), or None."""
    keys = {t.key for t in toks}
    if not keys & _ARMED_WORDS:
        return None
    if keys & _IDENTITY_WORDS:
        return "identity militia", 4
    if keys & _MILITIA_WORDS:
        return "political militia", 3
    roles = load_roles()
    if keys & _STATE_WORDS and roles.countries.longest_at(toks, 0) is not None:
        return "state forces", 1
    return "rebel group", 2


def _is_armed_group(actor: Actor) -> bool:
    return actor.kind != "person" and (actor.inter in ARMED_NON_STATE_INTERS) and not actor.kind.startswith(
        "unidentified"
    )


def _uncovered(trie: PhraseTrie[str], toks: Sequence[Tok], covered: list[bool]) -> Iterator[tuple[int, TrieMatch[str]]]:
    """Each longest phrase of ``trie`` over tokens no earlier step took, left to right, with its first
    token (``covered`` is read as the caller marks it)."""
    i = 0
    while i < len(toks):
        match = None if covered[i] else trie.longest_at(toks, i)
        if match is None or any(covered[i : match.last + 1]):
            i += 1
            continue
        yield i, match
        i = match.last + 1


def _unplaced(which: str) -> Actor:
    template, inter, kind = GENERIC_KINDS[which]
    return Actor(name=template.format("").replace(" ()", ""), kind=kind, inter=inter)


@functools.cache
def _finders() -> dict[int, ActorFinder]:
    return {}


def finder_for(kb: KnowledgeBase) -> ActorFinder:
    """The compiled finder of ``kb`` (built once per knowledge base object)."""
    cache = _finders()
    finder = cache.get(id(kb))
    if finder is None or finder.kb is not kb:
        finder = ActorFinder(kb)
        cache[id(kb)] = finder
    return finder


def resolve(kb: KnowledgeBase, text: str, date: dt.date | None = None) -> Resolution | None:
    """Resolve a name or phrase ("HTS", "Turkish officials", "Jabhat al-Nusra") on ``date`` in ``kb``.

    The same finder that codes articles reads the phrase (:meth:`ActorFinder.resolve_phrase`): the
    longest actor mention wins, a title before a known person's name gives the person.

    >>> resolve(load_knowledge_base(), "Jabhat al-Nusra", dt.date(2016, 9, 1)).name_on_date  # doctest: +SKIP
    'Jabhat Fateh al-Sham'
    """
    return finder_for(kb).resolve_phrase(text, date)


def same_actor(a: str, b: str) -> bool:
    """Whether two actor names compare equal the way gold files compare them."""
    return canonical_key(a) == canonical_key(b)
