"""Which URLs the checker may contact at all.

An article is untrusted input: a link to an internal address would make the
linter probe the reader's own network (SSRF). Hosts are first read as a browser
reads them (``0177.0.0.1`` is 127.0.0.1), names are resolved once, every address
is classified here, and the connection is then pinned to exactly those addresses,
so a second DNS answer cannot swap in a private address.

The classification is written out below rather than taken from ``ipaddress``'s
``is_global``/``is_private`` flags, whose answers change between Python versions
and miss IPv4 addresses carried inside IPv6 ones.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

import idna

ALLOWED_SCHEMES = frozenset({"http", "https"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _named(*pairs: tuple[str, str]) -> tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...]:
    return tuple((ipaddress.ip_network(cidr), name) for cidr, name in pairs)


# Every IPv4 range that is not globally reachable unicast: IANA's special-purpose
# registry, multicast and the reserved class E. Cloud metadata services fall in
# these too (169.254.169.254, 100.100.100.200, 192.0.0.192).
NON_PUBLIC_IPV4 = _named(
    ("0.0.0.0/8", "this-network address"),
    ("10.0.0.0/8", "private address"),
    ("100.64.0.0/10", "shared (carrier-grade NAT) address"),
    ("127.0.0.0/8", "loopback address"),
    ("169.254.0.0/16", "link-local address"),
    ("172.16.0.0/12", "private address"),
    ("192.0.0.0/24", "IETF protocol assignment address"),
    ("192.0.2.0/24", "documentation address"),
    ("192.31.196.0/24", "AS112 address"),
    ("192.52.193.0/24", "AMT address"),
    ("192.88.99.0/24", "6to4 relay address (deprecated)"),
    ("192.168.0.0/16", "private address"),
    ("192.175.48.0/24", "AS112 address"),
    ("198.18.0.0/15", "benchmarking address"),
    ("198.51.100.0/24", "documentation address"),
    ("203.0.113.0/24", "documentation address"),
    ("224.0.0.0/4", "multicast address"),
    ("240.0.0.0/4", "reserved address"),
)

# IPv6 is allowed only inside global unicast (2000::/3), which leaves out loopback,
# the unspecified address, IPv4-compatible (::/96), IPv4-translated (::ffff:0:0:0/96),
# local-use NAT64 (64:ff9b:1::/48), discard (100::/64), SRv6 (5f00::/16), unique local
# (fc00::/7), link-local (fe80::/10), site-local (fec0::/10) and multicast (ff00::/8).
# These are named only to explain a refusal.
GLOBAL_UNICAST_IPV6 = ipaddress.ip_network("2000::/3")
OUTSIDE_GLOBAL_UNICAST = _named(
    ("::/128", "unspecified address"),
    ("::1/128", "loopback address"),
    ("::/96", "IPv4-compatible address (deprecated)"),
    ("::ffff:0:0:0/96", "IPv4-translated address"),
    ("64:ff9b:1::/48", "local-use NAT64 address"),
    ("100::/64", "discard-only address"),
    ("5f00::/16", "SRv6 address"),
    ("fc00::/7", "unique local address"),
    ("fe80::/10", "link-local address"),
    ("fec0::/10", "site-local address (deprecated)"),
    ("ff00::/8", "multicast address"),
)
NON_PUBLIC_IPV6 = _named(
    ("2001::/32", "Teredo address"),
    ("2001::/23", "IETF protocol assignment address"),
    ("2001:db8::/32", "documentation address"),
    ("3fff::/20", "documentation address"),
)

# IPv6 forms that reach an IPv4 address (the socket, a NAT64 gateway or a 6to4 relay
# translates them): judged by that IPv4 address. Each: network, what it is, bit
# shift of the IPv4 address inside.
CARRIES_IPV4 = (
    (ipaddress.ip_network("::ffff:0:0/96"), "an IPv4-mapped address", 0),
    (ipaddress.ip_network("64:ff9b::/96"), "a NAT64 address", 0),
    (ipaddress.ip_network("2002::/16"), "a 6to4 address", 80),
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


def _parse(address: str) -> IPAddress | None:
    """An address without brackets or IPv6 zone id, or None."""
    try:
        return ipaddress.ip_address(address.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def ip_literal(host: str) -> str | None:
    """The host itself when it is an IP address (brackets and zone id allowed), else None."""
    ip = _parse(host)
    return None if ip is None else str(ip)


def _carried_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    for network, form, shift in CARRIES_IPV4:
        if ip in network:
            return form, ipaddress.IPv4Address((int(ip) >> shift) & 0xFFFFFFFF)
    return None


def _range_name(ip: IPAddress, ranges) -> str | None:
    return next((name for network, name in ranges if ip in network), None)


def non_public_reason(address: str) -> str | None:
    """Why the checker must not connect to `address` (e.g. "loopback address"), or None
    for a globally routable unicast address."""
    ip = _parse(address)
    if ip is None:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv4Address):
        return _range_name(ip, NON_PUBLIC_IPV4)
    carried = _carried_ipv4(ip)
    if carried is not None:
        form, inner = carried
        reason = non_public_reason(str(inner))
        return None if reason is None else f"{reason.replace('address', f'address {inner}', 1)} inside {form}"
    if ip not in GLOBAL_UNICAST_IPV6:
        return _range_name(ip, OUTSIDE_GLOBAL_UNICAST) or "reserved address"
    return _range_name(ip, NON_PUBLIC_IPV6)


def connect_address(address: str) -> str:
    """The address to open a socket to: an IPv4-mapped address is its IPv4 address (which
    is where the operating system would send it anyway), so it needs no IPv6 stack."""
    ip = _parse(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return address


# ----- hosts as a browser reads them (the WHATWG URL standard's host parser) -----------------

# Code points a browser refuses in a domain, besides C0 controls.
_FORBIDDEN_IN_DOMAIN = frozenset(" #%/:<>?@[\\]^|\x7f")


def _ipv4_number(part: str) -> int | None:
    """One dotted part in the browser's IPv4 syntax: decimal, 0x-hex or 0-octal."""
    if not part:
        return None
    radix = 10
    if part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part[0] == "0":
        part, radix = part[1:], 8
    if not part:
        return 0
    if not part.isascii() or not part.isalnum():
        return None
    try:
        return int(part, radix)
    except ValueError:
        return None


