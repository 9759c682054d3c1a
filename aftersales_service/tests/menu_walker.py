"""Open every After-Sales menu a user sees the way the web client does, without a browser.

For each menu the user sees under the After-Sales root, the walker loads its window action,
its views (``get_views``), then reads what each view type shows: list and kanban rows
(``web_search_read``, grouped when the view groups), the first record in its form
(``web_read``), pivot and graph groups (``read_group``), calendar events, the activity view,
and each filter and group-by of the search view. Whatever the user may not read raises
AccessError, as the error dialog of the web client would show it.
"""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tools.safe_eval import datetime, safe_eval, time

ROOT_MENU = "aftersales_service.menu_aftersales_root"
SUBVIEW_TAGS = ("list", "kanban", "form")


class MenuWalker:
    """Walks the After-Sales menus as one user; ``walk()`` returns what it opened."""

    def __init__(self, env, root_xmlid=ROOT_MENU):
        self.env = env
        self.root_xmlid = root_xmlid
        self.opened = []  # (menu xmlid, model, view type)
        self.filters = 0

    # ---------------------------------------------------------------------------------------
    # menus
    # ---------------------------------------------------------------------------------------
    def visible_menus(self):
        """The leaf menus under the root that the user sees, as load_menus gives them."""
        menus = self.env["ir.ui.menu"].load_menus(False)
        root = next(
            (m for m in menus.values() if m.get("xmlid") == self.root_xmlid and m.get("id")),
            None,
        )
        if not root:
            return []
        leaves, todo = [], list(root["children"])
        while todo:
            menu = menus[todo.pop(0)]
            if menu["children"]:
                todo[:0] = menu["children"]
            elif menu["action"]:
                leaves.append(menu)
        return leaves

    def visible_menu_xmlids(self):
        return {menu["xmlid"] for menu in self.visible_menus()}

    def walk(self):
        for menu in self.visible_menus():
            self.open_menu(menu)
        return self.opened

    def open_menu(self, menu):
        action_model, action_id = menu["action"].split(",")
        action = self.env[action_model].browse(int(action_id))
        if action_model == "ir.actions.act_window":
            # the web client loads the action with sudo, then reads as the user
            self.open_window_action(menu["xmlid"], action.sudo())
        elif action_model == "ir.actions.server":
            result = action.run()
            if isinstance(result, dict) and result.get("type") == "ir.actions.act_window":
                self.open_window_dict(menu["xmlid"], result)
            else:
                self.opened.append((menu["xmlid"], False, action_model))
        else:
            # client actions (settings), URLs and reports: the browser test clicks them
            self.opened.append((menu["xmlid"], False, action_model))

    # ---------------------------------------------------------------------------------------
    # window actions
    # ---------------------------------------------------------------------------------------
    def _eval_context(self):
        user = self.env.user
        return {
            "uid": user.id,
            "user": user,
            "allowed_company_ids": self.env.companies.ids,
            "current_company_id": self.env.company.id,
            "context_today": datetime.date.today,
            "datetime": datetime,
            "relativedelta": relativedelta,
            "time": time,
            "active_id": False,
            "active_ids": [],
            "active_model": False,
        }

    def _eval(self, expression, default):
        if not expression:
            return default
        if not isinstance(expression, str):
            return expression
        return safe_eval(expression, self._eval_context())

    def open_window_action(self, menu_xmlid, action):
        self.open_window_dict(menu_xmlid, action._get_action_dict())

    def open_window_dict(self, menu_xmlid, action):
        context = {
            k: v
            for k, v in self._eval(action.get("context"), {}).items()
            if not k.startswith("search_default_")
        }
        domain = self._eval(action.get("domain"), [])
        model = self.env[action["res_model"]].with_context(**context)
        views = [list(v) for v in action.get("views") or []]
        if not views:
            views = [[False, vt] for vt in action.get("view_mode", "list,form").split(",")]
        search_view = action.get("search_view_id")
        search_id = search_view[0] if isinstance(search_view, list | tuple) else search_view
        all_views = views + [[search_id or False, "search"]]
        result = model.get_views(
            all_views, {"load_filters": True, "toolbar": True, "action_id": action.get("id")}
        )
        for view_type, view in result["views"].items():
            arch = etree.fromstring(view["arch"])
            reader = getattr(self, f"_open_{view_type}", None)
            if reader is None:
                raise AssertionError(f"{menu_xmlid}: no reader for {view_type} views")
            reader(model, domain, arch)
            self.opened.append((menu_xmlid, action["res_model"], view_type))

    # ---------------------------------------------------------------------------------------
    # specification of the fields a view reads, as the web client builds it
    # ---------------------------------------------------------------------------------------
    def _spec(self, model, arch):
        spec = {}
        for node in self._own_fields(arch):
            name = node.get("name")
            field = model._fields.get(name)
            if field is None:
                continue
            if field.type == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif field.type in ("one2many", "many2many"):
                subview = next((c for c in node if c.tag in SUBVIEW_TAGS), None)
                subspec = {"display_name": {}}
                if subview is not None:
                    subspec.update(self._spec(self.env[field.comodel_name], subview))
                spec[name] = {"fields": subspec}
            else:
                spec[name] = {}
        return spec

    @staticmethod
    def _own_fields(arch):
        """The field nodes of this view, not those of an x2many's subview."""
        for node in arch.iter("field"):
            parent = node.getparent()
            while parent is not None and parent is not arch:
                if parent.tag == "field":
                    break
                parent = parent.getparent()
            else:
                yield node

    # ---------------------------------------------------------------------------------------
    # readers per view type
    # ---------------------------------------------------------------------------------------
    def _open_list(self, model, domain, arch):
        spec = self._spec(model, arch)
        group_by = arch.get("default_group_by") or model.env.context.get("group_by")
        if group_by:
            self._read_groups(model, domain, group_by)
        model.web_search_read(domain, spec, limit=80)

    def _open_kanban(self, model, domain, arch):
        spec = self._spec(model, arch)
        group_by = arch.get("default_group_by")
        if group_by:
            self._read_groups(model, domain, group_by)
            progress = arch.find("progressbar")
            if progress is not None:
                model.read_progress_bar(
                    domain,
                    group_by,
                    {
                        "field": progress.get("field"),
                        "colors": safe_eval(progress.get("colors", "{}")),
                    },
                )
        model.web_search_read(domain, spec, limit=40)

    def _read_groups(self, model, domain, group_by):
        for groupby in group_by if isinstance(group_by, list) else [group_by]:
            model.web_read_group(domain, ["__count"], [groupby], lazy=True)

    def _open_form(self, model, domain, arch):
        spec = self._spec(model, arch)
        record = model.search(domain, limit=1)
        if record:
            record.web_read(spec)
        elif model.has_access("create"):
            model.onchange({}, [], spec)

    def _measures_and_groupbys(self, model, arch):
        measures, groupbys = ["__count"], []
        for node in arch.iter("field"):
            name = node.get("name")
            if name not in model._fields:
                continue
            kind = node.get("type")
            if kind == "measure":
                measures.append(f"{name}:sum")
            elif kind in ("row", "col") or node.get("group"):
                interval = node.get("interval")
                groupbys.append(f"{name}:{interval}" if interval else name)
        return measures, groupbys

    def _open_pivot(self, model, domain, arch):
        measures, groupbys = self._measures_and_groupbys(model, arch)
        model.read_group(domain, measures, [], lazy=False)
        for groupby in groupbys:
            model.read_group(domain, measures, [groupby], lazy=False)

    _open_graph = _open_pivot

    def _open_calendar(self, model, domain, arch):
        spec = self._spec(model, arch)
        spec.update({arch.get("date_start"): {}, "display_name": {}})
        if arch.get("date_stop"):
            spec[arch.get("date_stop")] = {}
        model.web_search_read(domain, spec, limit=80)

    def _open_activity(self, model, domain, arch):
        self.env["mail.activity"].get_activity_data(model._name, domain, limit=80)
        templates = [n for n in arch.iter("templates")]
        if templates:
            model.web_search_read(domain, self._spec(model, templates[0]), limit=80)

    def _open_search(self, model, domain, arch):
        for node in arch.iter("filter"):
            filter_domain = node.get("domain")
            context = self._eval(node.get("context"), {})
            if filter_domain:
                model.search_count(domain + self._eval(filter_domain, []))
                self.filters += 1
            if node.get("date"):
                model.search_count(domain + [(node.get("date"), "!=", False)])
                self.filters += 1
            if context.get("group_by"):
                self._read_groups(model, domain, context["group_by"])
                self.filters += 1
        panel = arch.find("searchpanel")
        if panel is not None:
            for node in panel.iter("field"):
                if node.get("select") == "multi":
                    model.search_panel_select_multi_range(node.get("name"), search_domain=domain)
                else:
                    model.search_panel_select_range(node.get("name"), search_domain=domain)
