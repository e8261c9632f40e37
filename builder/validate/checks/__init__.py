"""The derived checks, one module per concern; importing this package registers every one."""

from builder.validate.checks import contract, links, spans, splits, statistics, values

__all__ = ["contract", "links", "spans", "splits", "statistics", "values"]
