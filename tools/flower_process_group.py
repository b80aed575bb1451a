"""The process group of tools/flower-run-local: every process it starts, stopped together at the end.

Children start in one new process group (the first child leads it), with signals unblocked and default, and get
SIGTERM when the runner dies (PR_SET_PDEATHSIG). The runner is a child subreaper, so descendants whose parent
exits are reparented to it; `stop` signals the group and every descendant (Flower's SuperExec starts a session
of its own and leaves the group), first SIGTERM, then SIGKILL.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36


class RunFailed(RuntimeError):
    """The run did not finish; the text says why and what to do."""


def tail(path: Path, lines: int = 15) -> str:
    """The last `lines` lines of a log file (or a note that it is empty)."""
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(text[-lines:]) or "(empty log)"


class ProcessGroup:
    """Every process this script starts, in one process group that `stop` ends (children of children too)."""

    def __init__(self, folder: Path, environment: dict[str, str]):
        self.folder, self.environment = folder, environment
        self.pgid: int | None = None
        self.children: list[subprocess.Popen] = []
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphaned grandchildren are reparented here, reaped below
        self._libc = libc

    def _preexec(self) -> None:
        # A parent (a test runner, a CI shell) may have blocked or ignored signals; Flower's processes must see
        # SIGTERM and SIGINT to stop gracefully (a SuperNode then leaves the federation at once).
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        self._libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def start(self, name: str, command: list[str], *, stdout=None) -> subprocess.Popen:
        """Starts `command` in the group; its output goes to FOLDER/NAME.log unless `stdout` is given."""
        log = open(self.folder / f"{name}.log", "wb")
        process = subprocess.Popen(command, cwd=self.folder, env=self.environment, stdin=subprocess.DEVNULL,
                                   stdout=stdout or log, stderr=subprocess.STDOUT if stdout is None else log,
                                   process_group=self.pgid or 0, preexec_fn=self._preexec)
        log.close()
        if self.pgid is None:
            self.pgid = process.pid
        self.children.append(process)
        return process

    def run(self, name: str, command: list[str]) -> str:
        """Runs a short command (a `flwr` CLI call) in the group and returns its output; fails on exit != 0."""
        process = self.start(name, command, stdout=subprocess.PIPE)
        output, _ = process.communicate()
        text = output.decode(errors="replace")
        if process.returncode != 0:
            raise RunFailed(f"`{' '.join(command[:3])} ...` failed (exit {process.returncode}):\n{text}"
                            f"{tail(self.folder / f'{name}.log')}")
        return text

    def stop(self) -> None:
        """SIGTERM to the whole group and to every descendant (Flower's SuperExec starts its own session, so it
        leaves the group), SIGKILL to whatever is left after 10 s; reaps every child."""
        if self.pgid is None:
            return
        for sig, patience in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            self.signal_all(sig)
            deadline = time.monotonic() + patience
            while time.monotonic() < deadline and self.alive():
                time.sleep(0.1)
                self.signal_all(sig)  # orphans reparented here (subreaper) since the last look
            if not self.alive():
                return
        print(f"flower-run-local: processes of group {self.pgid} or descendants are left after SIGKILL",
              file=sys.stderr)

    def signal_all(self, sig: int) -> None:
        try:
            os.killpg(self.pgid, sig)
        except ProcessLookupError:
            pass
        for pid in descendants(os.getpid()):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def alive(self) -> bool:
        """Reaps finished children and tells whether any process of the group, or any descendant, is left."""
        for child in self.children:
            child.poll()
        while True:  # descendants reparented to this subreaper
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
        if descendants(os.getpid()):
            return True
        try:
            os.killpg(self.pgid, 0)
            return True
        except ProcessLookupError:
            return False


def descendants(root: int) -> list[int]:
    """Process IDs of every live (not zombie) descendant of `root`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != b"Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, pending = [], [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found
