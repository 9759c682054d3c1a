import math
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PLAN_STATES = [("draft", "Draft"), ("confirmed", "Confirmed"), ("closed", "Closed")]


class AftersalesPartsPlan(models.Model):
    """Spare-parts planning (配件筹供) for a product model and a production phase (§6).

    Each part's ratio is the model's defect rate adjusted by the part's wear rate; the planned
    quantity is the production volume times the ratio, rounded up. Consumption by service
    records and repairs gives the leftover ratio (剩余系数) and the forecast of the remaining
    need before the last phase.
    """

    _name = "aftersales.parts.plan"
    _description = "Spare-Parts Plan"
    _inherit = ["mail.thread"]
    _order = "product_tmpl_id, date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product Model", required=True, index=True, tracking=True
    )
    phase = fields.Char(string="Production Phase", required=True, tracking=True)
    date_start = fields.Date(
        string="Phase Start", required=True, default=fields.Date.context_today, tracking=True
    )
    date_end = fields.Date(string="Phase End", tracking=True)
    production_qty = fields.Integer(string="Production Volume", required=True, tracking=True)
    remaining_production_qty = fields.Integer(
        string="Production Still to Come",
        help="Units of the model still to be produced in the later phases, the last one "
        "included: the forecast of the remaining need is made for them.",
    )
    defect_rate = fields.Float(
        string="Defect Rate (%)",
        digits=(16, 3),
        required=True,
        default=0.5,
        tracking=True,
        help="Expected share of the units that fail, in percent (e.g. 0.5).",
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        default=lambda self: self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ),
        help="Where the parts are stocked and replenished.",
    )
    state = fields.Selection(PLAN_STATES, default="draft", required=True, tracking=True)
    line_ids = fields.One2many("aftersales.parts.plan.line", "plan_id", string="Parts", copy=True)
    planned_total = fields.Integer(compute="_compute_totals", string="Planned Parts")
    consumed_total = fields.Float(compute="_compute_totals", string="Parts Consumed")
    leftover_ratio = fields.Float(
        compute="_compute_totals",
        string="Leftover Ratio (%)",
        help="Share of the planned parts not consumed (剩余系数).",
    )

    _sql_constraints = [
        (
            "production_positive",
            "CHECK(production_qty > 0)",
            "The production volume must be positive.",
        ),
        (
            "defect_rate_range",
            "CHECK(defect_rate >= 0 AND defect_rate <= 100)",
            "The defect rate is a percentage between 0 and 100.",
        ),
    ]

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for plan in self:
            if plan.date_end and plan.date_end < plan.date_start:
                raise ValidationError(self.env._("A phase cannot end before it starts."))

    @api.depends("line_ids.planned_qty", "line_ids.consumed_qty")
    def _compute_totals(self):
        for plan in self:
            plan.planned_total = sum(plan.line_ids.mapped("planned_qty"))
            plan.consumed_total = sum(plan.line_ids.mapped("consumed_qty"))
            plan.leftover_ratio = (
                100.0 * (plan.planned_total - plan.consumed_total) / plan.planned_total
                if plan.planned_total
                else 0.0
            )

    def action_confirm(self):
        self.filtered(lambda p: p.state == "draft").write({"state": "confirmed"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_draft(self):
        self.write({"state": "draft"})

    def action_replenish(self):
        """Put the planned parts into Odoo's replenishment: one manual order point per part
        at the plan's warehouse, asking for what the plan needs beyond the stock."""
        self.ensure_one()
        if not self.warehouse_id:
            raise UserError(self.env._("Choose the warehouse the parts are stocked in."))
        if not self.line_ids:
            raise UserError(self.env._("The plan has no parts to replenish."))
        Orderpoint = self.env["stock.warehouse.orderpoint"]
        location = self.warehouse_id.lot_stock_id
        existing = {
            point.product_id: point
            for point in Orderpoint.with_context(active_test=False).search(
                [
                    ("product_id", "in", self.line_ids.product_id.ids),
                    ("location_id", "=", location.id),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        }
        to_create = []
        for line in self.line_ids:
            values = {"product_min_qty": line.planned_qty, "product_max_qty": line.planned_qty}
            if line.product_id in existing:
                existing[line.product_id].write(dict(values, active=True))
            else:
                to_create.append(
                    dict(
                        values,
                        product_id=line.product_id.id,
                        warehouse_id=self.warehouse_id.id,
                        location_id=location.id,
                        company_id=self.company_id.id,
                        trigger="manual",
                    )
                )
        points = Orderpoint.create(to_create) | Orderpoint.concat(*existing.values())
        self.message_post(body=self.env._("Replenishment rules set for %s parts.", len(points)))
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_orderpoint_replenish")
        action["domain"] = [("id", "in", points.ids)]
        action["context"] = {}
        return action

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_parts_plan_line"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        return action


class AftersalesPartsPlanLine(models.Model):
    """One part of a spare-parts plan: its ratio, planned quantity, consumption and stock."""

    _name = "aftersales.parts.plan.line"
    _description = "Spare-Parts Plan Line"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "aftersales.parts.plan", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    product_tmpl_id = fields.Many2one(related="plan_id.product_tmpl_id", string="Product Model")
    product_id = fields.Many2one("product.product", string="Part", required=True)
    wear_rate = fields.Float(
        default=1.0,
        digits=(16, 3),
        help="How much more (above 1) or less (below 1) this part fails than the product.",
    )
    ratio = fields.Float(
        string="Part Ratio (%)",
        digits=(16, 4),
        compute="_compute_ratio",
        store=True,
        readonly=False,
        help="Defect rate × wear rate, in percent; can be set by hand.",
    )
    planned_qty = fields.Integer(
        string="Planned Quantity",
        compute="_compute_planned_qty",
        store=True,
        help="Production × ratio, rounded up.",
    )
    consumed_qty = fields.Float(
        string="Consumed",
        compute="_compute_consumption",
        digits="Product Unit of Measure",
        help="Parts used by submitted service records and done repairs of the model during the "
        "phase.",
    )
    leftover_qty = fields.Float(
        string="Leftover", compute="_compute_consumption", digits="Product Unit of Measure"
    )
    leftover_ratio = fields.Float(
        string="Leftover Ratio (%)",
        compute="_compute_consumption",
        help="Planned parts not consumed ÷ planned parts (剩余系数).",
    )
    forecast_qty = fields.Integer(
        string="Remaining Need",
        compute="_compute_consumption",
        help="Parts the production still to come will need, at the consumption seen so far "
        "(or the plan's ratio before any), less the leftover.",
    )
    qty_available = fields.Float(
        string="On Hand", compute="_compute_qty_available", digits="Product Unit of Measure"
    )

    _sql_constraints = [
        ("wear_rate_positive", "CHECK(wear_rate >= 0)", "The wear rate cannot be negative."),
        ("ratio_positive", "CHECK(ratio >= 0)", "The part ratio cannot be negative."),
    ]

    @api.depends("plan_id.defect_rate", "wear_rate")
    def _compute_ratio(self):
        for line in self:
            line.ratio = line.plan_id.defect_rate * line.wear_rate

    @api.depends("plan_id.production_qty", "ratio")
    def _compute_planned_qty(self):
        for line in self:
            # round() first: 1000 × 0.7 % is 7.000000000000001 in floating point
            line.planned_qty = math.ceil(round(line.plan_id.production_qty * line.ratio / 100.0, 6))

    def _consumption(self):
        """``{(plan id, part id): quantity}`` used by submitted service records and done
        repairs on units of the plans' models within their phases: two grouped queries."""
        result = defaultdict(float)
        plans = self.plan_id
        if not plans:
            return result
        parts = self.product_id.ids
        start = fields.Datetime.to_datetime(min(plans.mapped("date_start")))
        models_ = plans.product_tmpl_id.ids
        # sudo: the totals are the plan's own figures; planners need not read every record
        Move = self.env["stock.move"].sudo()
        base = [("product_id", "in", parts), ("state", "=", "done"), ("date", ">=", start)]
        rows = [
            (record.ticket_id.product_id.product_tmpl_id, part, day, quantity)
            for record, part, day, quantity in Move._read_group(
                base
                + [
                    ("aftersales_service_record_id", "!=", False),
                    ("aftersales_service_record_id.product_id.product_tmpl_id", "in", models_),
                ],
                ["aftersales_service_record_id", "product_id", "date:day"],
                ["product_qty:sum"],
            )
        ] + [
            (repair.product_id.product_tmpl_id, part, day, quantity)
            for repair, part, day, quantity in Move._read_group(
                base
                + [
                    ("repair_id", "!=", False),
                    ("repair_line_type", "=", "add"),
                    ("repair_id.product_id.product_tmpl_id", "in", models_),
                ],
                ["repair_id", "product_id", "date:day"],
                ["product_qty:sum"],
            )
        ]
        for model, part, day, quantity in rows:
            day = fields.Date.to_date(day)
            for plan in plans:
                if (
                    plan.product_tmpl_id == model
                    and day >= plan.date_start
                    and (not plan.date_end or day <= plan.date_end)
                ):
                    result[plan.id, part.id] += quantity
        return result

    @api.depends("planned_qty", "plan_id.date_start", "plan_id.date_end")
    def _compute_consumption(self):
        consumed = self._consumption()
        for line in self:
            plan = line.plan_id
            used = consumed.get((plan.id, line.product_id.id), 0.0)
            line.consumed_qty = used
            line.leftover_qty = line.planned_qty - used
            line.leftover_ratio = (
                100.0 * (line.planned_qty - used) / line.planned_qty if line.planned_qty else 0.0
            )
            # the ratio seen so far once parts were used, else the planned one
            ratio = (
                used / plan.production_qty if used and plan.production_qty else line.ratio / 100.0
            )
            need = math.ceil(round(plan.remaining_production_qty * ratio, 6))
            line.forecast_qty = max(0, need - max(0, math.floor(line.leftover_qty)))

    def _compute_qty_available(self):
        # sudo: planners see the on-hand figure of the plan's parts without inventory rights
        for line in self:
            product = line.product_id.sudo()
            if line.plan_id.warehouse_id:
                product = product.with_context(warehouse_id=line.plan_id.warehouse_id.id)
            line.qty_available = product.qty_available
