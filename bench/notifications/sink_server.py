"""A webhook receiver for the benchmark, run in its own process so it does not share a core's
event loop with the service under test.

A raw asyncio HTTP/1.1 keep-alive server (uvloop when available). Every request is answered 200,
or 500 with probability --failure-rate; it records (webhook-id, referral id, status, time).
`GET /_stats` returns {"requests": n, "ok_ids": distinct webhook-ids answered 2xx};
`GET /_received` returns every record as JSON. Prints "ready" once listening.

Run: python bench/notifications/sink_server.py --port 9000 [--failure-rate 0.1 --seed 1]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time

OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"
FAIL = b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 4\r\n\r\nfail"


class Sink:
    def __init__(self, failure_rate: float, seed: int) -> None:
        self.failure_rate, self.rng = failure_rate, random.Random(seed)
        self.records: list[tuple[str, str, int, float]] = []
        self.ok_ids: set[str] = set()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if line:
                        k, _, v = line.partition(":")
                        headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if method == "GET":
                    writer.write(self._stats(path))
                    continue
                at = time.time()
                status = 500 if self.rng.random() < self.failure_rate else 200
                webhook_id = headers.get("webhook-id", "")
                self.records.append((webhook_id, _referral_id(body), status, at))
                if status == 200:
                    self.ok_ids.add(webhook_id)
                writer.write(OK if status == 200 else FAIL)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            writer.close()

    def _stats(self, path: str) -> bytes:
        if path == "/_received":
            body = json.dumps(self.records).encode()
        else:
            body = json.dumps({"requests": len(self.records), "ok_ids": len(self.ok_ids)}).encode()
        return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (
            len(body), body)


def _referral_id(body: bytes) -> str:
    try:
        return str(json.loads(body)["data"].get("referral_id", ""))
    except (ValueError, KeyError, AttributeError):
        return ""


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--failure-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sink = Sink(args.failure_rate, args.seed)
    server = await asyncio.start_server(sink.serve, "127.0.0.1", args.port, reuse_address=True, backlog=1024)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
