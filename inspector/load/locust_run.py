"""A load run on Locust's runners: alone, as the master, or as one of its workers.

Alone and as a worker, this process hosts its viewers (a :class:`~.locust_bridge.Bridge`).
As the master it hosts none: Locust hands users to the workers, merges the statistics they
report, and this module gathers each worker's last word (unexpected statuses, findings,
pings late or shed) once it has stopped. A worker sends that word, with a final statistics
report, before it tells the master it has stopped, so the master's totals are complete by
the time its ``stop()`` returns.
"""

from __future__ import annotations

# First: the bridge decides how Locust is imported (no monkey patching; see its docstring).
from .locust_bridge import Bridge, user_classes  # isort: skip

import argparse
import csv
import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import gevent
from locust.argument_parser import default_args_dict
from locust.env import Environment
from locust.html import get_html_report
from locust.runners import MasterRunner, WorkerRunner
from locust.stats import (PERCENTILES_TO_REPORT, StatsCSVFileWriter, get_error_report_summary,
                          get_percentile_stats_summary, get_stats_summary, stats_history)

from ..scenarios.model import Scenario

__all__ = ["LoadOptions", "LoadResult", "run_load", "DONE_MESSAGE"]

DONE_MESSAGE = "media_inspector_done"  # worker -> master: its summary, once it has stopped


@dataclass
class LoadOptions:
    """Everything a load run needs; ``role`` is ``local``, ``master`` or ``worker``."""

    scenarios: list[Scenario]
    users: int = 1
    spawn_rate: float = 1.0
    run_time: float = 60.0
    url: str = ""
    role: str = "local"
    master_host: str = "127.0.0.1"
    master_port: int = 5557
    master_bind_host: str = "*"
    expect_workers: int = 1
    expect_workers_max_wait: float = 60.0
    web_host: str = "127.0.0.1"
    web_port: int | None = None
    csv: str | None = None
    html: str | None = None
    late_ms: float = 100.0
    shed_after: float = 10.0
    dialect: str = "classic"  # spec §9: "edge" posts to /ee/va/v1/{event}
    config_id: str | None = None


@dataclass
class LoadResult:
    """What a load run printed at the end, and what it adds up to."""

    summary: dict[str, Any]
    stats_lines: list[str] = field(default_factory=list)
    health_lines: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def unexpected(self) -> tuple[int, int]:
        return (self.summary.get("unexpected_statuses", 0),
                sum(self.summary.get("findings", {}).values()))


def _environment(opts: LoadOptions) -> Environment:
    parsed = argparse.Namespace(**default_args_dict())
    parsed.headless = opts.web_port is None
    parsed.host = opts.url
    return Environment(user_classes=user_classes(opts.scenarios), host=opts.url or None,
                       parsed_options=parsed, stop_timeout=None)


def _bridge(env: Environment, opts: LoadOptions) -> Bridge:
    bridge = Bridge(env, opts.url, late_ms=opts.late_ms, shed_after=opts.shed_after,
                    names_by_scenario=len(opts.scenarios) > 1, dialect=opts.dialect,
                    config_id=opts.config_id)
    bridge.start()
    return bridge


def _reports(env: Environment, opts: LoadOptions) -> tuple[StatsCSVFileWriter, Any] | None:
    if opts.web_port is not None:
        # Its pages re-read sys.argv with Locust's own parser, which knows none of ours.
        sys.argv[1:] = []
        env.create_web_ui(opts.web_host, opts.web_port)
    if not opts.csv:
        return None
    writer = StatsCSVFileWriter(env, PERCENTILES_TO_REPORT, opts.csv)
    gevent.spawn(stats_history, env.runner)
    return writer, gevent.spawn(writer.stats_writer)


def _finish(env: Environment, opts: LoadOptions,
            csv_writer: tuple[StatsCSVFileWriter, Any] | None) -> None:
    if csv_writer is not None and opts.csv:
        writer, greenlet = csv_writer
        greenlet.kill()
        writer.close_files()
        # Locust's writer refreshes once a second; the last rows must hold every request.
        for suffix, columns, rows in (
                ("_stats.csv", writer.requests_csv_columns, writer._requests_data_rows),
                ("_failures.csv", writer.failures_columns, writer._failures_data_rows)):
            with open(opts.csv + suffix, "w", newline="", encoding="utf-8") as f:
                out = csv.writer(f)
                out.writerow(columns)
                rows(out)
    if opts.html:
        with open(opts.html, "w", encoding="utf-8") as f:
            f.write(get_html_report(env, show_download_link=False))


def run_load(opts: LoadOptions) -> LoadResult:
    """Run it to the end (``run_time`` after the first spawn); never raises for the network."""
    return {"local": _run_local, "master": _run_master, "worker": _run_worker}[opts.role](opts)


