"""Coded articles as Parquet shards: what a Ray run writes with ``--out-shards``, and what
``flashpoint import`` loads into a store.

One row per coded article: the article's fields, and as JSON what the store keeps of it (sentence
offsets, actor and place mentions, events in the ``--format jsonl`` contract). A shard is written
whole under a temporary name and renamed, so a killed run leaves only complete shards. Shards are
read one row group at a time, so importing stays flat in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flashpoint.errors import InputError
from flashpoint.pipeline import ArticleState
from flashpoint.records import Actor, ActorMention, Article, Place, PlaceMention, Sentence, Via
from flashpoint.serialize import event_from_dict, event_to_dict

SHARD_ROWS = 1000
"""Articles per shard file."""

_COLUMNS = (
    "id",
    "text",
    "published",
    "title",
    "source",
    "url",
    "language",
    "sentences",
    "actor_mentions",
    "place_mentions",
    "events",
)


def _schema() -> Any:
    import pyarrow as pa

    string_cols = [c for c in _COLUMNS if c != "published"]
    fields = [pa.field(c, pa.string(), nullable=c not in ("id", "text")) for c in string_cols]
    fields.insert(2, pa.field("published", pa.date32()))
    return pa.schema(fields)


def state_row(state: ArticleState) -> dict[str, Any]:
    """One coded article as a shard row."""
    a = state.article
    return {
        "id": a.id,
        "text": a.text,
        "published": a.published,
        "title": a.title,
        "source": a.source,
        "url": a.url,
        "language": a.language,
        "sentences": json.dumps([[s.start, s.end] for s in state.sentences]),
        "actor_mentions": json.dumps([_actor_mention(m) for m in state.actor_mentions], ensure_ascii=False),
        "place_mentions": json.dumps([_place_mention(m) for m in state.place_mentions], ensure_ascii=False),
        "events": json.dumps([event_to_dict(e) for e in state.events], ensure_ascii=False),
    }


def row_state(row: dict[str, Any], where: str) -> ArticleState:
    """A shard row back to the state the store writes; a malformed row is an :class:`InputError`."""
    try:
        published = row["published"]
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        article = Article(
            str(row["id"]),
            str(row["text"]),
            published,
            row.get("title"),
            row.get("source"),
            row.get("url"),
            row.get("language"),
        )
        text = article.text
        sentences = tuple(
            Sentence(n, int(start), int(end), text[int(start) : int(end)])
            for n, (start, end) in enumerate(json.loads(row["sentences"] or "[]"))
        )
        actors = tuple(_actor_mention_from(d) for d in json.loads(row["actor_mentions"] or "[]"))
        places = tuple(_place_mention_from(d) for d in json.loads(row["place_mentions"] or "[]"))
        events = tuple(event_from_dict(d) for d in json.loads(row["events"] or "[]"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(where, f"malformed shard row ({exc.__class__.__name__}: {exc})") from exc
    return ArticleState(
        article,
        sentences=sentences,
        actor_mentions=actors,
        place_mentions=places,
        events=events,
        done=frozenset({"import"}),
    )


def _actor_mention(m: ActorMention) -> dict[str, Any]:
    a = m.actor
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "sentence": m.sentence,
        "confidence": m.confidence,
        "via": m.via,
        "actor": {"name": a.name, "kind": a.kind, "inter": a.inter, "country": a.country, "known": a.known},
    }


def _actor_mention_from(d: dict[str, Any]) -> ActorMention:
    a = d["actor"]
    inter = int(a["inter"] or 0) or None  # unknown: null, or 0 in shards written before it was null
    actor = Actor(a["name"], a["kind"], inter, a.get("country"), known=bool(a.get("known", True)))
    return ActorMention(
        int(d["start"]), int(d["end"]), d["text"], int(d["sentence"]), actor, float(d["confidence"]), Via(d["via"])
    )


_PLACE_FIELDS = (
    "name",
    "latitude",
    "longitude",
    "geonameid",
    "country_code",
    "iso3",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "feature_class",
    "feature_code",
    "population",
)


def _place_mention(m: PlaceMention) -> dict[str, Any]:
    place = None if m.place is None else {f: getattr(m.place, f) for f in _PLACE_FIELDS}
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "sentence": m.sentence,
        "confidence": m.confidence,
        "place": place,
    }


def _place_mention_from(d: dict[str, Any]) -> PlaceMention:
    p = d.get("place")
    place = None if p is None else Place(**{f: p.get(f) for f in _PLACE_FIELDS})
    return PlaceMention(
        int(d["start"]), int(d["end"]), d["text"], int(d["sentence"]), place, d.get("confidence")
    )


class ShardWriter:
    """Collects coded articles and writes them ``rows`` at a time as ``DIR/shard-NNNNN.parquet``."""

    def __init__(self, folder: Path, rows: int = SHARD_ROWS) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(folder), f"cannot create shard folder: {exc.strerror or exc}") from exc
        self.rows = rows
        self._buffer: list[dict[str, Any]] = []
        self._next = self._first_free()
        self.written = 0

    def _first_free(self) -> int:
        taken = [
            int(p.stem.split("-")[1]) for p in self.folder.glob("shard-*.parquet") if p.stem[6:].isdigit()
        ]
        return max(taken, default=-1) + 1

    def add(self, outcome: Any) -> None:
        """Add a :class:`~flashpoint.batch.work.Coded` outcome that carries its state."""
        if outcome.state is None:
            return
        self._buffer.append(state_row(outcome.state))
        if len(self._buffer) >= self.rows:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist(self._buffer, schema=_schema())
        path = self.folder / f"shard-{self._next:05d}.parquet"
        tmp = path.with_name(path.name + ".part")
        pq.write_table(table, tmp, row_group_size=256)
        os.replace(tmp, path)
        self.written += len(self._buffer)
        self._next += 1
        self._buffer = []

    def close(self) -> None:
        self.flush()


def shard_paths(source: Path) -> list[Path]:
    """The shard files of a folder (sorted), or the one file given."""
    if source.is_dir():
        return sorted(source.glob("*.parquet"))
    return [source]


def read_shards(source: Path) -> Iterator[ArticleState | InputError]:
    """Every coded article in a shard folder (or one shard file), one row group at a time."""
    paths = shard_paths(source)
    if not paths:
        yield InputError(str(source), "no .parquet shards in this folder")
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    for path in paths:
        try:
            shard = pq.ParquetFile(path)
            missing = set(_COLUMNS) - set(shard.schema_arrow.names)
            if missing:
                yield InputError(str(path), f"not a flashpoint shard: columns {sorted(missing)} are missing")
                continue
            n = 0
            for batch in shard.iter_batches(batch_size=256, columns=list(_COLUMNS)):
                for row in batch.to_pylist():
                    n += 1
                    try:
                        yield row_state(row, f"{path}:{n}")
                    except InputError as exc:
                        yield exc
        except (OSError, pa.ArrowException) as exc:
            yield InputError(str(path), f"unreadable Parquet shard ({exc})")
