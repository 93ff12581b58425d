#!/usr/bin/env python3
"""Whole-process speed and memory of privaudit against a floor measured in the same run.

Usage: python3 benches/speed.py [--states N] [--runs R]

Builds the release binaries (privaudit and examples/floor.rs), generates N account states
(default 100,000) as TOML files in a temporary directory and as one JSON Lines file, then
reports median wall times over R runs (default 5) and peak memory (max RSS):

  1. `privaudit check wechat-read --format json` vs `floor profile profiles/wechat-read.toml`
     (read and parse the same TOML, print it as JSON)
  2. `privaudit check --state-dir DIR --format jsonl` vs `floor states DIR`
     (read and parse every state file, on every core)
  3. `privaudit check --states-jsonl FILE --format jsonl`
  4. peak memory of 2 and 3
  5. every format (text, json, jsonl, sarif, junit, markdown) on M states from JSON Lines
     (--format-states, default 1,000,000), one run each, output to /dev/null: wall time,
     peak memory and output size. Memory must stay flat: every format streams.
  6. `check PROFILE --format json` on generated profiles of 1,000 to 8,000 settings vs
     `floor profile` (--only-profiles for just that part).

Each ratio divides privaudit's median by the floor's median from the same run.
"""
import argparse
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


def measure_output(cmd):
    """Wall time, max RSS in MiB and bytes written to stdout, for one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    size = 0
    while chunk := proc.stdout.read(1 << 20):
        size += len(chunk)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {code}: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, size


def measure(cmd, runs):
    """Median wall time in seconds and the largest max RSS in MiB over `runs` runs."""
    times, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            sys.exit(f"{' '.join(cmd)} exited {code}: {proc.stderr.read().decode()}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--states", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format-states", type=int, default=1_000_000)
    parser.add_argument("--only-formats", action="store_true", help="skip 1-4 and 6")
    parser.add_argument("--only-profiles", action="store_true", help="only 6")
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "privaudit", "--example", "floor"], cwd=ROOT, check=True)
    privaudit = os.path.join(ROOT, "target/release/privaudit")
    floor = os.path.join(ROOT, "target/release/examples/floor")

    work = tempfile.mkdtemp(prefix="privaudit-speed-")
    try:
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))
        os.environ.update(env)
        if args.only_profiles:
            large_profiles(args, work, privaudit, floor)
            return
        if not args.only_formats:
            directory_and_lines(args, work, privaudit, floor)
            large_profiles(args, work, privaudit, floor)
        every_format(args, work, privaudit)
    finally:
        shutil.rmtree(work)


def directory_and_lines(args, work, privaudit, floor):
    rng = random.Random(20261123)
    states_dir = os.path.join(work, "states")
    os.mkdir(states_dir)
    jsonl_path = os.path.join(work, "states.jsonl")
    with open(jsonl_path, "w") as jsonl:
        for i in range(args.states):
            state = make_state(rng)
            with open(os.path.join(states_dir, f"{i:06}.toml"), "w") as f:
                f.write(to_toml(state))
            jsonl.write(json.dumps(state) + "\n")

    rows = []
    one_p, _ = measure([privaudit, "check", "wechat-read", "--format", "json"], args.runs * 4)
    one_f, _ = measure([floor, "profile", os.path.join(ROOT, "profiles/wechat-read.toml")], args.runs * 4)
    rows.append(("check one built-in profile (whole process)", one_p, one_f, None))
    dir_p, dir_mem = measure([privaudit, "check", "--state-dir", states_dir, "--format", "jsonl"], args.runs)
    dir_f, dir_floor_mem = measure([floor, "states", states_dir], args.runs)
    rows.append((f"{args.states:,} states from a directory", dir_p, dir_f, dir_mem))
    jl_p, jl_mem = measure([privaudit, "check", "--states-jsonl", jsonl_path, "--format", "jsonl"], args.runs)
    rows.append((f"{args.states:,} states from JSON Lines", jl_p, dir_f, jl_mem))

    print(f"cores: {os.cpu_count()}, runs: {args.runs} (median wall time)")
    print(f"{'what':48} {'privaudit':>10} {'floor':>10} {'ratio':>6} {'peak MiB':>9}")
    for what, p, f, mem in rows:
        mem_text = f"{mem:9.1f}" if mem is not None else f"{'':9}"
        print(f"{what:48} {p * 1000:8.1f}ms {f * 1000:8.1f}ms {p / f:6.2f} {mem_text}")
    print(f"floor (read+parse {args.states:,} files) peak memory: {dir_floor_mem:.1f} MiB")
    shutil.rmtree(states_dir)


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


def large_profiles(args, work, privaudit, floor):
    """6. `check PROFILE --format json` on generated profiles against `floor profile` (read,
    parse, print as JSON). 8,000 settings is the most that fits the 4 MiB limit."""
    print()
    print(f"large profiles: check --format json vs floor profile (median of {args.runs})")
    print(f"{'settings':>9} {'size':>8} {'privaudit':>10} {'floor':>10} {'ratio':>6} {'peak MiB':>9}")
    for settings in [1_000, 4_000, 8_000]:
        path = os.path.join(work, f"big-{settings}.toml")
        with open(path, "w") as f:
            f.write(generated_profile(settings))
        p, mem = measure([privaudit, "check", path, "--format", "json"], args.runs)
        fl, _ = measure([floor, "profile", path], args.runs)
        size = os.path.getsize(path) / 2**20
        print(f"{settings:9,} {size:6.1f}MB {p * 1000:8.1f}ms {fl * 1000:8.1f}ms {p / fl:6.2f} {mem:9.1f}", flush=True)


def every_format(args, work, privaudit):
    rng = random.Random(20261125)
    path = os.path.join(work, "many.jsonl")
    with open(path, "w") as f:
        for _ in range(args.format_states):
            f.write(json.dumps(make_state(rng)) + "\n")
    print()
    print(f"every format, {args.format_states:,} states from JSON Lines (one run each, output read and discarded)")
    print(f"{'format':10} {'wall':>9} {'peak MiB':>9} {'output':>10}")
    for fmt in ["jsonl", "text", "json", "sarif", "junit", "markdown"]:
        wall, peak, size = measure_output([privaudit, "check", "--states-jsonl", path, "--format", fmt])
        print(f"{fmt:10} {wall:8.1f}s {peak:9.1f} {size / 2**30:8.2f}GiB", flush=True)


if __name__ == "__main__":
    main()
