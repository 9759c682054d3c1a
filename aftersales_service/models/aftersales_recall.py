# the request and stock extensions of this feature live with it
# pylint: disable=consider-merging-classes-inherited
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

RECALL_STATES = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

# units listed by name in a customer's recall request; beyond that, the count
UNITS_LISTED = 50


class AftersalesRecall(models.Model):
    """A recall campaign of nonconforming products (不合格品召回, domain.md §6)."""

    _name = "aftersales.recall"
    _description = "Recall Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, tracking=True)
    reason = fields.Html(required=True, help="The nonconformity and what the customer risks.")
    public_notice = fields.Html(
        help="The notice published on the website while the recall runs (disclosure of "
        "systematic defects).",
    )
    is_published = fields.Boolean(
        string="Published",
        tracking=True,
        help="Show the public notice on the website's recall page.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "aftersales.team",
        check_company=True,
        help="The team the customers' recall requests go to.",
    )
    product_ids = fields.Many2many("product.product", string="Products", required=True)
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Serials / Lots",
        domain="[('product_id', 'in', product_ids)]",
        help="Only these serials or lots are recalled; empty recalls every unit of the products.",
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today, tracking=True
    )
    date_done = fields.Date(string="Closed On", readonly=True, copy=False)
    state = fields.Selection(
        RECALL_STATES, default="draft", required=True, tracking=True, index=True, copy=False
    )
    line_ids = fields.One2many("aftersales.recall.line", "recall_id", string="Units")
    ticket_ids = fields.One2many("aftersales.ticket", "recall_id", string="Requests")
    affected_count = fields.Integer(string="Affected Units", compute="_compute_progress")
    done_count = fields.Integer(string="Units Done", compute="_compute_progress")
    open_count = fields.Integer(string="Units Left", compute="_compute_progress")
    customer_count = fields.Integer(string="Customers", compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress", help="Units done ÷ affected units.")
    ticket_count = fields.Integer(string="Request Count", compute="_compute_ticket_count")
    color = fields.Integer()

    @api.depends("line_ids.state", "line_ids.is_waived", "line_ids.partner_id")
    def _compute_progress(self):
        Line = self.env["aftersales.recall.line"]
        stats = defaultdict(lambda: defaultdict(int))
        for recall, state, is_waived, count in Line._read_group(
            [("recall_id", "in", self.ids)], ["recall_id", "state", "is_waived"], ["__count"]
        ):
            stats[recall.id]["all"] += count
            stats[recall.id][state] += count
            if state in ("todo", "contacted") and not is_waived:
                stats[recall.id]["open"] += count
        customers = dict(
            Line._read_group(
                [("recall_id", "in", self.ids)], ["recall_id"], ["partner_id:count_distinct"]
            )
        )
        for recall in self:
            counts = stats[recall.id]
            recall.affected_count = counts["all"]
            recall.done_count = counts["done"]
            recall.open_count = counts["open"]
            recall.customer_count = customers.get(recall, 0)
            recall.progress = 100.0 * counts["done"] / counts["all"] if counts["all"] else 0.0

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        counts = dict(
            self.env["aftersales.ticket"]._read_group(
                [("recall_id", "in", self.ids)], ["recall_id"], ["__count"]
            )
        )
        for recall in self:
            recall.ticket_count = counts.get(recall, 0)

    def _check_state(self, *states):
        for recall in self:
            if recall.state not in states:
                raise UserError(
                    self.env._(
                        "%(recall)s is %(state)s: this cannot be done at this step.",
                        recall=recall.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            recall.state
                        ],
                    )
                )

    def action_find_affected(self):
        """List the units delivered to customers and still with them (net of returns): one
        line per customer, product and serial / lot, in one query for the whole campaign."""
        self._check_state("draft")
        self.check_access("write")
        Line = self.env["aftersales.recall.line"]
        Unit = self.env["aftersales.installed.unit"]
        Line.flush_model()
        self.env.cr.execute(
            SQL("DELETE FROM aftersales_recall_line WHERE recall_id IN %s", tuple(self.ids))
        )
        now = fields.Datetime.now()
        for recall in self:
            domain = [
                ("company_id", "=", recall.company_id.id),
                ("product_id", "in", recall.product_ids.ids),
            ]
            if recall.lot_ids:
                domain.append(("lot_id", "in", recall.lot_ids.ids))
            # the lines keep their own order: no sort of the units (and no joins for it) here
            units = Unit._search(domain, order="id")
            table = SQL.identifier(units.table)
            self.env.execute_query(
                SQL(
                    "INSERT INTO aftersales_recall_line (recall_id, company_id, partner_id, "
                    "product_id, lot_id, quantity, delivery_date, state, is_waived, create_uid, "
                    "create_date, write_uid, write_date) %s",
                    units.select(
                        SQL(
                            "%s, %s.company_id, %s.partner_id, %s.product_id, %s.lot_id, "
                            "%s.quantity, %s.delivery_date, 'todo', FALSE, %s, %s, %s, %s",
                            recall.id,
                            table,
                            table,
                            table,
                            table,
                            table,
                            table,
                            self.env.uid,
                            now,
                            self.env.uid,
                            now,
                        )
                    ),
                )
            )
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids"])
        return True

    def action_open(self):
        """Open the campaign: one request of kind recall per customer with their units, and the
        recall notice e-mailed to each customer in their language (after the commit)."""
        self._check_state("draft")
        self.check_access("write")
        recall_type = self.env.ref("aftersales_service.ticket_type_recall")
        template = self.env.ref("aftersales_service.mail_template_recall_notice")
        Line = self.env["aftersales.recall.line"]
        for recall in self:
            if not recall.line_ids:
                raise UserError(
                    self.env._(
                        "%s has no affected units: find them before opening the campaign.",
                        recall.name,
                    )
                )
        tickets = self.env["aftersales.ticket"]
        for recall in self:
            units = defaultdict(list)
            for line in Line.search_fetch(
                [("recall_id", "=", recall.id)],
                ["partner_id", "product_id", "lot_id", "quantity"],
                order="partner_id, product_id, lot_id, id",
            ):
                units[line.partner_id].append(line)
            partners = list(units)
            vals_list = [
                recall._ticket_values(partner, units[partner], recall_type) for partner in partners
            ]
            # sudo: the manager opening the campaign may not see every team's requests, and the
            # requests are made for the campaign's customers only
            # the manager opening the campaign does not follow every customer's request (and
            # Odoo would subscribe them one request at a time)
            new = (
                self.env["aftersales.ticket"]
                .sudo()
                .with_context(mail_create_nosubscribe=True)
                .create(vals_list)
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE aftersales_recall_line line SET ticket_id = v.ticket_id "
                    "FROM (VALUES %s) AS v(partner_id, ticket_id) "
                    "WHERE line.recall_id = %s AND line.partner_id = v.partner_id",
                    SQL(", ").join(
                        SQL("(%s, %s)", partner.id, ticket.id)
                        for partner, ticket in zip(partners, new, strict=True)
                    ),
                    recall.id,
                )
            )
            tickets |= new
        Line.invalidate_model(["ticket_id"])
        self.write({"state": "open"})
        self.env["aftersales.ticket.mail"]._queue([(ticket, template, None) for ticket in tickets])
        return True

    def _ticket_values(self, partner, lines, recall_type):
        self.ensure_one()
        products = {line.product_id for line in lines}
        listed = Markup("").join(
            Markup("<li>%s%s</li>")
            % (line.product_id.display_name, f" — {line.lot_id.name}" if line.lot_id else "")
            for line in lines[:UNITS_LISTED]
        )
        more = (
            Markup("<p>%s</p>") % self.env._("and %s more units", len(lines) - UNITS_LISTED)
            if len(lines) > UNITS_LISTED
            else ""
        )
        return {
            "title": self.env._(
                "Recall %(name)s: %(count)s units", name=self.name, count=len(lines)
            ),
            "partner_id": partner.id,
            "ticket_type_id": recall_type.id,
            "company_id": self.company_id.id,
            "team_id": self.team_id.id or False,
            "user_id": self.user_id.id or False,
            "recall_id": self.id,
            "product_id": next(iter(products)).id if len(products) == 1 else False,
            "lot_id": lines[0].lot_id.id if len(lines) == 1 else False,
            "quantity": sum(line.quantity for line in lines),
            "description": self.reason + Markup("<ul>%s</ul>%s") % (listed, more),
        }

    def action_close(self):
        """Close the campaign once every unit is done, unreachable or waived by a manager."""
        self._check_state("open")
        for recall in self:
            if recall.open_count:
                raise UserError(
                    self.env._(
                        "%(recall)s still has %(count)s units to handle: mark them done or "
                        "unreachable, or have a manager waive them with a reason.",
                        recall=recall.name,
                        count=recall.open_count,
                    )
                )
        self.write({"state": "done", "date_done": fields.Date.context_today(self)})
        return True

    def action_cancel(self):
        self._check_state("draft", "open")
        self.write({"state": "cancelled", "is_published": False})
        return True

    def action_draft(self):
        self._check_state("cancelled")
        self.write({"state": "draft"})
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_ticket"
        )
        action["domain"] = [("recall_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_recall_line"
        )
        action["domain"] = [("recall_id", "=", self.id)]
        action["context"] = {"search_default_group_partner": 1}
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(recall.state not in ("draft", "cancelled") for recall in self):
            raise UserError(self.env._("Only draft or cancelled recalls can be deleted."))


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    recall_id = fields.Many2one(
        "aftersales.recall",
        string="Recall Campaign",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )

    def _close_recall_lines(self):
        """Recall requests closed: their units still to do or contacted are done."""
        recall_tickets = self.filtered("recall_id")
        if not recall_tickets:
            return
        lines = self.env["aftersales.recall.line"].search(
            [
                ("ticket_id", "in", recall_tickets.ids),
                ("state", "in", ("todo", "contacted")),
                ("recall_id.state", "=", "open"),
            ]
        )
        # sudo: closing the request is what marks its units; only their state changes
        lines.sudo().write({"state": "done"})
