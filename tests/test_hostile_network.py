"""URLs from data: addresses that may not be fetched, servers that do not speak HTTP, drip or bomb."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from newsloom import netfetch
from newsloom.errors import InputError
from newsloom.ingest import fetch, read_sources


@pytest.mark.parametrize(
    "addr",
    [
        "100.64.0.1",  # shared address space (carrier-grade NAT)
        "100.100.100.200",  # a cloud metadata service inside it
        "2002:7f00:1::",  # 6to4 form of 127.0.0.1
        "192.88.99.1",  # 6to4 relay anycast
        "::ffff:127.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 form of 127.0.0.1
        "169.254.169.254",
        "10.1.2.3",
        "::1",
        "224.0.0.1",
        "0.0.0.0",
    ],
)
def test_special_purpose_addresses_are_refused(addr):
    assert netfetch.address_refused(ipaddress.ip_address(addr))


@pytest.mark.parametrize("addr", ["8.8.8.8", "2606:4700::1111", "2002:808:808::"])
def test_public_addresses_are_allowed(addr):
    assert not netfetch.address_refused(ipaddress.ip_address(addr))


def test_the_name_is_resolved_once_and_the_checked_address_is_used(monkeypatch):
    """DNS rebinding: a second lookup would answer 127.0.0.1; there is none."""
    calls: list[str] = []
    real = socket.getaddrinfo

    def resolver(host, port, *args, **kwargs):
        calls.append(host)
        addr = "192.0.2.1" if len(calls) == 1 else "127.0.0.1"  # TEST-NET-1, refused as non-global
        return real(addr, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with pytest.raises(InputError, match=r"192\.0\.2\.1.*non-public"):
        fetch("http://rebind.example/", timeout=1, total=2)
    assert calls == ["rebind.example"]


def _serve(handler: Callable[[socket.socket], None]) -> Iterator[str]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(10)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                try:
                    handler(conn)
                except OSError:
                    pass

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}/"
    stop.set()
    srv.close()


@pytest.fixture()
def not_http():
    yield from _serve(lambda c: c.sendall(b"SSH-2.0-OpenSSH_9.0 this is not HTTP\r\n\r\n"))


@pytest.fixture()
def drip():
    def send(c: socket.socket) -> None:
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        for _ in range(100):
            c.sendall(b"<")
            time.sleep(0.2)

    yield from _serve(send)


@pytest.fixture()
def bomb():
    body = gzip.compress(b"<p>" + b" " * (40 * 2**20))  # 40 MB of spaces in about 40 KB

    def send(c: socket.socket) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: {len(body)}\r\n\r\n"
        c.sendall(head.encode() + body)

    yield from _serve(send)


def test_a_server_that_does_not_speak_http_is_one_failure(not_http, tmp_path):
    items = list(read_sources([not_http, str(tmp_path / "missing.txt")], allow_private=True))
    assert [type(i) for i in items] == [InputError, InputError]
    assert "not valid HTTP" in items[0].reason


def test_a_dripping_server_is_cut_at_the_total_deadline(drip):
    t0 = time.monotonic()
    with pytest.raises(InputError, match="within 1 s"):
        fetch(drip, allow_private=True, timeout=5, total=1)
    assert time.monotonic() - t0 < 5


def test_content_encoding_is_capped_after_decompression(bomb):
    with pytest.raises(InputError, match="once decompressed"):
        fetch(bomb, allow_private=True, max_bytes=10 * 2**20)
