"""``--scheduler local`` starts a Dask cluster that listens on loopback only (issue 9).

A Dask scheduler or worker runs whatever pickled code reaches it, so one that
listens on a network interface hands code execution to anyone who can reach
that port. The check looks at the real sockets of this process (the scheduler)
and of its worker processes, not at the cluster's configuration.
"""

from __future__ import annotations

import ipaddress
import operator

import psutil
import pytest

from experiments.engine.executors import make_executor


def listening(process: psutil.Process) -> list[tuple[str, int]]:
    """The (address, port) pairs a process listens on (TCP)."""
    return [
        (c.laddr.ip, c.laddr.port)
        for c in process.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]


@pytest.mark.slow  # starts a Dask LocalCluster: several seconds on 2 shared cores
def test_local_cluster_listens_on_loopback_only():
    me = psutil.Process()
    before = set(listening(me))
    with make_executor(1, "local") as (executor, label):
        assert executor.submit(operator.add, 2, 3).result(timeout=120) == 5
        workers = me.children(recursive=True)
        sockets = (set(listening(me)) - before) | {a for w in workers for a in listening(w)}
    assert label.startswith("Dask LocalCluster")
    assert sockets, "the cluster listens nowhere: the check would prove nothing"
    # The scheduler, its HTTP endpoint (served even without a dashboard), the
    # workers and their nannies: every one on loopback.
    for address, port in sockets:
        assert ipaddress.ip_address(address).is_loopback, (address, port)
