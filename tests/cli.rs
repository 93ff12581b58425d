//! The command line through the real binary: every exit code, every format, every bad
//! input. Each test runs with its own empty config and data directories.

mod common;

use common::{Env, Run, fixture, json, run};
use serde_json::Value;

fn finding<'a>(report: &'a Value, setting: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["setting"] == setting)
        .unwrap_or_else(|| panic!("no finding {setting}"))
}

/// Bad input: exit 2, nothing on stdout, exactly one line on stderr naming the file (and
/// the position, where given), and never a panic.
fn assert_bad_input(r: &Run, needle: &str) {
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "partial output: {}", r.stdout);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains(needle), "{needle:?} not in {}", r.stderr);
    assert!(!r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"));
}

#[test]
fn json_report_of_wechat_read_defaults_field_by_field() {
    let env = Env::new();
    let (code, doc) = json(env.cmd().args(["check", "wechat-read", "--format", "json"]));
    assert_eq!(
        code, 1,
        "findings at the default --fail-on low fail the check"
    );
    let reports = doc["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!(r["app"]["id"], "wechat-read");
    assert_eq!(r["app"]["name"], "WeChat Read");
    assert_eq!(r["app"]["version"], "3.3.0");
    assert_eq!(r["profile"], "profiles/wechat-read.toml");
    assert_eq!(r["state"], Value::Null);
    assert_eq!(r["score"], 0);
    // The leaderboard (single-source default) and private reading (unverified default)
    // count only in the first score.
    assert!(r["score_confirmed"].as_u64().unwrap() > 0);
    assert_eq!(r["summary"]["critical"], 3);
    assert_eq!(r["summary"]["high"], 0);
    assert_eq!(r["summary"]["medium"], 1);
    assert_eq!(r["summary"]["low"], 1);
    assert_eq!(r["summary"]["unconfirmed"], 2);
    assert_eq!(r["summary"]["waived"], 0);
    for f in r["findings"].as_array().unwrap() {
        for key in [
            "setting",
            "severity",
            "current",
            "recommended",
            "audience",
            "message",
            "label",
        ] {
            assert!(f[key].is_string(), "{key} in {f}");
        }
        for key in ["data", "rulings", "laws", "exposes", "citations"] {
            assert!(f[key].is_array(), "{key} in {f}");
        }
        assert!(f["waived"].is_boolean() && f["by_default"].is_boolean());
        assert!(["low", "medium", "high", "critical"].contains(&f["severity"].as_str().unwrap()));
    }
    let import = finding(r, "wechat-friend-import");
    assert_eq!(import["severity"], "critical");
    assert_eq!(import["certainty"], "secondary");
    assert_eq!(import["confirmed"], true);
    assert_eq!(import["evidence"]["label_kind"], "descriptive");
    assert_eq!(import["evidence"]["default"], "secondary");
    assert_eq!(import["current"], "on");
    assert_eq!(import["recommended"], "off");
    assert_eq!(import["default"], "on");
    assert_eq!(import["by_default"], true);
    assert_eq!(import["data"], serde_json::json!(["social-graph"]));
    // The friend graph comes *from* WeChat into WeChat Read itself.
    assert_eq!(import["audience"], "operator");
    assert_eq!(
        import["exposes"],
        serde_json::json!([{"data": "social-graph", "to": "operator", "from": "other-apps"}])
    );
    assert_eq!(
        import["rulings"],
        serde_json::json!([{"id": "huang-v-tencent-2020", "link": "direct"}])
    );
    let pipl23 = import["citations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["law"] == "pipl-23")
        .unwrap();
    assert_eq!(pipl23["layer"], "current-law");
    assert_eq!(pipl23["in_force"], "2021-11-01");
    assert_eq!(pipl23["later_than_ruling"], true);
    assert_eq!(pipl23["later_than_version"], true);
    assert!(
        import["laws"]
            .as_array()
            .unwrap()
            .contains(&Value::from("pipl-23"))
    );
    assert_eq!(import["waived"], false);
    assert!(
        import["message"]
            .as_str()
            .unwrap()
            .contains("Huang v. Tencent")
    );
    for setting in ["auto-follow-friends", "reading-info-to-friends"] {
        assert_eq!(
            finding(r, setting)["rulings"],
            serde_json::json!([{"id": "huang-v-tencent-2020", "link": "direct"}])
        );
    }
}

#[test]
fn douyin_and_duoshan_cite_their_rulings() {
    let env = Env::new();
    let (_, doc) = json(
        env.cmd()
            .args(["check", "douyin", "duoshan", "--format", "json"]),
    );
    let douyin = &doc["reports"][0];
    let f = finding(douyin, "recommend-me-to-people-who-may-know-me");
    assert_eq!(
        f["rulings"],
        serde_json::json!([{"id": "ling-v-douyin-2020", "link": "direct"}])
    );
    assert_eq!(f["audience"], "network");
    // Direct, but on a default seen only in imitation apps: not critical, not confirmed.
    assert_eq!(f["severity"], "medium");
    assert_eq!(f["unconfirmed_default"], true);
    assert_eq!(f["certainty"], "unverified");
    assert_eq!(f["data"], serde_json::json!(["profile-identity"]));
    let message = f["message"].as_str().unwrap();
    assert!(!message.contains("phone number"), "{message}");
    assert!(
        message.contains("seen only in apps imitating Douyin"),
        "{message}"
    );
    assert!(
        message.contains("direct: the court ruled on this feature"),
        "{message}"
    );
    for f in douyin["findings"].as_array().unwrap() {
        assert_ne!(f["severity"], "critical", "{f}");
        if f["setting"] == "find-me-via-shared-links" {
            assert_eq!(f["rulings"], serde_json::json!([]));
        }
    }
    assert!(
        douyin["score_confirmed"].as_u64().unwrap() > douyin["score"].as_u64().unwrap(),
        "the score resting on unverified defaults is shown beside the confirmed one"
    );
    assert_eq!(douyin["unassessed"].as_array().unwrap().len(), 3);
    let duoshan = &doc["reports"][1];
    let f = finding(duoshan, "wechat-qq-identity-carry-over");
    assert_eq!(
        f["rulings"],
        serde_json::json!([{"id": "tencent-v-bytedance-2019", "link": "direct"}])
    );
}

#[test]
fn every_setting_at_its_recommendation_exits_0_with_score_100() {
    let env = Env::new();
    let (code, doc) = json(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        &fixture("all-recommended-wechat-read.toml"),
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    assert_eq!(doc["reports"][0]["score"], 100);
    assert_eq!(doc["reports"][0]["findings"], serde_json::json!([]));
    assert_eq!(
        doc["reports"][0]["state"],
        "tests/fixtures/all-recommended-wechat-read.toml"
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    let env = Env::new();
    let code = |args: &[&str]| run(env.cmd().arg("check").args(args)).code;
    // Douyin's defaults are mostly unverified: nothing critical, two high findings.
    assert_eq!(code(&["douyin", "--fail-on", "critical"]), 0);
    assert_eq!(code(&["douyin", "--fail-on", "high"]), 1);
    // Both high findings rest on unverified defaults: `warn` keeps them from failing...
    assert_eq!(
        code(&["douyin", "--fail-on", "high", "--unconfirmed", "warn"]),
        0
    );
    // ...but not the confirmed medium one (personalised recommendation, secondary).
    assert_eq!(
        code(&["douyin", "--fail-on", "medium", "--unconfirmed", "warn"]),
        1
    );
    assert_eq!(
        code(&["duoshan", "--fail-on", "critical"]),
        0,
        "duoshan's worst is high"
    );
    assert_eq!(code(&["duoshan", "--fail-on", "high"]), 1);
    assert_eq!(code(&["douyin", "--fail-on", "never"]), 0);
}

#[test]
fn waived_findings_are_reported_but_do_not_fail_until_expired() {
    let env = Env::new();
    let (code, doc) = json(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        &fixture("waived-wechat-read.toml"),
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let f = finding(&doc["reports"][0], "reading-time-leaderboard");
    assert_eq!(f["waived"], true);
    assert_eq!(f["waiver"]["reason"], "I like competing with my friends");
    assert_eq!(f["waiver"]["expires"], "2999-12-31");
    assert_eq!(doc["reports"][0]["summary"]["waived"], 1);

    let (code, doc) = json(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        &fixture("expired-waiver-wechat-read.toml"),
        "--format",
        "json",
    ]));
    assert_eq!(code, 1);
    let f = finding(&doc["reports"][0], "reading-time-leaderboard");
    assert_eq!(f["waived"], false);
    assert_eq!(f["waiver"]["expired"], true);
}

#[test]
fn jsonl_prints_one_report_per_line_in_order() {
    let env = Env::new();
    let r = run(env.cmd().args([
        "check",
        "wechat-read",
        "douyin",
        "wechat",
        "--format",
        "jsonl",
    ]));
    assert_eq!(r.code, 1);
    let ids: Vec<String> = r
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["app"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["wechat-read", "douyin", "wechat"]);
}

#[test]
fn text_report_colours_only_when_allowed() {
    let env = Env::new();
    let never = run(env.cmd().args(["check", "douyin", "--color", "never"]));
    assert!(!never.stdout.contains('\x1b'));
    assert!(never.stdout.contains("HIGH") && never.stdout.contains("Ling v. Beijing Weibo Vision"));
    let always = run(env.cmd().args(["check", "douyin", "--color", "always"]));
    assert!(always.stdout.contains("\x1b[31mHIGH\x1b[0m"));
    // auto: stdout is a pipe here, and NO_COLOR is set too.
    let auto = run(env.cmd().args(["check", "douyin"]).env("NO_COLOR", "1"));
    assert!(!auto.stdout.contains('\x1b'));
    // JSON never carries colour, whatever --color says.
    let json = run(env
        .cmd()
        .args(["check", "douyin", "--format", "json", "--color", "always"]));
    assert!(!json.stdout.contains('\x1b'));
}

#[test]
fn chinese_output() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["check", "wechat-read", "--lang", "zh", "--color", "never"]));
    assert!(
        r.stdout.contains("微信读书") && r.stdout.contains("严重风险"),
        "{}",
        r.stdout
    );
    let (_, doc) =
        json(
            env.cmd()
                .args(["check", "wechat-read", "--lang", "zh", "--format", "json"]),
        );
    let f = finding(&doc["reports"][0], "reading-info-to-friends");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("黄某诉腾讯（微信读书）案（北京互联网法院，2020-07-30，一审判决）：直接相关")
    );
    assert_eq!(doc["reports"][0]["app"]["name"], "微信读书");
}

