//! What each subcommand does; `main.rs` only parses arguments and maps the outcome to an
//! exit code.

mod check;
mod diff;
mod explain;
mod list;
mod validate;

use crate::cli::Command;
use crate::diag::Diagnostic;
use std::io::Write;
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

pub fn run(command: Option<Command>) -> Outcome {
    match command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::List(args)) => list::run(&args),
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Validate(args)) => validate::run(&args),
        Some(Command::Diff(args)) => diff::run(&args),
        Some(Command::Open(args)) => crate::tui::run(&crate::tui::Options {
            app: args.app,
            state: args.state,
            demo: args.demo,
            lang: args.lang,
        }),
        None => crate::tui::run(&crate::tui::Options::default()),
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
        eprintln!("privaudit: error: {first}{more}");
    }
    Outcome::BadInput
}

/// Write to stdout, ending quietly if the reader went away (`privaudit ... | head`).
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        // A closed pipe is not an error worth a message; there is no one to read it.
    }
}
