//! CI conveniences through the real binary: several reports from one run, `-o`, `-q`,
//! `--min-severity`, and the project config (`privaudit.toml`) with its waivers.

mod common;

use common::Env;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn check(env: &Env, dir: &Path, args: &[&str]) -> Output {
    env.std_cmd()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Files in `dir` whose names start with a dot: temporary files left behind.
fn hidden_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn several_reports_from_one_run_each_to_its_place() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(dir.join("out")).unwrap();
    let out = check(
        &env,
        &dir,
        &[
            "douyin",
            "--format",
            "sarif:out/privaudit.sarif",
            "--format",
            "junit:out/privaudit.xml",
            "--format",
            "text",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Douyin"), "{text}");
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.join("out/privaudit.sarif")).unwrap()).unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let xml = std::fs::read_to_string(dir.join("out/privaudit.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert!(doc.descendants().any(|n| n.has_tag_name("failure")));
    assert!(hidden_files(&dir.join("out")).is_empty());
    // The same findings in each: SARIF's result count is JUnit's failure count.
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    assert_eq!(failures, results);
}

#[test]
fn reports_that_cannot_share_standard_output_or_a_file_are_refused() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let out = check(
        &env,
        &dir,
        &["douyin", "--format", "json", "--format", "text"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only one report can go to standard output"));
    let out = check(
        &env,
        &dir,
        &["douyin", "--format", "json:a", "--format", "sarif:a"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("two reports"));
    let out = check(&env, &dir, &["douyin", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`yaml` is not a format"));
    assert!(
        std::fs::read_dir(&dir).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn output_file_is_replaced_whole_through_a_link_and_never_half_written() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    std::fs::write(dir.join("reports/real.json"), "old").unwrap();
    std::os::unix::fs::symlink("real.json", dir.join("reports/link.json")).unwrap();
    let out = check(
        &env,
        &dir,
        &["douyin", "--format", "json", "-o", "reports/link.json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "the report went to the file");
    let link = std::fs::symlink_metadata(dir.join("reports/link.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(dir.join("reports/real.json")).unwrap()).unwrap();
    assert_eq!(doc["reports"][0]["app"]["id"], "douyin");
    assert!(hidden_files(&dir.join("reports")).is_empty());
    // Bad input: no report, and the old file stays as it was.
    std::fs::write(dir.join("reports/real.json"), "old").unwrap();
    std::fs::write(
        dir.join("bad.toml"),
        "app = \"douyin\"\n[settings]\nnope = 1\n",
    )
    .unwrap();
    let out = check(
        &env,
        &dir,
        &["douyin", "--state", "bad.toml", "-o", "reports/real.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.join("reports/real.json")).unwrap(),
        "old"
    );
    assert!(hidden_files(&dir.join("reports")).is_empty());
    // A directory that is not there is not made: the message says which.
    let out = check(&env, &dir, &["douyin", "-o", "missing/report.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("directory missing does not exist"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.join("missing").exists());
}

#[test]
fn quiet_leaves_only_the_exit_code_and_the_files() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let out = check(&env, &dir, &["douyin", "-q"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let out = check(&env, &dir, &["douyin", "-q", "--format", "jsonl:r.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    assert!(
        std::fs::read_to_string(dir.join("r.jsonl"))
            .unwrap()
            .contains("douyin")
    );
    // Errors are still told.
    let out = check(&env, &dir, &["no-such-app", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such app"));
}

#[test]
fn min_severity_leaves_lower_findings_out_and_they_do_not_fail() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let all = check(&env, &dir, &["douyin", "--format", "json"]);
    let all: Value = serde_json::from_slice(&all.stdout).unwrap();
    let high = check(
        &env,
        &dir,
        &["douyin", "--format", "json", "--min-severity", "high"],
    );
    assert_eq!(high.status.code(), Some(1));
    let high: Value = serde_json::from_slice(&high.stdout).unwrap();
    let findings = |doc: &Value| doc["reports"][0]["findings"].as_array().unwrap().clone();
    let kept = findings(&high);
    assert!(!kept.is_empty());
    assert!(
        kept.iter()
            .all(|f| ["high", "critical"].contains(&f["severity"].as_str().unwrap()))
    );
    let left_out = findings(&all).len() - kept.len();
    assert!(left_out > 0);
    assert_eq!(high["reports"][0]["summary"]["left_out"], left_out);
    assert_eq!(high["reports"][0]["summary"]["medium"], 0);
    // The score is the state's, whatever is listed.
    assert_eq!(high["reports"][0]["score"], all["reports"][0]["score"]);
    // Douyin's defaults give no critical finding: nothing listed, nothing fails.
    let critical = check(&env, &dir, &["douyin", "--min-severity", "critical"]);
    assert_eq!(critical.status.code(), Some(0));
    let text = String::from_utf8(critical.stdout).unwrap();
    assert!(
        text.contains("below the minimum severity not listed"),
        "{text}"
    );
    // Formats that leave findings out say how many, so alerts gone are not taken for fixed.
    let sarif = check(
        &env,
        &dir,
        &["douyin", "--format", "sarif", "--min-severity", "high"],
    );
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["properties"]["leftOut"], left_out);
    let github = check(
        &env,
        &dir,
        &["douyin", "--format", "github", "--min-severity", "high"],
    );
    let github = String::from_utf8(github.stdout).unwrap();
    let last = github.lines().last().unwrap();
    assert!(
        last.contains(&format!(
            "{left_out} findings below the minimum severity left out"
        )),
        "{last}"
    );
}

#[test]
fn the_project_config_is_honoured_and_flags_win_over_it() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(dir.join("ci")).unwrap();
    std::fs::create_dir_all(dir.join("privacy")).unwrap();
    std::fs::write(
        dir.join("privaudit.toml"),
        "fail-on = \"critical\"\nlang = \"zh\"\nformat = [\"sarif:ci/out.sarif\", \"text\"]\n\
         waivers-file = \"privacy/waivers.toml\"\n\n\
         [[waiver]]\nsetting = \"douyin/online-status\"\nreason = \"在线状态是产品功能\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("privacy/waivers.toml"),
        "[[waiver]]\nsetting = \"private-account\"\nreason = \"public by design\"\n\
         expires = 2999-12-31\n\n\
         [[waiver]]\nsetting = \"searchable-by-non-followers\"\nreason = \"long gone\"\n\
         expires = 2001-01-01\n",
    )
    .unwrap();
    let out = check(&env, &dir, &["douyin"]);
    // fail-on critical: Douyin's defaults give none.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("得分"), "Chinese, from the config: {text}");
    assert!(dir.join("ci/out.sarif").exists());
    // The waivers reach the report: two applied, the expired one not.
    let out = check(&env, &dir, &["douyin", "--format", "json", "--lang", "en"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let report = &doc["reports"][0];
    let finding = |id: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["setting"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(finding("online-status")["waived"], true);
    assert_eq!(
        finding("online-status")["waiver"]["reason"],
        "在线状态是产品功能"
    );
    assert_eq!(finding("private-account")["waived"], true);
    assert_eq!(finding("searchable-by-non-followers")["waived"], false);
    assert_eq!(
        finding("searchable-by-non-followers")["waiver"]["expired"],
        true
    );
    assert_eq!(report["summary"]["waived"], 2);
    // A state's own waiver wins over the project's.
    std::fs::write(
        dir.join("state.toml"),
        "app = \"douyin\"\n[waivers.online-status]\nreason = \"mine\"\n",
    )
    .unwrap();
    let out = check(
        &env,
        &dir,
        &["douyin", "--state", "state.toml", "--format", "json"],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let own = doc["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["setting"] == "online-status")
        .unwrap()
        .clone();
    assert_eq!(own["waiver"]["reason"], "mine");
    // Flags win; --no-config ignores the file.
    let out = check(&env, &dir, &["douyin", "--fail-on", "low"]);
    assert_eq!(out.status.code(), Some(1));
    let out = check(&env, &dir, &["douyin", "--no-config"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("Score"));
}

#[test]
fn a_bad_project_config_is_bad_input_at_its_line_and_column() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        (
            "fail-on = \"hgh\"\n",
            "privaudit.toml:1:11:",
            "fail-on cannot be `hgh`",
        ),
        (
            "colour = true\n",
            "privaudit.toml:1:1:",
            "unknown field `colour`",
        ),
        (
            "format = [\"yaml\"]\n",
            "privaudit.toml:1:11:",
            "`yaml` is not a format",
        ),
        (
            "[[waiver]]\nsetting = \"douyin/nope\"\nreason = \"x\"\n",
            "privaudit.toml:2:11:",
            "app `douyin` has no setting `nope`",
        ),
        (
            "[[waiver]]\nsetting = \"online-status\"\nreason = \"  \"\n",
            "privaudit.toml:3:10:",
            "a waiver needs a reason",
        ),
        (
            "[[waiver]]\nsetting = \"online-status\"\nreason = \"x\"\nexpires = 2027-02-30\n",
            "privaudit.toml:4:",
            "",
        ),
        (
            "waivers-file = \"missing.toml\"\n",
            "privaudit.toml:1:16:",
            "waivers-file",
        ),
    ];
    for (text, at, message) in cases {
        std::fs::write(dir.join("privaudit.toml"), text).unwrap();
        let out = check(&env, &dir, &["douyin"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = stderr(&out);
        assert!(err.contains(at) && err.contains(message), "{text}: {err}");
        assert_eq!(err.lines().count(), 1, "one message: {err}");
    }
    // --config names another file, which must exist.
    let out = check(&env, &dir, &["douyin", "--config", "nope.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.toml"));
}

#[test]
fn devices_and_standard_output_names_are_written_to_not_replaced() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let out = check(
        &env,
        &dir,
        &["douyin", "--format", "json", "-o", "/dev/null"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(!null.is_file(), "/dev/null is still a device");
    // /dev/stdout and `-` are standard output, even when it is a pipe.
    for name in ["/dev/stdout", "-"] {
        let out = check(&env, &dir, &["douyin", "--format", "json", "-o", name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["reports"][0]["app"]["id"], "douyin");
    }
    assert!(!dir.join("-").exists());
}

#[test]
fn a_report_never_overwrites_an_input_or_lands_among_the_states() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(dir.join("sd")).unwrap();
    let input = "{\"app\":\"douyin\"}\n";
    std::fs::write(dir.join("same.jsonl"), input).unwrap();
    std::fs::write(dir.join("sd/a.toml"), "app = \"douyin\"\n").unwrap();
    std::os::unix::fs::symlink("same.jsonl", dir.join("alias.jsonl")).unwrap();
    for args in [
        &[
            "--states-jsonl",
            "same.jsonl",
            "--format",
            "jsonl:same.jsonl",
        ][..],
        &["--states-jsonl", "same.jsonl", "-o", "./alias.jsonl"][..],
        &["--state-dir", "sd", "--format", "text:sd/report.toml"][..],
    ] {
        let out = check(&env, &dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            std::fs::read_to_string(dir.join("same.jsonl")).unwrap(),
            input
        );
        assert!(!dir.join("sd/report.toml").exists());
    }
    // Two names of one file are one file.
    let out = check(
        &env,
        &dir,
        &[
            "douyin",
            "--format",
            "json:dup.json",
            "--format",
            "sarif:./dup.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("two reports"));
}

#[test]
fn a_failed_report_leaves_the_others_unwritten() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let states: String = (0..3000)
        .map(|i| format!("{{\"app\":\"douyin\",\"id\":{i}}}\n"))
        .collect();
    std::fs::write(dir.join("many.jsonl"), states).unwrap();
    std::fs::write(dir.join("big.json"), "old").unwrap();
    let out = check(
        &env,
        &dir,
        &[
            "--states-jsonl",
            "many.jsonl",
            "--format",
            "jsonl:/dev/full",
            "--format",
            "json:big.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/dev/full"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.join("big.json")).unwrap(),
        "old"
    );
    assert!(hidden_files(&dir).is_empty());
    // An empty batch is bad input too: the old report stays.
    std::fs::write(dir.join("empty.jsonl"), "").unwrap();
    let out = check(
        &env,
        &dir,
        &[
            "--states-jsonl",
            "empty.jsonl",
            "--format",
            "sarif:big.json",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.join("big.json")).unwrap(),
        "old"
    );
}

#[test]
fn quiet_changes_nothing_but_what_is_shown() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("in.jsonl"), "{\"app\":\"douyin\"}\nnot json\n").unwrap();
    let out = check(
        &env,
        &dir,
        &[
            "--states-jsonl",
            "in.jsonl",
            "--format",
            "jsonl",
            "--detail",
            "compact",
            "-q",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "the bad line still counts");
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).contains("in.jsonl:2:"),
        "told on stderr under -q"
    );
    // JSON Lines to a file: bad states are told on stderr as well.
    let out = check(
        &env,
        &dir,
        &["--states-jsonl", "in.jsonl", "--format", "jsonl:out.jsonl"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("in.jsonl:2:"), "{}", stderr(&out));
}

#[test]
fn project_waivers_and_profile_directories_are_strict() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    let config = |text: &str| std::fs::write(dir.join("privaudit.toml"), text).unwrap();
    // The waiver naming the app wins over the one for every app.
    config(
        "[[waiver]]\nsetting = \"private-account\"\nreason = \"every app\"\n\
         [[waiver]]\nsetting = \"douyin/private-account\"\nreason = \"douyin only\"\n",
    );
    let out = check(&env, &dir, &["douyin", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = doc["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["setting"] == "private-account")
        .unwrap()["waiver"]["reason"]
        .clone();
    assert_eq!(reason, "douyin only");
    // An expired waiver gives way to one still in force, however particular.
    config(
        "[[waiver]]\nsetting = \"private-account\"\nreason = \"every app\"\n\
         [[waiver]]\nsetting = \"douyin/private-account\"\nreason = \"old\"\n\
         expires = 2001-01-01\n",
    );
    let out = check(&env, &dir, &["douyin", "--format", "json"]);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let waiver = doc["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["setting"] == "private-account")
        .unwrap()["waiver"]
        .clone();
    assert_eq!(waiver["reason"], "every app");
    assert_eq!(waiver["expired"], false);
    // One waivers file serves every job: a waiver for another app's setting is fine when
    // only WeChat Read is checked.
    config("[[waiver]]\nsetting = \"online-status\"\nreason = \"douyin's\"\n");
    let out = check(&env, &dir, &["wechat-read", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cases = [
        (
            "[[waiver]]\nsetting = \"douyin/online-status\"\nreason = \"a\"\n\
             [[waiver]]\nsetting = \"douyin/online-status\"\nreason = \"b\"\n",
            "privaudit.toml:5:11: a second waiver for `douyin/online-status` (the first is at \
             privaudit.toml:2)",
        ),
        (
            "[[waiver]]\nsetting = \"douyn/online-status\"\nreason = \"a\"\n",
            "privaudit.toml:2:11: no app `douyn`",
        ),
        (
            "profile-dirs = [\"nope\"]\n",
            "privaudit.toml:1:17: profile-dirs:",
        ),
    ];
    for (text, says) in cases {
        config(text);
        let out = check(&env, &dir, &["douyin"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(says), "{text}: {}", stderr(&out));
    }
    // A broken profile of the project's is an error, not a fallback to the built-in one.
    std::fs::write(dir.join("profiles/douyin.toml"), "broken = [\n").unwrap();
    std::fs::write(dir.join("state.toml"), "app = \"douyin\"\n").unwrap();
    config("profile-dirs = [\"profiles\"]\n");
    let out = check(&env, &dir, &["--state", "state.toml", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("douyin.toml"), "{}", stderr(&out));
}

#[test]
fn text_and_markdown_reports_say_which_states_were_not_checked() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("m.jsonl"), "{\"app\":\"douyin\"}\nnot json\n").unwrap();
    for (format, lang, heading) in [
        ("text", "en", "Not checked (1):"),
        ("markdown", "en", "## Not checked (1)"),
        ("markdown", "zh", "## 未能检查（1 项）"),
    ] {
        let out = check(
            &env,
            &dir,
            &[
                "--states-jsonl",
                "m.jsonl",
                "--format",
                format,
                "--lang",
                lang,
            ],
        );
        assert_eq!(out.status.code(), Some(2));
        let report = String::from_utf8(out.stdout).unwrap();
        assert!(report.contains(heading), "{format} {lang}: {report}");
        assert!(
            report.contains("must be a JSON object"),
            "{format}: {report}"
        );
    }
}

#[test]
fn junit_marks_findings_left_out_by_min_severity_as_skipped_not_passed() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    let out = check(
        &env,
        &dir,
        &["douyin", "--format", "junit", "--min-severity", "high"],
    );
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let case = doc
        .descendants()
        .find(|n| n.has_tag_name("testcase") && n.attribute("name") == Some("private-account"))
        .unwrap();
    let skipped = case
        .children()
        .find(|n| n.has_tag_name("skipped"))
        .expect("a medium finding left out is skipped, not passed");
    assert!(
        skipped
            .attribute("message")
            .unwrap()
            .contains("minimum severity")
    );
}

#[test]
fn a_run_ended_by_a_signal_leaves_no_temporary_file_and_the_old_report() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("out.json"), "old").unwrap();
    let mut child = env
        .std_cmd()
        .current_dir(&dir)
        .args(["check", "--states-jsonl", "-", "--format", "json:out.json"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    use std::io::Write;
    writeln!(stdin, "{{\"app\":\"douyin\"}}").unwrap();
    // Wait for the temporary file: the report is being written.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while hidden_files(&dir).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "no temporary file appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "128 + SIGTERM");
    assert!(hidden_files(&dir).is_empty(), "{:?}", hidden_files(&dir));
    assert_eq!(
        std::fs::read_to_string(dir.join("out.json")).unwrap(),
        "old"
    );
    drop(stdin);
}

#[test]
fn validate_finds_states_profiles_and_keys_as_check_does() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    // The project's own copy of Douyin, found through privaudit.toml.
    std::fs::copy("profiles/douyin.toml", dir.join("profiles/douyin.toml")).unwrap();
    std::fs::write(
        dir.join("privaudit.toml"),
        "profile-dirs = [\"profiles\"]\n",
    )
    .unwrap();
    std::fs::write(dir.join("k.jsonl"), "{\"app\":\"douyin\",\"uid\":\"u1\"}\n").unwrap();
    let validate = |args: &[&str]| {
        env.std_cmd()
            .current_dir(&dir)
            .arg("validate")
            .args(args)
            .output()
            .unwrap()
    };
    let out = validate(&["--state", "k.jsonl", "--key", "uid"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = validate(&["--state", "k.jsonl"]);
    assert_eq!(out.status.code(), Some(1), "`uid` is unknown without --key");
    // A broken project profile is what validate checks against, as check would.
    std::fs::write(dir.join("profiles/douyin.toml"), "broken = [\n").unwrap();
    std::fs::write(dir.join("s.toml"), "app = \"douyin\"\n").unwrap();
    let out = validate(&["--state", "s.toml"]);
    assert_ne!(out.status.code(), Some(0));
    let out = validate(&["--state", "s.toml", "--no-config"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_json_document_names_each_bad_state_with_its_key() {
    let env = Env::new();
    let dir = env.path("work");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("e.jsonl"),
        "{\"app\":\"douyin\",\"id\":\"a\",\"settings\":{\"x\":\"y\"}}\nnot json\n",
    )
    .unwrap();
    let out = check(
        &env,
        &dir,
        &["--states-jsonl", "e.jsonl", "--format", "json"],
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors[0]["state"], "e.jsonl:1");
    assert_eq!(errors[0]["key"], "a");
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .contains("no setting `x`")
    );
    assert_eq!(errors[1]["state"], "e.jsonl:2");
    assert!(errors[1].get("key").is_none());
}
