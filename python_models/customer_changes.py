"""Every change to silver_customers, exactly once across runs, from its Delta Change Data Feed.

Incremental append: each run takes the commits after the newest `_commit_version` already in
this table, so a change is never taken twice or missed, and the position lives in the table
itself (no separate checkpoint to keep in step). A run that dies before its append commits
leaves the position where it was; the next run takes the same commits again, once.

Two kinds of commit are not taken from the feed as it stands:

- a rebuild of silver_customers (`--full-refresh`, a replace, an overwrite, a restore): Delta's
  feed of such a commit deletes and re-inserts every row, changed or not. Its changes are taken
  as the difference between the table before and after it instead: a customer who appears is an
  insert, one who is gone a delete, one whose columns differ an update pre- and post-image, and
  one who is identical is no change at all;
- the first commit of a rebuild of this model: the table as of version `from_version` (config,
  default 0) is taken as one insert per customer, then the feed after it. From version 0 that is
  the whole feed; a later version restarts the history there (the way to reload after VACUUM
  removed older change files).

Change files removed by VACUUM before this model read them fail the run with the versions whose
files are gone and the reload command; no change is skipped silently.
"""

from pyspark.sql import functions as F

KEY = "customer_id"  # silver_customers' unique key
CHANGE_COLUMNS = ["_change_type", "_commit_version", "_commit_timestamp"]
# Commits whose change feed replays the whole table (as macros/change_feed/delta_commit_rebuilds).
REBUILD_OPERATIONS = {
    "CREATE TABLE AS SELECT",
    "CREATE OR REPLACE TABLE AS SELECT",
    "REPLACE TABLE AS SELECT",
    "CREATE TABLE",
    "CREATE OR REPLACE TABLE",
    "REPLACE TABLE",
    "TRUNCATE",
    "RESTORE",
}
# Spark's and Delta's error classes for a file the log names but the storage no longer holds
MISSING_FILE_MARKERS = ("FILE_NOT_EXIST", "FILENOTFOUNDEXCEPTION", "FILE_NOT_FOUND")


def relation_name(model_name):
    # dbt's Python wrapper defines `ref` at module level; with a loader that returns the name
    # unchanged, it gives the relation dbt resolved for `model_name` (alias and schema included).
    return ref(model_name, dbt_load_df_function=lambda name: name)  # noqa: F821


def commit_log(session, table):
    """{version: (operation, parameters as text, commit time as text)}, from the commit log only."""
    history = session.sql(f"describe history {table}").select(
        "version",
        "operation",
        F.col("operationParameters").cast("string").alias("parameters"),
        F.date_format("timestamp", "yyyy-MM-dd HH:mm:ss.SSSSSS").alias("committed_at"),
    )
    rows = history.collect()
    return {row.version: (row.operation, row.parameters, row.committed_at) for row in rows}


def rebuilds(commit):
    operation, parameters, _ = commit
    return operation in REBUILD_OPERATIONS or "Overwrite" in (parameters or "")


def as_of(session, table, version, columns):
    """The table as of `version`, with today's columns (a column it did not have yet is NULL)."""
    frame = session.read.format("delta").option("versionAsOf", version).table(table)
    present = set(frame.columns)
    return frame.select(*[F.col(c) if c in present else F.lit(None).alias(c) for c in columns])


def stamped(frame, change_type, version, committed_at):
    return frame.select(
        "*",
        F.lit(change_type).alias("_change_type"),
        F.lit(version).cast("bigint").alias("_commit_version"),
        F.to_timestamp(F.lit(committed_at)).alias("_commit_timestamp"),
    )


def rebuild_changes(session, table, version, committed_at, columns):
    """The change rows of a rebuild: the difference between the versions before and after it."""
    before = as_of(session, table, version - 1, columns).alias("before")
    after = as_of(session, table, version, columns).alias("after")
    joined = before.join(after, F.col(f"before.{KEY}") == F.col(f"after.{KEY}"), "full_outer")
    unchanged = F.lit(True)
    for column in columns:
        unchanged = unchanged & F.col(f"before.{column}").eqNullSafe(F.col(f"after.{column}"))
    appeared = F.col(f"before.{KEY}").isNull()
    gone = F.col(f"after.{KEY}").isNull()
    changed = ~appeared & ~gone & ~unchanged
    images = [
        ("insert", appeared, "after"),
        ("delete", gone, "before"),
        ("update_preimage", changed, "before"),
        ("update_postimage", changed, "after"),
    ]
    frames = [
        stamped(joined.where(condition).select(f"{side}.*"), change_type, version, committed_at)
        for change_type, condition, side in images
    ]
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


