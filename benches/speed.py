#!/usr/bin/env python3
"""Whole-process speed and memory of privaudit against a floor measured in the same run.

Usage: python3 benches/speed.py [--states N] [--lines-states N] [--format-states N] [--runs R]
                                [--only-lines | --only-profiles | --only-formats | --skip-formats]

Builds the release binaries (privaudit and examples/floor.rs, the floor: the least any checker
must do with the same input, using the general parsers (toml, serde_json), on every core;
privaudit reads the common shape of a state with its own scanners, so it can come near or under
a floor) and reports, for each part, median wall times over R runs (default 5) and peak memory
(max RSS) of privaudit and of its
floor. In every pair the privaudit and floor runs alternate (p, f, p, f, ...) so drift on a
shared machine hits both, stdout goes to /dev/null, and each ratio divides privaudit's median
by the floor's median from the same run.

  1. One app and a directory (--states N account states, default 100,000, as TOML files):
     - `privaudit check wechat-read --format json` vs `floor profile profiles/wechat-read.toml`
       (read and parse the same TOML, print it as JSON); 4 x R runs.
     - `privaudit check --state-dir DIR --format jsonl --detail compact|full` vs `floor states
       DIR` (one open and read per state file, parse it, on every core; writes nothing).
       Target: compact within 1.1x the floor; full (about 11 KB written per state) shown too.
  2. JSON Lines (--lines-states N, default 1,000,000, one generated file), for full lines
     (`check --states-jsonl FILE --format jsonl`) and compact lines (the same with
     `--detail compact`): one run through a pipe first gives privaudit's output size, whose
     mean line length is BYTES; then privaudit vs `floor lines-emit FILE BYTES` (parse every
     line, write one BYTES-byte line per state in input order). Also the parse floor
     `floor lines FILE` and privaudit's ratio to it, for reference. Targets: within 1.5x the
     emit floor, peak memory at most 32 MiB.
  3. Large profiles: `check PROFILE --format json` on generated profiles of 1,000, 10,000 and
     50,000 settings (three options each; 50,000 is about 24 MB) vs `floor profile PROFILE`.
     Target: within 2x the floor.
  4. Every format (jsonl, text, json, sarif, junit, markdown, github, gitlab) on --format-states states from
     JSON Lines (default 1,000,000; the same file as part 2 when the sizes match), one run
     each, stdout read through a pipe and discarded: wall time, peak memory and output size.
     Memory must stay flat: every format streams. This part takes minutes.

Flags: --only-lines runs just part 2, --only-profiles just part 3, --only-formats just
part 4, --skip-formats everything but part 4 (they exclude one another).

Commands run under a tiny C runner compiled into the temporary directory (cc), which forks
them, waits and reports their max RSS, exit code and wall time: a command started directly
from Python would report at least Python's own peak RSS (about 14 MiB), as Linux carries the
pre-exec high-water mark over exec.

Ends with a summary of every ratio with its target and PASS/MISS (memory too), the date, the
core count and the CPU model, so the README's tables can be filled from one run. A command that
fails (exit code other than 0 or 1; 1 means findings) is reported with its stderr, marked
FAIL in the summary, and the script goes on; it then exits 1.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DIRECTORY_TARGET = 1.1
LINES_TARGET = 1.5
LINES_MEMORY_TARGET_MIB = 32
PROFILE_TARGET = 2.0
PROFILE_SIZES = [1_000, 10_000, 50_000]

DOUYIN = [
    ("recommend-me-to-people-who-may-know-me", ["on", "off"]),
    ("recommend-people-i-may-know", ["on", "off"]),
    ("private-account", ["on", "off"]),
    ("follow-list-visibility", ["public", "mutual", "only-me"]),
    ("third-party-content-sync", ["on", "off"]),
    ("local-feed", ["on", "off"]),
    ("online-status", ["on", "off"]),
]
WECHAT_READ = [
    ("wechat-friend-import", ["on", "off"]),
    ("auto-follow-friends", ["on", "off"]),
    ("reading-info-to-friends", ["on", "off"]),
    ("reading-time-leaderboard", ["on", "off"]),
    ("private-reading", ["public", "private"]),
]


def make_state(rng):
    app, settings = ("douyin", DOUYIN) if rng.random() < 0.5 else ("wechat-read", WECHAT_READ)
    chosen = {s: rng.choice(o) for s, o in settings if rng.random() < 0.7}
    state = {"app": app, "settings": chosen}
    if rng.random() < 0.05:
        setting = rng.choice(settings)[0]
        state["waivers"] = {setting: {"reason": "kept on purpose", "expires": "2030-01-01"}}
    return state


def to_toml(state):
    lines = [f'app = "{state["app"]}"', "", "[settings]"]
    lines += [f'{k} = "{v}"' for k, v in state["settings"].items()]
    for setting, waiver in state.get("waivers", {}).items():
        lines += ["", f"[waivers.{setting}]", f'reason = "{waiver["reason"]}"', f'expires = {waiver["expires"]}']
    return "\n".join(lines) + "\n"


class CommandFailed(Exception):
    """A measured command exited with something other than 0 or 1 (1 means findings)."""

    def __init__(self, cmd, code, stderr):
        self.cmd, self.code, self.stderr = cmd, code, stderr
        tail = stderr.strip()
        if len(tail) > 4000:
            tail = "...\n" + tail[-4000:]
        how = f"killed by signal {-code}" if code < 0 else f"exited {code}"
        super().__init__(f"`{' '.join(cmd)}` {how}; stderr:\n{tail or '(empty)'}")


RUNNER_C = r"""
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* run-rss RESULT CMD ARGS...: run CMD, write "maxrss_kib exit_code wall_seconds" to RESULT. */
int main(int argc, char **argv) {
    if (argc < 3) { fputs("usage: run-rss RESULT CMD ARGS...\n", stderr); return 125; }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 125; }
    if (pid == 0) { execvp(argv[2], argv + 2); perror(argv[2]); _exit(127); }
    int status;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) { perror("wait4"); return 125; }
    clock_gettime(CLOCK_MONOTONIC, &end);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    FILE *out = fopen(argv[1], "w");
    if (!out) { perror(argv[1]); return 125; }
    fprintf(out, "%ld %d %.9f\n", usage.ru_maxrss, code,
            (double)(end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return fclose(out) == 0 ? 0 : 125;
}
"""

# A child of this script starts with the script's own peak RSS (Linux keeps the larger of the
# pre-exec and post-exec high-water marks), so `/bin/true` run from here "peaks" at 14 MiB.
# Commands therefore run under a tiny C runner, forked from it, which reports the command's
# max RSS, exit code and wall time. Without a C compiler, commands run directly (with a warning).
RUNNER = None


def build_runner(work):
    global RUNNER
    source = os.path.join(work, "run-rss.c")
    binary = os.path.join(work, "run-rss")
    with open(source, "w") as f:
        f.write(RUNNER_C)
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    built = cc and subprocess.run([cc, "-O2", "-o", binary, source], capture_output=True).returncode == 0
    if built:
        RUNNER = binary
    else:
        print("warning: no C compiler for the measuring runner; a peak memory below this script's "
              "own peak RSS reads as the script's", file=sys.stderr)


def _spawn(cmd, stdout, stderr_file, result):
    if RUNNER:
        return subprocess.Popen([RUNNER, result, *cmd], stdout=stdout, stderr=stderr_file)
    return subprocess.Popen(cmd, stdout=stdout, stderr=stderr_file)


def _finish(cmd, proc, stderr_file, result, start):
    """Wait for `proc`; (wall seconds, max RSS in MiB), or CommandFailed with its stderr."""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss
    if RUNNER and code == 0:
        with open(result) as f:
            rss, code, wall = f.read().split()
        rss, code, wall = int(rss), int(code), float(wall)
    if code not in (0, 1):
        stderr_file.seek(0)
        raise CommandFailed(cmd, code, stderr_file.read().decode(errors="replace"))
    return wall, rss / 1024


def measure_output(cmd):
    """Wall time, max RSS in MiB and bytes written to stdout, for one run."""
    with tempfile.TemporaryFile() as stderr_file, tempfile.NamedTemporaryFile() as result:
        start = time.perf_counter()
        proc = _spawn(cmd, subprocess.PIPE, stderr_file, result.name)
        size = 0
        while chunk := proc.stdout.read(1 << 20):
            size += len(chunk)
        proc.stdout.close()
        wall, rss = _finish(cmd, proc, stderr_file, result.name, start)
    return wall, rss, size


def run_once(cmd):
    """Wall time in seconds and max RSS in MiB of one run, stdout to /dev/null."""
    with tempfile.TemporaryFile() as stderr_file, tempfile.NamedTemporaryFile() as result:
        start = time.perf_counter()
        proc = _spawn(cmd, subprocess.DEVNULL, stderr_file, result.name)
        return _finish(cmd, proc, stderr_file, result.name, start)


def measure(cmd, runs):
    """Median wall time in seconds and the largest max RSS in MiB over `runs` runs."""
    times, peak = [], 0
    for _ in range(runs):
        wall, rss = run_once(cmd)
        times.append(wall)
        peak = max(peak, rss)
    return statistics.median(times), peak


def measure_pair(cmd_p, cmd_f, runs):
    """`runs` runs each of privaudit's and the floor's command, alternating p, f, p, f, ...
    Returns (privaudit median, privaudit peak MiB, floor median, floor peak MiB)."""
    p_times, f_times, p_peak, f_peak = [], [], 0, 0
    for _ in range(runs):
        wall, rss = run_once(cmd_p)
        p_times.append(wall)
        p_peak = max(p_peak, rss)
        wall, rss = run_once(cmd_f)
        f_times.append(wall)
        f_peak = max(f_peak, rss)
    return statistics.median(p_times), p_peak, statistics.median(f_times), f_peak


class Summary:
    """Every ratio (and memory figure) with its target, for the block at the end."""

    def __init__(self):
        self.rows = []

    def ratio(self, what, ratio, target=None):
        """A ratio; `target` None means printed for reference only."""
        status = "" if target is None else ("PASS" if ratio <= target else "MISS")
        self.rows.append((what, f"{ratio:.2f}x", "" if target is None else f"<= {target}x", status))
        return status

    def memory(self, what, mib, target):
        status = "PASS" if mib <= target else "MISS"
        self.rows.append((what, f"{mib:.1f} MiB", f"<= {target} MiB", status))
        return status

    def failed(self, what):
        self.rows.append((what, "-", "", "FAIL"))

    def any_failed(self):
        return any(status == "FAIL" for *_, status in self.rows)

    def print(self, args):
        print()
        print("summary")
        if self.rows:
            width = max(48, *(len(r[0]) for r in self.rows))
            print(f"{'what':{width}} {'value':>10} {'target':>11} status")
            for what, value, target, status in self.rows:
                print(f"{what:{width}} {value:>10} {target:>11} {status}")
        date = datetime.datetime.now(datetime.timezone.utc)
        print(f"date: {date.date().isoformat()} ({date.strftime('%H:%M')} UTC)")
        print(f"cores: {os.cpu_count()}")
        print(f"cpu: {cpu_model()}")
        print(f"runs: {args.runs} (median wall time; privaudit and floor interleaved)")


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def report_failure(what, error, summary):
    print(f"FAILED ({what}): {error}", file=sys.stderr, flush=True)
    print(f"{what}: FAILED (see stderr)", flush=True)
    summary.failed(what)


def main():
    parser = argparse.ArgumentParser(description="privaudit against its floor, side by side in one run")
    parser.add_argument("--states", type=int, default=100_000, help="state files for the directory part")
    parser.add_argument("--lines-states", type=int, default=1_000_000, help="states for the JSON Lines part")
    parser.add_argument("--format-states", type=int, default=1_000_000, help="states for the every-format part")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--only-lines", action="store_true", help="only the JSON Lines part")
    only.add_argument("--only-profiles", action="store_true", help="only the large-profile part")
    only.add_argument("--only-formats", action="store_true", help="only the every-format part")
    only.add_argument("--skip-formats", action="store_true", help="everything but the every-format part")
    args = parser.parse_args()

    build = ["cargo", "build", "--release", "--quiet", "--bin", "privaudit", "--example", "floor"]
    if subprocess.run(build, cwd=ROOT).returncode != 0:
        sys.exit(f"`{' '.join(build)}` failed (its errors are above)")
    privaudit = os.path.join(ROOT, "target/release/privaudit")
    floor = os.path.join(ROOT, "target/release/examples/floor")

    everything = not (args.only_lines or args.only_profiles or args.only_formats)
    summary = Summary()
    work = tempfile.mkdtemp(prefix="privaudit-speed-")
    try:
        os.environ["XDG_CONFIG_HOME"] = os.path.join(work, "config")
        build_runner(work)
        files = {}
        if everything:
            one_app_and_directory(args, work, privaudit, floor, summary)
        if everything or args.only_lines:
            json_lines(args, work, privaudit, floor, summary, files)
        if everything or args.only_profiles:
            large_profiles(args, work, privaudit, floor, summary)
        if (everything and not args.skip_formats) or args.only_formats:
            every_format(args, work, privaudit, summary, files)
        summary.print(args)
    finally:
        shutil.rmtree(work)
    if summary.any_failed():
        sys.exit(1)


def states_jsonl(work, count, files):
    """A JSON Lines file of `count` generated states, written once per size."""
    if count not in files:
        rng = random.Random(20261125)
        path = os.path.join(work, f"states-{count}.jsonl")
        with open(path, "w") as f:
            for _ in range(count):
                f.write(json.dumps(make_state(rng)) + "\n")
        files[count] = path
    return files[count]


def one_app_and_directory(args, work, privaudit, floor, summary):
    """1. One built-in profile, and --states state files from a directory."""
    rng = random.Random(20261123)
    states_dir = os.path.join(work, "states")
    os.mkdir(states_dir)
    for i in range(args.states):
        with open(os.path.join(states_dir, f"{i:06}.toml"), "w") as f:
            f.write(to_toml(make_state(rng)))

    print("one app and a directory (median of privaudit and floor runs, interleaved)")
    print(f"{'what':44} {'privaudit':>10} {'floor':>10} {'ratio':>6} {'target':>7} {'peak MiB':>9} {'floor MiB':>9}")

    def row(what, p, f, target, p_mem, f_mem):
        target_text = f"{target}x" if target else ""
        print(f"{what:44} {p * 1000:8.1f}ms {f * 1000:8.1f}ms {p / f:6.2f} {target_text:>7} "
              f"{p_mem:9.1f} {f_mem:9.1f}", flush=True)

    what = "check one built-in profile (whole process)"
    try:
        p, p_mem, f, f_mem = measure_pair([privaudit, "check", "wechat-read", "--format", "json"],
                                          [floor, "profile", os.path.join(ROOT, "profiles/wechat-read.toml")],
                                          args.runs * 4)
        row(what, p, f, None, p_mem, f_mem)
        summary.ratio("one built-in profile vs floor profile", p / f)
    except CommandFailed as error:
        report_failure(what, error, summary)

    # The floor reads and parses without writing anything, so the target applies to compact
    # lines (about 800 bytes of output per state); full lines (about 11 KB) are shown too.
    for detail, target in [("compact", DIRECTORY_TARGET), ("full", None)]:
        what = f"{args.states:,} states from a directory, {detail}"
        try:
            p, p_mem, f, f_mem = measure_pair(
                [privaudit, "check", "--state-dir", states_dir, "--format", "jsonl", "--detail", detail],
                [floor, "states", states_dir], args.runs)
            row(what, p, f, target, p_mem, f_mem)
            summary.ratio(f"{what} vs floor states", p / f, target)
        except CommandFailed as error:
            report_failure(what, error, summary)
    shutil.rmtree(states_dir)


def json_lines(args, work, privaudit, floor, summary, files):
    """2. Full and compact JSON Lines output against the parse-and-emit floor."""
    n = args.lines_states
    path = states_jsonl(work, n, files)
    print()
    print(f"JSON Lines, {n:,} states (median of {args.runs}, privaudit and floor interleaved; "
          f"targets {LINES_TARGET}x the emit floor, peak <= {LINES_MEMORY_TARGET_MIB} MiB)")
    try:
        parse, parse_mem = measure([floor, "lines", path], args.runs)
        print(f"parse floor (floor lines): {parse * 1000:.1f}ms, peak {parse_mem:.1f} MiB", flush=True)
    except CommandFailed as error:
        report_failure("parse floor (floor lines)", error, summary)
        parse = None
    print(f"{'detail':8} {'privaudit':>10} {'emit floor':>10} {'ratio':>6} {'target':>7} {'peak MiB':>9} "
          f"{'floor MiB':>9} {'bytes/line':>10} {'vs parse':>8}")
    for detail, extra in [("full", []), ("compact", ["--detail", "compact"])]:
        cmd = [privaudit, "check", "--states-jsonl", path, "--format", "jsonl", *extra]
        try:
            _, _, size = measure_output(cmd)
            line_bytes = round(size / n) if n else 0
            p, p_mem, f, f_mem = measure_pair(cmd, [floor, "lines-emit", path, str(line_bytes)], args.runs)
        except CommandFailed as error:
            report_failure(f"{detail} JSON Lines", error, summary)
            continue
        vs_parse = f"{p / parse:8.2f}" if parse else f"{'-':>8}"
        print(f"{detail:8} {p * 1000:8.1f}ms {f * 1000:8.1f}ms {p / f:6.2f} {LINES_TARGET:>6}x {p_mem:9.1f} "
              f"{f_mem:9.1f} {line_bytes:10,} {vs_parse}", flush=True)
        summary.ratio(f"{n:,} states, {detail} JSON Lines vs emit floor", p / f, LINES_TARGET)
        summary.memory(f"{n:,} states, {detail} JSON Lines peak memory", p_mem, LINES_MEMORY_TARGET_MIB)
        if parse:
            summary.ratio(f"{n:,} states, {detail} JSON Lines vs parse floor", p / parse)


def generated_profile(settings):
    """A profile of `settings` settings with three options each, labels in both languages."""
    out = ['[app]', 'id = "big"', 'name = { en = "Big", zh = "大" }', 'vendor = { en = "X", zh = "X" }',
           'version = "1"', 'reviewed = 2026-11-01', '']
    for i in range(settings):
        out += ['[[settings]]', f'id = "s{i}"',
                f'label = {{ en = "Setting number {i} with a longer label", zh = "第 {i} 项设置" }}',
                'default = "on"', 'evidence = { label = "verified", default = "verified" }', '',
                '[[settings.options]]', 'id = "on"', 'label = { en = "On", zh = "开" }',
                'flows = [{ data = ["contacts"], to = "friends" }]', '',
                '[[settings.options]]', 'id = "mid"', 'label = { en = "Mid", zh = "中" }',
                'flows = [{ data = ["contacts"], to = "only-me" }]', '',
                '[[settings.options]]', 'id = "off"', 'label = { en = "Off", zh = "关" }', '']
    return "\n".join(out) + "\n"


def large_profiles(args, work, privaudit, floor, summary):
    """3. `check PROFILE --format json` on generated profiles against `floor profile` (read,
    parse, print as JSON)."""
    print()
    print(f"large profiles: check --format json vs floor profile (median of {args.runs}, interleaved; "
          f"target {PROFILE_TARGET}x)")
    print(f"{'settings':>9} {'size':>8} {'privaudit':>10} {'floor':>10} {'ratio':>6} {'peak MiB':>9} {'floor MiB':>9}")
    for settings in PROFILE_SIZES:
        path = os.path.join(work, f"big-{settings}.toml")
        with open(path, "w") as f:
            f.write(generated_profile(settings))
        size = os.path.getsize(path) / 2**20
        what = f"profile of {settings:,} settings ({size:.1f} MB)"
        try:
            p, p_mem, fl, f_mem = measure_pair([privaudit, "check", path, "--format", "json"],
                                               [floor, "profile", path], args.runs)
        except CommandFailed as error:
            report_failure(what, error, summary)
            continue
        finally:
            os.remove(path)
        print(f"{settings:9,} {size:6.1f}MB {p * 1000:8.1f}ms {fl * 1000:8.1f}ms {p / fl:6.2f} "
              f"{p_mem:9.1f} {f_mem:9.1f}", flush=True)
        summary.ratio(f"{what} vs floor profile", p / fl, PROFILE_TARGET)


def every_format(args, work, privaudit, summary, files):
    """4. Every format on --format-states states, one run each, output read and discarded."""
    path = states_jsonl(work, args.format_states, files)
    print()
    print(f"every format, {args.format_states:,} states from JSON Lines (one run each, output read and discarded)")
    print(f"{'format':10} {'wall':>9} {'peak MiB':>9} {'output':>10}")
    for fmt in ["jsonl", "text", "json", "sarif", "junit", "markdown", "github", "gitlab"]:
        try:
            wall, peak, size = measure_output([privaudit, "check", "--states-jsonl", path, "--format", fmt])
        except CommandFailed as error:
            report_failure(f"--format {fmt} on {args.format_states:,} states", error, summary)
            continue
        print(f"{fmt:10} {wall:8.1f}s {peak:9.1f} {human_size(size):>10}", flush=True)


def human_size(size):
    """Bytes as GiB, MiB or KiB, whichever reads best (SARIF aggregates to kilobytes)."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20)):
        if size >= scale:
            return f"{size / scale:.2f}{unit}"
    return f"{size / 2**10:.1f}KiB"


if __name__ == "__main__":
    main()
