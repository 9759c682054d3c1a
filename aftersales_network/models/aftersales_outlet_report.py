from collections import defaultdict
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.aftersales_service.models.scheduled_job import run_job

REPORT_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("confirmed", "Confirmed"),
]
# figures taken from the month's work when the report is generated or refreshed
FIGURE_FIELDS = (
    "ticket_dispatched_count",
    "ticket_handled_count",
    "record_count",
    "late_record_count",
    "amount_labour",
    "amount_parts",
    "amount_total",
    "deviation_count",
    "deviation_amount",
)


class AftersalesOutletReport(models.Model):
    """The monthly report (月度报告) of an outlet: its requests, parts and charges of a month."""

    _name = "aftersales.outlet.report"
    _description = "Outlet Monthly Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "aftersales.xlsx.mixin",
        "aftersales.outlet.access.mixin",
    ]
    _order = "date_from desc, outlet_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    outlet_id = fields.Many2one(
        "aftersales.outlet", required=True, index=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="outlet_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Month", required=True, readonly=True, index=True)
    date_to = fields.Date(string="Until", required=True, readonly=True)
    state = fields.Selection(
        REPORT_STATES, required=True, default="draft", readonly=True, tracking=True, index=True
    )
    outlet_remarks = fields.Text(string="Outlet's Remarks", tracking=True)
    manager_note = fields.Text(string="Sent Back Because", readonly=True, tracking=True, copy=False)
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True)
    confirmed_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)
    confirmed_by_id = fields.Many2one("res.users", readonly=True)
    ticket_dispatched_count = fields.Integer(
        default=0, string="Requests Dispatched", readonly=True, aggregator="sum"
    )
    ticket_handled_count = fields.Integer(
        default=0,
        string="Requests Handled",
        readonly=True,
        aggregator="sum",
        help="Requests with a service record handed in during the month.",
    )
    record_count = fields.Integer(
        default=0, string="Service Records", readonly=True, aggregator="sum"
    )
    late_record_count = fields.Integer(
        default=0, string="Handed In Late", readonly=True, aggregator="sum"
    )
    amount_labour = fields.Monetary(
        default=0, string="Labour Charged", readonly=True, aggregator="sum"
    )
    amount_parts = fields.Monetary(
        default=0, string="Parts Charged", readonly=True, aggregator="sum"
    )
    amount_total = fields.Monetary(
        default=0, string="Total Charged", readonly=True, aggregator="sum"
    )
    deviation_count = fields.Integer(
        default=0, string="Fee Deviations", readonly=True, aggregator="sum"
    )
    deviation_amount = fields.Monetary(
        default=0, string="Deviation from the Schedule", readonly=True, aggregator="sum"
    )
    line_ids = fields.One2many(
        "aftersales.outlet.report.line", "report_id", string="Parts Used", readonly=True
    )

    _sql_constraints = [
        (
            "outlet_month_unique",
            "unique(outlet_id, date_from)",
            "An outlet has one monthly report per month.",
        ),
    ]

    @api.depends("outlet_id.code", "date_from")
    def _compute_name(self):
        for report in self:
            report.name = (
                f"{report.outlet_id.code or ''} {report.date_from:%Y-%m}"
                if report.date_from
                else False
            )

    # ---------------------------------------------------------------------------------------
    # figures
    # ---------------------------------------------------------------------------------------
    def _period_bounds(self):
        self.ensure_one()
        start = datetime.combine(self.date_from, time.min)
        return start, datetime.combine(self.date_to + timedelta(days=1), time.min)

    def _compute_figures(self):
        """Take the month's figures of each report: a fixed number of grouped queries."""
        if not self:
            return
        periods = defaultdict(lambda: self.browse())
        for report in self:
            periods[report.date_from, report.date_to] |= report
        for reports in periods.values():
            reports._compute_period_figures()

    def _compute_period_figures(self):
        # sudo: the report counts all the outlet's work of the month, whoever generates it;
        # only totals are stored on it
        env = self.env(su=True)
        start, end = self[:1]._period_bounds()
        outlets = self.outlet_id
        dispatched = dict(
            env["aftersales.ticket"]._read_group(
                [
                    ("outlet_id", "in", outlets.ids),
                    ("outlet_dispatch_date", ">=", start),
                    ("outlet_dispatch_date", "<", end),
                ],
                ["outlet_id"],
                ["__count"],
            )
        )
        record_domain = [
            ("outlet_id", "in", outlets.ids),
            ("state", "=", "submitted"),
            ("submitted_date", ">=", start),
            ("submitted_date", "<", end),
        ]
        records = {
            outlet: values
            for outlet, *values in env["aftersales.service.record"]._read_group(
                record_domain,
                ["outlet_id"],
                [
                    "__count",
                    "ticket_id:count_distinct",
                    "amount_labour:sum",
                    "amount_parts:sum",
                    "amount_total:sum",
                ],
            )
        }
        late = dict(
            env["aftersales.service.record"]._read_group(
                record_domain + [("is_late_submission", "=", True)], ["outlet_id"], ["__count"]
            )
        )
        deviations = {
            outlet: (count, amount)
            for outlet, count, amount in env["aftersales.outlet.fee.deviation"]._read_group(
                [
                    ("outlet_id", "in", outlets.ids),
                    ("date", ">=", start.date()),
                    ("date", "<", end.date()),
                ],
                ["outlet_id"],
                ["__count", "deviation_amount:sum"],
            )
        }
        parts = env["aftersales.service.record.part"]._read_group(
            [
                ("outlet_id", "in", outlets.ids),
                ("record_id.state", "=", "submitted"),
                ("record_id.submitted_date", ">=", start),
                ("record_id.submitted_date", "<", end),
            ],
            ["outlet_id", "product_id", "product_uom_id"],
            ["quantity:sum", "price_subtotal:sum"],
        )
        self.line_ids.unlink()
        report_of = {report.outlet_id: report for report in self}
        env["aftersales.outlet.report.line"].create(
            [
                {
                    "report_id": report_of[outlet].id,
                    "product_id": product.id,
                    "product_uom_id": uom.id,
                    "quantity": quantity,
                    "amount": amount,
                }
                for outlet, product, uom, quantity, amount in parts
            ]
        )
        for report in self:
            count, tickets, labour, parts_amount, total = records.get(
                report.outlet_id, (0, 0, 0.0, 0.0, 0.0)
            )
            deviation_count, deviation_amount = deviations.get(report.outlet_id, (0, 0.0))
            report.write(
                {
                    "ticket_dispatched_count": dispatched.get(report.outlet_id, 0),
                    "ticket_handled_count": tickets,
                    "record_count": count,
                    "late_record_count": late.get(report.outlet_id, 0),
                    "amount_labour": labour,
                    "amount_parts": parts_amount,
                    "amount_total": total,
                    "deviation_count": deviation_count,
                    "deviation_amount": deviation_amount,
                }
            )

    # ---------------------------------------------------------------------------------------
    # monthly job
    # ---------------------------------------------------------------------------------------
    @api.model
    def _previous_month(self):
        first = fields.Date.context_today(self).replace(day=1)
        return first - relativedelta(months=1), first - timedelta(days=1)

    @api.model
    def _outlets_to_report_domain(self, date_from, date_to):
        """Outlets whose agreement asks for the month's report and that have none yet."""
        return [
            (
                "agreement_ids",
                "any",
                [
                    ("state", "=", "signed"),
                    ("monthly_report_required", "=", True),
                    ("date_start", "<=", date_to),
                    ("date_end", ">=", date_from),
                ],
            ),
            (
                "id",
                "not in",
                SQL(
                    "(SELECT outlet_id FROM aftersales_outlet_report "
                    "WHERE date_from = %s AND outlet_id IS NOT NULL)",
                    date_from,
                ),
            ),
        ]

    @api.model
    def _cron_generate_monthly(self, batch_size=50):
        """Generate last month's report of each outlet whose agreement asks for one (once).

        A batched, lock-safe job (scheduled_job.run_job) over the outlets: SKIP LOCKED leaves
        the outlets another worker is reporting on to that worker; the unique constraint
        refuses a second report if a worker ever gets past the lock.
        """
        date_from, date_to = self._previous_month()
        reports = self.browse()

        def generate(outlets):
            nonlocal reports
            reports = self.create(
                [
                    {"outlet_id": outlet.id, "date_from": date_from, "date_to": date_to}
                    for outlet in outlets
                ]
            )
            reports._compute_figures()

        run_job(
            self.env["aftersales.outlet"],
            self._outlets_to_report_domain(date_from, date_to),
            generate,
            batch_size=batch_size,
        )
        return reports

    # ---------------------------------------------------------------------------------------
    # workflow
    # ---------------------------------------------------------------------------------------
    def _is_network_manager(self):
        return self.env.user.has_group("aftersales_service.group_network_manager")

    def _check_outlet_or_manager(self):
        """The user works for the reports' outlet (portal) or manages the network."""
        if self._is_network_manager():
            self.check_access("read")
            return
        self._check_outlet_user(
            self.env._("Only the outlet of the report or the network manager can do this.")
        )

    def _check_report_state(self, state, message):
        if any(report.state != state for report in self):
            raise UserError(message)

    def action_refresh(self):
        """Take the figures again from the month's work (drafts only)."""
        self._check_outlet_or_manager()
        self._check_report_state("draft", self.env._("Only draft reports can be refreshed."))
        self.sudo()._compute_figures()
        return True

    def action_submit(self, remarks=None):
        """The outlet hands its report in, with its remarks."""
        self._check_outlet_or_manager()
        self._check_report_state("draft", self.env._("Only draft reports can be submitted."))
        vals = {
            "state": "submitted",
            "submitted_date": fields.Datetime.now(),
            "submitted_by_id": self.env.uid,
        }
        if remarks is not None:
            vals["outlet_remarks"] = (remarks or "").strip() or False
        # sudo: outlet users may not write reports; only the hand-in fields change here, and
        # the outlet's responsible at the company is asked to confirm
        reports = self.sudo()
        reports.write(vals)
        for report in reports:
            report.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Confirm the monthly report of the outlet"),
                user_id=(report.outlet_id.user_id or report.create_uid).id,
            )
        return True

    def _check_manager(self):
        if not self._is_network_manager():
            raise AccessError(
                self.env._("Only the Service Network Manager confirms or sends back reports.")
            )

    def action_confirm(self):
        self._check_manager()
        self._check_report_state(
            "submitted", self.env._("Only submitted reports can be confirmed.")
        )
        self.write(
            {
                "state": "confirmed",
                "confirmed_date": fields.Datetime.now(),
                "confirmed_by_id": self.env.uid,
                "manager_note": False,
            }
        )
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_send_back(self, note):
        """Return a submitted report to the outlet with the reason."""
        self._check_manager()
        note = (note or "").strip()
        if not note:
            raise UserError(self.env._("Tell the outlet why the report is sent back."))
        self._check_report_state(
            "submitted", self.env._("Only submitted reports can be sent back.")
        )
        self.write({"state": "draft", "manager_note": note})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        for report in self:
            report.message_post(
                body=self.env._("Report sent back to the outlet: %(note)s", note=note),
                partner_ids=report.outlet_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_open_send_back(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Back"),
            "res_model": "aftersales.outlet.report.send.back",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }

    def action_export_xlsx(self):
        return self._xlsx_download_action()

    def action_view_deviations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_network.action_aftersales_outlet_fee_deviation"
        )
        action["domain"] = [
            ("outlet_id", "=", self.outlet_id.id),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        return action

    # ---------------------------------------------------------------------------------------
    # spreadsheet
    # ---------------------------------------------------------------------------------------
    @api.model
    def _xlsx_filename(self, domain):
        return self.env._("monthly-report")

    @api.model
    def _xlsx_write(self, writer, domain):
        """One sheet per report of ``domain`` the user may read: the figures, then the parts."""
        reports = self.search(domain)
        states = dict(self._fields["state"]._description_selection(self.env))
        # sudo: the user may read these reports (searched above); the parts' names are needed
        for report in reports.sudo():
            sheet = writer.add_sheet(report.name or self.env._("Monthly Report"))
            sheet.worksheet.set_column(0, 0, 32)
            sheet.worksheet.set_column(1, 3, 16)
            sheet.write_row([("label", self.env._("Outlet")), ("char", report.outlet_id.name)])
            sheet.write_row([("label", self.env._("Month")), ("char", f"{report.date_from:%Y-%m}")])
            sheet.write_row([("label", self.env._("Status")), ("char", states[report.state])])
            sheet.skip()
            for field_name in FIGURE_FIELDS:
                field = self._fields[field_name]
                kind = "monetary" if field.type == "monetary" else "number"
                sheet.write_row(
                    [("label", field._description_string(self.env)), (kind, report[field_name])]
                )
            if report.outlet_remarks:
                sheet.write_row(
                    [("label", self.env._("Outlet's Remarks")), ("char", report.outlet_remarks)]
                )
            sheet.skip()
            sheet.write_row(
                [
                    ("label", self.env._("Part")),
                    ("label", self.env._("Quantity")),
                    ("label", self.env._("Unit")),
                    ("label", self.env._("Charged")),
                ]
            )
            for line in report.line_ids:
                sheet.write_row(
                    [
                        ("m2o", line.product_id),
                        ("number", line.quantity),
                        ("char", line.product_uom_id.name),
                        ("monetary", line.amount),
                    ]
                )
        return len(reports)


class AftersalesOutletReportLine(models.Model):
    """A part used by the outlet during the month, summed over its handed-in records."""

    _name = "aftersales.outlet.report.line"
    _description = "Outlet Monthly Report: Part Used"
    _order = "report_id, id"

    report_id = fields.Many2one(
        "aftersales.outlet.report", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="report_id.company_id", store=True)
    currency_id = fields.Many2one(related="report_id.currency_id")
    product_id = fields.Many2one("product.product", string="Part", required=True)
    product_uom_id = fields.Many2one("uom.uom", string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure")
    amount = fields.Monetary(string="Charged")


class AftersalesOutletReportSendBack(models.TransientModel):
    _name = "aftersales.outlet.report.send.back"
    _description = "Send a Monthly Report Back"

    report_id = fields.Many2one("aftersales.outlet.report", required=True)
    note = fields.Text(string="Reason", required=True)

    def action_send_back(self):
        self.report_id.action_send_back(self.note)
        return {"type": "ir.actions.act_window_close"}
