# The suite keeps each feature of a shared model in its own file (controlled copies here).
# pylint: disable=consider-merging-classes-inherited
from odoo import models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    def write(self, vals):
        changed_post = left = self.browse()
        if "job_id" in vals or "department_id" in vals:
            # a first job position or department is taking a post, not changing it
            changed_post = self.filtered(
                lambda e: (
                    ("job_id" in vals and e.job_id and e.job_id.id != vals["job_id"])
                    or (
                        "department_id" in vals
                        and e.department_id
                        and e.department_id.id != vals["department_id"]
                    )
                )
            )
        if "active" in vals and not vals["active"]:
            left = self.filtered("active")
        res = super().write(vals)
        if left or changed_post:
            self._recall_policy_copies(left, changed_post - left)
        return res

    def _recall_policy_copies(self, left, changed_post):
        # HR officers need not have access to the copies: the recall follows from their change
        copies = (
            self.env["aftersales.policy.copy"]
            .sudo()
            .with_context(active_test=False)
            .search([("holder_id", "in", (left | changed_post).ids), ("state", "=", "issued")])
        )
        if not copies:
            return
        left_copies = copies.filtered(lambda c: c.holder_id in left)
        left_copies.action_recall(reason=self.env._("The holder left the company."))
        (copies - left_copies).action_recall(reason=self.env._("The holder changed post."))
