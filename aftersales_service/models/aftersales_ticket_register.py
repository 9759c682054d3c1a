# The suite keeps each feature of a shared model in its own file (complaint handling here).
# pylint: disable=consider-merging-classes-inherited
import json
from collections import defaultdict
from urllib.parse import urlencode

import xlsxwriter

from odoo import api, fields, models
from odoo.osv import expression

REGISTER_BATCH = 1000


class AftersalesTicket(models.Model):
    """The complaint register (客户投诉登记表) as an XLSX file, written in constant memory."""

    _inherit = "aftersales.ticket"

    def action_export_complaint_register(self, domain=None):
        """Download the register of the complaints matching ``domain`` (the list's filter)."""
        domain = domain if domain is not None else [("id", "in", self.ids)]
        query = urlencode({"domain": json.dumps(domain)})
        return {
            "type": "ir.actions.act_url",
            "url": f"/aftersales/complaint_register.xlsx?{query}",
            "target": "download",
        }

    @api.model
    def _complaint_register_columns(self):
        """(field or key, header, width, kind) of each column: §3 step 1 and the handling."""
        return [
            ("name", self.env._("Reference"), 14, "char"),
            ("request_date", self.env._("Received On"), 17, "datetime"),
            ("partner_id", self.env._("Customer"), 28, "m2o"),
            ("channel", self.env._("Channel"), 12, "selection"),
            ("complaint_category", self.env._("Category"), 18, "selection"),
            ("severity", self.env._("Severity"), 9, "selection"),
            ("title", self.env._("Subject"), 40, "char"),
            ("sale_order_id", self.env._("Order Number"), 14, "m2o"),
            ("part_number", self.env._("Part Number"), 14, "char"),
            ("product_id", self.env._("Product"), 28, "m2o"),
            ("shipping_date", self.env._("Shipping Date"), 12, "date"),
            ("quantity", self.env._("Quantity"), 9, "number"),
            ("defective_qty", self.env._("Defective Quantity"), 9, "number"),
            ("customer_request", self.env._("Customer Asks For"), 36, "char"),
            ("responsible_department_id", self.env._("Responsible Department"), 22, "m2o"),
            ("root_cause_category", self.env._("Root Cause Category"), 16, "selection"),
            ("root_cause", self.env._("Root Cause"), 40, "char"),
            ("is_our_cause", self.env._("Our Cause"), 8, "bool"),
            ("appraisal_result", self.env._("Appraisal Result"), 30, "char"),
            ("final_solution", self.env._("Final Solution"), 40, "char"),
            ("approval_status", self.env._("Approval"), 12, "selection"),
            ("attitude_employee_id", self.env._("Staff Member Concerned"), 18, "m2o"),
            ("open_actions", self.env._("Open Actions"), 8, "number"),
            ("done_actions", self.env._("Done Actions"), 8, "number"),
            ("stage_id", self.env._("Stage"), 14, "m2o"),
            ("closed_date", self.env._("Closed On"), 17, "datetime"),
        ]

    @api.model
    def _write_complaint_register(self, domain, fileobj, batch_size=REGISTER_BATCH):
        """Write the register of the complaints matching ``domain`` into ``fileobj``.

        Rows are read ``batch_size`` at a time and the cache is emptied after each batch;
        xlsxwriter's constant-memory mode flushes each row to disk, so memory stays flat.
        Returns the number of complaints written.
        """
        domain = expression.AND([domain or [], [("is_complaint", "=", True)]])
        columns = self._complaint_register_columns()
        field_names = [c[0] for c in columns if c[0] in self._fields]
        selections = {
            name: dict(self._fields[name]._description_selection(self.env))
            for name, _header, _width, kind in columns
            if kind == "selection"
        }
        workbook = xlsxwriter.Workbook(fileobj, {"constant_memory": True})
        sheet = workbook.add_worksheet(self.env._("Complaint Register"))
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
        title = workbook.add_format({"bold": True, "font_size": 14})
        sheet.write(0, 0, self.env._("Complaint Register (客户投诉登记表)"), title)
        for col, (_name, label, width, _kind) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(2, col, label, header)
        sheet.freeze_panes(3, 1)
        write_cell = self._register_cell_writer(workbook, sheet, selections)
        ids = self._search(domain, order="request_date desc, id desc").get_result_ids()
        Action = self.env["aftersales.corrective.action"]
        row = 3
        for start in range(0, len(ids), batch_size):
            chunk = self.browse(ids[start : start + batch_size])
            records = chunk.read(field_names, load="_classic_read")
            counts = defaultdict(int)
            for ticket, state, count in Action._read_group(
                [("ticket_id", "in", chunk.ids)], ["ticket_id", "state"], ["__count"]
            ):
                key = "open_actions" if state in ("draft", "confirmed") else f"{state}_actions"
                counts[(ticket.id, key)] += count
            for values in records:
                for col, (name, _label, _width, kind) in enumerate(columns):
                    value = values[name] if name in values else counts[(values["id"], name)]
                    write_cell(row, col, kind, name, value)
                row += 1
            # keep memory flat: nothing of this batch is needed again
            self.env.invalidate_all()
        workbook.close()
        return row - 3

    def _register_cell_writer(self, workbook, sheet, selections):
        """A function writing one typed cell of the register."""
        yes, no = self.env._("Yes"), self.env._("No")
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        tz_offset = self._register_tz_offset()

        def write_cell(row, col, kind, name, value):
            if kind == "m2o":
                sheet.write_string(row, col, value[1] if value else "")
            elif kind == "selection":
                sheet.write_string(row, col, selections[name].get(value) or "")
            elif kind == "bool":
                sheet.write_string(row, col, yes if value else no)
            elif kind == "datetime" and value:
                sheet.write_datetime(row, col, value + tz_offset, datetime_format)
            elif kind == "date" and value:
                sheet.write_datetime(row, col, value, date_format)
            elif kind == "number":
                sheet.write_number(row, col, value or 0)
            elif kind == "char":
                sheet.write_string(row, col, value or "")

        return write_cell

    @api.model
    def _register_tz_offset(self):
        """The user's UTC offset now: datetimes are shown as the user reads them on screen."""
        now = fields.Datetime.now()
        return fields.Datetime.context_timestamp(self, now).replace(tzinfo=None) - now
