"""The one way out: every outbound HTTP request Tandem makes goes through `request()`.

A URL someone typed must not let them reach what only the server can reach (SSRF): the
loopback interface, the private network, a cloud's metadata service. So the guard
resolves the host itself, refuses every address that is not public (unless
TANDEM_EGRESS_ALLOW lets it through), connects to exactly the address it checked (the
Host header, SNI and certificate check still use the name, so a second lookup can not
rebind it), checks the peer it reached, never follows a redirect, and bounds both the
time and the size of the answer. Errors carry a short category that is safe to show; the
socket's own text (which can reveal internal ports and hosts) never leaves this module.
"""

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from tandem.config import EgressAllow

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 1024 * 1024


class EgressError(Exception):
    """The request did not complete. `category` is short and safe to show a user."""

    def __init__(self, category: str) -> None:
        super().__init__(category)
        self.category = category


class EgressRefused(EgressError):
    """Refused before connecting: the URL, or an address its host resolves to, is not allowed."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes

    @property
    def problem(self) -> str:
        """Empty for a 2xx; otherwise the category to record ("HTTP 500")."""
        if 200 <= self.status < 300:
            return ""
        if 300 <= self.status < 400:
            return f"HTTP {self.status} (redirects are not followed)"
        return f"HTTP {self.status}"


# ---------------------------------------------------------------- addresses (pure)

METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack...
        "169.254.170.2",  # AWS ECS task credentials
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)
PRIVATE = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)
# Not globally reachable (IANA's special-purpose registries), named here too because
# Python's is_global tables differ between patch releases.
RESERVED = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "240.0.0.0/4",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "fec0::/10",
    )
)
_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


def embedded_ipv4(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, NAT64), if any:
    a packet to it may well end up at that IPv4 address."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _COMPATIBLE or any(ip in n for n in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def bare(ip: Address) -> Address:
    """The address without an IPv6 %scope, so that it compares equal to what it names."""
    return ipaddress.IPv6Address(int(ip)) if isinstance(ip, ipaddress.IPv6Address) else ip


def refusal(ip: Address) -> str | None:
    """Why Tandem does not connect to this address, or None when it is a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        ip = bare(ip)
        inner = embedded_ipv4(ip)
        if inner is not None and not ip.is_unspecified and not ip.is_loopback:
            reason = refusal(inner)
            if reason:
                return reason
    if ip in METADATA:
        return "cloud metadata address"
    if ip.is_loopback:
        return "loopback address"
    if ip.is_unspecified:
        return "unspecified address"
    if ip.is_link_local:
        return "link-local address"
    if ip.is_multicast:
        return "multicast address"
    if any(ip in n for n in PRIVATE):
        return "private address"
    if not ip.is_global or ip.is_reserved or any(ip in n for n in RESERVED):
        return "reserved address"
    return None


def refusal_under(allow: EgressAllow, ip: Address, host: str) -> str | None:
    """`refusal()` with the admin's allow-list applied: a listed host name passes whatever
    it resolves to, a listed network passes its addresses."""
    if host in allow.hosts:
        return None
    inner = embedded_ipv4(bare(ip))
    if any(a in net for net in allow.networks for a in (bare(ip), inner) if a is not None):
        return None
    return refusal(ip)


_NUMERIC = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$")


def _ipv4_part(part: str) -> int:
    if part.startswith("0x"):
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The address a host such as `2130706433`, `0177.0.0.1` or `0x7f.1` stands for (as
    browsers and resolvers read them, WHATWG URL's IPv4 parser), None for a name.
    ValueError when it looks numeric but is no address."""
    labels = host.removesuffix(".").split(".")
    if not _NUMERIC.match(labels[-1]):
        return None
    if len(labels) > 4 or not all(_NUMERIC.match(label) for label in labels):
        raise ValueError(host)
    numbers = [_ipv4_part(label) for label in labels]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(host)
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def parse_host(host: str) -> Address | str:
    """An IP literal in any spelling, or the host name in lower-case ASCII."""
    host = host.lower()
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    legacy = legacy_ipv4(host)
    if legacy is not None:
        return legacy
    name = host.removesuffix(".").encode("idna").decode("ascii")
    if len(name) > 253 or not all(_LABEL.match(label) for label in name.split(".")):
        raise ValueError(host)
    return name


# ---------------------------------------------------------------- resolving and checking


def resolve(host: str, port: int) -> list[Address]:
    """The addresses a host name resolves to (tests replace this: they never use real DNS)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in found))


# getaddrinfo() has no timeout of its own; a lookup runs here so the caller can stop waiting.
_lookups = ThreadPoolExecutor(max_workers=4, thread_name_prefix="egress-dns")


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`addresses`) and what to call it (`host`)."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[Address, ...]


