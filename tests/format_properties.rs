//! Every output format of any report parses as its format says, whatever text the profile
//! and the state carry: JSON and JSON Lines as JSON, SARIF against the official 2.1.0
//! schema, JUnit as XML, Markdown without links, images or raw HTML, GitHub workflow
//! commands one to a line, GitLab's report as JSON.

use privaudit::audit::Auditor;
use privaudit::catalog;
use privaudit::date::Date;
use privaudit::diag::Diagnostic;
use privaudit::profile::{Profile, parse_profile};
use privaudit::report::document::document;
use privaudit::report::{Checked, Format, Style};
use privaudit::source::SourceText;
use privaudit::state::{Selection, Waiver};
use privaudit::text::Lang;
use proptest::prelude::*;
use serde_json::Value;
use std::sync::OnceLock;

fn sarif_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string("tests/schemas/sarif-schema-2.1.0.json").unwrap();
        // The same one-bracket escape as tests/formats.rs explains.
        let text = text.replace(
            r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
            r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#,
        );
        let schema: Value = serde_json::from_str(&text).unwrap();
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    })
}

/// Any text, weighted toward what breaks formats: controls, markup, non-characters,
/// line separators, quotes, CJK.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\u{1b}[31m",
        "\u{0}",
        "\u{7f}",
        "\u{9b}",
        "\u{202e}",
        "\u{fffe}",
        "\u{ffff}",
        "\u{fdd0}",
        "\u{2028}",
        "\u{2029}",
        "<",
        ">",
        "&",
        "&amp;",
        "\"",
        "'",
        "]]>",
        "<script>",
        "https://evil.example",
        "www.evil.example",
        "a@evil.example",
        "*",
        "_",
        "`",
        "[x](y)",
        "![i](j)",
        "|",
        "#",
        "\\",
        "中文",
        "，。",
        "👨\u{200d}👩",
        "\n",
        "\r\n",
        "\t",
        " ",
        "x",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 1..8).prop_map(|v| v.concat()),
        any::<String>().prop_filter("labels cannot be blank", |s| !s.trim().is_empty()),
    ]
    .prop_filter("labels cannot be blank", |s| !s.trim().is_empty())
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The fixture profile with its app name and first two labels replaced by `texts`.
fn hostile_profile(texts: &[String; 3]) -> Option<Profile> {
    let text = std::fs::read_to_string("tests/fixtures/fitness-tracker.toml")
        .unwrap()
        .replace("\"Fitness Tracker\"", &quoted(&texts[0]))
        .replace("\"Who sees my runs\"", &quoted(&texts[1]))
        .replace("\"谁能看到我的跑步记录\"", &quoted(&texts[2]))
        .replace("\"Share with partner apps\"", &quoted(&texts[2]));
    let source = SourceText::from_string("hostile.toml", text);
    parse_profile(&source, catalog::builtin(), "hostile.toml", false).ok()
}

