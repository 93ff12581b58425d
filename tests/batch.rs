//! Many states at once (--state, --state-dir, --states-jsonl) and default drift (diff).

mod common;

use common::{Env, fixture, json, run};
use serde_json::Value;
use std::fmt::Write;
use std::io::Write as _;
use std::process::Stdio;

/// A deterministic mix of account states for WeChat Read and Douyin.
fn state_toml(i: usize) -> String {
    let mut x = (i as u64)
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |n: u64| {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51afd7ed558ccd);
        x ^= x >> 29;
        x % n
    };
    let (app, settings): (&str, &[(&str, &[&str])]) = if i.is_multiple_of(3) {
        (
            "douyin",
            &[
                ("recommend-me-to-people-who-may-know-me", &["on", "off"]),
                ("follow-list-visibility", &["public", "mutual", "only-me"]),
                ("local-feed", &["on", "off"]),
                ("online-status", &["on", "off"]),
            ],
        )
    } else {
        (
            "wechat-read",
            &[
                ("wechat-friend-import", &["on", "off"]),
                ("reading-info-to-friends", &["on", "off"]),
                ("private-reading", &["public", "private"]),
            ],
        )
    };
    let mut text = format!("app = \"{app}\"\n[settings]\n");
    for (setting, options) in settings {
        match next(3) {
            0 => {}
            _ => writeln!(
                text,
                "{setting} = \"{}\"",
                options[next(options.len() as u64) as usize]
            )
            .unwrap(),
        }
    }
    if next(4) == 0 {
        let (setting, _) = settings[next(settings.len() as u64) as usize];
        write!(text, "[waivers.{setting}]\nreason = \"kept {i}\"\n").unwrap();
    }
    text
}

