#!/usr/bin/env python3
"""Latency of GET /api/events on loopback: median and p95 over a few hundred requests.

Starts ``flashpoint serve`` over --db in a child process (rate limit off), warms it up, then sends
--requests requests cycling through a mix of queries (the default page, each filter, paging) from
--concurrency client threads, and prints one line per query kind and the overall figures.

Usage:
    .venv/bin/python scripts/api_latency.py --db sqlite:///guardian.db --requests 500
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict

import httpx

QUERIES = {
    "default page (200)": "/api/events",
    "page of 1000": "/api/events?limit=1000",
    "type": "/api/events?type=Battles",
    "actor": "/api/events?actor=Hayat%20Tahrir",
    "country+since": "/api/events?country=Syria&since=2018-01-01",
    "bbox": "/api/events?bbox=35.5,32,42.5,37.5",
    "text q": "/api/events?q=killed",
    "all modalities": "/api/events?modality=all&limit=100",
    "offset 100": "/api/events?limit=50&offset=100",
}
SERVE = "import typer; from flashpoint.cli.serve import serve; typer.run(serve)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL to serve")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()

    port = free_port()
    env = {**os.environ, "FLASHPOINT_LOG_LEVEL": "warning"}
    env.pop("FLASHPOINT_TOKEN", None)
    cmd = [sys.executable, "-c", SERVE, "--db", args.db, "--port", str(port), "--rate-limit", "0"]
    server = subprocess.Popen(cmd, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(300):
                try:
                    client.get("/api/config")
                    break
                except httpx.TransportError:
                    if server.poll() is not None:
                        print("server exited", file=sys.stderr)
                        return 1
                    time.sleep(0.1)
            sizes = {name: len(client.get(path).json()["events"]) for name, path in QUERIES.items()}
            for n in range(args.warmup):
                client.get(list(QUERIES.values())[n % len(QUERIES)])

        plan = [list(QUERIES.items())[n % len(QUERIES)] for n in range(args.requests)]
        timings: dict[str, list[float]] = defaultdict(list)
        errors = 0
        lock = threading.Lock()
        cursor = iter(range(len(plan)))

        def worker() -> None:
            nonlocal errors
            with httpx.Client(base_url=base, timeout=60) as c:
                while True:
                    with lock:
                        n = next(cursor, None)
                    if n is None:
                        return
                    name, path = plan[n]
                    t0 = time.perf_counter()
                    r = c.get(path)
                    r.read()
                    dt_ms = (time.perf_counter() - t0) * 1000
                    with lock:
                        timings[name].append(dt_ms)
                        errors += r.status_code != 200

        wall = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - wall
    finally:
        server.terminate()
        server.wait(timeout=30)

    every = [v for vs in timings.values() for v in vs]
    print(f"GET /api/events on {base} over {args.db}: {len(every)} requests, concurrency {args.concurrency}")
    print(f"{'query':<22} {'events':>6} {'n':>4} {'median ms':>10} {'p95 ms':>8}")
    for name in QUERIES:
        vs = timings[name]
        print(
            f"{name:<22} {sizes[name]:>6} {len(vs):>4} {statistics.median(vs):>10.1f} {percentile(vs, 0.95):>8.1f}"
        )
    print(
        f"{'ALL':<22} {'':>6} {len(every):>4} {statistics.median(every):>10.1f} {percentile(every, 0.95):>8.1f}"
        f"   ({len(every) / wall:.0f} req/s, {errors} non-200)"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
