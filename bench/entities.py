"""Score place and organization extraction on both halves of IE-ER dev and CoNLL-2003 valid.

Document level, names compared by bench.namematch (never through newsdex's gazetteer or alias
table), plain spaCy beside newsdex on each half; each rule toggled within the chosen set, per
half. Run: python -m bench.entities [--data DIR] [--model NAME] [--ner DIR] [--no-ablation].
Writes bench/results/entities.json and entities.md (or --out NAME.json / NAME.md).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from bench.entity_data import KINDS, EvalDoc, is_sports, load_conll, load_ieer
from bench.namematch import Counts, one_per_person, score_document
from bench.ner_combine import MODES, load_second, parse_combined
from index.extract import (
    MODEL,
    Resources,
    Rules,
    default_resources,
    entities_from_doc,
    load_model,
    mentions_from_doc,
)
from index.orgs import article_acronyms

__all__ = ["is_sports", "load_conll", "load_ieer"]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = Path(__file__).resolve().parent / "results"
PLAIN_PLACE_LABELS = frozenset({"GPE", "LOC"})
# The rules written for people, whose deltas on people are checked too (_checked).
PERSON_RULES = frozenset({"person_orgs"})
# Mention-level figures are for the kinds newsdex finds as mentions (people are names only).
MENTION_KINDS = ("place", "org")
# The groups every figure is given for: a data set (CoNLL without and with sports) and a half.
GROUPS = tuple((name, half) for name in ("ieer", "conll-ns", "conll-all") for half in ("A", "B"))
# The groups a rule must not lower (the sports tables of CoNLL are not news prose).
CHECKED = ("ieer", "conll-ns")
RULE_NAMES = tuple(f.name for f in fields(Rules))

Names = dict[str, list[Any]]  # kind -> names, or tuples of one entity's names
Report = dict[str, Any]


def parse(docs: Sequence[EvalDoc], nlp: Any) -> list[Any]:
    return list(nlp.pipe([d.text for d in docs], batch_size=32))


def plain_names(parsed: Sequence[Any]) -> list[Names]:
    """en_core_web_sm NER alone: GPE and LOC are places, ORG organizations, PERSON people,
    names as tagged."""
    found = []
    for doc in parsed:
        ents = list(doc.ents)
        found.append(
            {
                "place": [e.text for e in ents if e.label_ in PLAIN_PLACE_LABELS],
                "org": [e.text for e in ents if e.label_ == "ORG"],
                "person": [e.text for e in ents if e.label_ == "PERSON"],
            }
        )
    return found


def newsdex_names(parsed: Sequence[Any], resources: Resources) -> list[Names]:
    """What newsdex stores for each document: its places, and its organizations each with the
    names the article wrote for it (the canonical name is displayed, every written name is
    stored and searchable: org:Congress finds the article stored with "US Congress")."""
    found: list[Names] = []
    for doc in parsed:
        entities = entities_from_doc(doc, doc.text, resources)
        acronyms = article_acronyms(doc.text)
        written: dict[str, list[str]] = {org: [] for org in entities.organizations}
        for m in mentions_from_doc(doc, resources):
            if m.kind == "org":
                canonical = resources.aliases.canonical(acronyms.get(m.name, m.name))
                written.setdefault(canonical, []).append(m.name)
        orgs = [(org, *dict.fromkeys(written[org])) for org in entities.organizations]
        found.append(
            {"place": list(entities.places), "org": orgs, "person": list(entities.persons)}
        )
    return found


def _in_group(doc: EvalDoc, name: str, half: str) -> bool:
    if doc.half != half:
        return False
    if name == "ieer":
        return doc.dataset == "ieer"
    return doc.dataset == "conll" and (name == "conll-all" or not doc.sports)


def score(docs: Sequence[EvalDoc], found: Sequence[Names]) -> Report:
    """P, R and F1 per group and kind."""
    report: Report = {}
    for name, half in GROUPS:
        totals = {kind: Counts() for kind in KINDS}
        for doc, names in zip(docs, found, strict=True):
            if _in_group(doc, name, half):
                for kind in KINDS:
                    totals[kind].add(_score_kind(kind, names[kind], doc))
        report[f"{name}/{half}"] = {kind: c.figures() for kind, c in totals.items()}
    return report


def _score_kind(kind: str, found: list[Any], doc: EvalDoc) -> Counts:
    """One document's names of one kind against its gold; people one name per person on both
    sides (bench.namematch.one_per_person)."""
    gold, optional = doc.gold[kind], doc.optional.get(kind, ())
    if kind == "person":
        found, gold = one_per_person(found), tuple(one_per_person(gold))
    return score_document(found, gold, optional)


def mention_score(docs: Sequence[EvalDoc], parsed: Sequence[Any], resources: Resources) -> Report:
    """CoNLL non-sports, mention level, exact spans (the earlier sessions' figure), per half."""
    report: Report = {}
    for half in ("A", "B"):
        totals = {kind: Counts() for kind in MENTION_KINDS}
        for doc, parsed_doc in zip(docs, parsed, strict=True):
            if doc.dataset != "conll" or doc.sports or doc.half != half:
                continue
            found = {(m.start, m.end, m.kind) for m in mentions_from_doc(parsed_doc, resources)}
            for kind in MENTION_KINDS:
                mine = {s for s in found if s[2] == kind}
                gold = {s for s in doc.spans if s[2] == kind}
                totals[kind].add(Counts(len(mine & gold), len(mine - gold), len(gold - mine)))
        report[f"conll-ns/{half}"] = {kind: c.figures() for kind, c in totals.items()}
    return report


def f1s(report: Report) -> dict[str, float]:
    return {f"{group}/{kind}": report[group][kind]["f1"] for group in report for kind in KINDS}


def ablation(docs: Sequence[EvalDoc], parsed: Sequence[Any], chosen: Resources) -> Report:
    """Each rule toggled within the chosen set: F1 with it on minus off, per group and kind,
    and the groups of CHECKED it lowers."""
    base = f1s(score(docs, newsdex_names(parsed, chosen)))
    rows: Report = {}
    for rule in RULE_NAMES:
        kept = getattr(chosen.rules, rule)
        flipped = replace(chosen, rules=replace(chosen.rules, **{rule: not kept}))
        other = f1s(score(docs, newsdex_names(parsed, flipped)))
        on, off = (base, other) if kept else (other, base)
        delta = {key: round(on[key] - off[key], 4) for key in base}
        lowers = sorted(k for k, v in delta.items() if v < 0 and _checked(rule, k))
        rows[rule] = {"kept": kept, "delta": delta, "lowers": lowers}
    return rows


def _checked(rule: str, key: str) -> bool:
    """Whether a rule's delta on `key` ("ieer/A/person") is checked: every rule on places and
    organizations, the rules written for people (PERSON_RULES) on people too. The place and
    organization rules predate people: their effect on people is shown, not checked."""
    group, _, kind = key.split("/")
    return group in CHECKED and (kind != "person" or rule in PERSON_RULES)


def load_pipeline(model: str, ner: Path | None) -> Any:
    """A pipeline to score: a package or folder, optionally with other NER weights loaded."""
    if ner is None:
        return load_model(model)
    import spacy

    nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                     "lemmatizer", "senter"])  # fmt: skip
    nlp.get_pipe("ner").from_disk(ner)  # type: ignore[attr-defined]
    return nlp


