"""Profiles: the sessionStart defaults they produce, and tolerant loading from settings."""

from __future__ import annotations

from inspector.profile import SESSION_PARAM_FIELDS, Profile
from inspector.protocol.bodies import PlayerTime, build_body
from inspector.protocol.catalogue import params_for
from inspector.protocol.schemas import validate_body


def test_profile_fields_fill_real_session_start_params() -> None:
    known = {p.key for p in params_for("sessionStart")}
    assert set(SESSION_PARAM_FIELDS.values()) <= known


def test_default_and_edited_profiles_give_valid_session_starts() -> None:
    for profile in (Profile(), Profile(visitor_id="vid-1", content_type="live")):
        body = build_body("sessionStart", PlayerTime(0, 1), profile.session_params())
        assert validate_body(body) == []
    assert "analytics.visitorId" not in Profile().session_params()
    assert Profile(visitor_id="v").session_params()["analytics.visitorId"] == "v"


def test_from_dict_ignores_unknown_keys_and_bad_types() -> None:
    loaded = Profile.from_dict({"media_length": "12.5", "timeout": "soon", "verify_tls": "false",
                                "colour": "red", "name": "QA"})
    assert loaded.media_length == 12.5 and loaded.timeout == Profile().timeout
    assert loaded.verify_tls is False and loaded.name == "QA"
