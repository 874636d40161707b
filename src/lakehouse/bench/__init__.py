"""Benchmarks of the pipeline, every comparison interleaved in one run (A B A B …).

`lakehouse benchmark` lands generated data, runs dbt and the two baselines (a hand-written
PySpark job, and DuckDB over the same files) and writes results.json, report.md and PNG plots.
Medians are reported with min and max; the machine is shared, so only ratios measured side by
side are compared.

Full runs start every dbt invocation and the PySpark job as its own process (each pays its own
JVM start, as a scheduled run does). Quick mode keeps the command working in CI in a few
minutes: one small scale, one repetition, every step in this process on one Spark session.

One job per module: `measure` (samples, series, timing a process), `runners` (a lakehouse,
landing data, running dbt and the baselines as processes or in this one), `steps` (one
repetition's steps and the interleaved schedule), `results` (pure functions from samples to
results.json's figures), `loop` (the whole run), `report` (report.md and plots),
`baseline_job` and `duckdb_pipeline` (the two baselines), `cost_model`, and `pins` (two
checkouts compared).
"""
