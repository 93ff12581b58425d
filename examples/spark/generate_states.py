#!/usr/bin/env python3
"""Write N account states as JSON Lines, deterministically, for trying privaudit at scale.

    python3 generate_states.py 100000 > states.jsonl

Each line is one state, `{"id": ..., "app": ..., "settings": {...}, "waivers": {...}}`, for one of
the built-in apps. The setting and option ids are read from the repository's `profiles/*.toml`
(nothing about an app is written here), so the states are always valid for this checkout. Ids are
unique: `u0000001`, ... and, every 25,000th state, an integer above 2**53 (which a double cannot
hold exactly: it shows that keys pass through unrounded).

A few deliberately bad lines are mixed in (`--bad`, default 7), spread over the file; stderr names
their line numbers and kinds. Some still carry a readable key (an unknown app, an unknown option, a
wrong type), some do not (a blank line, cut-off JSON, an array): privaudit answers each with an
error line, with `"key"` where it could read one.

The same N, --seed and profiles always give the same bytes.
"""

import argparse
import json
import random
import sys
import tomllib
from pathlib import Path

REPO_PROFILES = Path(__file__).resolve().parents[2] / "profiles"

# The kinds of bad line, in the order they are placed. Each takes a good state and its app's
# first setting id, and returns the text of the line.
BAD_KINDS = {
    "unknown app": lambda s, first: dumps({"id": s["id"], "app": "no-such-app", "settings": {}}),
    "blank line": lambda s, first: "",
    "cut-off JSON": lambda s, first: dumps(s)[:-9],
    "unknown option": lambda s, first: dumps({**s, "settings": {first: "no-such-option"}}),
    "not an object": lambda s, first: dumps([s]),
    "wrong type": lambda s, first: dumps({**s, "settings": {first: 1}}),
    "unknown setting": lambda s, first: dumps({**s, "settings": {"no-such-setting": "on"}}),
}


def dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def load_apps(profiles: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """App id -> [(setting id, [option ids])], from every profile (not the catalog)."""
    apps = {}
    for path in sorted(profiles.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if "app" in data:
            apps[data["app"]["id"]] = [
                (s["id"], [o["id"] for o in s["options"]]) for s in data.get("settings", [])
            ]
    if not apps:
        sys.exit(f"generate_states.py: no profiles in {profiles}")
    return apps


def make_state(rng: random.Random, n: int, apps) -> dict:
    """The n-th state (1-based): an app, some settings changed, now and then a waiver."""
    key = 9_007_199_254_740_993 + n if n % 25_000 == 0 else f"u{n:07d}"
    app = rng.choice(sorted(apps))
    settings = apps[app]
    chosen = rng.sample(settings, rng.randint(0, len(settings)))
    state = {"id": key, "app": app, "settings": {s: rng.choice(opts) for s, opts in chosen}}
    if rng.random() < 0.05:  # one state in twenty keeps a setting on purpose
        setting = rng.choice(settings)[0]
        state["waivers"] = {setting: {"reason": "kept on purpose", "expires": "2030-01-01"}}
    return state


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=100_000, help="lines to write (default 100000)")
    parser.add_argument("--bad", type=int, default=len(BAD_KINDS), help="bad lines among them (default 7)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--profiles", type=Path, default=REPO_PROFILES, help="profiles folder (default: the repository's)"
    )
    args = parser.parse_args()
    if args.count < 0 or not 0 <= args.bad <= args.count:
        parser.error("need 0 <= --bad <= count")

    rng = random.Random(args.seed)
    apps = load_apps(args.profiles)
    # Bad lines evenly spread (never the first line), each kind in turn.
    bad = {args.count * (i + 1) // (args.bad + 1) + 1: i for i in range(args.bad)}
    kinds = list(BAD_KINDS)
    out = sys.stdout
    for n in range(1, args.count + 1):
        state = make_state(rng, n, apps)
        if n in bad:
            kind = kinds[bad[n] % len(kinds)]
            out.write(BAD_KINDS[kind](state, apps[state["app"]][0][0]) + "\n")
            print(f"line {n}: {kind}", file=sys.stderr)
        else:
            out.write(dumps(state) + "\n")
    print(f"{args.count} lines, {args.bad} bad", file=sys.stderr)


if __name__ == "__main__":
    main()
