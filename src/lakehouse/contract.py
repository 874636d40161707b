"""The landing data contract (DESIGN §4) as the tooling reads it: the keys of an order line and
the order statuses the pipeline accepts. The generator and both baselines use these; the dbt
project declares them in its own YAML, and the tests' independent oracle keeps its own copy."""

ORDER_KEYS = ("order_id", "customer_id", "amount", "status", "order_date")
STATUSES = ("pending", "completed", "cancelled")
