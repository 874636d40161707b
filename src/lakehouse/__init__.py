"""Tooling for the medallion lakehouse dbt project."""
