"""Ad-break rules: the break shape of spec §3.1 rules 2-4 and pod positions (I4)."""

from __future__ import annotations

from typing import Iterator

from ..findings import Severity
from .base import Advice, Context, group, kind, rule
from .body import param_key

__all__: list[str] = []

WARNING = Severity.WARNING
BREAK_START, BREAK_COMPLETE = kind("adBreakStart"), kind("adBreakComplete")
AD_START, PLAY, PING = kind("adStart"), kind("play"), kind("ping")
SESSION_COMPLETE, SESSION_END = kind("sessionComplete"), kind("sessionEnd")
AD_EVENTS = group("Ads") - {BREAK_START, BREAK_COMPLETE}  # adStart, adComplete, adSkip
AD_ENDS = AD_EVENTS - {AD_START}
# A ping is the cadence timer, not a playback change; it may tick while an ad loads.
PLAYBACK = group("Playback") - {PING}
POD_SECOND, POD_POSITION = param_key("media.ad.podSecond"), param_key("media.ad.podPosition")
_SHAPE = "adBreakStart, then (adStart, adComplete or adSkip) per ad, then adBreakComplete"


@rule("AD_OUTSIDE_BREAK", Severity.ERROR, "ad event with no open ad break", "§3.1 rule 2",
      types=AD_EVENTS)
def ad_outside_break(ctx: Context) -> Iterator[Advice]:
    """adStart/adComplete/adSkip need an open break, even for a lone ad."""
    if ctx.type in AD_EVENTS and not ctx.state.in_break:
        yield Advice(f"{ctx.type} with no open ad break: Adobe ignores it and counts the ad's "
                     f"time as main content; wrap every ad, even a lone one, in {_SHAPE}")


@rule("AD_BREAK_NESTED", WARNING, "adBreakStart while a break is open", "§3.1 rule 3",
      types={BREAK_START})
def ad_break_nested(ctx: Context) -> Iterator[Advice]:
    """Breaks do not nest."""
    if ctx.type == BREAK_START and ctx.state.in_break:
        yield Advice("adBreakStart while an ad break is still open: breaks do not nest, so "
                     "Adobe's pod times for the open break end here at best; send "
                     "adBreakComplete first")


def _unclosed(ctx: Context) -> Advice | None:
    state, type_ = ctx.state, ctx.type
    if type_ == SESSION_END:
        return Advice("sessionEnd with an ad break open: Adobe closes the ad and break as "
                      "abandoned (normal when the viewer quits mid-ad, as in Adobe's "
                      "timeline 2); if the ad did finish, send adComplete and adBreakComplete "
                      "first", Severity.INFO)
    if type_ == SESSION_COMPLETE:
        return Advice("sessionComplete with an ad break open: Adobe keeps counting the break, "
                      "so a post-roll never completes; send adBreakComplete first")
    if type_ in group("Chapters"):
        return Advice(f"{type_} inside an open ad break: chapters belong to main content and "
                      "Adobe would time this chapter inside the break; send adBreakComplete "
                      "first")
    if type_ in PLAYBACK and not state.ad_open and state.ads_in_break:
        return Advice(f"{type_} after the last ad but before adBreakComplete: Adobe still "
                      "counts the break (and its time) as open; send adBreakComplete, then "
                      "play")
    return None


@rule("AD_BREAK_UNCLOSED", WARNING, "content or session events while an ad break is open",
      "§3.1 rule 3")
def ad_break_unclosed(ctx: Context) -> Iterator[Advice]:
    """An open break where main content (or the session's end) goes on."""
    if ctx.state.in_break:
        advice = _unclosed(ctx)
        if advice:
            yield advice


@rule("AD_BREAK_COMPLETE_WITHOUT_START", WARNING, "adBreakComplete with no open break",
      "§3.1 rule 3", types={BREAK_COMPLETE})
