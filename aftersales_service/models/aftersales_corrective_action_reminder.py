from odoo import api, fields, models

from .reminder_window import due_within_notice


class AftersalesCorrectiveAction(models.Model):
    _inherit = "aftersales.corrective.action"

    reminded_date = fields.Date(
        string="Owner Reminded On",
        readonly=True,
        copy=False,
        index=True,
        help="When the owner got the activity reminding them of the deadline; cleared when the "
        "deadline changes.",
    )

    def write(self, vals):
        if "deadline" in vals and "reminded_date" not in vals:
            vals = dict(vals, reminded_date=False)
        return super().write(vals)

    @api.model
    def _reminder_domain(self):
        return due_within_notice(
            self,
            [
                ("state", "in", ("draft", "confirmed")),
                ("deadline", "!=", False),
                ("reminded_date", "=", False),
                ("user_id", "!=", False),
            ],
            "deadline",
            lambda company: company.aftersales_action_reminder_days,
        )

    @api.model
    def _cron_remind_owners(self, batch_size=200):
        """Give the owners of open actions due soon an activity, in batches.

        Rows are locked with SKIP LOCKED so that two workers never remind the same action twice;
        the cron runner commits between batches.
        """
        domain = self._reminder_domain()
        candidates = self.search(domain, limit=batch_size, order="deadline, id")
        if not candidates:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return 0
        self.env.cr.execute(
            "SELECT id FROM aftersales_corrective_action WHERE id IN %s "
            "AND reminded_date IS NULL FOR UPDATE SKIP LOCKED",
            (tuple(candidates.ids),),
        )
        actions = self.browse(row[0] for row in self.env.cr.fetchall())
        today = fields.Date.context_today(self)
        actions.write({"reminded_date": today})
        activity_type = self.env.ref("aftersales_service.mail_activity_type_action_deadline")
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create(  # owners may not follow the action
            [
                {
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "activity_type_id": activity_type.id,
                    "user_id": action.user_id.id,
                    "summary": self.env._("Action due on %s", action.deadline),
                    "date_deadline": action.deadline,
                }
                for action in actions
            ]
        )
        remaining = self.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(actions), remaining=remaining)
        return len(actions)
