//! GitHub Actions workflow commands: one annotation per unwaived finding, on the line of
//! the profile that causes it, so a workflow step running `privaudit check --format
//! github` shows each finding beside that line and in the run's summary.
//!
//! ```text
//! ::error file=profiles/douyin.toml,line=65,title=High: Private account::Private account: …
//! ```
//!
//! The command mirrors SARIF's `level`: `error` for critical and high, `warning` for
//! medium, `notice` for low. The title names the severity, the setting and, for an account
//! state, the state; the message is a few lines (what is exposed, where to change it, how
//! sure we are, the rulings). Bad states become `::error` lines naming the file, line and
//! column of the problem. The document ends with one plain line counting what was
//! annotated (workflow commands ignore plain lines; the log shows them).
//!
//! Escaping follows the runner's rules (`@actions/core`'s `escapeData` and
//! `escapeProperty`): in the message `%` `\r` `\n` become `%25` `%0D` `%0A`; property
//! values (file, title) also escape `:` and `,` as `%3A` and `%2C`. Every line break in
//! the text is escaped, so nothing from a profile or a state name can start a workflow
//! command of its own.

use super::{Checked, Style};
use crate::audit::explain::{certainty_sentence, how_to_change, ruling_link_sentence};
use crate::audit::{Finding, Severity, finding_summary};
use crate::diag::Diagnostic;
use crate::text::Lang;
use std::fmt::Write;

/// The workflow command for a finding of `severity` (SARIF's level, with `notice` for
/// SARIF's `note`).
pub fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

/// Escape a command's message.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value (`file=`, `title=`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn w(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// "High: Private account (state: alice.toml)" / "高风险：私密账号（账户状态：alice.toml）".
fn title(checked: &Checked<'_>, f: &Finding<'_>, lang: Lang) -> String {
    let label = checked.profile.settings[f.index].label.get(lang);
    let mut title = match lang {
        Lang::En => {
            let severity = f.severity.name(lang);
            let mut chars = severity.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            format!("{}{}: {label}", first.unwrap_or(' '), chars.as_str())
        }
        Lang::Zh => format!("{}风险：{label}", f.severity.name(lang)),
    };
    if let Some(state) = &checked.state {
        let _ = match lang {
            Lang::En => write!(title, " (state: {state})"),
            Lang::Zh => write!(title, "（账户状态：{state}）"),
        };
    }
    title
}

/// The message: a few lines a person reads in the annotation.
fn message(checked: &Checked<'_>, f: &Finding<'_>, style: Style<'_>) -> String {
    let lang = style.lang;
    let profile = checked.profile;
    let setting = &profile.settings[f.index];
    let mut lines = vec![
        finding_summary(profile, f, lang),
        format!(
            "{}{}",
            w(lang, "Where: ", "位置："),
            how_to_change(profile, setting, lang)
        ),
        certainty_sentence(f, lang),
    ];
    lines.extend(
        f.rulings
            .iter()
            .filter_map(|link| ruling_link_sentence(link, style.catalog, lang)),
    );
    if profile.builtin {
        lines.push(format!(
            "{}privaudit explain {}/{}",
            w(lang, "Details: ", "详情："),
            profile.app.id,
            setting.id
        ));
    }
    lines.join("\n")
}

/// The annotations of one report, one line each.
pub fn annotations(checked: &Checked<'_>, style: Style<'_>) -> Vec<u8> {
    let mut out = String::new();
    let file = escape_property(&checked.profile.origin);
    for f in checked.report.findings.iter().filter(|f| !f.waived()) {
        let setting = &checked.profile.settings[f.index];
        let _ = writeln!(
            out,
            "::{} file={file},line={},title={}::{}",
            command(f.severity),
            super::finding_line(setting, f),
            escape_property(&title(checked, f, style.lang)),
            escape_data(&message(checked, f, style))
        );
    }
    out.into_bytes()
}

/// An `::error` for a state that could not be checked, at the problem's file, line and
/// column.
pub fn error_line(state: &str, problem: &Diagnostic, lang: Lang) -> Vec<u8> {
    let mut properties = format!("file={}", escape_property(&problem.file));
    if let Some(line) = problem.line {
        let _ = write!(properties, ",line={line}");
        if let Some(column) = problem.column {
            let _ = write!(properties, ",col={column}");
        }
    }
    let title = match lang {
        Lang::En => format!("State {state} could not be checked"),
        Lang::Zh => format!("无法检查账户状态 {state}"),
    };
    format!(
        "::error {properties},title={}::{}\n",
        escape_property(&title),
        escape_data(&problem.to_string())
    )
    .into_bytes()
}

