"""Adobe's three timelines of spec §7 as test sequences (shared by report and server tests).

Figures are the tables' own (I18: the tables are the authority, bodies sometimes disagree).
"""

from __future__ import annotations

from typing import Any

from inspector.protocol.bodies import sample_body
from inspector.protocol.edge import to_edge

T0_MS = 1767225600000


def timeline(steps: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Bodies for (t, playhead, eventType[, changes]) rows; events that share a second of
    the table get 1 ms apart, in table order (spec §2.2: distinct ts)."""
    bodies, last_ts = [], -1
    for row in steps:
        t, playhead, name, changes = (*row, {})[:4]
        ts = max(T0_MS + round(t * 1000), last_ts + 1)
        body = sample_body(name, ts=ts, playhead=playhead)
        body.update(changes)
        bodies.append(body)
        last_ts = ts
    return bodies


def ad(length: float, position: int) -> dict[str, Any]:
    body = sample_body("adStart")
    body["params"].update({"media.ad.length": length, "media.ad.podPosition": position})
    return {"params": body["params"]}


def pod(index: int, second: float) -> dict[str, Any]:
    return {"params": {"media.ad.podIndex": index, "media.ad.podSecond": second}}


def chapter(index: int, offset: float, length: float) -> dict[str, Any]:
    return {"params": {"media.chapter.index": index, "media.chapter.offset": offset,
                       "media.chapter.length": length}}


TIMELINE_1 = [  # spec §7, timeline 1 (1 s ad pings elided, as in the table)
    (0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)), (0, 0, "adStart", ad(15, 1)),
    (1, 0, "ping"), (2, 0, "ping"), (3, 0, "ping"),
    (15, 0, "adComplete"), (15, 0, "adStart", ad(7, 2)), (20, 0, "ping"),
    (22, 0, "adComplete"), (22, 0, "adBreakComplete"), (22, 0, "play"),
    (30, 8, "ping"), (33, 11, "bufferStart"), (36, 11, "play"), (40, 15, "ping"),
    (46, 21, "adBreakStart", pod(2, 21)), (46, 21, "adStart", ad(8, 1)), (50, 21, "ping"),
    (54, 21, "adComplete"), (54, 21, "adBreakComplete"),
    (60, 27, "ping"), (64, 31, "pauseStart"), (70, 31, "ping"), (74, 31, "play"),
    (80, 37, "ping"), (88, 45, "sessionComplete"),
]
TIMELINE_2 = [  # spec §7, timeline 2 (pre-roll of 12 s per the prose, I18)
    (0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)), (0, 0, "adStart", ad(12, 1)),
    (1, 0, "ping"), (12, 0, "adComplete"), (12, 0, "adBreakComplete"),
    (12, 0, "play", {"qoeData": {"media.qoe.bitrate": 2_000_000}}),
    (20, 8, "ping"), (30, 18, "ping"), (32, 20, "error"), (37, 20, "play"), (40, 28, "ping"),
    (45, 33, "adBreakStart", pod(2, 33)), (45, 33, "adStart", ad(8, 1)),
    (48, 33, "sessionEnd"),
]
TIMELINE_3 = [  # spec §7, timeline 3: chapters around a mid-roll
    (0, 0, "sessionStart"), (0, 0, "adBreakStart", pod(1, 0)), (0, 0, "adStart", ad(15, 1)),
    (10, 0, "ping"), (15, 0, "adComplete"), (15, 0, "adStart", ad(7, 2)), (16, 0, "ping"),
    (22, 0, "adComplete"), (22, 0, "adBreakComplete"), (22, 0, "play"),
    (23, 1, "chapterStart", chapter(1, 0, 20)),
    (30, 8, "ping"), (33, 11, "bufferStart"), (36, 11, "play"), (40, 15, "ping"),
    (45, 20, "chapterComplete"),
    (46, 21, "adBreakStart", pod(2, 21)), (46, 21, "adStart", ad(8, 1)), (47, 21, "ping"),
    (54, 21, "adComplete"), (54, 21, "adBreakComplete"),
    (55, 22, "chapterStart", chapter(2, 22, 22)),
    (60, 27, "ping"), (64, 31, "pauseStart"), (70, 31, "ping"), (74, 31, "play"),
    (80, 37, "ping"), (87, 44, "chapterComplete"), (88, 45, "sessionComplete"),
]


def downloaded_batch(bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """An offline ``/downloaded`` batch of ``bodies`` (the Edge OpenAPI's
    mediaDownloadedEvents): each entry the Edge event the classic body maps to, no sid."""
    entries = []
    for body in bodies:
        xdm = to_edge(body, None).body["events"][0]["xdm"]
        entries.append({"mediaEventTimestamp": xdm["timestamp"],
                        "mediaEventType": xdm["eventType"],
                        "mediaCollection": xdm["mediaCollection"]})
    return {"events": [{"xdm": {"eventType": "media.downloaded",
                                "identityMap": {"FPID": [{"id": "x", "primary": True}]},
                                "mediaDownloadedEvents": entries}}]}
