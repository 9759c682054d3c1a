# The suite keeps each origin of a corrective action in its own file (nonconformities here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models
from odoo.exceptions import UserError

# states of the report in which its actions may be carried out
CONFIRMED_NCR_STATES = ("confirmed", "verified", "closed")


class AftersalesCorrectiveAction(models.Model):
    _inherit = "aftersales.corrective.action"

    nonconformity_id = fields.Many2one(
        "aftersales.nonconformity",
        string="Nonconformity Report",
        index="btree_not_null",
        check_company=True,
        ondelete="cascade",
        help="The nonconformity report this action answers; it is carried out once the "
        "After-Sales manager confirmed the report.",
    )

    def _check_nonconformity_confirmed(self):
        waiting = self.filtered(
            lambda a: a.nonconformity_id and a.nonconformity_id.state not in CONFIRMED_NCR_STATES
        )
        if waiting:
            raise UserError(
                self.env._(
                    "%(actions)s answer a nonconformity report whose actions the After-Sales "
                    "manager has not confirmed yet: confirm the report first.",
                    actions=", ".join(waiting.mapped("name")),
                )
            )

    def action_confirm(self):
        self._check_nonconformity_confirmed()
        return super().action_confirm()

    def action_done(self):
        self._check_nonconformity_confirmed()
        return super().action_done()
