"""The Parquet tables `newsloom batch` writes, with declared schemas: readable by any Parquet reader
(pyarrow, DuckDB, pandas, Spark), no pickled Python objects.

- `annotated`: one row per input document in input order: `order`, `status` ("ok" or "error"), and
  either `record` (the annotated article, a nested struct whose schema is derived from
  `model.AnnotatedArticle`'s type hints: one source of truth) or `origin` and `reason`. The driver
  loads the store from it (`record_of` turns a row back into an AnnotatedArticle).
- `articles`, `entity_mentions`, `time_mentions`, `event_mentions`, `failures`, `events`, `storylines`:
  flat tables for analysis, their columns declared in FLAT below; lists are arrays, dates are dates.

Spark types are built lazily (pyspark is an optional extra); the declarations are plain Python.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from enum import Enum
from typing import Any

import numpy as np

from .model import AnnotatedArticle

__all__ = ["FLAT", "annotated_row", "annotated_schema", "flat_row", "flat_schema", "record_of", "spark_type"]

# column -> kind ("string", "long", "bool", "date", "strings" (an array of strings)); nullable all
FLAT: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("order", "long"), ("id", "string"), ("external_id", "string"), ("source", "string"), ("url", "string"),
        ("outlet", "string"), ("title", "string"), ("authors", "strings"), ("published", "date"),
        ("published_granularity", "string"), ("published_inferred", "bool"), ("language", "string"),
        ("text", "string"), ("boilerplate_removed", "strings"),
    ],
    "entity_mentions": [
        ("article_id", "string"), ("sentence", "long"), ("start", "long"), ("end", "long"), ("text", "string"),
        ("label", "string"),
    ],
    "time_mentions": [
        ("article_id", "string"), ("sentence", "long"), ("start", "long"), ("end", "long"), ("text", "string"),
        ("value", "string"), ("type", "string"), ("granularity", "string"), ("range_start", "date"),
        ("range_end", "date"),
    ],
    "event_mentions": [
        ("article_id", "string"), ("sentence", "long"), ("trigger", "string"), ("type", "string"),
        ("actors", "strings"), ("targets", "strings"), ("place", "string"), ("date_start", "date"),
        ("date_end", "date"), ("date_source", "string"), ("negated", "bool"), ("hedged", "bool"),
        ("quote", "string"), ("evidence", "string"),
    ],
    "failures": [("order", "long"), ("source", "string"), ("reason", "string")],
    "events": [
        ("id", "string"), ("type", "string"), ("title", "string"), ("date_start", "date"), ("date_end", "date"),
        ("granularity", "string"), ("place", "string"), ("participants", "strings"), ("article_ids", "strings"),
        ("storyline_id", "string"),
    ],
    "storylines": [
        ("id", "string"), ("title", "string"), ("first_date", "date"), ("last_date", "date"),
        ("event_ids", "strings"), ("article_ids", "strings"),
    ],
}  # fmt: skip


def _spark_kind(kind: str) -> Any:
    from pyspark.sql import types as T

    return {
        "string": T.StringType(),
        "long": T.LongType(),
        "bool": T.BooleanType(),
        "date": T.DateType(),
        "strings": T.ArrayType(T.StringType()),
    }[kind]


def flat_schema(table: str) -> Any:
    """The Spark schema of a flat table."""
    from pyspark.sql import types as T

    return T.StructType([T.StructField(name, _spark_kind(kind), True) for name, kind in FLAT[table]])


def flat_row(table: str, values: dict[str, Any]) -> tuple[Any, ...]:
    """A row of a flat table in its declared column order; ISO date strings become dates."""
    out = []
    for name, kind in FLAT[table]:
        v = values.get(name)
        if kind == "date" and isinstance(v, str):
            v = date.fromisoformat(v[:10])
        out.append(_plain(v))
    return tuple(out)


# --- the annotated record: a schema from the dataclasses' type hints ----------------------------------


def _hints(cls: type) -> dict[str, Any]:
    import newsloom.model as model

    return typing.get_type_hints(cls, vars(model))


def _optional(tp: Any) -> Any:
    """X for `X | None`, else tp."""
    args = typing.get_args(tp)
    if (typing.get_origin(tp) in (typing.Union, types.UnionType)) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else tp
    return tp


def spark_type(tp: Any) -> Any:
    """The Spark type of a Python type hint of the model."""
    from pyspark.sql import types as T

    tp = _optional(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return T.StructType(
            [T.StructField(f.name, spark_type(_hints(tp)[f.name]), True) for f in dataclasses.fields(tp)]
        )
    if origin in (list, set, frozenset):
        return T.ArrayType(spark_type(typing.get_args(tp)[0]))
    if origin is dict:
        k, v = typing.get_args(tp)
        return T.MapType(spark_type(k), spark_type(v))
    if tp is Any:  # the MinHash signature: unsigned 32-bit hash values
        return T.ArrayType(T.LongType())
    if isinstance(tp, type) and issubclass(tp, Enum) or tp is str:
        return T.StringType()
    return {
        int: T.LongType(),
        bool: T.BooleanType(),
        float: T.DoubleType(),
        date: T.DateType(),
        bytes: T.BinaryType(),
    }[tp]


def annotated_schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("order", T.LongType(), False),
            T.StructField("status", T.StringType(), False),
            T.StructField("origin", T.StringType(), True),
            T.StructField("reason", T.StringType(), True),
            T.StructField("record", spark_type(AnnotatedArticle), True),
        ]
    )


def _plain(value: Any) -> Any:
    """A value as the plain types Spark and Parquet take (a str subclass such as lxml's string results
    becomes a str, a numpy number a Python one)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return [int(x) for x in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return bytearray(value)
    return value


def annotated_row(order: int, item: Any) -> dict[str, Any]:
    """A row of `annotated`: an AnnotatedArticle, or an input error ("error", origin, reason)."""
    if isinstance(item, tuple):
        return {"order": order, "status": "error", "origin": item[1], "reason": item[2], "record": None}
    return {
        "order": order,
        "status": "ok",
        "origin": item.document.origin,
        "reason": None,
        "record": _plain(item),
    }


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    tp = _optional(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        get = value.asDict if hasattr(value, "asDict") else None
        data = get() if get else value
        return tp(
            **{
                f.name: _build(hints[f.name], data.get(f.name))
                for f in dataclasses.fields(tp)
                if f.name in data
            }
        )
    if origin in (list, set, frozenset):
        inner = typing.get_args(tp)[0]
        items = [_build(inner, v) for v in value]
        return set(items) if origin is set else items
    if origin is dict:
        _, v = typing.get_args(tp)
        return {k: _build(v, x) for k, x in dict(value).items()}
    if tp is Any:
        return np.asarray(value, dtype=np.uint64)
    if tp is bytes:
        return bytes(value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    return value


def record_of(row: Any) -> AnnotatedArticle:
    """The AnnotatedArticle of an `annotated` row (a Spark Row or a dict) whose status is "ok"."""
    record = row["record"]
    return typing.cast(AnnotatedArticle, _build(AnnotatedArticle, record))
