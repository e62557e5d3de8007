"""HTTP for untrusted URLs: one checked address, a total deadline, size caps before and after decoding.

Used for article URLs (`ingest URL`) and the optional LLM endpoint. urllib does the protocol; this module
adds what it lacks for URLs that come from data:

- The host name is resolved once, each address is checked, and the connection goes to the address that
  was checked (no second lookup that DNS rebinding could answer differently).
- Addresses are refused unless global (`ipaddress`'s `is_global`), including addresses embedded in IPv6
  forms (IPv4-mapped, 6to4, Teredo, NAT64) and multicast.
- A total deadline for the whole exchange: a watchdog shuts the socket when it passes, so a server that
  sends a byte every few seconds cannot hold a command.
- The body is capped on the wire and again after Content-Encoding is decoded (gzip, deflate).
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass
from typing import Any

__all__ = ["DeadlinePassed", "FetchError", "RefusedAddress", "Response", "address_refused", "request"]

# The 6to4 relay anycast prefix (RFC 7526, deprecated): a relay forwards to any 6to4 address, loopback
# included, yet `ipaddress` counts it as global.
_RELAY_ANYCAST = ipaddress.ip_network("192.88.99.0/24")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(OSError):
    """A host resolved to an address that may not be fetched."""


class DeadlinePassed(OSError):
    """The whole exchange took longer than its deadline."""


def address_refused(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is not a public unicast address (or embeds one that is not)."""
    if addr.is_multicast or not addr.is_global or addr in _RELAY_ANYCAST:
        return True
    if isinstance(addr, ipaddress.IPv6Address):
        embedded: list[ipaddress.IPv4Address] = []
        if addr.ipv4_mapped:
            embedded.append(addr.ipv4_mapped)
        if addr.sixtofour:
            embedded.append(addr.sixtofour)
        if addr.teredo:
            embedded.extend(addr.teredo)
        if addr in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        return any(address_refused(e) for e in embedded)
    return False


def _connect(host: str, port: int, timeout: float, allow_private: bool, deadline: float) -> socket.socket:
    """Resolve once, check every address, connect to a checked one; arm the deadline's watchdog."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve host {host!r}: {exc.strerror or exc}") from None
    if not allow_private:
        for info in infos:
            addr = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if address_refused(addr):
                raise RefusedAddress(
                    f"refusing to fetch {host} ({addr}): a private, loopback, link-local or other non-public "
                    "address; pass --allow-private to allow it"
                )
    last: OSError | None = None
    for family, kind, proto, _, sockaddr in infos:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeadlinePassed("the deadline passed while connecting")
        sock = socket.socket(family, kind, proto)
        sock.settimeout(min(timeout, remaining))
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            last = exc
            continue
        watchdog = threading.Timer(remaining, _shut, (sock,))
        watchdog.daemon = True
        watchdog.start()
        return sock
    raise last or OSError(f"cannot connect to {host}")


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, allow_private: bool, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._allow_private, self._deadline = allow_private, deadline

    def connect(self) -> None:
        self.sock = _connect(
            self.host, self.port, float(self.timeout or 30), self._allow_private, self._deadline
        )


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, allow_private: bool, deadline: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._allow_private, self._deadline = allow_private, deadline

    def connect(self) -> None:
        raw = _connect(self.host, self.port, float(self.timeout or 30), self._allow_private, self._deadline)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


class _Handler(urllib.request.HTTPHandler, urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool, deadline: float) -> None:
        urllib.request.HTTPHandler.__init__(self)
        urllib.request.HTTPSHandler.__init__(self)
        self.opts = {"allow_private": allow_private, "deadline": deadline}

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, **self.opts), req)  # type: ignore[arg-type]

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPSConnection, **self.opts), req)  # type: ignore[arg-type]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # redirects are followed by `request` itself, checking each hop


@dataclass
class Response:
    status: int
    url: str  # after redirects
    headers: dict[str, str]
    body: bytes


class FetchError(Exception):
    """A URL could not be fetched; the message says why in words."""


def request(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 20.0,
    total: float = 60.0,
    max_bytes: int = 10 * 2**20,
    max_redirects: int = 5,
    allow_private: bool = False,
) -> Response:
    """One HTTP exchange with every limit: `timeout` for a connection or a read, `total` for the whole
    exchange (redirects included), `max_bytes` for the body on the wire and after decoding. Raises
    FetchError with a reason a user can read."""
    deadline = time.monotonic() + total
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _Handler(allow_private, deadline), _NoRedirect
    )
    current = url
    for _ in range(max_redirects + 1):
        parts = urllib.parse.urlsplit(current)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs can be fetched, not {parts.scheme or 'a bare path'}")
        if not parts.hostname:
            raise FetchError("URL has no host")
        req = urllib.request.Request(current, data=data, headers=dict(headers or {}))
        req.add_header("Accept-Encoding", "gzip, deflate")
        try:
            resp = opener.open(req, timeout=timeout)
        except urllib.error.HTTPError as exc:
            if exc.code == 304:  # the answer to a conditional request: nothing new
                hdrs = {k.lower(): v for k, v in exc.headers.items()}
                exc.close()
                return Response(304, current, hdrs, b"")
            if exc.code in (301, 302, 303, 307, 308) and exc.headers.get("Location"):
                current = urllib.parse.urljoin(current, exc.headers["Location"])
                exc.close()
                continue
            raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            raise FetchError(_reason(exc.reason, deadline, total)) from None
        except (http.client.HTTPException, OSError, ValueError) as exc:
            raise FetchError(_reason(exc, deadline, total)) from None
        with resp:
            try:
                hdrs = {k.lower(): v for k, v in resp.headers.items()}
                declared = hdrs.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(
                        f"response of {int(declared) // 2**20} MB is over the {max_bytes // 2**20} MB limit"
                    )
                body = _read_body(resp, max_bytes, deadline)
                body = _decode(body, hdrs.get("content-encoding", ""), max_bytes)
            except (http.client.HTTPException, OSError, ValueError) as exc:
                raise FetchError(_reason(exc, deadline, total)) from None
            return Response(resp.status, current, hdrs, body)
    raise FetchError(f"more than {max_redirects} redirects")


def _reason(exc: object, deadline: float, total: float) -> str:
    if time.monotonic() >= deadline or isinstance(exc, DeadlinePassed):
        return f"no complete answer within {total:g} s"
    if isinstance(exc, http.client.HTTPException):
        return f"the server's answer is not valid HTTP ({type(exc).__name__})"
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    return f"cannot fetch: {exc}"


def _read_body(resp: http.client.HTTPResponse, max_bytes: int, deadline: float) -> bytes:
    chunks, size = [], 0
    while True:
        chunk = resp.read1(1 << 16)
        if time.monotonic() >= deadline:  # the watchdog shut the socket: the body is not whole
            raise DeadlinePassed("deadline passed while reading")
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response is over the {max_bytes // 2**20} MB limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, encoding: str, max_bytes: int) -> bytes:
    """Undo Content-Encoding without ever holding more than `max_bytes` of decoded data."""
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return body
    if enc in ("gzip", "x-gzip"):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif enc == "deflate":
        d = zlib.decompressobj()
    else:
        raise FetchError(f"unsupported Content-Encoding {encoding!r}")
    try:
        out = d.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"corrupt {enc} body ({exc})") from None
    if len(out) > max_bytes:
        raise FetchError(f"response is over the {max_bytes // 2**20} MB limit once decompressed")
    return out
