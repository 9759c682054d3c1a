from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .scheduled_job import JOB_BATCH_SIZE, run_job, schedule_activities

# a record is handed in to the after-sales department within 2 days after return (domain.md §4)
SUBMISSION_DAYS = 2
# fields the mail thread and the overdue job may still write on a handed-in record
UNLOCKED_FIELDS = {"overdue_notified", "message_main_attachment_id", "access_token"}


class AftersalesServiceRecord(models.Model):
    """An on-site after-sales service record (售后服务纪录), signed by the customer."""

    _name = "aftersales.service.record"
    _description = "After-Sales Service Record"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Request",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="ticket_id.partner_id", store=True, string="Customer")
    commercial_partner_id = fields.Many2one(
        related="ticket_id.commercial_partner_id", store=True, index=True
    )
    product_id = fields.Many2one(related="ticket_id.product_id", string="Product")
    lot_id = fields.Many2one(related="ticket_id.lot_id", string="Serial / Lot")
    technician_ids = fields.Many2many(
        "res.users",
        string="Technicians",
        required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        tracking=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Handed In")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    planned_start = fields.Datetime(string="Planned Visit Start")
    planned_end = fields.Datetime(string="Planned Visit End")
    visit_start = fields.Datetime(tracking=True)
    visit_end = fields.Datetime(tracking=True)
    work_done = fields.Html()
    location_id = fields.Many2one(
        "stock.location",
        string="Parts Taken From",
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
        check_company=True,
        help="The technician's or the service van's stock location the parts come from.",
    )
    part_ids = fields.One2many(
        "aftersales.service.record.part", "record_id", string="Parts Used", copy=True
    )
    move_ids = fields.One2many("stock.move", "aftersales_service_record_id", string="Stock Moves")
    customer_opinion = fields.Text()
    signature = fields.Image(
        string="Customer Signature", copy=False, attachment=True, max_width=1024, max_height=1024
    )
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)
    return_date = fields.Datetime(
        string="Returned On",
        tracking=True,
        help="When the technicians came back from the visit; the record is due 2 days later.",
    )
    submission_deadline = fields.Datetime(
        string="Hand In By", compute="_compute_submission", store=True, index=True
    )
    submitted_date = fields.Datetime(
        string="Handed In On", readonly=True, copy=False, tracking=True
    )
    is_late_submission = fields.Boolean(
        string="Handed In Late", compute="_compute_submission", store=True
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Not handed in within 2 days after the return.",
    )
    overdue_notified = fields.Boolean(
        copy=False,
        index=True,
        help="The technicians were given an activity for the overdue record.",
    )

    _sql_constraints = [
        (
            "visit_order",
            "CHECK(visit_end IS NULL OR visit_start IS NULL OR visit_end >= visit_start)",
            "The visit cannot end before it starts.",
        ),
    ]

    @api.depends("return_date", "submitted_date")
    def _compute_submission(self):
        for record in self:
            deadline = record.return_date and record.return_date + timedelta(days=SUBMISSION_DAYS)
            record.submission_deadline = deadline
            record.is_late_submission = bool(
                deadline and record.submitted_date and record.submitted_date > deadline
            )

    @api.depends_context("uid")
    @api.depends("submission_deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for record in self:
            record.is_overdue = bool(
                record.state == "draft"
                and record.submission_deadline
                and record.submission_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue service records."))
        domain = [("state", "=", "draft"), ("submission_deadline", "<", fields.Datetime.now())]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.constrains("visit_end", "return_date")
    def _check_return_after_visit(self):
        for record in self:
            if record.visit_end and record.return_date and record.return_date < record.visit_end:
                raise ValidationError(
                    self.env._("The technicians cannot return before the visit ends.")
                )

    # ---------------------------------------------------------------------------------------
    # ORM
    # ---------------------------------------------------------------------------------------
    # the one create and the one write of the record; the fee and policy files are plain
    # extensions whose checks and follow-ups are called from here
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("charge_override") for vals in vals_list):
            self._check_charge_override_right()
        sequence = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("aftersales.service.record") or "/"
            if vals.get("signature") and not vals.get("signed_on"):
                vals["signed_on"] = fields.Datetime.now()
        records = super().create(vals_list)
        records._apply_fee_policy()
        return records

    def write(self, vals):
        if "charge_override" in vals:
            self._check_charge_override_right()
        locked = set(vals) - UNLOCKED_FIELDS
        if locked and not self.env.context.get("aftersales_submitting"):
            handed_in = self.filtered(lambda r: r.state == "submitted")
            if handed_in:
                raise UserError(
                    self.env._(
                        "Service record %s was handed in: it is archived as signed and can no "
                        "longer be changed.",
                        handed_in[0].name,
                    )
                )
        if vals.get("signature") and "signed_on" not in vals:
            vals = dict(vals, signed_on=fields.Datetime.now())
        result = super().write(vals)
        if "ticket_id" in vals or "company_id" in vals:
            self._apply_fee_policy()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(record.state == "submitted" for record in self):
            raise UserError(self.env._("A handed-in service record cannot be deleted."))

    def _check_not_handed_in(self):
        handed_in = self.filtered(lambda r: r.state == "submitted")
        if handed_in:
            raise UserError(
                self.env._(
                    "Service record %s was handed in: its parts can no longer be changed.",
                    handed_in[0].name,
                )
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for record in self:
            record.access_url = f"/my/service_records/{record.id}"

    # ---------------------------------------------------------------------------------------
    # hand-in
    # ---------------------------------------------------------------------------------------
    def action_submit(self):
        """Hand the signed record in: consume its parts and lock it."""
        for record in self:
            if record.state != "draft":
                raise UserError(self.env._("Service record %s is already handed in.", record.name))
            if not record.signature:
                raise UserError(
                    self.env._(
                        "Service record %s has no customer signature: have the customer sign "
                        "it before handing it in.",
                        record.name,
                    )
                )
            if record.part_ids and not record.location_id:
                raise UserError(
                    self.env._(
                        "Service record %s: give the technician's or van's location the parts "
                        "were taken from.",
                        record.name,
                    )
                )
        now = fields.Datetime.now()
        self._consume_parts()
        for record in self:
            record.with_context(aftersales_submitting=True).write(
                {
                    "state": "submitted",
                    "submitted_date": now,
                    "return_date": record.return_date or now,
                }
            )
        # the overdue reminder goes once no record of the request is still overdue
        done_tickets = self.ticket_id.filtered(
            lambda t: (
                not t.service_record_ids.filtered(
                    lambda r: r.state == "draft" and r.overdue_notified
                )
            )
        )
        if done_tickets:
            done_tickets.activity_unlink(
                ["aftersales_service.mail_activity_type_service_record_overdue"]
            )
        return True

    def _consume_parts(self):
        """One done stock move per part line, from the technician's location to the customer."""
        move_vals = []
        lines = self.env["aftersales.service.record.part"]
        for record in self:
            customer_location = record.partner_id.property_stock_customer or self.env.ref(
                "stock.stock_location_customers"
            )
            for line in record.part_ids:
                lines |= line
                move_line = {
                    "product_id": line.product_id.id,
                    "product_uom_id": line.product_uom_id.id,
                    "quantity": line.quantity,
                    "lot_id": line.lot_id.id,
                    "location_id": record.location_id.id,
                    "location_dest_id": customer_location.id,
                    "company_id": record.company_id.id,
                }
                move_vals.append(
                    {
                        "name": f"{record.name}: {line.product_id.display_name}",
                        "origin": record.name,
                        "product_id": line.product_id.id,
                        "product_uom": line.product_uom_id.id,
                        "product_uom_qty": line.quantity,
                        "location_id": record.location_id.id,
                        "location_dest_id": customer_location.id,
                        "partner_id": record.partner_id.id,
                        "company_id": record.company_id.id,
                        "aftersales_service_record_id": record.id,
                        "move_line_ids": [Command.create(move_line)],
                        "picked": True,
                    }
                )
        if not move_vals:
            return
        # sudo: technicians hand records in without inventory rights; the moves only book the
        # parts they used, checked above against the record they may write
        moves = self.env["stock.move"].sudo().create(move_vals)
        moves._action_confirm(merge=False)
        moves._action_done()
        for line, move in zip(lines, moves, strict=True):
            line.with_context(aftersales_submitting=True).move_id = move.id

    def action_print(self):
        return self.env.ref("aftersales_service.action_report_service_record").report_action(self)

    def action_send_for_signature(self):
        """Post the portal link where the customer reads and signs the record."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("The request has no customer to sign the record."))
        self._portal_ensure_token()
        self.message_post(
            body=self.env._(
                "Please read and sign the service record online: %s",
                self.get_base_url() + self.get_portal_url(),
            ),
            partner_ids=self.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        return True

    # ---------------------------------------------------------------------------------------
    # overdue job
    # ---------------------------------------------------------------------------------------
    @api.model
    def _cron_flag_overdue(self, batch_size=JOB_BATCH_SIZE):
        """Give the technicians of records not handed in on time an activity on the request.

        A batched, lock-safe job (scheduled_job.run_job): the flag makes each record flagged
        once, even when two workers run the job at the same time.
        """
        records = run_job(
            self,
            [("is_overdue", "=", True)],
            "_give_overdue_activities",
            batch_size=batch_size,
            flag="overdue_notified",
        )
        return len(records)

    def _give_overdue_activities(self):
        # one activity per request and technician, naming the records they owe
        owed = defaultdict(list)
        for record in self:
            for technician in record.technician_ids:
                owed[record.ticket_id, technician].append(record.name)
        today = fields.Date.context_today(self)
        schedule_activities(
            self.env["aftersales.ticket"].concat(*(ticket for ticket, _user in owed)),
            [
                {
                    "user_id": technician.id,
                    "summary": self.env._("Hand in service record %s", ", ".join(names)),
                    "date_deadline": today,
                }
                for (_ticket, technician), names in owed.items()
            ],
            self.env.ref("aftersales_service.mail_activity_type_service_record_overdue"),
        )


class AftersalesServiceRecordPart(models.Model):
    """A part used on site, consumed from the technician's stock (itemised, domain.md §6)."""

    _name = "aftersales.service.record.part"
    _description = "Service Record Part"
    _check_company_auto = True

    record_id = fields.Many2one(
        "aftersales.service.record", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="record_id.company_id", store=True)
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        domain="[('type', '=', 'consu')]",
        check_company=True,
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    product_uom_id = fields.Many2one(
        "uom.uom",
        string="Unit",
        compute="_compute_product_uom_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('category_id', '=', product_uom_category_id)]",
    )
    product_uom_category_id = fields.Many2one(related="product_id.uom_id.category_id")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial / Lot",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    move_id = fields.Many2one("stock.move", readonly=True, copy=False)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity of a part must be positive."),
    ]

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            line.product_uom_id = line.product_id.uom_id

    @api.model_create_multi
    def create(self, vals_list):
        records = self.env["aftersales.service.record"].browse(
            vals["record_id"] for vals in vals_list if vals.get("record_id")
        )
        records._check_not_handed_in()
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.context.get("aftersales_submitting"):
            self.record_id._check_not_handed_in()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_handed_in(self):
        self.record_id._check_not_handed_in()
