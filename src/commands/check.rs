//! `privaudit check`: audit apps (their defaults, or account states) and report.

use super::{Outcome, fail_with};
use crate::audit::{Auditor, Severity, Unconfirmed};
use crate::batch::{self, CHUNK, JsonLines, StateInput};
use crate::catalog::{self, Catalog};
use crate::cli::{CheckArgs, Format};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::profile::Profile;
use crate::registry;
use crate::report::json::LineCache;
use crate::report::{Checked, Style, json, junit, markdown, sarif, text};
use crate::state::Selection;
use std::io::{BufReader, Write};

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
        let mut out = Output::new(args, style);
        for c in checked {
            out.add(Ok(c));
        }
        return out.finish();
    }
    // A single state file given with --state is input like a profile: if it is bad,
    // nothing is reported. In a batch, a bad state is reported on its own and the
    // others are still checked.
    let single = args.state.len() == 1 && args.state_dir.is_none() && args.states_jsonl.is_none();
    let dir_files = match &args.state_dir {
        Some(dir) => match batch::state_dir_files(dir) {
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
        .chain(dir_files)
        .map(StateInput::File)
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
    let job = |input: &StateInput| {
        check_one(input)
            .map(|c| {
                let cache = cache_for(c.profile);
                prerender(format, style, gate, c, cache)
            })
            .map_err(|d| (input.name(), d))
    };
    let mut out = Output::new(args, style);
    let mut fatal = None;
    batch::ordered_pipeline(inputs, workers, CHUNK, job, |result| {
        if single && let Err((_, problem)) = &result {
            fatal = Some(fail_with(std::slice::from_ref(problem)));
            return false;
        }
        out.add_rendered(result);
        !out.closed
    });
    if let Some(outcome) = fatal {
        return outcome;
    }
    out.finish()
}

fn profiles(args: &CheckArgs, catalog: &Catalog) -> Result<Vec<Profile>, Vec<Diagnostic>> {
    if args.apps.is_empty() {
        // Every state names its app: any built-in or user profile may be needed.
        return Ok(registry::all_profiles(catalog).0);
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

/// Work that can run on a worker thread: render the streaming formats to a string, and
/// decide whether the report fails the check.
fn prerender<'a>(
    format: Format,
    style: Style<'_>,
    gate: Gate,
    checked: Checked<'a>,
    cache: Option<&LineCache>,
) -> (Rendered<'a>, bool) {
    let fails = gate.fails(&checked.report);
    let rendered = match format {
        Format::Jsonl => Rendered::Line(json::line(&checked, style, cache)),
        Format::Text => Rendered::Line(text::render(&checked, style).into_bytes()),
        _ => Rendered::Kept(Box::new(checked)),
    };
    (rendered, fails)
}

/// A checked state, rendered already where the format streams.
enum Rendered<'a> {
    Line(Vec<u8>),
    Kept(Box<Checked<'a>>),
}

/// Where results go. Text and JSON Lines are written as they come; the document formats
/// (JSON, SARIF, JUnit, Markdown) are assembled at the end.
struct Output<'a> {
    format: Format,
    style: Style<'a>,
    gate: Gate,
    stdout: std::io::BufWriter<std::io::StdoutLock<'static>>,
    kept: Vec<Checked<'a>>,
    errors: Vec<String>,
    bad_input: bool,
    failed: bool,
    written: usize,
    /// The reader went away (`| head`): stop working.
    closed: bool,
}

impl<'a> Output<'a> {
    fn new(args: &CheckArgs, style: Style<'a>) -> Self {
        Output {
            format: args.format,
            style,
            gate: Gate::from(args),
            stdout: std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock()),
            kept: Vec::new(),
            errors: Vec::new(),
            bad_input: false,
            failed: false,
            written: 0,
            closed: false,
        }
    }

    fn add(&mut self, checked: Result<Checked<'a>, (String, Diagnostic)>) {
        let rendered = checked.map(|c| prerender(self.format, self.style, self.gate, c, None));
        self.add_rendered(rendered);
    }

    fn add_rendered(&mut self, result: Result<(Rendered<'a>, bool), (String, Diagnostic)>) {
        match result {
            Ok((rendered, fails)) => {
                self.failed |= fails;
                match rendered {
                    Rendered::Line(line) => {
                        if self.format == Format::Text && self.written > 0 {
                            self.write("\n");
                        }
                        self.write(line);
                    }
                    Rendered::Kept(c) => self.kept.push(*c),
                }
                self.written += 1;
            }
            Err((state, problem)) => {
                self.bad_input = true;
                if self.format == Format::Jsonl {
                    let line = serde_json::json!({ "state": state, "error": problem.to_string() });
                    self.write(format!("{line}\n"));
                } else {
                    eprintln!("privaudit: error: {problem}");
                }
                self.errors.push(problem.to_string());
            }
        }
    }

    fn write(&mut self, text: impl AsRef<[u8]>) {
        if !self.closed && self.stdout.write_all(text.as_ref()).is_err() {
            self.closed = true;
        }
    }

    fn finish(mut self) -> Outcome {
        let document = match self.format {
            Format::Json => Some(json::document(&self.kept, &self.errors, self.style)),
            Format::Sarif => Some(sarif::document(&self.kept, &self.errors, self.style)),
            Format::Junit => Some(junit::document(&self.kept, &self.errors, self.style)),
            Format::Markdown => Some(
                self.kept
                    .iter()
                    .map(|c| markdown::render(c, self.style))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Format::Text | Format::Jsonl => None,
        };
        if let Some(document) = document {
            self.write(&document);
        }
        if self.stdout.flush().is_err() {
            self.closed = true;
        }
        if self.bad_input {
            Outcome::BadInput
        } else if self.failed {
            Outcome::Fail
        } else {
            Outcome::Pass
        }
    }
}
