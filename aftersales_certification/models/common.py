"""Helpers shared by the certification models."""

import re

from odoo.tools import SQL

# a recertification application is due this many months before the expiry date (domain.md §9)
RECERTIFICATION_NOTICE_MONTHS = 3
# surveillance audits due within this many days raise activities
SURVEILLANCE_REMINDER_DAYS = 30
# records a scheduled job handles per transaction
CRON_BATCH_SIZE = 100

_NOT_ADDRESS_CHARS = re.compile(r"[\s,，、.。;；:：\-]+")


def lock_batch(model, domain, limit, order="id"):
    """Records of ``model`` matching ``domain`` that no other transaction holds.

    The rows stay locked until the transaction ends, so that two workers running the same
    scheduled job never handle the same record twice.
    """
    query = model._search(domain, limit=limit, order=order)
    model.env.cr.execute(
        SQL("%s FOR UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(model._table))
    )
    return model.browse(row[0] for row in model.env.cr.fetchall())


def normalize_text(value):
    """Compare printed values (names, addresses) without spaces and punctuation."""
    return _NOT_ADDRESS_CHARS.sub("", value or "").casefold()
