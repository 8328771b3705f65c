"""A target profile: where to send, and the default sessionStart parameters."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["Profile"]


@dataclass
class Profile:
    """Endpoint settings plus the values a sessionStart gets unless the user overrides them.

    ``base_url`` empty means "the embedded backend".
    """

    name: str = "Embedded backend"
    base_url: str = ""
    verify_tls: bool = True
    timeout: float = 10.0
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
        params: dict[str, Any] = {
            "analytics.trackingServer": self.tracking_server,
            "analytics.reportSuite": self.report_suite,
            "visitor.marketingCloudOrgId": self.org_id,
            "media.id": self.media_id,
            "media.name": self.media_name,
            "media.length": self.media_length,
            "media.contentType": self.content_type,
            "media.playerName": self.player_name,
            "media.channel": self.channel,
            # I19: streamType is optional in the schema, but we always send it.
            "media.streamType": "video",
        }
        if self.visitor_id:
            params["analytics.visitorId"] = self.visitor_id
        return params

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
