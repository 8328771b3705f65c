"""Findings link to Adobe's page for their rule; our own choices say they are ours."""

from __future__ import annotations

from inspector.docs import ADOBE_PAGES, adobe_page
from inspector.rules import RULES

# The pages of AdobeDocs/media-analytics.en under help/implementation/media-collection-api/
# (as listed in that repository): a link must name one of them.
_PUBLISHED = {
    "mc-api-overview.md", "mc-api-impl/mc-api-ctrl-order.md",
    "mc-api-impl/mc-api-custom-meta.md", "mc-api-impl/mc-api-impl-events-req.md",
    "mc-api-impl/mc-api-obtain-sid.md", "mc-api-impl/mc-api-queuing.md",
    "mc-api-impl/mc-api-quick-start.md", "mc-api-impl/mc-api-sed-pings.md",
    "mc-api-impl/mc-api-sending-qoe.md", "mc-api-impl/mc-api-set-http-req.md",
    "mc-api-impl/mc-api-timeout.md", "mc-api-impl/mc-api-validate-reqs.md",
    "mc-api-ref/mc-api-event-types.md", "mc-api-ref/mc-api-events-req.md",
    "mc-api-ref/mc-api-json-validation.md", "mc-api-ref/mc-api-req-params.md",
    "mc-api-ref/mc-api-sessions-req.md", "mc-api-timelines/mc-api-timeline-1.md",
    "mc-api-timelines/mc-api-timeline-2.md", "mc-api-timelines/mc-api-timeline-3.md"}


def test_every_mapped_page_is_one_adobe_published() -> None:
    assert {path for _, path in ADOBE_PAGES.values()} <= _PUBLISHED


def test_each_rule_with_a_spec_section_links_to_adobe_and_the_longest_section_wins() -> None:
    for rule in RULES:
        if "§" in rule.spec:
            assert adobe_page(rule.spec) is not None, rule.code
    assert adobe_page("§6.2")[0] == "Timeout conditions"  # type: ignore[index]
    assert adobe_page("§3.1 rule 2")[1].endswith("mc-api-ref/mc-api-event-types.md")  # type: ignore[index]
    assert adobe_page("I7") is None and adobe_page("") is None
