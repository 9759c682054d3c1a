from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError

from .care_common import CareCase


class TestKeyCustomerVisits(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Visit = cls.env["aftersales.visit"]
        cls.customer.write({"is_key_customer": True, "user_id": cls.user.id})
        cls.other_customer.write({"is_key_customer": True, "user_id": cls.colleague.id})
        cls.company.aftersales_care_manager_id = cls.manager
        cls.remind_type = cls.env.ref("aftersales_service.mail_activity_type_key_customer_visit")
        cls.escalate_type = cls.env.ref(
            "aftersales_service.mail_activity_type_key_customer_escalation"
        )

    def _visits(self, partner):
        return self.Visit.search([("partner_id", "=", partner.id)])

    def _activities(self, visits, activity_type):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "aftersales.visit"),
                ("res_id", "in", visits.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_job_plans_one_visit_per_key_customer_a_year(self):
        with freeze_time("2026-03-01"):
            self.Visit._cron_key_customer_care()
            visit = self._visits(self.customer)
            self.assertEqual(len(visit), 1)
            self.assertEqual(visit.user_id, self.user)
            self.assertEqual(visit.year, 2026)
            self.assertTrue(date(2026, 3, 1) <= visit.date_planned <= date(2026, 12, 31))
            self.assertEqual(len(self._visits(self.other_customer)), 1)
            # once: the next days plan nothing more
            self.Visit._cron_key_customer_care()
            self.assertEqual(len(self._visits(self.customer)), 1)

    def test_customers_visited_or_not_key_get_no_new_visit(self):
        not_key = self.env["res.partner"].create({"name": "Small shop", "is_company": True})
        self.Visit.create(
            {
                "partner_id": self.customer.id,
                "date_planned": date(2026, 2, 1),
                "user_id": self.user.id,
            }
        )
        with freeze_time("2026-03-01"):
            self.Visit._cron_key_customer_care()
        self.assertEqual(len(self._visits(self.customer)), 1)
        self.assertFalse(self._visits(not_key))

    def test_visitor_is_reminded_before_the_visit_once(self):
        visit = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "date_planned": date(2026, 5, 20),
                "user_id": self.user.id,
            }
        )
        with freeze_time("2026-05-01"):
            self.Visit._cron_key_customer_care()
        self.assertFalse(self._activities(visit, self.remind_type))
        with freeze_time("2026-05-14"):
            self.Visit._cron_key_customer_care()
            self.Visit._cron_key_customer_care()
        activity = self._activities(visit, self.remind_type)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user)

    def test_key_customer_not_visited_by_year_end_is_escalated(self):
        visit = self.Visit.create(
            {
                "partner_id": self.customer.id,
                "date_planned": date(2026, 11, 20),
                "user_id": self.user.id,
            }
        )
        done = self.Visit.create(
            {
                "partner_id": self.other_customer.id,
                "date_planned": date(2026, 6, 1),
                "user_id": self.colleague.id,
                "findings": "Wants a training of their operators.",
            }
        )
        done.action_done()
        with freeze_time("2026-12-31"):
            self.Visit._cron_key_customer_care()
        self.assertFalse(visit.is_escalated)
        with freeze_time("2027-01-02"):
            self.Visit._cron_key_customer_care()
            self.Visit._cron_key_customer_care()
        self.assertTrue(visit.is_escalated)
        self.assertFalse(done.is_escalated)
        escalation = self._activities(visit, self.escalate_type)
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.user_id, self.manager)
        # the new year has its own visits planned
        self.assertEqual(len(self._visits(self.customer).filtered(lambda v: v.year == 2027)), 1)

    def test_visit_closes_with_findings_only(self):
        visit = self.Visit.create({"partner_id": self.customer.id, "user_id": self.user.id})
        with self.assertRaises(UserError):
            visit.with_user(self.user).action_done()
        self.assertEqual(visit.state, "planned")
        visit.with_user(self.user).write(
            {"finding_category": "product", "findings": "Seal wear on two pumps."}
        )
        visit.with_user(self.user).action_done()
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.date_done)

    def test_visitors_see_their_visits_managers_all(self):
        mine = self.Visit.create({"partner_id": self.customer.id, "user_id": self.user.id})
        theirs = self.Visit.create(
            {"partner_id": self.other_customer.id, "user_id": self.colleague.id}
        )
        ids = (mine + theirs).ids
        self.assertEqual(self.Visit.with_user(self.user).search([("id", "in", ids)]), mine)
        self.assertEqual(
            self.Visit.with_user(self.manager).search([("id", "in", ids)]), mine + theirs
        )
        with self.assertRaises(AccessError):
            self.Visit.with_user(self.employee).search([])

    def test_customer_class_from_yearly_sales_and_units(self):
        self.company.write(
            {
                "aftersales_class_a_sales": 5000,
                "aftersales_class_a_units": 1000,
                "aftersales_class_b_sales": 500,
                "aftersales_class_b_units": 1000,
            }
        )
        self.create_delivered_order(self.customer, qty=10.0)  # 1,000
        small = self.env["res.partner"].create({"name": "Workshop", "is_company": True})
        self.create_delivered_order(small, qty=2.0)  # 200
        self.env["res.partner"]._classify_customers()
        self.assertEqual(self.customer.customer_class, "b")
        self.assertEqual(small.customer_class, "c")
        self.company.aftersales_class_a_units = 10
        self.env["res.partner"]._cron_classify_customers()
        self.assertEqual(self.customer.customer_class, "a")

    def test_customer_file_shows_requests_callbacks_and_units(self):
        ticket = self.create_ticket()
        complaint = self.create_ticket(ticket_type_id=self.type_complaint.id)
        callback = self.create_callback(partner_id=self.customer_contact.id)
        self.answer(callback, [(3, 4)] * len(self.questions))
        callback.action_done()
        self.create_delivered_order(self.customer, qty=1.0)
        partner = self.customer.with_user(self.manager)
        self.assertLessEqual(ticket + complaint, partner.aftersales_file_ticket_ids)
        self.assertIn(complaint, partner.aftersales_file_complaint_ids)
        self.assertNotIn(ticket, partner.aftersales_file_complaint_ids)
        self.assertIn(callback, partner.aftersales_callback_ids)
        self.assertAlmostEqual(partner.aftersales_satisfaction, 1.0)
