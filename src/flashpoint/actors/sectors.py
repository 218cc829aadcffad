"""CAMEO sectors -> ACLED: the kind, inter code and actor name a sector stands for in a country.

The Phoenix and PLOVER dictionaries code an actor as a country plus a sector (``CHLGOV``: Chile's
government; ``~MIL`` for the role word "soldiers"). ACLED names the same actors "Government of
Chile", "Military Forces of Chile", "Farmers (Ukraine)", with inter codes 1 state forces, 2 rebel
groups, 3 political militias, 4 identity militias, 5 rioters, 6 protesters, 7 civilians, 8
external/other forces; None where ACLED codes no actor of the kind (parties, the opposition as such).

The table is flashpoint's reading of the ACLED Codebook's actor types and its generic actor
names (state institutions, "Civilians (X)", "Labour Group (X)", "Farmers (X)", "Students (X)",
"Journalists (X)", "Health Workers (X)", "Refugees/IDPs (X)", religious groups).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flashpoint import countries


@dataclass(frozen=True, slots=True)
class Sector:
    """What a sector is in ACLED's terms: ``institution`` names a knowledge-base actor of the country
    ("government", "military", "police", "civilians", "protesters", "rioters"); otherwise ``template``
    makes the ACLED-style name from the country's name."""

    kind: str
    inter: int | None  # None: no ACLED inter code (a party or the opposition as such)
    template: str | None = None
    institution: str | None = None


_GOVERNMENT = Sector("state government", 1, institution="government")
_CIVILIANS = Sector("civilians", 7, institution="civilians")
_REBELS = Sector("rebel group", 2, "Rebel Groups ({})")
_MILITIA = Sector("political militia", 3, "Militia ({})")

SECTORS: Mapping[str, Sector] = {
    "GOV": _GOVERNMENT,
    "LEG": _GOVERNMENT,
    "JUD": _GOVERNMENT,
    "SPY": _GOVERNMENT,
    "MIL": Sector("state forces", 1, institution="military"),
    "COP": Sector("state police", 1, institution="police"),
    "REB": _REBELS,
    "INS": _REBELS,
    "SEP": _REBELS,
    "RAD": _REBELS,
    "IMG": Sector("rebel group", 2),
    "UAF": _MILITIA,
    "PRM": _MILITIA,
    "MRC": Sector("mercenaries", 8, "Mercenaries ({})"),
    "IDM": Sector("identity militia", 4, "Communal Militia ({})"),
    "UNI": Sector("unidentified armed group", 3, institution="unidentified"),
    "CRM": Sector("criminal group", 3, "Unidentified Gang ({})"),
    "OPP": Sector("political opposition", None, "Opposition ({})"),
    "PTY": Sector("political party", None, "Political Party ({})"),
    "PRT": Sector("protesters", 6, institution="protesters"),
    "RIO": Sector("rioters", 5, institution="rioters"),
    "CVL": _CIVILIANS,
    "BUS": _CIVILIANS,
    "HRI": _CIVILIANS,
    "ENV": _CIVILIANS,
    "SOC": _CIVILIANS,
    "DEV": _CIVILIANS,
    "MOD": _CIVILIANS,
    "SET": _CIVILIANS,
    "ELI": _CIVILIANS,
    "LAB": Sector("civilians", 7, "Labour Group ({})"),
    "AGR": Sector("civilians", 7, "Farmers ({})"),
    "EDU": Sector("civilians", 7, "Students ({})"),
    "MED": Sector("civilians", 7, "Journalists ({})"),
    "JRN": Sector("civilians", 7, "Journalists ({})"),
    "HLH": Sector("civilians", 7, "Health Workers ({})"),
    "REF": Sector("civilians", 7, "Refugees/IDPs ({})"),
    "NGO": Sector("civilians", 7, "Aid Workers ({})"),
    "REL": Sector("civilians", 7, "Religious Group ({})"),
    "MUS": Sector("civilians", 7, "Muslim Group ({})"),
    "CHR": Sector("civilians", 7, "Christian Group ({})"),
    "CTH": Sector("civilians", 7, "Christian Group ({})"),
    "JEW": Sector("civilians", 7, "Jewish Group ({})"),
    "HIN": Sector("civilians", 7, "Hindu Group ({})"),
    "BUD": Sector("civilians", 7, "Buddhist Group ({})"),
    "IGO": Sector("international organisation", 8),
}

