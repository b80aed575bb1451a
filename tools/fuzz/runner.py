"""Running one case of tools/fuzz/fuzz.py: the executable under a timeout and a memory cap, and the outcome
(accepted, clean, crash, hang, unclean) read from its exit status and standard error."""
import os
import resource
import subprocess
import time

LEAKS = ("NSCocoaErrorDomain", "NSPOSIXErrorDomain", "Error Domain=", "Swift.", "CodingKeys", "DecodingError",
         "numberIsNotRepresentableInSwift", "codingPath", "_GenericObjCError", "Foundation._")
CRASH_MARKERS = ("Fatal error", "Program crashed", "Crash at", "Backtrace", "Thread 0 crashed", "Segmentation fault",
                 "Illegal instruction", "Stack dump", "*** Signal", "Aborted", "Trace/breakpoint trap")


MEMORY_LIMIT = 4 << 30


def limit_memory():
    """Caps a case's address space at 4 GiB, so a reader that reads /dev/zero or a huge size field fails (and is
    reported) instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(argv, timeout, cwd=None):
    """(returncode or None on timeout, stdout, stderr, seconds); the whole process group is killed on timeout."""
    start = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                               cwd=cwd, start_new_session=True, preexec_fn=limit_memory)
    try:
        out, err = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        out, err = process.communicate()
        code = None
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - start


def classify(code, err, promised, case, argv):
    """(outcome, reason)."""
    if code is None:
        return "hang", "killed at the timeout"
    if code < 0:
        return "crash", f"killed by signal {-code}"
    marker = next((m for m in CRASH_MARKERS if m in err), None)
    if marker:
        return "crash", f"exit {code} with '{marker}' on stderr"
    # `error:` from runMain; `Error:` with exit 64 is swift-argument-parser's usage or validate() error.
    error_lines = [line for line in err.splitlines()
                   if line.startswith("error:") or (code == 64 and line.startswith("Error:"))]
    leak = next((leak for leak in LEAKS if leak in err), None)
    if code == 0:
        if error_lines:
            return "unclean", "exit 0 with an error: line"
        why = promised(case, argv) if promised else None
        return ("unclean", why) if why else ("accepted", "")
    if not error_lines:
        return "unclean", f"exit {code} without an error: line"
    if leak:
        return "unclean", f"the error leaks '{leak}'"
    if any(ord(character) < 0x20 and character != "\t" or ord(character) == 0x7F for character in "".join(error_lines)):
        return "unclean", "the error prints a raw control character (escape it)"
    for line in error_lines:
        paths = [word.rstrip(":,;)") for word in line.split() if word.startswith("/")]
        if len(paths) != len(set(paths)):
            return "unclean", "the error prints a path twice"
    return "clean", ""


def self_check():
    """Fails loudly if `classify` stops telling the outcomes apart (run before every fuzz run)."""
    accepted = lambda case, argv: None
    missing = lambda case, argv: "exit 0 but out/dataset.json is missing"
    expectations = [
        ((None, ""), "hang"),
        ((-11, ""), "crash"),
        ((1, "error: x\n💣 Program crashed: Bad pointer dereference\n"), "crash"),
        ((0, ""), "accepted"),
        ((0, "error: half done\n"), "unclean"),
        ((1, "Error: Unknown option '--x'\n"), "unclean"),
        ((64, "Error: /a/run holds no run (no run.json); pass the --out folder of a run\n"), "clean"),
        ((1, "error: /a/b.json: The operation could not be completed. (NSCocoaErrorDomain error 256.)\n"), "unclean"),
        ((1, "error: /a/b.safetensors: /a/b.safetensors: bad header\n"), "unclean"),
        ((1, "error: /a/list.txt: line 3: unknown id '\x1b[31mx'\n"), "unclean"),
        ((1, "error: /a/list.txt: line 3: unknown id '\\u{1B}[31mx'; check the list\n"), "clean"),
    ]
    for (code, err), expected in expectations:
        outcome, _ = classify(code, err, accepted, "", [])
        assert outcome == expected, f"classify({code}, {err!r}) gave {outcome}, expected {expected}"
    assert classify(0, "", missing, "", [])[0] == "unclean"
