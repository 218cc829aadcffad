"""Readers of the Phoenix/TABARI dictionaries and of CountryInfo (see ../shared/actors/README.md).

Formats, as their headers describe them:

* ``*.actors.txt``: an entry line ``NAME_ [CODE dates]``, ``+`` lines with its synonyms, code lines
  ``[CODE dates]`` below; dates ``YYMMDD`` (two-digit years) or ``YYYYMMDD``, ``a-b`` a range,
  ``>a`` from a on, ``<b`` until b; ``#`` starts a comment. A country block starts with
  ``COUNTRY_ [ISO]`` and its ``+`` lines are the country's names, adjectives, capital, cities.
* ``*agents.txt``: ``PHRASE {PLURAL} [~SECTOR]`` with ``!PERSON!``/``!MINIST!`` substitution sets;
  regular plurals are left out of the file and generated here.
* ``CountryInfo``: almost-XML ``<Country>`` blocks with ``<Nationality>``, ``<Capital>``,
  ``<MajorCities>``, ``<Leaders>`` (sub-tags name the office, ``[start - end]`` in YYYYMMDD) and
  ``<Government>`` (``NAME [CODE dates] # title``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_CODE = re.compile(r"\[\s*([A-Z~]{3,}[A-Z~]*)\s*([<>]?)\s*(\d{6,8})?\s*(?:-\s*(\d{6,8}))?\s*\]")
_RANGE = re.compile(r"\[\s*([<>]?)\s*(\d{8})?\s*(?:-\s*(\d{8}))?\s*\]")
_GOV_CODE = re.compile(r"\[\s*([A-Z]{3,})\s*([<>]?)\s*(\d{8})?\s*(?:-\s*(\d{8}))?\s*\]")


@dataclass(slots=True)
class RawEntry:
    """One entry of an actors file: its names (the first is the entry's own) and dated codes."""

    names: list[str]
    codes: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    note: str = ""
    line: int = 0


@dataclass(slots=True)
class CountryBlock:
    """A country header of the Countries file: ``AFGHANISTAN_ [AFG]`` and its synonyms."""

    code: str
    names: list[str]


@dataclass(slots=True)
class CountryInfo:
    """One ``<Country>`` of CountryInfo."""

    iso3: str
    name: str
    code: str = ""  # <CountryCode>: the alpha-3 tag has errors ("JON" for Japan, "PNG" for Guinea)
    iso2: str = ""
    nationality: list[str] = field(default_factory=list)
    capitals: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    leaders: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)  # title, name, start, end
    government: list[tuple[str, str, str | None, str | None, str]] = field(default_factory=list)  # name, code, s, e, title


def read_text(path: Path) -> str:
    """A dictionary file as text (CountryInfo has a few bytes that are not UTF-8)."""
    return path.read_text(encoding="utf-8", errors="replace")


def iso_date(raw: str | None) -> str | None:
    """``YYMMDD``/``YYYYMMDD`` -> ``YYYY-MM-DD``; impossible days go to the month's last day."""
    if raw is None or not raw.isdigit() or len(raw) not in (6, 8):
        return None
    if len(raw) == 6:
        yy = int(raw[:2])
        raw = f"{2000 + yy if yy <= 20 else 1900 + yy}{raw[2:]}"
    year, month, day = int(raw[:4]), int(raw[4:6]), int(raw[6:8])
    if not 1 <= month <= 12 or year < 1800:
        return None
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return dt.date(year, month, day).isoformat()


def parse_codes(text: str) -> list[tuple[str, str | None, str | None]]:
    """Every ``[CODE dates]`` of a line as (code, start, end); ``>a`` opens, ``<b`` closes."""
    out: list[tuple[str, str | None, str | None]] = []
    for code, sign, first, second in _CODE.findall(text):
        start, end = iso_date(first or None), iso_date(second or None)
        if sign == "<":
            start, end = None, start
        out.append((code.lstrip("~"), start, end))
    return out


def _strip_comment(line: str) -> tuple[str, str]:
    if "#" not in line:
        return line, ""
    at = line.index("#")
    return line[:at], line[at + 1 :].strip()


def read_actors(path: Path) -> tuple[list[RawEntry], list[CountryBlock]]:
    """Entries and (for the Countries file) country blocks of a Phoenix actors file."""
    entries: list[RawEntry] = []
    blocks: list[CountryBlock] = []
    current: RawEntry | None = None
    block: CountryBlock | None = None
    for number, raw_line in enumerate(read_text(path).splitlines(), start=1):
        if raw_line.lstrip().startswith("#") or not raw_line.strip():
            continue
        line, note = _strip_comment(raw_line)
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("+"):
            name = stripped[1:].split("[")[0].strip()
            if block is not None and current is None:
                block.names.append(name)
            elif current is not None and name:
                current.names.append(name)
            if current is not None:
                current.codes.extend(parse_codes(stripped))
            continue
        if stripped.startswith("["):
            if current is not None:
                current.codes.extend(parse_codes(stripped))
            continue
        name = stripped.split("[")[0].strip()
        codes = parse_codes(stripped)
        if len(codes) == 1 and re.fullmatch(r"[A-Z]{3}", codes[0][0]) and codes[0][1:] == (None, None) and (
            path.name.startswith("Phoenix.Countries") and raw_line[:1] not in " \t"
            and "CountryInfo" not in note and _is_country_header(stripped)
        ):
            block = CountryBlock(codes[0][0], [name])
            blocks.append(block)
            current = None
            continue
        block = None
        current = RawEntry([name], codes, note, number)
        entries.append(current)
    return [e for e in entries if e.names and e.names[0]], blocks