def feed_changes(session, table, first, last, log, columns):
    """The change rows of versions first..last, each rebuild taken as a difference."""
    rebuilt = [v for v in range(first, last + 1) if v > 0 and v in log and rebuilds(log[v])]
    feed = (
        session.read.format("delta")
        .option("readChangeFeed", "true")
        .option("startingVersion", first)
        .option("endingVersion", last)
        .table(table)
        .where(~F.col("_commit_version").isin(rebuilt))
        .select(*columns, *CHANGE_COLUMNS)
    )
    for version in rebuilt:
        feed = feed.unionByName(rebuild_changes(session, table, version, log[version][2], columns))
    return feed


def read_everything(frame):
    """Reads every row and column of `frame` (an aggregate no statistic can answer)."""
    frame.agg(F.max(F.xxhash64(*frame.columns))).collect()


def missing_files(error):
    text = str(error).upper()
    return any(marker in text for marker in MISSING_FILE_MARKERS)


def unreadable_versions(session, table, versions, log, columns):
    """The versions among `versions` whose change rows can no longer be read."""
    unreadable = []
    for version in versions:
        try:
            read_everything(feed_changes(session, table, version, version, log, columns))
        except Exception as error:  # only a missing file is reported here
            if not missing_files(error):
                raise
            unreadable.append(version)
    return unreadable


def checked(session, frame, table, versions, log, columns):
    """`frame`, after proving that every file it reads is still there."""
    try:
        read_everything(frame)
    except Exception as error:
        if not missing_files(error):
            raise
        lost = unreadable_versions(session, table, versions, log, columns) or list(versions)
        current = max(log)
        reload_vars = "{customer_changes_from_version: " + str(current) + "}"  # no Jinja braces
        raise RuntimeError(
            f"customer_changes cannot read the changes of {table} version(s) "
            f"{', '.join(map(str, lost))}: their files were removed (VACUUM ran with a retention "
            f"shorter than the time since this model last ran), so these changes are lost. "
            f"To reload, restart the history at the current version: dbt run --select "
            f"customer_changes --full-refresh "
            f"--vars '{reload_vars}' "
            f"(one insert per customer as of version {current}, then every later change). "
            f"Keep delta.deletedFileRetentionDuration longer than the interval between runs. "
            f"Cause: {str(error).splitlines()[0]}"
        ) from None
    return frame


def model(dbt, session):
    dbt.config(materialized="incremental", incremental_strategy="append")
    customers = dbt.ref("silver_customers")  # the lineage edge, and the table's columns
    table = relation_name("silver_customers")
    columns = customers.columns
    log = commit_log(session, table)
    last = max(log)

    if dbt.is_incremental:
        consumed = session.sql(f"select max(_commit_version) as v from {dbt.this}").first().v
        if consumed is not None and consumed > last:
            raise RuntimeError(
                f"customer_changes holds changes up to version {consumed} of {table}, whose "
                f"history now ends at version {last}: the table was dropped and created again. "
                f"Rebuild the history: dbt run --select customer_changes --full-refresh"
            )
        first = 0 if consumed is None else consumed + 1
        if first > last:  # nothing committed since the last run: no file is read
            return stamped(customers.limit(0), "insert", last, log[last][2])
        changes = feed_changes(session, table, first, last, log, columns)
        return checked(session, changes, table, range(first, last + 1), log, columns)

    from_version = dbt.config.get("from_version", 0)  # a call of its own: dbt finds it so
    start = int(from_version or 0)
    if start not in log:
        raise RuntimeError(
            f"customer_changes_from_version {start} is not in the history of {table} "
            f"(versions {min(log)} to {last})"
        )
    baseline = stamped(as_of(session, table, start, columns), "insert", start, log[start][2])
    changes = baseline
    if start < last:
        changes = baseline.unionByName(feed_changes(session, table, start + 1, last, log, columns))
    return checked(session, changes, table, range(start, last + 1), log, columns)
