"""Values of many records at once, as the ORM's cache holds them, for the loops that a page of
80 requests runs on every read (the commitment status, the access rules) and for the
spreadsheet exports, which write them batch by batch. A module of the addon, not of its models:
the models use the exports' writer, which uses it.

Odoo's ``mapped`` and ``filtered_domain`` build a record per value and, for a many-to-one, a
recordset per value; on a list page that is most of the time of the access check. These
helpers take the cached values themselves, with what the ORM does first: pending
computations, then a fetch of what is not yet read.
"""

from odoo.osv import expression

# field types whose cached value is compared as is (a many-to-one: its id)
PLAIN_TYPES = ("many2one", "integer", "boolean", "selection")
LEAF_OPERATORS = ("=", "!=", "in", "not in")


def cached_values(records, names):
    """The values of the fields ``names`` of ``records``, one list per field, in the order of
    ``records``, as the cache holds them (a many-to-one as its id or None)."""
    cache = records.env.cache
    columns = []
    for name in names:
        field = records._fields[name]
        if field.compute and field.store:
            field.recompute(records)  # what is pending first, as reading the field does
        values = cache.get_until_miss(records, field)
        if len(values) < len(records):  # not all read yet: read them, then take them all
            field.mapped(records)
            values = cache.get_until_miss(records, field)
        columns.append(values)
    return columns


def _leaf_test(field, operator, value):
    """A test of one value of ``field`` (as :func:`cached_values` gives it) equivalent to
    Odoo's ``filtered_domain`` for the leaf, or None where the leaf is not a plain one."""
    if operator not in LEAF_OPERATORS:
        return None
    # ids, numbers and False; a selection's values too (a name of a record, or a record, is
    # left to Odoo, which compares it with the record's display name)
    kinds = (int, str) if field.type == "selection" else int
    if operator in ("in", "not in"):
        value = set(value) if isinstance(value, (list, tuple, set)) else {value}
        if not all(v is False or isinstance(v, kinds) for v in value):
            return None
    elif not (value is False or isinstance(value, kinds)):
        return None
    if field.type == "many2one":

        def convert(raw):
            return raw or False

    else:

        def convert(raw):
            return field.convert_to_record(raw, None)

    if operator == "=":
        return lambda raw: convert(raw) == value
    if operator == "!=":
        return lambda raw: convert(raw) != value
    if operator == "in":
        return lambda raw: bool(value) and convert(raw) in value
    return lambda raw: not (value and convert(raw) in value)


def filter_ids(records, domain):
    """The ids of ``records`` matching ``domain``, as Odoo's ``filtered_domain`` finds them, for
    a domain of plain leaves (a stored many-to-one, integer, boolean or selection field of the
    model compared with ``=``, ``!=``, ``in`` or ``not in`` to ids, numbers, values or False);
    None for any other domain, which is left to Odoo."""
    if not all(records._ids):
        return None  # new records: Odoo's own way
    leaves = []
    for leaf in domain:
        if isinstance(leaf, str):
            if leaf not in expression.DOMAIN_OPERATORS:
                return None
            continue
        if tuple(leaf) in (expression.TRUE_LEAF, expression.FALSE_LEAF):
            continue
        key, operator, value = leaf
        field = records._fields.get(key) if isinstance(key, str) and key != "id" else None
        if (
            field is None
            or not field.store
            or field.type not in PLAIN_TYPES
            or field.company_dependent
            or field in records.pool.field_depends_context
        ):
            return None
        test = _leaf_test(field, operator, value)
        if test is None:
            return None
        leaves.append((key, test))
    names = list(dict.fromkeys(key for key, _test in leaves))
    values = dict(zip(names, cached_values(records, names), strict=True))
    ids = records._ids
    stack = []
    for leaf in reversed(domain):
        if leaf == "|":
            stack.append(stack.pop() | stack.pop())
        elif leaf == "!":
            stack.append(set(ids) - stack.pop())
        elif leaf == "&":
            stack.append(stack.pop() & stack.pop())
        elif tuple(leaf) == expression.TRUE_LEAF:
            stack.append(set(ids))
        elif tuple(leaf) == expression.FALSE_LEAF:
            stack.append(set())
        else:
            key, test = leaves.pop()
            stack.append({id_ for id_, raw in zip(ids, values[key], strict=True) if test(raw)})
    while len(stack) > 1:
        stack.append(stack.pop() & stack.pop())
    return stack[0] if stack else set(ids)
