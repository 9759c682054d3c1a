from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class StockReturnPicking(models.TransientModel):
    _inherit = "stock.return.picking"

    def _check_returnable_quantities(self):
        """Never return more than was delivered, less what earlier returns took back."""
        for line in self.product_return_moves.filtered("move_id"):
            move = line.move_id
            returned = sum(
                move.returned_move_ids.filtered(lambda m: m.state != "cancel").mapped(
                    "product_uom_qty"
                )
            )
            left = move.quantity - returned
            if float_compare(line.quantity, left, precision_rounding=line.uom_id.rounding) > 0:
                raise UserError(
                    self.env._(
                        "%(product)s: you can return at most %(left)s, the quantity delivered "
                        "by %(picking)s that was not returned yet.",
                        product=line.product_id.display_name,
                        left=left,
                        picking=move.picking_id.name,
                    )
                )

    def _create_return(self):
        self._check_returnable_quantities()
        new_picking = super()._create_return()
        ticket_id = self.env.context.get("aftersales_ticket_id")
        if ticket_id:
            new_picking.aftersales_ticket_id = ticket_id
        return new_picking

    def action_create_exchanges(self):
        ticket_id = self.env.context.get("aftersales_ticket_id")
        group = self.picking_id.group_id
        before = group.stock_move_ids.picking_id if group else self.env["stock.picking"]
        action = super().action_create_exchanges()
        if ticket_id and group:
            # the replacement goes out through the order's procurement group, as Odoo does
            group.invalidate_recordset(["stock_move_ids"])
            replacements = group.stock_move_ids.picking_id - before
            replacements.filtered(
                lambda p: not p.aftersales_ticket_id
            ).aftersales_ticket_id = ticket_id
        return action
