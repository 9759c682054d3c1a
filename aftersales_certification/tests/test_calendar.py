from datetime import date

from odoo.tests import tagged

from .common import CertificationCase


@tagged("post_install", "-at_install")
class TestCalendar(CertificationCase):
    def test_expiries_due_dates_audits_and_transitions(self):
        cert = self.create_certificate()
        notice = self.env["aftersales.certification.scheme.notice"].create(
            {
                "name": "换版",
                "company_id": self.company.id,
                "body_id": self.body.id,
                "transition_deadline": "2026-06-30",
                "certificate_ids": [(6, 0, cert.ids)],
            }
        )
        notice.action_confirm()
        self.env.flush_all()
        events = self.env["aftersales.certification.calendar"].search(
            [("certificate_id", "=", cert.id)]
        )
        by_type = {}
        for event in events:
            by_type.setdefault(event.event_type, []).append(event.date)
        self.assertEqual(by_type["expiry"], [date(2027, 1, 14)])
        self.assertEqual(by_type["recertification_due"], [date(2026, 10, 14)])
        self.assertEqual(sorted(by_type["audit"]), [date(2025, 1, 15), date(2026, 1, 15)])
        self.assertEqual(by_type["transition"], [date(2026, 6, 30)])
        audit_event = events.filtered(lambda e: e.event_type == "audit")[:1]
        self.assertIn("Audit: AUD/", audit_event.display_name)
        # a withdrawn certificate no longer expires nor comes due
        cert.action_withdraw()
        self.env.flush_all()
        events = self.env["aftersales.certification.calendar"].search(
            [("certificate_id", "=", cert.id)]
        )
        self.assertNotIn("expiry", events.mapped("event_type"))
