//! `check --states-jsonl - --format jsonl` as a streaming filter inside an engine (Spark's
//! `RDD.pipe`, Hadoop Streaming, GNU parallel): one line out per line in, in order; the
//! record key passed through; bad lines reported in-band; empty partitions accepted;
//! output written as soon as input goes quiet.

mod common;

use common::Env;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Run the filter on `input` with extra `args`.
fn filter(env: &Env, input: &str, args: &[&str]) -> Output {
    let args: Vec<&str> = ["--format", "jsonl"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    from_stdin(env, input, &args)
}

/// Run `check --states-jsonl -` with `args` on `input`.
fn from_stdin(env: &Env, input: &str, args: &[&str]) -> Output {
    let mut child = env
        .std_cmd()
        .args(["check", "--states-jsonl", "-"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_owned();
    // Written from another thread: the child's output must be read while it is fed.
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A deterministic mix of records with keys, a few of them bad.
fn records(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i % 97 {
            13 => String::new(),
            29 => "not json".to_owned(),
            41 => format!("{{\"id\":\"u{i}\",\"app\":\"douyin\",\"settings\":{{\"x\":\"y\"}}}}"),
            _ => {
                let (app, setting, options): (&str, &str, &[&str]) = if i % 3 == 0 {
                    (
                        "douyin",
                        "follow-list-visibility",
                        &["public", "mutual", "only-me"],
                    )
                } else {
                    ("wechat-read", "private-reading", &["public", "private"])
                };
                let option = options[i * 7 % options.len()];
                // Keys as engines export them: strings, and numbers too large for a double.
                let key = if i % 2 == 0 {
                    format!("\"u{i}\"")
                } else {
                    format!("{}", 12_345_678_901_234_567_000_u128 + i as u128)
                };
                format!(
                    "{{\"app\":\"{app}\",\"id\":{key},\"settings\":{{\"{setting}\":\"{option}\"}}}}"
                )
            }
        })
        .collect()
}

#[test]
fn one_line_out_per_line_in_with_keys_passed_through() {
    let env = Env::new();
    let input = "{\"app\":\"douyin\",\"id\":\"a\"}\n\
                 \n\
                 {\"id\":98765432109876543210987,\"app\":\"wechat-read\"}\n\
                 not json\n\
                 {\"app\":\"douyin\",\"id\":\"b\",\"settings\":{\"nope\":\"x\"}}\n\
                 {\"app\":\"douyin\",\"id\":[1]}\n";
    let out = filter(&env, input, &[]);
    assert_eq!(out.status.code(), Some(2), "bad lines fail by default");
    let lines = lines(&out);
    assert_eq!(lines.len(), 6, "one line out per line in");
    let states: Vec<&str> = lines.iter().map(|l| l["state"].as_str().unwrap()).collect();
    assert_eq!(
        states,
        [
            "stdin:1", "stdin:2", "stdin:3", "stdin:4", "stdin:5", "stdin:6"
        ]
    );
    assert_eq!(lines[0]["key"], "a");
    assert!(lines[1]["error"].as_str().unwrap().contains("blank line"));
    // The number is passed through as written, not rounded through a double.
    let raw = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        raw.lines()
            .nth(2)
            .unwrap()
            .contains("\"key\":98765432109876543210987"),
        "{raw}"
    );
    assert!(lines[3]["error"].is_string() && lines[3].get("key").is_none());
    // A record refused for another reason still carries its key, to be joined back.
    assert!(lines[4]["error"].as_str().unwrap().contains("nope"));
    assert_eq!(lines[4]["key"], "b");
    assert!(
        lines[5]["error"]
            .as_str()
            .unwrap()
            .contains("must be a string or a number")
    );
    // Reported in-band only: stderr stays quiet for JSON Lines.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_lines_can_be_reported_without_failing_the_task() {
    let env = Env::new();
    let input = "{\"app\":\"wechat-read\",\"settings\":{\"private-reading\":\"private\",\"wechat-friend-import\":\"off\",\"reading-info-to-friends\":\"off\",\"reading-time-leaderboard\":\"off\",\"follow-notifications\":\"off\",\"shelf-visibility\":\"only-me\"}}\nnot json\n";
    let report = filter(&env, input, &["--bad-input", "report"]);
    let failing = filter(&env, input, &["--bad-input", "fail"]);
    assert_eq!(failing.status.code(), Some(2));
    // With `report`, the exit code is the verdict on the states checked (0 or 1).
    let code = report.status.code().unwrap();
    assert!(code == 0 || code == 1, "exit {code}");
    assert_eq!(lines(&report).len(), 2);
    assert_eq!(report.stdout, failing.stdout, "the same lines either way");
    // A run with only bad lines and `report` passes: nothing checked failed.
    let only_bad = filter(&env, "\nnot json\n", &["--bad-input", "report"]);
    assert_eq!(only_bad.status.code(), Some(0));
    assert_eq!(lines(&only_bad).len(), 2);
}

#[test]
fn an_empty_partition_is_normal_for_the_filter() {
    let env = Env::new();
    let out = filter(&env, "", &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    // Not a filter (another format): an empty batch is still an error.
    let out = env
        .std_cmd()
        .args(["check", "--states-jsonl", "-", "--format", "json"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_key_field_can_be_named_and_state_fields_cannot_be_it() {
    let env = Env::new();
    let out = filter(&env, "{\"app\":\"douyin\",\"row\":7}\n", &["--key", "row"]);
    assert_eq!(lines(&out)[0]["key"], 7);
    // `id` is then an unknown field like any other.
    let out = filter(&env, "{\"app\":\"douyin\",\"id\":7}\n", &["--key", "row"]);
    assert!(
        lines(&out)[0]["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `id`")
    );
    let out = filter(&env, "", &["--key", "app"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--key"));
    // Compact lines carry the key too.
    let out = filter(
        &env,
        "{\"app\":\"douyin\",\"id\":\"c\"}\n",
        &["--detail", "compact"],
    );
    assert_eq!(lines(&out)[0]["key"], "c");
}

/// The engine's view: the input split into partitions (one of them empty), each piped
/// through its own privaudit, the results joined back by key, equal one run over the
/// whole input, but for the state names (line numbers restart per partition).
#[test]
fn partitions_joined_by_key_equal_one_run() {
    let env = Env::new();
    let records = records(2000);
    let whole = records.join("\n") + "\n";
    let one_run = filter(&env, &whole, &["--bad-input", "report"]);
    let one_run_lines = lines(&one_run);
    assert_eq!(one_run_lines.len(), records.len());
    let cuts = [0, 0, 313, 1000, 1777, records.len()];
    let mut joined: BTreeMap<String, Value> = BTreeMap::new();
    let mut unkeyed = 0;
    let mut verdicts = Vec::new();
    for part in cuts.windows(2) {
        let text: String = records[part[0]..part[1]]
            .iter()
            .map(|r| format!("{r}\n"))
            .collect();
        let out = filter(&env, &text, &["--bad-input", "report"]);
        verdicts.push(out.status.code().unwrap());
        let part_lines = lines(&out);
        assert_eq!(part_lines.len(), part[1] - part[0], "one line per line");
        for mut line in part_lines {
            line.as_object_mut().unwrap().remove("state");
            match line.get("key").map(Value::to_string) {
                Some(key) => assert!(joined.insert(key, line).is_none(), "keys are unique"),
                None => unkeyed += 1,
            }
        }
    }
    let mut expected_unkeyed = 0;
    for mut line in one_run_lines {
        line.as_object_mut().unwrap().remove("state");
        match line.get("key").map(Value::to_string) {
            Some(key) => {
                let part = joined.get(&key).unwrap_or_else(|| panic!("{key} missing"));
                if line.get("error").is_some() {
                    // Errors name their line, which restarts per partition.
                    assert!(part["error"].is_string(), "{key}");
                } else {
                    assert_eq!(part, &line, "{key}");
                }
            }
            None => expected_unkeyed += 1,
        }
    }
    assert_eq!(
        unkeyed, expected_unkeyed,
        "lines without a key (blank, not JSON)"
    );
    assert!(joined.len() > 1900, "{} keyed lines", joined.len());
    // The whole run fails (the mix has exposed defaults) exactly when some partition does.
    let any_failed = verdicts.contains(&1);
    assert_eq!(one_run.status.code() == Some(1), any_failed);
}

/// A filter fed by hand: its stdin, and its output lines as they come.
struct Live {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    receive: mpsc::Receiver<String>,
    reader: std::thread::JoinHandle<()>,
}

fn live(env: &Env) -> Live {
    let mut child = env
        .std_cmd()
        .args([
            "check",
            "--states-jsonl",
            "-",
            "--format",
            "jsonl",
            "--detail",
            "compact",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if send.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    Live {
        child,
        stdin,
        receive,
        reader,
    }
}

#[test]
fn output_is_written_when_input_goes_quiet() {
    let env = Env::new();
    let Live {
        mut child,
        mut stdin,
        receive,
        reader,
    } = live(&env);
    // A generous bound: the point is that the line comes while stdin is still open, not
    // after it closes or after 512 more states.
    let wait = Duration::from_secs(20);
    for key in ["first", "second"] {
        writeln!(stdin, "{{\"app\":\"douyin\",\"id\":\"{key}\"}}").unwrap();
        stdin.flush().unwrap();
        let line = receive
            .recv_timeout(wait)
            .unwrap_or_else(|_| panic!("no output for `{key}` while input is open"));
        let line: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(line["key"], key);
    }
    drop(stdin);
    assert!(child.wait().unwrap().code().is_some());
    reader.join().unwrap();
}

#[test]
fn a_stream_that_stops_before_its_end_fails_whatever_the_bad_input_policy() {
    let env = Env::new();
    // A line that does not end within 64 MiB ends the stream.
    let mut input = String::from("{\"app\":\"douyin\",\"id\":1}\n");
    input.push_str(&"x".repeat(70 << 20));
    input.push_str("\n{\"app\":\"douyin\",\"id\":2}\n");
    let out = filter(
        &env,
        &input,
        &["--bad-input", "report", "--fail-on", "never"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped before its end"));
}

#[test]
fn a_line_comes_out_while_the_next_is_half_written() {
    let env = Env::new();
    let Live {
        mut child,
        mut stdin,
        receive,
        reader,
    } = live(&env);
    write!(
        stdin,
        "{{\"app\":\"douyin\",\"id\":\"one\"}}\n{{\"app\":\"dou"
    )
    .unwrap();
    stdin.flush().unwrap();
    let line = receive
        .recv_timeout(Duration::from_secs(20))
        .expect("the whole line is answered before the next one ends");
    assert!(line.contains("\"key\":\"one\""), "{line}");
    writeln!(stdin, "yin\",\"id\":\"two\"}}").unwrap();
    drop(stdin);
    let line = receive.recv_timeout(Duration::from_secs(20)).unwrap();
    assert!(line.contains("\"key\":\"two\""), "{line}");
    child.wait().unwrap();
    reader.join().unwrap();
}

#[test]
fn a_key_that_strict_parsers_refuse_is_refused() {
    let env = Env::new();
    let out = filter(&env, "{\"app\":\"douyin\",\"id\":\"\\ud800\"}\n", &[]);
    let lines = lines(&out);
    assert!(
        lines[0]["error"].as_str().unwrap().contains("record key"),
        "{lines:?}"
    );
}

#[test]
fn gitlab_fingerprints_follow_the_record_key_not_the_line() {
    let env = Env::new();
    let fingerprints = |input: &str| -> Vec<String> {
        let out = from_stdin(&env, input, &["--format", "gitlab", "--fail-on", "never"]);
        let issues: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut prints: Vec<String> = issues
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["description"].as_str().unwrap().contains("stdin:"))
            .map(|i| i["fingerprint"].as_str().unwrap().to_owned())
            .collect();
        prints.sort();
        prints
    };
    let record = "{\"app\":\"douyin\",\"id\":\"a\"}\n";
    let before = fingerprints(record);
    // Another record first: `a` is now stdin:2, its issues the same issues.
    let after = fingerprints(&format!(
        "{{\"app\":\"wechat-read\",\"id\":\"b\"}}\n{record}"
    ));
    assert!(!before.is_empty());
    assert!(
        before.iter().all(|f| after.contains(f)),
        "{before:?} vs {after:?}"
    );
}
