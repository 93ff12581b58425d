//! `privaudit check`: audit apps (their defaults, or account states) and report.

use super::{Out, Outcome, fail_with};
use crate::audit::{Auditor, Severity, Unconfirmed};
use crate::batch::{self, CHUNK, JsonLines, StateInput};
use crate::catalog::{self, Catalog};
use crate::cli::{CheckArgs, Format};
use crate::date::Date;
use crate::diag::{Diagnostic, print_error};
use crate::profile::Profile;
use crate::registry;
use crate::report::document::{self, DocumentWriter, Piece};
use crate::report::json::LineCache;
use crate::report::{Checked, Style};
use crate::state::Selection;
use std::io::BufReader;
use std::sync::atomic::{AtomicBool, Ordering};

pub fn run(args: &CheckArgs) -> Outcome {
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
    let has_states =
        !args.state.is_empty() || args.state_dir.is_some() || args.states_jsonl.is_some();
    if !has_states {
        let checked: Vec<Checked<'_>> = auditors
            .iter()
            .map(|auditor| Checked {
                profile: auditor.profile,
                report: auditor.audit(&Selection::defaults(auditor.profile), Date::today()),
                state: None,
            })
            .collect();
        let gate = Gate::from(args);
        let mut out = Output::new(args, style);
        for c in checked {
            let fails = gate.fails(&c.report);
            out.add(Ok((
                Some(document::render(args.format, &c, style, None)),
                fails,
            )));
        }
        return out.finish();
    }
    // A single state file given with --state is input like a profile: if it is bad,
    // nothing is reported. In a batch, a bad state is reported on its own and the
    // others are still checked.
    let single = args.state.len() == 1 && args.state_dir.is_none() && args.states_jsonl.is_none();
    let dir_files = match &args.state_dir {
        Some(dir) => match batch::state_dir_inputs(dir) {
            Ok(files) => files,
            Err(problem) => return fail_with(&[problem]),
        },
        None => Vec::new(),
    };
    let jsonl: Box<dyn Iterator<Item = StateInput> + Send> = match args.states_jsonl.as_deref() {
        None => Box::new(std::iter::empty()),
        Some("-") => Box::new(JsonLines::new(BufReader::new(std::io::stdin()), "stdin")),
        Some(path) => match std::fs::File::open(path) {
            Ok(file) if !file.metadata().is_ok_and(|m| m.is_dir()) => {
                Box::new(JsonLines::new(BufReader::new(file), path))
            }
            Ok(_) => {
                return fail_with(&[Diagnostic::whole_file(path, "is a directory, not a file")]);
            }
            Err(e) => {
                return fail_with(&[Diagnostic::whole_file(path, format!("cannot open: {e}"))]);
            }
        },
    };
    let inputs = args
        .state
        .iter()
        .cloned()
        .map(StateInput::File)
        .chain(dir_files)
        .chain(jsonl);
    let today = Date::today();
    let explicit_apps = !args.apps.is_empty();
    let check_one = |input: &StateInput| -> Result<Checked<'_>, Diagnostic> {
        let state = input.load()?;
        let Some(auditor) = auditors.iter().find(|a| a.profile.app.id == state.app) else {
            let known: Vec<_> = profiles.iter().map(|p| p.app.id.as_str()).collect();
            let message = if explicit_apps {
                format!(
                    "state is for app `{}`, which is not being checked ({})",
                    crate::text::sanitize(&state.app),
                    known.join(", ")
                )
            } else {
                format!("no profile for app `{}`", crate::text::sanitize(&state.app))
            };
            return Err(state.error(state.app_pos, message));
        };
        let selection = state.bind(auditor.profile)?;
        Ok(Checked {
            profile: auditor.profile,
            report: auditor.audit(&selection, today),
            state: Some(input.name()),
        })
    };
    let workers = batch::workers();
    let format = args.format;
    let gate = Gate::from(args);
    // JSON Lines is the format for large batches: render each finding once per profile.
    let caches: Vec<LineCache> = match format {
        Format::Jsonl => auditors.iter().map(|a| LineCache::new(a, style)).collect(),
        _ => Vec::new(),
    };
    let cache_for = |profile: &Profile| {
        auditors
            .iter()
            .position(|a| std::ptr::eq(a.profile, profile))
            .and_then(|i| caches.get(i))
    };
    // Once the reader has gone away (`| head`), reports are no longer rendered, but every
    // state is still checked: the exit code is the verdict on the whole input, which a CI
    // gate reading `${PIPESTATUS[0]}` relies on.
    let rendering = AtomicBool::new(true);
    let job = |input: &StateInput| {
        check_one(input)
            .map(|c| {
                let fails = gate.fails(&c.report);
                let piece = rendering
                    .load(Ordering::Relaxed)
                    .then(|| document::render(format, &c, style, cache_for(c.profile)));
                (piece, fails)
            })
            .map_err(|d| (input.name(), d))
    };
    let mut out = Output::new(args, style);
    let mut fatal = None;
    batch::ordered_pipeline(inputs, workers, CHUNK, StateInput::weight, job, |result| {
        if single && let Err((_, problem)) = &result {
            fatal = Some(fail_with(std::slice::from_ref(problem)));
            return false;
        }
        out.add(result);
        if out.reader_gone() {
            rendering.store(false, Ordering::Relaxed);
        }
        !out.write_failed()
    });
    if let Some(outcome) = fatal {
        // Bad input gives no partial report: drop the document's opening unwritten.
        out.writer.into_output().discard();
        return outcome;
    }
    if out.read == 0 && !args.allow_empty {
        print_error(
            "the batch held no account state to check (an empty --state-dir or JSON Lines \
             input); pass --allow-empty if that is expected",
        );
        out.bad_input = true;
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
    bad_input: bool,
    failed: bool,
}

impl<'a> Output<'a> {
    fn new(args: &CheckArgs, style: Style<'a>) -> Self {
        let mut writer = DocumentWriter::new(args.format, style, Out::default());
        // A failed write is recorded by `Out` and reported by `finish`.
        let _ = writer.start();
        Output {
            writer,
            format: args.format,
            read: 0,
            bad_input: false,
            failed: false,
        }
    }

    /// One state's outcome; its piece is `None` when no one reads the output any more.
    fn add(&mut self, result: Result<(Option<Piece<'a>>, bool), (String, Diagnostic)>) {
        self.read += 1;
        match result {
            Ok((piece, fails)) => {
                self.failed |= fails;
                if let Some(piece) = piece {
                    let _ = self.writer.piece(piece);
                }
            }
            Err((state, problem)) => {
                self.bad_input = true;
                if self.format != Format::Jsonl {
                    print_error(&problem);
                }
                let _ = self.writer.error(&state, &problem);
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
        let outcome = if self.bad_input {
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
