"""An ESTIMATE of what a pipeline run would cost on Databricks, from work measured here.

Nothing here was measured on Databricks. The model is deliberately simple and every input is
a named assumption the report prints:

    work seconds   = measured engine seconds * speed factor
    marginal DBUs  = work seconds / 3600 * DBU per hour of the warehouse size
                     (the warehouse is running anyway, e.g. shared with other jobs)
    dedicated DBUs = (work seconds + idle tail) / 3600 * DBU per hour
                     (the warehouse starts for this job and bills until it auto-stops)
    dollars        = DBUs * list price per DBU

- measured engine seconds: dbt's node execution times of the run on this machine (no JVM
  start, no dbt parse), i.e. the work the warehouse would have to do;
- speed factor: how long the warehouse takes for work this 2-core machine does in one second.
  1.0 assumes a 2X-Small serverless warehouse is no faster than this machine, which is
  pessimistic (Photon, more cores); the report shows 0.25 as well;
- the idle tail: a serverless warehouse bills until it auto-stops after its last query; the
  Warehouses API accepts 0 (never) or at least 10 minutes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class PriceAssumptions:
    sku: str = "Databricks SQL Serverless (Premium tier, AWS US East)"
    usd_per_dbu: float = 0.70
    price_source: str = (
        "list price per DBU as published on databricks.com/product/pricing (SQL Serverless), "
        "quoted by public pricing summaries dated April 2026; not re-checked from this machine, "
        "which cannot reach databricks.com"
    )
    warehouse_size: str = "2X-Small"
    dbu_per_hour: float = 4.0  # Databricks' sizing table: 2X-Small = 4 DBU/h
    idle_tail_seconds: float = 600.0  # auto_stop_mins = 10, the Warehouses API's minimum
    speed_factors: tuple[float, ...] = (1.0, 0.25)


def estimate(
    engine_seconds: float, assumptions: PriceAssumptions = PriceAssumptions()
) -> list[dict[str, float]]:
    """DBUs and dollars for one run whose work took `engine_seconds` here, per speed factor."""
    rows = []
    for factor in assumptions.speed_factors:
        work = engine_seconds * factor
        marginal = work / 3600 * assumptions.dbu_per_hour
        dedicated = (work + assumptions.idle_tail_seconds) / 3600 * assumptions.dbu_per_hour
        rows.append(
            {
                "speed_factor": factor,
                "work_seconds": round(work, 1),
                "marginal_dbus": round(marginal, 4),
                "marginal_usd": round(marginal * assumptions.usd_per_dbu, 4),
                "dedicated_dbus": round(dedicated, 4),
                "dedicated_usd": round(dedicated * assumptions.usd_per_dbu, 4),
            }
        )
    return rows


def cost_per_run(
    incremental_engine_seconds: float,
    full_engine_seconds: float,
    scale: int,
    assumptions: PriceAssumptions = PriceAssumptions(),
) -> dict[str, Any]:
    """The report's cost section: a daily incremental run and a full refresh at `scale`."""
    daily = estimate(incremental_engine_seconds, assumptions)
    return {
        "label": "ESTIMATE (not measured on Databricks)",
        "scale": scale,
        "assumptions": asdict(assumptions),
        "daily_incremental": {
            "engine_seconds": round(incremental_engine_seconds, 1),
            "by_speed_factor": daily,
        },
        "full_refresh": {
            "engine_seconds": round(full_engine_seconds, 1),
            "by_speed_factor": estimate(full_engine_seconds, assumptions),
        },
        "thirty_daily_runs_dedicated_usd": [round(row["dedicated_usd"] * 30, 2) for row in daily],
    }
