from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from flashpoint.errors import InputError, LanguageError
from flashpoint.ingest import detect_language, parse_published, read_csv, read_jsonl, read_paths
from flashpoint.records import Article

ENGLISH = "Government forces shelled the town of Saraqib on Monday, killing three civilians, activists said."
FRENCH = "Les forces gouvernementales ont bombardé la ville de Saraqib lundi, tuant trois civils, selon des militants."
ARABIC = "قصفت القوات الحكومية مدينة سراقب يوم الاثنين مما أسفر عن مقتل ثلاثة مدنيين بحسب ناشطين"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-05-08", dt.date(2018, 5, 8)),
        ("2018-05-08T10:15:00Z", dt.date(2018, 5, 8)),
        ("8 May 2018", dt.date(2018, 5, 8)),
        ("May 8, 2018", dt.date(2018, 5, 8)),
        ("", None),
        (None, None),
    ],
)
def test_ingest_parse_published_accepts_common_forms(value, expected):
    assert parse_published(value, "x") == expected


def test_ingest_parse_published_names_the_input_on_unknown_format():
    with pytest.raises(InputError, match=r"batch.jsonl:3: unknown date format 'next Tuesday'"):
        parse_published("next Tuesday", "batch.jsonl:3")


def test_ingest_text_file_keeps_text_exactly_and_uses_path_as_id(tmp_path):
    p = tmp_path / "a.txt"
    raw = "  " + ENGLISH + "\r\n\n"
    p.write_bytes(raw.encode())
    (item,) = read_paths([p], published=dt.date(2018, 5, 8), title="T")
    assert isinstance(item, Article)
    assert item.text == raw.replace("\r\n", "\r\n")  # bytes decoded as-is: no newline translation
    assert item.id == str(p) and item.published == dt.date(2018, 5, 8) and item.title == "T"


def test_ingest_html_file_extracts_main_text_and_date(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Clashes</title><meta name='date' content='2018-05-03'></head><body>"
        "<nav>Home</nav><article><p>"
        + ENGLISH
        + " "
        + ENGLISH.replace("Monday", "Tuesday")
        + "</p></article>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    (item,) = read_paths([p])
    assert isinstance(item, Article)
    assert "Saraqib" in item.text and "Copyright" not in item.text
    assert item.published == dt.date(2018, 5, 3)


def test_ingest_jsonl_batch_reports_bad_lines_and_keeps_going(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {"id": "a1", "text": ENGLISH, "published": "2018-05-08", "title": "t", "source": "s", "url": "u"}
        ),
        "{not json",
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a4", "text": ENGLISH, "published": "sometime"}),
        json.dumps(["a list"]),
        "",
        json.dumps({"text": ENGLISH}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_jsonl(p))
    assert len(items) == 6
    assert isinstance(items[0], Article) and items[0].id == "a1" and items[0].source == "s"
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors[0].startswith(f"{p}:2: malformed JSON")
    assert errors[1] == f"{p}:3: missing or empty 'text' field"
    assert errors[2].startswith(f"{p}:4: unknown date format")
    assert errors[3].startswith(f"{p}:5: expected a JSON object")
    assert isinstance(items[5], Article) and items[5].id == f"{p}:7"


def test_ingest_gzip_jsonl_batch(tmp_path):
    p = tmp_path / "batch.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": ENGLISH}) + "\n")
    (item,) = read_paths([p])
    assert isinstance(item, Article) and item.id == "g1"


def test_ingest_csv_batch_needs_only_text(tmp_path):
    p = tmp_path / "batch.csv"
    p.write_text(f'text,published\n"{ENGLISH}",2018-05-08\n,2018-05-08\n', encoding="utf-8")
    items = list(read_csv(p))
    assert isinstance(items[0], Article) and items[0].published == dt.date(2018, 5, 8)
    assert isinstance(items[1], InputError) and "missing or empty 'text'" in str(items[1])


def test_ingest_csv_without_text_column_is_an_error(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("id,body\n1,hello\n", encoding="utf-8")
    (item,) = read_csv(p)
    assert isinstance(item, InputError) and "no 'text' column" in str(item)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty input"),
        (b"   \n\n", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"Government forces \xff\xfe shelled the town", "not UTF-8 text"),
    ],
)
def test_ingest_bad_files_give_a_named_error(tmp_path, content, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    (item,) = read_paths([p])
    assert isinstance(item, InputError)
    assert str(item).startswith(str(p)) and message in str(item)


def test_ingest_missing_file_is_an_error(tmp_path):
    (item,) = read_paths([tmp_path / "nope.txt"])
    assert isinstance(item, InputError) and "cannot read file" in str(item)


@pytest.mark.parametrize(("text", "lang"), [(ENGLISH, "en"), (FRENCH, "fr"), (ARABIC, "ar"), ("HTS", None)])
def test_ingest_detect_language(text, lang):
    assert detect_language(text) == lang


def test_ingest_non_english_is_reported_not_coded(tmp_path):
    p = tmp_path / "fr.txt"
    p.write_text(FRENCH, encoding="utf-8")
    (item,) = read_paths([p])
    assert isinstance(item, LanguageError) and "'fr'" in str(item)


def test_ingest_html_page_the_extractor_chokes_on_is_a_named_bad_input(tmp_path, monkeypatch):
    """Some broken pages make trafilatura's HTML libraries fail an assertion (a fuzzed page with a stray
    iframe did): the page is a bad input named by its path, not a crash of the batch."""
    import trafilatura

    from flashpoint.errors import InputError
    from flashpoint.ingest.readers import read_html

    def choke(*args, **kwargs):
        raise AssertionError

    monkeypatch.setattr(trafilatura, "bare_extraction", choke)
    path = tmp_path / "broken.html"
    path.write_text("<html><body><iframe></iframe><p>Troops shelled the town.</p></body></html>", encoding="utf-8")
    item = read_html(path)
    assert isinstance(item, InputError) and "broken.html" in str(item) and "cannot be parsed" in str(item)
