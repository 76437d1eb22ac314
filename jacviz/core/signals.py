"""Ctrl-C (SIGINT) and SIGTERM stop any jacviz command, cleanly.

:func:`install` runs first thing in every command, before any heavy import.
It sets jacviz's own handlers even when the signal was inherited as ignored
(a non-interactive shell starts ``make test &`` with SIGINT ignored, and
Python then installs no KeyboardInterrupt handler of its own: that is how an
interrupt used to be lost).  The handler raises :class:`Interrupted`, a
``KeyboardInterrupt``, so every ``finally`` and ``with`` on the way out runs:
temporary files are removed, locks released, ``subprocess.run`` kills its
child.  The command line then kills whatever child processes remain
(:func:`kill_children`), prints ``error: interrupted`` and exits 130
(SIGINT) or 143 (SIGTERM).

:func:`stage` marks the stages of long commands (start-up, TeX compilation,
drawing frames, joining, committing the output).  Two environment variables
make interrupts testable without timing: ``JACVIZ_STAGE_LOG=FILE`` appends one
line ``<stage> <pid> [<detail>]`` per stage reached, and ``JACVIZ_HOLD_AT=NAME``
makes the command wait at that stage until a signal stops it.

Standard library only: this module is imported before numpy and sympy.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Raised by the handler of SIGINT or SIGTERM."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


_received: int | None = None


def _handler(signum, frame):
    global _received
    if _received is None:
        _received = signum
        raise Interrupted(signum)
    # A second signal while the first one unwinds: remembered, not raised, so
    # that the clean-up the first one started (removing temporary files,
    # killing children) is not itself cut short.


def install() -> None:
    """jacviz's handlers for SIGINT and SIGTERM, whatever was inherited."""
    global _received
    _received = None
    for sig in SIGNALS:
        signal.signal(sig, _handler)
    # a process that re-executed itself with them blocked (see block_signals): a signal that
    # came meanwhile is pending, and is handled here, by the handler just set
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


def block_signals() -> set:
    """Block SIGINT and SIGTERM until the next :func:`install`, across an ``exec`` too (the
    mask survives it, where handlers do not): for a process that re-executes itself.
    Returns the mask before, for ``signal.pthread_sigmask(signal.SIG_SETMASK, ...)``."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)


def received() -> int | None:
    """The first signal received (SIGINT or SIGTERM), or None."""
    return _received


def exit_status(signum: int | None = None) -> int:
    signum = _received if signum is None else signum
    return 128 + (signum or signal.SIGINT)


@contextlib.contextmanager
def deferred():
    """Hold SIGINT and SIGTERM back for a short critical section (renaming the
    finished files into place): a signal that arrives meanwhile is delivered
    when the section ends.  Start no child process inside (it would inherit
    the blocked mask)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def stage(name: str, detail: str = "") -> None:
    """Mark that the command reached a stage (see the module docstring)."""
    log = os.environ.get("JACVIZ_STAGE_LOG")
    if log:
        with open(log, "a") as fh:
            fh.write(f"{name} {os.getpid()}{' ' + detail if detail else ''}\n")
    if os.environ.get("JACVIZ_HOLD_AT") == name:
        # until a signal stops the command (its handler raises).  Not signal.pause(): a signal
        # that lands after the line above is written and before pause() starts is handled
        # by the C-level handler and pause() then waits for another one, forever (two
        # fresh-clone runs side by side lost SIGINT and SIGTERM that way).  A pending
        # handler runs when sleep returns.
        while True:
            time.sleep(0.05)


def lock_exclusive(fh) -> None:
    """flock(LOCK_EX) on an open file, polled: a signal that lands just before a
    blocking flock would only be handled once the lock came free."""
    import fcntl

    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            time.sleep(0.05)


# -- child processes ---------------------------------------------------------------
def run_child(cmd, stage_name: str | None = None, **kwargs):
    """Run a command to the end and return (status, stdout, stderr) as text.

    An interrupt kills the child before it propagates; ``stage_name`` marks the
    stage with the child's pid (for tests that interrupt it there)."""
    import subprocess

    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          **kwargs) as proc:
        try:
            if stage_name:
                stage(stage_name, str(proc.pid))
            out, err = proc.communicate()
        except BaseException:
            proc.kill()
            raise
    return proc.returncode, out, err



def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return kids
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name is in parentheses and may hold spaces: split after it
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) < 2 or fields[0] == b"Z":
            continue
        kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def descendants(pid: int | None = None) -> list[int]:
    """Every live process below pid (default: this one), parents before children."""
    pid = os.getpid() if pid is None else pid
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_children(grace: float = 2.0) -> list[int]:
    """SIGTERM every descendant (latex, dvisvgm, manim-slides, a browser), then
    SIGKILL what is left after ``grace`` seconds.  Returns the pids signalled."""
    pids = descendants()
    if not pids:
        return []
    # the whole tree is listed first: a parent killed first would orphan its children
    for pid in reversed(pids):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        _reap()
        if not [p for p in pids if _alive(p)]:
            break
        time.sleep(0.02)
    for pid in pids:
        if _alive(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    _reap()
    return pids


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2:][:1] != b"Z"


def stop_children(pids, grace: float = 3.0) -> None:
    """Stop this process's own children and reap them: SIGTERM, up to ``grace`` seconds to
    finish their clean-up (a child that got the signal too, from the terminal's Ctrl-C to
    the whole process group, is already at it), then SIGKILL.  A child killed at once
    could leave what it was writing behind."""
    left = set(pids)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)  # a child that got a signal already ignores this one
    deadline = time.monotonic() + grace
    while left:
        for pid in list(left):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                left.discard(pid)
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def flush_and_exit(code: int) -> None:
    """End a forked child: its output flushed, none of its parent's clean-up run."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
