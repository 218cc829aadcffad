#!/usr/bin/env bash
# Refresh the map page's vendored front-end files from npm (run by a maintainer, not by `make run`).
#
# Installs pinned packages into a temporary folder and copies the built files into
# src/flashpoint/web/static/vendor/, where they are committed: serving the page needs no npm and
# no network. Country outlines: Natural Earth 1:110m (public domain) from the world-atlas package,
# converted from TopoJSON to GeoJSON with topojson-client's topo2geo.
#
# Usage: scripts/refresh_web_assets.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LEAFLET=1.9.4
MARKERCLUSTER=1.5.3
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0

DEST=src/flashpoint/web/static/vendor
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

(
  cd "$TMP"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --ignore-scripts --silent \
    "leaflet@$LEAFLET" "leaflet.markercluster@$MARKERCLUSTER" \
    "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT"
  node_modules/.bin/topo2geo countries=countries.geojson < node_modules/world-atlas/countries-110m.json
)

rm -rf "$DEST"
mkdir -p "$DEST/leaflet/images" "$DEST/markercluster" "$DEST/outlines"
cp "$TMP/node_modules/leaflet/dist/leaflet.js" "$TMP/node_modules/leaflet/dist/leaflet.css" "$DEST/leaflet/"
cp "$TMP/node_modules/leaflet/dist/images/"*.png "$DEST/leaflet/images/"
cp "$TMP/node_modules/leaflet/LICENSE" "$DEST/leaflet/LICENSE"
cp "$TMP/node_modules/leaflet.markercluster/dist/leaflet.markercluster.js" \
   "$TMP/node_modules/leaflet.markercluster/dist/MarkerCluster.css" \
   "$TMP/node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css" "$DEST/markercluster/"
cp "$TMP/node_modules/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/markercluster/LICENSE" 2>/dev/null \
  || cp "$TMP/node_modules/leaflet.markercluster/"*LICEN[CS]E* "$DEST/markercluster/LICENSE"
cp "$TMP/countries.geojson" "$DEST/outlines/countries-110m.geojson"
python3 scripts/unwrap_outlines.py "$DEST/outlines/countries-110m.geojson"  # no bands across the map
cp "$TMP/node_modules/world-atlas/LICENSE" "$DEST/outlines/LICENSE-world-atlas"

cat > "$DEST/VERSIONS.txt" <<TXT
Vendored by scripts/refresh_web_assets.sh from npm; do not edit by hand.
leaflet $LEAFLET (BSD-2-Clause)
leaflet.markercluster $MARKERCLUSTER (MIT)
world-atlas $WORLD_ATLAS countries-110m (ISC; data: Natural Earth, public domain), converted by topojson-client $TOPOJSON_CLIENT,
  rings crossing the antimeridian unwrapped by scripts/unwrap_outlines.py
TXT
echo "refreshed $DEST:"
find "$DEST" -type f | sort | while read -r f; do printf '  %8d  %s\n' "$(wc -c < "$f")" "$f"; done
