from odoo import api, fields, models, tools
from odoo.tools import SQL


class AftersalesCertificationCalendar(models.Model):
    """Expiries, recertification due dates, audits and transition deadlines on one calendar."""

    _name = "aftersales.certification.calendar"
    _description = "Certification Calendar"
    _auto = False
    _order = "date, id"

    event_type = fields.Selection(
        [
            ("expiry", "Expiry"),
            ("recertification_due", "Recertification Due"),
            ("audit", "Audit"),
            ("transition", "Transition Deadline"),
        ],
        string="Event",
        readonly=True,
    )
    date = fields.Date(readonly=True)
    certificate_id = fields.Many2one("aftersales.certificate", readonly=True)
    audit_id = fields.Many2one("aftersales.certification.audit", readonly=True)
    standard_id = fields.Many2one("aftersales.certification.standard", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Coordinator", readonly=True)

    @api.depends("event_type", "certificate_id", "audit_id")
    def _compute_display_name(self):
        labels = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            what = event.audit_id.name if event.audit_id else event.certificate_id.display_name
            event.display_name = f"{labels.get(event.event_type, '')}: {what}"

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids: 10 * source id + a digit per source, unique across the union
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT c.id * 10 + 1 AS id, 'expiry' AS event_type, c.expiry_date AS date,
                       c.id AS certificate_id, NULL::integer AS audit_id, c.standard_id,
                       c.company_id, c.user_id
                  FROM aftersales_certificate c
                 WHERE c.active AND c.state != 'withdrawn'
                UNION ALL
                SELECT c.id * 10 + 2, 'recertification_due', c.recertification_due_date,
                       c.id, NULL, c.standard_id, c.company_id, c.user_id
                  FROM aftersales_certificate c
                 WHERE c.active AND c.state IN ('valid', 'expiring')
                UNION ALL
                SELECT a.id * 10 + 3, 'audit', COALESCE(a.start_date, a.planned_date),
                       a.certificate_id, a.id, c.standard_id, c.company_id, a.user_id
                  FROM aftersales_certification_audit a
                  JOIN aftersales_certificate c ON c.id = a.certificate_id
                 WHERE a.state != 'cancelled'
                UNION ALL
                SELECT t.id * 10 + 4, 'transition', t.deadline, t.certificate_id, NULL,
                       c.standard_id, c.company_id, t.user_id
                  FROM aftersales_certification_transition_task t
                  JOIN aftersales_certificate c ON c.id = t.certificate_id
                 WHERE t.state = 'todo' AND t.deadline IS NOT NULL
            )
            """,
                SQL.identifier(self._table),
            )
        )
