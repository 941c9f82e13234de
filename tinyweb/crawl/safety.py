"""Refuse hosts that resolve to loopback, private, link-local or metadata addresses (SSRF)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from tinyweb.errors import TinywebError


class UnsafeAddress(TinywebError):
    pass


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified
    )


async def check_host(host: str, port: int = 80) -> None:
    """Raise UnsafeAddress unless every address the host resolves to is public."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return  # not resolvable: the fetch itself reports the host as unreachable
    for info in infos:
        address = info[4][0]
        if not is_public(address):
            raise UnsafeAddress(f"{host} resolves to non-public address {address} (use --allow-private to crawl it)")
