"""What tools/flower-run-local and tools/flower-sim-run share: the process group of every process they start,
stopped together at the end, and the SuperLink / `flwr` helpers.

Children start in one new process group (the first child leads it), with signals unblocked and default, and get
SIGTERM when the runner dies (PR_SET_PDEATHSIG). The runner is a child subreaper, so descendants whose parent
exits are reparented to it; `stop` signals the group and every descendant (Flower's SuperExec starts a session
of its own and leaves the group), first SIGTERM, then SIGKILL.
"""

import ctypes
import json
import os
import re
import socket
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
        print(f"{Path(sys.argv[0]).name}: processes of group {self.pgid} or descendants are left after SIGKILL",
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


def free_port() -> int:
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Returns once 127.0.0.1:port accepts connections; fails if `process` exits first or after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RunFailed(f"the SuperLink exited with status {process.returncode} before listening; its log "
                            f"({log}):\n{tail(log)}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RunFailed(f"the SuperLink did not listen on 127.0.0.1:{port} within {seconds:g} s; log: {log}")


def toml_string(value: str) -> str:
    """`value` as a TOML basic string (JSON's string escapes are valid TOML)."""
    return json.dumps(value)


def run_status(group: ProcessGroup, venv: Path, connection: str, run_log: Path) -> str:
    """The status of the (one) run on the SuperLink of `connection`, e.g. "finished:completed" (`flwr ls`);
    fails quoting `run_log` (`flwr run`'s output) when `flwr run` started no run."""
    listing = group.run("flwr-ls", [str(venv / "bin" / "flwr"), "ls", connection, "--format", "json"])
    try:
        runs = json.loads(listing[listing.index("{"):])["runs"]
    except (ValueError, KeyError) as error:
        raise RunFailed(f"`flwr ls` printed no run list ({error}):\n{listing}") from error
    if not runs:
        raise RunFailed(f"`flwr run` started no run; its output ({run_log}):\n{tail(run_log)}")
    try:
        return str(runs[-1]["status"])
    except (KeyError, TypeError) as error:
        raise RunFailed(f"`flwr ls` printed no run status ({error}):\n{listing}") from error


def server_errors(log: Path) -> str:
    """The ServerApp's error from the `flwr run --stream` log: the raised error's text when it is one of the
    app's own (they name the node and the fix), else the traceback."""
    text = log.read_text(errors="replace").splitlines()
    own = [index for index, line in enumerate(text) if re.match(r"^fednc_flower\.[\w.]+: ", line)]
    if own:
        end = next((index for index in range(own[-1], len(text)) if "Exit Code:" in text[index]), len(text))
        first = text[own[-1]]
        return "\n".join([first[first.index(": ") + 2:], *text[own[-1] + 1:end]])
    start = next((index for index, line in enumerate(text) if "Traceback" in line or "ERROR" in line), None)
    return "\n".join(text[start:] if start is not None else text[-30:])