def _cell(figures: dict[str, float]) -> str:
    return f"{figures['p']:.3f} / {figures['r']:.3f} / **{figures['f1']:.3f}**"


def markdown(report: Report) -> str:
    lines = [
        "# Entity extraction quality, both halves of each development set",
        "",
        "Written by `python -m bench.entities`. Document level: each document's set of names "
        "against the gold names, compared by `bench/namematch.py` (exact after folding case, "
        "punctuation, a leading 'the', '&'/'and' and British/American spellings; an acronym; or "
        "one name containing the other when the shorter has two or more words or the rest is a "
        "legal form). Neither side passes through newsdex's gazetteer or alias table. IE-ER: "
        "body only, optional spans neither count nor cost. CoNLL-2003 valid: non-sports "
        "documents (the targets) and all. Halves: bench/halves/. Plain spaCy is the same "
        "pipeline's NER alone (GPE+LOC places, ORG organizations, PERSON people). People: one "
        "name per person on both sides (a one-word name ending a longer one in the same "
        f"document is left out, gold and systems alike). Model: {report['model']}.",
        "",
        "| set | half | docs | kind | plain spaCy P / R / F1 | newsdex P / R / F1 | gain |",
        "| --- | --- | ---: | --- | --- | --- | ---: |",
    ]
    for group, half in GROUPS:
        key = f"{group}/{half}"
        for kind in KINDS:
            plain = report["systems"]["spacy"][key][kind]
            mine = report["systems"]["newsdex"][key][kind]
            lines.append(
                f"| {group} | {half} | {report['docs'][key]} | {kind} | {_cell(plain)} "
                f"| {_cell(mine)} | {mine['f1'] - plain['f1']:+.3f} |"
            )
    mention = report.get("mention")
    if mention:
        lines += ["", "CoNLL non-sports, mention level (exact spans), newsdex F1:", ""]
        lines += [
            f"- half {key[-1]}: place {v['place']['f1']:.3f}, org {v['org']['f1']:.3f}"
            for key, v in mention.items()
        ]
    if report.get("rules"):
        lines += _rule_lines(report["rules"])
    return "\n".join(lines) + "\n"


