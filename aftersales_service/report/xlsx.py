"""The suite's spreadsheet writer: every XLSX of the after-sales addons is written with it.

One workbook layout (a title, a header row, typed rows), one set of formats, and xlsxwriter's
constant-memory mode: each row goes to disk once the next one starts, so a register of any
length keeps the memory of the process flat. Cells are typed: numbers, dates and datetimes are
real spreadsheet values, selections show their label, many2one fields their display name and
booleans "Yes" / "No" in the user's language.
"""

from collections import namedtuple

import xlsxwriter

from odoo import fields

from ..cached_values import cached_values

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# records read and written at a time: enough for few queries, small enough for a flat memory
BATCH_SIZE = 1000

# key: a field name (or a key of the ``extra`` values); kind: how the value is written
Column = namedtuple("Column", "key header width kind", defaults=(14, "char"))

FIELD_KINDS = {
    "char": "char",
    "text": "char",
    "html": "char",
    "integer": "number",
    "float": "number",
    "monetary": "monetary",
    "date": "date",
    "datetime": "datetime",
    "boolean": "bool",
    "selection": "selection",
    "many2one": "m2o",
}


def field_column(model, name, header=None, width=14):
    """The column of field ``name`` of ``model``: its label and its kind from the field."""
    field = model._fields[name]
    return Column(
        name, header or field._description_string(model.env), width, FIELD_KINDS[field.type]
    )


