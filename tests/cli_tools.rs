//! The command line's tools around the audit: messages about bad input worded for people.

mod common;

use common::{Env, run};
use privaudit::diag::Diagnostic;
use privaudit::source::{SourceText, read_text_file};
use serde_json::Value;
use std::path::Path;

/// The message without what it quotes from the input (`…` and "…"), which may say anything.
fn own_words(message: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '`' || c == '"' => quote = Some(c),
            None => out.push(c),
        }
    }
    out
}

/// serde's words for Rust programmers, none of which a message may use.
const INTERNAL: &[&str] = &[
    "Raw",
    "struct",
    "enum ",
    "variant",
    "sequence",
    "a map",
    "type: map",
    "unit value",
    "TOML datetime",
    "wanted string or table",
];

/// `shown` is `file:line:col: message` and the message is in the reader's words.
fn assert_plain(shown: &str, file: &str) {
    let rest = shown
        .strip_prefix(file)
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or_else(|| panic!("{shown:?} does not start with {file:?}:"));
    let mut parts = rest.splitn(3, ':');
    let line = parts.next().unwrap_or_default();
    let column = parts.next().unwrap_or_default();
    assert!(
        line.parse::<usize>().is_ok() && column.parse::<usize>().is_ok(),
        "{shown:?} names no line and column"
    );
    let words = own_words(parts.next().unwrap_or_default());
    for internal in INTERNAL {
        assert!(!words.contains(internal), "{shown:?} says {internal:?}");
    }
}

const APP: &str = "[app]\nid = \"x\"\nname = { en = \"X\", zh = \"某\" }\nvendor = { en = \"V\", zh = \"某\" }\nversion = \"1\"\n";

const SETTING: &str = "[[settings]]\nid = \"s\"\nlabel = { en = \"S\", zh = \"某\" }\nevidence = { label = \"verified\" }\n";

/// Profiles with a value of the wrong kind at every level, each with what the message must
/// say and where.
fn bad_profiles() -> Vec<(&'static str, String, &'static str)> {
    let option = "options = [{ id = \"o\", label = { en = \"O\", zh = \"某\" } }]\n";
    vec![
        (
            "1:7",
            "app = 3\n".to_owned(),
            "expected a table such as [app]",
        ),
        ("1:7", "app = [1]\n".to_owned(), "invalid type: array"),
        (
            "1:1",
            "[[app]]\nid = 1\n".to_owned(),
            "expected a table such as [app]",
        ),
        (
            "3:8",
            "[app]\nid = \"x\"\nname = 3\n".to_owned(),
            "expected a text in both languages",
        ),
        (
            "2:6",
            "[app]\nid = 2020-01-01\n".to_owned(),
            "invalid type: datetime, expected a string",
        ),
        (
            "6:12",
            format!("{APP}reviewed = \"yesterday\"\n"),
            "expected a date such as",
        ),
        (
            "1:12",
            format!("settings = {{}}\n{APP}"),
            "invalid type: table, expected an array",
        ),
        (
            "1:13",
            format!("settings = [3]\n{APP}"),
            "expected a table such as [[settings]]",
        ),
        (
            "10:11",
            format!("{APP}{SETTING}options = 3\n"),
            "expected an array",
        ),
        (
            "10:12",
            format!("{APP}{SETTING}options = [[1]]\n"),
            "expected a table such as [[settings.options]]",
        ),
        (
            "10:8",
            format!("{APP}{SETTING}path = \"Me > Settings\"\n{option}"),
            "expected a menu path",
        ),
        (
            "10:65",
            format!(
                "{APP}{SETTING}options = [{{ id = \"o\", label = {{ en = \"O\", zh = \"某\" }}, flows = [\"x\"] }}]\n"
            ),
            "expected a flow such as",
        ),
        (
            "9:12",
            format!(
                "{APP}[[settings]]\nid = \"s\"\nlabel = {{ en = \"S\", zh = \"某\" }}\nevidence = \"verified\"\n{option}"
            ),
            "expected a table such as { label",
        ),
    ]
}

#[test]
fn profile_messages_name_no_internal_types() {
    let env = Env::new();
    for (i, (at, text, says)) in bad_profiles().into_iter().enumerate() {
        let path = env.file(&format!("bad-{i}.toml"), &text);
        let file = path.display().to_string();
        let r = run(env.cmd().arg("validate").arg(&path));
        assert_eq!(r.code, 1, "{text}\n{}{}", r.stdout, r.stderr);
        // Every problem is listed (a missing key beside a wrong type, say): each in plain
        // words, and the one this profile is about at its place.
        for shown in r.stdout.lines() {
            assert_plain(shown, &file);
        }
        assert!(
            r.stdout
                .lines()
                .any(|shown| shown.starts_with(&format!("{file}:{at}: ")) && shown.contains(says)),
            "{text}\nwanted {at}: ...{says}..., got {:?}",
            r.stdout
        );
    }
}