/// What the annotations of a document add up to, for its closing line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub reports: usize,
    /// Annotations by command: error, warning, notice.
    pub errors: usize,
    pub warnings: usize,
    pub notices: usize,
    /// States that could not be checked.
    pub bad_states: usize,
    /// Findings `--min-severity` left out: counted, so a quiet log is not taken for a
    /// clean one.
    pub left_out: usize,
}

impl Tally {
    /// Count a report's annotations (as [`annotations`] wrote them).
    pub fn add(&mut self, annotations: &[u8]) {
        self.reports += 1;
        for line in annotations.split(|&b| b == b'\n') {
            if line.starts_with(b"::error ") {
                self.errors += 1;
            } else if line.starts_with(b"::warning ") {
                self.warnings += 1;
            } else if line.starts_with(b"::notice ") {
                self.notices += 1;
            }
        }
    }

    /// The closing line: a plain line, not a command.
    pub fn summary(&self, lang: Lang) -> String {
        let findings = self.errors + self.warnings + self.notices;
        let mut out = match lang {
            Lang::En if findings == 0 => format!(
                "privaudit: {} {}, no unwaived finding",
                self.reports,
                plural(self.reports, "report", "reports")
            ),
            Lang::Zh if findings == 0 => {
                format!("privaudit：{} 份报告，没有未豁免的发现", self.reports)
            }
            Lang::En => format!(
                "privaudit: {} {}, {findings} unwaived {}: {} {} (critical or high), {} {} (medium), {} {} (low)",
                self.reports,
                plural(self.reports, "report", "reports"),
                plural(findings, "finding", "findings"),
                self.errors,
                plural(self.errors, "error", "errors"),
                self.warnings,
                plural(self.warnings, "warning", "warnings"),
                self.notices,
                plural(self.notices, "notice", "notices"),
            ),
            Lang::Zh => format!(
                "privaudit：{} 份报告，未豁免的发现 {findings} 项：错误 {} 项（严重或高），警告 {} 项（中），提示 {} 项（低）",
                self.reports, self.errors, self.warnings, self.notices
            ),
        };
        if self.left_out > 0 {
            let _ = match lang {
                Lang::En => write!(
                    out,
                    "; {} {} below the minimum severity left out",
                    self.left_out,
                    plural(self.left_out, "finding", "findings")
                ),
                Lang::Zh => write!(
                    out,
                    "；另有 {} 项低于所设的最低严重程度，未列出",
                    self.left_out
                ),
            };
        }
        if self.bad_states > 0 {
            let _ = match lang {
                Lang::En => write!(
                    out,
                    "; {} {} could not be checked",
                    self.bad_states,
                    plural(self.bad_states, "state", "states")
                ),
                Lang::Zh => write!(out, "；{} 个账户状态无法检查", self.bad_states),
            };
        }
        out.push_str(w(lang, ".\n", "。\n"));
        out
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("50% a\r\nb: c, d"),
            "50%25 a%0D%0Ab%3A c%2C d"
        );
        // Escaping `%` first keeps an escape already in the text literal.
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_property("中文，：x"), "中文，：x");
    }

    #[test]
    fn commands_mirror_sarif_levels() {
        for severity in Severity::ALL_DESC {
            let sarif = super::super::sarif::level(severity);
            let github = command(severity);
            assert_eq!(github, if sarif == "note" { "notice" } else { sarif });
        }
    }

    #[test]
    fn the_tally_counts_annotations_by_command() {
        let mut tally = Tally::default();
        tally.add(b"::error file=a,line=1::x\n::notice file=a,line=2::y\n");
        tally.add(b"");
        tally.bad_states = 1;
        assert_eq!(
            tally.summary(Lang::En),
            "privaudit: 2 reports, 2 unwaived findings: 1 error (critical or high), 0 warnings (medium), 1 notice (low); 1 state could not be checked.\n"
        );
        assert_eq!(
            tally.summary(Lang::Zh),
            "privaudit：2 份报告，未豁免的发现 2 项：错误 1 项（严重或高），警告 0 项（中），提示 1 项（低）；1 个账户状态无法检查。\n"
        );
        let mut clean = Tally::default();
        clean.add(b"");
        assert_eq!(
            clean.summary(Lang::En),
            "privaudit: 1 report, no unwaived finding.\n"
        );
        assert_eq!(
            clean.summary(Lang::Zh),
            "privaudit：1 份报告，没有未豁免的发现。\n"
        );
    }
}
