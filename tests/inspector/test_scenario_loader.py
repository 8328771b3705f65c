"""Scenario files: every problem reported with file, line and a fix; schema asset in sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector.scenario import ScenarioError, load_scenario, parse_scenario, scenario_schema

ASSET = Path(__file__).parents[2] / "assets" / "scenario.schema.json"
GOOD = """\
name: ok
steps:
  - {at: 0, do: sessionStart}
  - {at: 1, do: play}
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    return [str(p) for p in caught.value.problems]


def test_a_good_file_loads_with_defaults() -> None:
    scenario = parse_scenario(GOOD, "ok.yaml")
    assert [s.do for s in scenario.steps] == ["sessionStart", "play"]
    assert scenario.options.auto_pings and scenario.options.speed is None
    assert scenario.steps[1].line == 4 and scenario.source == "ok.yaml"


@pytest.mark.parametrize(("text", "expected"), [
    ("name: x\nsteps: [\n", "s.yaml:3: not valid YAML"),
    ("name: x\nsteps:\n  - {at: 0, do: sesionStart}\n", "s.yaml:3: steps.0.do: 'sesionStart' "
     "is not a known value — did you mean 'sessionStart'?"),
    ("name: x\ndescripton: d\nsteps:\n  - {at: 0, do: play}\n",
     "s.yaml:2: descripton: unknown key 'descripton' — did you mean 'description'?"),
    ("name: x\nsteps:\n  - {at: 0, do: seek}\n", "s.yaml:3: `seek` needs a target — add `to:"),
    ("name: x\nsteps:\n  - {at: 5, do: play}\n  - {at: 2, do: play}\n",
     "s.yaml:4: `at: 2` is earlier than the step before it (at 5) — steps run in file order"),
    ("name: x\nsteps:\n  - {at: 0, do: play}\nexpect:\n  findings:\n"
     "    present: [AD_OUTSIDE_BRAEK]\n",
     "s.yaml:6: unknown finding code 'AD_OUTSIDE_BRAEK' — did you mean 'AD_OUTSIDE_BREAK'?"),
    ("name: x\nname: y\nsteps:\n  - {at: 0, do: play}\n", "s.yaml:2: key 'name' appears twice"),
    ("name: x\nsteps:\n  - {at: 0, do: play, body: {}}\n",
     "s.yaml:3: steps.0: a step has either `do:` or `body:`"),
    ("name: x\nsteps:\n  - {at: soon, do: play}\n",
     "s.yaml:3: steps.0.at: 'soon' is not of type 'number' — write a value of type number"),
    ("steps:\n  - {at: 0, do: play}\n", "s.yaml:1: top level: 'name' is a required property"
     " — add `name:`"),
    ("- just a list\n", "s.yaml:1: a scenario is a YAML mapping"),
    ("name: x\nsteps:\n  - {at: 0, do: sessionStart}\n  - {at: 1, body: 'not json'}\n",
     "s.yaml:4: steps.1.body: not JSON"),
    ('name: x\nsteps:\n  - {at: 0, do: sessionStart}\n  - at: 1\n    body:\n'
     '      eventType: "\\ud800"\n',
     "s.yaml:6: steps.1.body.eventType: a lone surrogate"),
    ('name: x\nsteps:\n  - {at: 0, do: play, params: {a.b: "x\\udc00"}}\n',
     "s.yaml:3: steps.0.params.a.b: a lone surrogate"),
    ("name: x\nsteps:\n  - {at: 1, body: '{\"eventType\": \"\\ud800\"}'}\n",
     "s.yaml:3: steps.0.body: a \\u escape for a lone surrogate"),
])
def test_each_problem_names_file_line_and_fix(text: str, expected: str) -> None:
    assert any(p.startswith(expected) for p in _problems(text)), _problems(text)


def test_every_problem_is_reported_at_once() -> None:
    text = ("name: x\nspeed: 2\nsteps:\n  - {at: 0, do: sessionStrat}\n  - {at: 9, do: seek}\n"
            "  - {at: 1, do: play}\n")
    lines = [p.split(":")[1] for p in _problems(text)]
    assert lines == ["2", "4", "5", "6"]


def test_unreadable_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(tmp_path / "missing.yaml")


def test_schema_asset_matches_the_generated_schema() -> None:
    assert json.loads(ASSET.read_text()) == scenario_schema()


def test_schema_lists_every_event_type_from_the_catalogue() -> None:
    from inspector.protocol.catalogue import EVENT_NAMES

    do = scenario_schema()["properties"]["steps"]["items"]["properties"]["do"]["enum"]
    assert set(EVENT_NAMES) <= set(do) and {"pause", "buffer", "seek", "wait"} <= set(do)
