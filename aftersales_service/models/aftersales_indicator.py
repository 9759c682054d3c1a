"""The indicators of the management system (domain.md §10), aggregated by PostgreSQL.

``aftersales.indicator`` is a view with one row per request and one per delivery to a
customer, carrying additive counts; the rates are ratios of the sums of a group, computed in
``_read_group`` so that the pivot, the graph, the grouped list and ``get_indicators`` all
give the rate of the group, never an average of rates.

Adding an indicator happens here: its counts as fields and in ``COUNTS``, a part of the view
that gives them (``_indicator_parts``), and its rate in ``RATES``. The satisfaction rate and the
average satisfaction come this way from the answered callbacks (``aftersales.callback``, domain.md
§5: a customer is satisfied when the perceived service is at least what they expected).
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_view_if_exists

# rate field: (numerator, denominator, scale); the field shows the rate × scale (a
# percentage), get_indicators returns the fraction numerator ÷ denominator
RATES = {
    "complaint_rate": ("complaint_count", "delivered_qty", 100.0),
    "response_compliance_rate": ("response_on_time_count", "response_due_count", 100.0),
    "complaint_handling_rate": ("complaint_closed_count", "complaint_count", 100.0),
    "repeat_repair_rate": ("repeat_repair_count", "repair_count", 100.0),
    "dap_rate": ("dap_count", "delivered_qty", 100.0),
    "first_time_fix_rate": ("first_time_fix_count", "serviced_closed_count", 100.0),
    "mean_resolve_hours": ("resolve_hours_sum", "resolved_count", 1.0),
    "satisfaction_rate": ("satisfied_count", "callback_count", 100.0),
    "average_satisfaction": ("satisfaction_sum", "callback_count", 1.0),
}
# rates that are not fractions (get_indicators returns them as they are)
NOT_FRACTIONS = {"mean_resolve_hours", "average_satisfaction"}
# the columns of the view; each part gives some, the others are NULL (dimensions) or 0
DIMENSIONS = ["date", "company_id", "team_id", "ticket_type_id", "product_id"]
COUNTS = [
    "request_count",
    "complaint_count",
    "complaint_closed_count",
    "response_due_count",
    "response_on_time_count",
    "repair_count",
    "repeat_repair_count",
    "dap_count",
    "closed_count",
    "serviced_closed_count",
    "first_time_fix_count",
    "resolved_count",
    "resolve_hours_sum",
    "delivered_qty",
    "callback_count",
    "satisfied_count",
    "satisfaction_sum",
]


class AftersalesIndicator(models.Model):
    """Indicators by month, team, kind of request and product (a PostgreSQL view)."""

    _name = "aftersales.indicator"
    _description = "After-Sales Indicators"
    _auto = False
    _order = "date desc"

    date = fields.Date(readonly=True, help="When the request was received or the goods left.")
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("aftersales.team", readonly=True)
    ticket_type_id = fields.Many2one("aftersales.ticket.type", string="Kind", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)

    request_count = fields.Integer(string="Requests", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    complaint_closed_count = fields.Integer(string="Complaints Closed", readonly=True)
    response_due_count = fields.Integer(string="Responses Due", readonly=True)
    response_on_time_count = fields.Integer(string="Responses on Time", readonly=True)
    repair_count = fields.Integer(string="Repairs", readonly=True)
    repeat_repair_count = fields.Integer(string="Repeat Repairs", readonly=True)
    dap_count = fields.Integer(string="DAP Requests", readonly=True)
    closed_count = fields.Integer(string="Requests Closed", readonly=True)
    serviced_closed_count = fields.Integer(string="Closed with Service Records", readonly=True)
    first_time_fix_count = fields.Integer(string="Fixed First Time", readonly=True)
    resolved_count = fields.Integer(string="Requests Resolved", readonly=True)
    resolve_hours_sum = fields.Float(string="Working Hours to Resolve", readonly=True)
    delivered_qty = fields.Float(string="Delivered Quantity", readonly=True)
    callback_count = fields.Integer(string="Callbacks Answered", readonly=True)
    satisfied_count = fields.Integer(string="Satisfied Customers", readonly=True)
    satisfaction_sum = fields.Float(string="Sum of Satisfaction", readonly=True)

    complaint_rate = fields.Float(string="Complaint Rate (%)", readonly=True)
    response_compliance_rate = fields.Float(string="Response-Time Compliance (%)", readonly=True)
    complaint_handling_rate = fields.Float(string="Complaint Handling Rate (%)", readonly=True)
    repeat_repair_rate = fields.Float(string="Repeat Repair Rate (%)", readonly=True)
    dap_rate = fields.Float(string="DAP Rate (%)", readonly=True)
    first_time_fix_rate = fields.Float(string="First-Time Fix Rate (%)", readonly=True)
    mean_resolve_hours = fields.Float(string="Mean Time to Resolve (hours)", readonly=True)
    satisfaction_rate = fields.Float(string="Satisfaction Rate (%)", readonly=True)
    average_satisfaction = fields.Float(
        readonly=True,
        help="Average of actual minus expected perception over the answered callbacks.",
    )

    # ------------------------------------------------------------------------------------
    # the view
    # ------------------------------------------------------------------------------------
    def _indicator_dimensions(self):
        """The columns the indicators are grouped by (an addon may add one, e.g. the outlet)."""
        return list(DIMENSIONS)

    def _indicator_parts(self):
        """The parts of the view by name: ``{name: (from SQL, {column: SQL expression})}``."""
        now = SQL("(now() AT TIME ZONE 'UTC')")
        repair = SQL("(t.ticket_type_code = 'repair')")
        closed = SQL("(t.is_closed AND NOT COALESCE(st.is_cancel, FALSE))")
        records = SQL("COALESCE(r.record_count, 0)")
        tickets = {
            # one id space per part: requests * 3, deliveries * 3 + 1, callbacks * 3 + 2
            "id": SQL("t.id::bigint * 3"),
            "date": SQL("t.request_date::date"),
            "company_id": SQL("t.company_id"),
            "team_id": SQL("t.team_id"),
            "ticket_type_id": SQL("t.ticket_type_id"),
            "product_id": SQL("t.product_id"),
            "request_count": SQL("1"),
            "complaint_count": SQL("t.is_complaint::int"),
            "complaint_closed_count": SQL("(t.is_complaint AND %s)::int", closed),
            # due: answered, or the deadline passed without an answer (cancelled: not due)
            "response_due_count": SQL(
                "(t.response_deadline IS NOT NULL AND NOT COALESCE(st.is_cancel, FALSE)"
                " AND (t.first_response_date IS NOT NULL OR t.response_deadline < %s))::int",
                now,
            ),
            "response_on_time_count": SQL(
                "COALESCE(t.first_response_date <= t.response_deadline, FALSE)::int"
            ),
            "repair_count": SQL("%s::int", repair),
            # a repair whose unit's previous repair lies within the window
            "repeat_repair_count": SQL(
                "(%s AND pr.previous_date >= t.request_date"
                " - make_interval(days => COALESCE(c.aftersales_repeat_repair_days, 90)))::int",
                repair,
            ),
            "dap_count": SQL("COALESCE(t.is_dap, FALSE)::int"),
            "closed_count": SQL("%s::int", closed),
            "serviced_closed_count": SQL("(%s AND %s > 0)::int", closed, records),
            "first_time_fix_count": SQL("(%s AND %s = 1)::int", closed, records),
            "resolved_count": SQL("%s::int", closed),
            "resolve_hours_sum": SQL(
                "CASE WHEN %s THEN COALESCE(t.resolve_working_hours, 0) ELSE 0 END", closed
            ),
        }
        deliveries = {
            "id": SQL("m.id::bigint * 3 + 1"),
            "date": SQL("m.date::date"),
            "company_id": SQL("m.company_id"),
            "product_id": SQL("m.product_id"),
            "delivered_qty": SQL("m.product_qty"),
        }
        # answered callbacks, on the day they were answered; the request's team, kind and product
        callbacks = {
            "id": SQL("cb.id::bigint * 3 + 2"),
            "date": SQL("cb.date_done"),
            "company_id": SQL("cb.company_id"),
            "team_id": SQL("ct.team_id"),
            "ticket_type_id": SQL("ct.ticket_type_id"),
            "product_id": SQL("ct.product_id"),
            "callback_count": SQL("1"),
            "satisfied_count": SQL("COALESCE(cb.is_satisfied, FALSE)::int"),
            "satisfaction_sum": SQL("COALESCE(cb.satisfaction, 0)"),
        }
        return {
            "callbacks": (
                SQL(
                    """aftersales_callback cb
                       LEFT JOIN aftersales_ticket ct ON ct.id = cb.ticket_id
                      WHERE cb.state = 'done' AND cb.date_done IS NOT NULL"""
                ),
                callbacks,
            ),
            "tickets": (
                SQL(
                    """aftersales_ticket t
                       JOIN res_company c ON c.id = t.company_id
                       LEFT JOIN aftersales_ticket_stage st ON st.id = t.stage_id
                       LEFT JOIN (
                           SELECT id, lag(request_date) OVER (
                                      PARTITION BY lot_id ORDER BY request_date
                                  ) AS previous_date
                             FROM aftersales_ticket
                            WHERE ticket_type_code = 'repair' AND lot_id IS NOT NULL
                       ) pr ON pr.id = t.id
                       LEFT JOIN (
                           SELECT ticket_id, count(*) AS record_count
                             FROM aftersales_service_record
                            GROUP BY ticket_id
                       ) r ON r.ticket_id = t.id"""
                ),
                tickets,
            ),
            "deliveries": (
                SQL(
                    """stock_move m
                       JOIN stock_location src ON src.id = m.location_id
                       JOIN stock_location dst ON dst.id = m.location_dest_id
                      WHERE m.state = 'done' AND dst.usage = 'customer'
                        AND src.usage != 'customer'"""
                ),
                deliveries,
            ),
        }

    def _indicator_query(self):
        dimensions = self._indicator_dimensions()
        columns = ["id", *dimensions, *COUNTS, *RATES]
        selects = []
        for from_sql, expressions in self._indicator_parts().values():
            values = []
            for column in columns:
                default = SQL("NULL::int") if column in dimensions else SQL("0")
                if column == "date":
                    default = SQL("NULL::date")
                values.append(SQL("%s AS %s", expressions.get(column, default), SQL(column)))
            selects.append(SQL("SELECT %s FROM %s", SQL(", ").join(values), from_sql))
        return SQL(" UNION ALL ").join(selects)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        # the period filters the requests by the day they were received
        create_index(
            self.env.cr,
            "aftersales_ticket_request_day_index",
            "aftersales_ticket",
            ["(request_date::date)"],
        )
        # the repeat repairs follow each unit's repairs in time
        create_index(
            self.env.cr,
            "aftersales_ticket_repair_history_index",
            "aftersales_ticket",
            ["lot_id", "request_date", "id"],
            where="ticket_type_code = 'repair'",
        )
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._indicator_query(),
            )
        )

    # ------------------------------------------------------------------------------------
    # rates: the ratio of the group's sums
    # ------------------------------------------------------------------------------------
    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        # the view reads requests, deliveries, service records and the company's settings
        self.env.flush_all()
        rate_specs = [spec for spec in aggregates if spec.split(":")[0] in RATES]
        if not rate_specs:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        # ask for the sums the rates need instead of the rates themselves
        needed = list(
            dict.fromkeys(
                part
                for spec in aggregates
                for part in (
                    [f"{RATES[spec.split(':')[0]][0]}:sum", f"{RATES[spec.split(':')[0]][1]}:sum"]
                    if spec in rate_specs
                    else [spec]
                )
            )
        )
        if order and any(name in order for name in RATES):
            order = None
        rows = super()._read_group(domain, groupby, needed, having, offset, limit, order)
        position = {spec: index + len(groupby) for index, spec in enumerate(needed)}
        result = []
        for row in rows:
            values = list(row[: len(groupby)])
            for spec in aggregates:
                if spec in rate_specs:
                    numerator, denominator, scale = RATES[spec.split(":")[0]]
                    num = row[position[f"{numerator}:sum"]] or 0
                    den = row[position[f"{denominator}:sum"]] or 0
                    values.append(num / den * scale if den else 0.0)
                else:
                    values.append(row[position[spec]])
            result.append(tuple(values))
        return result

    # ------------------------------------------------------------------------------------
    # public API
    # ------------------------------------------------------------------------------------
    @api.model
    def get_indicators(self, date_from, date_to):
        """The current company's indicators from ``date_from`` to ``date_to`` (included).

        Returns a dict: each rate (``complaint_rate``, ``response_compliance_rate``,
        ``complaint_handling_rate``, ``repeat_repair_rate``, ``dap_rate``,
        ``first_time_fix_rate``, ``satisfaction_rate``) as a fraction between 0 and 1 (0 when
        its denominator is empty: nothing delivered, nothing due, no callback answered...),
        ``mean_resolve_hours`` in working hours, ``average_satisfaction`` (actual minus
        expected perception, -4 to 4), and the counts ``requests``, ``complaints``,
        ``units_delivered`` and ``callbacks``.
        """
        domain = [
            ("company_id", "=", self.env.company.id),
            ("date", ">=", fields.Date.to_date(date_from)),
            ("date", "<=", fields.Date.to_date(date_to)),
        ]
        counts = sorted({name for spec in RATES.values() for name in spec[:2]} | {"request_count"})
        [sums] = self._read_group(domain, [], [f"{name}:sum" for name in counts])
        total = dict(zip(counts, (value or 0 for value in sums), strict=True))
        figures = {}
        for rate, (numerator, denominator, _scale) in RATES.items():
            figures[rate] = total[numerator] / total[denominator] if total[denominator] else 0.0
        figures.update(
            requests=total["request_count"],
            complaints=total["complaint_count"],
            units_delivered=total["delivered_qty"],
            callbacks=total["callback_count"],
        )
        return figures

    @api.model
    def _format_indicators(self, figures):
        """The rates of ``figures`` (from get_indicators) as one line of text for people."""
        return "; ".join(
            f"{self._fields[rate]._description_string(self.env)}: "
            f"{figures[rate] * (scale if rate not in NOT_FRACTIONS else 1):.1f}"
            for rate, (_num, _den, scale) in RATES.items()
            if rate in figures
        )
