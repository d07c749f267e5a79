"""Score place and organization extraction on IE-ER dev and CoNLL-2003 valid against plain spaCy.

Run: python -m bench.entities [--data DIR]. Writes bench/results/entities.json and entities.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from index.clean import clean_text, unescape_references
from index.extract import (
    Mention,
    Resources,
    Rules,
    default_resources,
    extract_batch,
    load_model,
    mentions_from_doc,
)
from index.gazetteer import place_key
from index.model import Article
from index.orgs import article_acronyms, org_key

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"
PLAIN_PLACE_LABELS = frozenset({"GPE", "LOC"})
KINDS = ("place", "org")
IEER_KINDS = {"LOCATION": "place", "ORGANIZATION": "org"}
CONLL_KINDS = {"LOC": "place", "ORG": "org"}

# A CoNLL document is sports when its headline (first sentence) starts with a sport's name in
# any case ("SOCCER -", "Boxing-Bruno", "NFL AMERICAN FOOTBALL-..."), or is in capitals and
# announces results or standings. Checked by hand on all 216 valid headlines.
SPORTS = re.compile(
    r"^(?:SOCCER|CRICKET|TENNIS|GOLF|RUGBY|BASEBALL|BASKETBALL|BOXING|ATHLETICS|SQUASH|CYCLING"
    r"|MOTOR RACING|HORSE RACING|NFL|NBA|NHL|ICE HOCKEY|SKIING|SWIMMING|BADMINTON|YACHTING)",
    re.IGNORECASE,
)
SPORTS_CAPITALS = re.compile(r"\b(?:RESULTS|STANDINGS|SCOREBOARD)\b")

Found = Callable[[Sequence[str]], list[list[Mention]]]
Span = tuple[int, int, str]
Report = dict[str, Any]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(
        self,
        found: AbstractSet[object],
        gold: AbstractSet[object],
        optional: AbstractSet[object] = frozenset(),
    ) -> None:
        self.tp += len(found & gold)
        self.fp += len(found - gold - optional)
        self.fn += len(gold - found)

    def figures(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


# --- the two systems -------------------------------------------------------------------------


def plain_spacy(texts: Sequence[str]) -> list[list[Mention]]:
    """en_core_web_sm NER alone: GPE and LOC are places, ORG organizations, spans as tagged."""
    found = []
    for doc in load_model().pipe(texts, batch_size=32):
        kinds = ((e, "place" if e.label_ in PLAIN_PLACE_LABELS else "org") for e in doc.ents)
        found.append(
            [
                Mention(e.start_char, e.end_char, e.text, kind)
                for e, kind in kinds
                if e.label_ in PLAIN_PLACE_LABELS or e.label_ == "ORG"
            ]
        )
    return found


def newsdex(resources: Resources) -> Found:
    def run(texts: Sequence[str]) -> list[list[Mention]]:
        docs = load_model().pipe(texts, batch_size=32)
        return [mentions_from_doc(doc, resources) for doc in docs]

    return run


# --- IE-ER: document level -------------------------------------------------------------------


@dataclass(frozen=True)
class IeerDoc:
    docid: str
    body: str
    body_start: int  # offset of the body in the file: headline spans are not scored
    gold: dict[str, set[str]]  # kind -> names as written
    optional: dict[str, set[str]]


def load_ieer(folder: Path) -> list[IeerDoc]:
    spans: dict[str, list[dict[str, str]]] = defaultdict(list)
    with (folder / "annotations.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["type"] in IEER_KINDS:
                spans[row["docid"]].append(row)
    docs = []
    for path in sorted((folder / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        start = text.index("\n") + 1
        gold: dict[str, set[str]] = {kind: set() for kind in KINDS}
        optional: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for row in spans[path.stem]:
            if int(row["start"]) >= start:
                names = optional if row["optional"] == "1" else gold
                names[IEER_KINDS[row["type"]]].add(unescape_references(row["text"]))
                if row["alt"]:  # a minimal extent the annotators also allowed
                    optional[IEER_KINDS[row["type"]]].add(unescape_references(row["alt"]))
        # The body as indexing cleans it: the stories carry SGML references ("Procter &AMP;
        # Gamble"), which newsdex decodes like any text export's.
        body = clean_text(text[start:], ())
        docs.append(IeerDoc(path.stem, body, start, gold, optional))
    return docs


def normaliser(resources: Resources, body: str) -> Callable[[str, str], str]:
    """Names compared as newsdex folds them: a place by the gazetteer's canonical name (or its key
    when unknown), an organization by its canonical name, the article's own acronyms expanded."""
    acronyms = article_acronyms(body)

    def norm(kind: str, name: str) -> str:
        if kind == "place":
            found = resources.gazetteer.lookup(name)
            return place_key(found[0].name if found else name)
        return org_key(resources.aliases.canonical(acronyms.get(name.strip(), name)))

    return norm


