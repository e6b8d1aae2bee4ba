"""Validate a query spec against its data source and compile it to one SQLGlot SELECT.

Rules (each refusal names the offending selection, key or filter):
- every field exists in the data source and is usable where it appears;
- a selection's aggregation function is one its field allows;
- either every selection has an aggregation function or none has;
- ``distinct_*`` fields (and measures) are never aggregation keys;
- names (aliases) are unique across selections and aggregation keys;
- filter values parse in their field's type and the comparison applies to it.

Selections without a function group the rows (together with the aggregation keys) unless
their field is itself an aggregate (distinct counts, byte totals). Request names never
reach SQL: result columns are named ``k0``, ``v0``, ... and renamed after the query.
"""

from __future__ import annotations

import dataclasses

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.filters import Filters
from aicode.metrics.query.catalog import SOURCES, DataSource
from aicode.metrics.query.fields import ROW, USERS, Field
from aicode.metrics.query.spec import Aggregate, Kind, Place, QueryError, QuerySpec, Selection
from aicode.metrics.query.values import condition, quoted
from aicode.metrics.sql import col, lit


@dataclasses.dataclass(frozen=True)
class Output:
    """A result column: its name in the answer, its type, and the SQL column(s) holding it.

    Two columns are a fraction's part and whole, divided once the rows are fetched.
    """

    name: str
    kind: Kind
    columns: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class CompiledQuery:
    """A validated query: the SELECT to run and how its columns become the answer."""

    select: exp.Select
    outputs: tuple[Output, ...]
    location: str


def _source(spec: QuerySpec) -> DataSource:
    source = SOURCES.get(spec.source)
    if source is None:
        where = spec.where("data_source")
        names = ", ".join(SOURCES)
        raise QueryError(
            f"{where}: unknown data source {quoted(spec.source)}; expected one of {names}",
            field=where,
        )
    return source


def _selection_place(spec: QuerySpec, index: int, selection: Selection) -> Place:
    where = spec.where(f"selections[{index}]")
    return Place(where, f"{where} {quoted(selection.alias)}")


def _selected_fields(spec: QuerySpec, source: DataSource) -> list[Field]:
    fields: list[Field] = []
    for index, selection in enumerate(spec.selections):
        place = _selection_place(spec, index, selection)
        field = source.field(selection.field)
        if field is None:
            raise place.error(
                f"unknown field {quoted(selection.field)}; fields of this data source: "
                f"{source.describe()}"
            )
        if not field.selectable:
            raise place.error(f"field {quoted(field.name)} can only be used in filters")
        if selection.function not in field.functions:
            valid = ", ".join(f.name for f in Aggregate if f in field.functions)
            raise place.error(
                f"aggregation function {selection.function.name} is not valid for field "
                f"{quoted(field.name)} (valid: {valid})"
            )
        fields.append(field)
    return fields


def _check_not_mixed(spec: QuerySpec) -> None:
    first = spec.selections[0]
    aggregated = first.function is not Aggregate.UNSPECIFIED
    for index, selection in enumerate(spec.selections[1:], start=1):
        if (selection.function is not Aggregate.UNSPECIFIED) == aggregated:
            continue
        place = _selection_place(spec, index, selection)
        if aggregated:
            problem = (
                f"has no aggregation function but selections[0] {quoted(first.alias)} "
                f"uses {first.function.name}"
            )
        else:
            problem = (
                f"uses {selection.function.name} but selections[0] {quoted(first.alias)} "
                "has no aggregation function"
            )
        raise place.error(
            f"{problem}: give every selection an aggregation function, or none of them"
        )


def _key_fields(spec: QuerySpec, source: DataSource) -> list[Field]:
    fields: list[Field] = []
    for index, key in enumerate(spec.keys):
        where = spec.where(f"aggregations[{index}]")
        place = Place(where, f"{where} {quoted(key.name)}")
        if not key.name:
            raise place.error("name is required")
        field = source.field(key.field)
        if field is None:
            raise place.error(
                f"unknown field {quoted(key.field)}; fields of this data source: "
                f"{source.describe()}"
            )
        if field.name.startswith("distinct_"):
            raise place.error(
                f"{field.name} cannot be an aggregation key: distinct_* fields are counts"
            )
        if not field.group_key:
            reason = (
                "can only be used in filters" if not field.selectable else "is not a grouping field"
            )
            raise place.error(f"field {quoted(field.name)} {reason}")
        fields.append(field)
    return fields