def ad_break_complete_without_start(ctx: Context) -> Iterator[Advice]:
    """A closing bookend without its opening one."""
    if ctx.type == BREAK_COMPLETE and not ctx.state.in_break:
        yield Advice("adBreakComplete with no open ad break: Adobe ignores it, and any ads "
                     f"since the last break counted as main content; send {_SHAPE}")


@rule("AD_START_WHILE_AD_OPEN", WARNING, "adStart while the previous ad is still open",
      "§3.1 rule 3", types={AD_START})
def ad_start_while_ad_open(ctx: Context) -> Iterator[Advice]:
    """Each ad ends with adComplete or adSkip before the next adStart."""
    if ctx.type == AD_START and ctx.state.in_break and ctx.state.ad_open:
        yield Advice("adStart while the previous ad is still open: Adobe never sees that ad "
                     "complete or skipped, so its completion reports are wrong; send "
                     "adComplete or adSkip first")


@rule("AD_END_WITHOUT_START", WARNING, "adComplete/adSkip with no open ad", "§3.1 rule 3",
      types=AD_ENDS)
def ad_end_without_start(ctx: Context) -> Iterator[Advice]:
    """Inside a break, but no ad is open to complete or skip."""
    if ctx.type in AD_ENDS and ctx.state.in_break and not ctx.state.ad_open:
        yield Advice(f"{ctx.type} with no open ad in this break: Adobe has no ad to close and "
                     "ignores it; send adStart first, and one adComplete or adSkip per ad")


@rule("AD_UNCLOSED", WARNING, "adBreakComplete while an ad is still open", "§3.1 rule 3",
      types={BREAK_COMPLETE})
def ad_unclosed(ctx: Context) -> Iterator[Advice]:
    """The last ad of a break needs its adComplete or adSkip."""
    if ctx.type == BREAK_COMPLETE and ctx.state.in_break and ctx.state.ad_open:
        yield Advice("adBreakComplete while an ad is still open: Adobe closes the ad without "
                     "a completion, so it counts as not finished; send adComplete (or adSkip) "
                     "first")


@rule("PLAYBACK_BEFORE_AD_IN_BREAK", WARNING, "playback event between adBreakStart and "
      "adStart", "§3.1 rule 3", types=PLAYBACK)
def playback_before_ad_in_break(ctx: Context) -> Iterator[Advice]:
    """The player counts as playing through the break: no play/pause/buffer before the ad."""
    state = ctx.state
    if ctx.type in PLAYBACK and state.in_break and not state.ad_open and not state.ads_in_break:
        yield Advice(f"{ctx.type} between adBreakStart and adStart: Adobe counts the player as "
                     "playing through the break, and a play here can count a content start "
                     "or content time; send no playback events until the first adStart")


@rule("PLAY_BEFORE_PREROLL_AD", WARNING, "play sent before the pre-roll's adBreakStart and "
      "adStart", "§3.1 rule 4", types={BREAK_START})
def play_before_preroll_ad(ctx: Context) -> Iterator[Advice]:
    """A pre-roll (podSecond 0) opened after play: the content start was counted too early."""
    state = ctx.state
    if (ctx.type == BREAK_START and ctx.event.params.get(POD_SECOND) == 0
            and state.played and not state.breaks):
        yield Advice("pre-roll adBreakStart after play: Adobe already counted a content start, "
                     "even if the viewer quits during the ad; send sessionStart, adBreakStart, "
                     "adStart ... adBreakComplete, and only then play")


@rule("DUPLICATE_POD_POSITION", WARNING, "two ads with one podPosition in a break",
      "§4.3, I4", types={AD_START})
def duplicate_pod_position(ctx: Context) -> Iterator[Advice]:
    """Each ad of a pod has its own place in it."""
    position = ctx.event.params.get(POD_POSITION)
    if ctx.type == AD_START and ctx.state.in_break and position in ctx.state.pod_positions:
        yield Advice(f"{POD_POSITION} {position} is already used in this break: Adobe reports "
                     "both ads at one position; number the ads of a pod 1, 2, 3...")
