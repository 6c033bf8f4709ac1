"""Which URLs the checker may contact at all.

An article is untrusted input: a link to an internal address would make the
linter probe the reader's own network (SSRF). Names are resolved once, checked
here, and the connection is then pinned to exactly those addresses, so a second
DNS answer cannot swap in a private address.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Cloud instance-metadata services. Most fall in link-local or private ranges
# already; listed so the refusal does not depend on how Python classifies them.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)

# A resolver takes a host name and returns its IP addresses as strings. It
# raises NameNotFound when the name does not exist and any other OSError when
# the lookup itself failed.
Resolver = Callable[[str], Sequence[str]]


class NameNotFound(OSError):
    """The DNS said the name does not exist (or has no address)."""


class ResolutionFailed(OSError):
    """The lookup could not be completed (no answer, temporary failure)."""


_NOT_FOUND_CODES = {
    getattr(socket, name)
    for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
    if hasattr(socket, name)
}


def system_resolver(host: str) -> list[str]:
    """Resolve with the operating system, mapping gaierror codes to our two errors."""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        if exc.errno in _NOT_FOUND_CODES:
            raise NameNotFound(str(exc)) from exc
        raise ResolutionFailed(str(exc)) from exc
    except UnicodeError as exc:
        raise NameNotFound(f"invalid host name: {exc}") from exc
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone id
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NameNotFound("no address")
    return addresses


def ip_literal(host: str) -> str | None:
    """The host itself when it is an IP address (brackets allowed), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def is_public_address(address: str) -> bool:
    """True for globally routable unicast addresses that are not metadata services."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip in METADATA_ADDRESSES or ip.is_multicast:
        return False
    return ip.is_global


def compile_excludes(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    """Compile exclude regexes; an invalid regex is matched as plain text instead of failing the run."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error:
            compiled.append(re.compile(re.escape(pattern)))
    return compiled