# The knowledge-base names of the organisations the dictionaries code by CAMEO code (the curated
# entries carry them: "United Nations", "European Union"); other organisations keep their own name.
IGO_NAMES: Mapping[str, str] = {
    "IGOUNO": "United Nations",
    "IGOEUREEC": "European Union",
    "IGOEUR": "European Union",
    "IGOWSTNAT": "North Atlantic Treaty Organization",
    "IGOAFRAFU": "African Union",
    "IGOAFROAU": "African Union",
    "IGOWAFWAS": "Economic Community of West African States",
    "IGOMEAARL": "Arab League",
    "IGOSEAASN": "Association of Southeast Asian Nations",
    "IGOOAS": "Organization of American States",
    "IGOBUSIMF": "International Monetary Fund",
    "IGOUNODEVWBK": "World Bank",
    "IGOJUDICC": "International Criminal Court",
}


# CAMEO sector codes (some collide with ISO codes: MUS is Mauritius and the CAMEO "Muslim").
SECTOR_CODES = frozenset(
    ["GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "IGO", "NGO", "IMG", "MNC", "BUS", "CVL", "EDU", "MED", "HLH", "LAB", "AGR", "REF", "CRM", "ELI", "LEG", "UAF", "MUS", "CHR", "JEW", "HIN", "BUD", "REL", "RAD", "MOD", "HRI", "ENV", "DEV", "SET", "INS", "SEP", "UNK", "NON", "JNK", "PRE", "PRM", "SOC", "JRN", "CTH", "SHI", "SUN", "ALQ", "DIS", "CRB", "TAO", "JAN", "ZRO", "SIK", "ITH", "CON", "MOS", "BAH"]
)
# Codes that are no ISO country but stand for one today (the Soviet Union, Yugoslavia, East Timor ...).
HISTORIC = {"USR": "RUS", "SUN": "RUS", "YUG": "SRB", "SCG": "SRB", "SRP": "SRB", "FRY": "SRB", "DDR": "DEU",
            "CSK": "CZE", "TMP": "TLS", "KSV": "XKX", "FRN": "FRA"}
# Codes for no one country: organisations and regions.
TRANSNATIONAL = frozenset(
    ["IGO", "NGO", "IMG", "MNC", "INT", "MEA", "SAS", "WEU", "EAF", "AFR", "ASA", "EUR", "SEA", "LAM", "SAM", "NAF", "WAF", "CAS", "EEU", "CFR", "NMR", "SAF", "EIN", "ANG", "KKL", "BLK", "WST", "CAU", "NAM", "SCN", "CRB", "MED", "HIN", "ELI", "BAH", "MOS"]
)



def split_code(code: str) -> tuple[str | None, str] | None:
    """A CAMEO code -> (ISO alpha-3 or None for a transnational actor, primary sector); None if unknown.

    ``RUSGOV`` -> ("RUS", "GOV"); ``USRARM`` (Soviet Armenia) -> ("ARM", ""); ``NGOUSA`` -> ("USA", "NGO");
    ``IGOUNO`` -> (None, "IGO"); ``IMGMUSALQ`` -> (None, "IMG").
    """
    code = code.strip("~").upper()
    prefix, rest = code[:3], code[3:]
    if prefix in TRANSNATIONAL:
        if prefix in {"NGO", "MNC"} and countries.by_iso3(rest[:3]) is not None and rest[:3] not in SECTOR_CODES:
            return rest[:3], prefix
        sector = prefix if prefix in {"IGO", "NGO", "IMG", "MNC"} else rest[:3]
        if not sector and prefix in SECTOR_CODES:
            sector = prefix  # [MED]: the media, no country
        return None, sector
    iso3 = HISTORIC.get(prefix, prefix)
    if countries.by_iso3(iso3) is None:
        return None
    if len(rest) >= 3 and rest[:3] not in SECTOR_CODES and countries.by_iso3(rest[:3]) is not None:
        iso3, rest = rest[:3], rest[3:]
    return iso3, rest[:3]


def sector_of(code: str) -> Sector | None:
    """The sector of a CAMEO sector code (its first three letters: ``GOVMIL`` -> government)."""
    return SECTORS.get(code.strip("~")[:3])
