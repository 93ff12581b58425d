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

/// One parsed workflow command.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Annotation {
    command: String,
    file: String,
    line: usize,
    col: Option<usize>,
    title: String,
    message: String,
}

/// Undo the runner's escapes (what GitHub shows).
fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Every line of a `--format github` document: the annotations, parsed back, and the
/// closing summary (the one plain line, last).
fn github(stdout: &str) -> (Vec<Annotation>, String) {
    let command = Regex::new(
        r"^::(error|warning|notice) file=([^,:]+),line=(\d+)(?:,col=(\d+))?,title=([^,:]+)::([^\r\n]*)$",
    )
    .unwrap();
    let mut lines: Vec<&str> = stdout.split('\n').collect();
    assert_eq!(lines.pop(), Some(""), "ends with a line break");
    let summary = lines.pop().expect("a summary line").to_owned();
    assert!(!summary.starts_with("::"), "{summary}");
    let annotations = lines
        .iter()
        .map(|line| {
            let c = command
                .captures(line)
                .unwrap_or_else(|| panic!("not a workflow command: {line}"));
            Annotation {
                command: c[1].to_owned(),
                file: unescape(&c[2]),
                line: c[3].parse().unwrap(),
                col: c.get(4).map(|m| m.as_str().parse().unwrap()),
                title: unescape(&c[5]),
                message: unescape(&c[6]),
            }
        })
        .collect();
    (annotations, summary)
}

#[test]
fn github_annotations_point_where_sarif_results_point() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["check", "wechat-read", "douyin", "--format", "github"]));
    assert_eq!(r.code, 1);
    let (annotations, summary) = github(&r.stdout);
    // One per unwaived finding: wechat-read 5, douyin 9.
    assert_eq!(annotations.len(), 14);
    assert_eq!(
        summary,
        "privaudit: 2 reports, 14 unwaived findings: 5 errors (critical or high), 5 warnings (medium), 4 notices (low)."
    );

    // The same places and levels as SARIF's results.
    let (_, sarif) =
        common::json(
            env.cmd()
                .args(["check", "wechat-read", "douyin", "--format", "sarif"]),
        );
    let mut from_sarif: Vec<(String, usize, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"].as_array().is_none_or(|s| s.is_empty()))
        .map(|r| {
            let location = &r["locations"][0]["physicalLocation"];
            let level = match r["level"].as_str().unwrap() {
                "note" => "notice",
                other => other,
            };
            (
                location["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                location["region"]["startLine"].as_u64().unwrap() as usize,
                level.to_owned(),
            )
        })
        .collect();
    let mut from_github: Vec<(String, usize, String)> = annotations
        .iter()
        .map(|a| (a.file.clone(), a.line, a.command.clone()))
        .collect();
    from_sarif.sort();
    from_github.sort();
    assert_eq!(from_github, from_sarif);

    // Exposure by default is annotated on the `default = ...` line.
    let profile = std::fs::read_to_string("profiles/wechat-read.toml").unwrap();
    let line = common::line_after(&profile, "id = \"reading-info-to-friends\"", "default = ");
    let a = annotations
        .iter()
        .find(|a| {
            a.message
                .contains("privaudit explain wechat-read/reading-info-to-friends")
        })
        .unwrap();
    assert_eq!(
        (a.file.as_str(), a.line),
        ("profiles/wechat-read.toml", line)
    );
    assert_eq!(a.command, "error");
    assert!(
        a.title.starts_with("Critical: Show my reading time"),
        "{}",
        a.title
    );
    // A few lines: what is exposed, where, how sure, the ruling, where to read more.
    let lines: Vec<&str> = a.message.lines().collect();
    assert_eq!(lines.len(), 5, "{}", a.message);
    assert!(lines[1].starts_with("Where: "));
    assert!(lines[2].starts_with("How sure: "));
    assert!(lines[3].starts_with("Huang v. Tencent (WeChat Read)"));
    // Medium is a warning, low a notice.
    let douyin = |id: &str| {
        annotations
            .iter()
            .find(|a| a.message.contains(&format!("explain douyin/{id}")))
            .unwrap()
    };
    assert_eq!(douyin("private-account").command, "warning");
    assert_eq!(douyin("online-status").command, "notice");
}

#[test]
fn github_titles_name_the_state_safely_and_bad_states_are_errors() {
    let env = Env::new();
    // A state file name with every character the format must escape.
    env.file(
        "states/a,b:c%0A.toml",
        "app = \"douyin\"\n[settings]\nprivate-account = \"off\"\n",
    );
    env.file(
        "states/b.toml",
        std::fs::read_to_string(common::fixture("unknown-option-state.toml")).unwrap(),
    );
    env.file(
        "states/c.toml",
        std::fs::read_to_string(common::fixture("waived-wechat-read.toml")).unwrap(),
    );
    let dir = env.path("states");
    for lang in ["en", "zh"] {
        let r = run(env.cmd().args([
            "check",
            "--state-dir",
            dir.to_str().unwrap(),
            "--format",
            "github",
            "--lang",
            lang,
        ]));
        assert_eq!(r.code, 2, "{}", r.stderr);
        let (annotations, summary) = github(&r.stdout);
        let state = format!("{}/a,b:c%0A.toml", dir.to_str().unwrap());
        let private = annotations
            .iter()
            .find(|a| a.message.contains("explain douyin/private-account"))
            .unwrap();
        // Chosen by the state, not by default: the setting's own line.
        let profile = std::fs::read_to_string("profiles/douyin.toml").unwrap();
        assert_eq!(
            private.line,
            common::line_after(&profile, "id = \"private-account\"", "id = ")
        );
        let bad = annotations
            .iter()
            .find(|a| a.file.ends_with("b.toml"))
            .expect("the bad state is annotated");
        assert_eq!(bad.command, "error");
        assert_eq!((bad.line, bad.col), (4, Some(27)));
        assert!(bad.message.contains("b.toml:4:27: "), "{}", bad.message);
        // The waived state adds nothing: its other settings follow the recommendations.
        assert!(annotations.iter().all(|a| !a.title.contains("c.toml")));
        match lang {
            "en" => {
                assert_eq!(
                    private.title,
                    format!("Medium: Private account (state: {state})")
                );
                assert!(bad.title.starts_with("State "), "{}", bad.title);
                assert!(
                    summary.ends_with("; 1 state could not be checked."),
                    "{summary}"
                );
            }
            _ => {
                assert_eq!(
                    private.title,
                    format!("中风险：私密账号（账户状态：{state}）")
                );
                assert!(
                    private.message.starts_with("“私密账号”："),
                    "{}",
                    private.message
                );
                assert!(private.message.contains("\n位置："));
                assert!(bad.title.starts_with("无法检查账户状态"), "{}", bad.title);
                assert!(summary.starts_with("privaudit：2 份报告"), "{summary}");
            }
        }
    }
}

/// A `--format gitlab` document, checked field by field against GitLab's Code Quality
/// report format.
fn gitlab(stdout: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let issues = doc.as_array().expect("a JSON array").clone();
    let hex = Regex::new("^[0-9a-f]{32}$").unwrap();
    for issue in &issues {
        let text = |field: &str| {
            issue[field]
                .as_str()
                .unwrap_or_else(|| panic!("{field} in {issue}"))
        };
        assert!(!text("description").trim().is_empty(), "{issue}");
        assert!(!text("check_name").is_empty(), "{issue}");
        assert!(hex.is_match(text("fingerprint")), "{issue}");
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&text("severity")),
            "{issue}"
        );
        assert!(
            issue["location"]["path"]
                .as_str()
                .is_some_and(|p| !p.is_empty()),
            "{issue}"
        );
        assert!(
            issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|n| n >= 1),
            "{issue}"
        );
    }
    issues
}