def _run_local(opts: LoadOptions) -> LoadResult:
    env = _environment(opts)
    runner = env.create_local_runner()
    bridge = _bridge(env, opts)
    env.events.test_stop.add_listener(lambda **_: bridge.drain())
    writer = _reports(env, opts)
    runner.start(opts.users, opts.spawn_rate)
    gevent.spawn_later(opts.run_time, runner.quit)
    runner.greenlet.join()
    bridge.close()
    _finish(env, opts, writer)
    mine = bridge.summary()
    summary = _stats_summary(env) | {k: mine[k] for k in ("unexpected_statuses", "findings",
                                                         "health")}
    return LoadResult(_clean(summary), _stats_lines(env),
                      bridge.engine.health.lines() if bridge.engine else [])


def _run_master(opts: LoadOptions) -> LoadResult:
    env = _environment(opts)
    runner = env.create_master_runner(opts.master_bind_host, opts.master_port)
    assert isinstance(runner, MasterRunner)
    words: dict[str, dict[str, Any]] = {}
    runner.register_message(DONE_MESSAGE, lambda environment, msg, **_: words.__setitem__(
        msg.node_id, msg.data))
    writer = _reports(env, opts)
    with gevent.Timeout(opts.expect_workers_max_wait, False):
        while len(runner.clients.ready) < opts.expect_workers:
            gevent.sleep(0.1)
    if len(runner.clients.ready) < opts.expect_workers:
        runner.quit()
        return LoadResult({}, error=f"only {len(runner.clients.ready)} of "
                                    f"{opts.expect_workers} worker(s) connected in "
                                    f"{opts.expect_workers_max_wait:g} s")
    workers = {c.id for c in runner.clients.ready}
    runner.start(opts.users, opts.spawn_rate)
    gevent.sleep(opts.run_time)
    runner.stop()  # returns once every worker has said it stopped (its word came first)
    with gevent.Timeout(30, False):
        while not workers <= set(words):
            gevent.sleep(0.1)
    runner.quit()
    _finish(env, opts, writer)
    summary = _stats_summary(env) | _merge_words(words)
    return LoadResult(_clean(summary), _stats_lines(env), _health_total_lines(summary))


def _run_worker(opts: LoadOptions) -> LoadResult:
    env = _environment(opts)
    try:
        runner = env.create_worker_runner(opts.master_host, opts.master_port)
    except ConnectionError as exc:  # Locust gives up after its own retries (5 minutes)
        raise RuntimeError(f"no master answered at {opts.master_host}:{opts.master_port} "
                           "(start one with `media-inspector load … --master`)") from exc
    assert isinstance(runner, WorkerRunner)
    bridge = _bridge(env, opts)

    def stopped(**_: Any) -> None:
        bridge.drain()
        runner._send_stats()  # every exchange reaches the master before "client_stopped"
        runner.send_message(DONE_MESSAGE, _clean(bridge.summary()))

    env.events.test_stop.add_listener(stopped)
    runner.greenlet.join()  # until the master says quit
    bridge.close()
    summary = _clean(bridge.summary())
    return LoadResult(summary, [], bridge.engine.health.lines() if bridge.engine else [])


def _stats_summary(env: Environment) -> dict[str, Any]:
    total = env.stats.total
    return {"requests": total.num_requests, "failures": total.num_failures,
            "by_name": {name: e.num_requests for (name, _), e in env.stats.entries.items()}}


def _stats_lines(env: Environment) -> list[str]:
    lines = get_stats_summary(env.stats, current=False) + [""]
    lines += get_percentile_stats_summary(env.stats) + [""]
    if env.stats.errors:
        lines += get_error_report_summary(env.stats)
    return lines


def _merge_words(words: dict[str, dict[str, Any]]) -> dict[str, Any]:
    findings: Counter[str] = Counter()
    health: Counter[str] = Counter()
    worst = 0.0
    for word in words.values():
        findings.update(word.get("findings", {}))
        h = word.get("health", {})
        health.update({k: h.get(k, 0) for k in ("viewers", "pings", "late_pings",
                                                "shed_pings", "errors")})
        worst = max(worst, (h.get("late_ms") or {}).get("max") or 0.0)
    return {"unexpected_statuses": sum(w.get("unexpected_statuses", 0) for w in words.values()),
            "findings": dict(findings), "health": dict(health) | {"worst_late_ms": worst},
            "workers": words}


def _health_total_lines(summary: dict[str, Any]) -> list[str]:
    h = summary.get("health", {})
    return [f"{len(summary.get('workers', {}))} worker(s), {h.get('viewers', 0)} viewer(s): "
            f"pings {h.get('pings', 0)}, late {h.get('late_pings', 0)}, shed "
            f"{h.get('shed_pings', 0)}; worst lateness {h.get('worst_late_ms', 0.0):.1f} ms"]


def _clean(value: Any) -> Any:
    """JSON- and msgpack-safe: NaN becomes None, keys become text."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
