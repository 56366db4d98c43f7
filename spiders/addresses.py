"""Which network addresses a crawl may reach: a feed on the public internet leads only
to public addresses, never to this machine, the local network or cloud metadata.

An address has a kind (public, loopback, private, link-local, reserved). A request
made on behalf of a feed may go to a public address, or to one of the kinds the
feed's own host has: that is how a feed served from a loopback server (the tests,
the demo) or from an intranet still reaches its own articles, while a public feed
naming http://127.0.0.1/ or http://169.254.169.254/ is refused.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

PUBLIC = "public"
# 100.64.0.0/10 (carrier-grade NAT) is neither global nor "private" to ipaddress, but
# it is a provider's internal network all the same.
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_kind(address: Address, public_networks: Iterable = ()) -> str:
    """public, loopback, link-local, private (documentation and benchmark ranges too) or reserved (multicast, 240/4)."""
    # An IPv6 address that carries an IPv4 one is reached as that IPv4 address.
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            address = embedded
    if any(address in network for network in public_networks):
        return PUBLIC
    # Connecting to 0.0.0.0 or :: reaches this machine.
    if address.is_loopback or address.is_unspecified:
        return "loopback"
    if address.is_link_local:
        return "link-local"  # 169.254.169.254 is the cloud metadata service
    if address.is_multicast or address.is_reserved:
        return "reserved"
    if address.is_private or address in SHARED_ADDRESS_SPACE:
        return "private"
    return PUBLIC if address.is_global else "reserved"


class AddressPolicy:
    """Decides, per request, whether its host may be reached on behalf of the feeds it came from.

    `public_networks` are counted as public whatever their range (a test serving a
    "public" site from 127.0.0.2, a staging mirror on a private network). Host names
    are resolved once per crawl (socket.getaddrinfo) and every address they resolve
    to must be allowed.
    """

    def __init__(self, public_networks: Iterable[str] = ()):
        self.public_networks = [ipaddress.ip_network(str(n).strip(), strict=False) for n in public_networks
                                if str(n).strip()]
        self._resolved: dict[str, dict[Address, str]] = {}

    async def addresses(self, host: str) -> dict[Address, str]:
        """Each address `host` stands for, with its kind ({} when it does not resolve)."""
        if not host:
            return {}
        if host not in self._resolved:
            try:
                found = [ipaddress.ip_address(host)]
            except ValueError:
                found = await self._lookup(host)
            self._resolved[host] = {a: address_kind(a, self.public_networks) for a in found}
        return self._resolved[host]

    @staticmethod
    async def _lookup(host: str) -> list[Address]:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            infos = []
        # A scoped IPv6 address comes back as "fe80::1%eth0": the scope is no part of the kind.
        return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]

    def pinned_address(self, host: str) -> str | None:
        """An IPv4 address `host` was vetted at (every address it resolved to was), for the
        download to connect to instead of asking DNS again: a name that answers a public
        address to the check and a private one to the download (DNS rebinding) is thereby
        fetched from the address checked. None for an address literal or an unvetted host.
        IPv4 because Scrapy's resolver is (an IPv6-only host has nothing to pin: refused)."""
        addresses = self._resolved.get(host)
        if not addresses or host in {str(a) for a in addresses}:
            return None
        return next((str(a) for a in addresses if a.version == 4), "")

    async def refusal(self, url: str, origins: Iterable[str]) -> str | None:
        """Why `url` may not be fetched for feeds `origins` (None: it may be, for one of them)."""
        host = urlsplit(url).hostname
        if not host:
            return f"refused: {url[:200]} names no host"
        addresses = await self.addresses(host)
        if not addresses:
            return f"refused: host {host} does not resolve to an address"
        reasons = []
        for origin in origins:
            origin_host = urlsplit(origin).hostname or ""
            feed_kinds = set((await self.addresses(origin_host)).values())
            allowed = {PUBLIC} | feed_kinds
            outside = {str(a): kind for a, kind in addresses.items() if kind not in allowed}
            if not outside:
                return None
            address, kind = next(iter(outside.items()))
            shown = host if host == address else f"{host} ({address})"
            reasons.append(f"refused: {shown} is a {kind} address; the feed's host {origin_host} is "
                           f"{'/'.join(sorted(feed_kinds)) or 'unresolved'}, "
                           f"so only {' or '.join(sorted(allowed))} addresses are fetched for it")
        return reasons[0] if reasons else f"refused: no feed vouches for {host}"
