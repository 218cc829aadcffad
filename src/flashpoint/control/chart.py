"""A timeline chart of one actor: its events by type, places held, protests against it (matplotlib)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from flashpoint.control.intervals import control_by_actor
from flashpoint.control.support import period_of, periods_between, support_indicators
from flashpoint.dedup import actor_key
from flashpoint.records import ControlInterval, Event


def draw_timeline(events: Iterable[Event], intervals: Sequence[ControlInterval], actor: str, out: Path, *,
                  by: str = "month") -> int:
    """Write the chart to ``out`` (.png or .svg); returns the number of periods drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    events = list(events)
    key = actor_key(actor)
    mine = [e for e in events if key in {actor_key(n) for n in (e.actor1, e.actor2, e.target)}
            and e.event_date is not None]  # an undated event has no period
    holdings = {h.period: len(h.places) for h in control_by_actor(intervals, actor, by=by)}
    support = {s.period: s for s in support_indicators(events, actor, by=by)}
    dates = [e.event_date for e in mine if e.event_date is not None]
    periods = sorted(set(holdings) | set(support) | {period_of(d, by) for d in dates})
    if periods:
        from flashpoint.control.support import period_bounds

        periods = list(periods_between(period_bounds(periods[0], by)[0], period_bounds(periods[-1], by)[0], by))
    by_type: dict[str, Counter[str]] = {}
    for e in mine:
        if e.event_date is not None:
            by_type.setdefault(e.event_type, Counter())[period_of(e.event_date, by)] += 1
    x = list(range(len(periods)))
    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(max(6, 0.6 * len(periods) + 3), 8), sharex=True)
    bottom = [0] * len(periods)
    for event_type, counts in sorted(by_type.items()):
        heights = [counts.get(p, 0) for p in periods]
        ax1.bar(x, heights, bottom=bottom, label=event_type)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax1.set_ylabel("events")
    ax1.set_title(f"{actor}: events by type")
    if by_type:
        ax1.legend(fontsize="small")
    ax2.step(x, [holdings.get(p, 0) for p in periods], where="mid")
    ax2.set_ylabel("places held")
    ax3.bar([i - 0.2 for i in x], [support[p].protests_against if p in support else 0 for p in periods], width=0.4,
            label="protests against")
    ax3.bar([i + 0.2 for i in x], [support[p].force_against_protesters if p in support else 0 for p in periods],
            width=0.4, label="force against protesters")
    ax3.set_ylabel("count")
    ax3.legend(fontsize="small")
    ax3.set_xticks(x, periods, rotation=45, ha="right")
    for ax in (ax1, ax2, ax3):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    try:
        fig.savefig(out)
    finally:
        plt.close(fig)
    return len(periods)
