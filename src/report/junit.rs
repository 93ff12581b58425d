//! JUnit XML for CI dashboards: a test suite per report (app and state), a test case per
//! setting; a failure per unwaived finding, skipped for waived or unassessed settings; a
//! suite with one error per state that could not be checked.
//!
//! Written suite by suite as the reports come (see [`super::document`]), so the root
//! element carries no totals: JUnit readers (Jenkins, GitLab, GitHub test reporters) add
//! up the suites' own counts.
//!
//! **Time.** `privaudit check` gives every suite the `timestamp` of the run's start (UTC,
//! ISO 8601, to the second) and, for a state it checked, the `time` in seconds it took to
//! read, bind and audit that state, measured on the worker that did it. Nothing is
//! written once for the whole run: the root element opens the stream, before the run's
//! length is known, and readers add up the suites' times themselves. Test cases carry no
//! `time`: the engine judges a state's settings in one pass, so no per-setting time is
//! measured, and readers take a missing `time` as zero. A document rendered from reports
//! checked elsewhere (the TUI, tests) has neither attribute, and so stays the same bytes
//! from run to run.

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

/// A moment, as JUnit's `timestamp` attribute writes it: UTC to the second,
/// `2026-11-26T01:18:00Z`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub unix: u64,
}

impl Timestamp {
    pub fn now() -> Timestamp {
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Timestamp { unix }
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let date = crate::date::Date::from_unix_days((self.unix / 86_400) as i64);
        let secs = self.unix % 86_400;
        write!(
            f,
            "{date}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// When a suite was run and how long checking it took.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    /// The run's start (the same for every suite of a run).
    pub timestamp: Timestamp,
    /// Reading, binding and auditing this state.
    pub elapsed: std::time::Duration,
}

/// Seconds with microseconds, as JUnit's `time` attribute takes them: `0.000041`.
fn seconds(elapsed: std::time::Duration) -> String {
    let micros = elapsed.as_micros();
    format!("{}.{:06}", micros / 1_000_000, micros % 1_000_000)
}

/// The `<testsuite>` of one report, without `timestamp` or `time` (see [`timed_suite`]).
pub fn suite(c: &Checked<'_>, style: Style<'_>) -> Vec<u8> {
    timed_suite(c, style, None)
}

/// The `<testsuite>` of one report, with its [`Timing`] if it was measured.
pub fn timed_suite(c: &Checked<'_>, style: Style<'_>, timing: Option<Timing>) -> Vec<u8> {
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
                None if c.report.left_out.contains(&index) => Status::Skipped(
                    "below the minimum severity (--min-severity): left out of this report"
                        .to_owned(),
                ),
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
    let _ = write!(
        out,
        "    <testsuite name=\"{}\" tests=\"{}\" skipped=\"{skipped}\" errors=\"0\" failures=\"{failures}\"",
        escape(&name),
        cases.len()
    );
    if let Some(timing) = timing {
        let _ = write!(
            out,
            " timestamp=\"{}\" time=\"{}\"",
            timing.timestamp,
            seconds(timing.elapsed)
        );
    }
    out.push_str(">\n");
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

/// A suite for a state that could not be checked: one test case in error. It carries the
/// run's `timestamp` when there is one, and no `time`: the failed attempt is not timed.
pub fn error_suite(state: &str, problem: &Diagnostic, timestamp: Option<Timestamp>) -> Vec<u8> {
    let timestamp = timestamp
        .map(|t| format!(" timestamp=\"{t}\""))
        .unwrap_or_default();
    format!(
        "    <testsuite name=\"{} (input error)\" tests=\"1\" skipped=\"0\" errors=\"1\" failures=\"0\"{timestamp}>\n        <testcase name=\"input\" classname=\"privaudit\">\n            <error message=\"{}\"/>\n        </testcase>\n    </testsuite>\n",
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

    #[test]
    fn timestamps_are_utc_iso_8601_to_the_second() {
        let at = |unix| Timestamp { unix }.to_string();
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        // 2000-02-29 is day 11,016; one second before midnight.
        assert_eq!(at(11_016 * 86_400 + 86_399), "2000-02-29T23:59:59Z");
        assert_eq!(at(1_795_655_880), "2026-11-26T01:18:00Z");
    }

    #[test]
    fn times_are_seconds_with_microseconds() {
        use std::time::Duration;
        assert_eq!(seconds(Duration::from_nanos(41_999)), "0.000041");
        assert_eq!(seconds(Duration::from_millis(2_500)), "2.500000");
        assert_eq!(seconds(Duration::ZERO), "0.000000");
    }
}
