"""Natural-language analysis: sentences, tokens, named-entity mentions, and parses.

This package is the only place that imports spaCy. Other stages see :class:`~flashpoint.records`
values only. The work is split for speed: named entities and sentences for the whole text (cheap),
the tagger, lemmatizer and dependency parser only for sentences that ``parse_filter`` says may hold
an event (most sentences of most articles do not).
"""

from flashpoint.nlp.model import Analysis, NlpModel, RegexModel
from flashpoint.nlp.stage import NlpStage

__all__ = ["Analysis", "NlpModel", "NlpStage", "RegexModel"]
