//! `privaudit check`: audit apps (their defaults, or account states) and report.

mod checker;
mod lines;

use super::{Out, Outcome, fail_with};
use crate::audit::{Auditor, Severity, Unconfirmed};
use crate::batch::{self, CHUNK, JsonLines, StateInput};
use crate::catalog::{self, Catalog};
use crate::cli::{BadInput, CheckArgs, Detail, Format};
use crate::date::Date;
use crate::diag::{Diagnostic, print_error};
use crate::profile::Profile;
use crate::registry;
use crate::report::document::DocumentWriter;
use crate::report::{Style, junit};
use crate::state::Selection;
use checker::{Checker, Done, StateResult};
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub fn run(args: &CheckArgs) -> Outcome {
    if args.detail == Detail::Compact && args.format != Format::Jsonl {
        print_error("--detail compact is a form of JSON Lines: use it with --format jsonl");
        return Outcome::BadInput;
    }
    if ["app", "settings", "waivers", ""].contains(&args.key.as_str()) {
        print_error(format_args!(
            "--key names the field that holds a record's key; `{}` cannot be one (`app`, \
             `settings` and `waivers` are the state itself)",
            crate::text::sanitize(&args.key)
        ));
        return Outcome::BadInput;
    }
    let catalog = catalog::builtin();
    let profiles = match profiles(args, catalog) {
        Ok(p) => p,
        Err(problems) => return fail_with(&problems),
    };
    let style = Style {
        lang: args.lang,
        color: args.format == Format::Text && args.color.enabled(),
        catalog,
    };
    let auditors: Vec<Auditor<'_>> = profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
    let workers = batch::workers();
    let mut checker = Checker::new(&auditors, args, style, Date::today(), workers);
    let started = junit::Timestamp::now();
    checker.started = Some(started);
    let has_states =
        !args.state.is_empty() || args.state_dir.is_some() || args.states_jsonl.is_some();
    if !has_states {
        let mut out = Output::new(args, style, started);
        for (index, auditor) in auditors.iter().enumerate() {
            let timer = Instant::now();
            let selection = Selection::defaults(auditor.profile);
            let checked = checker.report(index, &selection, None);
            let elapsed = timer.elapsed();
            let fails = checker.gate.fails(&checked.report);
            let piece = checker.render_timed(&checked, Some(elapsed));
            out.add_state(Ok((Some(piece), fails)));
        }
        return out.finish();
    }
    // A single state file given with --state is input like a profile: if it is bad,
    // nothing is reported. In a batch, a bad state is reported on its own and the
    // others are still checked.
    let single = args.state.len() == 1 && args.state_dir.is_none() && args.states_jsonl.is_none();
    checker.one_by_one = single;
    let checker = checker;
    let dir_files: Box<dyn Iterator<Item = StateInput> + Send> = match &args.state_dir {
        Some(dir) => match batch::state_dir_inputs(dir) {
            Ok(files) => Box::new(files),
            Err(problem) => return fail_with(&[problem]),
        },
        None => Box::new(std::iter::empty()),
    };
    // A block of JSON Lines records is checked and written as one: many records when
    // their lines are small, as many as a chunk of states otherwise.
    let block_records = match (args.format, args.detail) {
        (Format::Jsonl, Detail::Compact) => 16 * CHUNK,
        _ => CHUNK,
    };
    let lines =
        |reader: Box<dyn Read + Send>, name: &str| -> Box<dyn Iterator<Item = StateInput> + Send> {
            Box::new(JsonLines::new(reader, name).block_records(block_records))
        };
    let jsonl = match args.states_jsonl.as_deref() {
        None => Box::new(std::iter::empty()),
        Some("-") => lines(Box::new(std::io::stdin()), "stdin"),
        Some(path) => match std::fs::File::open(path) {
            Ok(file) if !file.metadata().is_ok_and(|m| m.is_dir()) => lines(Box::new(file), path),
            Ok(_) => {
                return fail_with(&[Diagnostic::whole_file(path, "is a directory, not a file")]);
            }
            Err(e) => {
                return fail_with(&[Diagnostic::whole_file(path, format!("cannot open: {e}"))]);
            }
        },
    };
    let files = args
        .state
        .iter()
        .map(|path| StateInput::Files(vec![path.clone()]));
    let inputs = batch::grouped(files)
        .into_iter()
        .chain(dir_files)
        .chain(jsonl);
    // Once the reader has gone away (`| head`), reports are no longer rendered, but every
    // state is still checked: the exit code is the verdict on the whole input, which a CI
    // gate reading `${PIPESTATUS[0]}` relies on.
    let rendering = AtomicBool::new(true);
    let job = |worker: usize, input: &StateInput| {
        let done = checker.check(worker, input, rendering.load(Ordering::Relaxed));
        (done, input.ends_idle())
    };
    let mut out = Output::new(args, style, started);
    let mut fatal = None;
    batch::ordered_pipeline(
        inputs,
        workers,
        CHUNK,
        StateInput::weight,
        job,
        |(done, idle)| {
            if single
                && let Done::States(results) = &done
                && let Some(Err(unchecked)) = results.first()
            {
                fatal = Some(fail_with(std::slice::from_ref(&unchecked.problem)));
                return false;
            }
            if let Some(buffer) = out.add(done) {
                checker.recycle(buffer);
            }
            // Input has gone quiet (a live stream, a filter in an engine): its results go out
            // now, not when the output buffer fills. A failed flush is recorded by `Out`.
            if idle {
                let _ = out.writer.flush();
            }
            if out.reader_gone() {
                rendering.store(false, Ordering::Relaxed);
            }
            !out.write_failed()
        },
    );
    if let Some(outcome) = fatal {
        // Bad input gives no partial report: drop the document's opening unwritten.
        out.writer.into_output().discard();
        return outcome;
    }
    // Standard input in and JSON Lines out is a filter: inside an engine (Spark's
    // `RDD.pipe`, Hadoop Streaming), an empty partition is normal.
    let filter = args.states_jsonl.as_deref() == Some("-") && args.format == Format::Jsonl;
    if out.read == 0 && !args.allow_empty && !filter {
        print_error(
            "the batch held no account state to check (an empty --state-dir or JSON Lines \
             input); pass --allow-empty if that is expected",
        );
        out.nothing_read = true;
    }
    out.finish()
}

