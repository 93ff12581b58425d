//! Views of audit reports: every format shows the same findings.

pub mod document;
pub mod github;
pub mod gitlab;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::audit::{Finding, Report};
use crate::catalog::Catalog;
use crate::profile::{Profile, Setting};
use crate::text::Lang;

/// The report formats of `privaudit check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people, grouped by severity (the default)
    Text,
    /// One JSON document: the reports and the input errors
    Json,
    /// One JSON report per line (per state in a batch)
    Jsonl,
    /// SARIF 2.1.0 for code scanning
    Sarif,
    /// JUnit XML for CI dashboards: a suite per report, a case per setting
    Junit,
    /// A checklist of the steps to take, for people
    Markdown,
    /// GitHub Actions workflow commands: an annotation per unwaived finding
    Github,
    /// GitLab Code Quality report (JSON): an issue per unwaived finding
    Gitlab,
}

/// How much a JSON Lines line holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Detail {
    /// Everything the JSON report has: explanations, citations, evidence, flows.
    #[default]
    Full,
    /// The state, its scores, and per finding the setting, severity, certainty, whether it
    /// is by default and whether it is waived: about 7% of a full line (800 bytes against 11 KB for Douyin), for bulk
    /// pipelines.
    Compact,
}

/// A report with what it was made from.
pub struct Checked<'a> {
    pub profile: &'a Profile,
    pub report: Report<'a>,
    /// The state's name (file name or `file:line`), or `None` for the app's defaults.
    pub state: Option<String>,
    /// The JSON record's key (`--key`) as its JSON text, passed through to JSON reports.
    pub key: Option<String>,
}

/// How to render: language, colour, and the catalog for citations.
#[derive(Clone, Copy)]
pub struct Style<'a> {
    pub lang: Lang,
    pub color: bool,
    pub catalog: &'a Catalog,
}

/// The line of the profile that causes a finding: the `default = ...` line for exposure
/// by default, else the setting's `id` line. (SARIF results point at the same lines.)
pub fn finding_line(setting: &Setting, finding: &Finding<'_>) -> usize {
    if finding.by_default {
        setting.default_line.unwrap_or(setting.line)
    } else {
        setting.line
    }
}

/// "Score 0/100 (45 counting only confirmed facts)": both numbers whenever they differ, so
/// a score that rests on unconfirmed facts is never shown as settled.
pub fn score_text(report: &Report<'_>, lang: Lang) -> String {
    let (score, confirmed) = (report.score, report.score_confirmed);
    match (lang, score == confirmed) {
        (Lang::En, true) => format!("Score {score}/100"),
        (Lang::Zh, true) => format!("得分 {score}/100"),
        (Lang::En, false) => format!(
            "Score {score}/100 on the facts as reported, {confirmed}/100 counting only confirmed facts"
        ),
        (Lang::Zh, false) => {
            format!("得分：按现有事实为 {score}/100，只计已证实的事实为 {confirmed}/100")
        }
    }
}

/// "3 critical, 0 high, 1 medium, 1 low (2 resting on unconfirmed facts); 0 waived", the
/// counts every report heads with.
pub fn counts_text(s: &crate::audit::Summary, lang: Lang) -> String {
    let counts = match lang {
        Lang::En => format!(
            "{} critical, {} high, {} medium, {} low ({} resting on unconfirmed facts); {} waived",
            s.critical, s.high, s.medium, s.low, s.unconfirmed, s.waived
        ),
        Lang::Zh => format!(
            "严重 {} 项，高 {} 项，中 {} 项，低 {} 项（其中 {} 项依据未证实的事实）；已豁免 {} 项",
            s.critical, s.high, s.medium, s.low, s.unconfirmed, s.waived
        ),
    };
    match (s.left_out, lang) {
        (0, _) => counts,
        (n, Lang::En) => format!("{counts}; {n} below the minimum severity not listed"),
        (n, Lang::Zh) => format!("{counts}；另有 {n} 项低于所设的最低严重程度，未列出"),
    }
}
