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

/// Every result's `partialFingerprints`, which must be unique in the run.
fn fingerprints(doc: &Value) -> Vec<String> {
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let prints: Vec<String> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["privaudit/v2"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut unique = prints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        prints.len(),
        "fingerprints repeat: {prints:#?}"
    );
    prints
}

/// What GitHub code scanning reads from a rule, and its limits on it.
fn assert_rule_fits_github(rule: &Value) {
    for field in ["shortDescription", "fullDescription"] {
        assert!(!rule[field]["text"].as_str().unwrap().is_empty(), "{rule}");
    }
    assert!(!rule["help"]["text"].as_str().unwrap().is_empty(), "{rule}");
    assert!(
        !rule["help"]["markdown"].as_str().unwrap().is_empty(),
        "{rule}"
    );
    let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
    assert!(["error", "warning", "note"].contains(&level), "{rule}");
    // A string holding a number from 0.1 to 10.0, as GitHub expects.
    let score: f64 = rule["properties"]["security-severity"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((0.1..=10.0).contains(&score), "{rule}");
    let tags = rule["properties"]["tags"].as_array().unwrap();
    assert!(tags.len() <= 10, "GitHub keeps 10 tags per rule: {rule}");
    assert!(tags.contains(&Value::from("security")), "{rule}");
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
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["semanticVersion"], env!("CARGO_PKG_VERSION"));
    let results = run["results"].as_array().unwrap();
    // One result per finding: wechat-read 5, douyin 9.
    assert_eq!(results.len(), 14);
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 14);
    rules.iter().for_each(assert_rule_fits_github);
    assert_eq!(fingerprints(&doc).len(), 14);
    for result in results {
        // The app's defaults: one report each, no state to name.
        assert_eq!(result["occurrenceCount"], 1, "{result}");
        assert_eq!(result["properties"]["count"], 1, "{result}");
        assert!(result["properties"].get("states").is_none(), "{result}");
        assert!(result.get("suppressions").is_none(), "{result}");
    }
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
    // Neither the state nor the line: what the finding is about.
    assert_eq!(
        result["partialFingerprints"]["privaudit/v2"],
        "profiles/wechat-read.toml:wechat-read/reading-info-to-friends:on:default"
    );
    let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "wechat-read/reading-info-to-friends");
    // A confirmed default on a feature the court ruled on: raised twice, critical; the
    // rule says so where GitHub reads it.
    assert_eq!(result["properties"]["severity"], "critical");
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
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
fn sarif_for_a_state_points_at_the_setting_and_suppresses_waived_findings() {
    let env = Env::new();
    let state = env.file("s.toml", "app = \"fitness-tracker\"\n[settings]\nactivity-visibility = \"followers\"\npartner-sharing = \"on\"\n[waivers.partner-sharing]\nreason = \"I use the partner app\"\nexpires = 2999-12-31\n");
    let (code, doc) = json(env.cmd().args([
        "check",
        &fixture("fitness-tracker.toml"),
        "--state",
        state.to_str().unwrap(),
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(results.len(), 2, "the waived finding is a result too");
    rules.iter().for_each(assert_rule_fits_github);
    let open = &results[0];
    assert_eq!(open["ruleId"], "fitness-tracker/activity-visibility");
    assert!(open.get("suppressions").is_none());
    let location = &open["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "tests/fixtures/fitness-tracker.toml"
    );
    assert!(location["artifactLocation"].get("uriBaseId").is_none());
    let profile = std::fs::read_to_string(fixture("fitness-tracker.toml")).unwrap();
    // Chosen in the state, not by default: the setting's own line.
    let expected = line_after(&profile, "id = \"activity-visibility\"", "id = ");
    assert_eq!(location["region"]["startLine"], expected);
    assert_eq!(open["level"], "warning");
    assert_eq!(open["properties"]["severity"], "medium");
    assert_eq!(
        open["properties"]["states"],
        serde_json::json!([state.to_str().unwrap()])
    );
    // The rule carries the worst the setting can give (everyone, by a confirmed default:
    // critical), whichever finding this run happened to hold.
    let rule = &rules[open["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["defaultConfiguration"]["level"], "error");
    assert_eq!(rule["properties"]["security-severity"], "9.5");

    let waived = &results[1];
    assert_eq!(waived["ruleId"], "fitness-tracker/partner-sharing");
    assert_eq!(
        waived["suppressions"],
        serde_json::json!([{
            "kind": "external",
            "justification": "I use the partner app",
            "properties": { "count": 1, "expires": "2999-12-31" },
        }])
    );
    assert!(
        waived["partialFingerprints"]["privaudit/v2"]
            .as_str()
            .unwrap()
            .ends_with("/partner-sharing:on:chosen:waived")
    );

    // An expired waiver no longer suppresses anything.
    let (code, doc) = json(env.cmd().args([
        "check",
        "--state",
        &fixture("expired-waiver-wechat-read.toml"),
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "wechat-read/reading-time-leaderboard");
    assert!(results[0].get("suppressions").is_none());
}

/// A batch of WeChat Read states in JSON Lines: settings left at the default, chosen
/// exposing or chosen safe; waivers with a few shared reasons and some of their own.
fn wechat_read_batch(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        let reading = [
            "",
            "\"reading-info-to-friends\":\"on\"",
            "\"reading-info-to-friends\":\"off\"",
        ][i % 3];
        let private = match i % 4 {
            0 => "\"private-reading\":\"public\"",
            1 => "\"private-reading\":\"private\"",
            _ => "",
        };
        let settings: Vec<&str> = [reading, private]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut waivers = Vec::new();
        if i % 5 == 0 {
            // Two reasons many states share.
            waivers.push(format!(
                "\"reading-time-leaderboard\":{{\"reason\":\"shared {}\"}}",
                i % 2
            ));
        }
        if i % 7 == 0 {
            // A reason of its own, with an expiry: more distinct waivers than are listed.
            waivers.push(format!("\"wechat-friend-import\":{{\"reason\":\"own reason {i}\",\"expires\":\"2999-01-{:02}\"}}", 1 + i % 28));
        }
        out.push_str(&format!(
            "{{\"app\":\"wechat-read\",\"settings\":{{{}}},\"waivers\":{{{}}}}}\n",
            settings.join(","),
            waivers.join(",")
        ));
    }
    out
}

#[test]
fn sarif_aggregates_a_batch_and_agrees_with_json_lines() {
    let env = Env::new();
    let input = env.file("batch.jsonl", wechat_read_batch(300));
    let input = input.to_str().unwrap();
    let (code, doc) = json(
        env.cmd()
            .args(["check", "--states-jsonl", input, "--format", "sarif"]),
    );
    assert_eq!(code, 1);
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    fingerprints(&doc);

    // The per-state truth, from JSON Lines: for each (setting, option, by default,
    // waived), the states in order and their waivers.
    let lines = run(env
        .cmd()
        .args(["check", "--states-jsonl", input, "--format", "jsonl"]))
    .stdout;
    // (setting, option, by default, waived) → (state, waiver) in input order.
    type Kind = (String, String, bool, bool);
    let mut truth: Vec<(Kind, Vec<(String, Value)>)> = Vec::new();
    let mut findings = 0;
    for line in lines.lines() {
        let report: Value = serde_json::from_str(line).unwrap();
        for f in report["findings"].as_array().unwrap() {
            findings += 1;
            let key = (
                f["setting"].as_str().unwrap().to_owned(),
                f["current"].as_str().unwrap().to_owned(),
                f["by_default"].as_bool().unwrap(),
                f["waived"].as_bool().unwrap(),
            );
            let state = (
                report["state"].as_str().unwrap().to_owned(),
                f["waiver"].clone(),
            );
            match truth.iter_mut().find(|(k, _)| *k == key) {
                Some((_, states)) => states.push(state),
                None => truth.push((key, vec![state])),
            }
        }
    }
    // Far fewer results than findings: one per kind of finding, every finding counted once.
    assert_eq!(results.len(), truth.len());
    assert!(
        results.len() < 15 && findings > 1000,
        "{} results of {findings} findings",
        results.len()
    );
    let mut counted = 0;
    for result in results {
        let p = &result["properties"];
        let setting = result["ruleId"]
            .as_str()
            .unwrap()
            .strip_prefix("wechat-read/")
            .unwrap();
        let waived = result.get("suppressions").is_some();
        let key = (
            setting.to_owned(),
            p["current"].as_str().unwrap().to_owned(),
            p["byDefault"].as_bool().unwrap(),
            waived,
        );
        let (_, states) = truth
            .iter()
            .find(|(k, _)| *k == key)
            .unwrap_or_else(|| panic!("{key:?}"));
        let count = p["count"].as_u64().unwrap();
        assert_eq!(count as usize, states.len(), "{key:?}");
        assert_eq!(result["occurrenceCount"], count);
        counted += count;
        // The first ten states, in input order.
        let sample: Vec<&str> = states.iter().take(10).map(|(s, _)| s.as_str()).collect();
        assert_eq!(p["states"], serde_json::json!(sample), "{key:?}");
        if !waived {
            continue;
        }
        // One suppression per distinct waiver, in order of first use, the first ten;
        // the states of the others counted.
        let mut distinct: Vec<(Value, Value, u64)> = Vec::new();
        for (_, w) in states {
            match distinct
                .iter_mut()
                .find(|(r, e, _)| *r == w["reason"] && *e == w["expires"])
            {
                Some(d) => d.2 += 1,
                None => distinct.push((w["reason"].clone(), w["expires"].clone(), 1)),
            }
        }
        let suppressions = result["suppressions"].as_array().unwrap();
        assert_eq!(suppressions.len(), distinct.len().min(10), "{key:?}");
        for (s, (reason, expires, n)) in suppressions.iter().zip(&distinct) {
            assert_eq!(s["kind"], "external");
            assert_eq!(&s["justification"], reason);
            assert_eq!(s["properties"]["count"], *n);
            assert_eq!(
                s["properties"].get("expires").unwrap_or(&Value::Null),
                expires
            );
        }
        let unlisted: u64 = distinct.iter().skip(10).map(|d| d.2).sum();
        assert_eq!(
            p.get("waiversUnlisted")
                .and_then(Value::as_u64)
                .unwrap_or(0),
            unlisted,
            "{key:?}"
        );
        if setting == "wechat-friend-import" {
            assert!(
                unlisted > 0,
                "the batch has more distinct waivers than are listed"
            );
        }
    }
    assert_eq!(counted, findings);
}

#[test]
fn sarif_fingerprints_do_not_depend_on_state_order_or_batch_size() {
    let env = Env::new();
    let batch = wechat_read_batch(120);
    let reversed: String = batch.lines().rev().map(|l| format!("{l}\n")).collect();
    let small: String = batch.lines().take(2).map(|l| format!("{l}\n")).collect();
    let by_print = |text: &str, name: &str| {
        let path = env.file(name, text);
        let (_, doc) = json(env.cmd().args([
            "check",
            "--states-jsonl",
            path.to_str().unwrap(),
            "--format",
            "sarif",
        ]));
        assert_valid_sarif(&doc);
        let counts: std::collections::BTreeMap<String, u64> = fingerprints(&doc)
            .into_iter()
            .zip(doc["runs"][0]["results"].as_array().unwrap())
            .map(|(print, r)| (print, r["occurrenceCount"].as_u64().unwrap()))
            .collect();
        counts
    };
    let forward = by_print(&batch, "forward.jsonl");
    assert_eq!(forward, by_print(&reversed, "reversed.jsonl"));
    let small = by_print(&small, "small.jsonl");
    assert!(small.len() < forward.len());
    for (print, count) in &small {
        assert!(forward[print] > *count, "{print}");
    }
}

#[test]
fn sarif_of_30000_states_fits_github_code_scanning() {
    // GitHub code scanning refuses a run of more than 25,000 results and an upload of more
    // than 10 MB gzip-compressed. Gzip never makes JSON this repetitive larger, so a file
    // under 10 MB uncompressed is under 10 MB gzipped: no gzip dependency needed.
    const STATES: usize = 30_000;
    type Settings = &'static [(&'static str, &'static [&'static str])];
    let apps: [(&str, Settings); 2] = [
        (
            "douyin",
            &[
                ("recommend-me-to-people-who-may-know-me", &["on", "off"]),
                ("recommend-people-i-may-know", &["on", "off"]),
                ("private-account", &["off", "on"]),
                ("searchable-by-non-followers", &["on", "off"]),
                ("follow-list-visibility", &["public", "mutual", "only-me"]),
                ("third-party-content-sync", &["on", "off"]),
                ("online-status", &["on", "off"]),
                ("local-feed", &["on", "off"]),
            ],
        ),
        (
            "wechat-read",
            &[
                ("wechat-friend-import", &["on", "off"]),
                ("auto-follow-friends", &["on", "off"]),
                ("reading-info-to-friends", &["on", "off"]),
                ("private-reading", &["public", "private"]),
            ],
        ),
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let mut input = String::new();
    // Douyin states that chose to be found by people who may know them, unwaived: the
    // count their result must carry.
    let mut chosen_on = 0;
    for i in 0..STATES {
        let (app, settings) = apps[i % 2];
        let mut set = Vec::new();
        for (setting, options) in settings {
            if next(3) > 0 {
                set.push((*setting, options[next(options.len())]));
            }
        }
        // A waiver of its own (a reason no other state gives) for a quarter of the states.
        let waived = (next(4) == 0).then(|| settings[next(settings.len())].0);
        if app == "douyin"
            && set.contains(&("recommend-me-to-people-who-may-know-me", "on"))
            && waived != Some("recommend-me-to-people-who-may-know-me")
        {
            chosen_on += 1;
        }
        let settings: Vec<String> = set
            .iter()
            .map(|(s, o)| format!("\"{s}\":\"{o}\""))
            .collect();
        let waivers = waived
            .map(|s| {
                format!(
                    "\"{s}\":{{\"reason\":\"state {i} keeps this on purpose, see ticket {i}\"}}"
                )
            })
            .unwrap_or_default();
        input.push_str(&format!(
            "{{\"app\":\"{app}\",\"settings\":{{{}}},\"waivers\":{{{waivers}}}}}\n",
            settings.join(",")
        ));
    }
    let env = Env::new();
    let path = env.file("states.jsonl", input);
    let r = run(env.cmd().args([
        "check",
        "--states-jsonl",
        path.to_str().unwrap(),
        "--format",
        "sarif",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.len() < 10_000_000,
        "{} bytes: over GitHub's 10 MB even before gzip",
        r.stdout.len()
    );
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_valid_sarif(&doc);
    assert_eq!(doc["runs"].as_array().unwrap().len(), 1);
    let run = &doc["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert!(results.len() <= 25_000, "{} results", results.len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.len() <= 25_000);
    rules.iter().for_each(assert_rule_fits_github);
    for result in results {
        assert!(result["locations"].as_array().unwrap().len() <= 1_000);
        assert!(result["properties"]["states"].as_array().unwrap().len() <= 10);
        if let Some(suppressions) = result.get("suppressions") {
            assert!(suppressions.as_array().unwrap().len() <= 10);
        }
    }
    fingerprints(&doc);
    let total: u64 = results
        .iter()
        .map(|r| r["occurrenceCount"].as_u64().unwrap())
        .sum();
    assert!(
        total > STATES as u64,
        "every state's findings are counted: {total}"
    );
    let found = results
        .iter()
        .find(|r| {
            r["ruleId"] == "douyin/recommend-me-to-people-who-may-know-me"
                && r["properties"]["current"] == "on"
                && r["properties"]["byDefault"] == false
                && r.get("suppressions").is_none()
        })
        .unwrap();
    assert_eq!(found["occurrenceCount"], chosen_on);
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
    // Two files, two results for each finding, told apart by their fingerprints.
    assert_eq!(run["results"].as_array().unwrap().len(), 10);
    assert_eq!(fingerprints(&doc).len(), 10);
    // One file named twice: one result for each finding, seen twice.
    let (_, doc) =
        json(
            env.cmd()
                .args(["check", "wechat-read", "wechat-read", "--format", "sarif"]),
        );
    assert_valid_sarif(&doc);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert!(
        results.iter().all(|r| r["occurrenceCount"] == 2),
        "{results:#?}"
    );
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

#[test]
fn sarif_in_chinese_counts_unlisted_bad_states_in_chinese() {
    let env = Env::new();
    let input = env.file(
        "bad.jsonl",
        "{\"app\":\"wechat-read\",\"settings\":{\"private-reading\":\"nope\"}}\n".repeat(1003),
    );
    let r = run(env.cmd().args([
        "check",
        "--states-jsonl",
        input.to_str().unwrap(),
        "--format",
        "sarif",
        "--lang",
        "zh",
    ]));
    assert_eq!(r.code, 2);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_valid_sarif(&doc);
    let notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(
        notes.len(),
        1001,
        "the first 1,000, then one counting the rest"
    );
    assert_eq!(
        notes[1000]["message"]["text"],
        "另有 3 个账户状态无法检查，均已在标准错误输出中报告。"
    );
    let base = &doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"];
    assert!(
        !base.as_str().unwrap().contains("the"),
        "no English in Chinese output: {base}"
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
