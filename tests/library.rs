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