def _rule_lines(rules: Report) -> list[str]:
    keys = [f"{g}/{h}/{k}" for g in CHECKED for h in ("A", "B") for k in KINDS]
    lines = [
        "",
        "Each rule toggled within the chosen set, F1 on minus off (x1000), per half; a rule that "
        "lowers a half is named under 'lowers' (places and organizations for every rule, people "
        "for the rules written for people: the others predate people, their effect on people is "
        "shown here, not checked):",
        "",
        "| rule | on | " + " | ".join(k.replace("conll-ns", "conll") for k in keys) + " | lowers |",
        "| --- | --- |" + " ---: |" * len(keys) + " --- |",
    ]
    for rule, row in rules.items():
        cells = [f"{1000 * row['delta'][k]:+.0f}" for k in keys]
        lowers = ", ".join(row["lowers"]) or "-"
        lines.append(f"| {rule} | {row['kept']} | " + " | ".join(cells) + f" | {lowers} |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--model", default=MODEL, help="spaCy pipeline (package or folder)")
    parser.add_argument("--ner", type=Path, help="NER weights to load into it (train_ner.py)")
    parser.add_argument(
        "--ner-combine", choices=MODES, help="stock NER with --ner's ORG spans (bench.ner_combine)"
    )
    parser.add_argument("--second", help="the second NER for --ner-combine: a pipeline")
    parser.add_argument("--no-ablation", action="store_true", help="skip the per-rule runs")
    parser.add_argument("--out", default="entities", help="results file name (no suffix)")
    args = parser.parse_args(argv)
    ieer_dir, conll_file = (
        args.data / "entities" / "ieer-dev",
        args.data / "conll2003" / "valid.txt",
    )
    if not ieer_dir.is_dir() or not conll_file.is_file():
        print(f"evaluation data not found under {args.data} (see its README.md)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    docs = load_ieer(ieer_dir) + load_conll(conll_file)
    if args.ner_combine and not (args.ner or args.second):
        print("--ner-combine needs --ner DIR or --second MODEL (the second NER)", file=sys.stderr)
        return 2
    if args.ner_combine:
        stock = load_pipeline(args.model, None)
        second = load_second(args.model, args.ner, args.second)
        parsed = parse_combined([d.text for d in docs], stock, second, args.ner_combine)
    else:
        parsed = parse(docs, load_pipeline(args.model, args.ner))
    chosen = default_resources()
    other = f"NER {args.ner}" if args.ner else f"pipeline {args.second}"
    combined = f" + {other} (ORG combined: {args.ner_combine})" if args.ner_combine else ""
    report: Report = {
        "model": args.model + (combined or (f" + NER {args.ner}" if args.ner else "")),
        "docs": {f"{g}/{h}": sum(_in_group(d, g, h) for d in docs) for g, h in GROUPS},
        "chosen_rules": asdict(chosen.rules),
        "systems": {
            "spacy": score(docs, plain_names(parsed)),
            "newsdex": score(docs, newsdex_names(parsed, chosen)),
        },
        "mention": mention_score(docs, parsed, chosen),
        "rules": {} if args.no_ablation else ablation(docs, parsed, chosen),
    }
    report["seconds"] = round(time.perf_counter() - started, 1)
    write(report, args.out)
    print(markdown(report))
    return 0


def write(report: Report, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / f"{name}.md").write_text(markdown(report), encoding="utf-8")


Found = Callable[[Sequence[Any]], list[Names]]

if __name__ == "__main__":
    sys.exit(main())
