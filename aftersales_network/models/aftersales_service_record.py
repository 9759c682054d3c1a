from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# what an outlet's portal user fills in on a service record of its outlet
OUTLET_EDITABLE_FIELDS = (
    "visit_start",
    "visit_end",
    "return_date",
    "work_done",
    "customer_opinion",
)


class AftersalesServiceRecord(models.Model):
    _name = "aftersales.service.record"
    _inherit = ["aftersales.service.record", "aftersales.outlet.access.mixin"]

    outlet_id = fields.Many2one(
        "aftersales.outlet",
        related="ticket_id.outlet_id",
        store=True,
        index="btree_not_null",
        string="Outlet",
        help="The service outlet the request was dispatched to.",
    )

    def _get_report_base_filename(self):
        """The PDF's file name when the outlet portal serves it."""
        self.ensure_one()
        return self.env._("Service Record %(name)s", name=self.name)

    def action_outlet_update(self, values):
        """The outlet fills in the visit, the work done and the customer's opinion."""
        self._check_outlet_user()
        vals = {key: values[key] or False for key in OUTLET_EDITABLE_FIELDS if key in values}
        if vals:
            # sudo: outlet users change only these fields, of records of their own outlet
            # (checked above); the record's own rules (hand-in lock, visit order) still apply
            self.sudo().write(vals)
        return True

    def action_outlet_sign(self, name, signature):
        """The customer signs the record on the outlet engineer's device."""
        self._check_outlet_user()
        name = (name or "").strip()
        # sudo: see action_outlet_update
        return self.sudo()._sign(
            name,
            signature,
            self.env._("Service record signed by %(name)s on the outlet's device.", name=name),
        )

    def action_outlet_accept_charges(self, name):
        """The customer accepts the itemised charges on site, before the work starts."""
        self._check_outlet_user()
        name = (name or "").strip()
        # sudo: see action_outlet_update
        return self.sudo()._accept_charges(
            name,
            self.env._("Charges accepted by %(name)s on the outlet's device.", name=name),
        )

    def action_outlet_add_part(self, default_code, quantity):
        """The outlet records a part it used, by the part's internal reference."""
        self.ensure_one()
        self._check_outlet_user()
        if self.state != "draft":
            raise UserError(self.env._("Service record %(name)s was handed in.", name=self.name))
        code = (default_code or "").strip()
        try:
            quantity = float(quantity or 0)
        except ValueError:
            quantity = 0.0
        if quantity <= 0:
            raise UserError(self.env._("The quantity of a part must be positive."))
        # sudo: outlet users read neither the product catalogue nor the stock locations; only
        # a consumable of the record's company is taken, by its exact reference
        record = self.sudo()
        product = (
            self.env["product.product"]
            .sudo()
            .search(
                [
                    ("default_code", "=", code),
                    ("type", "=", "consu"),
                    ("company_id", "in", [record.company_id.id, False]),
                ],
                limit=1,
            )
            if code
            else self.env["product.product"]
        )
        if not product:
            raise UserError(self.env._("No part has the internal reference %(code)s.", code=code))
        location = record.location_id or record.outlet_id.stock_location_id
        if not location:
            raise UserError(
                self.env._(
                    "Your outlet has no parts stock at the company: ask the company to record "
                    "the parts of this service."
                )
            )
        record.write(
            {
                "location_id": location.id,
                "part_ids": [Command.create({"product_id": product.id, "quantity": quantity})],
            }
        )
        return True

    def action_outlet_remove_part(self, part_id):
        self.ensure_one()
        self._check_outlet_user()
        # sudo: see action_outlet_add_part; the part line refuses changes once handed in
        self.sudo().part_ids.filtered(lambda p: p.id == part_id).unlink()
        return True

    def action_outlet_submit(self):
        """Hand the record in under the rules of the service record (signature, charges)."""
        self._check_outlet_user()
        # sudo: the hand-in books stock moves and reads the customer's stock location, which
        # outlet users may not; the user's right to this record was checked just above
        return self.sudo().action_submit()

    @api.model
    def _outlet_create_for_ticket(self, ticket):
        """A new service record for an accepted request of the user's outlet."""
        ticket._check_outlet_user()
        if ticket.outlet_status != "accepted":
            raise UserError(self.env._("Accept the request before writing its service record."))
        # sudo: the record's reference comes from a sequence portal users cannot read; the
        # request was checked above to be dispatched to and accepted by the user's outlet
        # the outlet's responsible at the company follows the hand-in (overdue reminders)
        technician = ticket.sudo().outlet_id.user_id or self.env.user
        record = self.sudo().create(
            {
                "ticket_id": ticket.id,
                "technician_ids": [Command.set(technician.ids)],
                "location_id": ticket.sudo().outlet_id.stock_location_id.id,
            }
        )
        return record.with_env(self.env)


class AftersalesServiceRecordPart(models.Model):
    _inherit = "aftersales.service.record.part"

    outlet_id = fields.Many2one(
        related="record_id.outlet_id", store=True, index="btree_not_null", string="Outlet"
    )
