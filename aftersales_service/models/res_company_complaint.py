# The suite keeps each feature of a shared model in its own file (complaint handling here).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_approval_department_ids = fields.Many2many(
        "hr.department",
        "res_company_aftersales_approval_department_rel",
        "company_id",
        "department_id",
        string="Departments Approving Severe Complaints",
        help="Each of these departments approves the final solution of a severe complaint "
        "before it is carried out (报各部门审批).",
    )
    aftersales_action_reminder_days = fields.Integer(
        string="Remind Action Owners (days before the deadline)",
        default=3,
        help="The owner of an open corrective or preventive action gets an activity this many "
        "days before its deadline.",
    )