def _is_country_header(line: str) -> bool:
    """``AFGHANISTAN_  [AFG]``: a bare three-letter code right after the name."""
    return re.fullmatch(r"[^\[]+\[\s*[A-Z]{3}\s*\]\s*", line) is not None


_SUBST = re.compile(r"^!([A-Z]+)!\s*=\s*(.+)$")


def read_agents(path: Path) -> Iterator[tuple[str, str]]:
    """(phrase, sector) pairs of an agents file, substitution sets expanded, plurals generated."""
    sets: dict[str, list[str]] = {}
    for raw_line in read_text(path).splitlines():
        line, _ = _strip_comment(raw_line)
        line = line.strip()
        if not line:
            continue
        subst = _SUBST.match(line)
        if subst:
            sets[subst.group(1)] = [w.strip() for w in subst.group(2).split(",") if w.strip()]
            continue
        match = re.match(r"^([^\[{]+?)\s*(\{[^}]*\})?\s*\[([^\]]+)\]", line)
        if match is None:
            continue
        phrase, plural, code = match.group(1).strip(), match.group(2), match.group(3).strip()
        if not code.startswith("~"):
            continue
        for form in _expand(phrase, sets):
            yield _words(form), code[1:]
        if plural and plural.strip("{} "):
            yield _words(plural.strip("{} ")), code[1:]
        elif plural is None and "!" not in phrase:
            for form in _expand(phrase, sets):
                yield _words(_plural(form)), code[1:]


def _expand(phrase: str, sets: dict[str, list[str]]) -> list[str]:
    found = re.search(r"!([A-Z]+)!", phrase)
    if found is None or found.group(1) not in sets:
        return [phrase]
    out: list[str] = []
    for word in sets[found.group(1)]:
        out.extend(_expand(phrase[: found.start()] + word + phrase[found.end() :], sets))
    return out


def _words(phrase: str) -> str:
    return " ".join(phrase.replace("_", " ").split()).lower()


def _plural(phrase: str) -> str:
    words = phrase.replace("_", " ").split()
    if not words:
        return phrase
    last = words[-1]
    upper = last.upper()
    if upper.endswith("MAN"):
        last = last[:-3] + "MEN"
    elif upper.endswith("CHILD"):
        last += "REN"
    elif upper.endswith("Y") and len(upper) > 1 and upper[-2] not in "AEIOU":
        last = last[:-1] + "IES"
    elif upper.endswith(("S", "X", "Z", "CH", "SH")):
        last += "ES"
    else:
        last += "S"
    return " ".join([*words[:-1], last])


def _tag_body(block: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.DOTALL)
    return match.group(1) if match else ""


def _names(body: str) -> list[str]:
    return [line.split("#")[0].strip() for line in body.splitlines() if line.split("#")[0].strip()]


def read_countryinfo(path: Path) -> list[CountryInfo]:
    """Every country of CountryInfo with its names, places, leaders and government members."""
    text = read_text(path)
    text = text[text.index("-->") + 3 :] if "-->" in text else text
    out: list[CountryInfo] = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, re.DOTALL):
        iso3 = _tag_body(block, "ISO3166-alpha3").strip()
        info = CountryInfo(iso3=iso3, name=_tag_body(block, "CountryName").strip(),
                           code=_tag_body(block, "CountryCode").strip(), iso2=_tag_body(block, "ISO3166-alpha2").strip())
        info.nationality = _names(_tag_body(block, "Nationality"))
        info.capitals = _names(_tag_body(block, "Capital"))
        info.cities = _names(_tag_body(block, "MajorCities"))
        info.leaders = list(_leaders(_tag_body(block, "Leaders")))
        info.government = list(_government(_tag_body(block, "Government")))
        out.append(info)
    return out


def _leaders(body: str) -> Iterator[tuple[str, str, str | None, str | None]]:
    title = ""
    for raw_line in body.splitlines():
        line = raw_line.split("#")[0].strip()
        opening = re.fullmatch(r"<([^/][^>]*)>", line)
        if opening:
            title = opening.group(1)
            continue
        if not line or line.startswith("</"):
            continue
        name = line.split("[")[0].strip()
        for sign, first, second in _RANGE.findall(line):
            start, end = iso_date(first or None), iso_date(second or None)
            if sign == "<":
                start, end = None, start
            yield title, name, start, end


def _government(body: str) -> Iterator[tuple[str, str, str | None, str | None, str]]:
    for raw_line in body.splitlines():
        line, title = _strip_comment(raw_line)
        name = line.split("[")[0].strip()
        if not name:
            continue
        titles = [t.strip() for t in title.split("&")] if title else [""]
        codes = _GOV_CODE.findall(line)
        for k, (code, sign, first, second) in enumerate(codes):
            start, end = iso_date(first or None), iso_date(second or None)
            if sign == "<":
                start, end = None, start
            # A title belongs to a code only when the line gives one title, or one per code.
            known = titles[0] if len(titles) == 1 else titles[k] if len(titles) == len(codes) else ""
            yield name, code, start, end, known
