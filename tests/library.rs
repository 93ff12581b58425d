//! The profile library: every built-in profile judged by the same engine, explainable in
//! both languages, and each app's profiles checked against the facts they encode.

mod common;

#[path = "library/china.rs"]
mod china;
#[path = "library/media.rs"]
mod media;
#[path = "library/social.rs"]
mod social;

use privaudit::audit::{Auditor, finding_message};
use privaudit::catalog;
use privaudit::date::Date;
use privaudit::profile::Profile;
use privaudit::state::Selection;
use privaudit::text::Lang;

/// Every built-in profile.
pub fn library() -> Vec<Profile> {
    privaudit::registry::builtin_profiles(catalog::builtin()).unwrap()
}

/// The built-in profile of this id.
pub fn profile(id: &str) -> Profile {
    library()
        .into_iter()
        .find(|p| p.app.id == id)
        .unwrap_or_else(|| panic!("no built-in profile `{id}`"))
}

pub fn today() -> Date {
    Date::new(2026, 11, 26).unwrap()
}

/// The defaults, with one setting set to one option (as a user's account state would).
pub fn choosing(profile: &Profile, setting: &str, option: &str) -> Selection {
    let index = profile
        .settings
        .iter()
        .position(|s| s.id == setting)
        .unwrap_or_else(|| panic!("{}: no setting `{setting}`", profile.app.id));
    let mut selection = Selection::defaults(profile);
    selection.chosen[index] = Some(
        profile.settings[index]
            .option_index(option)
            .unwrap_or_else(|| panic!("{setting}: no option `{option}`")),
    );
    selection
}

/// Each finding at the app's defaults: (setting id, severity id, certainty id).
pub fn findings_at_defaults(profile: &Profile) -> Vec<(String, String, String)> {
    let auditor = Auditor::new(profile, catalog::builtin());
    let report = auditor.audit(&Selection::defaults(profile), today());
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.setting.to_owned(),
                f.severity.id().to_owned(),
                f.certainty().id().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_profile_says_where_it_is_offered_and_each_finding_explains_itself_in_both_languages() {
    for profile in library() {
        assert!(
            profile.app.market.is_some(),
            "{} does not say where it is offered (market)",
            profile.app.id
        );
        let auditor = Auditor::new(&profile, catalog::builtin());
        let report = auditor.audit(&Selection::defaults(&profile), today());
        for finding in &report.findings {
            for lang in [Lang::En, Lang::Zh] {
                let message = finding_message(&profile, finding, catalog::builtin(), lang);
                assert!(
                    !message.trim().is_empty(),
                    "{}/{}",
                    profile.app.id,
                    finding.setting
                );
                if lang == Lang::Zh {
                    assert!(
                        !message.contains(". ") && !message.contains(", "),
                        "half-width punctuation in Chinese: {message}"
                    );
                }
            }
        }
    }
}

/// profiles/README.md, the authors' guide.
fn authors_guide() -> String {
    std::fs::read_to_string("profiles/README.md").unwrap()
}

#[test]
fn the_authors_guide_lists_every_data_category_and_audience_with_its_weight() {
    use privaudit::vocab::{Audience, DataCategory};
    let guide = authors_guide();
    for data in DataCategory::ALL {
        let row = guide
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", data.id())))
            .unwrap_or_else(|| panic!("profiles/README.md has no row for `{}`", data.id()));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[3], data.sensitivity().to_string(), "{row}");
    }
    for audience in Audience::ALL {
        let row = guide
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", audience.id())))
            .unwrap_or_else(|| panic!("profiles/README.md has no row for `{}`", audience.id()));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[3], audience.breadth().to_string(), "{row}");
    }
}

#[test]
fn the_authors_guide_worked_example_loads_and_is_judged_as_the_guide_says() {
    use privaudit::audit::{Layer, Severity};
    use privaudit::profile::parse_profile;
    use privaudit::source::SourceText;
    let guide = authors_guide();
    let example = guide.split("## A worked example").nth(1).unwrap();
    let toml = example
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap();
    let source = SourceText::from_string("profiles/README.md (worked example)", toml);
    let profile = parse_profile(&source, catalog::builtin(), "example", false)
        .unwrap_or_else(|problems| panic!("{problems:?}"));
    let auditor = Auditor::new(&profile, catalog::builtin());
    let report = auditor.audit(&Selection::defaults(&profile), today());
    let finding = &report.findings[0];
    assert_eq!(finding.setting, "activity-visibility");
    // 4 x 4 = 16: high; a verified default raises it to critical, an analogy link does not.
    let judged = auditor
        .judged(finding.index, finding.option, true)
        .expect("judged");
    assert_eq!(judged.base, Severity::High);
    assert_eq!(finding.severity, Severity::Critical);
    assert!(example.contains("*high*") && example.contains("*critical*"));
    let layers: Vec<Layer> = finding.citations().iter().map(|c| c.layer).collect();
    assert!(layers.contains(&Layer::CnAnalogy) && layers.contains(&Layer::EuComparison));
}

#[test]
fn every_built_in_profile_passes_strict_validation_and_opens_with_the_schema_line() {
    use privaudit::profile::{Strictness, parse_profile_with};
    use privaudit::source::SourceText;
    let mut checked = 0;
    for entry in std::fs::read_dir("profiles").unwrap() {
        let path = entry.unwrap().path();
        let name = path.display().to_string();
        if path.extension().is_none_or(|e| e != "toml") || name.ends_with("catalog.toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.lines().next(),
            Some("#:schema ./profile.schema.json"),
            "{name}"
        );
        // Strict: sources on the app and every setting, every evidence level written out,
        // reviewed, market.
        let source = SourceText::from_string(&name, &text);
        parse_profile_with(&source, catalog::builtin(), &name, true, Strictness::Strict)
            .unwrap_or_else(|problems| panic!("{problems:#?}"));
        checked += 1;
    }
    assert_eq!(checked, library().len());
}
