"""Units of measure in news text: the lexicon of unit words and symbols, kinds, and conversions.

`unit_values` maps a number mention to the per-unit fields of index.schema.UNITS.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.model import NumberMention


def names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_names = names


def unit_values(mention: NumberMention) -> list[tuple[str, float]]:
    """(unit field, value) pairs for the per-unit numeric fields, with unit conversions.

    A count of people ("300 students": unit student, kind people) is also in `people`."""
    if mention.unit is None:
        return []
    if mention.kind == "people":
        return [("people", mention.value)]
    return [
        (field, _round(mention.value * factor))
        for field, factor in CONVERSIONS.get(mention.unit, ())
    ]


def _round(value: float) -> float:
    """Converted values to 6 significant digits: 1 lb is 0.000453592 ton, not 0.00045359237000000004."""
    return float(f"{value:.6g}")


# The unit lexicon: canonical unit -> surface forms. Words match in any case, symbols exactly.
_WORD_UNITS: dict[str, str] = {
    "km": "kilometres|kilometers|kilometre|kilometer|kms",
    "mile": "miles|mile",
    "m": "metres|meters|metre|meter",
    "cm": "centimetres|centimeters|centimetre|centimeter",
    "mm": "millimetres|millimeters|millimetre|millimeter",
    "um": "micrometres|micrometers|micrometre|micrometer|microns|micron",
    "nm": "nanometres|nanometers|nanometre|nanometer",
    "ft": "feet|foot",
    "inch": "inches|inch",
    "yard": "yards|yard",
    "kg": "kilograms|kilogram|kilogrammes|kilos|kilo",
    "ton": "metric tons|metric tonnes|tonnes|tonne|tons|ton",
    "g": "grams|gram|grammes",
    "mg": "milligrams|milligram",
    "lb": "pounds|pound|lbs",
    "oz": "ounces|ounce",
    "litre": "litres|liters|litre|liter",
    "ml": "millilitres|milliliters|millilitre|milliliter",
    "gallon": "gallons|gallon",
    "pint": "pints|pint",
    "quart": "quarts|quart",
    "barrel": "barrels|barrel",
    "hectare": "hectares|hectare",
    "acre": "acres|acre",
    "km2": "square kilometres|square kilometers|square kilometre|square kilometer|sq km",
    "mile2": "square miles|square mile|sq miles",
    "m2": "square metres|square meters|square metre|square meter|sq m|sqm",
    "ft2": "square feet|square foot|sq ft",
    "ft3": "cubic feet|cubic foot",
    "m3": "cubic metres|cubic meters|cubic metre|cubic meter",
    "mph": "miles per hour|miles an hour|mph",
    "km/h": "kilometres per hour|kilometers per hour|kilometres an hour|kilometers an hour|kph",
    "mpg": "miles per gallon|mpg",
    "celsius": "degrees celsius|degree celsius|degrees centigrade|celsius|centigrade",
    "fahrenheit": "degrees fahrenheit|degree fahrenheit|fahrenheit",
    "degree": "degrees|degree",
    "w": "watts|watt",
    "kw": "kilowatts|kilowatt",
    "mw": "megawatts|megawatt",
    "gw": "gigawatts|gigawatt",
    "kwh": "kilowatt-hours|kilowatt hours|kilowatt-hour|kilowatt hour",
    "gwh": "gigawatt-hours|gigawatt hours|gigawatt-hour|gigawatt hour",
    "hp": "brake horsepower|horsepower",
    "lbft": "pound-feet|pound-foot|foot-pounds|lb-ft",
    "gpa": "gigapascals|gigapascal",
    "v": "volts|volt",
    "db": "decibels|decibel",
    "hz": "hertz",
    "gb": "gigabytes|gigabyte",
    "mb": "megabytes|megabyte",
    "tb": "terabytes|terabyte",
    "year": "years|year",
    "month": "months|month",
    "week": "weeks|week",
    "day": "days|day",
    "hour": "hours|hour",
    "minute": "minutes|minute|mins|min",
    "second": "seconds|second|secs",
    "decade": "decades|decade",
    "century": "centuries|century",
    "point": "points|point",
    "percent": "per cent|percent|percentage points|percentage point|pct|pc",
    "bp": "basis points|basis point|bps",
    "usd": "us dollars|u.s. dollars|dollars|dollar|dlrs|bucks",
    "aud": "australian dollars|australian dollar",
    "cad": "canadian dollars|canadian dollar",
    "hkd": "hong kong dollars|hong kong dollar",
    "nzd": "new zealand dollars",
    "sgd": "singapore dollars",
    "eur": "euros|euro",
    "gbp": "pounds sterling|sterling",
    "jpy": "yen",
    "cny": "yuan|renminbi",
    "inr": "rupees|rupee",
    "ils": "new israeli shekels|shekels|shekel",
    "myr": "ringgit",
    "dkk": "danish crowns|danish kroner|danish krone",
    "sek": "swedish kronor|swedish crowns",
    "nok": "norwegian kroner|norwegian crowns",
    "chf": "swiss francs|francs",
    "rub": "rubles|roubles",
    "mxn": "pesos",
    "zar": "rand",
    "try": "lira",
    "cent": "cents|cent",
    "pence": "pence",
    "sen": "sen",  # a hundredth of a ringgit (and of a yen): "rose 18 sen to RM23.50"
}
_SYMBOL_UNITS: dict[str, str] = {
    "%": "percent", "km": "km", "m": "m", "cm": "cm", "mm": "mm", "μm": "um", "µm": "um",
    "nm": "nm", "Nm": "newton_m", "kg": "kg", "g": "g", "mg": "mg", "lb": "lb", "oz": "oz",
    "ft": "ft", "yd": "yard", "″": "inch", "mL": "ml", "ml": "ml", "ha": "hectare",
    "m2": "m2", "m²": "m2", "km2": "km2", "km²": "km2", "km/h": "km/h", "km/hr": "km/h",
    "W": "w", "kW": "kw", "MW": "mw", "GW": "gw", "kWh": "kwh", "MWh": "mwh", "GWh": "gwh",
    "TWh": "twh", "hp": "hp", "bhp": "hp", "PS": "hp", "V": "v", "Hz": "hz", "HZ": "hz",
    "kHz": "khz", "MHz": "mhz", "GHz": "ghz", "GB": "gb", "MB": "mb", "TB": "tb",
    "mAh": "mah", "ppm": "ppm", "ppb": "ppb", "°C": "celsius", "°F": "fahrenheit",
    "C": "celsius", "°": "degree", "rpm": "rpm", "GPa": "gpa", "psi": "psi", "dB": "db",
    "€": "eur", "p": "pence", "USD": "usd", "EUR": "eur", "GBP": "gbp", "JPY": "jpy",
    "CNY": "cny", "RMB": "cny", "CHF": "chf", "bp": "bp",
}  # fmt: skip
_PREFIX_CURRENCIES = {
    "US$": "usd", "U.S.$": "usd", "$US": "usd", "$": "usd", "dlrs": "usd", "USD": "usd",
    "A$": "aud", "$A": "aud", "AU$": "aud", "AUD": "aud", "C$": "cad", "CA$": "cad",
    "CAD": "cad", "NZ$": "nzd", "HK$": "hkd", "S$": "sgd", "R$": "brl", "£": "gbp",
    "PS": "gbp", "GBP": "gbp", "€": "eur", "EUR": "eur", "¥": "jpy", "Y=": "jpy",
    "JPY": "jpy", "CNY": "cny", "RMB": "cny", "CHF": "chf", "₹": "inr", "Rs": "inr",
    "Rs.": "inr", "INR": "inr", "NIS": "ils", "RM": "myr",
}  # fmt: skip
_PEOPLE = (
    "people|persons|person|civilians|children|kids|babies|adults|men|women|boys|girls"
    "|workers|employees|staff|members|militants|terrorists|fighters|insurgents|rebels"
    "|soldiers|troops|police|officers|policemen|refugees|migrants|immigrants|asylum seekers"
    "|residents|inhabitants|citizens|voters|students|pupils|teachers|doctors|nurses"
    "|patients|victims|casualties|fatalities|deaths|dead|wounded|injured|prisoners"
    "|detainees|hostages|protesters|demonstrators|users|customers|subscribers|followers"
    "|fans|visitors|tourists|passengers|players|athletes|fishermen|farmers|pensioners"
    "|retirees|journalists|delegates|volunteers|individuals|inmates|survivors"
)
_NOT_BETWEEN = (
    r"(?:of|to|in|on|at|per|and|or|the|a|an|for|from|by|with|than|that|is|was|were"
    # a number word: "by 2006 two billion people" counts people with the second numeral only
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen)"
)
_MONEY = frozenset(_PREFIX_CURRENCIES.values()) | _names(
    "aud cad hkd nzd sgd eur gbp jpy cny inr ils myr dkk sek nok chf rub mxn zar try cent pence sen"
)
DURATIONS = frozenset({"year", "month", "week", "day", "hour", "minute", "second", "decade"})

_KM = {"km": 1.0, "mile": 1.609344, "m": 1e-3, "ft": 0.3048e-3, "yard": 0.9144e-3}
_KG = {"kg": 1.0, "ton": 1e3, "g": 1e-3, "lb": 0.45359237, "oz": 0.028349523125}
_LITRE = {"litre": 1.0, "ml": 1e-3, "gallon": 3.785411784, "pint": 0.473176473}
_LITRE |= {"quart": 0.946352946, "barrel": 158.987294928, "m3": 1e3, "ft3": 28.316846592}
_HECTARE = {"hectare": 1.0, "acre": 0.40468564224, "km2": 100.0, "mile2": 258.9988110336}
_HECTARE |= {"m2": 1e-4, "ft2": 9.290304e-6}


def _conversions() -> dict[str, tuple[tuple[str, float], ...]]:
    """Each unit's (field, factor) pairs: the stated unit's own field, then its dimension's."""
    table: dict[str, tuple[tuple[str, float], ...]] = {}
    for factors, fields in ((_KM, ("km", "mile")), (_KG, ("kg", "ton")), (_LITRE, ("litre",))):
        for unit, factor in factors.items():
            ordered = sorted(fields, key=lambda field: field != unit)  # the stated unit first
            table[unit] = tuple((field, factor / factors[field]) for field in ordered)
    for unit, factor in _HECTARE.items():
        table[unit] = (("hectare", factor),)
    table |= {unit: ((unit, 1.0),) for unit in ("usd", "eur", "gbp", "percent", "people")}
    table["pence"] = (("gbp", 0.01),)
    return table


