#!/usr/bin/env python3
"""Audit a JSON Lines file of account states with privaudit inside Spark, joined back by key.

    python3 privaudit_pipe.py states.jsonl --out results --partitions 8

Each partition of the input is piped through one privaudit process in filter mode
(`check --states-jsonl - --format jsonl --detail compact`), which answers every input line with
exactly one JSON line carrying the line's key. The results are joined back to the input on that
key and written as JSON Lines (Spark part files) to --out, one row per input line:

    key, app, score, score_confirmed, critical, high, medium, low, waived, error,
    partition, state, result, in_input

`critical` ... `low` count unwaived findings, `waived` the waived ones (all null on an error row);
`result` is privaudit's line verbatim; `partition` and `state` (`stdin:N`, the line within that
partition) locate a bad line that has no readable key; `in_input` is false for such a line.
Spark leaves null columns out of its JSON. The run ends by printing counts read back from --out.
"""

import argparse
import json
import shlex
import shutil
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

SEVERITIES = ("critical", "high", "medium", "low")
REPO_BINARY = Path(__file__).resolve().parents[2] / "target" / "release" / "privaudit"


def key_text(value):
    """A key as text for joining: strings as they are, numbers exactly as written (privaudit
    passes them through unrounded, and they are parsed here as int or Decimal), else None."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return None


def input_key(line: str, field: str):
    """The key of an input line, or None when the line is not a JSON object holding one."""
    try:
        state = json.loads(line.removeprefix("\ufeff"), parse_float=Decimal)
    except ValueError:
        return None
    return key_text(state.get(field)) if isinstance(state, dict) else None


def summarise(partition: int, line: str) -> tuple:
    """One privaudit output line -> one row (see the module doc for the columns)."""
    result = json.loads(line, parse_float=Decimal)
    error = result.get("error")
    findings = result.get("findings", [])
    counts = Counter(f["severity"] for f in findings if not f["waived"])
    tally = [None] * 5 if error else [counts[s] for s in SEVERITIES] + [sum(f["waived"] for f in findings)]
    return (
        key_text(result.get("key")),
        result.get("app"),
        result.get("score"),
        result.get("score_confirmed"),
        *tally,
        error,
        partition,
        result["state"],
        line,
    )


def privaudit_command(binary: str, key: str) -> list[str]:
    return [
        binary, "check", "--states-jsonl", "-", "--format", "jsonl", "--detail", "compact",
        "--key", key,
        # Inside an engine a non-zero exit fails the task. Bad lines are answered in-band
        # (error lines), and findings are in the lines, so neither should fail it: exit 0.
        # Exit 2 then only means privaudit itself could not do its job (say, output it
        # could not write), and the job should fail.
        "--bad-input", "report", "--fail-on", "never",
    ]  # fmt: skip


def find_binary(given: str | None) -> str:
    """--privaudit, else this repository's release build, else `privaudit` on PATH. Made
    absolute: PySpark runs the command with an empty environment, so no PATH lookup."""
    candidate = given or (str(REPO_BINARY) if REPO_BINARY.exists() else shutil.which("privaudit"))
    if not candidate or not Path(candidate).is_file():
        sys.exit(
            f"privaudit_pipe.py: no privaudit binary ({candidate or 'none found'}); build it "
            "with `cargo build --release` or pass --privaudit PATH"
        )
    return str(Path(candidate).resolve())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("states", help="JSON Lines file of account states (any path Spark reads)")
    parser.add_argument("--out", default="privaudit-results", help="output folder (replaced)")
    parser.add_argument("--privaudit", help="privaudit binary (default: target/release, then PATH)")
    parser.add_argument("--key", default="id", help="the field holding each state's key (default id)")
    parser.add_argument("--partitions", type=int, default=8, help="input partitions (default 8)")
    parser.add_argument("--master", default="local[2]", help="Spark master (default local[2])")
    args = parser.parse_args()
    binary = find_binary(args.privaudit)
    command = shlex.join(privaudit_command(binary, args.key))  # PySpark shlex-splits it again

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    started = time.monotonic()
    spark = (
        SparkSession.builder.master(args.master)
        .appName("privaudit-pipe")
        .config("spark.driver.memory", "1g")  # local mode: the executors live in this JVM
        .config("spark.sql.shuffle.partitions", str(args.partitions))  # the join's, not 200
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("WARN")
    lines = spark.sparkContext.textFile(args.states, minPartitions=args.partitions)

    # One privaudit per partition. checkCode=True: PySpark ignores the exit code otherwise.
    results = lines.pipe(command, checkCode=True).mapPartitionsWithIndex(
        lambda partition, out: (summarise(partition, line) for line in out)
    )
    count = T.IntegerType()
    schema = T.StructType(
        [T.StructField("key", T.StringType()), T.StructField("app", T.StringType())]
        + [T.StructField(c, count) for c in ("score", "score_confirmed", *SEVERITIES, "waived")]
        + [T.StructField("error", T.StringType()), T.StructField("partition", count)]
        + [T.StructField("state", T.StringType()), T.StructField("result", T.StringType())]
    )
    results = spark.createDataFrame(results, schema)
    inputs = spark.createDataFrame(
        lines.map(lambda line: (input_key(line, args.key),)), "input_key string"
    ).where(F.col("input_key").isNotNull())

    # The join: input keys against result keys, one full outer join (the results are computed
    # once). A line whose key cannot be read (cut-off JSON, a blank line) joins nothing: it is
    # kept as privaudit answered it, located by partition and state. Full, so that nothing is
    # lost even if this script and privaudit disagreed on a key (`in_input` says which side).
    unreadable = F.concat(F.lit("\0"), F.col("partition"), F.lit(":"), F.col("state"))
    joined = (
        inputs.join(
            results.withColumn("join_key", F.coalesce("key", unreadable)),
            F.col("input_key") == F.col("join_key"),
            "full_outer",
        )
        .withColumn("key", F.coalesce("key", "input_key"))
        .withColumn("in_input", F.col("input_key").isNotNull())
        .select(*schema.names, "in_input")
    )
    joined.write.mode("overwrite").json(args.out)
    elapsed = time.monotonic() - started

    # Read back what was written and say what it holds.
    schema = T.StructType(schema.fields + [T.StructField("in_input", T.BooleanType())])
    written = spark.read.schema(schema).json(args.out)
    totals = written.agg(
        F.count(F.lit(1)).alias("rows"),
        F.count("error").alias("errors"),
        F.sum((F.col("in_input") & F.col("result").isNotNull()).cast("int")).alias("joined"),
        F.sum(F.col("result").isNull().cast("int")).alias("inputs_without_result"),
        F.sum((F.col("key").isNotNull() & ~F.col("in_input")).cast("int")).alias("results_without_input"),
    ).first()
    print(
        f"input lines {lines.count()}, partitions {lines.getNumPartitions()}, "
        f"wall time {elapsed:.1f} s (session start to written)"
    )
    print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in totals.asDict().items()))
    written.where(F.col("error").isNull()).groupBy("app").agg(
        F.count(F.lit(1)).alias("states"),
        F.round(F.avg("score"), 1).alias("mean_score"),
        F.sum(((F.col("critical") + F.col("high")) > 0).cast("int")).alias("with_high_or_critical"),
    ).orderBy("app").show()
    spark.stop()


if __name__ == "__main__":
    main()
