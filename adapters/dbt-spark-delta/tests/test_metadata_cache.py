"""Which statements the metadata cache answers and which drop it: only `describe history` and
`show tblproperties` are kept, under a key that ignores dbt's query comment and spacing; every
statement that is not a read starts a new generation; a read that overlaps a write is not
kept. The cache on a real engine: functional/test_metadata_reads.py."""

from __future__ import annotations

import pytest
from dbt.adapters.spark_delta import metadata_cache

COMMENT = '/* {"app": "dbt", "node_id": "test.x.not_null_orders_id"} */\n'


@pytest.mark.parametrize(
    ("sql", "read"),
    [
        (COMMENT + "select 1", True),
        ("  describe history s.orders limit 20", True),
        ("DESC extended s.orders", True),
        ("-- a note\nshow tblproperties s.orders", True),
        ("explain select 1", True),
        (COMMENT + "insert into s.orders values (1)", False),
        ("merge into s.orders using x on false when not matched then insert *", False),
        ("with x as (select 1) insert into s.orders select * from x", False),
        ("create or replace temporary view v as select 1", False),
        ("alter table s.orders set tblproperties ('a' = 'b')", False),
        ("", False),
    ],
)
def test_reads_and_writes(sql: str, read: bool) -> None:
    assert metadata_cache.is_read(sql) is read


def test_cache_keys() -> None:
    key = metadata_cache.cache_key(COMMENT + "describe history s.orders limit 20", None)
    assert key is not None
    assert key == metadata_cache.cache_key("DESCRIBE  HISTORY s.orders\n limit 20", None)
    assert key != metadata_cache.cache_key("describe history s.orders limit 20", 5)
    assert key != metadata_cache.cache_key("describe history s.orders limit 1", None)
    assert metadata_cache.cache_key("show tblproperties s.orders ('a')", None) is not None
    for not_kept in ("select * from s.orders", "describe extended s.orders", "show tables"):
        assert metadata_cache.cache_key(not_kept, None) is None


def test_a_write_drops_every_answer_and_a_read_across_a_write_is_not_kept() -> None:
    cache = metadata_cache.MetadataCache()
    generation = cache.generation
    cache.store("a", "answer a", generation)
    assert cache.lookup("a") == "answer a"

    cache.invalidate()  # a write starts
    assert cache.lookup("a") is None

    cache.store("b", "read before the write started", generation)
    assert cache.lookup("b") is None

    during = cache.generation
    cache.store("c", "read while the write ran", during)
    cache.invalidate()  # the write ends
    assert cache.lookup("c") is None
