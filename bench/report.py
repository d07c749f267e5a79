"""Turn a speed run's figures into ratios to the peers, the issue-8 targets, and a markdown table.

Every ratio is newsdex / peer, measured in the same run: above 1 means newsdex is slower (times)
or faster (articles/s, queries/s), as each column says.
"""

from __future__ import annotations

from typing import Any

PEERS = ("whoosh", "fts5", "tantivy")
P95_STRETCH_MS = 50.0
MEMORY_LIMIT_MB = 1536.0


def _div(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def ratios(report: dict[str, Any]) -> dict[str, Any]:
    idx, ext, q = report["indexing"], report["extraction"], report["queries"]
    ours = idx["newsdex"]
    found: dict[str, Any] = {
        "indexing_speed_vs": {p: _div(ours["articles_per_s"], idx[p]["articles_per_s"]) for p in PEERS},
        "latency_vs": {
            p: {k: _div(q["newsdex"][k], q[p][k]) for k in ("p50_ms", "p95_ms", "p99_ms")}
            for p in PEERS
        },
        "qps_vs": {p: _div(q["newsdex"]["qps"], q[p]["qps"]) for p in PEERS},
    }  # fmt: skip
    if "newsdex-rerun" in idx:
        found["reindex_speedup"] = _div(
            idx["newsdex-rerun"]["articles_per_s"], ours["articles_per_s"]
        )
    if "ner_all" in ext:
        found["indexing_vs_bare_ner_all_cores"] = _div(
            ours["articles_per_s"], ext["ner_all"]["articles_per_s"]
        )
        found["indexing_vs_bare_ner_1"] = _div(
            ours["articles_per_s"], ext["ner1"]["articles_per_s"]
        )
    return found


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue-8 point-3 targets this run can check: (target, value, holds)."""
    r, q, c = report["ratios"], report["queries"], report["cold"]
    found = []

    def add(name: str, value: float | None, limit: float, above: bool = False) -> None:
        holds = None if value is None else (value >= limit if above else value <= limit)
        found.append({"target": name, "value": value, "limit": limit, "holds": holds})

    if report["indexing"]["newsdex"].get("reused"):
        found.append(
            {
                "target": "indexing and memory: see speed-bbc (this index was not built by "
                "a full indexing run)",
                "value": None,
                "limit": None,
                "holds": None,
            }
        )
    if "indexing_vs_bare_ner_all_cores" in r:
        add(
            "indexing >= 0.85x bare NER (all cores)",
            r["indexing_vs_bare_ner_all_cores"],
            0.85,
            True,
        )
    if not report["indexing"]["newsdex"].get("reused"):
        add(
            "peak memory (process tree PSS, MB) < 1536",
            report["indexing"]["newsdex"]["tree_pss_mb"],
            MEMORY_LIMIT_MB,
        )
    rerun = report["indexing"].get("newsdex-rerun")
    if rerun and rerun.get("cached", 0) >= 0.95 * rerun["articles"]:
        add("re-indexing unchanged content >= 5x a first run", r["reindex_speedup"], 5.0, True)
    elif rerun:  # the extraction code changed between the two runs: the cache could not hit
        found.append({"target": f"re-indexing >= 5x (not measured: {rerun.get('cached')} of "
                      f"{rerun['articles']} from the cache)", "value": None, "limit": 5.0,
                      "holds": None})  # fmt: skip
    add("query p50 <= 1.2x raw Whoosh", r["latency_vs"]["whoosh"]["p50_ms"], 1.2)
    add("query p95 <= 1.0x raw Whoosh", r["latency_vs"]["whoosh"]["p95_ms"], 1.0)
    add("stretch: query p95 <= 50 ms", q["newsdex"]["p95_ms"], P95_STRETCH_MS)
    add("cold one-shot search <= 1.3x typer+Whoosh", c["search"]["ratio"], 1.3)
    add("shell time-to-prompt <= 1.5x prompt_toolkit+Whoosh", c["shell"]["ratio"], 1.5)
    return found  # fmt: skip


def _f(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _indexing_rows(report: dict[str, Any]) -> list[str]:
    idx, ours = report["indexing"], report["indexing"]["newsdex"]["articles_per_s"]
    rows = [
        "| tool | runs | seconds (median) | articles/s | newsdex / tool (speed) | largest "
        "process MB | tree PSS MB | index MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    entries = {**idx, **{f"bare spaCy NER ({k})": v for k, v in report["extraction"].items()
                          if k.startswith("ner")}}  # fmt: skip
    for tool, f in entries.items():
        rows.append(f"| {tool} | {f['runs']} | {_f(f['seconds'])} | {_f(f['articles_per_s'])} | "
                    f"{_f(_div(ours, f['articles_per_s']), 3)} | {_f(f['maxrss_mb'], 0)} | "
                    f"{_f(f['tree_pss_mb'], 0)} | {_f(f['disk_mb'])} |")  # fmt: skip
    return rows


def _query_rows(report: dict[str, Any]) -> list[str]:
    q = report["queries"]
    rows = [
        "| tool | queries | p50 ms | p95 ms | p99 ms | queries/s | p50 / newsdex | "
        "p95 / newsdex | no hits |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tool, f in q.items():
        rows.append(f"| {tool} | {f['queries']} | {_f(f['p50_ms'])} | {_f(f['p95_ms'])} | "
                    f"{_f(f['p99_ms'])} | {_f(f['qps'], 1)} | "
                    f"{_f(_div(f['p50_ms'], q['newsdex']['p50_ms']), 3)} | "
                    f"{_f(_div(f['p95_ms'], q['newsdex']['p95_ms']), 3)} | {f['no_hits']} |")  # fmt: skip
    return rows + _kind_rows(q)


def _kind_rows(q: dict[str, Any]) -> list[str]:
    """p50 of each query kind per tool, and newsdex's ratio to raw Whoosh (runs measured since
    the kinds were recorded)."""
    tools = [t for t, f in q.items() if f.get("p50_by_kind") and t != "newsdex-fields"]
    if "whoosh" not in tools or "newsdex" not in tools:
        return []
    kinds = list(q["newsdex"]["p50_by_kind"])
    rows = ["", "p50 ms by query kind:", "", f"| kind | {' | '.join(tools)} | newsdex / whoosh |",
            "|---|" + "---|" * (len(tools) + 1)]  # fmt: skip
    for kind in kinds:
        cells = [_f(q[t]["p50_by_kind"].get(kind)) for t in tools]
        ratio = _div(q["newsdex"]["p50_by_kind"][kind], q["whoosh"]["p50_by_kind"].get(kind))
        rows.append(f"| {kind} | {' | '.join(cells)} | {_f(ratio, 2)} |")
    return rows


def markdown(report: dict[str, Any]) -> str:
    m, c, ext = report["machine"], report["cold"], report["extraction"]
    lines = [f"# Speed: {report['corpus']} ({report['indexing']['newsdex']['articles']} articles)",
             "", f"{m['date']}, {m['cores']} cores, Python {m['python']}, {m['platform']}; load "
             f"average at start {m['load_average_at_start']}. {m['note']}.", "",
             "## Indexing", "", *_indexing_rows(report), ""]  # fmt: skip
    if report["indexing"]["newsdex"].get("reused"):
        lines += ["newsdex row: the index `python -m bench.index_e2e --corpus "
                  f"{report['corpus']}` built with the product's pipeline (see index-e2e-"
                  f"{report['corpus']}.md), reused for the query figures.", ""]  # fmt: skip
    if "split" in ext:
        s = ext["split"]
        lines += [f"Stages run one after another ({s['articles']} articles, extraction on "
                  f"{s['workers']} processes): read+clean {s['read_clean']} s, extraction "
                  f"(NER, resolution, to fields) {s['extract']} s, writing {s['write']} s.", ""]  # fmt: skip
    together = (
        " Each query is run by every tool back to back, so that a slow stretch of the "
        "machine falls on all of them."
        if report.get("queries_together")
        else ""
    )
    lines += ["## Queries (warm searcher; per-query median of the rounds)", "",
              *([together.strip(), ""] if together else []), *_query_rows(report), "", "newsdex-fields: place/org/number queries only newsdex "
              "answers; newsdex-nosuggest: without the did-you-mean look-up (run when a query finds fewer "
              "than 3 articles); newsdex-plain: without it and without snippets.", "",
              "## Cold start (medians)", "", "| what | runs | newsdex ms | minimal ms | ratio |",
              "|---|---|---|---|---|"]  # fmt: skip
    for name, what in (("search", "one-shot search vs typer+Whoosh"),
                       ("shell", "shell time-to-prompt vs prompt_toolkit+Whoosh")):  # fmt: skip
        f = c[name]
        lines.append(f"| {what} | {f['runs']} | {_f(f['newsdex_ms'], 0)} | "
                     f"{_f(f['minimal_ms'], 0)} | {_f(f['ratio'], 2)} |")  # fmt: skip
    imports = ", ".join(f"{k} {v} ms" for k, v in c["imports_ms"].items())
    if "top" in c["search"]:  # measured since both sides print the same top (else: every match)
        lines += ["", f"The one-shot search runs `{c['search']['query']}` and prints the ids of "
                  f"its top {c['search']['top']} on both sides (`--format ids --limit "
                  f"{c['search']['top']}`)."]  # fmt: skip
    lines += ["", f"Imports of a one-shot search (cumulative, -X importtime): {imports}.", "",
              "## Targets (issue 8, point 3)", "", "| target | value | holds |", "|---|---|---|"]  # fmt: skip
    for t in report["targets"]:
        holds = {True: "yes", False: "**no**", None: "-"}[t["holds"]]
        lines.append(f"| {t['target']} | {_f(t['value'], 3)} | {holds} |")
    return "\n".join(lines) + "\n"
