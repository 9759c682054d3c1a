from datetime import date, datetime

from odoo.tests import tagged

from .two_workers import TwoWorkersCase

PAST = datetime(2000, 1, 3, 8, 0)


@tagged("post_install", "-at_install")
class TestJobsTwoWorkers(TwoWorkersCase):
    """Each job of the desk that sends a reminder, run by two workers at the same time."""

    def _ticket(self, env, count=1):
        team = self.keep(
            env["aftersales.team"].create(
                {"name": "并发测试小组", "user_id": env.ref("base.user_admin").id}
            )
        )
        # one customer each: the activity's e-mail on a portal record refreshes the customer's
        # signup token, so two workers reminding about one customer's requests at the same
        # time make one of them fail and retry (never remind twice); not what is tested here
        partners = self.keep(
            env["res.partner"].create([{"name": f"并发测试客户 {i}"} for i in range(count)])
        )
        tickets = env["aftersales.ticket"].create(
            [
                {
                    "title": f"并发测试 {i}",
                    "partner_id": partners[i].id,
                    "team_id": team.id,
                    "ticket_type_id": env.ref("aftersales_service.ticket_type_repair").id,
                }
                for i in range(count)
            ]
        )
        return self.keep(tickets)

    def test_breach_job(self):
        with self.committed() as env:
            # the breaches already in the database (demo data) first, as a run would do
            while env["aftersales.ticket"]._cron_flag_breaches(batch_size=500):
                pass
        with self.committed() as env:
            tickets = self._ticket(env, count=3)
            tickets.flush_recordset()
            # the commitments were broken long ago
            env.cr.execute(
                "UPDATE aftersales_ticket SET response_deadline = %s WHERE id IN %s",
                [PAST, tuple(tickets.ids)],
            )
        self.assertOneReminderEach(
            lambda env: env["aftersales.ticket"]._cron_flag_breaches(batch_size=2),
            tickets,
            self.env.ref("aftersales_service.mail_activity_type_breach"),
        )

    def test_service_record_overdue_job(self):
        with self.committed() as env:
            tickets = self._ticket(env, count=2)
            records = self.keep(
                env["aftersales.service.record"].create(
                    [
                        {
                            "ticket_id": ticket.id,
                            "technician_ids": [(6, 0, env.ref("base.user_admin").ids)],
                            "work_done": "<p>更换机械密封</p>",
                            "return_date": PAST,
                        }
                        for ticket in tickets
                    ]
                )
            )
        self.assertOneReminderEach(
            lambda env: env["aftersales.service.record"]._cron_flag_overdue(),
            tickets,
            self.env.ref("aftersales_service.mail_activity_type_service_record_overdue"),
        )
        with self.committed() as env:
            self.assertEqual(set(records.with_env(env).mapped("overdue_notified")), {True})

    def test_corrective_action_reminder_job(self):
        with self.committed() as env:
            actions = self.keep(
                env["aftersales.corrective.action"].create(
                    [
                        {
                            "name": f"并发测试措施 {i}",
                            "deadline": date.today(),
                            "user_id": env.ref("base.user_admin").id,
                        }
                        for i in range(3)
                    ]
                )
            )
        self.assertOneReminderEach(
            lambda env: env["aftersales.corrective.action"]._cron_remind_owners(batch_size=2),
            actions,
            self.env.ref("aftersales_service.mail_activity_type_action_deadline"),
        )

    def test_policy_review_job(self):
        with self.committed() as env:
            policies = self.keep(
                env["aftersales.policy"].create(
                    [
                        {
                            "number": f"T/CONCURRENCY-{i}",
                            "name": "并发测试制度",
                            "category_id": env.ref(
                                "aftersales_service.policy_category_management"
                            ).id,
                            "content": "<p>x</p>",
                            "approver_id": env.ref("base.user_admin").id,
                        }
                        for i in range(2)
                    ]
                )
            )
            policies.flush_recordset()
            # published, and its review is due today
            env.cr.execute(
                "UPDATE aftersales_policy SET state = 'published', review_date = %s WHERE id IN %s",
                [date.today(), tuple(policies.ids)],
            )
        self.assertOneReminderEach(
            lambda env: env["aftersales.policy"]._cron_remind_review(),
            policies,
            self.env.ref("aftersales_service.mail_activity_type_policy_review"),
        )

    def test_nonconformity_overdue_job(self):
        with self.committed() as env:
            admin = env.ref("base.user_admin")
            department = self.keep(env["hr.department"].create({"name": "并发测试部门"}))
            # the admin answers for the department, through their employee
            employee = admin.employee_id or self.keep(
                env["hr.employee"].create({"name": "并发测试经理", "user_id": admin.id})
            )
            department.manager_id = employee
            reports = self.keep(
                env["aftersales.nonconformity"].create(
                    [
                        {"department_id": department.id, "finding": f"<p>并发测试 {i}</p>"}
                        for i in range(3)
                    ]
                )
            )
            reports.flush_recordset()
            # sent to the department, and the answer is long overdue
            env.cr.execute(
                "UPDATE aftersales_nonconformity SET state = 'sent', deadline = %s WHERE id IN %s",
                [PAST.date(), tuple(reports.ids)],
            )
        self.assertOneReminderEach(
            lambda env: env["aftersales.nonconformity"]._cron_remind_overdue(batch_size=2),
            reports,
            self.env.ref("aftersales_service.mail_activity_type_nonconformity_overdue"),
        )
