# The suite keeps each feature of a shared model in its own file (complaint handling here).
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict

from odoo import api, models
from odoo.osv import expression

from ..report.xlsx import BATCH_SIZE, Column, SpreadsheetWriter


class AftersalesTicket(models.Model):
    """The complaint register (客户投诉登记表) as an XLSX file, written in constant memory."""

    _name = "aftersales.ticket"
    _inherit = ["aftersales.ticket", "aftersales.xlsx.mixin"]

    def action_export_complaint_register(self, domain=None):
        """Download the register of the complaints matching ``domain`` (the list's filter)."""
        domain = domain if domain is not None else [("id", "in", self.ids)]
        return self._xlsx_download_action(domain)

    @api.model
    def _xlsx_filename(self, domain):
        return self.env._("complaint-register")

    @api.model
    def _xlsx_write(self, writer, domain):
        return self._write_complaint_sheet(writer, domain)

    @api.model
    def _complaint_register_columns(self):
        """The columns of the register: §3 step 1 and the handling."""
        return [
            Column("name", self.env._("Reference"), 14, "char"),
            Column("request_date", self.env._("Received On"), 17, "datetime"),
            Column("partner_id", self.env._("Customer"), 28, "m2o"),
            Column("channel", self.env._("Channel"), 12, "selection"),
            Column("complaint_category", self.env._("Category"), 18, "selection"),
            Column("severity", self.env._("Severity"), 9, "selection"),
            Column("title", self.env._("Subject"), 40, "char"),
            Column("sale_order_id", self.env._("Order Number"), 14, "m2o"),
            Column("part_number", self.env._("Part Number"), 14, "char"),
            Column("product_id", self.env._("Product"), 28, "m2o"),
            Column("shipping_date", self.env._("Shipping Date"), 12, "date"),
            Column("quantity", self.env._("Quantity"), 9, "number"),
            Column("defective_qty", self.env._("Defective Quantity"), 9, "number"),
            Column("customer_request", self.env._("Customer Asks For"), 36, "char"),
            Column("responsible_department_id", self.env._("Responsible Department"), 22, "m2o"),
            Column("root_cause_category", self.env._("Root Cause Category"), 16, "selection"),
            Column("root_cause", self.env._("Root Cause"), 40, "char"),
            Column("is_our_cause", self.env._("Our Cause"), 8, "bool"),
            Column("appraisal_result", self.env._("Appraisal Result"), 30, "char"),
            Column("final_solution", self.env._("Final Solution"), 40, "char"),
            Column("approval_status", self.env._("Approval"), 12, "selection"),
            Column("attitude_employee_id", self.env._("Staff Member Concerned"), 18, "m2o"),
            Column("open_actions", self.env._("Open Actions"), 8, "number"),
            Column("done_actions", self.env._("Done Actions"), 8, "number"),
            Column("stage_id", self.env._("Stage"), 14, "m2o"),
            Column("closed_date", self.env._("Closed On"), 17, "datetime"),
        ]

    @api.model
    def _write_complaint_register(self, domain, fileobj, batch_size=BATCH_SIZE):
        """Write the register of the complaints matching ``domain`` into ``fileobj``.

        Returns the number of complaints written.
        """
        self.check_access("read")
        writer = SpreadsheetWriter(self.env, fileobj)
        try:
            return self._write_complaint_sheet(writer, domain, batch_size=batch_size)
        finally:
            writer.close()

    @api.model
    def _write_complaint_sheet(self, writer, domain, batch_size=BATCH_SIZE):
        """The register's sheet: one row per complaint of ``domain`` the user may read."""
        domain = expression.AND([domain or [], [("is_complaint", "=", True)]])
        sheet = writer.add_sheet(
            self.env._("Complaint Register"),
            title=self.env._("Complaint Register (客户投诉登记表)"),
            columns=self._complaint_register_columns(),
        )
        return sheet.write_records(
            self,
            domain,
            self._complaint_register_columns(),
            order="request_date desc, id desc",
            extra=self._complaint_register_action_counts,
            batch_size=batch_size,
        )

    @api.model
    def _complaint_register_action_counts(self, complaints):
        """Open and done corrective actions of ``complaints``, in one grouped query."""
        counts = {"open_actions": defaultdict(int), "done_actions": defaultdict(int)}
        for ticket, state, count in self.env["aftersales.corrective.action"]._read_group(
            [("ticket_id", "in", complaints.ids)], ["ticket_id", "state"], ["__count"]
        ):
            key = "open_actions" if state in ("draft", "confirmed") else f"{state}_actions"
            if key in counts:
                counts[key][ticket.id] += count
        return counts