#[test]
fn state_messages_name_no_internal_types() {
    let env = Env::new();
    let toml_states = [
        ("1:7", "app = 3\n", "expected a string (the app id)"),
        ("1:1", "[settings]\nx = \"y\"\n", "missing field `app`"),
        (
            "2:12",
            "app = \"wechat-read\"\nsettings = 3\n",
            "expected a table such as [settings]",
        ),
        (
            "3:23",
            "app = \"wechat-read\"\n[waivers]\nauto-follow-friends = 1\n",
            "expected a waiver such as",
        ),
    ];
    for (i, (at, text, says)) in toml_states.into_iter().enumerate() {
        let path = env.file(&format!("state-{i}.toml"), text);
        let file = path.display().to_string();
        let r = run(env
            .cmd()
            .args(["check", "wechat-read", "--state"])
            .arg(&path));
        assert_eq!(r.code, 2, "{text}\n{}", r.stderr);
        let shown = r.stderr.trim_end().trim_start_matches("privaudit: error: ");
        assert_plain(shown, &file);
        assert!(
            shown.starts_with(&format!("{file}:{at}: ")) && shown.contains(says),
            "{text}\nwanted {at}: ...{says}..., got {shown:?}"
        );
    }
    let json_states = [
        (
            r#"{"app":"wechat-read","settings":3}"#,
            "expected an object",
        ),
        (
            r#"{"app":"wechat-read","settings":[1]}"#,
            "invalid type: array",
        ),
        (
            r#"{"app":"wechat-read","settings":null}"#,
            "invalid type: null",
        ),
        (
            r#"{"app":"wechat-read","settings":{"a":{}}}"#,
            "invalid type: object",
        ),
        (
            r#"{"app":"wechat-read","waivers":{"a":3}}"#,
            "expected a waiver such as",
        ),
        (
            r#"{"app":"wechat-read","waivers":{"a":[1]}}"#,
            "invalid type: array",
        ),
    ];
    let lines: String = json_states.iter().map(|(l, _)| format!("{l}\n")).collect();
    let path = env.file("states.jsonl", &lines);
    let file = path.display().to_string();
    let r = run(env
        .cmd()
        .args(["check", "--format", "jsonl", "--states-jsonl"])
        .arg(&path));
    assert_eq!(r.code, 2);
    let errors: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            let line: serde_json::Value = serde_json::from_str(l).unwrap();
            line["error"].as_str().expect("an error line").to_owned()
        })
        .collect();
    assert_eq!(errors.len(), json_states.len(), "{}", r.stdout);
    for (n, (error, (_, says))) in errors.iter().zip(json_states).enumerate() {
        assert_plain(error, &file);
        assert!(
            error.starts_with(&format!("{file}:{}:", n + 1)) && error.contains(says),
            "wanted line {} ...{says}..., got {error:?}",
            n + 1
        );
    }
}

