//! SARIF against the official schema, JUnit parsed back, Markdown read as a person would.

mod common;

use common::{Env, fixture, json, line_after, run};
use serde_json::Value;

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string("tests/schemas/sarif-schema-2.1.0.json").unwrap();
    // The official schema's `run.language` pattern ends in `]?$`: a literal `]` in
    // ECMA-262, but the meta-schema's `regex` format check rejects it. Escaping that one
    // bracket keeps the pattern's meaning and lets formats (uri, uri-reference, date-time)
    // be checked in our output.
    let unescaped = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(
        text.contains(unescaped),
        "the schema changed; revisit this workaround"
    );
    let text = text.replace(unescaped, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(doc: &Value) {
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn sarif_validates_and_points_at_the_default_line() {
    let env = Env::new();
    let (code, doc) = json(
        env.cmd()
            .args(["check", "wechat-read", "douyin", "--format", "sarif"]),
    );
    assert_eq!(code, 1);
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    // One result per unwaived finding: wechat-read 5, douyin 9.
    assert_eq!(results.len(), 14);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 14);
    let profile = std::fs::read_to_string("profiles/wechat-read.toml").unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "wechat-read/reading-info-to-friends")
        .unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "profiles/wechat-read.toml"
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let expected = line_after(&profile, "id = \"reading-info-to-friends\"", "default = ");
    assert_eq!(location["region"]["startLine"], expected);
    assert!(
        profile
            .lines()
            .nth(expected - 1)
            .unwrap()
            .starts_with("default = \"on\"")
    );
    assert_eq!(result["level"], "error");
    let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "wechat-read/reading-info-to-friends");
    let help = rule["help"]["text"].as_str().unwrap();
    assert!(help.contains("(2019)京0491民初16142号"), "{help}");
    // Each article in the help says what it is to the finding.
    assert!(
        help.contains("Chinese law today: PIPL art. 14 (in force since 2021-11-01; later than the ruling and than this app version)"),
        "{help}"
    );
    assert!(
        help.contains("EU comparison: GDPR art. 25 (applies since 2018-05-25"),
        "{help}"
    );
    assert!(
        help.contains("direct: the court ruled on this feature"),
        "{help}"
    );
    assert!(
        help.contains("Evidence: label secondary sources (our description"),
        "{help}"
    );
    assert_eq!(
        result["properties"]["rulings"],
        serde_json::json!([{"id": "huang-v-tencent-2020", "link": "direct"}])
    );
    assert_eq!(result["properties"]["certainty"], "secondary");
    assert_eq!(result["properties"]["unconfirmedDefault"], false);
    assert_eq!(result["properties"]["evidence"]["default"], "secondary");
    assert_eq!(result["properties"]["citations"][0]["layer"], "current-law");
    // The validator is not vacuous: a level SARIF does not know is refused.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!sarif_validator().is_valid(&broken));
    let levels: Vec<_> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert!(
        levels.contains(&"warning"),
        "medium findings are warnings: {levels:?}"
    );
}

#[test]
fn sarif_for_a_state_points_at_the_setting_and_skips_waived_findings() {
    let env = Env::new();
    let (code, doc) = json(env.cmd().args([
        "check",
        &fixture("fitness-tracker.toml"),
        "--state",
        &env.file("s.toml", "app = \"fitness-tracker\"\n[settings]\nactivity-visibility = \"followers\"\npartner-sharing = \"on\"\n[waivers.partner-sharing]\nreason = \"I use the partner app\"\n").display().to_string(),
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "the waived finding gives no result");
    let location = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "tests/fixtures/fitness-tracker.toml"
    );
    assert!(location["artifactLocation"].get("uriBaseId").is_none());
    let profile = std::fs::read_to_string(fixture("fitness-tracker.toml")).unwrap();
    // Chosen in the state, not by default: the setting's own line.
    let expected = line_after(&profile, "id = \"activity-visibility\"", "id = ");
    assert_eq!(location["region"]["startLine"], expected);
    assert_eq!(results[0]["level"], "warning");
}

#[test]
fn sarif_for_two_profiles_of_one_app_has_each_rule_once() {
    let env = Env::new();
    let copy = env.file(
        "wechat-read.toml",
        std::fs::read_to_string("profiles/wechat-read.toml").unwrap(),
    );
    let r = run(env.cmd().args([
        "check",
        "wechat-read",
        copy.to_str().unwrap(),
        "--format",
        "sarif",
    ]));
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_valid_sarif(&doc);
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 5);
    assert_eq!(run["results"].as_array().unwrap().len(), 10);
}

