"""The public outlet finder (domain.md §7): which authorised outlets serve my place."""

from odoo import http
from odoo.http import request

FINDER_LANGS = ("zh_CN", "en_US")


class OutletFinder(http.Controller):
    @http.route("/aftersales/outlets", type="http", auth="public", methods=["GET"], website=True)
    def outlet_finder(self, state_id=None, city=None, zip=None, lang=None, **kwargs):  # noqa: A002
        if lang in FINDER_LANGS and request.env["res.lang"]._get_data(code=lang):
            request.update_context(lang=lang)
        # sudo: the directory shows to anyone the public data of authorised outlets only
        # (name, levels, address, phone, hours); the search itself filters them
        Outlet = request.env["aftersales.outlet"].sudo()
        state = request.env["res.country.state"].sudo()
        if state_id and str(state_id).isdigit():
            state = state.browse(int(state_id)).exists()
        outlets = Outlet._finder_search(state=state, city=city, zip_code=zip)
        return request.render(
            "aftersales_network.outlet_finder",
            {
                "outlets": outlets,
                "provinces": Outlet._finder_provinces(),
                "state": state,
                "city": city or "",
                "zip_code": zip or "",
                "searched": bool(state or city or zip),
                "lang": request.env.lang,
            },
        )
