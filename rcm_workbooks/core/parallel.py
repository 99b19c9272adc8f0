"""Spread independent pieces of work (returns to read, feedback copies, the consolidated workbook)
over the cores: the one way this package forks.

The workers are forked, so they see this process's memory: the plan, the returns read so far.
Only the items and the results travel between processes. Where fork is missing (Windows, macOS
spawn-only builds), with one core or too few items, the work runs here, one item after another,
with the same results. Whichever way it ran, a failure reaches the caller as the same error:
what the function raised, or nothing at all when only the workers broke (the work is then done
again here).
"""
from __future__ import annotations

import gc
import os
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_FN: Callable | None = None  # the function of the running map, inherited by the forked workers


def _call(item):
    return _FN(item)


class Background:
    """fn over items in forked workers, started now and collected with results(), so this process
    can do other work meanwhile. Where no worker can be used, the items are done in results().

    `workers`: at most this many (default: one per core). Forking pays when at least two workers
    share the items, or, with `beside`, when one worker does them while this process does
    something else (it needs a second core for that).
    """

    def __init__(self, fn: Callable[[T], R], items: Iterable[T], *, workers: int | None = None,
                 beside: bool = False):
        self.fn, self.items = fn, list(items)
        self.pool = self.pending = self.done = None
        cores = os.cpu_count() or 1
        workers = min(workers if workers is not None else cores, len(self.items))
        if workers < (1 if beside and cores > 1 else 2):
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:
            return
        global _FN
        _FN = fn  # the workers are forked below, on the first submission, and inherit it
        # The workers inherit this process's objects (50,000 rows at scale): frozen, the workers'
        # garbage collector never walks them, nor copies their memory pages by touching them.
        gc.freeze()
        try:
            self.pool = ProcessPoolExecutor(workers, mp_context=ctx)
            chunk = max(1, len(self.items) // (workers * 8))
            self.pending = self.pool.map(_call, self.items, chunksize=chunk)
        except OSError:  # no process left to fork: done here, in results()
            self.close()
        finally:
            _FN = None
            gc.unfreeze()

    @property
    def forked(self) -> bool:
        """True while the items are being done by worker processes."""
        return self.pending is not None

    def results(self) -> list[R]:
        """[fn(item) for item in items], in order. An exception fn raises reaches the caller; a
        pool that broke (a worker killed, out of memory) is not fatal: the items are done here."""
        if self.done is not None:
            return self.done
        if self.pending is not None:
            from concurrent.futures.process import (
                BrokenProcessPool,  # only when there is a pool: ~30 ms
            )

            try:
                return list(self.pending)
            except (BrokenProcessPool, OSError):
                pass
            finally:
                self.close()
        return [self.fn(i) for i in self.items]

    def close(self) -> None:
        """Stop the workers (on any way out, results() taken or not)."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self.pending = None


def fork_map(fn: Callable[[T], R], items: Iterable[T], *, workers: int | None = None) -> list[R]:
    """[fn(item) for item in items], in up to `workers` forked processes (default: one per core).

    An exception fn raises stops the map and reaches the caller, as it would here; so each item's
    own failure belongs in its result. A pool that breaks (a worker killed, out of memory) or
    cannot start (no process left to fork) is not fatal: the items are done again here.
    """
    return Background(fn, items, workers=workers).results()


def beside(fn: Callable[..., R], *args) -> Background:
    """fn(*args) begun in one forked process while this one goes on; `.results()[0]` is its
    result. With one core or no fork it is done here and now, before this returns: the caller's
    order of work is then what it would be without workers."""
    job = Background(lambda _: fn(*args), [None], workers=1, beside=True)
    if not job.forked:
        job.done = [fn(*args)]
    return job
