//! How a run ends, shared by every face: the commands and the interactive auditor both
//! return an [`Outcome`], which `main` turns into the exit code. It lives below both so
//! neither face imports the other.

use crate::diag::{Diagnostic, print_error};
use std::process::ExitCode;

/// Exit codes are stable API for scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 0: nothing at or above the threshold.
    Pass,
    /// 1: a finding at or above the threshold (or, for `validate`, a problem found).
    Fail,
    /// 2: bad usage or bad input.
    BadInput,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        ExitCode::from(match outcome {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::BadInput => 2,
        })
    }
}

/// Print a file problem (the first of several, with a count of the rest) and return the
/// bad-input outcome.
pub fn fail_with(problems: &[Diagnostic]) -> Outcome {
    if let Some(first) = problems.first() {
        let more = match problems.len() {
            1 => String::new(),
            n => format!(
                " (and {} more; run `privaudit validate {}` to see all)",
                n - 1,
                crate::text::sanitize(&first.file)
            ),
        };
        print_error(format_args!("{first}{more}"));
    }
    Outcome::BadInput
}