/// The same state as one JSON line.
fn state_json(i: usize) -> String {
    let value: toml::Table = toml::from_str(&state_toml(i)).unwrap();
    serde_json::to_string(&value).unwrap()
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_state_dir_gives_one_line_per_state_in_name_order_identical_to_checking_each_alone() {
    let env = Env::new();
    for i in 0..40 {
        env.file(&format!("states/s{i:03}.toml"), state_toml(i));
    }
    env.file(
        "states/s015-bad.toml",
        "app = \"wechat-read\"\n[settings]\nprivate-reading = \"sometimes\"\n",
    );
    env.file("states/notes.txt", "not a state");
    let dir = env.path("states");
    let r = run(env.cmd().args([
        "check",
        "--state-dir",
        dir.to_str().unwrap(),
        "--format",
        "jsonl",
    ]));
    assert_eq!(r.code, 2, "a bad state makes the exit code 2: {}", r.stderr);
    let out = lines(&r.stdout);
    assert_eq!(out.len(), 41);
    let names: Vec<String> = out
        .iter()
        .map(|l| {
            l["state"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "input order is name order");
    let bad = &out[names.iter().position(|n| n == "s015-bad.toml").unwrap()];
    assert!(
        bad["error"]
            .as_str()
            .unwrap()
            .contains("s015-bad.toml:3:19: setting `private-reading` has no option `sometimes`")
    );
    for line in out.iter().filter(|l| l.get("error").is_none()) {
        let state = line["state"].as_str().unwrap();
        let alone = run(env
            .cmd()
            .args(["check", "--state", state, "--format", "jsonl"]));
        assert_eq!(lines(&alone.stdout), std::slice::from_ref(line), "{state}");
    }
}

#[test]
fn thousands_of_states_cross_chunk_boundaries_and_match_json_lines_input() {
    let env = Env::new();
    let n = 5000;
    let mut jsonl = String::new();
    for i in 0..n {
        env.file(&format!("many/{i:05}.toml"), state_toml(i));
        jsonl.push_str(&state_json(i));
        jsonl.push('\n');
    }
    let jsonl_path = env.file("many.jsonl", &jsonl);
    let dir = env.path("many");
    let from_dir = run(env.cmd().args([
        "check",
        "--state-dir",
        dir.to_str().unwrap(),
        "--format",
        "jsonl",
    ]));
    let from_lines = run(env.cmd().args([
        "check",
        "--states-jsonl",
        jsonl_path.to_str().unwrap(),
        "--format",
        "jsonl",
    ]));
    assert_eq!(from_dir.code, from_lines.code);
    let a = lines(&from_dir.stdout);
    let b = lines(&from_lines.stdout);
    assert_eq!(a.len(), n);
    assert_eq!(b.len(), n);
    for (i, (mut x, mut y)) in a.into_iter().zip(b).enumerate() {
        assert!(
            x["state"]
                .as_str()
                .unwrap()
                .ends_with(&format!("{i:05}.toml"))
        );
        assert_eq!(y["state"], format!("{}:{}", jsonl_path.display(), i + 1));
        x["state"] = Value::Null;
        y["state"] = Value::Null;
        assert_eq!(x, y, "state {i}");
    }
}

#[test]
fn json_lines_from_stdin_report_bad_lines_by_number() {
    let env = Env::new();
    let input = format!(
        "{}\n\n{{\"app\": \"wechat-read\", \"settings\": {{\"private-reading\": 3}}}}\nnot json\n{}\n",
        state_json(1),
        state_json(2)
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("privaudit"))
        .args(["check", "--states-jsonl", "-", "--format", "jsonl"])
        .env("XDG_CONFIG_HOME", env.path("config"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = lines(&String::from_utf8(out.stdout).unwrap());
    let states: Vec<_> = out.iter().map(|l| l["state"].as_str().unwrap()).collect();
    // One line out per line in, a blank one included, so output lines up with input.
    assert_eq!(
        states,
        ["stdin:1", "stdin:2", "stdin:3", "stdin:4", "stdin:5"],
    );
    assert_eq!(
        out[1]["error"],
        "stdin:2: blank line; each line must hold one JSON account state"
    );
    assert!(out[2]["error"].as_str().unwrap().starts_with("stdin:3:"));
    assert!(
        out[2]["error"]
            .as_str()
            .unwrap()
            .contains("invalid type: integer `3`")
    );
    assert!(out[3]["error"].as_str().unwrap().starts_with("stdin:4:"));
    assert_eq!(out[4]["app"]["id"], "wechat-read");
}

#[test]
fn repeated_state_flags_and_other_formats() {
    let env = Env::new();
    let douyin = env.file(
        "d.toml",
        "app = \"douyin\"\n[settings]\nonline-status = \"off\"\n",
    );
    let args = [
        "check",
        "--state",
        &fixture("waived-wechat-read.toml"),
        "--state",
        douyin.to_str().unwrap(),
    ];
    let (code, doc) = json(env.cmd().args(args).args(["--format", "json"]));
    assert_eq!(code, 1);
    let reports = doc["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0]["app"]["id"], "wechat-read");
    assert_eq!(reports[1]["app"]["id"], "douyin");
    assert_eq!(reports[1]["state"], douyin.to_str().unwrap());
    assert!(
        reports[1]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["setting"] != "online-status")
    );
    assert_eq!(doc["errors"], serde_json::json!([]));
    let text = run(env.cmd().args(args).args(["--color", "never"]));
    assert_eq!(text.stdout.matches("Score ").count(), 2);
    // APP arguments restrict which profiles states may use.
    let r = run(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        douyin.to_str().unwrap(),
        "--state",
        &fixture("waived-wechat-read.toml"),
        "--format",
        "jsonl",
    ]));
    assert_eq!(r.code, 2);
    let out = lines(&r.stdout);
    assert!(
        out[0]["error"]
            .as_str()
            .unwrap()
            .contains("state is for app `douyin`, which is not being checked (wechat-read)")
    );
    assert_eq!(out[1]["app"]["id"], "wechat-read");
}

#[test]
fn missing_batch_inputs_are_bad_input() {
    let env = Env::new();
    let r = run(env.cmd().args(["check", "--state-dir", "no/such/dir"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such/dir: no such directory"));
    let r = run(env.cmd().args(["check", "--states-jsonl", "no/such.jsonl"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no/such.jsonl: cannot open"));
}

#[test]
fn diff_of_profiles_names_defaults_that_moved_toward_exposure() {
    let env = Env::new();
    let older = fixture("douyin-older-defaults.toml");
    let (code, doc) = json(
        env.cmd()
            .args(["diff", &older, "douyin", "--format", "json"]),
    );
    assert_eq!(code, 1);
    assert_eq!(doc["kind"], "profiles");
    assert_eq!(doc["toward_exposure"], 2);
    let change = |id: &str| {
        doc["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["setting"] == id)
            .unwrap()
            .clone()
    };
    let online = change("online-status");
    assert_eq!(online["direction"], "toward-exposure");
    assert_eq!(
        (online["old"].as_str(), online["new"].as_str()),
        (Some("off"), Some("on"))
    );
    assert_eq!(
        online["newly_exposed"],
        serde_json::json!([{"data": "activity", "to": "friends", "from": "this-app"}])
    );
    assert_eq!(
        change("private-account")["newly_exposed"],
        serde_json::json!([{"data": "content", "to": "public", "from": "this-app"}])
    );
    assert_eq!(change("local-feed")["change"], "default-now-unknown");
    assert_eq!(change("local-feed")["direction"], "neutral");

    let back = run(env.cmd().args(["diff", "douyin", &older]));
    assert_eq!(back.code, 0, "{}", back.stdout);
    assert!(back.stdout.contains("AWAY FROM EXPOSURE") && !back.stdout.contains("TOWARD EXPOSURE"));
    let same = run(env.cmd().args(["diff", "douyin", "profiles/douyin.toml"]));
    assert_eq!(same.code, 0);
    assert!(same.stdout.contains("Nothing changed."));
}

#[test]
fn diff_of_states_shows_what_the_user_changed() {
    let env = Env::new();
    let waived = fixture("waived-wechat-read.toml");
    let all = fixture("all-recommended-wechat-read.toml");
    let r = run(env.cmd().args(["diff", &waived, &all]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("AWAY FROM EXPOSURE") && r.stdout.contains("waiver removed"));
    let r = run(env.cmd().args(["diff", &all, &waived, "--lang", "zh"]));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("趋向暴露") && r.stdout.contains("新增暴露：活动记录 -> 好友"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_refuses_mismatched_inputs() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["diff", "douyin", &fixture("waived-wechat-read.toml")]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("cannot compare a profile with an account state")
    );
    let r = run(env.cmd().args(["diff", "douyin", "wechat"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("profile is for app `wechat`"));
    let r = run(env.cmd().args([
        "diff",
        &fixture("waived-wechat-read.toml"),
        &fixture("other-app-state.toml"),
    ]));
    assert_eq!(r.code, 2);
    let r = run(env
        .cmd()
        .args(["diff", "douyin", &fixture("malformed.toml")]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("malformed.toml:3:"));
}

#[test]
fn json_lines_from_the_finding_cache_equal_the_freshly_rendered_json_document() {
    let env = Env::new();
    for i in 0..60 {
        env.file(&format!("s/{i:03}.toml"), state_toml(i));
    }
    let dir = env.path("s");
    let dir = dir.to_str().unwrap();
    for lang in ["en", "zh"] {
        let jsonl = lines(
            &run(env.cmd().args([
                "check",
                "--state-dir",
                dir,
                "--format",
                "jsonl",
                "--lang",
                lang,
            ]))
            .stdout,
        );
        let (_, doc) = json(env.cmd().args([
            "check",
            "--state-dir",
            dir,
            "--format",
            "json",
            "--lang",
            lang,
        ]));
        assert_eq!(doc["reports"].as_array().unwrap(), &jsonl, "{lang}");
    }
}

#[test]
fn hostile_state_file_names_are_made_visible_in_every_format() {
    let env = Env::new();
    env.file("evil/\u{1b}[2J\u{7}.toml", state_toml(1));
    let dir = env.path("evil");
    for format in [
        "text", "jsonl", "json", "markdown", "junit", "sarif", "github", "gitlab",
    ] {
        let r = run(env.cmd().args([
            "check",
            "--state-dir",
            dir.to_str().unwrap(),
            "--format",
            format,
            "--color",
            "never",
        ]));
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stdout.contains('\u{7}'),
            "{format}: {:?}",
            r.stdout
        );
        assert!(
            !r.stdout.contains("\\u001b"),
            "{format}: escaped, not made visible"
        );
        // Markdown escapes the brackets as well, so they cannot start a link.
        let visible = if format == "markdown" {
            "^\\[\\[2J^G"
        } else {
            "^[[2J^G"
        };
        assert!(r.stdout.contains(visible), "{format}: {}", r.stdout);
    }
}

/// What a compact line must say of a full line: the state, the scores, and per finding the
/// setting, severity, certainty, whether by default and whether waived.
fn in_brief(full: &Value) -> Value {
    if full.get("error").is_some() {
        return full.clone();
    }
    let findings: Vec<Value> = full["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            serde_json::json!({
                "setting": f["setting"],
                "severity": f["severity"],
                "certainty": f["certainty"],
                "by_default": f["by_default"],
                "waived": f["waived"],
            })
        })
        .collect();
    serde_json::json!({
        "schema_version": full["schema_version"],
        "app": full["app"]["id"],
        "state": full["state"],
        "score": full["score"],
        "score_confirmed": full["score_confirmed"],
        "findings": findings,
        "unassessed": full["unassessed"],
    })
}

#[test]
fn compact_lines_are_the_full_lines_in_brief_for_files_and_json_lines() {
    let env = Env::new();
    let n = 700;
    let mut jsonl = String::new();
    for i in 0..n {
        env.file(&format!("states/{i:04}.toml"), state_toml(i));
        jsonl.push_str(&state_json(i));
        jsonl.push('\n');
        if i % 250 == 0 {
            jsonl.push_str("{\"app\": \"wechat-read\", \"settings\": {\"nope\": \"on\"}}\n");
        }
    }
    let jsonl_path = env.file("states.jsonl", &jsonl);
    let dir = env.path("states");
    for (flag, input) in [
        ("--state-dir", dir.to_str().unwrap()),
        ("--states-jsonl", jsonl_path.to_str().unwrap()),
    ] {
        let check = |detail: &str| {
            run(env.cmd().args([
                "check", flag, input, "--format", "jsonl", "--detail", detail,
            ]))
        };
        let (full, compact) = (check("full"), check("compact"));
        assert_eq!(full.code, compact.code, "{flag}");
        assert!(
            compact.stdout.len() * 5 < full.stdout.len(),
            "{flag}: compact is small"
        );
        let (full, compact) = (lines(&full.stdout), lines(&compact.stdout));
        assert_eq!(full.len(), compact.len(), "{flag}");
        assert!(full.len() >= n);
        for (f, c) in full.iter().zip(&compact) {
            assert_eq!(&in_brief(f), c, "{flag}");
        }
    }
    // Waived and unwaived, by default and chosen, errors: the batch has them all.
    let all = lines(
        &run(env.cmd().args([
            "check",
            "--states-jsonl",
            jsonl_path.to_str().unwrap(),
            "--format",
            "jsonl",
            "--detail",
            "compact",
        ]))
        .stdout,
    );
    let findings: Vec<&Value> = all
        .iter()
        .flat_map(|l| l["findings"].as_array().into_iter().flatten())
        .collect();
    for field in ["waived", "by_default"] {
        assert!(findings.iter().any(|f| f[field] == true), "{field}");
        assert!(findings.iter().any(|f| f[field] == false), "{field}");
    }
    assert!(all.iter().any(|l| l.get("error").is_some()));
}

#[test]
fn compact_is_a_form_of_json_lines() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["check", "wechat-read", "--detail", "compact"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("--detail compact") && r.stderr.contains("--format jsonl"),
        "{}",
        r.stderr
    );
    let r = run(env.cmd().args([
        "check",
        "wechat-read",
        "--format",
        "jsonl",
        "--detail",
        "compact",
    ]));
    let line = lines(&r.stdout);
    assert_eq!(line.len(), 1);
    assert_eq!(line[0]["app"], "wechat-read");
    assert_eq!(line[0]["state"], Value::Null);
    assert!(
        line[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["certainty"].is_string())
    );
}

#[test]
fn diff_compares_two_versions_of_one_app_by_family_and_names_the_versions() {
    let env = Env::new();
    let text = std::fs::read_to_string("profiles/douyin.toml").unwrap();
    // An older version of Douyin: another profile id, the same family.
    let older = text
        .replacen(
            "id = \"douyin\"",
            "id = \"douyin-older\"\nfamily = \"douyin\"",
            1,
        )
        .replacen(
            "version = { en = \"recent build\", zh = \"近期版本\" }",
            "version = \"4.3.1\"\nversion-date = \"2019\"",
            1,
        );
    assert_ne!(older, text);
    let older = env.file("douyin-older.toml", older);
    let older = older.to_str().unwrap();
    let r = run(env.cmd().args(["diff", older, "douyin"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("Version: 4.3.1 (2019) -> recent build"),
        "{}",
        r.stdout
    );
    let r = run(env.cmd().args(["diff", older, "douyin", "--lang", "zh"]));
    assert!(
        r.stdout.contains("版本：4.3.1（2019） → 近期版本"),
        "{}",
        r.stdout
    );
    // Another app altogether is refused, naming both.
    let r = run(env.cmd().args(["diff", older, "wechat"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the same `family`"), "{}", r.stderr);
}

#[test]
fn between_two_versions_a_setting_only_the_newer_profile_describes_is_not_said_to_have_moved() {
    let env = Env::new();
    // douyin-2019 describes two behaviours; the recent profile a dozen switches the older
    // one does not describe (they may have existed).
    let r = run(env.cmd().args(["diff", "douyin-2019", "douyin"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(!r.stdout.contains("TOWARD EXPOSURE"), "{}", r.stdout);
    assert!(
        r.stdout.contains("only in the newer profile"),
        "{}",
        r.stdout
    );
    // Within one profile's revisions a new exposing setting still counts toward exposure.
    let text = std::fs::read_to_string("profiles/wechat.toml").unwrap();
    let start = text.find("[[settings]]").unwrap();
    let end = start + 1 + text[start + 1..].find("[[settings]]").unwrap();
    let without_first = format!("{}{}", &text[..start], &text[end..]);
    let older = env.file("wechat-older.toml", without_first);
    let r = run(env.cmd().args(["diff", older.to_str().unwrap(), "wechat"]));
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("TOWARD EXPOSURE"), "{}", r.stdout);
}