#[test]
fn config_messages_name_no_internal_types() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "lang = 3",
            "1:8: invalid type: integer `3`, expected `en` or `zh`",
        ),
        (
            "lang = \"fr\"",
            "1:8: unknown value `fr`, expected `en` or `zh`",
        ),
        (
            "theme = { a = 1 }",
            "1:9: invalid type: table, expected `default` or `high-contrast`",
        ),
        (
            "theme = [1]",
            "1:9: invalid type: array, expected `default` or `high-contrast`",
        ),
        (
            "mouse = \"no\"",
            "1:9: invalid type: string \"no\", expected a boolean",
        ),
    ];
    for (i, (text, wanted)) in cases.into_iter().enumerate() {
        let path = dir.path().join(format!("config-{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let source = read_text_file(&path).unwrap();
        let problem = privaudit::config::parse(&source).expect_err(text);
        let shown = problem.to_string();
        assert_plain(&shown, &source.name);
        assert_eq!(shown, format!("{}:{wanted}", source.name), "{text}");
    }
}

/// Every input the fuzzers kept, through every parser it was meant for: whatever is
/// refused is refused in the reader's words.
#[test]
fn fuzz_inputs_are_refused_in_plain_words() {
    let catalog = privaudit::catalog::builtin();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs");
    let mut refused = 0;
    let mut check = |problem: &Diagnostic| {
        refused += 1;
        let shown = problem.to_string();
        let words = own_words(&shown);
        for internal in INTERNAL {
            assert!(!words.contains(internal), "{shown:?} says {internal:?}");
        }
    };
    for target in ["profile", "state_toml", "state_jsonl", "config"] {
        for entry in std::fs::read_dir(root.join(target)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let source = SourceText::from_string("input", text);
            match target {
                "profile" => {
                    if let Err(problems) =
                        privaudit::profile::parse_profile(&source, catalog, "input", false)
                    {
                        problems.iter().for_each(&mut check);
                    }
                }
                "state_toml" => {
                    if let Err(problem) = privaudit::state::parse_state_toml(&source) {
                        check(&problem);
                    }
                }
                "state_jsonl" => {
                    for (n, line) in source.text.lines().enumerate() {
                        if let Err(problem) =
                            privaudit::state::parse_state_json("in", n + 1, line, "id")
                        {
                            check(&problem);
                        }
                    }
                }
                _ => {
                    if let Err(problem) = privaudit::config::parse(&source) {
                        check(&problem);
                    }
                }
            }
        }
    }
    // The corpus is mostly broken input: the test must have seen messages to judge.
    assert!(refused > 50, "only {refused} inputs refused");
}

/// `schema_version` opens the `--format json` document, every report in it and every JSON
/// Lines line: full, compact and error lines, from the fast paths (a directory, JSON Lines)
/// and the plain one (the defaults).
#[test]
fn every_json_output_opens_with_its_schema_version() {
    let env = Env::new();
    let doc = run(env
        .cmd()
        .args(["check", "wechat-read", "douyin", "--format", "json"]));
    assert!(
        doc.stdout
            .starts_with("{\n  \"schema_version\": 1,\n  \"reports\": ["),
        "{}",
        &doc.stdout[..80]
    );
    let value: serde_json::Value = serde_json::from_str(&doc.stdout).unwrap();
    for report in value["reports"].as_array().unwrap() {
        assert_eq!(report["schema_version"], 1);
    }
    env.file("states/a.toml", "app = \"wechat-read\"\n");
    env.file("states/b.toml", "app = \"nope\"\n");
    let jsonl = env.file(
        "states.jsonl",
        "{\"app\":\"douyin\"}\n{\"app\":\"douyin\"}\nnot json\n",
    );
    let dir = env.path("states");
    let mut seen = 0;
    for detail in ["full", "compact"] {
        for input in [
            vec!["wechat-read".to_owned()],
            vec!["--state-dir".to_owned(), dir.display().to_string()],
            vec!["--states-jsonl".to_owned(), jsonl.display().to_string()],
        ] {
            let r = run(env
                .cmd()
                .arg("check")
                .args(&input)
                .args(["--format", "jsonl", "--detail", detail]));
            for line in r.stdout.lines() {
                assert!(
                    line.starts_with("{\"schema_version\":1,"),
                    "{input:?} {detail}: {line}"
                );
                seen += 1;
            }
        }
    }
    // Per detail: the defaults, two files (one bad), three records (one bad).
    assert_eq!(seen, 2 * (1 + 2 + 3));
    let diff = run(env.cmd().args([
        "diff",
        "tests/fixtures/douyin-older-defaults.toml",
        "douyin",
        "--format",
        "json",
    ]));
    assert!(
        diff.stdout.starts_with("{\n  \"schema_version\": 1,"),
        "{}",
        diff.stdout
    );
}

/// `privaudit schema KIND`, parsed.
fn schema(env: &Env, kind: &str) -> Value {
    let r = run(env.cmd().args(["schema", kind]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The schema with every object closed (`additionalProperties: false`). The published
/// schema is open, so readers keep working when a field is added; closed, it shows that
/// it names every field privaudit writes.
fn closed(mut schema: Value) -> Value {
    fn close(value: &mut Value) {
        match value {
            Value::Object(object) => {
                if object.contains_key("properties") {
                    object
                        .entry("additionalProperties")
                        .or_insert(Value::Bool(false));
                }
                object.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    close(&mut schema);
    schema
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[track_caller]
fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let found = errors(validator, instance);
    assert!(found.is_empty(), "{what}: {found:#?}\n{instance}");
}

#[test]
fn the_schemas_are_draft_2020_12_and_valid_against_its_meta_schema() {
    let env = Env::new();
    for kind in ["report", "line", "document"] {
        let schema = schema(&env, kind);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{kind}"
        );
        assert_eq!(
            jsonschema::meta::validate(&schema).map_err(|e| e.to_string()),
            Ok(()),
            "{kind}"
        );
        // No Rust names: the definitions are named for readers.
        let text = schema.to_string();
        for internal in ["Json", "uint", "super::", "[`"] {
            assert!(!text.contains(internal), "{kind} schema says {internal:?}");
        }
    }
    let bad = run(env.cmd().args(["schema", "nonsense"]));
    assert_eq!(bad.code, 2);
}

/// Real output of every kind, held to the schemas: every built-in app in both languages,
/// states with active and expired waivers, full and compact lines, error lines, and a
/// document that lists 1,000 errors and counts the rest.
#[test]
fn real_output_validates_against_the_schemas() {
    let env = Env::new();
    let report = validator(&closed(schema(&env, "report")));
    let line = validator(&closed(schema(&env, "line")));
    let document = validator(&closed(schema(&env, "document")));
    let list = run(env.cmd().args(["list", "--format", "json"]));
    let apps: Vec<String> = serde_json::from_str::<Value>(&list.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|app| app["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(apps.len() >= 4 && apps.contains(&"wechat-read".to_owned()));
    let jsonl = env.file(
        "states.jsonl",
        "{\"app\":\"wechat-read\",\"id\":\"u1\",\"waivers\":{\"private-reading\":{\"reason\":\"mine\",\"expires\":\"2000-01-01\"},\"reading-time-leaderboard\":{\"reason\":\"fun\"}}}\n\
         {\"app\":\"douyin\",\"id\":42,\"settings\":{\"private-account\":\"on\"}}\n\
         not json\n\
         {\"app\":\"nope\",\"id\":\"u4\"}\n",
    );
    let waived = common::fixture("waived-wechat-read.toml");
    let expired = common::fixture("expired-waiver-wechat-read.toml");
    let inputs: Vec<Vec<String>> = vec![
        apps.clone(),
        vec![
            "--state".into(),
            waived.clone(),
            "--state".into(),
            expired.clone(),
        ],
        vec!["--states-jsonl".into(), jsonl.display().to_string()],
    ];
    let (mut lines, mut kinds) = (0, std::collections::BTreeSet::new());
    let mut waivers = Vec::new();
    for lang in ["en", "zh"] {
        for input in &inputs {
            let check = |extra: &[&str]| {
                let r = run(env
                    .cmd()
                    .arg("check")
                    .args(input)
                    .args(["--fail-on", "never", "--lang", lang])
                    .args(extra));
                assert_ne!(r.stdout, "", "{input:?} {extra:?}: {}", r.stderr);
                r.stdout
            };
            let doc: Value = serde_json::from_str(&check(&["--format", "json"])).unwrap();
            assert_valid(&document, &doc, &format!("{input:?} document"));
            for r in doc["reports"].as_array().unwrap() {
                assert_valid(&report, r, "a report of the document");
            }
            for (detail, min) in [("full", "low"), ("compact", "low"), ("compact", "high")] {
                let args = [
                    "--format",
                    "jsonl",
                    "--detail",
                    detail,
                    "--min-severity",
                    min,
                ];
                for text in check(&args).lines() {
                    let value: Value = serde_json::from_str(text).unwrap();
                    assert_valid(&line, &value, &format!("{input:?} {detail} line"));
                    // Each kind of line is what it looks like, and only that.
                    let kind = if value.get("error").is_some() {
                        "error"
                    } else {
                        detail
                    };
                    let as_report = errors(&report, &value);
                    assert_eq!(
                        as_report.is_empty(),
                        kind == "full",
                        "{kind}: {as_report:?}"
                    );
                    for f in value["findings"].as_array().into_iter().flatten() {
                        if !f["waiver"].is_null() {
                            waivers.push(f["waiver"].clone());
                        }
                    }
                    kinds.insert(kind);
                    lines += 1;
                }
            }
        }
    }
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(lines > 20, "{lines}");
    // Active and expired waivers, with and without an expiry date, were among them.
    for (field, value) in [
        ("expired", Value::Bool(true)),
        ("expired", Value::Bool(false)),
        ("expires", Value::Null),
    ] {
        assert!(waivers.iter().any(|w| w[field] == value), "{field} {value}");
    }

    // Over 1,000 bad states: the document lists 1,000 and counts the rest.
    let many = env.file("bad.jsonl", "{\"app\":\"nope\"}\n".repeat(1002));
    let r = run(env
        .cmd()
        .args(["check", "--format", "json", "--states-jsonl"])
        .arg(&many));
    assert_eq!(r.code, 2);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["errors_unlisted"], 2);
    assert_valid(&document, &doc, "a document with unlisted errors");
}

/// The closed schemas refuse what privaudit must not write: an unknown field, a missing
/// or other schema_version, a score over 100, an unknown audience.
#[test]
fn the_schemas_refuse_what_privaudit_does_not_write() {
    let env = Env::new();
    let report = validator(&closed(schema(&env, "report")));
    let r = run(env.cmd().args(["check", "douyin", "--format", "jsonl"]));
    let good: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_valid(&report, &good, "the line as written");
    let mut bad = Vec::new();
    let mut changed = |change: &dyn Fn(&mut Value)| {
        let mut value = good.clone();
        change(&mut value);
        bad.push(value);
    };
    changed(&|v| v["extra"] = Value::Bool(true));
    changed(&|v| {
        v.as_object_mut().unwrap().remove("schema_version");
    });
    changed(&|v| v["schema_version"] = 2.into());
    changed(&|v| v["score"] = 101.into());
    changed(&|v| v["findings"][0]["audience"] = "everyone".into());
    changed(&|v| v["findings"][0]["severity"] = "severe".into());
    changed(&|v| v["findings"][0]["exposes"][0]["extra"] = 1.into());
    for value in &bad {
        assert!(!errors(&report, value).is_empty(), "accepted: {value}");
    }
}

/// `validate --state` reports every problem of a TOML state at its line and column, in
/// file order, worded as `check` words it.
#[test]
fn validate_state_reports_every_problem_of_a_toml_state() {
    let env = Env::new();
    let state = env.file(
        "me.toml",
        "app = \"wechat-read\"\n[waivers.also-nope]\nreason = \"x\"\n[settings]\nauto-follow-friends = \"maybe\"\nnope = \"on\"\nreading-info-to-friends = \"off\"\n[waivers.private-reading]\nreason = \" \"\n",
    );
    let file = state.display().to_string();
    let r = run(env.cmd().arg("validate").arg("--state").arg(&state));
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let expected = [
        "2:10: app `wechat-read` has no setting `also-nope`",
        "5:23: setting `auto-follow-friends` has no option `maybe` (options: on, off)",
        "6:1: app `wechat-read` has no setting `nope`",
        "8:10: waiver for `private-reading` needs a reason",
    ]
    .map(|line| format!("{file}:{line}"));
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), expected);
    // `check` stops at the first of them, with the same words.
    let check = run(env.cmd().args(["check", "--state"]).arg(&state));
    assert_eq!(check.code, 2);
    let shown = check
        .stderr
        .trim_end()
        .trim_start_matches("privaudit: error: ");
    assert!(expected.iter().any(|e| e == shown), "{shown}");

    let ok = run(env.cmd().args([
        "validate",
        "--state",
        &common::fixture("waived-wechat-read.toml"),
        "--state",
        &common::fixture("expired-waiver-wechat-read.toml"),
    ]));
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert_eq!(
        ok.stdout.lines().next(),
        Some(
            "tests/fixtures/waived-wechat-read.toml: ok (state for app `wechat-read`: 4 settings set, 1 waiver)"
        )
    );
    assert_eq!(ok.stdout.lines().count(), 2);
}

/// A JSON Lines file is read as `check --states-jsonl` reads it: each bad record is a
/// problem on its line, a blank line too.
#[test]
fn validate_state_reads_json_lines_record_by_record() {
    let env = Env::new();
    let states = env.file(
        "states.jsonl",
        "{\"app\":\"wechat-read\"}\n\n{\"app\":\"douyin\",\"settings\":{\"x\":\"y\",\"private-account\":\"z\"}}\nnot json\n{\"app\":\"nope\"}\n{\"app\":\"douyin\",\"settings\":3}\n",
    );
    let file = states.display().to_string();
    let r = run(env.cmd().arg("validate").arg("--state").arg(&states));
    assert_eq!(r.code, 1, "{}", r.stderr);
    // A blank line is a problem as in `check`, where it gets an error line of its own.
    let expected = [
        "2: blank line; each line must hold one JSON account state",
        "3: setting `private-account` has no option `z` (options: off, on)",
        "3: app `douyin` has no setting `x`",
        "4:1: a state must be a JSON object such as {\"app\": \"wechat-read\"}",
        "5: no profile for app `nope` (see `privaudit list`)",
        "6:28: invalid type: integer `3`, expected an object",
    ]
    .map(|line| format!("{file}:{line}"));
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), expected);
    let good = env.file(
        "good.json",
        "{\"app\":\"douyin\"}\n{\"app\":\"wechat-read\"}\n",
    );
    let r = run(env.cmd().arg("validate").arg("--state").arg(&good));
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, format!("{}: ok (2 states)\n", good.display()));
}

/// A state's app is resolved as `check` resolves it: a profile validated on the same
/// command line, else the user's own profile, else the built-in one.
#[test]
fn validate_state_finds_its_profile_as_check_does() {
    let env = Env::new();
    let state = env.file(
        "ft.toml",
        "app = \"fitness-tracker\"\n[settings]\nactivity-visibility = \"only-you\"\n",
    );
    let profile = common::fixture("fitness-tracker.toml");
    let alone = run(env.cmd().arg("validate").arg("--state").arg(&state));
    assert_eq!(alone.code, 1);
    assert!(
        alone
            .stdout
            .contains("ft.toml:1:7: no profile for app `fitness-tracker`"),
        "{}",
        alone.stdout
    );
    let with = run(env
        .cmd()
        .args(["validate", &profile, "--state"])
        .arg(&state));
    assert_eq!(with.code, 0, "{}", with.stdout);
    assert_eq!(with.stdout.matches(": ok (").count(), 2);
    env.file(
        "config/privaudit/profiles/fitness-tracker.toml",
        std::fs::read(&profile).unwrap(),
    );
    let user = run(env.cmd().arg("validate").arg("--state").arg(&state));
    assert_eq!(user.code, 0, "{}", user.stdout);
}

/// A file that cannot be read is exit 2, on stderr, and wins over problems found.
#[test]
fn validate_state_exits_2_for_unreadable_files() {
    let env = Env::new();
    let bad = env.file("bad.toml", "app = \"nope\"\n");
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (env.path("missing.toml"), "no such file"),
        (env.path("missing.jsonl"), "no such file"),
        (env.home.path().to_path_buf(), "is a directory"),
        (env.file("empty.toml", ""), "file is empty"),
        (env.file("empty.jsonl", ""), "file is empty"),
        (
            env.file("latin1.toml", b"app = \"caf\xe9\"\n"),
            "invalid UTF-8",
        ),
    ];
    for (path, says) in cases {
        let r = run(env
            .cmd()
            .arg("validate")
            .arg("--state")
            .arg(&bad)
            .arg("--state")
            .arg(&path));
        assert_eq!(r.code, 2, "{}: {}", path.display(), r.stderr);
        assert!(r.stderr.contains(says), "{}: {}", path.display(), r.stderr);
        assert!(
            r.stdout.contains("bad.toml:1:7: no profile"),
            "{}",
            r.stdout
        );
    }
}

/// Over the fuzzers' TOML states: `validate --state` calls a state valid exactly when
/// `check --state` audits it, and the problem `check` reports is one `validate` lists.
#[test]
fn validate_state_agrees_with_check_on_the_fuzz_corpus() {
    let env = Env::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_inputs/state_toml");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let (mut valid, mut invalid) = (0, 0);
    for path in &paths {
        let validate = run(env.cmd().arg("validate").arg("--state").arg(path));
        let check = run(env
            .cmd()
            .args(["check", "--fail-on", "never", "--state"])
            .arg(path));
        let name = path.display().to_string();
        match validate.code {
            0 => {
                valid += 1;
                assert_eq!(check.code, 0, "{name}: {}", check.stderr);
            }
            1 => {
                invalid += 1;
                assert_eq!(check.code, 2, "{name}");
                let shown = check
                    .stderr
                    .trim_end()
                    .trim_start_matches("privaudit: error: ");
                assert!(
                    validate.stdout.lines().any(|l| l == shown),
                    "{name}: check says {shown:?}, validate {:?}",
                    validate.stdout
                );
            }
            _ => {
                assert_eq!(check.code, 2, "{name}");
                assert_eq!(validate.stderr, check.stderr, "{name}");
            }
        }
    }
    assert!(
        valid > 0 && invalid > 0,
        "{valid} valid, {invalid} with problems"
    );
}

/// `privaudit completions SHELL` for an isolated home with one user profile.
fn completions(env: &Env, shell: &str) -> String {
    let r = run(env.cmd().args(["completions", shell]));
    assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
    r.stdout
}

/// Whether `program` can be run here; if not, say the check is skipped.
fn have(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("note: {program} is not installed here; its checks are skipped");
    }
    found
}

