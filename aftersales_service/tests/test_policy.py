import ast
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged


class PolicyCase(TransactionCase):
    """Users of each role, a department with its head, two holders and a policy factory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            "pol_manager",
            groups="aftersales_service.group_aftersales_manager",
            name="Manager Chen",
        )
        cls.user = new_test_user(
            cls.env, "pol_user", groups="aftersales_service.group_aftersales_user", name="Clerk Li"
        )
        cls.employee = new_test_user(cls.env, "pol_employee", groups="base.group_user")
        cls.approver = new_test_user(
            cls.env, "pol_approver", groups="base.group_user", name="GM Zhou"
        )
        cls.head_user = new_test_user(cls.env, "pol_head", groups="base.group_user", name="Head Wu")
        cls.category = cls.env.ref("aftersales_service.policy_category_warranty")
        cls.head = cls.env["hr.employee"].create({"name": "Head Wu", "user_id": cls.head_user.id})
        cls.department = cls.env["hr.department"].create(
            {"name": "After-Sales Service Dept", "manager_id": cls.head.id}
        )
        cls.other_department = cls.env["hr.department"].create({"name": "Warehouse"})
        cls.job_engineer = cls.env["hr.job"].create({"name": "Service Engineer"})
        cls.job_clerk = cls.env["hr.job"].create({"name": "Warehouse Clerk"})
        cls.holder = cls.env["hr.employee"].create(
            {
                "name": "Zhang Wei",
                "department_id": cls.department.id,
                "job_id": cls.job_engineer.id,
            }
        )
        cls.holder2 = cls.env["hr.employee"].create(
            {
                "name": "Li Qiang",
                "department_id": cls.department.id,
                "job_id": cls.job_engineer.id,
            }
        )

    @classmethod
    def make_policy(cls, number="T/WAR-01", publish=True, **vals):
        policy = (
            cls.env["aftersales.policy"]
            .with_user(cls.manager)
            .create(
                {
                    "number": number,
                    "name": "Warranty Periods",
                    "category_id": cls.category.id,
                    "content": "<p>Pumps: 24 months from commissioning.</p>",
                    "department_id": cls.department.id,
                    "approver_id": cls.approver.id,
                    **vals,
                }
            )
        )
        if publish:
            policy.action_submit()
            policy.action_approve()
            policy.action_publish()
        return policy.with_user(cls.env.user)

    def revise(self, policy, edition=False):
        method = "action_new_edition" if edition else "action_new_revision"
        action = getattr(policy.with_user(self.manager), method)()
        return self.env["aftersales.policy"].browse(action["res_id"])

    def publish(self, policy):
        policy = policy.with_user(self.manager)
        policy.action_submit()
        policy.action_approve()
        policy.action_publish()


@tagged("post_install", "-at_install")
class TestPolicyRevisions(PolicyCase):
    def test_revision_numbering_both_ways(self):
        a0 = self.make_policy()
        self.assertEqual(a0.revision, "A/0")
        a1 = self.revise(a0)
        self.assertEqual((a1.revision, a1.state, a1.previous_id), ("A/1", "draft", a0))
        self.assertEqual(a1.number, a0.number)
        self.assertIn("24 months", a1.content)
        self.publish(a1)
        b0 = self.revise(a1, edition=True)
        self.assertEqual((b0.revision, b0.previous_id), ("B/0", a1))
        self.publish(b0)
        self.assertEqual(self.revise(b0).revision, "B/1")

    def test_duplicate_starts_a_new_document(self):
        policy = self.make_policy()
        duplicate = policy.with_user(self.manager).copy()
        self.assertEqual(duplicate.number, "T/WAR-01 (copy)")
        self.assertEqual((duplicate.revision, duplicate.state), ("A/0", "draft"))
        self.assertFalse(duplicate.previous_id)

    def test_single_open_draft_per_document(self):
        a0 = self.make_policy()
        self.revise(a0)
        with self.assertRaises(UserError):
            self.revise(a0)
        with self.assertRaises(UserError):
            self.revise(a0, edition=True)
        with self.assertRaises(ValidationError):
            self.env["aftersales.policy"].create(
                {
                    "number": a0.number,
                    "name": "Another draft",
                    "category_id": self.category.id,
                    "revision_number": 5,
                }
            )
        # another document may be drafted at the same time
        other = self.make_policy(number="T/FEE-01", publish=False)
        self.assertEqual(other.state, "draft")

    def test_publish_obsoletes_the_former_and_keeps_the_history(self):
        a0 = self.make_policy()
        a1 = self.revise(a0)
        a1.write({"content": "<p>Pumps: 30 months from commissioning.</p>"})
        self.publish(a1)
        self.assertEqual(a0.state, "obsolete")
        self.assertEqual(a1.state, "published")
        self.assertEqual(a1.revision_history_ids, a0 | a1)
        self.assertEqual(a0.revision_history_ids, a0 | a1)
        # the obsolete revision stays readable to after-sales staff, with its own text
        self.assertIn("24 months", a0.with_user(self.user).content)
        self.assertEqual(a0._current_revisions(), a1)

    def test_publish_requires_approval(self):
        policy = self.make_policy(publish=False)
        with self.assertRaises(UserError):
            policy.with_user(self.manager).action_publish()
        policy.with_user(self.manager).action_submit()
        with self.assertRaises(UserError):
            policy.with_user(self.manager).action_publish()

    def test_submit_needs_a_text(self):
        policy = self.make_policy(publish=False, content=False)
        with self.assertRaises(UserError):
            policy.with_user(self.manager).action_submit()
        self.assertEqual(policy.state, "draft")

    def test_back_to_draft(self):
        policy = self.make_policy(publish=False)
        policy.with_user(self.user).action_submit()
        policy.with_user(self.user).action_draft()
        self.assertEqual(policy.state, "draft")
        with self.assertRaises(UserError):
            policy.with_user(self.user).action_draft()

    def test_review_date_defaults_to_the_company_period(self):
        with freeze_time("2026-03-15"):
            policy = self.make_policy()
        self.assertEqual(policy.effective_date, date(2026, 3, 15))
        self.assertEqual(policy.review_date, date(2027, 3, 15))
        self.company.aftersales_policy_review_months = 6
        with freeze_time("2026-04-01"):
            other = self.make_policy(number="T/FEE-01")
        self.assertEqual(other.review_date, date(2026, 10, 1))


@tagged("post_install", "-at_install")
class TestPolicyAccess(PolicyCase):
    def test_user_refused_manager_allowed_to_approve_and_publish(self):
        policy = self.make_policy(publish=False)
        policy.with_user(self.user).action_submit()
        with self.assertRaises(AccessError):
            policy.with_user(self.user).action_approve()
        with self.assertRaises(AccessError):
            policy.with_user(self.user).write({"state": "approved"})
        self.assertEqual(policy.state, "review")
        policy.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError):
            policy.with_user(self.user).action_publish()
        self.assertEqual(policy.state, "approved")
        policy.with_user(self.manager).action_publish()
        self.assertEqual(policy.state, "published")

    def test_named_approver_may_approve(self):
        policy = self.make_policy(publish=False)
        policy.with_user(self.user).action_submit()
        with self.assertRaises(AccessError):
            policy.with_user(self.employee).action_approve()
        policy.with_user(self.approver).action_approve()
        self.assertEqual(policy.state, "approved")

    def test_employee_reads_only_the_published_set(self):
        published = self.make_policy()
        draft = self.make_policy(number="T/FEE-01", publish=False)
        Policy = self.env["aftersales.policy"].with_user(self.employee)
        found = Policy.search([("id", "in", (published | draft).ids)])
        self.assertEqual(found, published)
        with self.assertRaises(AccessError):
            published.with_user(self.employee).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            Policy.create({"number": "T/X-01", "name": "Mine", "category_id": self.category.id})
        # after-sales users see the drafts, edit them, but not the published text
        staff = self.env["aftersales.policy"].with_user(self.user)
        self.assertEqual(staff.search([("id", "in", (published | draft).ids)]), published | draft)
        draft.with_user(self.user).write({"name": "Repair Fee Standards"})
        with self.assertRaises(AccessError):
            published.with_user(self.user).write({"name": "Changed"})

    def test_other_company_hidden(self):
        other_company = self.env["res.company"].create({"name": "Pumps North Ltd"})
        theirs = self.env["aftersales.policy"].create(
            {
                "number": "N/WAR-01",
                "name": "Warranty Periods",
                "category_id": self.category.id,
                "company_id": other_company.id,
                "state": "published",
                "is_public": True,
            }
        )
        self.manager.company_ids = [Command.link(other_company.id)]
        for user in (self.employee, self.user):
            policies = self.env["aftersales.policy"].with_user(user)
            self.assertFalse(policies.search([("id", "=", theirs.id)]))
        # a manager of both companies sees it once the company is active
        self.assertEqual(
            self.env["aftersales.policy"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other_company.id])
            .search([("id", "=", theirs.id)]),
            theirs,
        )

    def test_copies_issued_by_managers_read_by_employees(self):
        policy = self.make_policy()
        Copy = self.env["aftersales.policy.copy"]
        with self.assertRaises(AccessError):
            Copy.with_user(self.employee).create(
                {"policy_id": policy.id, "holder_id": self.holder.id}
            )
        copy = Copy.with_user(self.manager).create(
            {"policy_id": policy.id, "holder_id": self.holder.id}
        )
        self.assertEqual(Copy.with_user(self.employee).search([("id", "=", copy.id)]), copy)


@tagged("post_install", "-at_install")
class TestPolicyCopies(PolicyCase):
    def issue(self, policy, **vals):
        return (
            self.env["aftersales.policy.copy"]
            .with_user(self.manager)
            .create({"policy_id": policy.id, **vals})
        )

    def test_copy_numbers_and_department_of_the_holder(self):
        policy = self.make_policy()
        first = self.issue(policy, holder_id=self.holder.id)
        second = self.issue(policy, department_id=self.other_department.id)
        self.assertTrue(first.name.startswith("CC-"))
        self.assertNotEqual(first.name, second.name)
        self.assertEqual(first.department_id, self.department)
        self.assertEqual(policy.copy_issued_count, 2)
        with self.assertRaises(ValidationError):
            self.issue(policy)

    def test_copies_only_of_published_revisions(self):
        draft = self.make_policy(publish=False)
        with self.assertRaises(UserError):
            self.issue(draft, holder_id=self.holder.id)

    def test_recall_on_change_of_post(self):
        policy = self.make_policy()
        copy = self.issue(policy, holder_id=self.holder.id)
        other = self.issue(policy, holder_id=self.holder2.id)
        # writing the same post changes nothing
        self.holder.write({"job_id": self.job_engineer.id})
        self.assertEqual(copy.state, "issued")
        self.holder.write({"job_id": self.job_clerk.id})
        self.assertEqual(copy.state, "recalled")
        self.assertEqual(copy.recall_reason, "The holder changed post.")
        # the day the recall was made, in the time zone of whoever made it (±1 day from UTC)
        self.assertLessEqual(abs((copy.recall_date - date.today()).days), 1)
        self.assertEqual(other.state, "issued")
        moved = self.issue(policy, holder_id=self.holder2.id, copy_type="uncontrolled")
        self.holder2.write({"department_id": self.other_department.id})
        self.assertEqual((other | moved).mapped("state"), ["recalled", "recalled"])

    def test_first_post_is_not_a_change_of_post(self):
        newcomer = self.env["hr.employee"].create({"name": "Wang Fang"})
        copy = self.issue(self.make_policy(), holder_id=newcomer.id)
        newcomer.write({"job_id": self.job_engineer.id, "department_id": self.department.id})
        self.assertEqual(copy.state, "issued")
        newcomer.write({"job_id": False})
        self.assertEqual(copy.state, "recalled")

    def test_recall_when_the_holder_leaves(self):
        policy = self.make_policy()
        copy = self.issue(policy, holder_id=self.holder.id)
        self.holder.action_archive()
        self.assertEqual(copy.state, "recalled")
        self.assertEqual(copy.recall_reason, "The holder left the company.")

    def test_manual_recall_needs_a_reason(self):
        copy = self.issue(self.make_policy(), department_id=self.department.id)
        with self.assertRaises(UserError):
            copy.with_user(self.manager).action_recall()
        copy.recall_reason = "Lost on site"
        copy.with_user(self.manager).action_recall()
        self.assertEqual(copy.state, "recalled")

    def test_publish_reissues_the_copies_of_the_former_revision(self):
        a0 = self.make_policy()
        held = self.issue(a0, holder_id=self.holder.id)
        dept = self.issue(a0, department_id=self.other_department.id, copy_type="uncontrolled")
        returned = self.issue(a0, holder_id=self.holder2.id)
        returned.recall_reason = "Returned"
        returned.with_user(self.manager).action_recall()
        a1 = self.revise(a0)
        self.publish(a1)
        self.assertEqual((held | dept).mapped("state"), ["recalled", "recalled"])
        self.assertEqual(held.recall_reason, "Superseded by revision A/1.")
        new = a1.copy_ids
        self.assertEqual(len(new), 2)
        self.assertEqual(set(new.mapped("state")), {"issued"})
        self.assertEqual(new.holder_id, self.holder)
        self.assertEqual(new.previous_copy_id, held | dept)
        self.assertEqual(
            new.filtered(lambda c: c.previous_copy_id == dept).copy_type, "uncontrolled"
        )
        # who holds which revision: only the current one is issued
        issued = self.env["aftersales.policy.copy"].search(
            [("policy_number", "=", a0.number), ("state", "=", "issued")]
        )
        self.assertEqual(set(issued.mapped("revision")), {"A/1"})

    def test_publish_with_copies_query_budget(self):
        a0 = self.make_policy()
        for employee in self.env["hr.employee"].create(
            [{"name": f"Holder {i}", "department_id": self.department.id} for i in range(10)]
        ):
            self.issue(a0, holder_id=employee.id)
        a1 = self.revise(a0)
        a1 = a1.with_user(self.manager)
        a1.action_submit()
        a1.action_approve()
        self.env.invalidate_all()
        # recalling and reissuing ten copies costs about as much as two
        with self.assertQueryCount(95):
            a1.action_publish()
        self.assertEqual(len(a1.copy_ids), 10)


@tagged("post_install", "-at_install")
class TestPolicyReview(PolicyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-06-30"):
            cls.policy = cls.make_policy()
        cls.activity_type = cls.env.ref("aftersales_service.mail_activity_type_policy_review")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Lvyuan Water Co.", "is_company": True}
        )
        # the demo policies, if any, are not what these tests count
        cls.env["aftersales.policy"].search([("id", "!=", cls.policy.id)]).write(
            {"review_reminded": True}
        )

    def activities(self, policy=None):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "aftersales.policy"),
                ("res_id", "=", (policy or self.policy).id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def run_job(self):
        self.env["aftersales.policy"]._cron_remind_review()

    def test_review_job_reminds_the_owner_once(self):
        self.assertEqual(self.policy.review_date, date(2027, 6, 30))
        with freeze_time("2027-05-30"):  # 31 days before
            self.run_job()
        self.assertFalse(self.activities())
        with freeze_time("2027-05-31"):
            self.run_job()
        activity = self.activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.approver)
        self.assertEqual(activity.date_deadline, date(2027, 6, 30))
        with freeze_time("2027-06-10"):
            self.run_job()
        self.assertEqual(len(self.activities()), 1)

    def test_review_job_falls_back_on_the_department_head(self):
        self.policy.approver_id = False
        with freeze_time("2027-06-01"):
            self.run_job()
        self.assertEqual(self.activities().user_id, self.head_user)

    def test_review_job_reminds_again_for_a_new_review_date(self):
        with freeze_time("2027-06-01"):
            self.run_job()
            self.policy.review_date = date(2027, 6, 20)
            self.run_job()
        # the owner's open reminder moves to the new date: no second reminder beside it
        activity = self.activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, date(2027, 6, 20))
        self.assertIn("2027-06-20", activity.summary)

    def test_review_job_ignores_drafts_and_obsolete(self):
        with freeze_time("2026-06-30"):
            draft = self.make_policy(number="T/FEE-01", publish=False)
        draft.review_date = date(2027, 6, 1)
        with freeze_time("2027-06-01"):
            self.run_job()
        self.assertFalse(self.activities(draft))

    def test_review_job_in_batches_query_budget(self):
        with freeze_time("2026-06-30"):
            for i in range(20):
                self.make_policy(number=f"T/B-{i:02d}")
        self.env.invalidate_all()
        # most of it is the assignment e-mail of each activity (about 35 queries a policy)
        with freeze_time("2027-06-01"), self.assertQueryCount(780):
            done = self.env["aftersales.policy"]._cron_remind_review(batch_size=50)
        self.assertEqual(done, 21)

    def new_review(self, **vals):
        return (
            self.env["aftersales.policy.review"]
            .with_user(self.user)
            .create(
                {
                    "policy_id": self.policy.id,
                    "date": date(2027, 6, 20),
                    "line_ids": [
                        Command.create(
                            {
                                "partner_id": self.customer.id,
                                "channel": "meeting",
                                "opinion": "Six months on seals is short.",
                            }
                        )
                    ],
                    **vals,
                }
            )
        )

    def test_review_confirmed_moves_the_review_date_a_year(self):
        review = self.new_review()
        self.assertEqual(review.organiser_id, self.user)
        review.action_confirm_policy()
        self.assertEqual(review.outcome, "confirmed")
        self.assertEqual(self.policy.review_date, date(2028, 6, 30))
        self.assertEqual(self.policy.state, "published")
        with self.assertRaises(UserError):
            review.action_confirm_policy()

    def test_review_revised_opens_the_new_revision(self):
        review = self.new_review()
        action = review.action_revise_policy()
        new = self.env["aftersales.policy"].browse(action["res_id"])
        self.assertEqual((new.revision, new.state), ("A/1", "draft"))
        self.assertEqual(review.new_revision_id, new)
        self.assertEqual(review.outcome, "revised")
        with self.assertRaises(UserError):
            review.action_revise_policy()


@tagged("post_install", "-at_install")
class TestPolicyVolume(PolicyCase, HttpCase):
    """An HttpCase: wkhtmltopdf fetches the report assets from the test server."""

    def test_bound_volume_renders_with_contents(self):
        warranty = self.make_policy(name="Warranty Periods 保修期")
        fees = self.make_policy(
            number="T/FEE-01",
            name="Repair Fee Standards",
            category_id=self.env.ref("aftersales_service.policy_category_fees").id,
            content="<p>维修收费标准：人工费按小时计。</p>",
        )
        self.make_policy(number="T/DRAFT-01", name="Not Yet Published", publish=False)
        action = self.env["aftersales.policy"].with_user(self.manager).action_print_published_set()
        self.assertEqual(
            action["report_name"], "aftersales_service.report_aftersales_policy_volume"
        )
        ids = action["context"]["active_ids"]
        self.assertIn(warranty.id, ids)
        self.assertIn(fees.id, ids)
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("aftersales_service.report_aftersales_policy_volume", ids)[
            0
        ].decode()
        self.assertIn("Contents", html)
        self.assertIn("Warranty Periods 保修期", html)
        self.assertIn("维修收费标准", html)
        self.assertNotIn("Not Yet Published", html)
        # the category of warranties comes before the one of fees, in the contents too
        self.assertLess(html.index("T/WAR-01"), html.index("T/FEE-01"))
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "aftersales_service.report_aftersales_policy_volume", [warranty.id, fees.id]
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestPolicyViews(PolicyCase):
    def test_views_load_for_each_role(self):
        for user in (self.employee, self.user, self.manager):
            for model in ("aftersales.policy", "aftersales.policy.copy"):
                views = (
                    self.env[model]
                    .with_user(user)
                    .get_views([(False, "list"), (False, "form"), (False, "search")])
                )
                self.assertEqual(set(views["views"]), {"list", "form", "search"})
        views = (
            self.env["aftersales.policy.review"]
            .with_user(self.user)
            .get_views([(False, "list"), (False, "form")])
        )
        self.assertIn("line_ids", views["views"]["form"]["arch"])

    def test_employees_reach_the_published_set(self):
        menu = self.env.ref("aftersales_service.menu_hr_aftersales_policy")
        Menu = self.env["ir.ui.menu"]
        self.assertIn(menu.id, Menu.with_user(self.employee)._visible_menu_ids())
        root = self.env.ref("aftersales_service.menu_aftersales_root")
        self.assertNotIn(root.id, Menu.with_user(self.employee)._visible_menu_ids())
        published = self.make_policy(number="T/EMP-01")
        self.make_policy(number="T/EMP-02", publish=False)
        action = self.env.ref("aftersales_service.action_aftersales_policy_published")
        domain = ast.literal_eval(action.domain) + [("number", "like", "T/EMP-")]
        self.assertEqual(
            self.env["aftersales.policy"].with_user(self.employee).search(domain), published
        )

    def test_form_sets_the_next_review(self):
        self.company.aftersales_policy_review_months = 12
        with Form(self.env["aftersales.policy"].with_user(self.user)) as form:
            form.number = "T/OUT-01"
            form.name = "Outlet Management Rules"
            form.category_id = self.env.ref("aftersales_service.policy_category_outlets")
            form.effective_date = date(2027, 1, 1)
            self.assertEqual(form.review_date, date(2028, 1, 1))
        self.assertEqual(form.record.revision, "A/0")

    def test_list_read_query_budget(self):
        for i in range(20):
            self.make_policy(number=f"T/L-{i:02d}")
        fields_list = ["number", "name", "revision", "category_id", "department_id", "state"]
        Policy = self.env["aftersales.policy"].with_user(self.employee)
        self.env.invalidate_all()
        with self.assertQueryCount(12):  # constant: it does not grow with the records
            Policy.search_read([("number", "like", "T/L-")], fields_list)