#[test]
fn gitlab_issues_have_every_field_and_stable_unique_fingerprints() {
    let env = Env::new();
    // Two profiles of one app, the defaults and a batch with states alike in all but name.
    let state = "app = \"douyin\"\n[settings]\nonline-status = \"on\"\n";
    env.file("states/one.toml", state);
    env.file("states/two.toml", state);
    env.file(
        "states/bad.toml",
        std::fs::read_to_string(common::fixture("unknown-option-state.toml")).unwrap(),
    );
    let dir = env.path("states");
    let args = ["check", "douyin", "wechat-read", "--format", "gitlab"];
    let first = run(env
        .cmd()
        .args(args)
        .arg(common::fixture("douyin-older-defaults.toml")));
    let again = run(env
        .cmd()
        .args(args)
        .arg(common::fixture("douyin-older-defaults.toml")));
    assert_eq!(first.code, 1);
    assert_eq!(first.stdout, again.stdout, "the same report on every run");
    let issues = gitlab(&first.stdout);
    // douyin 9, wechat-read 5, the older douyin profile 7.
    assert_eq!(issues.len(), 21);
    let batch = run(env.cmd().args([
        "check",
        "--state-dir",
        dir.to_str().unwrap(),
        "--format",
        "gitlab",
    ]));
    assert_eq!(batch.code, 2);
    let batch_issues = gitlab(&batch.stdout);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .chain(&batch_issues)
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    let all = fingerprints.len();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), all, "fingerprints are unique");

    // The critical default of WeChat Read is a blocker, on its `default = ...` line.
    let profile = std::fs::read_to_string("profiles/wechat-read.toml").unwrap();
    let issue = issues
        .iter()
        .find(|i| i["check_name"] == "wechat-read/reading-info-to-friends")
        .unwrap();
    assert_eq!(issue["severity"], "blocker");
    assert_eq!(issue["location"]["path"], "profiles/wechat-read.toml");
    assert_eq!(
        issue["location"]["lines"]["begin"],
        common::line_after(&profile, "id = \"reading-info-to-friends\"", "default = ")
    );
    let severity = |check: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == check && i["location"]["path"] == "profiles/douyin.toml")
            .unwrap()["severity"]
            .clone()
    };
    assert_eq!(severity("douyin/follow-list-visibility"), "critical");
    assert_eq!(severity("douyin/private-account"), "major");
    assert_eq!(severity("douyin/online-status"), "minor");

    // A state names itself in the description; a bad state is an issue at its line.
    let online = batch_issues
        .iter()
        .filter(|i| i["check_name"] == "douyin/online-status")
        .count();
    assert_eq!(online, 2, "one per state");
    assert!(batch_issues.iter().any(|i| {
        i["description"]
            .as_str()
            .unwrap()
            .starts_with(&format!("State {}/one.toml: ", dir.to_str().unwrap()))
    }));
    let bad = batch_issues
        .iter()
        .find(|i| i["check_name"] == "privaudit/state-error")
        .unwrap();
    assert_eq!(bad["severity"], "blocker");
    assert!(
        bad["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with("bad.toml")
    );
    assert_eq!(bad["location"]["lines"]["begin"], 4);

    // Nothing open: an empty array. Chinese descriptions.
    let clean = run(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        &common::fixture("all-recommended-wechat-read.toml"),
        "--format",
        "gitlab",
    ]));
    assert_eq!((clean.code, clean.stdout.as_str()), (0, "[]\n"));
    let zh = gitlab(
        &run(env
            .cmd()
            .args(["check", "douyin", "--format", "gitlab", "--lang", "zh"]))
        .stdout,
    );
    assert!(
        zh[0]["description"].as_str().unwrap().starts_with('“'),
        "{}",
        zh[0]
    );
}

