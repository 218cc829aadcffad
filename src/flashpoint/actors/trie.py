"""A trie over token keys: finds every phrase of a list in a tokenised text in one pass.

Phrases are tokenised with :func:`flashpoint.actors.normalise.tokenise`; a phrase token written in
capitals ("HTS", "U.S.") matches only the same capitals, any other token matches its folded key.
Arabic articles are skipped on both sides; tokens of one match must be separated only by spaces or
hyphens. A one-word phrase that is not an acronym matches only a capitalised word ("Nusra", not
"nusra"), unless it was added with ``any_case``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from flashpoint.actors.normalise import Tok, phrase_tokens

T = TypeVar("T", bound=Hashable)


@dataclass(slots=True)
class _Node(Generic[T]):
    children: dict[str, _Node[T]] = field(default_factory=dict)
    values: list[tuple[T, bool]] = field(default_factory=list)  # (value, any_case)


@dataclass(frozen=True, slots=True)
class TrieMatch(Generic[T]):
    """Tokens ``first``..``last`` (inclusive) matched these values."""

    first: int
    last: int
    values: tuple[T, ...]


def phrase_keys(phrase: str) -> tuple[str, ...]:
    """The trie path of a phrase: acronyms as '=ACR', other tokens as their folded key."""
    return tuple(("=" + acronym) if acronym else key for key, acronym, article in phrase_tokens(phrase) if not article)


class PhraseTrie(Generic[T]):
    """Phrases mapped to values; :meth:`longest_at` and :meth:`find` match them over tokens."""

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()
        self.size = 0

    def add(self, phrase: str, value: T, any_case: bool = False) -> None:
        keys = phrase_keys(phrase)
        if not keys:
            return
        node = self._root
        for key in keys:
            node = node.children.setdefault(key, _Node())
        if all(v != value for v, _ in node.values):
            node.values.append((value, any_case))
            self.size += 1

    def longest_at(self, toks: Sequence[Tok], i: int) -> TrieMatch[T] | None:
        """The longest phrase starting at token ``i`` (None if none does or ``i`` is an article)."""
        if i >= len(toks) or toks[i].article:
            return None
        first = toks[i]
        children = self._root.children
        if first.key not in children and (first.acronym is None or "=" + first.acronym not in children):
            return None  # the common case, kept cheap
        best: TrieMatch[T] | None = None
        stack: list[tuple[_Node[T], int]] = [(self._root, i)]
        n = len(toks)
        while stack:
            node, j = stack.pop()
            k = j
            if k != i:
                while k < n and toks[k].article and toks[k].joined:
                    k += 1
                if k >= n or not toks[k].joined:
                    continue
            if k >= n:
                continue
            tok = toks[k]
            keys = (("=" + tok.acronym), tok.key) if tok.acronym else (tok.key,)
            for key in keys:
                child = node.children.get(key)
                if child is None:
                    continue
                stack.append((child, k + 1))
                if not child.values:
                    continue
                single = k == i and not key.startswith("=")
                values = tuple(v for v, any_case in child.values if any_case or not single or toks[i].capitalised)
                if values and (best is None or k > best.last):
                    best = TrieMatch(i, k, values)
        return best

    def find(self, toks: Sequence[Tok]) -> list[TrieMatch[T]]:
        """Non-overlapping longest matches, left to right."""
        return scan(toks, self.longest_at)


def scan(toks: Sequence[Tok], longest_at: Callable[[Sequence[Tok], int], TrieMatch[Any] | None],
         starts: Callable[[Tok], bool] | None = None) -> list[TrieMatch[Any]]:
    """Non-overlapping longest matches of an index, left to right; ``starts`` picks the tokens a match
    may begin at (all of them by default)."""
    found: list[TrieMatch[Any]] = []
    i = 0
    while i < len(toks):
        match = longest_at(toks, i) if starts is None or starts(toks[i]) else None
        if match is None:
            i += 1
            continue
        found.append(match)
        i = match.last + 1
    return found
