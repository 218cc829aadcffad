"""Geoparse scoring: both corpus layouts, and the figures on known errors."""

from __future__ import annotations

import pytest

from flashpoint.errors import InputError
from flashpoint.evaluation.geoparse import MAX_KM, read_corpus, score_resolution, summarise
from flashpoint.geo.gazetteer import MemoryGazetteer
from flashpoint.geo.geoparser import Geoparser
from flashpoint.records import Place

TRNEWS = """<articles><article docid="7"><text>Shelling hit Aleppo today.</text><toponyms><toponym>
<phrase>Aleppo</phrase><start>13</start><end>19</end><gaztag geonameid="170063"><name>Aleppo</name>
<fclass>P</fclass><fcode>PPLA</fcode><lat>36.20124</lat><lon>37.16117</lon></gaztag></toponym></toponyms>
</article></articles>"""
GWN = """<articles><article file="0"><title>t</title><text>Shelling hit Aleppo today.</text><toponyms><toponym>
<extractedName>Aleppo</extractedName><start>13</start><end>19</end><geonamesID>170063</geonamesID>
<latitude>36.20124</latitude><longitude>37.16117</longitude></toponym><toponym><extractedName>today</extractedName>
<start>20</start><end>25</end><geonamesID/><latitude/><longitude/></toponym></toponyms></article></articles>"""


@pytest.mark.parametrize("xml", [TRNEWS, GWN])
def test_evaluation_geoparse_reads_both_layouts(tmp_path, xml: str) -> None:
    path = tmp_path / "c.xml"
    path.write_text(xml, encoding="utf-8")
    arts = read_corpus(path)
    assert len(arts) == 1 and len(arts[0].toponyms) == 1
    t = arts[0].toponyms[0]
    assert arts[0].text[t.start : t.end] == "Aleppo" and t.geonameid == 170063
    gaz = MemoryGazetteer([Place("Aleppo", 36.2, 37.16, 170063, "SY", feature_class="P", feature_code="PPLA",
                                 population=2_000_000)])
    scores, errors = score_resolution(arts, Geoparser(gaz).resolve_spans)
    assert scores.accuracy_161 == 1.0 and errors[0] < 5


def test_evaluation_geoparse_summary_counts_misses_as_max_error() -> None:
    s = summarise([10.0, 100.0, 200.0, MAX_KM])
    assert s.accuracy_161 == 0.5 and s.median_km == 150.0 and 0 < s.auc < 1


def test_evaluation_geoparse_rejects_non_corpus(tmp_path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text("not xml", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.xml"):
        read_corpus(path)


LGL = """<articles><article docid="38543"><feedid>1</feedid><title>t</title><text>Storms hit Columbia, S.C. and
Aleppo.</text><toponyms><toponym><start>11</start><end>19</end><gaztag geonameid="4575352"><name>Columbia</name>
<fclass>P</fclass><fcode>PPLA</fcode><lat>34.00071</lat><lon>-81.03481</lon><country>United States</country>
<admin1>South Carolina</admin1></gaztag><phrase>Columbia</phrase></toponym><toponym><start>21</start>
<end>25</end><phrase>S.C.</phrase></toponym><toponym><start>33</start><end>39</end><phrase>Aleppo</phrase>
<gaztag geonameid="170063" lat="36.20124" lon="37.16117"/></toponym></toponyms></article></articles>"""


def test_evaluation_geoparse_reads_lgl_variants(tmp_path) -> None:
    """LGL puts <phrase> after <gaztag>, leaves some toponyms unresolved, and a coordinate may be an
    attribute; an offset that misses its phrase (here 33 for 'Aleppo' at 30) moves to the phrase."""
    path = tmp_path / "lgl.xml"
    path.write_text(LGL, encoding="utf-8")
    (art,) = read_corpus(path)
    assert [(art.text[t.start : t.end], t.geonameid) for t in art.toponyms] == [("Columbia", 4575352),
                                                                                ("Aleppo", 170063)]
    assert art.toponyms[1].latitude == pytest.approx(36.20124)