def score_ieer(docs: Sequence[IeerDoc], found: Sequence[dict[str, list[str]]]) -> Report:
    base = default_resources()
    scores = {kind: Score() for kind in KINDS}
    for doc, names in zip(docs, found, strict=True):
        norm = normaliser(base, doc.body)
        for kind in KINDS:
            scores[kind].add(
                {norm(kind, n) for n in names[kind]},
                {norm(kind, n) for n in doc.gold[kind]},
                {norm(kind, n) for n in doc.optional[kind]},
            )
    return {kind: score.figures() for kind, score in scores.items()}


def ieer_names(docs: Sequence[IeerDoc], system: Found | Resources) -> list[dict[str, list[str]]]:
    """Document-level names: through the real article path for newsdex, spans for plain spaCy."""
    if isinstance(system, Resources):
        articles = [Article(d.docid, d.docid, "/", d.docid, "", "", d.body) for d in docs]
        extracted = extract_batch(articles, system)
        return [
            {"place": list(x.entities.places), "org": list(x.entities.organizations)}
            for x in extracted
        ]
    return [
        {kind: [m.name for m in mentions if m.kind == kind] for kind in KINDS}
        for mentions in system([d.body for d in docs])
    ]


# --- CoNLL-2003: mention level ---------------------------------------------------------------


@dataclass(frozen=True)
class ConllDoc:
    text: str  # tokens joined by spaces, sentences by line breaks
    gold: frozenset[tuple[int, int, str]]  # start, end, kind
    sports: bool


def load_conll(path: Path) -> list[ConllDoc]:
    return [_conll_doc(sentences) for sentences in conll_documents(path)]


def conll_documents(path: Path) -> Iterator[list[list[tuple[str, str]]]]:
    """Each -DOCSTART- block of a CoNLL-2003 file, as its sentences of (token, tag)."""
    sentences: list[list[tuple[str, str]]] = [[]]
    for line in [*path.read_text(encoding="utf-8").splitlines(), "-DOCSTART- -X- -X- O"]:
        if line.startswith("-DOCSTART-"):
            if any(sentences):
                yield [s for s in sentences if s]
            sentences = [[]]
        elif not line.strip():
            sentences.append([])
        else:
            token, *_, tag = line.split(" ")
            sentences[-1].append((token, tag))


def _conll_doc(sentences: list[list[tuple[str, str]]]) -> ConllDoc:
    text = "\n".join(" ".join(token for token, _ in sentence) for sentence in sentences)
    gold: set[tuple[int, int, str]] = set()
    position = 0
    for sentence in sentences:
        span: tuple[int, int, str] | None = None  # IOB2: B- opens a span, I- extends it
        for token, tag in [*sentence, ("", "O")]:
            if span and not tag.startswith("I-"):
                gold.add(span)
                span = None
            end = position + len(token)
            if tag.startswith("B-") and tag[2:] in CONLL_KINDS:
                span = (position, end, CONLL_KINDS[tag[2:]])
            elif span and tag.startswith("I-"):
                span = (span[0], end, span[2])
            position = end + 1 if token else position  # the space or line break that follows
    return ConllDoc(text, frozenset(gold), is_sports(text))


def is_sports(text: str) -> bool:
    """A CoNLL document whose headline (first line) names a sport or announces results."""
    headline = text.split("\n", 1)[0]
    return bool(SPORTS.match(headline)) or (
        headline.isupper() and bool(SPORTS_CAPITALS.search(headline))
    )


def score_conll(docs: Sequence[ConllDoc], found: Sequence[list[Mention]]) -> Report:
    result = {}
    for subset, keep in (("all", lambda d: True), ("non_sports", lambda d: not d.sports)):
        scores = {kind: Score() for kind in KINDS}
        for doc, mentions in zip(docs, found, strict=True):
            if keep(doc):
                spans = {(m.start, m.end, m.kind) for m in mentions}
                for kind in KINDS:
                    scores[kind].add(
                        {s for s in spans if s[2] == kind}, {s for s in doc.gold if s[2] == kind}
                    )
        result[subset] = {kind: score.figures() for kind, score in scores.items()}
    return result


