"""Helpers shared by the certification models."""

import re

# a recertification application is due this many months before the expiry date (domain.md §9)
RECERTIFICATION_NOTICE_MONTHS = 3
# surveillance audits due within this many days raise activities
SURVEILLANCE_REMINDER_DAYS = 30
# records a scheduled job handles per transaction (the jobs use aftersales_service's
# scheduled_job helper)
CRON_BATCH_SIZE = 100

_NOT_ADDRESS_CHARS = re.compile(r"[\s,，、.。;；:：\-]+")


def normalize_text(value):
    """Compare printed values (names, addresses) without spaces and punctuation."""
    return _NOT_ADDRESS_CHARS.sub("", value or "").casefold()