def _ends_in_a_number(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    return (last.isascii() and last.isdigit()) or (last[:2] in ("0x", "0X") and _ipv4_number(last) is not None)


def _ipv4_host(domain: str) -> str | None:
    """The dotted-decimal form of a host a browser reads as an IPv4 address, or None."""
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4:
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    values = [number for number in numbers if number is not None]
    if any(value > 255 for value in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        return None
    total = values[-1] + sum(value << (8 * (3 - index)) for index, value in enumerate(values[:-1]))
    return str(ipaddress.IPv4Address(total))


def _domain_to_ascii(domain: str) -> str | None:
    """UTS #46 mapping as browsers apply it (fullwidth forms, ideographic full stops, case),
    then Punycode for labels that stay non-ASCII."""
    try:
        mapped = idna.uts46_remap(domain, std3_rules=False, transitional=False)
        labels = [label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
                  for label in mapped.split(".")]
    except (idna.IDNAError, UnicodeError):
        return None
    ascii_domain = ".".join(labels)
    if any(char in _FORBIDDEN_IN_DOMAIN or char < " " for char in ascii_domain):
        return None
    return ascii_domain


def browser_host(host: str) -> str | None:
    """A URL's host (not an [IPv6] literal) as a browser reads it: percent-decoded, mapped
    to ASCII, and, when it ends in a number, parsed as an IPv4 address in any of the
    spellings browsers accept (``0x7f.1``, ``2130706433``, ``0177.0.0.1``). None when a
    browser would reject the host."""
    try:
        decoded = unquote_to_bytes(host).decode("utf-8")
    except UnicodeDecodeError:
        return None
    domain = _domain_to_ascii(decoded)
    if not domain:
        return None
    if _ends_in_a_number(domain):
        return _ipv4_host(domain)
    return domain


def browser_url(url: str) -> str:
    """`url` with its host spelled as a browser reads it; unchanged when the host is an
    IPv6 literal or cannot be read (the HTTP client then reports the URL as malformed)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if hostport.startswith("["):
        return url
    host, colon, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    normal = browser_host(host) if host else None
    if normal is None or normal == host:
        return url
    return urlunsplit(parts._replace(netloc=f"{userinfo}{at}{normal}{colon}{port}"))


def compile_excludes(patterns: Sequence[str]) -> list[re.Pattern[str]]:
    """Compile exclude regexes; an invalid regex is matched as plain text instead of failing the run."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error:
            compiled.append(re.compile(re.escape(pattern)))
    return compiled
