"""Sharing a check's work with child processes.

The work is split into parts: this process does one, and each of the others
goes to a child process of its own, which sends back what it yields,
pickled, through a pipe. With the fork start method (Linux) a child
inherits everything this process has loaded (parser tables, rule packs, the
resolved workspace), so only results travel; elsewhere the child is spawned
and receives its part pickled.

Plain children rather than a multiprocessing.Pool: a pool worker prints a
traceback on Ctrl-C, while children here ignore SIGINT and are stopped by
this process, and die with it when it is killed (a child would otherwise
work on for nobody). Nor are there pool threads competing with this process
for the GIL, or tasks sent to a worker that a forked child already has.
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


class WorkQueue:
    """The numbers 0 .. total-1, shared out among `processes` processes.

    With the fork start method each number goes to whichever process asks
    first, so no process waits at the end while another still works through
    an equal share that proved slower (a child also pickles what it makes;
    files differ in size; the machine has other work). The numbers are
    4-byte records in a pipe that every process reads from: Linux hands out
    each record whole, to one reader, and a process that dies takes nothing
    more with it (a lock could be left held). Elsewhere, and should the pipe
    be too small for all the records, process i takes every
    `processes`-th number from i on.
    """

    RECORD = 4
    MOST_SHARED = 16_384  # records a pipe holds by default (64 KiB): more are shared by stride

    def __init__(self, total: int, processes: int) -> None:
        self.total = total
        self.processes = processes
        shared = processes > 1 and start_method() == "fork"
        self._pipe = _records_pipe(total, self.RECORD) if shared else None

    @property
    def shared(self) -> bool:
        """Whether each number goes to whichever process asks first (else by stride)."""
        return self._pipe is not None

    def numbers_for(self, process: int):
        """The numbers process `process` works on, taken one at a time (picklable for a spawned child)."""
        if self._pipe is None:
            return range(process, self.total, self.processes)
        return _NumbersFromPipe(self._pipe)

    def close(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None


class _NumbersFromPipe:
    def __init__(self, pipe: int) -> None:
        self.pipe = pipe

    def __iter__(self):
        while len(record := os.read(self.pipe, WorkQueue.RECORD)) == WorkQueue.RECORD:
            yield int.from_bytes(record, "little")


def _records_pipe(total: int, size: int) -> int | None:
    """The reading end of a pipe holding 0 .. total-1, or None if they do not all fit in it."""
    reading, writing = os.pipe()
    try:
        os.set_blocking(writing, False)
        records = b"".join(number.to_bytes(size, "little") for number in range(total))
        if os.write(writing, records) == len(records):
            return reading
    except OSError:  # full (a pipe can be as small as one page): shared by stride instead
        pass
    finally:
        os.close(writing)
    os.close(reading)
    return None


class ChildProcesses:
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
        self.children: list[_Child] = []
        self._lifeline = None  # the writing end, never written: closed when this process is done or dies

    def __enter__(self) -> ChildProcesses:
        if not self.parts:
            return self
        import multiprocessing

        method = start_method()
        context = multiprocessing.get_context(method)
        # Only this process holds the writing end of the lifeline: a child that
        # sees it close knows this process is gone (where the kernel cannot tell it).
        lifeline, self._lifeline = context.Pipe(duplex=False)
        try:
            for part in self.parts:
                receiving, sending = context.Pipe(duplex=False)
                _widen(sending)
                # A forked child inherits the reading ends and the lifeline too: it
                # closes them, so that it cannot wait forever on a full pipe, nor
                # keep its own lifeline alive, if this process dies.
                inherited = [child.connection for child in self.children] + [receiving, self._lifeline]
                process = context.Process(
                    target=_child,
                    args=(self.work, part, sending, lifeline, os.getpid(), inherited if method == "fork" else []),
                    daemon=True,
                )
                with _ctrl_c_held():  # until the child is known here, and can be stopped
                    try:
                        process.start()
                    except OSError:  # no more processes allowed (a container's limit, say): done here
                        process = None
                        receiving.close()
                    self.children.append(_Child(process, receiving))
                sending.close()  # the child holds the only writing end: its exit ends the stream
        except BaseException:
            self.__exit__()
            raise
        finally:
            lifeline.close()  # the children have theirs
        return self

    def ready(self, index: int):
        """What the child of part `index` has sent so far, unpickled, without
        waiting: taken in while this process does its own part, so that the
        child never waits on a full pipe and the messages do not pile up."""
        child = self.children[index]
        while not child.connection.closed and child.connection.poll() and child.receive():
            pass
        while child.pending:
            yield pickle.loads(child.pending.popleft())

    def sent(self, index: int):
        """The rest of what the child of part `index` yields, unpickled as it
        arrives (waiting for it): this process works on what has come while
        the child goes on."""
        child = self.children[index]
        while child.pending or child.receive():
            yield pickle.loads(child.pending.popleft())
        if child.process is not None:
            child.process.join()

    def finished(self, index: int) -> bool:
        """Whether the child of part `index` sent all that its work yields (a failed one did not)."""
        return self.children[index].finished

    def __exit__(self, *exc) -> None:
        if self._lifeline is not None:
            self._lifeline.close()
            self._lifeline = None
        for child in self.children:
            child.connection.close()
            if child.process is not None:
                if child.process.is_alive():
                    child.process.terminate()
                child.process.join()


class _Child:
    def __init__(self, process, connection) -> None:
        from collections import deque

        self.process = process  # None if it could not start
        self.connection = connection
        self.pending: deque[bytes] = deque()  # messages received, not yet taken
        self.finished = False  # whether it sent _DONE

    def receive(self) -> bool:
        """Take in the next message; False when the stream has ended."""
        if self.connection.closed:
            return False
        try:
            message = self.connection.recv_bytes()
        except (EOFError, OSError):
            message = None
        if message is None or message == _DONE:
            self.finished = message == _DONE
            self.connection.close()
            return False
        self.pending.append(message)
        return True


def _widen(connection) -> None:
    """A pipe of 1 MiB instead of 64 KiB where Linux allows it: a child then
    seldom waits for this process to take in what it sent."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass  # another system, or a lower limit: the pipe stays as it is