#[test]
fn gitlab_issues_stream_while_the_input_is_still_open() {
    use std::io::{Read, Write};
    let env = Env::new();
    let mut child = env
        .std_cmd()
        .args(["check", "--states-jsonl", "-", "--format", "gitlab"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 65536];
        loop {
            match stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    all.extend_from_slice(&buf[..n]);
                    let _ = tx.send(all.len());
                }
            }
        }
        all
    });
    let mut stdin = child.stdin.take().unwrap();
    let line = "{\"app\":\"douyin\",\"settings\":{\"private-account\":\"off\"}}\n";
    stdin.write_all(line.repeat(1000).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // More than the output's 64 KiB buffer comes out before the input ends.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut seen = 0;
    while seen < 256 * 1024 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        seen = rx
            .recv_timeout(left)
            .expect("issues are written while the input is still open");
    }
    drop(stdin);
    let status = child.wait().unwrap();
    let all = String::from_utf8(reader.join().unwrap()).unwrap();
    assert_eq!(status.code(), Some(1));
    assert_eq!(gitlab(&all).len(), 9000, "9 per state");
}

fn diff(env: &Env, args: &[&str]) -> common::Run {
    run(env.cmd().arg("diff").args(args))
}

#[test]
fn diff_text_names_options_by_their_labels_in_both_languages() {
    let env = Env::new();
    let older = common::fixture("douyin-older-defaults.toml");
    let en = diff(&env, &[&older, "douyin"]);
    assert_eq!(en.code, 1);
    assert!(
        en.stdout.contains(
            "- Private account [private-account]: changed, \"On (approved followers only)\" -> \"Off (public account)\""
        ),
        "{}",
        en.stdout
    );
    assert!(
        en.stdout.contains("\"Off\" -> default not stated"),
        "{}",
        en.stdout
    );
    assert!(!en.stdout.contains("on -> off"), "{}", en.stdout);
    let zh = diff(&env, &[&older, "douyin", "--lang", "zh"]);
    assert!(
        zh.stdout.contains(
            "- 私密账号 [private-account]：已变更，“开启（仅经同意的粉丝）” -> “关闭（公开账号）”"
        ),
        "{}",
        zh.stdout
    );
    assert!(
        zh.stdout
            .starts_with(&format!("抖音 douyin（{older} -> douyin）\n"))
    );
    assert!(
        zh.stdout.contains("“关闭” -> 未载明默认值"),
        "{}",
        zh.stdout
    );
}

/// The Markdown as GitHub renders it (tables on).
fn html(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    comrak::markdown_to_html(markdown, &options)
}

