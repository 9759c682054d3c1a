# The suite keeps each feature of a shared model in its own file (the customer's consent here).
# pylint: disable=consider-merging-classes-inherited
from odoo import models
from odoo.exceptions import UserError


class AftersalesServiceRecord(models.Model):
    """The customer signs the record and accepts its charges: on the portal or by token link,
    or on the device of the outlet's engineer. Both go through these methods."""

    _inherit = "aftersales.service.record"

    def _sign(self, name, signature, note):
        """The customer ``name`` signs these draft records with ``signature`` (a base64 image);
        ``note`` goes to the chatter. The caller has checked who may have them signed."""
        name = (name or "").strip()
        if not name or not signature:
            raise UserError(self.env._("Sign the record and give the signer's name."))
        if any(record.state != "draft" or record.signature for record in self):
            raise UserError(self.env._("This service record is already signed."))
        self.write({"signature": signature, "signed_by": name})
        for record in self:
            record.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True

    def _accept_charges(self, name, note):
        """The customer ``name`` accepts the itemised charges of these draft records before the
        work starts; ``note`` goes to the chatter. The caller has checked who may do it."""
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Give the name of the customer accepting the charges."))
        if any(record.state != "draft" or not record.amount_total for record in self):
            raise UserError(self.env._("This service record has no charges to accept."))
        self.write({"quotation_accepted_by": name})
        self.action_accept_quotation()
        for record in self:
            record.message_post(body=note, subtype_xmlid="mail.mt_note")
        return True
