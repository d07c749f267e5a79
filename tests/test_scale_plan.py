"""docs/scale.md's plan is derived from measured results by bench.scale_plan, never typed in."""

from __future__ import annotations

from bench.corpus import RESULTS
from bench.scale_plan import markdown, measured, plan


def test_plan_file_is_derived_from_the_current_results() -> None:
    m = measured()
    assert (RESULTS / "scale-plan.md").read_text(encoding="utf-8") == markdown(m, plan(m)), (
        "bench/results/scale-plan.md is stale: run python -m bench.scale_plan"
    )


def test_plan_scales_with_the_corpus() -> None:
    sizes = plan(measured())["sizes"]
    small, large = sizes["1000000"], sizes["10000000"]
    assert large["core_hours"] > 9 * small["core_hours"]
    assert large["wall_min_128_cores"] < large["wall_min_32_cores"]
    assert abs(large["with_replicas_gb"] - 2 * large["primaries_gb"]) <= 0.1
    assert large["primary_shards"] >= small["primary_shards"] >= 1
