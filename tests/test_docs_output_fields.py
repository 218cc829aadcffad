"""docs/output-fields.md documents every field of the event record and every PLOVER field."""

from __future__ import annotations

import re

from flashpoint.serialize import EVENT_FIELDS
from flashpoint.store.exports import ACLED_COLUMNS, plover_record
from tests.conftest import ROOT
from tests.helpers import make_event

DOC = (ROOT / "docs" / "output-fields.md").read_text(encoding="utf-8")
ROWS = set(re.findall(r"^\| `([a-z_0-9]+)`", DOC, re.M)) | set(re.findall(r"`([a-z_0-9]+)`", DOC))


def test_docs_output_fields_every_event_field_has_a_row():
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", DOC, re.M))
    missing = [f for f in EVENT_FIELDS if f not in documented]
    assert not missing, f"docs/output-fields.md lacks a row for {missing}"


def test_docs_output_fields_names_every_acled_column_and_plover_key():
    missing = [c for c in ACLED_COLUMNS if c not in ROWS and c != "event_id_cnty"]
    assert not missing
    assert not [k for k in plover_record(make_event()) if k not in ROWS]
