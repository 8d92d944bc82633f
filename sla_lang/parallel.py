"""Sharing a check's work with child processes.

The work is split into parts: this process does one, and each of the others
goes to a child process of its own, which sends back what it yields,
pickled, through a pipe. With the fork start method (Linux) a child
inherits everything this process has loaded (parser tables, rule packs, the
resolved workspace), so only results travel; elsewhere the child is spawned
and receives its part pickled.

Plain children rather than a multiprocessing.Pool: a pool's feeder and
result threads compete with this process for the GIL while it works on its
own part, and a pool sends each task to a worker, where a forked child
already has it. Measured on 2,000 files, in alternating runs: 2.6% faster
for the whole check, in 10 of 12 pairs (docs/performance.md).
"""

from __future__ import annotations

import os
import pickle

PARALLEL_THRESHOLD = 64

_DONE = b""  # a child's last message: everything was sent


def worker_count(jobs: int | None, files: int) -> int:
    """Processes to use for `files` files: --jobs, else one per core from PARALLEL_THRESHOLD files on."""
    if jobs is not None:
        return max(1, min(jobs, files))
    if files < PARALLEL_THRESHOLD:
        return 1
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(available, files // (PARALLEL_THRESHOLD // 2)))


def start_method() -> str:
    """fork where it is safe and cheapest; elsewhere (and from Python 3.14 on,
    where the default changes) the method is named explicitly."""
    import sys

    return "fork" if sys.platform.startswith("linux") else "spawn"


class Children:
    """A child process for each of `parts`, running `work(part)` (a
    module-level generator function) and sending back each item it yields.

    Use as a context manager: on leaving, children still running are
    stopped. A child that fails (an exception, or killed) has sent what it
    yielded until then; `finished()` tells, and the caller does the rest of
    that part itself, where an error is reported like any other.
    """

    def __init__(self, work, parts: list) -> None:
        self.work = work
        self.parts = parts
        self.children: list = []  # (process, connection, messages received so far)

    def __enter__(self) -> Children:
        if not self.parts:
            return self
        import multiprocessing

        context = multiprocessing.get_context(start_method())
        for part in self.parts:
            receiving, sending = context.Pipe(duplex=False)
            _widen(sending)
            process = context.Process(target=_child, args=(self.work, part, sending), daemon=True)
            process.start()
            sending.close()  # the child holds the only writing end: its exit ends the stream
            self.children.append((process, receiving, []))
        return self

    def drain(self) -> None:
        """Take in what has arrived, without waiting, so that no child stands
        waiting on a full pipe while this process does its own part."""
        for _, connection, received in self.children:
            while not connection.closed and connection.poll() and _receive(connection, received):
                pass

    def sent(self, index: int):
        """What the child of part `index` yields, in order, unpickled as it
        arrives: this process works on what has come while the child goes on."""
        process, connection, received = self.children[index]
        position = 0
        while position < len(received) or (not connection.closed and _receive(connection, received)):
            message = received[position]
            position += 1
            if message is _DONE:
                break
            yield pickle.loads(message)
        process.join()

    def finished(self, index: int) -> bool:
        """Whether the child of part `index` sent all that its work yields (a failed one did not)."""
        received = self.children[index][2]
        return bool(received) and received[-1] is _DONE

    def __exit__(self, *exc) -> None:
        for process, connection, _ in self.children:
            connection.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _widen(connection) -> None:
    """A pipe of 1 MiB instead of 64 KiB where Linux allows it: a child then
    seldom waits for this process to take in what it sent."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # another system, or a lower limit: the pipe stays as it is


def _receive(connection, received: list) -> bool:
    """Add the next message to `received`; False when the stream has ended."""
    try:
        message = connection.recv_bytes()
    except (EOFError, OSError):
        connection.close()
        return False
    if message == _DONE:
        received.append(_DONE)
        connection.close()
        return False
    received.append(message)
    return True


def _child(work, part, connection) -> None:
    """The body of a child process: send what work(part) yields, then _DONE."""
    import signal

    # Ctrl-C reaches the whole process group: the parent stops its children,
    # which must not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        for item in work(part):
            connection.send_bytes(pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
        connection.send_bytes(_DONE)
    except BaseException:  # noqa: S110 - the parent redoes what is missing, and reports any error there
        pass
    finally:
        connection.close()