# --- running and reporting -------------------------------------------------------------------

RULE_NAMES = (
    "fac_places",
    "gazetteer_recall",
    "drop_non_places",
    "org_patterns",
    "datelines",
    "person_names",
    "place_cues",
    "known_orgs",
    "alias_recall",
    "split_names",
    "trim_orgs",
    "coordination",
    "feature_places",
    "not_events",
    "ordinals",
    "given_names",
    "common_words",
    "place_prefixes",
    "company_names",
    "publishers",
    "title_cues",
    "org_relabel",
    "org_repeats",
)
TARGETS = {
    "ieer_place_f1": 0.90,
    "ieer_org_f1": 0.80,
    "conll_ns_place_f1": 0.87,
    "conll_ns_org_f1": 0.72,
}


def evaluate(
    ieer: Sequence[IeerDoc], conll: Sequence[ConllDoc], system: Found | Resources
) -> Report:
    found = system if not isinstance(system, Resources) else newsdex(system)
    return {
        "ieer_doc": score_ieer(ieer, ieer_names(ieer, system)),
        "conll_mention": score_conll(conll, found([d.text for d in conll])),
    }


def headline(result: Report) -> dict[str, float]:
    """The target figures of issue 4 (and CoNLL on all documents)."""
    ieer, conll = result["ieer_doc"], result["conll_mention"]
    return {
        "ieer_place_f1": ieer["place"]["f1"],
        "ieer_org_f1": ieer["org"]["f1"],
        "conll_ns_place_f1": conll["non_sports"]["place"]["f1"],
        "conll_ns_org_f1": conll["non_sports"]["org"]["f1"],
        "conll_all_place_f1": conll["all"]["place"]["f1"],
        "conll_all_org_f1": conll["all"]["org"]["f1"],
    }


def ablation(ieer: Sequence[IeerDoc], conll: Sequence[ConllDoc], chosen: Resources) -> Report:
    """Per rule, F1 with it on minus off: alone over the model-only classification, and
    toggled within the chosen configuration. A rule is kept when it pays on both data sets."""
    bare = replace(chosen, rules=Rules(**dict.fromkeys(RULE_NAMES, False)))
    base_bare = headline(evaluate(ieer, conll, bare))
    base_chosen = headline(evaluate(ieer, conll, chosen))
    rows: Report = {"model_only": base_bare, "chosen": base_chosen}
    for rule in RULE_NAMES:
        kept = getattr(chosen.rules, rule)
        alone = headline(
            evaluate(ieer, conll, replace(bare, rules=replace(bare.rules, **{rule: True})))
        )
        toggled = headline(
            evaluate(ieer, conll, replace(chosen, rules=replace(chosen.rules, **{rule: not kept})))
        )
        on, off = (base_chosen, toggled) if kept else (toggled, base_chosen)
        rows[rule] = {
            "kept": kept,
            "alone": {k: round(alone[k] - base_bare[k], 4) for k in base_bare},
            "in_chosen": {k: round(on[k] - off[k], 4) for k in base_bare},
        }
    return rows


def speed(folder: Path, limit: int) -> Report:
    """Seconds to extract `limit` BBC articles: the model; the entity step without resolution
    (model labels taken as they are, numbers); the real entity step (rules, gazetteer, aliases).
    The share is the resolution's extra time over extraction without it."""
    from index.extract import entities_from_doc
    from index.numbers import extract_numbers

    paths = sorted(folder.rglob("*.txt"))[:limit]
    texts = [p.read_text(encoding="utf-8", errors="replace").partition("\n")[2] for p in paths]
    nlp, resources = load_model(), default_resources()
    list(nlp.pipe(texts[:8]))  # warm-up: the first batch pays for lazy set-up
    entities_from_doc(nlp(texts[0]), texts[0], resources)
    model, docs = _timed(lambda: list(nlp.pipe(texts, batch_size=32)))
    plain, _ = _timed(lambda: [_unresolved(doc, extract_numbers) for doc in docs])
    full, _ = _timed(lambda: [entities_from_doc(doc, doc.text, resources) for doc in docs])
    extra = max(full - plain, 0.0)
    return {
        "articles": len(texts),
        "model_s": round(model, 3),
        "unresolved_entities_s": round(plain, 3),
        "entities_s": round(full, 3),
        "resolution_s": round(extra, 3),
        "resolution_share": round(extra / (model + plain), 4),
    }


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _unresolved(doc: Any, extract_numbers: Callable[..., Any]) -> tuple[list[str], list[str]]:
    """What extraction would do without resolution: names by model label, and numbers."""
    ents = list(doc.ents)
    places = [e.text for e in ents if e.label_ in PLAIN_PLACE_LABELS]
    orgs = [e.text for e in ents if e.label_ == "ORG"]
    extract_numbers(doc.text, [(e.start_char, e.end_char, e.label_) for e in ents])
    return places, orgs