#[test]
fn diff_markdown_is_a_table_of_labels_in_both_languages() {
    let env = Env::new();
    let older = common::fixture("douyin-older-defaults.toml");
    let en = diff(&env, &[&older, "douyin", "--format", "markdown"]);
    assert_eq!(en.code, 1, "toward exposure fails, whatever the format");
    assert!(
        en.stdout
            .starts_with("## privaudit diff: Douyin (defaults)\n")
    );
    assert!(
        en.stdout
            .contains(": 2 toward exposure, 0 away from exposure, 1 other."),
        "{}",
        en.stdout
    );
    let page = html(&en.stdout);
    assert_eq!(page.matches("<table>").count(), 2, "{page}");
    assert!(page.contains("<th>Setting</th>") && page.contains("<th>Newly exposed</th>"));
    assert!(
        page.contains(
            "<td>Private account <code>private-account</code></td>\n<td>changed</td>\n<td>&quot;On (approved followers only)&quot;</td>\n<td>&quot;Off (public account)&quot;</td>\n<td>posts → anyone</td>"
        ),
        "{page}"
    );

    let zh = diff(
        &env,
        &[&older, "douyin", "--format", "markdown", "--lang", "zh"],
    );
    let page = html(&zh.stdout);
    assert!(
        page.contains("<h2>privaudit 对比：抖音（默认设置）</h2>"),
        "{page}"
    );
    assert!(page.contains("<th>设置</th>") && page.contains("<th>不再暴露</th>"));
    assert!(
        page.contains(
            "<td>私密账号 <code>private-account</code></td>\n<td>已变更</td>\n<td>“开启（仅经同意的粉丝）”</td>\n<td>“关闭（公开账号）”</td>\n<td>发布内容 → 所有人</td>"
        ),
        "{page}"
    );
    // No English in the Chinese: only the tool's name, the inputs' names and the ids in
    // code spans are Latin letters.
    let ids = Regex::new("`[a-z0-9-]+`").unwrap();
    let rest = ids
        .replace_all(&zh.stdout, "")
        .replace(&older, "")
        .replace("douyin", "")
        .replace("privaudit", "");
    assert!(
        !rest.chars().any(|c| c.is_ascii_alphabetic()),
        "English left: {rest}"
    );

    // Account states, with a waiver: its reason is escaped text in a cell.
    let state = env.file(
        "kept.toml",
        "app = \"wechat-read\"\n[waivers.reading-time-leaderboard]\nreason = \"a | b [x](http://y)\"\n",
    );
    let r = diff(
        &env,
        &[
            &common::fixture("all-recommended-wechat-read.toml"),
            state.to_str().unwrap(),
            "--format",
            "markdown",
        ],
    );
    let page = html(&r.stdout);
    assert!(
        r.stdout
            .starts_with("## privaudit diff: WeChat Read (account states)\n")
    );
    assert!(!page.contains("<a "), "{page}");
    assert!(
        page.contains(
            "<td>waiver added</td>\n<td>none</td>\n<td>&quot;a | b [x](http://y)&quot;</td>"
        ),
        "{page}"
    );
    let same = diff(&env, &["douyin", "douyin", "--format", "markdown"]);
    assert_eq!(same.code, 0);
    assert!(
        same.stdout.ends_with("douyin → douyin: nothing changed.\n"),
        "{}",
        same.stdout
    );
}

#[test]
fn diff_labels_a_removed_setting_from_the_old_profile_and_json_keeps_ids() {
    let env = Env::new();
    // A newer Douyin without its online-status setting.
    let profile = std::fs::read_to_string("profiles/douyin.toml").unwrap();
    let start = profile
        .find("[[settings]]\nid = \"online-status\"")
        .unwrap();
    let end = profile[start + 1..]
        .find("[[settings]]")
        .map_or(profile.len(), |i| start + 1 + i);
    let newer = env.file(
        "newer.toml",
        format!("{}{}", &profile[..start], &profile[end..]),
    );
    let r = diff(&env, &["douyin", newer.to_str().unwrap(), "--lang", "zh"]);
    assert!(
        r.stdout
            .contains("- 在线状态 [online-status]：仅见于较旧的档案，“开启” -> 无"),
        "{}",
        r.stdout
    );
    let (_, doc) = common::json(env.cmd().args([
        "diff",
        &common::fixture("douyin-older-defaults.toml"),
        "douyin",
        "--format",
        "json",
        "--lang",
        "zh",
    ]));
    let change = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["setting"] == "private-account")
        .unwrap();
    assert_eq!(
        (change["old"].as_str(), change["new"].as_str()),
        (Some("on"), Some("off"))
    );
    assert_eq!(change["old_label"], "开启（仅经同意的粉丝）");
    assert_eq!(change["new_label"], "关闭（公开账号）");
    assert_eq!(change["label"], "私密账号");
}
