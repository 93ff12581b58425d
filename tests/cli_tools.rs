//! The command line's tools around the audit: messages about bad input worded for people.

mod common;

use common::{Env, run};
use privaudit::diag::Diagnostic;
use privaudit::source::{SourceText, read_text_file};
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
        let shown = r.stdout.lines().next().unwrap_or_default();
        assert_plain(shown, &file);
        assert!(
            shown.starts_with(&format!("{file}:{at}: ")) && shown.contains(says),
            "{text}\nwanted {at}: ...{says}..., got {shown:?}"
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
                        if let Err(problem) = privaudit::state::parse_state_json("in", n + 1, line)
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
}
