#!/usr/bin/env python3
"""Check what privaudit_pipe.py wrote against one plain privaudit run over the whole file.

    python3 verify.py states.jsonl --results privaudit-results --expect-errors 7

Checks, and exits 1 naming what failed:
- one output row per input line;
- every input key that can be read is joined to a result with that key, and no result is
  without its input;
- per key, privaudit's line in the row (`result`) equals the line of a single run over the whole
  file, ignoring `state` (`stdin:N` within a partition there, the line of the file here) and that
  same prefix of error messages; lines without a key are compared as a multiset;
- the summary columns (app, scores, counts, error) are those of the single run's line;
- the number of error rows (with --expect-errors: equal to it).

Needs no Spark: it reads the part files as JSON Lines.
"""

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

from privaudit_pipe import find_binary, input_key, key_text, privaudit_command, summarise


def normalised(line: str) -> str:
    """privaudit's line without where it was read: `state` and the error's leading `STATE:`."""
    result = json.loads(line, parse_float=Decimal)
    state = result.pop("state")
    if "error" in result:
        result["error"] = result["error"].removeprefix(state + ":")
    return json.dumps(result, sort_keys=True, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("states")
    parser.add_argument("--results", default="privaudit-results")
    parser.add_argument("--privaudit")
    parser.add_argument("--key", default="id")
    parser.add_argument("--expect-errors", type=int)
    args = parser.parse_args()
    problems = []

    # The input as Spark's text reader splits it: on newlines, no record after a final one.
    lines = Path(args.states).read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    # One run of privaudit over the whole file, with the job's own flags.
    started = time.monotonic()
    command = privaudit_command(find_binary(args.privaudit), args.key)
    with open(args.states, "rb") as stdin:
        run = subprocess.run(command, stdin=stdin, capture_output=True, check=False)
    single = run.stdout.decode("utf-8").splitlines()
    print(f"single run: exit {run.returncode}, {len(single)} lines, {time.monotonic() - started:.1f} s")
    if run.returncode != 0 or len(single) != len(lines):
        problems.append(f"single run: exit {run.returncode}, {len(single)} lines for {len(lines)}")
    by_key, keyless = {}, Counter()
    for line in single:
        key = key_text(json.loads(line, parse_float=Decimal).get("key"))
        if key is None:
            keyless[normalised(line)] += 1
        elif key in by_key:
            problems.append(f"key {key!r} twice in the input: cannot join by it")
        else:
            by_key[key] = line

    rows = [
        json.loads(row)
        for part in sorted(Path(args.results).glob("part-*"))
        for row in part.read_text(encoding="utf-8").splitlines()
    ]
    print(f"spark output: {len(rows)} rows; input: {len(lines)} lines")
    if len(rows) != len(lines):
        problems.append(f"{len(rows)} rows for {len(lines)} input lines")

    # Error text only by presence here: its `stdin:N` counts within a partition (`result` is compared).
    columns = [
        "key",
        "app",
        "score",
        "score_confirmed",
        "critical",
        "high",
        "medium",
        "low",
        "waived",
        "error",
    ]
    spark_keyless, seen, errors = Counter(), set(), 0
    for row in rows:
        if "result" not in row:
            problems.append(f"no result for input key {row.get('key')!r}")
            continue
        errors += "error" in row
        key = row.get("key")
        if key is None:
            spark_keyless[normalised(row["result"])] += 1
            continue
        seen.add(key)
        if not row.get("in_input"):
            problems.append(f"result for key {key!r} joined no input")
        if key not in by_key:
            problems.append(f"key {key!r}: not in the single run")
        elif normalised(row["result"]) != normalised(by_key[key]):
            problems.append(f"key {key!r}: {row['result']} != {by_key[key]}")
        else:
            expected = dict(zip(columns, summarise(0, by_key[key])))
            wrong = [c for c in columns[:-1] if row.get(c) != expected[c]]
            if wrong or ("error" in row) != (expected["error"] is not None):
                problems.append(f"key {key!r}: columns {row} != {expected}")
    if spark_keyless != keyless:
        problems.append(f"lines without a key differ: {spark_keyless} != {keyless}")
    unjoined = [k for k in (input_key(line, args.key) for line in lines) if k is not None and k not in seen]
    if unjoined:
        problems.append(f"{len(unjoined)} input keys not joined, e.g. {unjoined[:3]}")

    single_errors = sum("error" in json.loads(line) for line in single)
    print(
        f"keys joined: {len(seen)} of {len(by_key)}; lines without a key: {sum(keyless.values())}; "
        f"error rows: {errors} (single run: {single_errors})"
    )
    if errors != single_errors or args.expect_errors not in (None, errors):
        problems.append(f"{errors} error rows, single run {single_errors}, expected {args.expect_errors}")
    for problem in problems[:20]:
        print("FAIL:", problem[:300])
    print("FAIL" if problems else "OK: the Spark output equals one privaudit run, row for row")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
