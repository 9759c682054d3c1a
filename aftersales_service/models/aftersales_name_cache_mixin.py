from odoo import api, models, tools


class AftersalesNameCacheMixin(models.AbstractModel):
    """A configuration record whose name every page of requests shows (team, kind, stage).

    The web client reads the names of a page's many-to-one fields as superuser; those names
    are read once per language and kept in the registry's cache until one of the records is
    renamed, instead of one query per model on every list, kanban column and form.
    """

    _name = "aftersales.name.cache.mixin"
    _description = "After-Sales Cached Names"

    @tools.ormcache("self._name", "lang")
    def _aftersales_cached_names(self, lang):
        records = self.sudo().with_context(active_test=False, lang=lang).search_fetch([], ["name"])
        return {record.id: record.name for record in records}

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        if not self.env.su:  # the user's own access applies as usual
            super()._compute_display_name()
            return
        names = self._aftersales_cached_names(self.env.lang)
        unknown = []  # new records, and records made after the cache was filled
        for record in self:
            name = names.get(record.id)
            if name is None:
                unknown.append(record.id)
            else:
                record.display_name = name
        if unknown:
            super(AftersalesNameCacheMixin, self.browse(unknown))._compute_display_name()

    def _aftersales_cache_fields(self):
        """The fields whose change clears the registry's cache (a model adds its own)."""
        return {"name"}

    def write(self, vals):
        result = super().write(vals)
        # after the write: what is read during it must not be cached with the old values
        if not self._aftersales_cache_fields().isdisjoint(vals):
            self.env.registry.clear_cache()
        return result

    def _update_field_translations(self, field_name, translations, digest=None, source_lang=None):
        if field_name == "name":
            self.env.registry.clear_cache()
        return super()._update_field_translations(
            field_name, translations, digest=digest, source_lang=source_lang
        )