#[test]
fn the_interactive_auditor_refuses_a_pipe_and_points_to_check() {
    let env = Env::new();
    for args in [
        &[][..],
        &["open", "wechat-read"][..],
        &["open", "--demo"][..],
        // The auditor's own flags work without the `open` command too.
        &["--lang", "zh", "--demo"][..],
    ] {
        let r = run(env.cmd().args(args));
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stdout.is_empty(), "nothing is drawn into a pipe");
        assert!(
            r.stderr.contains("needs a terminal") && r.stderr.contains("privaudit check"),
            "{}",
            r.stderr
        );
    }
    // --state only makes sense with an app to open.
    assert_eq!(run(env.cmd().args(["open", "--state", "x.toml"])).code, 2);
    // The auditor's flags are not another command's.
    let r = run(env.cmd().args(["--lang", "zh", "check", "wechat-read"]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

#[test]
fn list_shows_builtin_and_user_profiles() {
    let env = Env::new();
    let r = run(env.cmd().arg("list"));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("wechat-read") && r.stdout.contains("微信读书"));
    env.file(
        "config/privaudit/profiles/fitness-tracker.toml",
        std::fs::read(fixture("fitness-tracker.toml")).unwrap(),
    );
    let (code, rows) = json(env.cmd().args(["list", "--format", "json"]));
    assert_eq!(code, 0);
    let rows = rows.as_array().unwrap();
    let builtin = rows.iter().filter(|r| r["source"] == "built-in").count();
    assert_eq!(rows.len(), builtin + 1);
    let user = rows.iter().find(|r| r["id"] == "fitness-tracker").unwrap();
    assert_eq!(user["source"], "user");
    assert_eq!(user["settings"], 3);
    let wechat_read = rows.iter().find(|r| r["id"] == "wechat-read").unwrap();
    assert_eq!(wechat_read["name_zh"], "微信读书");
    assert_eq!(wechat_read["version"], "3.3.0");
    // A user profile is found by its id too.
    let r = run(env
        .cmd()
        .args(["check", "fitness-tracker", "--color", "never"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Who sees my runs"));
}

#[test]
fn list_names_a_broken_user_profile_and_still_lists_the_rest() {
    let env = Env::new();
    env.file("config/privaudit/profiles/broken.toml", "[app\n");
    let r = run(env.cmd().arg("list"));
    // `list` lists what is available: a broken file of the user's is a warning, not bad
    // input to `list`.
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("wechat-read"));
    assert!(
        r.stderr.contains("warning: ") && r.stderr.contains("broken.toml:1:"),
        "{}",
        r.stderr
    );
}

#[test]
fn explain_a_ruling_gives_court_date_and_case_number() {
    let env = Env::new();
    let r = run(env.cmd().args(["explain", "huang-v-tencent-2020"]));
    assert_eq!(r.code, 0);
    for needle in [
        "Beijing Internet Court",
        "2020-07-30",
        "(2019)京0491民初16142号",
        "first-instance",
        "RMB 6,600",
        "wechat-read/reading-info-to-friends",
    ] {
        assert!(r.stdout.contains(needle), "{needle} not in {}", r.stdout);
    }
    let r = run(env.cmd().args(["explain", "tencent-v-bytedance-2019"]));
    assert!(r.stdout.contains("Case number: not known") && r.stdout.contains("[unverified]"));
    assert!(r.stdout.contains("Tianjin Binhai New Area People's Court"));
    let r = run(env
        .cmd()
        .args(["explain", "ling-v-douyin-2020", "--lang", "zh"]));
    assert!(r.stdout.contains("(2019)京0491民初6694号") && r.stdout.contains("北京互联网法院"));
}

#[test]
fn the_tianjin_order_is_explained_as_an_interim_ruling_with_its_laws_note() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["explain", "tencent-v-bytedance-2019", "--lang", "zh"]));
    assert_eq!(r.code, 0);
    let out = &r.stdout;
    assert!(out.contains("性质：诉中行为保全裁定"), "{out}");
    assert!(
        out.contains("并非裁定本身援引的法条"),
        "the laws note: {out}"
    );
    assert!(out.contains("法院自身的裁判依据：未能查到"), "{out}");
    assert!(
        out.contains("原定于 2023 年 8 月 16 日"),
        "scheduled, not held: {out}"
    );
    // The withdrawn deletion request is not presented as rejected.
    assert!(out.contains("撤回") && !out.contains("未予支持"), "{out}");
    assert!(
        !out.contains("判决与法律") && !out.contains("法律依据"),
        "{out}"
    );
    assert!(
        out.contains("《个人信息保护法》第23条（2021-11-01 起施行；晚于该裁判）"),
        "{out}"
    );
    let en = run(env.cmd().args(["explain", "tencent-v-bytedance-2019"]));
    assert!(
        en.stdout
            .contains("interim conduct-preservation order (a ruling, not a judgment)")
    );
    assert!(
        en.stdout.contains("not the order's own citations"),
        "{}",
        en.stdout
    );
    // GDPR is an EU comparison with its date of application, never a Chinese court's basis.
    let gdpr = run(env.cmd().args(["explain", "gdpr-25", "--lang", "zh"]));
    assert!(
        gdpr.stdout.contains("欧盟《通用数据保护条例》第25条"),
        "{}",
        gdpr.stdout
    );
    assert!(!gdpr.stdout.contains("《欧盟《"), "{}", gdpr.stdout);
    assert!(gdpr.stdout.contains("2018-05-25 起适用"), "{}", gdpr.stdout);
}