fn profiles(args: &CheckArgs, catalog: &Catalog) -> Result<Vec<Profile>, Vec<Diagnostic>> {
    if args.apps.is_empty() {
        // Every state names its app: any built-in or user profile may be needed. A broken
        // user profile is left out, and said so: its states would otherwise fail with
        // "no profile for app" and no reason.
        let (profiles, problems) = registry::all_profiles(catalog);
        for problem in problems {
            crate::diag::print_warning(format_args!("{problem} (profile left out)"));
        }
        return Ok(profiles);
    }
    args.apps
        .iter()
        .map(|app| registry::resolve(app, catalog))
        .collect()
}

/// What makes a check fail: the `--fail-on` threshold and the `--unconfirmed` policy.
#[derive(Clone, Copy)]
struct Gate {
    threshold: Option<Severity>,
    unconfirmed: Unconfirmed,
}

impl Gate {
    fn from(args: &CheckArgs) -> Gate {
        Gate {
            threshold: args.fail_on.threshold(),
            unconfirmed: args.unconfirmed,
        }
    }

    fn fails(self, report: &crate::audit::Report<'_>) -> bool {
        self.threshold
            .is_some_and(|t| report.fails_at(t, self.unconfirmed))
    }
}

/// Where results go: the document of the chosen format, written report by report.
struct Output<'a> {
    writer: DocumentWriter<'a, Out>,
    format: Format,
    /// States read, checked or not.
    read: usize,
    /// A state could not be checked.
    bad_input: bool,
    /// What a state that could not be checked does to the exit code.
    bad_input_policy: BadInput,
    /// A batch read nothing where something was expected.
    nothing_read: bool,
    failed: bool,
}

impl<'a> Output<'a> {
    fn new(args: &CheckArgs, style: Style<'a>, started: junit::Timestamp) -> Self {
        let mut writer =
            DocumentWriter::new(args.format, style, Out::default()).with_timestamp(started);
        // A failed write is recorded by `Out` and reported by `finish`.
        let _ = writer.start();
        Output {
            writer,
            format: args.format,
            read: 0,
            bad_input: false,
            bad_input_policy: args.bad_input,
            nothing_read: false,
            failed: false,
        }
    }

    /// Take an input's results; the buffer of a block of JSON lines comes back, written.
    fn add(&mut self, done: Done<'a>) -> Option<Vec<u8>> {
        match done {
            Done::States(results) => {
                for result in results {
                    self.add_state(result);
                }
                None
            }
            Done::Lines {
                bytes,
                states,
                failed,
                bad_input,
            } => {
                self.read += states;
                self.failed |= failed;
                self.bad_input |= bad_input;
                // A failed write is recorded by `Out` and reported by `finish`.
                let _ = self.writer.lines(&bytes);
                Some(bytes)
            }
        }
    }

    /// One state's outcome; its piece is `None` when no one reads the output any more.
    fn add_state(&mut self, result: StateResult<'a>) {
        self.read += 1;
        match result {
            Ok((piece, fails)) => {
                self.failed |= fails;
                if let Some(piece) = piece {
                    let _ = self.writer.piece(piece);
                }
            }
            Err(unchecked) => {
                self.bad_input = true;
                if self.format != Format::Jsonl {
                    print_error(&unchecked.problem);
                }
                let key = unchecked.key.as_deref();
                let _ = self.writer.error(&unchecked.name, key, &unchecked.problem);
            }
        }
    }

    fn reader_gone(&self) -> bool {
        self.writer.output().reader_gone()
    }

    fn write_failed(&self) -> bool {
        self.writer.output().write_failed()
    }

    fn finish(self) -> Outcome {
        let outcome =
            if self.nothing_read || (self.bad_input && self.bad_input_policy == BadInput::Fail) {
                Outcome::BadInput
            } else if self.failed {
                Outcome::Fail
            } else {
                Outcome::Pass
            };
        match self.writer.finish() {
            Ok(out) => out.finish(outcome),
            // `Out` records failures instead of returning them.
            Err(_) => Outcome::BadInput,
        }
    }
}

#[cfg(test)]
mod tests;