CONVERSIONS = _conversions()


def kind_of(unit: str | None) -> str:
    """people, money, percent, measure (any other unit), or count (no unit)."""
    if unit is None:
        return "count"
    if unit in ("people", "percent", "bp"):
        return "percent" if unit == "bp" else unit
    return "money" if unit in _MONEY else "measure"


def prefix_currency(prefix: str | None) -> str | None:
    if not prefix:
        return None
    return _PREFIX_CURRENCIES.get(re.sub(r"\s", "", prefix))


def unit_of(surface: str) -> str | None:
    return _SYMBOL_UNITS.get(surface) or _word_lookup().get(surface.lower())


@lru_cache(maxsize=1)
def _word_lookup() -> dict[str, str]:
    return {form: unit for unit, forms in _WORD_UNITS.items() for form in forms.split("|")}


@lru_cache(maxsize=1)
def unit_pattern() -> re.Pattern[str]:
    """A unit right after a numeral: attached ("5km"), spaced, or hyphenated ("50-kilometer")."""
    words = sorted(_word_lookup(), key=len, reverse=True)
    symbols = sorted(_SYMBOL_UNITS, key=len, reverse=True)
    spaced = [re.escape(word).replace(r"\ ", r"[\s-]") for word in words]
    alternatives = "|".join([f"(?i:{word})" for word in spaced] + [re.escape(s) for s in symbols])
    return re.compile(rf"(?:\s?-\s?|\s{{1,2}}|)(?P<unit>{alternatives})(?![A-Za-z0-9])")


@lru_cache(maxsize=1)
def people_pattern() -> re.Pattern[str]:
    """A count of people: "470,000 people", "200,000 civilians", "14 first-team players"."""
    between = rf"(?:(?!{_NOT_BETWEEN}\b)[A-Za-z][\w'-]*[ \t]+)"
    nouns = rf"(?i:{_PEOPLE})|[A-Z][a-z]+(?:ians|ans|is|ese)|Britons|Jews|Kurds|Arabs"
    return re.compile(rf"[ \t-]+{between}{{0,2}}?(?P<noun>{nouns})(?![\w-])")
