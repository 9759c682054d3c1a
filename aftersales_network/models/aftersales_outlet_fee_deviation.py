from odoo import fields, models, tools
from odoo.tools import SQL

DEVIATION_KINDS = [
    ("over", "Charged Above the Schedule"),
    ("under", "Charged Below the Schedule"),
    ("no_fee", "No Agreed Fee"),
]


class AftersalesOutletFeeDeviation(models.Model):
    """A handed-in, chargeable service record whose labour charge differs from the agreement.

    The schedule is the fee line of the agreement valid on the hand-in day, for the lowest
    repair level allowing the request's kind: its fee per repair plus its fee per labour hour
    times the hours of the visit.
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
        "aftersales.ticket": ["ticket_type_id"],
        "aftersales.outlet.agreement": ["outlet_id", "state", "date_start", "date_end"],
        "aftersales.outlet.agreement.fee": ["agreement_id", "level_id", "fee", "labour_hour_fee"],
        "aftersales.outlet.level": ["sequence", "ticket_type_ids"],
        "res.company": ["currency_id"],
    }

    record_id = fields.Many2one("aftersales.service.record", string="Service Record", readonly=True)
    ticket_id = fields.Many2one("aftersales.ticket", string="Request", readonly=True)
    ticket_type_id = fields.Many2one("aftersales.ticket.type", string="Kind", readonly=True)
    outlet_id = fields.Many2one("aftersales.outlet", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Handed In On", readonly=True)
    agreement_id = fields.Many2one("aftersales.outlet.agreement", readonly=True)
    level_id = fields.Many2one("aftersales.outlet.level", string="Repair Level", readonly=True)
    visit_hours = fields.Float(readonly=True, aggregator="sum")
    expected_amount = fields.Monetary(string="Agreed Fee", readonly=True, aggregator="sum")
    charged_amount = fields.Monetary(string="Labour Charged", readonly=True, aggregator="sum")
    deviation_amount = fields.Monetary(string="Deviation", readonly=True, aggregator="sum")
    deviation_kind = fields.Selection(DEVIATION_KINDS, string="Kind of Deviation", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT *, ROUND(charged_amount - expected_amount, 2) AS deviation_amount,
                   CASE WHEN fee_id IS NULL THEN 'no_fee'
                        WHEN charged_amount > expected_amount THEN 'over'
                        ELSE 'under' END AS deviation_kind
              FROM (
                SELECT r.id AS id,
                       r.id AS record_id,
                       r.ticket_id,
                       t.ticket_type_id,
                       r.outlet_id,
                       r.company_id,
                       c.currency_id,
                       day.date,
                       agreement.id AS agreement_id,
                       fee.id AS fee_id,
                       fee.level_id,
                       day.hours AS visit_hours,
                       ROUND(COALESCE(fee.fee, 0) + COALESCE(fee.labour_hour_fee, 0) * day.hours,
                             2) AS expected_amount,
                       COALESCE(r.amount_labour, 0) AS charged_amount
                  FROM aftersales_service_record r
                  JOIN aftersales_ticket t ON t.id = r.ticket_id
                  JOIN res_company c ON c.id = r.company_id
                 CROSS JOIN LATERAL (
                       SELECT r.submitted_date::date AS date,
                              COALESCE(ROUND(EXTRACT(EPOCH FROM r.visit_end - r.visit_start)
                                             / 3600.0, 2), 0) AS hours
                       ) day
                  LEFT JOIN LATERAL (
                       SELECT a.id
                         FROM aftersales_outlet_agreement a
                        WHERE a.outlet_id = r.outlet_id
                          AND a.state = 'signed'
                          AND a.date_start <= day.date
                          AND a.date_end >= day.date
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
                 WHERE r.outlet_id IS NOT NULL
                   AND r.state = 'submitted'
                   AND r.is_chargeable
              ) charges
             WHERE fee_id IS NULL OR charged_amount <> expected_amount
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
