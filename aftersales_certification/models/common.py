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
    # execute_query flushes the pending writes the domain depends on
    rows = model.env.execute_query(
        SQL("%s FOR UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(model._table))
    )
    return model.browse(row[0] for row in rows)


def normalize_text(value):
    """Compare printed values (names, addresses) without spaces and punctuation."""
    return _NOT_ADDRESS_CHARS.sub("", value or "").casefold()


def schedule_activities(records, values_list):
    """Create the to-do activities of ``records`` in one batch (one per record and values).

    ``values_list`` gives for each record its ``user_id``, ``date_deadline``, ``summary`` and
    ``note``; several values for the same record may be given.
    """
    env = records.env
    if not records:
        return env["mail.activity"]
    activity_type = env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id(records._name)
    return env["mail.activity"].create(
        [
            {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "automated": True,
                **values,
            }
            for record, values in zip(records, values_list, strict=True)
        ]
    )
