"""When a run cannot tell a dead link from a network that is down, and so must check nothing.

A run on a machine whose resolver or network is down would otherwise report most URLs dead
or unverified, file them in the history and escalate them: after one such week nobody
trusts the check. So before LinkChecker starts, and again after it ran, the lookups and the
proxy's connects are judged as a whole:

- No name resolved at all: the resolver is asked for the root zone, which every working
  resolver answers. If it cannot, no NXDOMAIN it gave is believed (a resolver that says
  NXDOMAIN for every name is as broken as one that says SERVFAIL) and the network is down.
  If it can, a lone NXDOMAIN is a name that really is gone.
- Lookups failed (SERVFAIL, no answer, unreachable) for more than half of the hosts, or
  connects failed (unreachable, timed out) for more than half of the hosts requested, with
  at least MIN_HOSTS hosts: a majority of unrelated sites does not break on the same day,
  so it is the resolver or the network. Below MIN_HOSTS a majority is one or two sites,
  each reported unverified, which is what they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

MIN_HOSTS = 4


class _Looked(Protocol):
    @property
    def addresses(self) -> tuple[str, ...]: ...
    @property
    def error(self) -> str | None: ...
    @property
    def unknown(self) -> bool: ...


def lookups_down(lookups: Mapping[str, _Looked], probe: Callable[[], str | None] | None) -> str | None:
    """Why the lookups of these host names show the resolver down, or None."""
    if not lookups:
        return None
    failed = [found.error for found in lookups.values() if found.error is not None and not found.unknown]
    resolved = sum(bool(found.addresses) for found in lookups.values())
    if len(lookups) >= MIN_HOSTS and len(failed) * 2 > len(lookups):
        return f"name lookups failed for {len(failed)} of {len(lookups)} hosts; the first: {failed[0]}"
    if resolved == 0 and probe is not None:
        reason = probe()
        if reason is not None:
            return f"no host name resolved, and {reason}"
    return None


def connects_down(failed_hosts: Iterable[str], requested_hosts: Iterable[str]) -> str | None:
    """Why failing connects to most of the requested hosts show the network down, or None."""
    requested = set(requested_hosts)
    failed = set(failed_hosts) & requested
    if len(requested) >= MIN_HOSTS and len(failed) * 2 > len(requested):
        return f"connections failed to {len(failed)} of {len(requested)} hosts (unreachable or timed out)"
    return None
