//! JSON and JSON Lines: the machine-readable report. Field names are stable API.

use super::{Checked, Style};
use crate::audit::{Finding, Severity, Summary, finding_message};
use serde::Serialize;

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub app: JsonApp<'a>,
    /// Where the profile came from (`profiles/douyin.toml` for a built-in one).
    pub profile: &'a str,
    /// The account state checked, or null for the app's defaults.
    pub state: Option<&'a str>,
    pub score: u8,
    pub summary: Summary,
    pub findings: Vec<JsonFinding<'a>>,
    pub unassessed: &'a [String],
}

#[derive(Serialize)]
pub struct JsonApp<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub version: &'a str,
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub setting: &'a str,
    pub label: &'a str,
    pub severity: Severity,
    pub current: &'a str,
    pub recommended: &'a str,
    pub default: Option<&'a str>,
    pub by_default: bool,
    pub data: Vec<&'static str>,
    /// The broadest audience reached beyond the recommendation.
    pub audience: &'static str,
    pub exposes: Vec<JsonFlow>,
    pub rulings: &'a [String],
    pub laws: &'a [String],
    pub waived: bool,
    pub waiver: Option<JsonWaiver<'a>>,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonFlow {
    pub data: &'static str,
    pub to: &'static str,
}

#[derive(Serialize)]
pub struct JsonWaiver<'a> {
    pub reason: &'a str,
    pub expires: Option<String>,
    pub expired: bool,
}

pub fn to_json<'a>(checked: &'a Checked<'a>, style: Style<'a>) -> JsonReport<'a> {
    let profile = checked.profile;
    let report = &checked.report;
    JsonReport {
        app: JsonApp {
            id: &report.app,
            name: report.app_name.get(style.lang),
            version: &report.version,
        },
        profile: &profile.origin,
        state: checked.state.as_deref(),
        score: report.score,
        summary: report.summary,
        findings: report
            .findings
            .iter()
            .map(|f| finding(checked, f, style))
            .collect(),
        unassessed: &report.unassessed,
    }
}

fn finding<'a>(checked: &'a Checked<'a>, f: &'a Finding, style: Style<'a>) -> JsonFinding<'a> {
    JsonFinding {
        setting: &f.setting,
        label: checked.profile.settings[f.index].label.get(style.lang),
        severity: f.severity,
        current: &f.current,
        recommended: &f.recommended,
        default: f.default.as_deref(),
        by_default: f.by_default,
        data: f.data().into_iter().map(|d| d.id()).collect(),
        audience: f.broadest_audience().id(),
        exposes: f
            .exposes
            .iter()
            .map(|flow| JsonFlow {
                data: flow.data.id(),
                to: flow.to.id(),
            })
            .collect(),
        rulings: &f.rulings,
        laws: &f.laws,
        waived: f.waived(),
        waiver: f.waiver.as_ref().map(|w| JsonWaiver {
            reason: &w.reason,
            expires: w.expires.map(|d| d.to_string()),
            expired: f.waiver_expired,
        }),
        message: finding_message(checked.profile, f, style.catalog, style.lang),
    }
}

/// `{"reports": [...], "errors": [...]}`, pretty-printed; `errors` holds one message per
/// state that could not be checked.
pub fn document(checked: &[Checked<'_>], errors: &[String], style: Style<'_>) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        reports: Vec<JsonReport<'a>>,
        errors: &'a [String],
    }
    let doc = Document {
        reports: checked.iter().map(|c| to_json(c, style)).collect(),
        errors,
    };
    serde_json::to_string_pretty(&doc).expect("reports serialise")
}

/// One report on one line.
pub fn line(checked: &Checked<'_>, style: Style<'_>) -> String {
    serde_json::to_string(&to_json(checked, style)).expect("reports serialise")
}
