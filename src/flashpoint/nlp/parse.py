"""One sentence's dependency parse as a tree to walk: heads, children, ancestors, subtrees.

The parse lives in the tokens (``Token.head`` and ``Token.dep``, set by the NLP stage); the stages that
read it (actor roles, the argument model, the event-place model) walk it through this one view and add
only the readings of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from flashpoint.records import Token


def is_parsed(tokens: Sequence[Token]) -> bool:
    """Whether the NLP stage parsed this sentence: it parses only the sentences the events stage may code
    (the others keep their tokens, without heads or relations, ``dep`` empty)."""
    return any(t.dep for t in tokens)


class ParseTree:
    """The dependency tree of one sentence's tokens."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.by_i = {t.i: t for t in tokens}
        self.children: dict[int, list[Token]] = {}
        for t in tokens:
            if t.head != t.i:
                self.children.setdefault(t.head, []).append(t)

    def head(self, tok: Token) -> Token | None:
        """The token's head; None at the root (or when the head is outside these tokens)."""
        return None if tok.head == tok.i else self.by_i.get(tok.head)

    def kids(self, tok: Token) -> list[Token]:
        return self.children.get(tok.i, [])

    def ancestors(self, tok: Token) -> list[Token]:
        """``tok`` and its heads up to the root (a cycle or a missing head ends the walk)."""
        out, seen = [tok], {tok.i}
        t = self.head(tok)
        while t is not None and t.i not in seen:
            out.append(t)
            seen.add(t.i)
            t = self.head(t)
        return out

    def subtree(self, tok: Token, skip: frozenset[str] | set[str] = frozenset()) -> list[Token]:
        """``tok`` and its descendants, not descending into children whose relation is in ``skip``."""
        out, stack = [], [tok]
        while stack:
            t = stack.pop()
            out.append(t)
            stack.extend(c for c in self.kids(t) if c.dep not in skip)
        return out

    def token_at(self, offset: int) -> Token | None:
        """The token covering a character offset."""
        return next((t for t in self.tokens if t.start <= offset < t.end), None)

    def span_head(self, start: int, end: int) -> Token | None:
        """The head of the tokens in [start, end): the (last) one whose head lies outside them."""
        inside = [t for t in self.tokens if t.start < end and start < t.end]
        span = {t.i for t in inside}
        heads = [t for t in inside if t.head == t.i or t.head not in span]
        return heads[-1] if heads else (inside[-1] if inside else None)