def markdown(report: Report) -> str:
    lines = [
        "# Entity extraction quality",
        "",
        "Written by `python -m bench.entities`. IE-ER dev: document level, body only (headline "
        "spans are not scored: newsdex never extracts from titles), names compared after "
        "normalisation (a place by its gazetteer name, else its place key; an organization by "
        "its canonical name, the article's acronyms expanded; optional spans neither count nor "
        "cost). CoNLL-2003 valid: mention level, exact span; a document is sports when its "
        "headline starts with a sport's name or, in capitals, announces results or standings "
        f"({report['data']['conll_sports_docs']} of {report['data']['conll_docs']}). "
        "Plain spaCy is en_core_web_sm NER alone, GPE+LOC as places, ORG as organizations.",
        "",
        "| system | IE-ER place P / R / F1 | IE-ER org P / R / F1 | CoNLL place F1 non-sports / all "
        "| CoNLL org F1 non-sports / all |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in ("spacy", "newsdex"):
        r = report["systems"][name]
        ie, co = r["ieer_doc"], r["conll_mention"]
        cells = [f"{ie[k]['p']:.3f} / {ie[k]['r']:.3f} / {ie[k]['f1']:.3f}" for k in KINDS]
        cells += [f"{co['non_sports'][k]['f1']:.3f} / {co['all'][k]['f1']:.3f}" for k in KINDS]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| target | F1 0.90 | F1 0.80 | 0.87 non-sports | 0.72 non-sports |")
    if report["rules"]:
        lines += [
            "",
            "Each rule's effect on F1 (on minus off), alone over the model-only "
            "classification / within the chosen rules:",
            "",
            "| rule | kept | IE-ER place | IE-ER org | CoNLL ns place | CoNLL ns org |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        keys = ("ieer_place_f1", "ieer_org_f1", "conll_ns_place_f1", "conll_ns_org_f1")
        for rule in RULE_NAMES:
            row = report["rules"][rule]
            cells = [f"{row['alone'][k]:+.4f} / {row['in_chosen'][k]:+.4f}" for k in keys]
            lines.append(f"| {rule} | {row['kept']} | " + " | ".join(cells) + " |")
    if report.get("speed"):
        sp = report["speed"]
        lines += [
            "",
            f"Speed on {sp['articles']} BBC articles: model {sp['model_s']} s; entity step "
            f"{sp['unresolved_entities_s']} s without resolution, {sp['entities_s']} s with it "
            f"(rules, gazetteer, aliases): +{sp['resolution_s']} s = "
            f"+{100 * sp['resolution_share']:.1f}% of extraction time.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--no-ablation", action="store_true", help="skip the per-rule runs")
    parser.add_argument("--bbc-limit", type=int, default=300, help="BBC articles timed")
    args = parser.parse_args(argv)
    ieer_dir = args.data / "entities" / "ieer-dev"
    conll_file = args.data / "conll2003" / "valid.txt"
    if not ieer_dir.is_dir() or not conll_file.is_file():
        print(f"evaluation data not found under {args.data} (see its README.md)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    ieer, conll = load_ieer(ieer_dir), load_conll(conll_file)
    chosen = default_resources()
    bbc = args.data / "news" / "bbc" / "docs"
    report: Report = {
        "data": {
            "ieer_docs": len(ieer),
            "conll_docs": len(conll),
            "conll_sports_docs": sum(d.sports for d in conll),
        },
        "chosen_rules": asdict(chosen.rules),
        "systems": {
            "spacy": evaluate(ieer, conll, plain_spacy),
            "newsdex": evaluate(ieer, conll, chosen),
        },
        "rules": {} if args.no_ablation else ablation(ieer, conll, chosen),
        "speed": speed(bbc, args.bbc_limit) if bbc.is_dir() else {},
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "entities.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "entities.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
