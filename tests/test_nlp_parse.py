"""The parse view every reader of a sentence's dependency tree walks, on a hand-built parse."""

from __future__ import annotations

from flashpoint.nlp.parse import ParseTree
from flashpoint.records import Token

# "Turkish troops shelled the town of Afrin ." with its parse written out: (text, pos, dep, head)
_PARSE = [("Turkish", "ADJ", "amod", 1), ("troops", "NOUN", "nsubj", 2), ("shelled", "VERB", "ROOT", 2),
          ("the", "DET", "det", 4), ("town", "NOUN", "dobj", 2), ("of", "ADP", "prep", 4),
          ("Afrin", "PROPN", "pobj", 5), (".", "PUNCT", "punct", 2)]


def _tokens() -> list[Token]:
    out, pos = [], 0
    for i, (text, tag, dep, head) in enumerate(_PARSE):
        out.append(Token(i, pos, pos + len(text), text, text.lower(), tag, tag, dep, head, 0))
        pos += len(text) + 1
    return out


def test_nlp_parse_heads_children_and_ancestors() -> None:
    toks = _tokens()
    tree = ParseTree(toks)
    assert tree.head(toks[2]) is None  # the root
    assert tree.head(toks[1]) == toks[2]
    assert [t.text for t in tree.kids(toks[2])] == ["troops", "town", "."]
    assert [t.text for t in tree.ancestors(toks[6])] == ["Afrin", "of", "town", "shelled"]


def test_nlp_parse_subtree_skips_the_relations_asked() -> None:
    toks = _tokens()
    tree = ParseTree(toks)
    assert sorted(t.text for t in tree.subtree(toks[4])) == ["Afrin", "of", "the", "town"]
    assert sorted(t.text for t in tree.subtree(toks[4], skip={"prep"})) == ["the", "town"]


def test_nlp_parse_finds_tokens_and_span_heads_by_offset() -> None:
    toks = _tokens()
    tree = ParseTree(toks)
    assert tree.token_at(toks[6].start + 2) == toks[6]
    assert tree.token_at(toks[6].end) is None  # the space after "Afrin"
    # "the town of Afrin": its head is "town"; "Turkish troops": "troops"
    assert tree.span_head(toks[3].start, toks[6].end) == toks[4]
    assert tree.span_head(toks[0].start, toks[1].end) == toks[1]
    assert tree.span_head(1000, 1010) is None


def test_nlp_parse_a_cycle_in_a_bad_parse_ends_the_walk() -> None:
    a = Token(0, 0, 1, "a", "a", "X", "X", "dep", 1, 0)
    b = Token(1, 2, 3, "b", "b", "X", "X", "dep", 0, 0)
    assert [t.text for t in ParseTree([a, b]).ancestors(a)] == ["a", "b"]


def test_nlp_parse_a_sentence_without_relations_was_not_parsed() -> None:
    from flashpoint.nlp.parse import is_parsed

    toks = _tokens()
    bare = [Token(t.i, t.start, t.end, t.text, t.lemma, t.pos, t.tag, "", t.i, 0) for t in toks]
    assert is_parsed(toks) and not is_parsed(bare) and not is_parsed([])
