"""A small asyncio HTTP/1.1 client for load on loopback: thousands of visitors from one process.

Each `Visitor` connects from a loopback address of its own (127.1.x.y; all of 127.0.0.0/8 is this
machine), so nginx sees a different client per visitor and the site's per-visitor limits count them
apart, as they would count people. One connection per request (`Connection: close`), cookies kept
per visitor, redirects followed on request. Standard library only: the venv carries no async HTTP
client, and a thread per visitor would cost the server far more of the machine's CPU.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

READ_LIMIT = 1 << 20  # longest header block accepted
MAX_REDIRECTS = 5


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float  # from connecting to the last byte (the whole chain when redirects were followed)
    url: str  # where the answer came from (after redirects)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def source_address(number: int) -> str:
    """Visitor ``number``'s loopback address: 127.1.0.1, 127.1.0.2, … (65,000 of them)."""
    return f"127.1.{number // 250 % 250}.{number % 250 + 1}"


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readline()
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    return await reader.read()


@dataclass
class Visitor:
    number: int
    cookies: dict[str, str] = field(default_factory=dict)

    async def request(
        self,
        method: str,
        url: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        follow: bool = False,
        timeout: float = 60,
    ) -> Answer:
        """One request (and, with ``follow``, the redirects after it, as GETs)."""
        started = time.perf_counter()
        answer = await asyncio.wait_for(self._once(method, url, form, headers), timeout)
        for _ in range(MAX_REDIRECTS if follow else 0):
            if answer.status not in (301, 302, 303, 307, 308):
                break
            url = urljoin(answer.url, answer.headers["location"])
            answer = await asyncio.wait_for(self._once("GET", url, None, headers), timeout)
        answer.seconds = time.perf_counter() - started
        return answer

    async def _once(self, method: str, url: str, form, headers) -> Answer:
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = urlencode(form).encode() if form is not None else b""
        # Host may be given, to ask one app server directly for the site's address.
        fields = {"Host": parts.netloc, "Connection": "close", "User-Agent": "bench", **(headers or {})}
        lines = [f"{method} {target} HTTP/1.1"] + [f"{name}: {value}" for name, value in fields.items()]
        if self.cookies and parts.hostname in ("localhost", "127.0.0.1"):
            lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(
            parts.hostname, parts.port or 80, local_addr=(source_address(self.number), 0), limit=READ_LIMIT
        )
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split()[1])
            headers_found: dict[str, str] = {}
            for line in head[1:]:
                if ":" not in line:
                    continue
                name, value = line.split(":", 1)
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    self.cookies[cookie_name] = rest.split(";", 1)[0]
                headers_found[name] = value
            content = b"" if method == "HEAD" else await _read_body(reader, headers_found)
        finally:
            writer.close()
        return Answer(status, headers_found, content, time.perf_counter() - started, url)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
