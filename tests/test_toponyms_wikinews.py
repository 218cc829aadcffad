"""The Wikinews toponym corpus: annotators' lines become offsets and coordinates the geoparse scorer reads,
bad lines are named, agreement is measured on the doubled articles, and the committed file says its licence."""

from __future__ import annotations

import importlib.util
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flashpoint.evaluation.geoparse import read_corpus

from .conftest import ROOT

TEXT = "Storm hits Portland, Maine\n\nA storm hit Portland on Monday. Maine's governor flew to  Portland."


def _tool():
    spec = importlib.util.spec_from_file_location("wikinews_geo", ROOT / "training" / "toponyms" / "wikinews_geo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _batches(tmp_path: Path) -> Path:
    out = tmp_path / "batches"
    out.mkdir()
    a = TEXT.index("A storm")
    b = TEXT.index(" Maine's")
    sentences = [[0, TEXT.index("\n")], [a, b + 1], [b + 1, len(TEXT)]]
    doc = {"source": "wikinews", "doc": "wn-Storm", "published": "2019-01-07", "bucket": 1,
           "sentences": sentences, "text": TEXT}
    (out / "documents.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (out / "geo-1.index.jsonl").write_text(json.dumps({"doc": "wn-Storm", "double": False}) + "\n", encoding="utf-8")
    (out / "geo-2.index.jsonl").write_text(json.dumps({"doc": "wn-Storm", "double": True}) + "\n", encoding="utf-8")
    return out


def test_wikinews_geo_build_writes_offsets_the_scorer_reads(tmp_path: Path) -> None:
    tool = _tool()
    batches, labels = _batches(tmp_path), tmp_path / "labels"
    labels.mkdir()
    # Portland, Maine (gazetteer id 4975802); Maine given as coordinates; the second annotator places
    # the second Portland in Oregon.
    (labels / "geo-1.tsv").write_text(
        "wn-Storm\t0\tPortland\t1\t4975802\n"
        "wn-Storm\t1\tPortland\t1\t4975802\n"
        "wn-Storm\t2\tMaine\t1\t45.25,-69.0\tnot in gazetteer\n"
        "wn-Storm\t2\tPortland\t1\t4975802\n", encoding="utf-8")
    (labels / "geo-2.tsv").write_text(
        "wn-Storm\t0\tPortland\t1\t4975802\n"
        "wn-Storm\t1\tPortland\t1\t4975802\n"
        "wn-Storm\t2\tPortland\t1\t45.52,-122.68\n", encoding="utf-8")
    out = tmp_path / "geo.xml"
    tool.main(["build", "--round", str(batches), str(labels), "--out", str(out)])
    [article] = read_corpus(out)
    assert article.id == "wn-Storm"
    spans = [(t.start, t.end, article.text[t.start:t.end]) for t in article.toponyms]
    assert [s[2] for s in spans] == ["Portland", "Portland", "Maine", "Portland"]
    assert spans[3][0] == TEXT.rindex("Portland")  # the double space inside the sentence is kept
    maine = article.toponyms[2]
    assert (maine.latitude, maine.longitude, maine.geonameid) == (45.25, -69.0, None)
    assert article.toponyms[0].geonameid == 4975802 and round(article.toponyms[0].latitude) == 44
    assert "CC BY 2.5" in ET.parse(out).getroot().get("licence", "")
    agree = tool.agreement({"wn-Storm": {(0, 8): (43.6, -70.3), (1, 9): (43.6, -70.3), (5, 9): (45.2, -69.0)}},
                           {"wn-Storm": {(0, 8): (43.6, -70.3), (1, 9): (45.5, -122.7)}})
    assert agree["both"] == 2 and agree["span_f1"] == 0.8 and agree["same_place_where_both"] == 0.5


@pytest.mark.parametrize(("line", "why"), [
    ("wn-Storm\t1\tPortland\t2\t4975802", "occurs 1 time"),
    ("wn-Storm\t1\tPortland\t1\tsomewhere", "neither a gazetteer id"),
    ("wn-Storm\t1\tPortland\t1\t95.0,10.0", "out of range"),
    ("wn-Other\t1\tPortland\t1\t4975802", "unknown document"),
])
def test_wikinews_geo_check_names_the_bad_line(tmp_path: Path, line: str, why: str) -> None:
    tool = _tool()
    batches = _batches(tmp_path)
    bad = tmp_path / "bad.tsv"
    bad.write_text("wn-Storm\t0\tPortland\t1\t4975802\n" + line + "\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=f"bad.tsv:2: .*{why}"):
        tool.main(["check", "--batches", str(batches), str(bad)])


def test_wikinews_geo_committed_corpus_is_openly_licensed_and_scored() -> None:
    path = ROOT / "training" / "toponyms" / "wikinews-geo.xml"
    assert "CC BY 2.5" in ET.parse(path).getroot().get("licence", "")
    articles = read_corpus(path)
    assert len(articles) >= 50
    toponyms = [t for a in articles for t in a.toponyms]
    assert len(toponyms) >= 500
    assert all(a.text[t.start:t.end] == t.text for a in articles for t in a.toponyms)
