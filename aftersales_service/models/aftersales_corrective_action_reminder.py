from odoo import api, fields, models

from .reminder_window import due_within_notice
from .scheduled_job import JOB_BATCH_SIZE, run_job, schedule_activities


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

    @api.model
    def _reminder_domain(self):
        return due_within_notice(
            self,
            [
                ("state", "in", ("draft", "confirmed")),
                ("deadline", "!=", False),
                ("user_id", "!=", False),
            ],
            "deadline",
            lambda company: company.aftersales_action_reminder_days,
        )

    @api.model
    def _cron_remind_owners(self, batch_size=JOB_BATCH_SIZE):
        """Give the owners of open actions due soon an activity, in batches.

        A batched, lock-safe job (scheduled_job.run_job): two workers never remind the same
        action twice; the date is cleared when the deadline changes, so each deadline is
        reminded once.
        """
        actions = run_job(
            self,
            self._reminder_domain(),
            "_give_deadline_activities",
            batch_size=batch_size,
            order="deadline, id",
            flag="reminded_date",
        )
        return len(actions)

    def _give_deadline_activities(self):
        schedule_activities(
            self,
            [
                {
                    "user_id": action.user_id.id,
                    "summary": self.env._("Action due on %s", action.deadline),
                    "date_deadline": action.deadline,
                }
                for action in self
            ],
            self.env.ref("aftersales_service.mail_activity_type_action_deadline"),
        )
