"""`make run`: the four services in one process on the embedded default, ready within
60 seconds with no Java and no PostgreSQL, stopped cleanly by Ctrl-C."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def test_embedded_platform_gets_ready_and_stops_on_ctrl_c(tmp_path: Path):
    ports = dict(zip(("REFERRALS", "PROVIDERS", "CONTRACTS", "NOTIFICATIONS"), free_ports(4), strict=True))
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_DATABASE_URL", "_TRANSPORT"))}
    env.update({f"{name}_PORT": str(port) for name, port in ports.items()})
    env["NOTIFICATIONS_SMTP_PORT"] = str(free_ports(1)[0])
    # No Java, no PostgreSQL: a PATH without them.
    env["PATH"] = "/usr/bin/false-dir"
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts/run_embedded.py")], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        ready = set()
        while len(ready) < 4 and time.monotonic() - started < 60:
            for name, port in ports.items():
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=2).status_code == 200:
                        ready.add(name)
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        assert ready == set(ports), f"not ready after {elapsed:.1f}s: {set(ports) - ready}"
        print(f"make run: all four services ready in {elapsed:.1f}s")
        for port in ports.values():
            assert httpx.get(f"http://127.0.0.1:{port}/docs", timeout=5).status_code == 200
            assert httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).json() == {"status": "ok"}
        assert (tmp_path / "var/embedded/events.db").exists()
        assert {p.name for p in (tmp_path / "var/embedded").glob("*.db")} >= {
            "referrals.db", "providers.db", "contracts.db", "notifications.db"}
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            pytest.fail(f"did not stop within 30 s of Ctrl-C:\n{output[-3000:]}")
    assert process.returncode == 0, output[-3000:]
    assert "http://127.0.0.1:" in output and "stopped." in output
    assert "var/embedded/mail" in output


def test_a_service_that_cannot_start_stops_the_platform_with_an_error(tmp_path: Path):
    ports = free_ports(5)
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_DATABASE_URL", "_TRANSPORT"))}
    env.update({f"{name}_PORT": str(port) for name, port in
                zip(("REFERRALS", "PROVIDERS", "CONTRACTS", "NOTIFICATIONS"), ports, strict=False)})
    env["NOTIFICATIONS_SMTP_PORT"] = str(ports[4])
    with socket.socket() as taken:  # something else already listens on the contracts port
        taken.bind(("127.0.0.1", ports[2]))
        taken.listen()
        process = subprocess.run([sys.executable, str(ROOT / "scripts/run_embedded.py")], cwd=tmp_path, env=env,
                                 capture_output=True, text=True, timeout=60)
    assert process.returncode != 0
    assert "address already in use" in process.stdout  # the log says why
    assert "CRS platform running" not in process.stdout
