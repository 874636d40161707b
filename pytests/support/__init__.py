"""Test support: independent computations (the oracles), readers of what the pipeline wrote,
and helpers that run dbt or measure Spark. Never imported by the project itself."""