def check(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Target:
    """Validate a URL and resolve its host; EgressRefused when Tandem must not go there."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        raise EgressRefused("refused: not http or https")
    try:
        port = parts.port if parts.port is not None else {"http": 80, "https": 443}[parts.scheme]
        host = parse_host(parts.hostname or "")
    except (ValueError, UnicodeError):
        raise EgressRefused("refused: not a valid URL") from None
    if not port:
        raise EgressRefused("refused: not a valid URL")
    if parts.username is not None or parts.password is not None:
        raise EgressRefused("refused: credentials in the URL")
    name = host if isinstance(host, str) else str(host)
    if isinstance(host, str):
        try:
            addresses = _lookups.submit(resolve, host, port).result(timeout=timeout)
        except FutureTimeout:
            raise EgressRefused("refused: could not resolve host (timeout)") from None
        except (OSError, UnicodeError, ValueError):
            raise EgressRefused("refused: could not resolve host") from None
        if not addresses:
            raise EgressRefused("refused: could not resolve host")
    else:
        addresses = [host]
    allow: EgressAllow = settings.TANDEM_EGRESS_ALLOW
    for address in addresses:
        reason = refusal_under(allow, address, name)
        if reason:
            raise EgressRefused(f"refused: {reason}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, name, port, path, tuple(addresses))


# ---------------------------------------------------------------- connecting


def connect(address: Address, port: int, timeout: float) -> socket.socket:
    """A TCP connection to exactly this address (tests wrap it to keep off the internet)."""
    return socket.create_connection((str(address), port), timeout=timeout)


class _Deadline:
    """The whole exchange's time budget. Socket timeouts only bound each read, so a
    receiver trickling a byte at a time could hold on for ever: at the deadline a timer
    shuts the socket, which ends whatever read is waiting."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise EgressError("timeout")
        return left

    def watch(self, sock: socket.socket) -> None:
        self._timer = threading.Timer(self.remaining(), self._cut, args=(sock,))
        self._timer.daemon = True
        self._timer.start()

    def _cut(self, sock: socket.socket) -> None:
        self.expired = True
        # The plain socket's shutdown, also under TLS: it only has to wake the reader.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _open(target: Target, deadline: _Deadline) -> socket.socket:
    """Connect to the first of the checked addresses that answers; TLS for https."""
    failure: OSError = ConnectionRefusedError()
    for address in target.addresses:
        try:
            sock = connect(address, target.port, deadline.remaining())
        except OSError as error:
            failure = error
            continue
        try:
            deadline.watch(sock)
            # Pinned, so this only fails if something between us and the network diverted
            # the connection; cheap to check, and it is where the data really goes.
            if bare(ipaddress.ip_address(sock.getpeername()[0])) != bare(address):
                raise EgressRefused("refused: connected to another address than checked")
            if target.scheme == "https":
                # Verified against the name, not the address we dialled.
                context = ssl.create_default_context()
                return context.wrap_socket(sock, server_hostname=target.host)
            return sock
        except BaseException:
            sock.close()
            raise
    raise failure


class _Connection(http.client.HTTPConnection):
    """http.client on a socket opened by `_open`: Host names the target, no lookup of its own."""

    def __init__(self, target: Target, deadline: _Deadline) -> None:
        super().__init__(target.host, target.port)
        self.default_port = 443 if target.scheme == "https" else 80  # Host leaves it out
        self._target = target
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = _open(self._target, self._deadline)


def _category(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ssl.SSLCertVerificationError):
        return "TLS certificate not valid for the host"
    if isinstance(error, ssl.SSLError):
        return "TLS error"
    if isinstance(error, ConnectionError):  # reset, aborted, broken pipe, closed early
        return "connection closed by the receiver"
    if isinstance(error, http.client.HTTPException):
        return "invalid HTTP response"
    return "could not connect"


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Response:
    """One HTTP request through the guard. Any status is a Response (a 3xx is not
    followed); EgressRefused when the URL may not be reached, EgressError when the
    exchange failed. At most `timeout` seconds in all, at most `max_bytes` of body."""
    deadline = _Deadline(timeout)
    target = check(url, timeout=deadline.remaining())
    connection = _Connection(target, deadline)
    try:
        connection.request(
            method, target.path, body=body, headers={"Connection": "close", **(headers or {})}
        )
        answer = connection.getresponse()
        length = answer.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise EgressError("response too large")
        content = b""
        while len(content) <= max_bytes:
            chunk = answer.read(min(65536, max_bytes + 1 - len(content)))
            if not chunk:
                break
            content += chunk
        if len(content) > max_bytes:
            raise EgressError("response too large")
        if deadline.expired:  # the cut ends a body read until close like a real end
            raise EgressError("timeout")
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, content)
    except EgressError:
        raise
    except (OSError, http.client.HTTPException) as error:
        raise EgressError("timeout" if deadline.expired else _category(error)) from None
    finally:
        deadline.stop()
        connection.close()