/// Run `program args` in `dir`; its stdout, after asserting it succeeded.
fn shell_out(program: &str, args: &[&str], dir: &Path) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A home with a user profile (`fitness-tracker`), so scripts must list more than the
/// built-in apps; and a directory with a profile file to complete.
fn completion_env() -> Env {
    let env = Env::new();
    env.file(
        "config/privaudit/profiles/fitness-tracker.toml",
        std::fs::read(common::fixture("fitness-tracker.toml")).unwrap(),
    );
    env.file("work/mine/my-app.toml", "");
    env
}

#[test]
fn every_shell_gets_a_script_that_completes_ids() {
    let env = completion_env();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = completions(&env, shell);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        for word in [
            "check",
            "wechat-read",
            "fitness-tracker",
            "huang-v-tencent-2020",
            "pipl-23",
            "douyin/recommend-me-to-people-who-may-know-me",
            "fitness-tracker/activity-visibility",
        ] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    let bad = run(env.cmd().args(["completions", "tcsh"]));
    assert_eq!(bad.code, 2);
    // The ids are only for the scripts: parsing still takes a profile file, and help
    // does not list them.
    let help = run(env.cmd().args(["check", "--help"]));
    assert!(!help.stdout.contains("wechat-read,"), "{}", help.stdout);
    let file = run(env
        .cmd()
        .args(["check", &common::fixture("fitness-tracker.toml")]));
    assert_eq!(file.code, 1, "{}", file.stderr);
}

