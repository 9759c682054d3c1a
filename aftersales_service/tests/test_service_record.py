from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .service_common import ServiceCase


@tagged("post_install", "-at_install")
class TestServiceRecord(ServiceCase):
    """On-site service records: signature, hand-in, lock, the 2-day rule, parts, access."""

    def test_signature_required_before_hand_in(self):
        record = self.create_record()
        with self.assertRaisesRegex(UserError, "signature"):
            record.action_submit()
        self.assertEqual(record.state, "draft")
        record.write({"signature": self.signature, "signed_by": "Mr Zhou"})
        self.assertTrue(record.signed_on)
        record.action_submit()
        self.assertEqual(record.state, "submitted")
        self.assertTrue(record.submitted_date)

    def test_locked_after_hand_in(self):
        record = self.create_record(
            signature=self.signature,
            location_id=self.van.id,
            part_ids=[Command.create({"product_id": self.seal.id, "quantity": 1})],
        )
        record.action_submit()
        with self.assertRaises(UserError):
            record.customer_opinion = "Changed afterwards"
        with self.assertRaises(UserError):
            record.part_ids.quantity = 3
        with self.assertRaises(UserError):
            record.write({"part_ids": [Command.create({"product_id": self.seal.id})]})
        with self.assertRaises(UserError):
            record.unlink()
        with self.assertRaises(UserError):
            record.action_submit()
        # the conversation goes on
        record.message_post(body="Archived in the service file")

    def test_handed_in_on_time_and_late(self):
        with freeze_time("2026-03-02 10:00:00"):
            on_time = self.create_record(
                return_date=datetime(2026, 3, 2, 9, 0), signature=self.signature
            )
            late = self.create_record(
                return_date=datetime(2026, 2, 27, 9, 0), signature=self.signature
            )
            self.assertEqual(on_time.submission_deadline, datetime(2026, 3, 4, 9, 0))
            (on_time | late).action_submit()
        self.assertFalse(on_time.is_late_submission)
        self.assertTrue(late.is_late_submission)

    def test_overdue_job_gives_the_technician_an_activity(self):
        with freeze_time("2026-03-02 10:00:00"):
            record = self.create_record(return_date=datetime(2026, 3, 2, 9, 0))
            self.assertFalse(record.is_overdue)
        Record = self.env["aftersales.service.record"]
        with freeze_time("2026-03-04 08:59:00"):
            self.assertEqual(Record._cron_flag_overdue(), 0, "still within the 2 days")
        with freeze_time("2026-03-04 09:01:00"):
            record.invalidate_recordset(["is_overdue"])
            self.assertTrue(record.is_overdue)
            self.assertIn(record, Record.search([("is_overdue", "=", True)]))
            self.assertEqual(Record._cron_flag_overdue(), 1)
            overdue_type = self.env.ref(
                "aftersales_service.mail_activity_type_service_record_overdue"
            )
            activity = record.ticket_id.activity_ids.filtered(
                lambda a: a.activity_type_id == overdue_type
            )
            self.assertEqual(activity.user_id, self.technician)
            record.ticket_id.invalidate_recordset(["has_overdue_service_record"])
            self.assertTrue(record.ticket_id.has_overdue_service_record)
            # idempotent: a second run flags nothing and adds no activity
            self.assertEqual(Record._cron_flag_overdue(), 0)
            self.assertEqual(len(record.ticket_id.activity_ids), 1)
            record.signature = self.signature
            record.action_submit()
        record.ticket_id.invalidate_recordset(["activity_ids"])
        self.assertFalse(record.ticket_id.activity_ids, "handing in clears the reminder")
        self.assertTrue(record.is_late_submission)

    def test_parts_consumed_from_the_van(self):
        record = self.create_record(
            signature=self.signature,
            location_id=self.van.id,
            part_ids=[
                Command.create({"product_id": self.seal.id, "quantity": 2}),
                Command.create({"product_id": self.seal.id, "quantity": 1}),
            ],
        )
        record.action_submit()
        moves = record.move_ids
        self.assertEqual(len(moves), 2, "one move per part line")
        self.assertEqual(set(moves.mapped("state")), {"done"})
        self.assertEqual(record.part_ids.move_id, moves)
        self.assertEqual(moves.location_id, self.van)
        self.assertEqual(moves.location_dest_id.usage, "customer")
        self.assertEqual(self.seal.with_context(location=self.van.id).qty_available, 7)

    def test_parts_need_a_location(self):
        record = self.create_record(
            signature=self.signature,
            part_ids=[Command.create({"product_id": self.seal.id, "quantity": 1})],
        )
        with self.assertRaisesRegex(UserError, "location"):
            record.action_submit()

    def test_pdf_carries_the_signature(self):
        record = self.create_record(signature=self.signature, signed_by="Mr Zhou")
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "aftersales_service.action_report_service_record", record.ids
        )
        self.assertIn(b"data:image/png;base64", html)
        self.assertIn(b"Mr Zhou", html)

    def test_ticket_smart_button(self):
        record = self.create_record()
        ticket = record.ticket_id
        self.assertEqual(ticket.service_record_count, 1)
        action = ticket.action_view_service_records()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), record)

    @users("as_technician")
    def test_technician_fills_and_hands_in(self):
        ticket = self.create_ticket(ticket_type_id=self.type_repair.id).sudo(False)
        record = self.env["aftersales.service.record"].create(
            {"ticket_id": ticket.id, "signature": self.signature}
        )
        self.assertEqual(record.technician_ids, self.env.user)
        record.action_submit()
        self.assertEqual(record.state, "submitted")
        with self.assertRaises(AccessError):
            record.with_user(self.user).unlink()

    def test_access_by_role(self):
        record = self.create_record()
        record.with_user(self.manager).read(["name"])
        record.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            record.with_user(self.employee).read(["name"])
        record.with_user(self.portal_user).read(["name", "work_done"])
        with self.assertRaises(AccessError):
            record.with_user(self.other_portal_user).read(["name"])
        with self.assertRaises(AccessError):
            record.with_user(self.portal_user).write({"customer_opinion": "Forged"})
        record.with_user(self.manager).unlink()
