"""Make the map's country outlines continuous across the antimeridian (run by refresh_web_assets.sh).

world-atlas cuts the rings of Russia and Fiji at ±180°: a ring runs along 180° and jumps to -180°,
and Leaflet draws that jump as a band across the whole map. Each such ring is unwrapped (every
point after a jump shifted by 360°) and the ring then moved whole so that its middle lies within
-180..180; Leaflet draws the few points past 180° beside the map's edge. A ring that jumps an odd
number of times goes round a pole (Antarctica) and is left as it is: its jump runs along the pole's
edge of the map.

Usage: python scripts/unwrap_outlines.py src/flashpoint/web/static/vendor/outlines/countries-110m.geojson
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

Ring = list[list[float]]


def jumps(ring: Ring) -> int:
    """How many times consecutive points are more than 180° of longitude apart."""
    return sum(1 for a, b in itertools.pairwise(ring) if abs(b[0] - a[0]) > 180)


def unwrap(ring: Ring) -> Ring:
    """The ring without jumps across the antimeridian (a ring round a pole is returned as it is)."""
    n = jumps(ring)
    if n == 0 or n % 2:
        return ring
    out = [list(ring[0])]
    shift = 0.0
    for prev, point in itertools.pairwise(ring):
        step = point[0] - prev[0]
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        out.append([point[0] + shift, *point[1:]])
    middle = (min(p[0] for p in out) + max(p[0] for p in out)) / 2
    whole = 360.0 if middle < -180 else -360.0 if middle > 180 else 0.0
    return [[round(p[0] + whole, 10), *p[1:]] for p in out]


def unwrap_collection(collection: dict) -> int:
    """Unwrap every ring of a FeatureCollection in place; returns how many rings changed."""
    changed = 0
    for feature in collection["features"]:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                fixed = unwrap(ring)
                if fixed is not ring:
                    polygon[i] = fixed
                    changed += 1
    return changed


def main(path: str) -> None:
    file = Path(path)
    collection = json.loads(file.read_text(encoding="utf-8"))
    changed = unwrap_collection(collection)
    file.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{file}: {changed} rings unwrapped across the antimeridian")


if __name__ == "__main__":
    main(sys.argv[1])
