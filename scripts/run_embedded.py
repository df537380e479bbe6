"""`make run`: the four services in one process on the embedded default.

SQLite files and the embedded event log under var/embedded/, each service on its own
port, outbox relays and consumers running inside. Ctrl-C stops everything cleanly.
"""
from __future__ import annotations

import asyncio
import os
import signal

import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox

from crs_shared.logs import configure_logging

SERVICES = {
    "referrals": ("referrals.app", "referrals.settings"),
    "providers": ("providers.app", "providers.settings"),
    "contracts": ("contracts.app", "contracts.settings"),
    "notifications": ("notifications.app", "notifications.settings"),
}


def build_servers() -> list[tuple[str, uvicorn.Server]]:
    servers = []
    for name, (app_module, settings_module) in SERVICES.items():
        settings = __import__(settings_module, fromlist=["Settings"]).Settings()
        app = __import__(app_module, fromlist=["create_app"]).create_app(settings)
        config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, lifespan="on")
        servers.append((f"{name:<14} http://{settings.host}:{settings.port}", uvicorn.Server(config)))
    return servers


def start_local_mail(port: int) -> Controller | None:
    """A local SMTP server keeping every email the platform sends in a Maildir under var/."""
    if os.environ.get("CRS_LOCAL_MAIL", "1") == "0":
        return None
    os.makedirs("var/embedded", exist_ok=True)
    controller = Controller(Mailbox("var/embedded/mail"), hostname="127.0.0.1", port=port)
    try:
        controller.start()
    except (OSError, RuntimeError) as exc:
        print(f"local mail: not started ({exc}); emails go to 127.0.0.1:{port}", flush=True)
        return None
    return controller


async def main() -> None:
    configure_logging("platform", os.environ.get("CRS_LOG_LEVEL", "WARNING"))
    servers = build_servers()
    mail = start_local_mail(__import__("notifications.settings", fromlist=["Settings"]).Settings().smtp_port)
    for _, server in servers:
        server.install_signal_handlers = lambda: None  # one handler for all four, below
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(server.serve()) for _, server in servers]
    started = await wait_until_started(servers, tasks, stop)
    if started:
        print("CRS platform running (embedded default). API docs at <url>/docs:", flush=True)
        for label, _ in servers:
            print("  " + label, flush=True)
        if mail is not None:
            print(f"  {'mail':<14} smtp://127.0.0.1:{mail.port}  (emails kept in var/embedded/mail/new)", flush=True)
        print("Get a token: make token ROLE=practitioner   Stop: Ctrl-C", flush=True)
        await stop.wait()
        print("stopping...", flush=True)
    for _, server in servers:
        server.should_exit = True
    _, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    if mail is not None:
        mail.stop()
    if not started and not stop.is_set():
        raise SystemExit("a service failed to start (see the log above)")
    print("stopped.", flush=True)


async def wait_until_started(servers: list, tasks: list[asyncio.Task], stop: asyncio.Event) -> bool:
    """True once every server listens; False if one gave up starting or we were told to stop."""
    while not all(server.started for _, server in servers):
        if stop.is_set() or any(task.done() for task in tasks):
            return False
        await asyncio.sleep(0.05)
    return True


if __name__ == "__main__":
    asyncio.run(main())
