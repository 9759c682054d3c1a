"""Open every After-Sales portal page a portal user reaches from /my, following its links."""

import re

SUITE_PREFIXES = ("/my/aftersales", "/my/service_records", "/my/policies", "/my/outlet")
# downloads open no page to look at
SKIPPED = ("/pdf", "/letter", "/xlsx", "download=", "sortby=")
LINK = re.compile(r'href="(/my[^"#]*)"')


def crawl_portal(case, start="/my", limit=80):
    """GET each suite page linked from ``start`` (as the logged-in user); returns the urls."""
    seen, todo = [], [start]
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.append(url)
        response = case.url_open(url, allow_redirects=False)
        case.assertEqual(response.status_code, 200, f"{url} answers {response.status_code}")
        case.assertNotIn("o_error_detail", response.text, url)
        for href in LINK.findall(response.text):
            href = href.replace("&amp;", "&")
            if (
                href.startswith(SUITE_PREFIXES)
                and not any(part in href for part in SKIPPED)
                and href not in seen
            ):
                todo.append(href)
    return seen
