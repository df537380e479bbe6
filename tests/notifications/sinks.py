"""Local sinks for notifications tests and the benchmark: an HTTP receiver and an SMTP server."""
from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    at: float


@dataclass
class HttpSink:
    """A raw asyncio HTTP/1.1 server (keep-alive) that records every request it answers."""

    respond: Callable[[Received], int] = lambda r: 200
    port: int = 0
    received: list[Received] = field(default_factory=list)
    _server: asyncio.base_events.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> HttpSink:
        self.port = self.port or free_port()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    def ok(self) -> list[Received]:
        return [r for r in self.received if 200 <= r.status < 300]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                _, path, _ = line.decode().split(" ", 2)
                headers: dict[str, str] = {}
                while (h := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    k, _, v = h.decode().partition(":")
                    headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                request = Received(path, headers, body, 0, time.time())
                request.status = self.respond(request)
                self.received.append(request)
                # A 204 or 304 has no body (RFC 9110); strict clients fail on the next response otherwise.
                body_out = b"" if request.status in (204, 304) else b"ok"
                writer.write(f"HTTP/1.1 {request.status} X\r\ncontent-length: {len(body_out)}\r\n\r\n".encode()
                             + body_out)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


class SmtpSink:
    """A real SMTP server (aiosmtpd) on a loopback port; stop and start it to simulate an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = _Mailbox()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Message]:
        return self.mailbox.messages

    def start(self) -> SmtpSink:
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]
