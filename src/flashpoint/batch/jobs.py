"""Whole runs as library calls: ``flashpoint code`` and ``flashpoint places`` each make one.

::

    read_inputs ─► code_items (chunks, stored already?, engine, store) ─► CodeJob.events()    events
                   the coder's stages                                  └► PlacesJob.mentions() place mentions
                   (places: up to geo, :func:`~flashpoint.coder.place_stages`)

    read_given_spans ─► the geoparser on exactly those spans ─────────► GivenSpansJob.mentions()

A job reads through the same readers and the same batch runner as the others, names every input it
leaves out through ``on_skip`` (bad input: the rest of the batch goes on) and keeps a :class:`Tally`,
from which the caller tells whether anything was skipped. Only :class:`~flashpoint.errors.InputError`
is bad input; any other error is a bug and propagates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashpoint.batch.relevance import may_report_event
from flashpoint.batch.runner import Coded, Outcome, Skipped, code_items
from flashpoint.coder import Coder, place_stages
from flashpoint.errors import InputError
from flashpoint.ingest import Item, jsonl_records, record_to_article
from flashpoint.records import DEFAULT_MODALITIES, Article, Event, Modality, PlaceMention
from flashpoint.store import DEFAULT_URL

if TYPE_CHECKING:
    from flashpoint.batch.shards import ShardWriter
    from flashpoint.geo.geoparser import Geoparser
    from flashpoint.pipeline import Stage
    from flashpoint.store import Store

__all__ = ["CodeJob", "CodeOptions", "GivenSpans", "GivenSpansJob", "PlacesJob", "Tally", "read_given_spans"]


@dataclass(slots=True)
class Tally:
    """What a job has done so far: inputs coded (or found stored), inputs or spans left out (each
    named through ``on_skip``), and what it yielded (events, or place mentions)."""

    articles: int = 0
    skipped: int = 0
    found: int = 0


SkipHandler = Callable[[InputError], None]
ProgressHandler = Callable[[Tally], None]


class _Job:
    def __init__(self, on_skip: SkipHandler | None, on_article: ProgressHandler | None) -> None:
        self.tally = Tally()
        self._on_skip = on_skip
        self._on_article = on_article

    def _skip(self, error: InputError) -> None:
        self.tally.skipped += 1
        if self._on_skip is not None:
            self._on_skip(error)

    def _done(self, found: int) -> None:
        self.tally.articles += 1
        self.tally.found += found
        if self._on_article is not None:
            self._on_article(self.tally)

    def _coded(self, outcomes: Iterable[Outcome]) -> Iterator[Coded]:
        for outcome in outcomes:
            if isinstance(outcome, Skipped):
                self._skip(outcome.error)
            else:
                yield outcome


@dataclass(frozen=True, slots=True)
class CodeOptions:
    """How a :class:`CodeJob` codes: the sentence model (None: the shipped one), workers and engine
    (``local`` or ``ray`` at ``address``), the fast path (articles with no event trigger word are set
    aside before NLP), and the modalities of the events it yields (None: every one)."""

    model_path: Path | None = None
    workers: int = 1
    engine: str = "local"
    address: str | None = None
    fast_path: bool = True
    modalities: frozenset[Modality] | None = DEFAULT_MODALITIES


class CodeJob(_Job):
    """Codes inputs into a store (``db``), Parquet shards (``out_shards``) or nowhere (both None)
    and yields the events of the chosen modalities, input by input; a killed run resumes when run
    again into the same store (stored articles are not coded again). ``coder`` (default: the
    default pipeline with ``options.model_path``) should be unused: its models load in each worker.

    Opening the destination raises :class:`~flashpoint.errors.FlashpointError` (a bad URL, a shard
    folder that cannot be written); :meth:`close` releases it.

    >>> with CodeJob(read_inputs(["article.txt"]), db=None) as job:  # doctest: +SKIP
    ...     events = list(job.events())
    >>> job.tally.skipped  # doctest: +SKIP
    0
    """

    def __init__(
        self,
        items: Iterable[Item],
        *,
        db: str | None = DEFAULT_URL,
        out_shards: Path | None = None,
        options: CodeOptions = CodeOptions(),
        coder: Coder | None = None,
        on_skip: SkipHandler | None = None,
        on_article: ProgressHandler | None = None,
    ) -> None:
        super().__init__(on_skip, on_article)
        self.items = items
        self.options = options
        self._coder = coder
        self.store: Store | None = None
        self.sink: ShardWriter | None = None
        if out_shards is not None:
            from flashpoint.batch.shards import ShardWriter

            self.sink = ShardWriter(out_shards)
        elif db is not None:
            from flashpoint.session import session_store

            self.store = session_store(db)

    def events(self) -> Iterator[Event]:
        """The chosen events of every input, in input order; each skipped input goes to ``on_skip``."""
        opts = self.options
        coder = self._coder or Coder(model_path=opts.model_path)
        outcomes = code_items(self.items, coder, self.store, workers=opts.workers,
                              engine=opts.engine, address=opts.address,
                              relevance=may_report_event if opts.fast_path else None)
        for coded in self._coded(outcomes):
            if self.sink is not None:
                self.sink.add(coded)
            chosen = [e for e in coded.events if opts.modalities is None or e.modality in opts.modalities]
            self._done(len(chosen))
            yield from chosen

    def close(self) -> None:
        """Finish the last shard and release the store."""
        if self.sink is not None:
            self.sink.close()
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> CodeJob:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class PlacesJob(_Job):
    """Every place mention of each input (those no place was found for too), found by the coder's
    stages up to geo (:func:`~flashpoint.coder.place_stages`: the same NLP and actor stages, so that
    actors' names are read as ``code`` reads them) through the same batch runner as ``code``.

    >>> [m.text for _, m in PlacesJob(read_inputs(["article.txt"])).mentions()]  # doctest: +SKIP
    ['Aleppo', 'Syria']
    """

    def __init__(
        self,
        items: Iterable[Item],
        *,
        stages: list[Stage] | None = None,
        on_skip: SkipHandler | None = None,
        on_article: ProgressHandler | None = None,
    ) -> None:
        super().__init__(on_skip, on_article)
        self.items = items
        self._stages = stages

    def mentions(self) -> Iterator[tuple[str, PlaceMention]]:
        """(article id, place mention) for every mention, in input and text order."""
        coder = Coder(self._stages or place_stages())
        for coded in self._coded(code_items(self.items, coder, None, relevance=None)):
            found = coded.state.place_mentions if coded.state is not None else ()
            self._done(len(found))
            for mention in found:
                yield coded.article.id, mention


@dataclass(frozen=True, slots=True)
class GivenSpans:
    """An article and the toponym spans given for it (``--given-spans``), in input order."""

    article: Article
    spans: tuple[tuple[int, int], ...]


def read_given_spans(path: str) -> Iterator[GivenSpans | InputError]:
    """Each line of a JSONL batch (``-``: stdin) with its ``"toponyms": [{"start": s, "end": e}, ...]``,
    read as ``flashpoint code`` reads a batch. A bad line is an InputError naming it (``FILE:LINE``);
    so is each bad span of a good line (before the line, which keeps its other spans)."""
    for item in jsonl_records(path):
        if isinstance(item, InputError):
            yield item
            continue
        where, record = item
        try:
            article = record_to_article(record, where, where)
            spans, bad = _spans(record.get("toponyms"), article.text, where)
        except InputError as exc:
            yield exc
            continue
        yield from bad
        yield GivenSpans(article, spans)


def _spans(given: Any, text: str, where: str) -> tuple[tuple[tuple[int, int], ...], list[InputError]]:
    if not isinstance(given, list):
        raise InputError(where, '--given-spans needs a "toponyms" list of {"start": s, "end": e} on each line')
    good, bad = [], []
    for t in given:
        try:
            s, e = int(t["start"]), int(t["end"])
        except (KeyError, TypeError, ValueError):
            bad.append(InputError(where, f"bad toponym {t!r}: needs integer start and end"))
            continue
        if not 0 <= s < e <= len(text):
            bad.append(InputError(where, f"toponym span ({s}, {e}) is outside the text (length {len(text)})"))
            continue
        good.append((s, e))
    return tuple(good), bad


class GivenSpansJob(_Job):
    """Resolves exactly the given spans of each line (:func:`read_given_spans`), one mention per span
    in input order; the rest of each text, matched against the gazetteer, is context only."""

    def __init__(
        self,
        items: Iterable[GivenSpans | InputError],
        *,
        geoparser: Geoparser | None = None,
        on_skip: SkipHandler | None = None,
        on_article: ProgressHandler | None = None,
    ) -> None:
        super().__init__(on_skip, on_article)
        self.items = items
        self._geoparser = geoparser

    def mentions(self) -> Iterator[tuple[str, PlaceMention]]:
        """(article id, place mention) for every good span, in input order."""
        if self._geoparser is None:
            from flashpoint.geo.geoparser import Geoparser

            self._geoparser = Geoparser()
        for item in self.items:
            if isinstance(item, InputError):
                self._skip(item)
                continue
            found = self._geoparser.resolve_spans(item.article.text, item.spans) if item.spans else []
            self._done(len(found))
            for mention in found:
                yield item.article.id, mention