#[test]
fn chinese_reports_carry_no_english_and_no_known_wording_errors() {
    let env = Env::new();
    for app in ["wechat-read", "douyin", "duoshan", "wechat"] {
        for format in ["text", "markdown", "json"] {
            let r = run(env.cmd().args([
                "check", app, "--lang", "zh", "--format", format, "--color", "never",
            ]));
            let out = &r.stdout;
            for wrong in [
                "已安全",
                "你的发布的内容",
                "可能认识我的人",
                "动态与在线状态",
                "《欧盟《",
                "法律依据",
                "判决：",
                "critical,",
                "recent build",
                "2019 launch",
                "2022 builds",
                "依据:",
                "Related articles",
                "How sure",
            ] {
                assert!(!out.contains(wrong), "{app} {format}: {wrong:?} in\n{out}");
            }
        }
    }
    // Every finding says how sure it is, in words.
    let r = run(env
        .cmd()
        .args(["check", "douyin", "--lang", "zh", "--color", "never"]));
    assert!(
        r.stdout.contains("默认值未经核实：仅见于仿制抖音的应用"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("直接相关：法院就这一功能作出了裁判"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("类比：法院未就此设置作出裁判"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("并不会阻止应用获取你的通讯录"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("只计已证实的事实为"), "{}", r.stdout);
    assert!(
        !r.stdout.contains("手机号 -> "),
        "the number is not shown to anyone: {}",
        r.stdout
    );
}

#[test]
fn explain_laws_apps_and_settings() {
    let env = Env::new();
    let r = run(env.cmd().args(["explain", "pipl-23"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("separate consent") && r.stdout.contains("huang-v-tencent-2020"));
    let r = run(env
        .cmd()
        .args(["explain", "douyin/recommend-me-to-people-who-may-know-me"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Ways to find me") && r.stdout.contains("(2019)京0491民初6694号"));
    assert!(
        r.stdout.contains("[unverified]"),
        "the default's evidence level is shown"
    );
    let r = run(env.cmd().args(["explain", "wechat"]));
    assert!(r.stdout.contains("wechat/strangers-see-ten-posts"));
    assert_bad_input(
        &run(env.cmd().args(["explain", "nobody-v-nothing"])),
        "nobody-v-nothing",
    );
    assert_bad_input(
        &run(env.cmd().args(["explain", "douyin/dark-mode"])),
        "no such setting",
    );
}

#[test]
fn validate_reports_every_problem_as_file_line_column() {
    let env = Env::new();
    let ok = run(env.cmd().args([
        "validate",
        &fixture("fitness-tracker.toml"),
        "profiles/douyin.toml",
    ]));
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert_eq!(ok.stdout.matches(": ok (").count(), 2);
    let bad = run(env.cmd().args(["validate", &fixture("bad-ids.toml")]));
    assert_eq!(bad.code, 1);
    assert_eq!(bad.stdout.lines().count(), 12, "{}", bad.stdout);
    for line in bad.stdout.lines() {
        let mut parts = line.splitn(4, ':');
        assert_eq!(parts.next(), Some("tests/fixtures/bad-ids.toml"));
        assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
        assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{line}");
    }
    let missing = run(env.cmd().args(["validate", "no/such.toml"]));
    assert_eq!(missing.code, 2);
}

#[test]
fn bad_profiles_exit_2_with_one_message() {
    let env = Env::new();
    let check = |target: &str| run(env.cmd().args(["check", target]));
    assert_bad_input(
        &check(&fixture("malformed.toml")),
        "tests/fixtures/malformed.toml:3:",
    );
    assert_bad_input(
        &check(&fixture("wrong-type.toml")),
        "tests/fixtures/wrong-type.toml:5:11: invalid type",
    );
    assert_bad_input(
        &check(&fixture("bad-ids.toml")),
        "bad-ids.toml:3:8: app name has no Chinese (zh) text (and 11 more; run `privaudit validate",
    );
    assert_bad_input(&check("tests/fixtures"), "tests/fixtures: is a directory");
    assert_bad_input(
        &check("tests/fixtures/none.toml"),
        "tests/fixtures/none.toml: no such file",
    );
    let mut known: Vec<String> =
        privaudit::registry::builtin_profiles(privaudit::catalog::builtin())
            .unwrap()
            .into_iter()
            .map(|p| p.app.id)
            .collect();
    known.sort();
    assert_bad_input(
        &check("no-such-app"),
        &format!("no such app; known apps: {}", known.join(", ")),
    );
    let empty = env.file("empty.toml", "");
    assert_bad_input(&check(empty.to_str().unwrap()), "empty.toml: file is empty");
    let utf8 = env.file("latin1.toml", b"[app]\nid = \"caf\xe9\"\n");
    assert_bad_input(
        &check(utf8.to_str().unwrap()),
        "latin1.toml:2:10: invalid UTF-8 (byte 0xE9)",
    );
    // Profiles may be large (tens of thousands of settings); account states may not.
    let big = env.file("big.toml", vec![b'#'; 65 * 1024 * 1024]);
    assert_bad_input(
        &check(big.to_str().unwrap()),
        "big.toml: file is larger than the 64 MiB limit",
    );
    let states = big.parent().unwrap().join("states");
    std::fs::create_dir(&states).unwrap();
    let big_state = states.join("big-state.toml");
    std::fs::write(&big_state, vec![b'#'; 5 * 1024 * 1024]).unwrap();
    for state in ["--state", "--state-dir"] {
        let target = match state {
            "--state" => big_state.clone(),
            _ => states.clone(),
        };
        let r = run(env.cmd().args(["check", "wechat-read", state]).arg(&target));
        if state == "--state" {
            assert_bad_input(&r, "big-state.toml: file is larger than the 4 MiB limit");
        } else {
            // In a batch the report goes on, and closes by naming what it could not check.
            assert_eq!(r.code, 2);
            assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
            assert!(r.stdout.starts_with("Not checked (1)"), "{}", r.stdout);
            assert!(
                r.stdout
                    .contains("big-state.toml: file is larger than the 4 MiB limit")
            );
        }
    }
    let nested = env.file("nested.toml", format!("a = {}", "[".repeat(200_000)));
    assert_bad_input(&check(nested.to_str().unwrap()), "nested.toml:1:");
    let tables = env.file("tables.toml", format!("a = {}", "{ b = ".repeat(100_000)));
    assert_bad_input(&check(tables.to_str().unwrap()), "tables.toml:1:");
}

#[test]
fn bad_states_exit_2_with_one_message() {
    let env = Env::new();
    let with_state = |state: &str| run(env.cmd().args(["check", "wechat-read", "--state", state]));
    assert_bad_input(
        &with_state(&fixture("unknown-option-state.toml")),
        "unknown-option-state.toml:4:27: setting `reading-info-to-friends` has no option `friends-of-friends` (options: on, off)",
    );
    assert_bad_input(
        &with_state(&fixture("other-app-state.toml")),
        "other-app-state.toml:1:7: state is for app `douyin`, which is not being checked (wechat-read)",
    );
    assert_bad_input(
        &with_state(&fixture("unknown-setting-state.toml")),
        "unknown-setting-state.toml:3:1: app `wechat-read` has no setting `dark-mode`",
    );
    assert_bad_input(&with_state(&fixture("malformed.toml")), "malformed.toml:3:");
    let empty = env.file("empty-state.toml", "\n\n");
    assert_bad_input(
        &with_state(empty.to_str().unwrap()),
        "empty-state.toml: file is empty",
    );
    let no_reason = env.file(
        "no-reason.toml",
        "app = \"wechat-read\"\n[waivers.private-reading]\nexpires = 2030-01-01\n",
    );
    assert_bad_input(
        &with_state(no_reason.to_str().unwrap()),
        "no-reason.toml:2:1: missing field `reason`",
    );
    let bad_date = env.file("bad-date.toml", "app = \"wechat-read\"\n[waivers.private-reading]\nreason = \"x\"\nexpires = 2030-01-01T10:00:00\n");
    assert_bad_input(
        &with_state(bad_date.to_str().unwrap()),
        "bad-date.toml:4:11: `expires` must be a date",
    );
    assert_bad_input(&with_state("tests"), "tests: is a directory");
}

#[test]
fn bad_usage_exits_2() {
    let env = Env::new();
    assert_eq!(run(env.cmd().arg("check")).code, 2);
    assert_eq!(
        run(env.cmd().args(["check", "douyin", "--format", "xml"])).code,
        2
    );
    assert_eq!(
        run(env
            .cmd()
            .args(["check", "douyin", "--fail-on", "sometimes"]))
        .code,
        2
    );
    assert_eq!(run(env.cmd().arg("frobnicate")).code, 2);
    let help = run(env.cmd().args(["check", "--help"]));
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Examples:") && help.stdout.contains("Exit codes"));
}

#[test]
fn bom_and_crlf_files_work() {
    let env = Env::new();
    for state in ["crlf-state.toml", "bom-state.toml"] {
        let r = run(env.cmd().args([
            "check",
            "wechat-read",
            "--state",
            &fixture(state),
            "--format",
            "json",
        ]));
        assert_eq!(r.code, 1, "{state}: {}", r.stderr);
    }
    let profile = std::fs::read_to_string(fixture("fitness-tracker.toml")).unwrap();
    let crlf = env.file(
        "crlf-profile.toml",
        format!("\u{feff}{}", profile.replace('\n', "\r\n")),
    );
    let r = run(env
        .cmd()
        .args(["check", crlf.to_str().unwrap(), "--format", "json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn control_characters_from_profiles_never_reach_the_output() {
    let env = Env::new();
    let hostile = fixture("hostile-labels.toml");
    for format in ["text", "json", "jsonl"] {
        let r = run(env
            .cmd()
            .args(["check", &hostile, "--format", format, "--color", "never"]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        let bad = |c: char| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c);
        assert!(!r.stdout.chars().any(bad), "{format}: {:?}", r.stdout);
        if format == "text" {
            assert!(
                r.stdout.contains("Hostile^[[2J^[]0;pwned^G"),
                "{}",
                r.stdout
            );
            assert!(r.stdout.contains("Leak^[[31m red"));
        } else {
            // serde_json would escape raw controls as \u001b; we want them gone before that.
            assert!(!r.stdout.contains("\\u001b") && !r.stdout.contains("\\u0000"));
        }
    }
    // Error messages quoting hostile text are made safe too.
    let state = env.file(
        "evil-state.toml",
        "app = \"wechat-read\"\n[settings]\n\"x\\u001b[2J\" = \"on\"\n",
    );
    let r = run(env
        .cmd()
        .args(["check", "wechat-read", "--state", state.to_str().unwrap()]));
    assert_bad_input(&r, "has no setting `x^[[2J`");
    assert!(!r.stderr.contains('\x1b'));
}

#[test]
fn output_to_a_closed_pipe_is_not_an_error() {
    use std::process::{Command as StdCommand, Stdio};
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("privaudit");
    let mut child = StdCommand::new(bin)
        .args([
            "check",
            "douyin",
            "wechat",
            "wechat-read",
            "--format",
            "json",
        ])
        .env("HOME", env.home.path())
        .env("XDG_CONFIG_HOME", env.home.path().join("config"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the verdict still decides the exit code"
    );
}

#[test]
fn chinese_markdown_uses_full_width_punctuation_without_stray_spaces() {
    let env = Env::new();
    let state = env.file(
        "wr.toml",
        "app = \"wechat-read\"\n\n[waivers.auto-follow-friends]\nreason = \"只和家人比较\"\nexpires = 2099-06-30\n",
    );
    let r = run(env
        .cmd()
        .args([
            "check",
            "wechat-read",
            "--format",
            "markdown",
            "--lang",
            "zh",
            "--state",
        ])
        .arg(&state));
    assert_eq!(r.code, 1, "{}", r.stderr);
    for bad in ["： ", "。 ", "**: ", "(有效", "有效至 2099"] {
        assert!(
            !r.stdout.contains(bad),
            "{bad:?} in the Chinese checklist:\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("# privaudit 检查清单：微信读书"));
    assert!(
        r.stdout.contains("：只和家人比较（有效期至 2099-06-30）"),
        "{}",
        r.stdout
    );
}

#[test]
fn explain_shows_the_events_a_setting_names_as_context_and_explains_an_event_by_id() {
    let env = Env::new();
    let text = std::fs::read_to_string(fixture("fitness-tracker.toml")).unwrap();
    let with_event = text.replacen(
        "id = \"activity-visibility\"",
        "id = \"activity-visibility\"\nevents = [\"strava-heatmap-2018\"]",
        1,
    );
    assert_ne!(with_event, text);
    env.file("config/privaudit/profiles/fitness-tracker.toml", with_event);
    let r = run(env
        .cmd()
        .args(["explain", "fitness-tracker/activity-visibility"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Events"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("Strava's Global Heatmap shows military bases")
            && r.stdout.contains("secondary sources")
            && r.stdout.contains("not a ruling on this setting"),
        "{}",
        r.stdout
    );
    let r = run(env.cmd().args([
        "explain",
        "fitness-tracker/activity-visibility",
        "--lang",
        "zh",
    ]));
    assert!(
        r.stdout.contains("相关事件") && r.stdout.contains("并非针对此设置的裁判"),
        "{}",
        r.stdout
    );
    let r = run(env.cmd().args(["explain", "venmo-ftc-2018"]));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("regulator's action") && r.stdout.contains("single source"));
    // An unknown event id in a profile is a problem at its place.
    let broken = text.replacen(
        "id = \"activity-visibility\"",
        "id = \"activity-visibility\"\nevents = [\"no-such-event\"]",
        1,
    );
    let path = env.file("broken.toml", broken);
    let r = run(env.cmd().arg("validate").arg(&path));
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains(":13:11: unknown event id `no-such-event`"),
        "{}",
        r.stdout
    );
}