fn check_every_format(
    checked: &[Checked<'_>],
    errors: &[(String, Diagnostic)],
) -> Result<(), TestCaseError> {
    for lang in [Lang::En, Lang::Zh] {
        let style = Style {
            lang,
            color: false,
            catalog: catalog::builtin(),
        };
        let text = |format| String::from_utf8(document(format, checked, errors, style)).unwrap();

        let json: Value = serde_json::from_str(&text(Format::Json))
            .map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
        prop_assert_eq!(json["reports"].as_array().unwrap().len(), checked.len());

        let lines = text(Format::Jsonl);
        for line in lines.lines() {
            serde_json::from_str::<Value>(line)
                .map_err(|e| TestCaseError::fail(format!("JSON Lines: {e}: {line}")))?;
        }
        prop_assert_eq!(lines.lines().count(), checked.len() + errors.len());

        let sarif: Value = serde_json::from_str(&text(Format::Sarif))
            .map_err(|e| TestCaseError::fail(format!("SARIF JSON: {e}")))?;
        let problems: Vec<String> = sarif_validator()
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        prop_assert!(problems.is_empty(), "SARIF schema: {:?}", problems);
        // Aggregated, every finding counted once; the waived ones as suppressed results.
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        let count = |suppressed: bool| -> u64 {
            results
                .iter()
                .filter(|r| r.get("suppressions").is_some() == suppressed)
                .map(|r| r["occurrenceCount"].as_u64().unwrap())
                .sum()
        };
        let findings = checked.iter().flat_map(|c| &c.report.findings);
        let waived = findings.clone().filter(|f| f.waived()).count();
        prop_assert_eq!(count(true) as usize, waived);
        prop_assert_eq!(count(false) as usize, findings.count() - waived);

        let junit = text(Format::Junit);
        roxmltree::Document::parse(&junit)
            .map_err(|e| TestCaseError::fail(format!("JUnit XML: {e}")))?;

        let markdown = text(Format::Markdown);
        let mut options = comrak::Options::default();
        options.extension.autolink = true;
        options.extension.table = true;
        options.extension.tasklist = true;
        let html = comrak::markdown_to_html(&markdown, &options);
        prop_assert!(!html.contains("<a "), "a link in Markdown: {}", html);
        prop_assert!(!html.contains("<img"), "an image in Markdown: {}", html);
        prop_assert!(!html.contains("<script"), "raw HTML in Markdown: {}", html);

        // GitHub: every line a workflow command but the closing summary, one command per
        // unwaived finding and bad state; no raw carriage return can split a line.
        let github = text(Format::Github);
        let open: usize = checked
            .iter()
            .map(|c| c.report.findings.iter().filter(|f| !f.waived()).count())
            .sum();
        let mut lines: Vec<&str> = github.split('\n').collect();
        prop_assert_eq!(lines.pop(), Some(""));
        let summary = lines.pop().unwrap_or_default();
        prop_assert!(
            summary.starts_with("privaudit"),
            "GitHub summary: {}",
            summary
        );
        prop_assert_eq!(lines.len(), open + errors.len());
        for line in &lines {
            prop_assert!(!line.contains('\r'), "GitHub: {:?}", line);
            let (command, message) = line.split_once(" file=").unwrap_or_default();
            prop_assert!(
                ["::error", "::warning", "::notice"].contains(&command),
                "GitHub: {:?}",
                line
            );
            // The properties end at the first `::`: none hides in a title or file.
            let (properties, _) = message.split_once("::").unwrap_or_default();
            prop_assert!(properties.contains(",title="), "GitHub: {:?}", line);
        }

        // GitLab: a JSON array with an issue per unwaived finding and bad state, each with
        // its own fingerprint.
        let gitlab: Value = serde_json::from_str(&text(Format::Gitlab))
            .map_err(|e| TestCaseError::fail(format!("GitLab JSON: {e}")))?;
        let issues = gitlab.as_array().unwrap();
        prop_assert_eq!(issues.len(), open + errors.len());
        let mut fingerprints: Vec<&str> = issues
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap())
            .collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        prop_assert_eq!(fingerprints.len(), issues.len());

        let plain = text(Format::Text);
        prop_assert!(!plain.chars().any(|c| c.is_control() && c != '\n'));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_format_of_any_report_parses(
        texts in [hostile_text(), hostile_text(), hostile_text()],
        choices in prop::collection::vec(prop::option::of(0usize..3), 3),
        reason in hostile_text(),
        waive in any::<bool>(),
        bad_state in prop::option::of(hostile_text()),
    ) {
        let Some(profile) = hostile_profile(&texts) else {
            // The label was refused (too long, say): a diagnostic, tested elsewhere.
            return Ok(());
        };
        let auditor = Auditor::new(&profile, catalog::builtin());
        let mut selection = Selection::defaults(&profile);
        for (i, choice) in choices.iter().enumerate() {
            selection.chosen[i] = choice.map(|c| c % profile.settings[i].options.len());
        }
        if waive {
            selection.waivers[0] = Some(Waiver {
                setting: profile.settings[0].id.clone(),
                reason: privaudit::text::sanitize(&reason),
                expires: None,
                pos: Default::default(),
            });
        }
        let today = Date::new(2026, 11, 25).unwrap();
        let checked = vec![
            Checked { profile: &profile, report: auditor.audit(&Selection::defaults(&profile), today), state: None, key: None },
            Checked { profile: &profile, report: auditor.audit(&selection, today), state: Some(privaudit::text::sanitize(&reason)), key: None },
        ];
        let errors: Vec<(String, Diagnostic)> = bad_state
            .map(|text| {
                let name = privaudit::text::sanitize(&text);
                (name.clone(), Diagnostic::at_line(&name, 3, Some(1), text))
            })
            .into_iter()
            .collect();
        check_every_format(&checked, &errors)?;
    }
}
