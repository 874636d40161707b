"""This project's own dbt-score rules (README: `make lint`), beside dbt-score's generic ones:
every model has a primary-key test, one properties file per folder named after it, and only
bronze reads the landing sources."""

from pathlib import PurePosixPath

from dbt_score import Model, RuleViolation, rule

# data tests that prove a key: a single column, or a combination of columns
KEY_TESTS = {"unique", "unique_combination_of_columns"}


@rule
def has_primary_key_test(model: Model) -> RuleViolation | None:
    """A model has a primary-key test: `unique` on a column, or on a combination of columns."""
    tests = [test.type for test in model.tests]
    tests += [test.type for column in model.columns for test in column.tests]
    if not KEY_TESTS & set(tests):
        return RuleViolation(message="No primary-key test (unique, unique_combination_of_columns).")
    return None


@rule
def properties_file_beside_the_model(model: Model) -> RuleViolation | None:
    """A model is documented in its folder's one properties file, `_<folder>__models.yml`."""
    if not model.patch_path:
        return RuleViolation(message="No properties file documents this model.")
    properties = PurePosixPath(model.patch_path.split("://", 1)[-1])
    folder = PurePosixPath(model.original_file_path).parent
    expected = f"_{folder.name}__models.yml"
    if properties.parent != folder or properties.name != expected:
        return RuleViolation(message=f"Documented in {properties}, not in {folder / expected}.")
    return None


@rule
def only_bronze_reads_sources(model: Model) -> RuleViolation | None:
    """Only bronze models read the landing sources; every later layer reads models."""
    sources = [node for node in model.depends_on.get("nodes", []) if node.startswith("source.")]
    if sources and "bronze" not in model.tags:
        return RuleViolation(message=f"Reads {', '.join(sources)} outside bronze.")
    return None
