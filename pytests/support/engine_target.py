"""Which dbt target the suite runs against (DBT_TARGET: `local` by default, or `thrift`)."""

from __future__ import annotations

import os

TARGET = os.environ.get("DBT_TARGET", "local")
# Work measurements read the engine's status store, which only the embedded engine exposes.
EMBEDDED = TARGET == "local"
