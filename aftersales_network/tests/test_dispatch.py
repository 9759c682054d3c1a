from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form

from .common import NetworkCase


class TestDispatch(NetworkCase):
    def test_proposal_by_region(self):
        self.assertEqual(self._ticket(self.customer_hz).proposed_outlet_id, self.outlet_a)
        self.assertEqual(self._ticket(self.customer_sz).proposed_outlet_id, self.outlet_b)

    def test_proposal_prefers_zip_over_province(self):
        outlet_zj = self._make_outlet("ZJ", "Zhejiang Service", self.region_zhejiang)
        # more work at A: still the postcode match wins over the province-wide outlet
        for _i in range(3):
            self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        self.assertEqual(self._ticket(self.customer_hz).proposed_outlet_id, self.outlet_a)
        other = self.env["res.partner"].create(
            {"name": "Ningbo", "zip": "315000", "state_id": self.zhejiang.id}
        )
        self.assertEqual(self._ticket(other).proposed_outlet_id, outlet_zj)

    def test_proposal_balances_workload(self):
        twin = self._make_outlet("A2", "Hangzhou Twin", self.region_hangzhou)
        self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        self.assertEqual(self._ticket(self.customer_hz).proposed_outlet_id, twin)

    def test_no_proposal_without_an_address(self):
        nowhere = self.env["res.partner"].create({"name": "No Address Ltd"})
        self.assertFalse(self._ticket(nowhere).proposed_outlet_id)
        # the same customer with a city the outlet serves gets it
        nowhere.write({"city": self.customer_hz.city, "state_id": self.customer_hz.state_id.id})
        self.assertEqual(self._ticket(nowhere).proposed_outlet_id, self.outlet_a)

    def test_proposal_needs_level(self):
        # a recall needs level 3, which no outlet holds
        ticket = self._ticket(self.customer_hz, self.type_recall)
        self.assertFalse(ticket.proposed_outlet_id)
        self.assertFalse(ticket.required_level_id.filtered(lambda lv: lv == self.level_2))

    def test_dispatch_refused_without_level(self):
        with self.assertRaisesRegex(ValidationError, "repair levels"):
            self._ticket(self.customer_hz, self.type_recall, outlet_id=self.outlet_a.id)

    def test_dispatch_refused_without_valid_agreement(self):
        outlet = self._make_outlet("OLD", "Expired Outlet", self.region_hangzhou)
        outlet.agreement_ids.write({"date_end": self.today - timedelta(days=1)})
        self.assertFalse(outlet.has_valid_agreement)
        with self.assertRaisesRegex(ValidationError, "no agreement valid today"):
            self._ticket(self.customer_hz, outlet_id=outlet.id)
        self.assertNotEqual(self._ticket(self.customer_hz).proposed_outlet_id, outlet)

    def test_dispatch_refused_when_not_authorised(self):
        self.outlet_a.action_suspend()
        self.assertEqual(self.outlet_a.letter_state, "withdrawn")
        with self.assertRaisesRegex(ValidationError, "not authorised"):
            self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)

    def test_existing_work_kept_after_agreement_ends(self):
        ticket = self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        self.outlet_a.agreement_ids.write({"date_end": self.today - timedelta(days=1)})
        ticket.title = "Pump leaks again"  # editing old work is allowed
        with self.assertRaises(ValidationError):
            ticket.outlet_id = False
            ticket.outlet_id = self.outlet_a

    def test_clerk_dispatches_and_overrides(self):
        ticket = (
            self.env["aftersales.ticket"]
            .with_user(self.clerk)
            .create(
                {
                    "title": "Pump leaks",
                    "partner_id": self.customer_hz.id,
                    "ticket_type_id": self.type_repair.id,
                }
            )
        )
        ticket.action_dispatch_proposed()
        self.assertEqual(ticket.outlet_id, self.outlet_a)
        self.assertEqual(ticket.outlet_status, "dispatched")
        self.assertTrue(ticket.outlet_dispatch_date)
        with Form(ticket) as form:
            form.outlet_id = self.outlet_b
        self.assertEqual(ticket.outlet_id, self.outlet_b)

    def test_engineer_level(self):
        engineer_1 = self.env["aftersales.outlet.engineer"].create(
            {
                "outlet_id": self.outlet_a.id,
                "partner_id": self.outlet_a.partner_id.id,
                "level_ids": [Command.set(self.level_1.ids)],
            }
        )
        ticket = self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        with self.assertRaisesRegex(ValidationError, "not certified"):
            ticket.outlet_engineer_id = engineer_1
        installation = self._ticket(
            self.customer_hz, self.type_installation, outlet_id=self.outlet_a.id
        )
        installation.outlet_engineer_id = engineer_1
        self.assertEqual(installation.outlet_engineer_id, engineer_1)
        with self.assertRaisesRegex(ValidationError, "levels their outlet"):
            self.env["aftersales.outlet.engineer"].create(
                {
                    "outlet_id": self.outlet_a.id,
                    "partner_id": self.outlet_a.partner_id.id,
                    "level_ids": [
                        Command.set(self.env.ref("aftersales_network.outlet_level_3").ids)
                    ],
                }
            )

    def test_indicators(self):
        ticket = self._ticket(self.customer_hz, outlet_id=self.outlet_a.id)
        ticket.with_user(self.portal_a).action_outlet_accept()
        self._ticket(
            self.customer_hz,
            self.env.ref("aftersales_service.ticket_type_complaint"),
            complaint_outlet_id=self.outlet_a.id,
            complaint_category="other",
            severity="minor",
        )
        self.outlet_a.action_refresh_indicators()
        self.assertEqual(self.outlet_a.kpi_complaint_count, 1)
        self.assertTrue(self.outlet_a.kpi_date)
        self.assertEqual(self.outlet_b.kpi_complaint_count, 0)

    def test_indicators_job_in_batches_once_a_day(self):
        Outlet = self.env["aftersales.outlet"]
        outlets = self.outlet_a | self.outlet_b
        self.assertEqual(set(outlets.mapped("state")), {"authorized"})
        # the other outlets of the database, if any, are not what this test counts
        Outlet.search([("id", "not in", outlets.ids)]).write({"kpi_date": "2030-05-06 01:00:00"})
        with freeze_time("2030-05-06 02:00:00"):
            first = Outlet._cron_refresh_indicators(batch_size=1)
            second = Outlet._cron_refresh_indicators(batch_size=1)
            self.assertEqual(first | second, outlets)
            self.assertEqual(set(outlets.mapped("kpi_date")), {datetime(2030, 5, 6, 2, 0)})
            self.assertFalse(Outlet._cron_refresh_indicators(), "refreshed once a day")
        with freeze_time("2030-05-07 02:00:00"):
            self.assertEqual(Outlet._cron_refresh_indicators(), outlets)

    def test_batch_dispatch_server_action(self):
        tickets = self._ticket(self.customer_hz) | self._ticket(self.customer_sz)
        action = self.env.ref("aftersales_network.action_server_ticket_dispatch_proposed")
        action.with_context(active_model="aftersales.ticket", active_ids=tickets.ids).run()
        self.assertEqual(tickets.outlet_id, self.outlet_a | self.outlet_b)
