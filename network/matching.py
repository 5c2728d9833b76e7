"""Pure functions that reduce an organisation's name and website to keys that compare well:
"Universität Wien" and "Universitat Wien", "https://www.tuwien.at/en" and "tuwien.at".

No database here: `selectors.possible_duplicates` uses these keys to narrow candidates in SQL
and to score them in Python.
"""

import re
import unicodedata
from difflib import SequenceMatcher
from urllib.parse import urlsplit

# Legal forms say nothing about which organisation is meant.
LEGAL_SUFFIXES = frozenset(
    {
        "ab",
        "ag",
        "as",
        "asbl",
        "bv",
        "co",
        "corp",
        "eg",
        "ev",
        "gmbh",
        "inc",
        "kg",
        "llc",
        "ltd",
        "limited",
        "nv",
        "oy",
        "oyj",
        "plc",
        "sa",
        "sarl",
        "sas",
        "spa",
        "srl",
        "sl",
        "sro",
        "spzoo",
        "ug",
        "vzw",
    }
)
# Words so common in organisation names that sharing one says nothing.
GENERIC_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "for",
        "de",
        "di",
        "der",
        "des",
        "del",
        "della",
        "du",
        "la",
        "le",
        "van",
        "von",
        "und",
        "et",
        "y",
        "i",
        "university",
        "universite",
        "universitat",
        "universiteit",
        "universita",
        "universidad",
        "universidade",
        "uniwersytet",
        "institute",
        "institut",
        "instituto",
        "istituto",
        "research",
        "centre",
        "center",
        "centro",
        "zentrum",
        "national",
        "technology",
        "technical",
        "technological",
        "sciences",
        "science",
        "foundation",
        "association",
        "group",
        "company",
        "media",
        "ai",
    }
)
# Glued legal forms such as "S.A." or "Sp. z o.o." lose their dots before this runs.
_ABBREVIATIONS = (
    (re.compile(r"\bs\.?\s?a\.?(?=\s|$)"), " sa "),
    (re.compile(r"\bs\.?\s?r\.?\s?l\.?(?=\s|$)"), " srl "),
    (re.compile(r"\bs\.?\s?p\.?\s?a\.?(?=\s|$)"), " spa "),
    (re.compile(r"\bsp\.?\s?z\.?\s?o\.?\s?o\.?(?=\s|$)"), " spzoo "),
    (re.compile(r"\bb\.?\s?v\.?(?=\s|$)"), " bv "),
    (re.compile(r"\bn\.?\s?v\.?(?=\s|$)"), " nv "),
    (re.compile(r"\be\.?\s?v\.?(?=\s|$)"), " ev "),
)


def fold(text: str) -> str:
    """Lower case without accents: "Université" → "universite", "Straße" → "strasse"."""
    text = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(char for char in text if not unicodedata.combining(char))


def normalise_name(name: str) -> str:
    """The name as words: folded, legal forms and punctuation dropped, spaces collapsed."""
    text = fold(name).replace("&", " and ")
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in LEGAL_SUFFIXES)


def _distinctive_words(name: str) -> list[str]:
    return [
        word
        for word in normalise_name(name).split()
        if word not in GENERIC_WORDS and (len(word) > 2 or word.isdigit())
    ]


def name_tokens(*names: str) -> list[str]:
    """The distinctive words of the names, sorted: what two names of one organisation share."""
    return sorted({word for name in names for word in _distinctive_words(name)})


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def name_similarity(first: str, second: str) -> float:
    """0 to 1: how alike two names are once normalised (1 when they are the same).

    The distinctive words must be alike too, so that "University of Vienna" and "University
    of Verona", alike as whole strings, are not taken for one another.
    """
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return 0.0
    score = _ratio(a, b)
    distinct_a, distinct_b = _distinctive_words(first), _distinctive_words(second)
    if distinct_a and distinct_b:
        score = min(score, _ratio(" ".join(distinct_a), " ".join(distinct_b)))
    return score


def website_domain(url: str) -> str:
    """``https://www.TUWien.at/en/`` → ``tuwien.at``: scheme, ``www.``, port and path dropped."""
    url = (url or "").strip()
    if not url:
        return ""
    if "://" not in url:
        url = "//" + url
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")
