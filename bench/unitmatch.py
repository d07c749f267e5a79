"""Units compared as a reader would, independently of newsdex's own unit table.

A unit is scored by name. A system's unit symbol or code counts as the names it stands for
(km = kilometre, usd = dollar or United States dollar, cny = Chinese yuan or yuan or renminbi):
the table below is the SI and ISO 4217 reading of each symbol, written for this scorer, and
gold units are never passed through newsdex's lexicon. Both sides are folded the same way: case,
British/American spelling, plural to singular, "X of age" is X ("year of age" is year) and a rate
is scored by its numerator ("dollar per barrel" is dollar: newsdex stores $58 a barrel as
dollars). A counted noun ("homes", a word no symbol stands for) matches a gold unit when it is
one of the gold unit's words ("speaker" in "good wireless speaker") or their initials ("war" for
"win above replacement"). No unit ("-", "count") is right only when the system gives none.

The rule applies to the gold's side too: where the sentence writes its unit as a symbol, the
system may name the symbol's unit ("118.5p" is pence, whatever name the annotator wrote for it;
NewsQuant normalises every other written symbol to its name already, and "p" to "point").
"""

from __future__ import annotations

import re

# Symbol or code -> the names it stands for (SI units, ISO 4217 currencies, usual abbreviations).
SYMBOL_NAMES: dict[str, tuple[str, ...]] = {
    "%": ("percentage", "percent"), "percent": ("percentage", "percent"),
    "pct": ("percentage", "percent"), "bp": ("basis point",),
    "km": ("kilometre",), "m": ("metre",), "cm": ("centimetre",), "mm": ("millimetre",),
    "um": ("micrometre", "micron"), "nm": ("nanometre",), "ft": ("foot",), "inch": ("inch",),
    "yard": ("yard",), "mile": ("mile",), "kg": ("kilogram",), "g": ("gram",),
    "mg": ("milligram",), "ton": ("tonne", "ton", "metric ton"), "lb": ("pound", "pound-mass"),
    "oz": ("ounce",), "litre": ("litre",), "ml": ("millilitre",), "gallon": ("gallon",),
    "pint": ("pint",), "quart": ("quart",), "barrel": ("barrel",), "hectare": ("hectare",),
    "acre": ("acre",), "km2": ("square kilometre",), "mile2": ("square mile",),
    "m2": ("square metre",), "ft2": ("square foot",), "ft3": ("cubic foot",),
    "m3": ("cubic metre",), "mph": ("mile per hour",), "km/h": ("kilometre per hour",),
    "mpg": ("mile per gallon",), "celsius": ("celsius", "degree celsius"),
    "fahrenheit": ("fahrenheit", "degree fahrenheit"), "degree": ("degree",),
    "w": ("watt",), "kw": ("kilowatt",), "mw": ("megawatt",), "gw": ("gigawatt",),
    "kwh": ("kilowatt hour",), "mwh": ("megawatt hour",), "gwh": ("gigawatt hour",),
    "twh": ("terawatt hour",), "hp": ("horsepower", "brake horsepower"),
    "lbft": ("pound-foot", "foot pound-force"), "gpa": ("gigapascal",), "v": ("volt",),
    "db": ("decibel",), "hz": ("hertz",), "khz": ("kilohertz",), "mhz": ("megahertz",),
    "ghz": ("gigahertz",), "gb": ("gigabyte",), "mb": ("megabyte",), "tb": ("terabyte",),
    "mah": ("milliampere-hour",), "ppm": ("parts-per-million",), "ppb": ("parts-per-billion",),
    "rpm": ("revolutions per minute",), "psi": ("pound per square inch",),
    "newton_m": ("newton metre",),
    "year": ("year",), "month": ("month",), "week": ("week",), "day": ("day",),
    "hour": ("hour",), "minute": ("minute",), "second": ("second",), "decade": ("decade",),
    "century": ("century",), "point": ("point",),
    "usd": ("dollar", "united states dollar", "us dollar"), "aud": ("australian dollar",),
    "cad": ("canadian dollar",), "hkd": ("hong kong dollar",), "nzd": ("new zealand dollar",),
    "sgd": ("singapore dollar",), "brl": ("brazilian real",), "eur": ("euro",),
    "gbp": ("pound sterling", "pound", "british pound"), "jpy": ("japanese yen", "yen"),
    "cny": ("chinese yuan", "yuan", "renminbi"), "inr": ("indian rupee", "rupee"),
    "ils": ("shekel", "israeli new shekel", "new israeli shekel"),
    "myr": ("malaysian ringgit", "ringgit"), "dkk": ("danish krone",),
    "sek": ("swedish krona",), "nok": ("norwegian krone",), "chf": ("swiss franc", "franc"),
    "rub": ("russian ruble", "ruble", "rouble"), "mxn": ("mexican peso", "peso"),
    "zar": ("south african rand", "rand"), "try": ("turkish lira", "lira"), "cent": ("cent",),
    "pence": ("penny", "pence"), "hrk": ("croatian kuna", "kuna"), "sen": ("sen",),
}  # fmt: skip
NO_UNIT = frozenset({"", "-", "count"})
# Written symbols that are not themselves keys of SYMBOL_NAMES -> the key they stand for.
WRITTEN_SYMBOLS: dict[str, str] = {
    "p": "pence", "c": "cent", "$": "usd", "us$": "usd", "£": "gbp", "€": "eur", "¥": "jpy",
    "kph": "km/h", "sq km": "km2", "sq ft": "ft2", "lbs": "lb",
}  # fmt: skip
_SPELLING = {
    "meter": "metre",
    "liter": "litre",
    "kilometer": "kilometre",
    "centimeter": "centimetre",
}
_SPELLING |= {"millimeter": "millimetre", "milliliter": "millilitre", "micrometer": "micrometre"}


def _singular(word: str) -> str:
    if word in ("people", "celsius", "hertz", "series", "species", "news"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def fold(name: str) -> tuple[str, ...]:
    """A unit name's words: lowercase, singular, American spellings made British, without
    "of age" or "of oil"."""
    text = name.lower().replace("’", "'").strip()
    text = re.sub(r"\s+of\s+(?:age|oil)$", "", text)  # "year of age", "barrel of oil"
    words = [w for w in re.split(r"[^\w-]+", text) if w]
    return tuple(_SPELLING.get(w, w) for w in (_singular(w) for w in words))


def same_unit(system: str | None, gold: str, written: str = "") -> bool:
    """Is the system's unit (a symbol, a code or a noun; None for none) the gold unit? A symbol
    the gold wrote (``written``) also counts as its own names."""
    if gold.strip().lower() in NO_UNIT:
        return system is None
    if system is None:
        return False
    symbol = written.strip().lower()
    symbol = WRITTEN_SYMBOLS.get(symbol, symbol if symbol in SYMBOL_NAMES else "")
    if symbol and (system == symbol or same_unit(system, SYMBOL_NAMES[symbol][0])):
        return True  # "118.5p" written, "point" annotated: pence is right
    whole = fold(gold)
    # A rate is also right by its numerator: "dollar per barrel" as dollars.
    numerator = fold(re.split(r"\s+per\s+", gold.lower())[0]) if " per " in gold.lower() else whole
    names = SYMBOL_NAMES.get(system)
    if names is not None:
        return any(fold(name) in (whole, numerator) for name in names)
    noun = fold(system)
    if noun in (whole, numerator):
        return True
    if len(noun) == 1 and len(whole) >= 2 and noun[0] == "".join(w[0] for w in whole):
        return True  # an acronym: "war" for "win above replacement"
    return len(noun) == 1 and noun[0] in numerator
