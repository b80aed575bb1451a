#!/usr/bin/env python3
"""Seeded mutation fuzzer over every FedNC reader (issue 16, "Fuzzing as a habit").

It makes valid inputs with `fednc-samples` and the built tools (a prepared dataset, shards, a one-round linear
run), then, for each format, copies the inputs, mutates one file (bit flips, byte values, truncation, splices,
insertions, huge numbers, deep nesting, format-aware edits that keep checksums right so the mutation reaches
the parser) and runs the real executable with a timeout. Now and then (4%) the file is replaced by a FIFO, a
folder, a link to /dev/zero, a dangling link or an empty file instead. Each case is one of:

  accepted  exit 0, and the output the command promises is there (else: unclean)
  clean     non-zero exit with an `error:` line (or exit 64 with the argument parser's `Error:` line) that leaks no
            Swift internals
  crash     killed by a signal, or a crash report / backtrace / fatal error on stderr
  hang      still running at the timeout (killed)
  known     a crash, hang or unclean case matching KNOWN (a reported bug being fixed elsewhere)
  unclean   exit 0 without the promised output or with an `error:` line, a non-zero exit without an `error:`
            line, or an error that leaks Swift internals (NSCocoaErrorDomain, DecodingError, ...), prints a
            path twice or prints a raw control character such as ESC

The same seed gives the same mutations. Any crash, hang or unclean case not in KNOWN makes the exit status 1;
each is kept under WORK/failures/ and printed with the command that reproduces it. Standard library only; the
mutations are in mutations.py, the corpus and the formats in inputs.py, running and judging a case in runner.py.

Usage: tools/fuzz/fuzz.py [--seed 0] [--cases 10] [--formats a,b] [--bin DIR] [--work DIR] [--timeout S]
"""
import argparse
import os
import random
import shlex
import shutil
import subprocess
import sys
import time

from inputs import SPECIAL_FILE_SHARE, SPECIAL_FILES, formats, link_copy, make_corpus, make_special_file, replace_file
from runner import classify, run, self_check

# Known, reported bugs in readers being fixed elsewhere (issue 16): a crash, hang or unclean case of this format
# ("*": any) and outcome whose "mutation reason stderr" text contains the given text counts as "known" and does not
# fail the run (unless --strict). Delete an entry when its fix lands, so the fuzzer guards it from then on.
KNOWN = ()  # every reported reader bug is fixed; add (format, outcome, text, why) for a new one