#[test]
fn sarif_with_no_findings_and_with_bad_states_is_still_valid() {
    let env = Env::new();
    let (code, doc) = json(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        &fixture("all-recommended-wechat-read.toml"),
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 0);
    assert_valid_sarif(&doc);
    assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
    let (code, doc) = json(env.cmd().args([
        "check",
        "--state",
        &fixture("all-recommended-wechat-read.toml"),
        "--state",
        &fixture("unknown-option-state.toml"),
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 2);
    assert_valid_sarif(&doc);
    let invocation = &doc["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(
        invocation["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("unknown-option-state.toml:4:27")
    );
}

fn junit(env: &Env, args: &[&str]) -> (i32, String) {
    let r = run(env.cmd().args(args).args(["--format", "junit"]));
    (r.code, r.stdout)
}

#[test]
fn junit_parses_back_with_one_failure_per_finding() {
    let env = Env::new();
    let (code, xml) = junit(&env, &["check", "wechat-read", "douyin"]);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);
    let wr = suites[0];
    assert_eq!(wr.attribute("name"), Some("wechat-read (defaults)"));
    assert_eq!(wr.attribute("tests"), Some("5"));
    assert_eq!(wr.attribute("failures"), Some("5"));
    let douyin = suites[1];
    assert_eq!(douyin.attribute("tests"), Some("12"));
    assert_eq!(douyin.attribute("failures"), Some("9"));
    assert_eq!(
        douyin.attribute("skipped"),
        Some("3"),
        "unassessed settings are skipped"
    );
    let case = douyin
        .children()
        .find(|c| c.attribute("name") == Some("recommend-me-to-people-who-may-know-me"))
        .unwrap();
    let failure = case.children().find(|c| c.has_tag_name("failure")).unwrap();
    // A direct Ling finding, but on an unverified default: medium, and the message says so.
    assert_eq!(failure.attribute("type"), Some("medium"));
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("(unconfirmed default)")
    );
    assert!(failure.text().unwrap().contains("How sure: unverified"));
    assert!(
        failure
            .text()
            .unwrap()
            .contains("Ling v. Beijing Weibo Vision")
    );
}

#[test]
fn junit_skips_waived_findings_and_carries_hostile_text() {
    let env = Env::new();
    let (code, xml) = junit(
        &env,
        &[
            "check",
            "wechat-read",
            "--state",
            &fixture("waived-wechat-read.toml"),
        ],
    );
    assert_eq!(code, 0);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("failures"), Some("0"));
    assert_eq!(suite.attribute("skipped"), Some("1"));
    let skipped = doc
        .descendants()
        .find(|n| n.has_tag_name("skipped"))
        .unwrap();
    assert!(
        skipped
            .attribute("message")
            .unwrap()
            .contains("I like competing")
    );

    let (code, xml) = junit(&env, &["check", &fixture("hostile-labels.toml")]);
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&xml)
        .expect("well-formed despite control characters in the profile");
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(failure.text().unwrap().contains("Leak^[[31m red"));
}

#[test]
fn markdown_checklist_has_the_steps_paths_and_citations() {
    let env = Env::new();
    let r = run(env
        .cmd()
        .args(["check", "wechat-read", "--format", "markdown"]));
    assert_eq!(r.code, 1);
    let md = r.stdout;
    assert!(md.starts_with("# privaudit checklist: WeChat Read 3.3.0"));
    assert_eq!(md.matches("\n- [ ] ").count(), 5, "{md}");
    assert!(md.contains("“Visible to WeChat friends who use the app” → “Only me”"));
    assert!(md.contains("Where: Bookshelf \\> select book(s) \\> Private reading"));
    assert!(md.contains("Ruling: Huang v. Tencent (WeChat Read) (Beijing Internet Court, 2020-07-30, first-instance judgment): direct: the court ruled on this feature."), "{md}");
    assert!(md.contains("Case number: (2019)京0491民初16142号."), "{md}");
    assert!(
        md.contains("Related articles (Chinese law today: Civil Code art. 1034 (in force since 2021-01-01; later than the ruling and than this app version)"),
        "{md}"
    );
    // A step the user cannot take in 3.3.0 says so and what to do instead.
    assert!(md.contains("Where: There is no switch for this in this version (3.3.0). Instead: mark books as private reading"), "{md}");
    // The leaderboard rests on a single recent source: marked, not raised.
    assert!(
        md.contains("(low, app default, unconfirmed default)"),
        "{md}"
    );
    let zh = run(env.cmd().args([
        "check",
        "wechat-read",
        "--format",
        "markdown",
        "--lang",
        "zh",
    ]))
    .stdout;
    assert!(zh.contains("位置：书架 \\> 选择书籍 \\> 私密阅读"));
    assert!(zh.contains("裁判：黄某诉腾讯（微信读书）案"), "{zh}");
    assert!(
        zh.contains("待处理：严重 3 项，高 0 项，中 1 项，低 1 项"),
        "{zh}"
    );
    assert!(!zh.contains("判决：") && !zh.contains("critical"), "{zh}");
    let waived = run(env.cmd().args([
        "check",
        "wechat-read",
        "--state",
        &fixture("waived-wechat-read.toml"),
        "--format",
        "markdown",
    ]))
    .stdout;
    assert!(waived.contains("Nothing left to change."));
    assert!(waived.contains("- [x] **Count my reading time in my friends' leaderboard**: I like competing with my friends (until 2999-12-31)"));
}

#[test]
fn markdown_escapes_profile_text() {
    let env = Env::new();
    let profile = std::fs::read_to_string(fixture("fitness-tracker.toml"))
        .unwrap()
        .replace("Who sees my runs", "[click](http://x) <b>*runs*</b>");
    let path = env.file("md.toml", profile);
    let md = run(env
        .cmd()
        .args(["check", path.to_str().unwrap(), "--format", "markdown"]))
    .stdout;
    assert!(
        md.contains("\\[click\\](http\\://x) \\<b\\>\\*runs\\*\\</b\\>"),
        "{md}"
    );
}