#[test]
fn bash_completes_ids_and_leaves_paths_to_files() {
    let env = completion_env();
    let dir = env.home.path();
    std::fs::write(dir.join("privaudit.bash"), completions(&env, "bash")).unwrap();
    shell_out("bash", &["-n", "privaudit.bash"], dir);
    // What the completion function offers for the word being typed (bash then falls back
    // to file names when it offers nothing: `complete -o default`).
    let offer = |words: &str| {
        let script = format!(
            "source privaudit.bash; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _privaudit privaudit \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"; complete -p privaudit"
        );
        shell_out("bash", &["-c", &script], dir)
    };
    let check = offer("privaudit check w");
    assert!(check.lines().any(|l| l == "wechat-read"), "{check}");
    assert!(check.lines().any(|l| l == "wechat"), "{check}");
    assert!(check.contains("-o default"), "{check}");
    let user = offer("privaudit diff fit");
    assert!(user.lines().any(|l| l == "fitness-tracker"), "{user}");
    let explain = offer("privaudit explain pipl-2");
    assert!(explain.lines().any(|l| l == "pipl-23"), "{explain}");
    let setting = offer("privaudit explain douyin/rec");
    assert!(
        setting
            .lines()
            .any(|l| l == "douyin/recommend-me-to-people-who-may-know-me"),
        "{setting}"
    );
    // A path matches no id: nothing is offered, so bash completes the file.
    let path = offer("privaudit check work/mi");
    let offered: Vec<&str> = path.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        offered,
        ["complete -o bashdefault -o default -o nosort -F _privaudit privaudit"],
        "{path}"
    );
}

