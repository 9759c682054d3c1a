from odoo import fields, models

from .aftersales_certificate import STAR_LEVELS


class AftersalesCertificateHistory(models.Model):
    """The former printed data of a certificate, kept at each change."""

    _name = "aftersales.certificate.history"
    _description = "Certificate History"
    _order = "change_date desc, id desc"

    certificate_id = fields.Many2one(
        "aftersales.certificate", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="certificate_id.company_id", store=True, index=True)
    change_date = fields.Datetime(string="Changed On", default=fields.Datetime.now, required=True)
    user_id = fields.Many2one("res.users", string="Changed By")
    application_id = fields.Many2one(
        "aftersales.certification.application",
        string="Change Application",
        ondelete="set null",
        help="The approved application that changed the certificate, if any.",
    )
    changed_fields = fields.Char(string="Changed")
    old_number = fields.Char(string="Former Number")
    old_registered_name = fields.Char(string="Former Registered Name")
    old_registered_code = fields.Char(string="Former Unified Social Credit Code")
    old_registered_address = fields.Char(string="Former Registered Address")
    old_scope = fields.Text(string="Former Scope")
    old_star_level = fields.Selection(STAR_LEVELS, string="Former Star Level")
    old_issue_date = fields.Date(string="Former Issue Date")
    old_expiry_date = fields.Date(string="Former Expiry Date")
