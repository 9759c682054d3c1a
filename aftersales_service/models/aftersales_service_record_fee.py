# The suite keeps each feature of a shared model in its own file (fees here).
# pylint: disable=consider-merging-classes-inherited
from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError


class AftersalesServiceRecord(models.Model):
    _inherit = "aftersales.service.record"

    currency_id = fields.Many2one(related="company_id.currency_id")
    warranty_state = fields.Selection(related="ticket_id.warranty_state")
    charge_override = fields.Boolean(
        string="Charge Under Warranty",
        tracking=True,
        copy=False,
        help="A manager decided that this work under warranty is charged (e.g. damage by the "
        "user); the reason is required.",
    )
    charge_override_reason = fields.Text(tracking=True, copy=False)
    is_chargeable = fields.Boolean(
        compute="_compute_is_chargeable",
        store=True,
        help="Out of warranty, or charged under warranty by a manager's decision.",
    )
    labour_price = fields.Monetary(
        compute="_compute_labour_price",
        store=True,
        readonly=False,
        precompute=True,
        help="From the repair fee standard of the request's kind.",
    )
    amount_labour = fields.Monetary(string="Labour Charged", compute="_compute_amounts", store=True)
    amount_parts = fields.Monetary(string="Parts Charged", compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(string="Total Charged", compute="_compute_amounts", store=True)
    quotation_accepted_date = fields.Datetime(
        string="Charges Accepted On", readonly=True, copy=False, tracking=True
    )
    quotation_accepted_by = fields.Char(string="Charges Accepted By", copy=False)
    quotation_accepted_amount = fields.Monetary(
        string="Amount Accepted",
        readonly=True,
        copy=False,
        help="The total the customer accepted; charges above it need a new acceptance.",
    )
    invoice_id = fields.Many2one("account.move", readonly=True, copy=False)

    @api.depends("ticket_id.warranty_state", "charge_override")
    def _compute_is_chargeable(self):
        for record in self:
            record.is_chargeable = (
                record.ticket_id.warranty_state == "out_of_warranty" or record.charge_override
            )

    @api.depends("ticket_id.ticket_type_id", "company_id")
    def _compute_labour_price(self):
        standards = self.env["aftersales.fee.standard"].search(
            [
                ("ticket_type_id", "in", self.ticket_id.ticket_type_id.ids),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        price = {(s.ticket_type_id, s.company_id): s.labour_price for s in standards}
        for record in self:
            record.labour_price = price.get(
                (record.ticket_id.ticket_type_id, record.company_id), 0.0
            )

    @api.depends("is_chargeable", "labour_price", "part_ids.price_subtotal")
    def _compute_amounts(self):
        for record in self:
            record.amount_labour = record.labour_price if record.is_chargeable else 0.0
            record.amount_parts = sum(record.part_ids.mapped("price_subtotal"))
            record.amount_total = record.amount_labour + record.amount_parts

    @api.constrains("charge_override", "charge_override_reason")
    def _check_charge_override_reason(self):
        for record in self:
            if record.charge_override and not (record.charge_override_reason or "").strip():
                raise ValidationError(
                    self.env._("Give the reason for charging work under warranty.")
                )

    @api.model
    def _check_charge_override_right(self):
        if not self.env.user.has_group("aftersales_service.group_aftersales_manager"):
            raise UserError(self.env._("Only a manager may charge work under warranty."))

    def action_accept_quotation(self):
        """Record that the customer accepted the charges before the work starts."""
        for record in self:
            record.write(
                {
                    "quotation_accepted_date": fields.Datetime.now(),
                    "quotation_accepted_by": record.quotation_accepted_by or record.partner_id.name,
                    "quotation_accepted_amount": record.amount_total,
                }
            )
        return True

    def _unaccepted_charges(self):
        """Chargeable records whose current total the customer has not accepted."""
        return self.filtered(
            lambda r: (
                r.amount_total
                and (
                    not r.quotation_accepted_date
                    or r.currency_id.compare_amounts(r.amount_total, r.quotation_accepted_amount)
                    > 0
                )
            )
        )

    @api.constrains("visit_start")
    def _check_quotation_before_work(self):
        """Out of warranty, the work starts only once the customer accepted the quotation."""
        for record in self.filtered("visit_start")._unaccepted_charges():
            if record.state != "draft":
                continue
            raise ValidationError(
                self.env._(
                    "Service record %(record)s charges %(amount)s that the customer has not "
                    "accepted: have the customer accept the quotation before the work starts.",
                    record=record.name,
                    amount=record.amount_total,
                )
            )

    def action_submit(self):
        for record in self._unaccepted_charges():
            raise UserError(
                self.env._(
                    "Service record %(record)s charges %(amount)s that the customer has not "
                    "accepted: have the customer accept the charges before handing it in.",
                    record=record.name,
                    amount=record.amount_total,
                )
            )
        return super().action_submit()

    def action_create_invoice(self):
        """Invoice the itemised charges: the labour line and one line per part."""
        self.ensure_one()
        if self.invoice_id:
            raise UserError(self.env._("Service record %s is already invoiced.", self.name))
        if not self.amount_total:
            raise UserError(self.env._("Service record %s charges nothing.", self.name))
        lines = []
        if self.amount_labour:
            lines.append(
                Command.create(
                    {
                        "name": self.env._(
                            "Labour: %(kind)s (%(record)s)",
                            kind=self.ticket_id.ticket_type_id.name,
                            record=self.name,
                        ),
                        "quantity": 1,
                        "price_unit": self.amount_labour,
                    }
                )
            )
        for part in self.part_ids.filtered("price_subtotal"):
            lines.append(
                Command.create(
                    {
                        "product_id": part.product_id.id,
                        "name": part.product_id.display_name,
                        "quantity": part.quantity,
                        "product_uom_id": part.product_uom_id.id,
                        "price_unit": part.price_unit,
                    }
                )
            )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "invoice_origin": self.name,
                "invoice_line_ids": lines,
            }
        )
        self.with_context(aftersales_submitting=True).invoice_id = invoice
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
        }


class AftersalesServiceRecordPart(models.Model):
    _inherit = "aftersales.service.record.part"

    currency_id = fields.Many2one(related="record_id.currency_id")
    price_unit = fields.Monetary(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_subtotal = fields.Monetary(
        string="Charged", compute="_compute_price_subtotal", store=True
    )

    @api.depends("product_id")
    def _compute_price_unit(self):
        for line in self:
            line.price_unit = line.product_id.lst_price

    @api.depends("price_unit", "quantity", "record_id.is_chargeable")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = (
                line.price_unit * line.quantity if line.record_id.is_chargeable else 0.0
            )