#[test]
fn zsh_completes_ids_or_files_where_a_profile_goes() {
    let env = completion_env();
    let script = completions(&env, "zsh");
    // Every argument that takes a profile completes with the helper, which offers the ids
    // and files.
    for arg in ["apps", "app", "old", "new"] {
        let spec = script
            .lines()
            .find(|l| l.contains(&format!(":{arg} -- ")))
            .unwrap_or_else(|| panic!("no spec for {arg}"));
        assert!(spec.ends_with(":_privaudit_app_ids_or_files' \\"), "{spec}");
    }
    let mut ids: Vec<String> = privaudit::registry::builtin_profiles(privaudit::catalog::builtin())
        .unwrap()
        .into_iter()
        .map(|p| p.app.id)
        .chain(["fitness-tracker".to_owned()])
        .collect();
    ids.sort();
    assert!(
        script.contains(&format!(
            "_alternative 'apps:app id:({})' 'files:profile file:_files'",
            ids.join(" ")
        )),
        "{script}"
    );
    assert!(script.contains("huang-v-tencent-2020\\:\"ruling\""));
    if !have("zsh") {
        return;
    }
    let dir = env.home.path();
    std::fs::write(dir.join("_privaudit"), &script).unwrap();
    shell_out("zsh", &["-n", "_privaudit"], dir);
    // Loaded the way zsh loads it, the helper is defined and the command registered.
    let loaded = shell_out(
        "zsh",
        &[
            "-fc",
            "autoload -Uz compinit && compinit -u -d ./zcompdump && source ./_privaudit && \
             print -r -- $+functions[_privaudit_app_ids_or_files] $_comps[privaudit]",
        ],
        dir,
    );
    assert_eq!(loaded.trim(), "1 _privaudit");
}

