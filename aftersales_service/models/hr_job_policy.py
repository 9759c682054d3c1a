# The suite keeps each feature of a shared model in its own file (training here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class HrJob(models.Model):
    _inherit = "hr.job"

    aftersales_policy_ids = fields.Many2many(
        "aftersales.policy",
        "aftersales_policy_hr_job_rel",
        "job_id",
        "policy_id",
        string="Required Policies",
        domain="[('state', '=', 'published'), ('company_id', '=', company_id)]",
        help="Service policies the holders of this position must be trained on before taking "
        "the post. A new revision of a policy replaces the former one here when it is "
        "published, so the holders must be trained again.",
    )
