"""Adobe's public page for a spec reference, so a finding links to what Adobe wrote.

Our spec (``spec/media-collection-api.md``) is the team's digest of Adobe's documents; users
have Adobe's pages, not it. Each section of the spec comes from one page of Adobe's
Media Analytics documentation, published from the AdobeDocs/media-analytics.en repository;
links go to that page's source there (the path is stable; Experience League renders it).
References to our own choices (the spec's ``I…`` items, §8) have no Adobe page: they are
what our embedded backend does, and the finding says so.
"""

from __future__ import annotations

import re

__all__ = ["ADOBE_PAGES", "adobe_page", "adobe_url"]

_BASE = ("https://github.com/AdobeDocs/media-analytics.en/blob/main/help/implementation/"
         "media-collection-api/")

# spec section -> (Adobe's page title, its path under media-collection-api/); the longest
# matching section wins (§6.2 before §6).
ADOBE_PAGES: dict[str, tuple[str, str]] = {
    "1": ("Media Collection API overview", "mc-api-overview.md"),
    "1.3": ("Events request", "mc-api-ref/mc-api-events-req.md"),
    "1.4": ("Obtain a session ID", "mc-api-impl/mc-api-obtain-sid.md"),
    "1.5": ("JSON validation schemas", "mc-api-ref/mc-api-json-validation.md"),
    "2": ("Events request", "mc-api-ref/mc-api-events-req.md"),
    "2.3": ("Control the order of events", "mc-api-impl/mc-api-ctrl-order.md"),
    "2.4": ("JSON validation schemas", "mc-api-ref/mc-api-json-validation.md"),
    "3": ("Event types", "mc-api-ref/mc-api-event-types.md"),
    "4": ("Request parameters", "mc-api-ref/mc-api-req-params.md"),
    "4.6": ("Sending QoE data", "mc-api-impl/mc-api-sending-qoe.md"),
    "5": ("Custom metadata", "mc-api-impl/mc-api-custom-meta.md"),
    "6.1": ("Sending pings", "mc-api-impl/mc-api-sed-pings.md"),
    "6.2": ("Timeout conditions", "mc-api-impl/mc-api-timeout.md"),
    "6.3": ("Queueing events before the session ID", "mc-api-impl/mc-api-queuing.md"),
    "6.4": ("Timeline 1: VOD with ads", "mc-api-timelines/mc-api-timeline-1.md"),
    "7": ("Timeline 1: VOD with ads", "mc-api-timelines/mc-api-timeline-1.md"),
}
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)")


def adobe_page(spec: str) -> tuple[str, str] | None:
    """(title, url) of Adobe's page for the first § section in ``spec``; None for ours."""
    match = _SECTION.search(spec or "")
    if match is None:
        return None
    parts = match.group(1).split(".")
    for end in range(len(parts), 0, -1):
        found = ADOBE_PAGES.get(".".join(parts[:end]))
        if found is not None:
            return found[0], _BASE + found[1]
    return None


def adobe_url(spec: str) -> str:
    """The url of :func:`adobe_page`, or Adobe's overview page when the reference is ours."""
    page = adobe_page(spec)
    return page[1] if page is not None else _BASE + ADOBE_PAGES["1"][1]