#[test]
fn fish_completes_ids_and_still_files() {
    let env = completion_env();
    let script = completions(&env, "fish");
    if !have("fish") {
        return;
    }
    let dir = env.home.path();
    std::fs::write(dir.join("privaudit.fish"), &script).unwrap();
    shell_out("fish", &["-n", "privaudit.fish"], dir);
    let complete = |line: &str| {
        shell_out(
            "fish",
            &[
                "-c",
                &format!("source privaudit.fish; complete -C '{line}'"),
            ],
            dir,
        )
    };
    let check = complete("privaudit check wechat");
    assert!(
        check.lines().any(|l| l.starts_with("wechat-read\t")),
        "{check}"
    );
    let files = complete("privaudit check work/mine/");
    assert!(
        files.lines().any(|l| l == "work/mine/my-app.toml"),
        "{files}"
    );
    let explain = complete("privaudit explain huang");
    assert!(
        explain.starts_with("huang-v-tencent-2020\truling"),
        "{explain}"
    );
    let user = complete("privaudit open fitness-tracker");
    assert!(
        user.lines().any(|l| l.starts_with("fitness-tracker\t")),
        "{user}"
    );
}

#[test]
fn powershell_and_elvish_list_the_ids_among_the_candidates() {
    let env = completion_env();
    let powershell = completions(&env, "powershell");
    let check = powershell
        .split("'privaudit;check' {")
        .nth(1)
        .and_then(|rest| rest.split("break").next())
        .unwrap();
    assert!(check.contains(
        "[CompletionResult]::new('wechat-read', 'wechat-read', [CompletionResultType]::ParameterValue, 'app')"
    ));
    let elvish = completions(&env, "elvish");
    let explain = elvish
        .split("&'privaudit;explain'= {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .unwrap();
    assert!(
        explain.contains("cand huang-v-tencent-2020 'ruling'"),
        "{explain}"
    );
    if !have("elvish") {
        return;
    }
    // The script needs the interactive editor's module; with a stand-in for it, it
    // compiles and its completer answers.
    let standalone = elvish
        .replace(
            "set edit:completion:arg-completer[privaudit] =",
            "var completer =",
        )
        .replace(
            "edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc",
            "put $text",
        )
        + "\n$completer privaudit check w\n";
    assert!(
        standalone.contains("var completer ="),
        "the script changed shape"
    );
    let dir = env.home.path();
    std::fs::write(dir.join("privaudit.elv"), standalone).unwrap();
    let offered = shell_out("elvish", &["-norc", "privaudit.elv"], dir);
    assert!(offered.contains("wechat-read"), "{offered}");
    assert!(offered.contains("--state"), "{offered}");
}

#[test]
fn the_man_page_has_every_command_and_the_exit_codes() {
    let env = Env::new();
    let r = run(env.cmd().arg("man"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let roff = r.stdout;
    assert!(roff.contains("\n.TH PRIVAUDIT 1 "), "{}", &roff[..200]);
    let commands = [
        "open",
        "check",
        "list",
        "explain",
        "validate",
        "diff",
        "schema",
        "completions",
        "man",
    ];
    for command in commands {
        assert!(
            roff.contains(&format!(".SS \"privaudit {command}\"")),
            "no section for {command}"
        );
    }
    for section in [".SH \"EXIT STATUS\"", ".SH FILES", ".SH EXAMPLES"] {
        assert!(roff.contains(section), "no {section}");
    }
    if !have("man") {
        return;
    }
    let dir = env.home.path();
    std::fs::write(dir.join("privaudit.1"), &roff).unwrap();
    let out = std::process::Command::new("man")
        .args(["-l", "privaudit.1"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    // Formatted, the page shows the commands and the exit codes as text; nroff may mark
    // bold by overstriking, so compare the text without it.
    let shown = strip_overstrike(&String::from_utf8_lossy(&out.stdout))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for command in commands {
        assert!(
            shown.contains(&format!("privaudit {command}")),
            "{command}:\n{shown}"
        );
    }
    for text in [
        "EXIT STATUS",
        "128+N",
        "--fail-on",
        "file that could not be read",
    ] {
        assert!(shown.contains(text), "{text}:\n{shown}");
    }
    assert!(!shown.contains(".SH"), "roff left unformatted");
}

/// nroff's overstruck bold (`c\bc`) and underline (`_\bc`) as plain text.
fn strip_overstrike(text: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\u{8}') {
            chars.next();
            continue;
        }
        out.push(c);
    }
    out.into_iter().collect()
}
