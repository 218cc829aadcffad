"""Throughput and memory of flashpoint end to end, against spaCy's full pipeline on the same texts.

Each measurement runs in a fresh Python process (``python -m flashpoint.batch.bench CONFIG``) so its
peak memory is its own: the peak resident set of the driver plus that of every worker process or
actor. Models load and workers start before the clock starts (that start-up is reported apart).

* ``flashpoint``: read the input file, skip nothing (a new temporary SQLite store), relevance
  filter, code, and store every article: the whole ``flashpoint code --input`` path.
* ``spacy-full``: the same texts (read beforehand) through every component of spaCy's English
  pipeline with ``nlp.pipe``, in the same chunks on the same number of processes.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flashpoint.errors import FlashpointError, InputError

KINDS = ("flashpoint", "spacy-full", "flashpoint-no-relevance", "flashpoint-parse-all")


@dataclass(frozen=True, slots=True)
class Measure:
    kind: str
    engine: str
    workers: int
    articles: int
    words: int
    events: int
    seconds: float
    startup_seconds: float
    peak_mb: float

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def events_per_s(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class SpacyFullTask:
    """``task(texts) -> [tokens per text]`` with every component of spaCy's pipeline."""

    def __init__(self) -> None:
        self._model: Any = None

    def warm(self) -> None:
        self._nlp()("Gunmen attacked a checkpoint in Aleppo.")

    def _nlp(self) -> Any:
        if self._model is None:
            from flashpoint.nlp.model import SpacyModel

            self._model = SpacyModel()
        return self._model.nlp

    def __call__(self, texts: list[str]) -> list[int]:
        # flashpoint's SpacyModel adds a sentencizer in front; spaCy alone runs without it.
        return [len(doc) for doc in self._nlp().pipe(texts, batch_size=32, disable=["sentencizer"])]


def _peak_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class _PeakTask:
    """Wraps a task so that each worker can report its own peak memory."""

    def __init__(self, task: Any) -> None:
        self.task = task

    def warm(self) -> None:
        warm = getattr(self.task, "warm", None)
        if callable(warm):
            warm()

    def __call__(self, chunk: list[Any]) -> list[Any]:
        if chunk == ["__peak__"]:
            return [(os.getpid(), _peak_kb())]
        return self.task(chunk)


def _worker_peaks_kb(engine: Any) -> int:
    """Sum of the workers' peak memory (a probe chunk per worker; distinct pids only)."""
    from flashpoint.batch.engines import InlineEngine

    if isinstance(engine, InlineEngine):
        return 0
    peaks: dict[int, int] = {}
    for _ in range(4):
        for pid, kb in (r[0] for r in engine.map([["__peak__"]] * (engine.workers * 2))):
            peaks[pid] = max(kb, peaks.get(pid, 0))
        if len(peaks) >= engine.workers:
            break
    return sum(peaks.values())


def _words(text: str) -> int:
    return len(text.split())


def _read(path: Path) -> Iterator[Any]:
    from flashpoint.ingest import read_csv, read_jsonl

    return read_csv(path) if str(path).lower().removesuffix(".gz").endswith(".csv") else read_jsonl(path)


def measure(kind: str, path: Path, workers: int, engine_name: str, batch_size: int = 16) -> Measure:
    """One measurement in this process (``run_isolated`` runs it in a fresh one)."""
    from flashpoint.batch.choice import make_engine
    from flashpoint.records import Article

    t0 = time.perf_counter()
    task: Any
    if kind == "spacy-full":
        task = SpacyFullTask()
    elif kind in KINDS:
        from flashpoint.batch.relevance import may_report_event
        from flashpoint.batch.work import CodeTask

        task = CodeTask(
            _coder(parse_all=kind == "flashpoint-parse-all"),
            None if kind == "flashpoint-no-relevance" else may_report_event,
        )
    else:
        raise ValueError(f"unknown measurement {kind!r}; choose one of {', '.join(KINDS)}")
    engine = make_engine(_PeakTask(task), workers, engine=engine_name)
    try:
        engine.warm()
        if kind != "spacy-full":
            _warm_reader()
        startup = time.perf_counter() - t0
        if kind == "spacy-full":
            texts = [x.text for x in _read(path) if isinstance(x, Article)]
            chunks = [texts[i : i + batch_size] for i in range(0, len(texts), batch_size)]
            start = time.perf_counter()
            for _ in engine.map(chunks):
                pass
            seconds = time.perf_counter() - start
            articles, words, events = len(texts), sum(map(_words, texts)), 0
        else:
            articles, words, events, seconds = _code_into_temp_store(engine, path, batch_size)
        peak_kb = _peak_kb() + _worker_peaks_kb(engine)
    finally:
        engine.close()
    return Measure(kind, engine_name, workers, articles, words, events, seconds, startup, peak_kb / 1024)


def _warm_reader() -> None:
    """Load the reader's language model now: the input is read (and its language checked) in this
    process on the clock, and loading a model is start-up, as spaCy's is for both sides."""
    from flashpoint.ingest.readers import detect_language

    detect_language("Gunmen attacked a checkpoint in Aleppo on Monday, killing two soldiers.")


def _coder(parse_all: bool) -> Any:
    from flashpoint.coder import Coder, default_stages

    if not parse_all:
        return Coder()
    from flashpoint.nlp import NlpStage

    stages = default_stages()
    nlp = stages[0]
    if not isinstance(nlp, NlpStage):
        raise FlashpointError("the default pipeline no longer starts with the NLP stage")
    stages[0] = NlpStage(nlp.model, parse_filter=None)
    return Coder(stages)


def _code_into_temp_store(engine: Any, path: Path, batch_size: int) -> tuple[int, int, int, float]:
    from flashpoint.batch.runner import code_items
    from flashpoint.batch.work import Coded
    from flashpoint.store import open_store

    articles = words = events = 0
    with tempfile.TemporaryDirectory(prefix="flashpoint-bench-") as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        start = time.perf_counter()
        # code_items closes the engine it is given once the input is done; keep it open for probes.
        for outcome in code_items(_read(path), None, store, engine=_KeepOpen(engine), batch_size=batch_size):  # type: ignore[arg-type]
            if isinstance(outcome, Coded):
                articles += 1
                words += _words(outcome.article.text)
                events += len(outcome.events)
        seconds = time.perf_counter() - start
        store.close()
    return articles, words, events, seconds


class _KeepOpen:
    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.workers = engine.workers

    def map(self, chunks: Any) -> Any:
        return self.engine.map(chunks)

    def warm(self) -> None:
        self.engine.warm()

    def close(self) -> None:
        return None


def run_isolated(kind: str, path: Path, workers: int, engine: str) -> Measure:
    """:func:`measure` in a fresh Python process; its errors come back as FlashpointError."""
    config = json.dumps({"kind": kind, "path": str(path), "workers": workers, "engine": engine})
    proc = subprocess.run(
        [sys.executable, "-m", "flashpoint.batch.bench", config], capture_output=True, text=True, check=False
    )
    lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        raise FlashpointError(f"benchmark {kind} ({engine}, {workers} workers) failed: {' | '.join(tail)}")
    data = json.loads(lines[-1])
    return Measure(**data)


def check_input(path: Path) -> None:
    if not path.is_file():
        raise InputError(str(path), "no such file")


def main(argv: list[str]) -> int:
    config = json.loads(argv[0])
    m = measure(config["kind"], Path(config["path"]), int(config["workers"]), config["engine"])
    print(json.dumps(asdict(m)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