def summary_lines(err):
    """The lines of stderr that say what went wrong: a runtime failure or fatal error and the first frame in our
    sources for a crash report, else the last three lines."""
    lines = err.strip().splitlines()
    failure = [line.strip() for line in lines if "runtime failure" in line or "Fatal error" in line][:1]
    if failure:
        frame = next((line.strip() for line in lines if "/Sources/" in line), None)
        return failure + ([frame[frame.index(" in ") + 4:]] if frame and " in " in frame else [])
    return lines[-3:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=10, help="cases per format (default 10)")
    parser.add_argument("--formats", default="", help="comma-separated subset (default: all)")
    parser.add_argument("--bin", default=None, help="built executables (default: swift build -c release --show-bin-path)")
    parser.add_argument("--work", default=None, help="scratch folder (default: .build/fuzz-SEED in the repository)")
    parser.add_argument("--timeout", type=float, default=10,
                        help="seconds before a case counts as a hang (default 10; a case takes about 0.1 s)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary and failures")
    parser.add_argument("--strict", action="store_true", help="count KNOWN bugs as failures too")
    arguments = parser.parse_args()
    self_check()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binaries = arguments.bin or os.environ.get("FEDNC_BIN_DIR") or subprocess.run(
        ["swift", "build", "-c", "release", "--show-bin-path"], cwd=root, capture_output=True, text=True,
        check=True).stdout.strip()
    binaries = os.path.abspath(binaries)
    work = os.path.abspath(arguments.work or os.path.join(root, ".build", f"fuzz-{arguments.seed}"))
    corpus, cases, failures = f"{work}/corpus", f"{work}/cases", f"{work}/failures"
    for folder in (cases, failures):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    selected = [name for name in arguments.formats.split(",") if name]
    names = [fmt.name for fmt in formats("/nonexistent")]
    if set(selected) - set(names):
        sys.exit(f"fuzz: unknown format(s) {', '.join(sorted(set(selected) - set(names)))}; choose from {', '.join(names)}")
    started = time.monotonic()
    make_corpus(binaries, corpus)
    table = []
    bad, known_cases = [], []
    for fmt in formats(corpus):
        if selected and fmt.name not in selected:
            continue
        counts = dict.fromkeys(("accepted", "clean", "crash", "hang", "unclean", "known"), 0)
        slowest = 0.0
        for index in range(arguments.cases):
            rng = random.Random(f"{arguments.seed}/{fmt.name}/{index}")
            case = f"{cases}/{fmt.name}-{index:04d}"
            link_copy(f"{corpus}/{fmt.base}", f"{case}/in")
            target = rng.choice(fmt.targets)
            path = f"{case}/in/{target}"
            original = open(path, "rb").read()
            if rng.random() < SPECIAL_FILE_SHARE:
                applied = rng.choice(SPECIAL_FILES)
                make_special_file(path, applied)
            else:
                mutations = [rng.choice(fmt.mutations)]
                if rng.random() < 0.25:  # a second mutation now and then
                    mutations.append(rng.choice(fmt.mutations))
                mutated = original
                for mutation in mutations:
                    mutated = mutation(rng, mutated)
                applied = "+".join(mutation.__name__ for mutation in mutations)
                replace_file(path, mutated)
            argv = fmt.command(binaries, case, rng)
            code, out, err, seconds = run(argv, arguments.timeout)
            slowest = max(slowest, seconds)
            outcome, reason = classify(code, err, fmt.promised, case, argv)
            haystack = f"{applied} {reason}\n{err}"
            known = next((entry for entry in KNOWN if entry[0] in ("*", fmt.name) and entry[1] == outcome
                          and entry[2] in haystack), None)
            if known and not arguments.strict:
                outcome, reason = "known", f"{outcome}: {known[3]}"
            counts[outcome] += 1
            if outcome in ("crash", "hang", "unclean", "known"):
                kept = f"{failures}/{fmt.name}-{index:04d}"
                shutil.rmtree(f"{case}/out", ignore_errors=True)
                os.rename(case, kept)
                argv = [part.replace(case, kept) for part in argv]
                with open(f"{kept}/stderr.txt", "w") as file:
                    file.write(err)
                (known_cases if outcome == "known" else bad).append(
                    (fmt.name, index, outcome, reason, applied, f"{kept}/in/{target}", argv,
                     summary_lines(err)))
            else:
                shutil.rmtree(case)
            if not arguments.quiet:
                print(f"  {fmt.name} #{index}: {outcome:<8} {applied} on {target} ({seconds:.2f} s)"
                      + (f": {reason}" if reason else ""), file=sys.stderr)
        table.append((fmt.name, arguments.cases, counts, slowest))
    print(f"fuzz: seed {arguments.seed}, {arguments.cases} cases per format, {time.monotonic() - started:.0f} s "
          f"(binaries: {binaries})")
    columns = ("accepted", "clean", "crash", "hang", "unclean", "known")
    print(f"{'format':<16}{'cases':>6}" + "".join(f"{column:>9}" for column in columns) + f"{'slowest':>9}")
    for name, total, counts, slowest in table:
        print(f"{name:<16}{total:>6}" + "".join(f"{counts[column]:>9}" for column in columns) + f"{slowest:>8.1f}s")
    if known_cases:
        print(f"fuzz: {len(known_cases)} case(s) hit known, reported bugs (KNOWN in {os.path.relpath(__file__, root)}); "
              f"inputs under {failures}" + ("" if arguments.quiet else ":"))
        if not arguments.quiet:
            for name, index, _, reason, mutation, input_path, argv, _ in known_cases:
                print(f"  {name} case {index} ({mutation}): {reason}\n    reproduce: {shlex.join(argv)}")
    for name, index, outcome, reason, mutation, input_path, argv, tail in bad:
        print(f"\n{outcome.upper()}: {name} case {index} ({mutation}): {reason}\n  input: {input_path}\n"
              f"  reproduce: {shlex.join(argv)}")
        for line in tail:
            print(f"  | {line}")
    if bad:
        print(f"\nfuzz: {len(bad)} failing case(s); inputs kept under {failures}")
        return 1
    shutil.rmtree(cases, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
