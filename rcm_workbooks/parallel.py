"""Spread independent pieces of work (returns to read, feedback copies to write) over the cores.

The workers are forked, so they see this process's memory: the plan, the returns read so far.
Only the items and the results travel between processes. Where fork is missing (Windows, macOS
spawn-only builds), with one core or too few items, the work runs here, one item after another,
with the same results.
"""
from __future__ import annotations

import os
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FN: Callable | None = None  # the function of the running map, inherited by the forked workers


def _call(item):
    return _FN(item)


def fork_map(fn: Callable[[T], R], items: Iterable[T], *, workers: int | None = None) -> list[R]:
    """[fn(item) for item in items], in up to `workers` processes (default: one per core).

    An exception fn raises stops the map and reaches the caller, as it would here; so each item's
    own failure belongs in its result. A pool that breaks (a worker killed, out of memory) or
    cannot start (no process left to fork) is not fatal: the items are done again here.
    """
    global _FN
    items = list(items)
    workers = min(workers if workers is not None else (os.cpu_count() or 1), len(items))
    if workers < 2:
        return [fn(i) for i in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        return [fn(i) for i in items]
    _FN = fn
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
            return list(pool.map(_call, items, chunksize=max(1, len(items) // (workers * 8))))
    except (BrokenProcessPool, OSError):
        return [fn(i) for i in items]
    finally:
        _FN = None
