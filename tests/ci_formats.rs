//! The CI formats through the real binary: GitHub workflow commands parsed back, the
//! GitLab Code Quality report checked field by field, JUnit's times, and `diff` as a
//! Markdown table with the options' labels.

mod common;

use common::{Env, run};
use regex::Regex;

fn junit_doc(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

#[test]
fn junit_suites_carry_the_run_timestamp_and_their_time() {
    let env = Env::new();
    let states = env.file(
        "states.jsonl",
        "{\"app\":\"douyin\",\"settings\":{\"private-account\":\"on\"}}\n{\"app\":\"nope\"}\n{\"app\":\"wechat-read\"}\n",
    );
    let before = std::time::SystemTime::now();
    let r = run(env.cmd().args([
        "check",
        "--states-jsonl",
        states.to_str().unwrap(),
        "--format",
        "junit",
    ]));
    assert_eq!(r.code, 2, "one state is bad: {}", r.stderr);
    let doc = junit_doc(&r.stdout);
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 3);
    let iso = Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").unwrap();
    let stamps: Vec<&str> = suites
        .iter()
        .map(|s| {
            s.attribute("timestamp")
                .expect("every suite has a timestamp")
        })
        .collect();
    for stamp in &stamps {
        assert!(iso.is_match(stamp), "{stamp}");
    }
    // One run, one start: the same timestamp on every suite, and it is today's date.
    assert!(stamps.iter().all(|s| s == &stamps[0]), "{stamps:?}");
    // The run's start, in UTC: between the moments before and after the run (the
    // format sorts as time does).
    let stamp = |t: std::time::SystemTime| {
        let unix = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        privaudit::report::junit::Timestamp { unix }.to_string()
    };
    let (earliest, latest) = (stamp(before), stamp(std::time::SystemTime::now()));
    assert!(
        earliest.as_str() <= stamps[0] && stamps[0] <= latest.as_str(),
        "{} not within {earliest}..{latest}",
        stamps[0]
    );
    // Checked states have a time in seconds; the bad one does not (it was not timed).
    for suite in [suites[0], suites[2]] {
        let time: f64 = suite
            .attribute("time")
            .expect("a checked suite has a time")
            .parse()
            .expect("seconds as a number");
        assert!((0.0..60.0).contains(&time), "{time}");
    }
    assert!(
        suites[1]
            .attribute("name")
            .unwrap()
            .ends_with("states.jsonl:2 (input error)")
    );
    assert_eq!(suites[1].attribute("time"), None);

    // The defaults too, one suite per app.
    let r = run(env
        .cmd()
        .args(["check", "wechat-read", "douyin", "--format", "junit"]));
    let doc = junit_doc(&r.stdout);
    let timed = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .filter(|s| s.attribute("timestamp").is_some_and(|t| iso.is_match(t)))
        .filter(|s| {
            s.attribute("time")
                .is_some_and(|t| t.parse::<f64>().is_ok())
        })
        .count();
    assert_eq!(timed, 2, "{}", r.stdout);
}