class SpreadsheetWriter:
    """A workbook written row by row into ``fileobj``; close it to finish the file."""

    def __init__(self, env, fileobj):
        self.env = env
        self.workbook = xlsxwriter.Workbook(
            fileobj, {"constant_memory": True, "remove_timezone": True}
        )
        add = self.workbook.add_format
        self.formats = {
            "title": add({"bold": True, "font_size": 14}),
            "header": add({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}),
            "label": add({"bold": True}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
            "number": None,
            "decimal": add({"num_format": "0.0"}),
            "monetary": add({"num_format": "#,##0.00"}),
        }
        self.yes, self.no = env._("Yes"), env._("No")
        # datetimes are shown as the user reads them on screen, in the user's time zone
        now = fields.Datetime.now()
        self.tz_offset = (
            fields.Datetime.context_timestamp(env["res.users"], now).replace(tzinfo=None) - now
        )
        self._sheet_names = set()

    def close(self):
        self.workbook.close()

    def add_sheet(self, name, title=None, columns=None):
        """A new sheet: its ``title`` on the first row, the ``columns``' headers on the third."""
        name = _unique_sheet_name(name, self._sheet_names)
        sheet = Sheet(self, self.workbook.add_worksheet(name))
        if title:
            sheet.write_title(title)
        if columns:
            sheet.write_header(columns)
        return sheet


def _unique_sheet_name(name, taken):
    # a sheet name has 31 characters at most, none of []:*?/\ and is unique in the workbook
    name = "".join(" " if char in "[]:*?/\\" else char for char in name)[:31] or "Sheet"
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


class Sheet:
    """One sheet, written from top to bottom (constant memory allows nothing else)."""

    def __init__(self, writer, worksheet):
        self.writer = writer
        self.worksheet = worksheet
        self.row = 0
        self._selections = {}
        self._names = {}

    def write_title(self, title):
        self.worksheet.write_string(self.row, 0, title, self.writer.formats["title"])
        self.row += 2

    def write_header(self, columns):
        header = self.writer.formats["header"]
        for col, column in enumerate(columns):
            self.worksheet.set_column(col, col, column.width)
            self.worksheet.write_string(self.row, col, column.header, header)
        self.worksheet.freeze_panes(self.row + 1, 1)
        self.row += 1

    def skip(self, rows=1):
        self.row += rows

    def write_cell(self, col, kind, value, selection=None):
        """Write ``value`` of ``kind`` in the current row; empty values leave the cell empty.

        ``selection`` maps the selection values to their labels; a many2one value is
        ``(id, display name)``, a display name, or a record.
        """
        sheet, row, formats = self.worksheet, self.row, self.writer.formats
        if kind == "number":
            sheet.write_number(row, col, value or 0)
        elif kind == "decimal":
            if value is not None and value is not False:
                sheet.write_number(row, col, value, formats["decimal"])
        elif kind == "monetary":
            sheet.write_number(row, col, value or 0, formats["monetary"])
        elif kind == "bool":
            sheet.write_string(row, col, self.writer.yes if value else self.writer.no)
        elif not value:
            return
        elif kind == "char":
            sheet.write_string(row, col, str(value))
        elif kind == "label":
            sheet.write_string(row, col, str(value), formats["label"])
        elif kind == "selection":
            sheet.write_string(row, col, (selection or {}).get(value) or str(value))
        elif kind == "m2o":
            if isinstance(value, tuple):
                value = value[1]
            elif not isinstance(value, str):
                value = value.display_name
            sheet.write_string(row, col, value or "")
        elif kind == "datetime":
            sheet.write_datetime(row, col, value + self.writer.tz_offset, formats["datetime"])
        elif kind == "date":
            sheet.write_datetime(row, col, value, formats["date"])
        else:
            raise ValueError(f"unknown kind of cell: {kind}")

    def write_row(self, cells):
        """Write one row of ``(kind, value)`` cells and go to the next row."""
        for col, (kind, value) in enumerate(cells):
            self.write_cell(col, kind, value)
        self.row += 1

    def write_records(self, model, domain, columns, order=None, extra=None, batch_size=None):
        """One row per record of ``model`` matching ``domain``, searched with the user's rights.

        Records are read ``batch_size`` at a time with one query per batch, the display names
        of the linked records in one batch per model; the cache is emptied after each batch.
        ``extra(records)`` may give the values of the columns that are no fields, as
        ``{key: {record id: value}}``. Returns the number of rows written.
        """
        batch_size = batch_size or BATCH_SIZE
        env = model.env
        ids = model._search(domain, order=order).get_result_ids()
        stored = [c.key for c in columns if c.key in model._fields and model._fields[c.key].store]
        stored += [
            related[0].name
            for c in columns
            if c.key in model._fields and (related := self._related_path(model, c.key))
        ]
        selections = {
            c.key: dict(model._fields[c.key]._description_selection(env))
            for c in columns
            if c.kind == "selection" and c.key in model._fields
        }
        writers = [
            self._value_writer(model, col, column, selections) for col, column in enumerate(columns)
        ]
        count = 0
        for start in range(0, len(ids), batch_size):
            chunk = model.browse(ids[start : start + batch_size])
            chunk.fetch(stored)
            values = {
                c.key: self._field_values(chunk, c.key) for c in columns if c.key in model._fields
            }
            for column in columns:
                if column.kind == "m2o" and column.key in model._fields:
                    self._load_names(model._fields[column.key].comodel_name, values[column.key])
            if extra:
                extras = extra(chunk)
                for column in columns:
                    if column.key not in values:
                        by_id = extras.get(column.key, {})
                        values[column.key] = [by_id.get(id_) for id_ in chunk._ids]
            columns_values = [values[column.key] for column in columns]
            row = self.row
            for index in range(len(chunk._ids)):
                for write, column_values in zip(writers, columns_values, strict=True):
                    write(row, column_values[index])
                row += 1
            self.row = row
            count += len(chunk._ids)
            # keep memory flat: nothing of this batch is needed again
            env.invalidate_all()
        return count

    @staticmethod
    def _related_path(model, name):
        """``(link, target)`` of a related field ``link.target`` whose link is a stored
        many2one and whose target is stored: read in one batch instead of one by one."""
        field = model._fields[name]
        if field.store or not field.related:
            return None
        path = field.related.split(".") if isinstance(field.related, str) else field.related
        link = model._fields.get(path[0]) if len(path) == 2 else None
        if not (link and link.type == "many2one" and link.store):
            return None
        target = model.env[link.comodel_name]._fields.get(path[1])
        return (link, target) if target and target.store else None

    @classmethod
    def _field_values(cls, records, name):
        """The values of field ``name`` of ``records`` as the cache holds them (ids for
        many2one), taken from the cache the batch's fetch filled."""
        field = records._fields[name]
        if field.store:
            return cached_values(records, [name])[0]
        cache = records.env.cache
        related = cls._related_path(records, name)
        if related:
            link, target = related
            link_ids = cache.get_until_miss(records, link)
            if len(link_ids) == len(records._ids):
                comodel = records.env[link.comodel_name]
                # sudo: as the related field itself reads its target (compute_sudo)
                linked = (comodel.sudo() if field.compute_sudo else comodel).browse(
                    {id_ for id_ in link_ids if id_}
                )
                linked.fetch([target.name])
                targets = dict(zip(linked._ids, cache.get_until_miss(linked, target), strict=False))
                return [targets.get(id_) if id_ else None for id_ in link_ids]
        if field.type == "many2one":
            return [record[name].id for record in records]
        return [record[name] for record in records]

    def _load_names(self, comodel, ids):
        """Display names of the linked records not known yet, computed in one batch."""
        names = self._names.setdefault(comodel, {})
        missing = {id_ for id_ in ids if id_ and id_ not in names}
        if missing:
            # sudo: as read() does for many2one values, the user sees the name of a record
            # linked to a record the user may read
            for record in self.writer.env[comodel].sudo().browse(missing):
                names[record.id] = record.display_name

    def _value_writer(self, model, col, column, selections):
        """A function ``(row, value)`` writing the cache value of ``column`` in its cell."""
        sheet, writer, kind = self.worksheet, self.writer, column.kind
        if kind in ("number", "monetary"):
            number_format = writer.formats[kind]
            return lambda row, value: sheet.write_number(row, col, value or 0, number_format)
        if kind in ("date", "datetime"):
            date_format = writer.formats[kind]
            offset = writer.tz_offset if kind == "datetime" else None

            def write(row, value):
                if value:
                    sheet.write_datetime(row, col, value + offset if offset else value, date_format)

            return write
        text = self._text_of(model, column, selections)

        def write(row, value):
            value = text(value)
            if value:
                sheet.write_string(row, col, value)

        return write

    def _text_of(self, model, column, selections):
        """A function giving the text shown for a cache value of ``column``."""
        kind = column.kind
        if kind == "m2o" and column.key in model._fields:
            return self._names.setdefault(model._fields[column.key].comodel_name, {}).get
        if kind == "selection":
            labels = selections.get(column.key, {})
            return lambda value: value and (labels.get(value) or str(value))
        if kind == "bool":
            yes, no = self.writer.yes, self.writer.no
            return lambda value: yes if value else no
        if kind in ("char", "m2o"):
            return lambda value: value and str(value)
        raise ValueError(f"unknown kind of cell: {kind}")
