//! JUnit XML for CI dashboards: a test suite per report (app and state), a test case per
//! setting; a failure per unwaived finding, skipped for waived or unassessed settings; a
//! suite with one error per state that could not be checked.
//!
//! Written suite by suite as the reports come (see [`super::document`]), so the root
//! element carries no totals: JUnit readers (Jenkins, GitLab, GitHub test reporters) add
//! up the suites' own counts.

use super::{Checked, Style};
use crate::audit::explain::certainty_badge;
use crate::audit::finding_message;
use crate::diag::Diagnostic;
use crate::text::Lang;
use std::fmt::Write;

pub const OPENING: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"privaudit\">\n";
pub const CLOSING: &str = "</testsuites>\n";

/// What one test case reports.
enum Status {
    Passed,
    Failed {
        kind: &'static str,
        message: String,
        text: String,
    },
    Skipped(String),
}

/// The `<testsuite>` of one report.
pub fn suite(c: &Checked<'_>, style: Style<'_>) -> Vec<u8> {
    let name = match &c.state {
        Some(state) => format!("{} ({state})", c.report.app),
        None => format!("{} (defaults)", c.report.app),
    };
    let cases: Vec<(&str, Status)> = c
        .profile
        .settings
        .iter()
        .enumerate()
        .map(|(index, setting)| {
            let finding = c.report.findings.iter().find(|f| f.index == index);
            let status = match finding {
                Some(f) if f.waived() => {
                    let reason = f.waiver.as_ref().map_or("", |w| w.reason.as_str());
                    Status::Skipped(format!("waived: {reason}"))
                }
                Some(f) => Status::Failed {
                    kind: f.severity.id(),
                    message: format!(
                        "{} severity{}: {} -> {}",
                        f.severity.id(),
                        certainty_badge(f, Lang::En)
                            .map(|b| format!(" ({b})"))
                            .unwrap_or_default(),
                        f.current,
                        f.recommended
                    ),
                    text: finding_message(c.profile, f, style.catalog, style.lang),
                },
                None if c.report.unassessed.contains(&setting.id.as_str()) => Status::Skipped(
                    "not assessed: default unknown and not set in the state".to_owned(),
                ),
                None => Status::Passed,
            };
            (setting.id.as_str(), status)
        })
        .collect();
    let failures = cases
        .iter()
        .filter(|(_, s)| matches!(s, Status::Failed { .. }))
        .count();
    let skipped = cases
        .iter()
        .filter(|(_, s)| matches!(s, Status::Skipped(_)))
        .count();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "    <testsuite name=\"{}\" tests=\"{}\" skipped=\"{skipped}\" errors=\"0\" failures=\"{failures}\">",
        escape(&name),
        cases.len()
    );
    let class = escape(c.report.app);
    for (id, status) in &cases {
        let open = format!(
            "        <testcase name=\"{}\" classname=\"{class}\"",
            escape(id)
        );
        match status {
            Status::Passed => {
                let _ = writeln!(out, "{open}/>");
            }
            Status::Skipped(message) => {
                let _ = writeln!(
                    out,
                    "{open}>\n            <skipped message=\"{}\"/>\n        </testcase>",
                    escape(message)
                );
            }
            Status::Failed {
                kind,
                message,
                text,
            } => {
                let _ = writeln!(
                    out,
                    "{open}>\n            <failure message=\"{}\" type=\"{kind}\">{}</failure>\n        </testcase>",
                    escape(message),
                    escape(text)
                );
            }
        }
    }
    out.push_str("    </testsuite>\n");
    out.into_bytes()
}

/// A suite for a state that could not be checked: one test case in error.
pub fn error_suite(state: &str, problem: &Diagnostic) -> Vec<u8> {
    format!(
        "    <testsuite name=\"{} (input error)\" tests=\"1\" skipped=\"0\" errors=\"1\" failures=\"0\">\n        <testcase name=\"input\" classname=\"privaudit\">\n            <error message=\"{}\"/>\n        </testcase>\n    </testsuite>\n",
        escape(state),
        escape(&problem.to_string())
    )
    .into_bytes()
}

/// Escape text for XML attribute values and content. Characters XML 1.0 does not allow
/// at all (controls, U+FFFE, U+FFFF) become U+FFFD: text was made safe where it entered,
/// so this only guards the file's well-formedness.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept literally, a line break in an attribute would be read back as a space.
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if xml_allows(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn xml_allows(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_keeps_the_document_well_formed() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(
            escape("x\u{fffe}\u{ffff}\u{1}y"),
            "x\u{fffd}\u{fffd}\u{fffd}y"
        );
        assert_eq!(escape("中文\n2"), "中文&#10;2");
    }
}
