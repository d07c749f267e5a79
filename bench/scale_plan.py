"""The plan for 1M and 10M articles, derived from the figures other benchmarks measured here.

Run: python -m bench.scale_plan
Reads bench/results/speed-bbc.json (bench.speed: extraction and writing stages, query p95),
speed-50k.json (query p95 at 50k) and index-e2e-50k.json (bench.index_e2e: a whole run of
50,000 articles, its index size), and writes bench/results/scale-plan.{json,md}. It measures
nothing itself: every derived figure is an estimate, and says from which measurement.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from bench.corpus import RESULTS, write_results

SIZES = (1_000_000, 10_000_000)
CLUSTER_CORES = (32, 128)
#: OpenSearch's sizing guidance keeps a shard between 10 and 50 GB; plan for 30.
SHARD_GB = 30.0
REPLICAS = 1


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def measured(results: Path = RESULTS) -> dict[str, Any]:
    """The inputs, each with the file that holds it."""
    bbc, big, e2e = _load("speed-bbc"), _load("speed-50k"), _load("index-e2e-50k")
    split = bbc["extraction"]["split"]
    whole = e2e["newsdex"]
    stages = split["read_clean"] + split["extract"] + split["write"]
    return {
        "bbc_articles": split["articles"],
        "ner_one_process_per_s": bbc["extraction"]["ner1"]["articles_per_s"],
        "extract_per_core_per_s": split["articles"] / split["extract"] / split["workers"],
        "extract_share": split["extract"] / stages,
        "sink_per_s": split["articles"] / split["write"],
        "run_50k_per_s": whole["articles_per_s"],
        "run_50k_pss_mb": whole["tree_pss_mb"],
        "index_kb_per_article": whole["disk_mb"] * 1024 / whole["articles"],
        "p95_bbc_ms": bbc["queries"]["newsdex"]["p95_ms"],
        "p95_50k_ms": big["queries"]["newsdex"]["p95_ms"],
        "big_articles": whole["articles"],
    }


def plan(m: dict[str, Any]) -> dict[str, Any]:
    """Estimates: linear scaling of extraction over cores, storage at Whoosh's size per article
    (OpenSearch keeps _source and its own postings: the same order), p95 linear in postings."""
    rows = {}
    for n in SIZES:
        core_hours = n / m["extract_per_core_per_s"] / 3600
        primaries_gb = n * m["index_kb_per_article"] / 1024 / 1024
        rows[str(n)] = {
            "core_hours": round(core_hours, 1),
            **{f"wall_min_{c}_cores": round(core_hours / c * 60) for c in CLUSTER_CORES},
            "primaries_gb": round(primaries_gb, 1),
            "with_replicas_gb": round(primaries_gb * (1 + REPLICAS), 1),
            "primary_shards": max(1, math.ceil(primaries_gb / SHARD_GB)),
        }
    growth = m["p95_50k_ms"] / m["p95_bbc_ms"]
    return {
        "sizes": rows,
        "p95_growth_bbc_to_50k": round(growth, 1),
        "p95_500k_ms_linear": round(m["p95_50k_ms"] * 500_000 / m["big_articles"]),
        "index_500k_gb": round(500_000 * m["index_kb_per_article"] / 1024 / 1024, 2),
    }


def markdown(m: dict[str, Any], p: dict[str, Any]) -> str:
    rows = [
        f"| {int(n):,} | {r['core_hours']} | {r['wall_min_32_cores']} min | "
        f"{r['wall_min_128_cores']} min | {r['primaries_gb']} GB | {r['with_replicas_gb']} GB | "
        f"{r['primary_shards']} |"
        for n, r in p["sizes"].items()
    ]
    return "\n".join(
        [
            "# The plan for 1M and 10M articles (estimates)",
            "",
            "Written by `python -m bench.scale_plan` from speed-bbc.json, speed-50k.json and "
            "index-e2e-50k.json; it measures nothing itself.",
            "",
            f"- extraction per core: {m['extract_per_core_per_s']:.1f} articles/s "
            f"(BBC stages, {m['extract_share'] * 100:.0f}% of a run's stage time); "
            f"bare NER on one process {m['ner_one_process_per_s']} articles/s",
            f"- the Whoosh sink: {m['sink_per_s']:.0f} articles/s",
            f"- index size: {m['index_kb_per_article']:.1f} KB per article (50k run)",
            f"- query p95 grew {p['p95_growth_bbc_to_50k']}x from BBC to 50k; linear in "
            f"postings, 500k articles would give ~{p['p95_500k_ms_linear']} ms and an index of "
            f"~{p['index_500k_gb']} GB",
            "",
            "| articles | core-hours | wall, 32 cores | wall, 128 cores | primaries | "
            f"with {REPLICAS} replica | primary shards (<= {SHARD_GB:.0f} GB) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            *rows,
            "",
        ]
    )


def main() -> None:
    m = measured()
    p = plan(m)
    write_results("scale-plan", {"measured": m, "plan": p}, markdown(m, p))


if __name__ == "__main__":
    main()
