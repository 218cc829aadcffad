from __future__ import annotations

import csv
import io
import json

from geojson_validator import validate_structure

from flashpoint.store.exports import ACLED_COLUMNS, export_string
from tests.helpers import make_event

ACLED_ORDER = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def test_store_exports_acled_csv_has_exactly_acleds_31_columns_in_order():
    assert list(ACLED_COLUMNS) == ACLED_ORDER and len(ACLED_ORDER) == 31
    text = export_string([make_event()], "acled-csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ACLED_ORDER
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["event_date"] == "2018-05-07" and row["year"] == "2018" and row["region"] == "Middle East"
    assert row["iso"] == "760" and row["actor2"] == "" and row["location"] == "Saraqib"


def test_store_exports_geojson_is_a_valid_feature_collection():
    doc = json.loads(
        export_string([make_event(), make_event(event_id="FP2", latitude=None, longitude=None)], "geojson")
    )
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 2
    assert doc["features"][0]["geometry"] == {"type": "Point", "coordinates": [36.8006, 35.8624]}
    assert doc["features"][1]["geometry"] is None
    assert validate_structure(doc) == {}


def test_store_exports_jsonl_one_object_per_event():
    lines = export_string([make_event(), make_event(event_id="FP2")], "jsonl").splitlines()
    assert [json.loads(line)["event_id"] for line in lines] == ["FP1", "FP2"]
    first = json.loads(lines[0])
    assert first["evidence"] == {"text": "HTS fighters shelled Saraqib on Monday.", "start": 0, "end": 39}
    assert first["field_evidence"]["actor1"] == {"start": 0, "end": 3}
