"""``run_serve``: banner, access log, loopback warning, port in use, clean Ctrl-C."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap

import httpx

from inspector.server.serve import is_loopback, run_serve
from mc_driver import body


def test_port_in_use_is_one_line_and_exit_1() -> None:
    out, err = io.StringIO(), io.StringIO()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert run_serve("127.0.0.1", port, out=out, err=err) == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "in use" in lines[0]
    assert "Traceback" not in err.getvalue() and out.getvalue() == ""


def test_binding_beyond_loopback_warns() -> None:
    out, err = io.StringIO(), io.StringIO()
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        assert run_serve("0.0.0.0", taken.getsockname()[1], out=out, err=err) == 1
    assert "warning" in err.getvalue() and "0.0.0.0" in err.getvalue()


def test_loopback_hosts() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


_CHILD = textwrap.dedent("""
    import signal, sys
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal
    from inspector.server.serve import run_serve
    sys.exit(run_serve("127.0.0.1", 0))
""")


def test_serve_logs_each_call_and_stops_cleanly_on_ctrl_c() -> None:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = os.getcwd()
    child = subprocess.Popen([sys.executable, "-c", _CHILD], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None
        banner = child.stdout.readline()
        match = re.fullmatch(r"Media Collection API at (http://127\.0\.0\.1:\d+/api/v1)\n",
                             banner)
        assert match, banner
        with httpx.Client(base_url=match.group(1).removesuffix("/api/v1"),
                          trust_env=False) as http:
            created = http.post("/api/v1/sessions", json=body("sessionStart", 0))
            sid = created.headers["location"].rsplit("/", 1)[1]
            assert http.post(f"/api/v1/sessions/{sid}/events",
                             json=body("play", 1)).status_code == 204
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0 and "Traceback" not in err
    log = [line for line in err.splitlines() if " POST " in line]
    assert re.search(rf"POST /api/v1/sessions 201 sessionStart sid={sid} [\d.]+ms", log[0])
    assert re.search(rf"POST /api/v1/sessions/{sid}/events 204 play sid={sid} [\d.]+ms",
                     log[1])


def test_beyond_loopback_serve_prints_a_token_that_inspector_needs() -> None:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["PYTHONPATH"] = os.getcwd()
    child = subprocess.Popen([sys.executable, "-c", _CHILD.replace('"127.0.0.1", 0',
                                                                   '"0.0.0.0", 0')],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert child.stdout is not None
        port = re.fullmatch(r"Media Collection API at http://0\.0\.0\.0:(\d+)/api/v1\n",
                            child.stdout.readline())
        token = re.fullmatch(r"/_inspector/ needs the header X-Inspector-Token: (\S+) "
                             r"\(or \?token=(\S+)\)\n", child.stdout.readline())
        assert port and token and token.group(1) == token.group(2)
        with httpx.Client(base_url=f"http://127.0.0.1:{port.group(1)}", trust_env=False) as http:
            assert http.get("/_inspector/sessions").status_code == 403
            assert http.get("/_inspector/sessions", headers={
                "X-Inspector-Token": token.group(1)}).status_code == 200
            assert http.post("/api/v1/sessions", json=body("sessionStart", 0)).status_code == 201
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0 and "warning" in err and "token" in err
