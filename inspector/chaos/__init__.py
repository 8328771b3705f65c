"""Client-side delivery chaos: rules, presets, a plan per session, and meant-versus-seen.

Chaos changes how the client delivers what the player meant (late, twice, out of order, not
at all), never the bodies; it works against any target. See ``rules`` for what a rule can
do, ``presets`` for the catalogue named after real bugs, ``plan`` for the lane hook and
``effects`` for the comparison.
"""

from __future__ import annotations

from .driver import attach, deliver_held, observe
from .effects import ChaosEffects, MetricChange, compare
from .plan import ChaosPlan
from .presets import PRESETS, Preset, preset, preset_names, rules_for
from .rules import Action, ChaosError, ChaosRule, parse_rule

__all__ = ["Action", "ChaosEffects", "ChaosError", "ChaosPlan", "ChaosRule", "MetricChange",
           "PRESETS", "Preset", "attach", "compare", "deliver_held", "observe", "parse_rule",
           "preset", "preset_names", "rules_for"]
