"""What the sentence model reads for each sentence, and whether a sentence so read may be coded: the
decision the events stage takes and the parse filter takes before it (:mod:`~flashpoint.events.prefilter`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flashpoint.events import rules
from flashpoint.events.sentence_model import NONE, REASON_MODALITY, Reading, SentenceModel, with_context
from flashpoint.records import DEFAULT_MODALITIES

_QUOTE_OPEN = ("“", '"', "‘")
_ATTRIBUTION = re.compile(r"^(?:said|says|told|added|according to)\b", re.IGNORECASE)


def model_inputs(texts: Sequence[str], lead: bool = False) -> list[str]:
    """What the sentence model reads for each sentence of one article, in order: the sentence, or a
    quotation together with the attribution that follows it as a sentence of its own ("... today.” Said
    one of the marchers ..."), which says who is speaking and what the quotation is about. With ``lead``
    (a model trained so: :attr:`SentenceModel.reads_lead`), every sentence after the first reads with the
    article's first sentence after it, the lead that says what the story is about."""
    out = list(texts)
    for i in range(len(texts) - 1):
        if texts[i].lstrip().startswith(_QUOTE_OPEN) and _ATTRIBUTION.match(texts[i + 1].lstrip()):
            out[i] = f"{texts[i]} {texts[i + 1]}"
    if lead and texts:
        out[1:] = [with_context(t, texts[0]) for t in out[1:]]
    return out


def read_article(model: SentenceModel, texts: Sequence[str]) -> list[Reading]:
    """The model's reading of each sentence of one article, read as it was trained to read them."""
    return model.read(model_inputs(texts, model.reads_lead))


def may_code(reading: Reading, text: str) -> bool:
    """Whether the stage may code an event from a sentence so read (what the parse filter asks before
    the parse): the model reads a current event, or a codebook cue fires where the model reads a
    report, a plan, a threat or a past event."""
    if current(reading):
        return True
    if reading.reason != "event" and reading.reason not in REASON_MODALITY:
        return False
    return any(h.strong and h.label != NONE and h.tier != "veto" for h in rules.hits(text))


def current(reading: Reading) -> bool:
    """The model reads a current event in the sentence."""
    return reading.label != NONE and reading.modality in DEFAULT_MODALITIES
