"""A target profile: where to send, and the default sessionStart parameters."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["Profile", "ENDPOINT_FIELDS", "SESSION_PARAM_FIELDS", "SAMPLE_DATASTREAM_ID",
           "datastream_problem"]

ENDPOINT_FIELDS = ("name", "base_url", "verify_tls", "timeout", "dialect", "datastream_id")
# A sample datastream id (spec §9, `?configId=`): the embedded backend takes any.
SAMPLE_DATASTREAM_ID = "00000000-0000-4000-8000-000000000000"
# Adobe's datastream ids are UUIDs (Data Collection → Datastreams); a ":<environment>" tail,
# as older Web SDK set-ups wrote it, is let through.
_DATASTREAM = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
                         r"(?::[A-Za-z0-9_-]+)?$")


def datastream_problem(datastream_id: str) -> str | None:
    """Why ``datastream_id`` cannot be the Edge ``configId`` (spec §9); None when it can.

    The window and ``--config-id`` both ask this, so both refuse the same ids."""
    text = datastream_id.strip()
    if not text:
        return ("Media Edge needs a datastream id: every call carries it as ?configId= "
                "(spec §9). Copy it from Adobe Data Collection → Datastreams.")
    if not _DATASTREAM.match(text):
        return (f"{text!r} is not a datastream id: Adobe's are UUIDs such as "
                f"{SAMPLE_DATASTREAM_ID} (Data Collection → Datastreams; spec §9). "
                "Nothing was switched.")
    return None
# Profile field -> the sessionStart parameter it fills (keys from the catalogue, spec §4).
SESSION_PARAM_FIELDS = {
    "tracking_server": "analytics.trackingServer",
    "report_suite": "analytics.reportSuite",
    "org_id": "visitor.marketingCloudOrgId",
    "visitor_id": "analytics.visitorId",
    "player_name": "media.playerName",
    "channel": "media.channel",
    "media_id": "media.id",
    "media_name": "media.name",
    "media_length": "media.length",
    "content_type": "media.contentType",
}


@dataclass
class Profile:
    """Endpoint settings plus the values a sessionStart gets unless the user overrides them.

    ``base_url`` empty means "the embedded backend".
    """

    name: str = "Embedded backend"
    base_url: str = ""
    verify_tls: bool = True
    timeout: float = 10.0
    dialect: str = "classic"  # or "edge": the Media Edge API, /ee/va/v1/{event} (spec §9)
    datastream_id: str = SAMPLE_DATASTREAM_ID  # Edge's ?configId=
    tracking_server: str = "metrics.example.org"
    report_suite: str = "demo-rs"
    org_id: str = "ABC123DEF456@AdobeOrg"
    visitor_id: str = ""
    player_name: str = "inspector-player"
    channel: str = "demo-web"
    media_id: str = "ep-0042"
    media_name: str = "Demo episode"
    media_length: float = 1815.5
    content_type: str = "vod"

    def session_params(self) -> dict[str, Any]:
        """The sessionStart ``params`` this profile sends (spec §4.1–4.2)."""
        params = {key: getattr(self, name) for name, key in SESSION_PARAM_FIELDS.items()}
        if not self.visitor_id:  # optional: left out rather than sent empty
            del params["analytics.visitorId"]
        # I19: streamType is optional in the schema, but we always send it.
        params["media.streamType"] = "video"
        return params

    def client_options(self) -> dict[str, Any]:
        """The MediaCollectionClient keywords this profile sets (dialect, configId)."""
        dialect = self.dialect if self.dialect in ("classic", "edge") else "classic"
        return {"dialect": dialect, "config_id": self.datastream_id or None}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """A profile from stored settings; unknown keys are ignored, bad types fall back."""
        default = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            want = type(getattr(default, f.name))
            try:
                values[f.name] = (str(data[f.name]).lower() in ("1", "true", "yes")
                                  if want is bool else want(data[f.name]))
            except (TypeError, ValueError):
                continue
        return cls(**values)