class _ctrl_c_held:
    """SIGINT held back while a child starts: a Ctrl-C in the middle of
    process.start() would leave a child that this process does not know of
    yet, and so cannot stop. The child, which inherits the mask,
    ignores SIGINT before letting it through."""

    def __enter__(self) -> None:
        import signal

        self.previous = None  # no signal masks on Windows, where children are spawned anyway
        if hasattr(signal, "pthread_sigmask"):
            self.previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def __exit__(self, *exc) -> None:
        if self.previous is not None:
            import signal

            signal.pthread_sigmask(signal.SIG_SETMASK, self.previous)


def _child(work, part, connection, lifeline, parent: int, inherited: list) -> None:
    """The body of a child process: send what work(part) yields, then _DONE."""
    import signal

    # Ctrl-C reaches the whole process group: the parent stops its children,
    # which must not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    for end in inherited:
        end.close()
    _die_with_parent(parent, lifeline)
    try:
        for item in work(part):
            connection.send_bytes(pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
        connection.send_bytes(_DONE)
    except BaseException:  # noqa: S110 - the parent redoes what is missing, and reports any error there
        pass
    finally:
        connection.close()


def _die_with_parent(parent: int, lifeline) -> None:
    """End this child as soon as its parent dies, even by SIGKILL: the rules
    phase sends its findings only at the end, so a child would otherwise run
    on for the rest of its part, at full speed, for nobody. On Linux the
    kernel sends SIGKILL (PR_SET_PDEATHSIG; it watches the thread that
    started the child, here always the main one); elsewhere a thread waits
    on the lifeline, which reads end-of-file when the parent's end closes."""
    if _kill_when_parent_dies():
        lifeline.close()
    else:
        import threading

        threading.Thread(target=_exit_at_end_of, args=(lifeline,), daemon=True).start()
    if os.getppid() != parent:  # it died before that was set up
        os._exit(1)


def _kill_when_parent_dies() -> bool:
    """Ask Linux for SIGKILL when the parent dies; False where that cannot be had."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1  # noqa: N806 - the name in <sys/prctl.h>
        zero = ctypes.c_ulong(0)
        return libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), zero, zero, zero) == 0
    except (ImportError, OSError, AttributeError):  # no ctypes, or no prctl in this libc
        return False


def _exit_at_end_of(lifeline) -> None:
    try:
        lifeline.recv_bytes()  # nothing is ever sent: this returns only when the parent's end closes
    except (EOFError, OSError):
        pass
    os._exit(1)
