"""The suite's batched, lock-safe scheduled job: the one way every ``_cron_*`` method works.

A job takes a batch of the records that need it, in a stable order, locked with
``FOR UPDATE SKIP LOCKED`` so that a second worker running the same job at the same time
leaves them to the first one; it acts on the batch, gives the activities in one ``create``
and tells the cron runner how much is left, so that the runner commits between batches.

A job remembers what it did in one of two ways: a ``flag`` field of the model (at most one per
model), or, without a field, the job's activity type on the record (open or done).
"""

from odoo import fields
from odoo.osv import expression
from odoo.tools import SQL

# the jobs a transaction already woke (in its precommit data)
TRIGGERED_CRONS = "aftersales.triggered_crons"

# records a scheduled job handles per transaction
JOB_BATCH_SIZE = 200


def lock_batch(model, domain, limit, order="id"):
    """Records of ``model`` matching ``domain`` that no other transaction holds, locked.

    The domain is evaluated by the locking query itself, so a record another worker has
    handled and committed meanwhile is not taken again; the rows stay locked until the
    transaction ends.
    """
    query = model._search(domain, limit=limit, order=order)
    # execute_query flushes the pending writes the domain depends on
    rows = model.env.execute_query(
        SQL("%s FOR UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(model._table))
    )
    return model.browse(row[0] for row in rows)


def without_activity(model, activity_type):
    """Domain of the records of ``model`` never given an activity of ``activity_type``.

    Done activities count when the type keeps them (``keep_done``): the record was reminded.
    """
    return [
        (
            "id",
            "not in",
            SQL(
                "(SELECT res_id FROM mail_activity WHERE res_model = %s "
                "AND activity_type_id = %s AND res_id IS NOT NULL)",
                model._name,
                activity_type.id,
            ),
        )
    ]


def schedule_activities(records, values_list, activity_type=None):
    """Give the activities of ``records`` in one ``create`` (one per record and values).

    ``values_list`` gives for each record its ``user_id``, ``date_deadline``, ``summary`` and
    optionally ``note``; several values may target the same record. No record gets a second
    open scheduled activity of the same type for the same user: the open one is brought up to
    date instead (new deadline, summary and note). ``activity_type`` defaults to the to-do.
    Returns the activities created or brought up to date.
    """
    env = records.env
    # sudo: the assignees may not follow the record; the values come from the job itself
    Activity = env["mail.activity"].sudo()
    if not records:
        return Activity
    activity_type = activity_type or env.ref("mail.mail_activity_data_todo")
    model_id = env["ir.model"]._get_id(records._name)
    open_ones = {
        (activity.res_id, activity.user_id.id): activity
        for activity in Activity.search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", activity_type.id),
                ("user_id", "in", [values["user_id"] for values in values_list]),
                # a to-do a person wrote by hand is theirs: a job never rewrites it
                ("automated", "=", True),
            ]
        )
    }
    to_create, refreshed = {}, Activity
    for record, values in zip(records, values_list, strict=True):
        key = (record.id, values["user_id"])
        if key in open_ones:
            open_ones[key].write(values)
            refreshed |= open_ones[key]
        elif key not in to_create:
            to_create[key] = {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": activity_type.id,
                "automated": True,
                **values,
            }
    return Activity.create(list(to_create.values())) | refreshed


def job_domain(model, domain, flag=None, activity_type=None):
    """``domain`` without the records the job already handled (see :func:`run_job`)."""
    if flag:
        return expression.AND([domain, [(flag, "=", False)]])
    if activity_type:
        return expression.AND([domain, without_activity(model, activity_type)])
    return domain


def report_progress(env, done, *pending):
    """Tell the cron runner how many records were handled and how many are left.

    ``pending`` are the (model, domain) pairs still to do. Nothing done means nothing left
    for this run: the rest, if any, is held by other workers.
    """
    remaining = sum(model.search_count(domain) for model, domain in pending) if done else 0
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)


def run_job(
    model,
    domain,
    act=None,
    *,
    batch_size=JOB_BATCH_SIZE,
    order="id",
    flag=None,
    activity_type=None,
    report=True,
):
    """Lock a batch of the records matching ``domain``, mark them done and ``act`` on them.

    ``flag`` names the field that remembers the job was done on a record (set to today or
    True); without it, ``activity_type`` does (records given an activity of that type are
    left out); with neither, ``act`` must take the records out of ``domain``.
    ``act`` does the job's work on the locked batch: the name of a method of the records, or
    a function given the records. With ``report``, the progress
    goes to the cron runner (a job of several steps reports once, with
    :func:`report_progress`). Returns the records handled.
    """
    domain = job_domain(model, domain, flag, activity_type)
    records = lock_batch(model, domain, batch_size, order)
    if records and flag:
        field = model._fields[flag]
        records.write({flag: fields.Date.context_today(model) if field.type == "date" else True})
    if records and isinstance(act, str):
        getattr(records, act)()
    elif records and act:
        act(records)
    if report:
        report_progress(model.env, len(records), (model, domain))
    return records


def trigger_once(env, cron_xmlid):
    """Wake the job ``cron_xmlid`` right after the commit, once per transaction."""
    triggered = env.cr.precommit.data.setdefault(TRIGGERED_CRONS, set())
    if cron_xmlid not in triggered:
        triggered.add(cron_xmlid)
        env.ref(cron_xmlid).sudo()._trigger()


def insert_and_trigger(env, insert, cron_xmlid, select=None):
    """Run ``insert`` (rows a job will handle) and wake the job ``cron_xmlid`` right after the
    commit: one query on the hot path, the cron's trigger written by the same statement once
    per transaction (``insert`` is a bare ``INSERT`` SQL, without ``RETURNING``). With
    ``select``, the same statement runs that query too, and its rows are returned: what the
    hot path would read next costs no other round trip."""
    triggered = env.cr.precommit.data.setdefault(TRIGGERED_CRONS, set())
    writes = [insert]
    if cron_xmlid not in triggered:
        triggered.add(cron_xmlid)
        now = fields.Datetime.now()
        # the trigger is the job's own row, deleted by its next run: it names no user, so that
        # the insert checks one foreign key (the job), not three
        writes.append(
            SQL(
                "INSERT INTO ir_cron_trigger (cron_id, call_at, create_date, write_date) "
                "VALUES (%s, %s, %s, %s)",
                env["ir.model.data"]._xmlid_to_res_id(cron_xmlid),
                now,
                now,
                now,
            )
        )
        env.cr.postcommit.add(env["ir.cron"]._notifydb)
    if select is None and len(writes) == 1:
        env.cr.execute(insert)
        return []
    # PostgreSQL runs each data-modifying WITH once, whether the main query reads it or not
    env.cr.execute(
        SQL(
            "WITH %s %s",
            SQL(", ").join(
                SQL("%s AS (%s RETURNING 1)", SQL.identifier(f"write_{n}"), write)
                for n, write in enumerate(writes)
            ),
            select if select is not None else SQL("SELECT 1"),
        )
    )
    return env.cr.fetchall() if select is not None else []
