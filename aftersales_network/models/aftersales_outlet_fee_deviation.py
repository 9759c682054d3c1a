from odoo import api, fields, models, tools
from odoo.tools import SQL

SOURCES = [
    ("record", "Service Record"),
    ("repair", "Repair"),
]

DEVIATION_KINDS = [
    ("over", "Charged Above the Schedule"),
    ("under", "Charged Below the Schedule"),
    ("no_fee", "No Agreed Fee"),
]


class AftersalesOutletFeeDeviation(models.Model):
    """A charge of an outlet that differs from its agreement: a service record or a repair.

    Service records: a handed-in, chargeable record whose labour charge differs from the fee
    line of the agreement valid on the hand-in day, for the lowest repair level allowing the
    request's kind: its fee per repair plus its fee per labour hour times the hours of the visit.

    Repairs: a repair order done by an outlet (``state`` 'done', the outlet of its request)
    whose charge differs from the fee per repair of that same fee line, on the day the repair
    was ended (``done_date``; the last write for repairs ended before it existed). Odoo 18's
    repair order holds no prices of its own: what the customer is charged is its quotation
    (``sale_order_id``). The repair's charge is therefore the untaxed amount
    (``price_subtotal``) of the lines of that quotation, unless cancelled, that belong to the
    repair: the line that created it (``sale_order_line_id``) and the lines of its parts (the
    stock moves of the repair linked to a sale line). Amounts are taken as they are, in the
    company's currency. A repair without a quotation charged nothing.

    Ids stay unique across both: a record's row is ``2 × record id``, a repair's
    ``2 × repair id + 1``.
    """

    _name = "aftersales.outlet.fee.deviation"
    _description = "Outlet Fee Deviation"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "record_id"
    # what the view reads: flushed before each search on it
    _depends = {
        "aftersales.service.record": [
            "ticket_id",
            "outlet_id",
            "company_id",
            "state",
            "is_chargeable",
            "amount_labour",
            "submitted_date",
            "visit_start",
            "visit_end",
        ],
        "repair.order": [
            "ticket_id",
            "outlet_id",
            "company_id",
            "state",
            "done_date",
            "sale_order_id",
            "sale_order_line_id",
        ],
        "sale.order": ["state"],
        "sale.order.line": ["order_id", "price_subtotal"],
        "stock.move": ["repair_id", "sale_line_id"],
        "aftersales.ticket": ["ticket_type_id"],
        "aftersales.outlet.agreement": ["outlet_id", "state", "date_start", "date_end"],
        "aftersales.outlet.agreement.fee": ["agreement_id", "level_id", "fee", "labour_hour_fee"],
        "aftersales.outlet.level": ["sequence", "ticket_type_ids"],
        "res.company": ["currency_id"],
    }

    source = fields.Selection(SOURCES, readonly=True)
    record_id = fields.Many2one("aftersales.service.record", string="Service Record", readonly=True)
    repair_id = fields.Many2one("repair.order", readonly=True, groups="stock.group_stock_user")
    ticket_id = fields.Many2one("aftersales.ticket", string="Request", readonly=True)
    ticket_type_id = fields.Many2one("aftersales.ticket.type", string="Kind", readonly=True)
    outlet_id = fields.Many2one("aftersales.outlet", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Handed In or Repaired On", readonly=True)
    agreement_id = fields.Many2one("aftersales.outlet.agreement", readonly=True)
    level_id = fields.Many2one("aftersales.outlet.level", string="Repair Level", readonly=True)
    visit_hours = fields.Float(readonly=True, aggregator="sum")
    expected_amount = fields.Monetary(string="Agreed Fee", readonly=True, aggregator="sum")
    charged_amount = fields.Monetary(string="Charged", readonly=True, aggregator="sum")
    deviation_amount = fields.Monetary(string="Deviation", readonly=True, aggregator="sum")
    deviation_kind = fields.Selection(DEVIATION_KINDS, string="Kind of Deviation", readonly=True)

    @api.depends("record_id", "repair_id")
    def _compute_display_name(self):
        for row in self:
            # sudo: only the reference of the repair, for users who may not open repairs
            row.display_name = (row.record_id or row.sudo().repair_id).display_name or False

    def _query(self):
        return SQL(
            """
            SELECT *, ROUND(charged_amount - expected_amount, 2) AS deviation_amount,
                   CASE WHEN fee_id IS NULL THEN 'no_fee'
                        WHEN charged_amount > expected_amount THEN 'over'
                        ELSE 'under' END AS deviation_kind
              FROM (
                SELECT work.id,
                       work.source,
                       work.record_id,
                       work.repair_id,
                       work.ticket_id,
                       t.ticket_type_id,
                       work.outlet_id,
                       work.company_id,
                       c.currency_id,
                       work.date,
                       agreement.id AS agreement_id,
                       fee.id AS fee_id,
                       fee.level_id,
                       work.hours AS visit_hours,
                       ROUND(COALESCE(fee.fee, 0) + COALESCE(fee.labour_hour_fee, 0) * work.hours,
                             2) AS expected_amount,
                       work.charged_amount
                  FROM (
                    SELECT r.id * 2 AS id,
                           'record' AS source,
                           r.id AS record_id,
                           NULL::integer AS repair_id,
                           r.ticket_id,
                           r.outlet_id,
                           r.company_id,
                           r.submitted_date::date AS date,
                           COALESCE(ROUND(EXTRACT(EPOCH FROM r.visit_end - r.visit_start)
                                          / 3600.0, 2), 0) AS hours,
                           COALESCE(r.amount_labour, 0) AS charged_amount
                      FROM aftersales_service_record r
                     WHERE r.outlet_id IS NOT NULL
                       AND r.state = 'submitted'
                       AND r.is_chargeable
                     UNION ALL
                    SELECT ro.id * 2 + 1 AS id,
                           'repair' AS source,
                           NULL::integer AS record_id,
                           ro.id AS repair_id,
                           ro.ticket_id,
                           ro.outlet_id,
                           ro.company_id,
                           COALESCE(ro.done_date, ro.write_date)::date AS date,
                           0 AS hours,
                           COALESCE((
                               SELECT SUM(sol.price_subtotal)
                                 FROM sale_order_line sol
                                 JOIN sale_order so ON so.id = sol.order_id
                                WHERE so.state <> 'cancel'
                                  AND (sol.id = ro.sale_order_line_id
                                       OR EXISTS (SELECT 1
                                                    FROM stock_move m
                                                   WHERE m.repair_id = ro.id
                                                     AND m.sale_line_id = sol.id))
                           ), 0) AS charged_amount
                      FROM repair_order ro
                     WHERE ro.outlet_id IS NOT NULL
                       AND ro.state = 'done'
                  ) work
                  JOIN aftersales_ticket t ON t.id = work.ticket_id
                  JOIN res_company c ON c.id = work.company_id
                  LEFT JOIN LATERAL (
                       SELECT a.id
                         FROM aftersales_outlet_agreement a
                        WHERE a.outlet_id = work.outlet_id
                          AND a.state = 'signed'
                          AND a.date_start <= work.date
                          AND a.date_end >= work.date
                        ORDER BY a.date_end DESC, a.id DESC
                        LIMIT 1
                       ) agreement ON TRUE
                  LEFT JOIN LATERAL (
                       SELECT f.id, f.level_id, f.fee, f.labour_hour_fee
                         FROM aftersales_outlet_agreement_fee f
                         JOIN aftersales_outlet_level l ON l.id = f.level_id
                         JOIN aftersales_outlet_level_aftersales_ticket_type_rel rel
                           ON rel.aftersales_outlet_level_id = l.id
                          AND rel.aftersales_ticket_type_id = t.ticket_type_id
                        WHERE f.agreement_id = agreement.id
                        ORDER BY l.sequence, l.id
                        LIMIT 1
                       ) fee ON TRUE
              ) charges
             WHERE fee_id IS NULL OR charged_amount <> expected_amount
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
