"""A shell script that replays a run's calls against any base URL, sid by sid.

Unlike :func:`~inspector.export.curl.curl_script` (one command per exchange, with the sids of
the original run), this one takes each sid from its own 201 ``Location`` (spec §1.4), so it
replays against any Media Collection server: ``sh replay.sh http://127.0.0.1:8080``. It prints
each answer beside the original one and exits 1 when any differs. Only first attempts that
reached a server are replayed; retries repeat them (spec §1.3) and unsent events never left.
"""

from __future__ import annotations

import shlex
from typing import Iterable

from ..exchange import Exchange, ExchangeState

__all__ = ["replay_script"]

_PRELUDE = r'''#!/bin/sh
# Media Inspector: replays {count} call(s) of this run. Usage: sh replay.sh BASE_URL
# (e.g. http://127.0.0.1:8080 for `media-inspector serve`). Needs curl.
set -u
BASE=${{1:?usage: sh replay.sh BASE_URL   e.g. http://127.0.0.1:8080}}
BASE=${{BASE%/}}
HEADERS=$(mktemp) || exit 2
trap 'rm -f "$HEADERS"' EXIT
different=0
answer() {{ # answer GOT WAS WHAT
  echo "$1 $3 (was $2)"
  [ "$1" = "$2" ] || different=$((different + 1))
}}
start() {{ # start CHANNEL WAS BODY: sessionStart; the sid comes from Location
  code=$(curl -sS -o /dev/null -D "$HEADERS" -w '%{{http_code}}' -X POST \
    -H 'Content-Type: application/json' --data-binary "$3" "$BASE/api/v1/sessions") || code=000
  sid=$(tr -d '\r' < "$HEADERS" |
    sed -n 's#^[Ll]ocation:.*/sessions/\([^/?]*\).*$#\1#p' | tail -n 1)
  eval "SID_$1=\$sid"
  answer "$code" "$2" "sessionStart -> ${{sid:-no sid}}"
}}
event() {{ # event CHANNEL WAS TYPE BODY
  eval "sid=\${{SID_$1:-none}}"
  code=$(curl -sS -o /dev/null -w '%{{http_code}}' -X POST \
    -H 'Content-Type: application/json' --data-binary "$4" \
    "$BASE/api/v1/sessions/$sid/events") || code=000
  answer "$code" "$2" "$3"
}}
'''

_CODA = '''echo "$different of {count} call(s) answered differently from the original run"
[ "$different" -eq 0 ]
'''


def _replayed(exchanges: Iterable[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if e.attempt == 1 and e.status is not None
            and e.state is ExchangeState.DONE and "{sid}" not in e.url]


def replay_script(exchanges: Iterable[Exchange]) -> str:
    """The script for ``exchanges`` (redact them first if the script is to be shared)."""
    calls = _replayed(exchanges)
    lines = [_PRELUDE.format(count=len(calls))]
    for e in calls:
        body = shlex.quote(e.request_body.decode("utf-8", "replace"))
        if e.url.rstrip("/").endswith("/sessions"):
            lines.append(f"start {e.channel} {e.status} {body}")
        else:
            lines.append(f"event {e.channel} {e.status} {shlex.quote(e.event_type)} {body}")
    lines.append(_CODA.format(count=len(calls)))
    return "\n".join(lines)
