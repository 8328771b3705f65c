"""/_inspector/sessions: the list, one session's report and events, state and close reason."""

from __future__ import annotations

from mc_driver import Api


async def test_list_shows_open_and_closed_sessions(api: Api) -> None:
    first = await api.start()
    second = await api.start(customMetadata={"x": "y"})
    await api.send(first, "sessionEnd", 1)
    listing = (await api.http.get("/_inspector/sessions")).json()
    by_sid = {s["sid"]: s for s in listing["sessions"]}
    assert (listing["open"], listing["closed"]) == (1, 1)
    assert by_sid[first]["state"] == "closed" and by_sid[first]["close_reason"] == "sessionEnd"
    assert by_sid[second]["state"] == "open" and by_sid[second]["close_reason"] is None
    assert by_sid[second]["media.id"] == "ep-0042" and by_sid[first]["events"] == 2
    assert by_sid[second]["times_out_because"] == "no events for 10 min"
    assert by_sid[second]["times_out_at"] == "2026-01-01T00:10:00.000+00:00"


async def test_detail_has_report_events_and_timing(api: Api) -> None:
    sid = await api.start()
    await api.send(sid, "play", 1)
    api.clock.advance(30)
    await api.send(sid, "sessionEnd", 31, playhead=30)
    detail = await api.detail(sid)
    assert detail["state"] == "closed" and detail["close_message"] == "closed by sessionEnd"
    assert detail["closed_at"] == "2026-01-01T00:00:30.000+00:00"
    assert detail["forgotten_at"] == "2026-01-02T00:00:30.000+00:00"
    assert [e["eventType"] for e in detail["events"]] == ["sessionStart", "play", "sessionEnd"]
    assert detail["report"]["time"]["content"] == 30.0


async def test_unknown_sid_is_404(http) -> None:
    response = await http.get(f"/_inspector/sessions/{'f' * 64}")
    assert response.status_code == 404 and "f" * 64 in response.json()["message"]