def _check_unique_names(spec: QuerySpec) -> None:
    seen: dict[str, str] = {}
    parts = [(f"selections[{i}]", s.alias) for i, s in enumerate(spec.selections)]
    parts += [(f"aggregations[{i}]", k.name) for i, k in enumerate(spec.keys)]
    for part, name in parts:
        if name in seen:
            where = spec.where(part)
            raise Place(where, f"{where} {quoted(name)}").error(
                f"name is already used by {seen[name]}"
            )
        seen[name] = part


def _conditions(spec: QuerySpec, source: DataSource) -> tuple[list[exp.Expr], bool]:
    conditions: list[exp.Expr] = []
    uses_users = False
    for index, wanted in enumerate(spec.conditions):
        where = spec.where(f"filters[{index}]")
        place = Place(where, f"{where} {quoted(wanted.field)}")
        field = source.field(wanted.field)
        if field is None:
            raise place.error(
                f"unknown field; fields filters may use: {source.describe(filters=True)}"
            )
        if not field.filterable:
            raise place.error("this field cannot be used in filters")
        conditions.append(condition(field, wanted.op, wanted.value, place))
        uses_users = uses_users or field.uses_users
    return conditions, uses_users


def _measure(field: Field, function: Aggregate) -> exp.Expr:
    if field.aggregate:
        return field.value()
    if function is Aggregate.COUNT:
        # Every field of every row has a value, so counting a field counts rows.
        return exp.Count(this=exp.Star())
    value = field.value()
    if function is Aggregate.SUM:
        return exp.func("coalesce", exp.func("sum", value), lit(0))
    if function is Aggregate.AVG:
        return exp.Avg(this=value)
    if function is Aggregate.MAX:
        return exp.Max(this=value)
    return exp.Min(this=value)


def _measure_kind(field: Field, function: Aggregate) -> Kind:
    if field.aggregate:
        return field.kind
    return Kind.FLOAT if function is Aggregate.AVG else Kind.INT


def compile_query(spec: QuerySpec, scope: Filters, *, limit: int | None = None) -> CompiledQuery:
    """Check a query and build its SELECT over the scope (organization, group, time bounds).

    With ``limit``, at most ``limit + 1`` rows are fetched so the caller can tell when the
    answer is larger than it allows.
    """
    source = _source(spec)
    if not spec.selections:
        where = spec.where("selections")
        raise QueryError(f"{where}: at least one selection is required", field=where)
    selected = _selected_fields(spec, source)
    _check_not_mixed(spec)
    keyed = _key_fields(spec, source)
    _check_unique_names(spec)
    conditions, uses_users = _conditions(spec, source)

    columns: list[exp.Expr] = []
    outputs: list[Output] = []
    groups: dict[str, exp.Expr] = {}
    order: list[exp.Expr] = []

    def add_key(name: str, field: Field) -> None:
        column = f"k{len(order)}"
        columns.append(field.compared().as_(column))
        kind = Kind.TEXT if field.kind is Kind.ENUM else field.kind
        outputs.append(Output(name, kind, (column,)))
        groups.setdefault(field.name, field.compared())
        order.append(exp.column(column))

    for index, (selection, field) in enumerate(zip(spec.selections, selected, strict=True)):
        if selection.function is Aggregate.UNSPECIFIED and not field.aggregate:
            uses_users = uses_users or field.uses_users
            add_key(selection.alias, field)
        elif field.ratio is not None:
            part, whole = f"v{index}_part", f"v{index}_whole"
            columns += [field.ratio[0]().as_(part), field.ratio[1]().as_(whole)]
            outputs.append(Output(selection.alias, field.kind, (part, whole)))
        else:
            column = f"v{index}"
            columns.append(_measure(field, selection.function).as_(column))
            kind = _measure_kind(field, selection.function)
            outputs.append(Output(selection.alias, kind, (column,)))
    for key, field in zip(spec.keys, keyed, strict=True):
        uses_users = uses_users or field.uses_users
        add_key(key.name, field)

    relation, scoping = source.rows(scope)
    query = sqlglot.select(*columns).from_(relation)
    if uses_users:
        query = query.join(
            exp.to_table("users").as_(USERS),
            on=col("user_num", USERS).eq(col("user_num", ROW)),
        )
    if scoping or conditions:
        # One flat AND: nested pairs would render as deeply nested parentheses.
        query = query.where(exp.and_(*scoping, *conditions))
    if groups:
        query = query.group_by(*groups.values()).order_by(*order)
    if limit is not None:
        query = query.limit(limit + 1)
    return CompiledQuery(query, tuple(outputs), spec.location)
