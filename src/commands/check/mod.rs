//! `privaudit check`: audit apps (their defaults, or account states) and report.

mod checker;
mod lines;
mod options;

pub use options::CheckOptions;

use super::sink::Sink;
use super::{Outcome, fail_with};
use crate::audit::{Auditor, Severity, Unconfirmed};
use crate::batch::{self, CHUNK, JsonLines, StateInput};
use crate::catalog::{self, Catalog};
use crate::cli::{BadInput, CheckArgs, Detail};
use crate::date::Date;
use crate::diag::{Diagnostic, print_error};
use crate::profile::Profile;
use crate::registry;
use crate::report::document::DocumentWriter;
use crate::report::{Style, junit};
use crate::state::Selection;
use checker::{Checker, Done, StateResult};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub fn run(args: &CheckArgs) -> Outcome {
    let options = match CheckOptions::resolve(args) {
        Ok(options) => options,
        Err(message) => {
            print_error(message);
            return Outcome::BadInput;
        }
    };
    if let Err(message) = reports_spare_inputs(args, &options) {
        print_error(message);
        return Outcome::BadInput;
    }
    let merged = catalog::load_in(&catalog::catalog_dirs(&options.catalog_dirs));
    // The project's catalog files were named on purpose, as its profiles were: one that
    // is broken is bad input. The user's own is left out with a warning.
    let project_problems = merged.problems_in(&options.catalog_dirs);
    if !project_problems.is_empty() {
        for problem in &project_problems {
            print_error(problem);
        }
        return Outcome::BadInput;
    }
    if !options.quiet {
        merged.report(&options.catalog_dirs);
    }
    let catalog: &Catalog = &merged.catalog;
    let profiles = match profiles(args, &options, catalog) {
        Ok(p) => p,
        Err(problems) => return fail_with(&problems),
    };
    if !options.waivers.is_empty() {
        // Against every profile known, not only those checked: one waivers file serves
        // every job of a project, whichever apps each checks.
        let dirs = registry::profile_dirs(&options.profile_dirs);
        let (mut known, _) = registry::all_profiles_in(catalog, &dirs);
        known.extend(profiles.iter().cloned());
        if let Err(problem) = crate::project::check_waivers(&options.waivers, &known) {
            return fail_with(&[problem]);
        }
    }
    let style = Style {
        lang: options.lang,
        color: options.color,
        catalog,
    };
    let auditors: Vec<Auditor<'_>> = profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
    let workers = batch::workers();
    let explicit_apps = !args.apps.is_empty();
    let mut checker = Checker::new(
        &auditors,
        &options,
        explicit_apps,
        style,
        Date::today(),
        workers,
    );
    let started = junit::Timestamp::now();
    checker.started = Some(started);
    if options.targets.iter().any(|t| t.file.is_some()) {
        super::sink::remove_temporaries_on_signals();
    }
    let mut out = match Output::new(&options, style, started) {
        Ok(out) => out,
        Err(outcome) => return outcome,
    };
    let has_states =
        !args.state.is_empty() || args.state_dir.is_some() || args.states_jsonl.is_some();
    if !has_states {
        for (index, auditor) in auditors.iter().enumerate() {
            let timer = Instant::now();
            let selection = Selection::defaults(auditor.profile);
            let checked = checker.report(index, &selection, None);
            let elapsed = timer.elapsed();
            let fails = checker.gate.fails(&checked.report);
            let pieces = checker.render_timed(&checked, Some(elapsed));
            out.add_state(Ok((Some(pieces), fails)));
        }
        return out.finish();
    }
    // A single state file given with --state is input like a profile: if it is bad,
    // nothing is reported. In a batch, a bad state is reported on its own and the
    // others are still checked.
    let single = args.state.len() == 1 && args.state_dir.is_none() && args.states_jsonl.is_none();
    checker.one_by_one = single;
    let checker = checker;
    let inputs = match inputs(args, &options) {
        Ok(inputs) => inputs,
        Err(problem) => {
            out.discard();
            return fail_with(&[problem]);
        }
    };
    // Once every reader has gone away (`| head`), reports are no longer rendered, but
    // every state is still checked: the exit code is the verdict on the whole input,
    // which a CI gate reading `${PIPESTATUS[0]}` relies on.
    let rendering = AtomicBool::new(out.rendering());
    let job = |worker: usize, input: &StateInput| {
        let done = checker.check(worker, input, rendering.load(Ordering::Relaxed));
        (done, input.ends_idle(), input.stopped_reading())
    };
    let mut fatal = None;
    batch::ordered_pipeline(
        inputs,
        workers,
        CHUNK,
        StateInput::weight,
        job,
        |(done, idle, stopped)| {
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
            // The rest of the input was never read: whatever `--bad-input` says, the
            // results do not cover the input, and an engine must not take them as complete.
            if stopped {
                print_error(
                    "reading the JSON Lines input stopped before its end (see the last line \
                     reported); the rest was not checked",
                );
                out.stream_stopped = true;
            }
            // Input has gone quiet (a live stream, a filter in an engine): its results go
            // out now, not when the output buffer fills.
            if idle {
                out.flush();
            }
            if !out.rendering() {
                rendering.store(false, Ordering::Relaxed);
            }
            !out.write_failed()
        },
    );
    if let Some(outcome) = fatal {
        // Bad input gives no partial report: drop the documents unwritten.
        out.discard();
        return outcome;
    }
    // Standard input in and JSON Lines out is a filter: inside an engine (Spark's
    // `RDD.pipe`, Hadoop Streaming), an empty partition is normal.
    let filter = args.states_jsonl.as_deref() == Some("-") && options.json_lines_out;
    if out.read == 0 && !options.allow_empty && !filter {
        print_error(
            "the batch held no account state to check (an empty --state-dir or JSON Lines \
             input); pass --allow-empty if that is expected",
        );
        out.nothing_read = true;
    }
    out.finish()
}

/// No report may be written over a file the run reads (a state, the JSON Lines input, a
/// profile, the config or its waivers), nor as a `*.toml` into the state directory, where
/// the next run would read it as a state.
fn reports_spare_inputs(args: &CheckArgs, options: &CheckOptions) -> Result<(), String> {
    let mut inputs: Vec<&Path> = args.state.iter().map(PathBuf::as_path).collect();
    inputs.extend(
        args.states_jsonl
            .as_deref()
            .filter(|p| *p != "-")
            .map(Path::new),
    );
    inputs.extend(
        args.apps
            .iter()
            .filter(|a| registry::looks_like_path(a))
            .map(Path::new),
    );
    inputs.extend(options.config_files.iter().map(PathBuf::as_path));
    let state_dir = args
        .state_dir
        .as_deref()
        .and_then(|d| std::fs::canonicalize(d).ok());
    for file in options.targets.iter().filter_map(|t| t.file.as_deref()) {
        let shown = || crate::text::sanitize(&file.display().to_string());
        if inputs.iter().any(|input| same_file(input, file)) {
            return Err(format!(
                "{}: a report cannot overwrite a file this run reads",
                shown()
            ));
        }
        let place = super::sink::resolved(file);
        if place.extension().is_some_and(|e| e == "toml")
            && state_dir.is_some()
            && place.parent().map(Path::to_path_buf) == state_dir
        {
            return Err(format!(
                "{}: a report cannot go into --state-dir as a .toml file (it would be read as a \
                 state next time)",
                shown()
            ));
        }
    }
    Ok(())
}

/// Do `a` and `b` name one existing file (through links, `./`, hard links)?
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        #[cfg(unix)]
        (Ok(a), Ok(b)) => {
            use std::os::unix::fs::MetadataExt;
            a.dev() == b.dev() && a.ino() == b.ino()
        }
        #[cfg(not(unix))]
        (Ok(_), Ok(_)) => super::sink::resolved(a) == super::sink::resolved(b),
        _ => false,
    }
}

/// The states to check: `--state` files, then `--state-dir`, then `--states-jsonl`.
fn inputs(
    args: &CheckArgs,
    options: &CheckOptions,
) -> Result<impl Iterator<Item = StateInput> + Send + use<>, Diagnostic> {
    // State files go to a worker a chunk at a time; for JSON lines more at a time (fewer
    // hand-overs between the threads): 256 for compact lines, and for full ones as many as
    // a block of full JSON lines (256 full lines an input peaked at 36 MiB).
    let dir_files_per_input = match (options.only_json_lines(), options.detail) {
        (true, Detail::Compact) => 4 * CHUNK,
        (true, Detail::Full) => 3 * CHUNK / 2,
        _ => CHUNK,
    };
    let dir_files: Box<dyn Iterator<Item = StateInput> + Send> = match &args.state_dir {
        Some(dir) => Box::new(batch::state_dir_inputs(dir, dir_files_per_input)?),
        None => Box::new(std::iter::empty()),
    };
    // A block of JSON Lines records is checked and written as one: many records when
    // their lines are small, about a MiB of full lines (fewer hand-overs between threads:
    // 96 took 11% less time than 64 for a million, 3 MiB more memory; 128 little more
    // for another 3.5 MiB), as many as a chunk of states for the document formats.
    let block_records = match (options.only_json_lines(), options.detail) {
        (true, Detail::Compact) => 16 * CHUNK,
        (true, Detail::Full) => 3 * CHUNK / 2,
        _ => CHUNK,
    };
    let lines = |reader: Box<dyn Read + Send>,
                 name: &str,
                 fd: Option<i32>|
     -> Box<dyn Iterator<Item = StateInput> + Send> {
        let lines = JsonLines::new(reader, name).block_records(block_records);
        #[cfg(unix)]
        let lines = match fd {
            Some(fd) => lines.input_fd(fd),
            None => lines,
        };
        Box::new(lines)
    };
    #[cfg(unix)]
    let fd_of = |f: &dyn std::os::fd::AsRawFd| Some(f.as_raw_fd());
    #[cfg(not(unix))]
    let fd_of = |_: &dyn std::any::Any| -> Option<i32> { None };
    let jsonl = match args.states_jsonl.as_deref() {
        None => Box::new(std::iter::empty()),
        Some("-") => {
            let stdin = std::io::stdin();
            let fd = fd_of(&stdin);
            lines(Box::new(stdin), "stdin", fd)
        }
        Some(path) => match std::fs::File::open(path) {
            Ok(file) if !file.metadata().is_ok_and(|m| m.is_dir()) => {
                let fd = fd_of(&file);
                lines(Box::new(file), path, fd)
            }
            Ok(_) => return Err(Diagnostic::whole_file(path, "is a directory, not a file")),
            Err(e) => return Err(Diagnostic::whole_file(path, format!("cannot open: {e}"))),
        },
    };
    let files = args
        .state
        .iter()
        .map(|path| StateInput::Files(vec![path.clone()]));
    Ok(batch::grouped(files)
        .into_iter()
        .chain(dir_files)
        .chain(jsonl))
}

fn profiles(
    args: &CheckArgs,
    options: &CheckOptions,
    catalog: &Catalog,
) -> Result<Vec<Profile>, Vec<Diagnostic>> {
    let dirs = registry::profile_dirs(&options.profile_dirs);
    if args.apps.is_empty() {
        // Every state names its app: any built-in or user profile may be needed. A broken
        // user profile is left out, and said so: its states would otherwise fail with
        // "no profile for app" and no reason.
        let found = registry::find_all_in(catalog, &dirs);
        // The project's own profiles were named on purpose: one that is broken must not
        // quietly give way to a built-in profile of the same app.
        let (project, others): (Vec<Diagnostic>, Vec<Diagnostic>) =
            found.problems.into_iter().partition(|problem| {
                let file = Path::new(&problem.file);
                options.profile_dirs.iter().any(|dir| file.starts_with(dir))
            });
        if !project.is_empty() {
            return Err(project);
        }
        if !options.quiet {
            for problem in others {
                crate::diag::print_warning(format_args!("{problem} (profile left out)"));
            }
            for replaced in &found.replaced {
                crate::diag::print_notice(replaced);
            }
        }
        return Ok(found.profiles);
    }
    let profiles: Vec<Profile> = args
        .apps
        .iter()
        .map(|app| registry::resolve_in(app, catalog, &dirs))
        .collect::<Result<_, _>>()?;
    if !options.quiet {
        // An app asked for by id whose user profile stands in for the built-in one; a
        // file named on the command line is what was asked for.
        let by_id = args.apps.iter().zip(&profiles);
        for (_, profile) in by_id.filter(|(a, _)| !registry::looks_like_path(a)) {
            if let Some(replaced) = registry::replaced_builtin(profile) {
                crate::diag::print_notice(replaced);
            }
        }
    }
    Ok(profiles)
}

/// What makes a check fail: the `--fail-on` threshold and the `--unconfirmed` policy.
#[derive(Clone, Copy)]
struct Gate {
    threshold: Option<Severity>,
    unconfirmed: Unconfirmed,
}

impl Gate {
    fn from(options: &CheckOptions) -> Gate {
        Gate {
            threshold: options.fail_on.threshold(),
            unconfirmed: options.unconfirmed,
        }
    }

    fn fails(self, report: &crate::audit::Report<'_>) -> bool {
        self.threshold
            .is_some_and(|t| report.fails_at(t, self.unconfirmed))
    }
}

/// Where results go: a document per report asked for, written report by report.
struct Output<'a> {
    writers: Vec<DocumentWriter<'a, Sink>>,
    /// Every report is JSON Lines: bad states are told there, not on stderr.
    errors_in_band: bool,
    /// States read, checked or not.
    read: usize,
    /// A state could not be checked.
    bad_input: bool,
    /// What a state that could not be checked does to the exit code.
    bad_input_policy: BadInput,
    /// A batch read nothing where something was expected.
    nothing_read: bool,
    /// Reading a JSON Lines input stopped before its end.
    stream_stopped: bool,
    failed: bool,
}

impl<'a> Output<'a> {
    /// Open every report's destination; a file that cannot be created is bad usage, told
    /// before anything is checked.
    fn new(
        options: &CheckOptions,
        style: Style<'a>,
        started: junit::Timestamp,
    ) -> Result<Self, Outcome> {
        let mut writers: Vec<DocumentWriter<'a, Sink>> = Vec::new();
        for target in &options.targets {
            let sink = match Sink::open(target.file.as_deref()) {
                Ok(sink) => sink,
                Err(e) => {
                    let file = target.file.as_deref().unwrap_or(std::path::Path::new("-"));
                    print_error(format_args!(
                        "cannot write {}: {e}",
                        crate::text::sanitize(&file.display().to_string())
                    ));
                    for writer in writers {
                        writer.into_output().discard();
                    }
                    return Err(Outcome::BadInput);
                }
            };
            let mut writer =
                DocumentWriter::new(target.format, style, sink).with_timestamp(started);
            // A failed write is recorded by the sink and reported by `finish`.
            let _ = writer.start();
            writers.push(writer);
        }
        Ok(Output {
            writers,
            errors_in_band: options.errors_in_band(),
            read: 0,
            bad_input: false,
            bad_input_policy: options.bad_input,
            nothing_read: false,
            stream_stopped: false,
            failed: false,
        })
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
                // Lines come only when JSON Lines is the one report.
                for writer in &mut self.writers {
                    let _ = writer.lines(&bytes);
                }
                Some(bytes)
            }
        }
    }

    /// One state's outcome; its pieces (one per report) are `None` when no one reads the
    /// output any more.
    fn add_state(&mut self, result: StateResult<'a>) {
        self.read += 1;
        match result {
            Ok((pieces, fails)) => {
                self.failed |= fails;
                for (writer, piece) in self.writers.iter_mut().zip(pieces.into_iter().flatten()) {
                    let _ = writer.piece(piece);
                }
            }
            Err(unchecked) => {
                self.bad_input = true;
                if !self.errors_in_band {
                    print_error(&unchecked.problem);
                }
                let key = unchecked.key.as_deref();
                for writer in &mut self.writers {
                    let _ = writer.error(&unchecked.name, key, &unchecked.problem);
                }
            }
        }
    }

    /// Write out what is buffered. A failed flush is recorded by the sink.
    fn flush(&mut self) {
        for writer in &mut self.writers {
            let _ = writer.flush();
        }
    }

    /// Someone still reads a report.
    fn rendering(&self) -> bool {
        self.writers.iter().any(|w| !w.output().reader_gone())
    }

    fn write_failed(&self) -> bool {
        self.writers.iter().any(|w| w.output().write_failed())
    }

    /// Abandon every report: nothing more reaches standard output, no file is written.
    fn discard(self) {
        for writer in self.writers {
            writer.into_output().discard();
        }
    }

    fn finish(self) -> Outcome {
        let outcome = if self.nothing_read
            || self.stream_stopped
            || (self.bad_input && self.bad_input_policy == BadInput::Fail)
        {
            Outcome::BadInput
        } else if self.failed {
            Outcome::Fail
        } else {
            Outcome::Pass
        };
        // A report cut short (another one failed to write, and the batch stopped) or of
        // nothing at all must not replace a good one: an empty SARIF would close every
        // code-scanning alert. Standard output has already shown what it could.
        if self.nothing_read || self.write_failed() {
            for writer in self.writers {
                if matches!(writer.output(), Sink::File(_)) {
                    if let Some(message) = writer.output().failure() {
                        print_error(message);
                    }
                    writer.into_output().discard();
                } else if let Ok(out) = writer.finish() {
                    out.finish(Outcome::BadInput);
                }
            }
            return Outcome::BadInput;
        }
        let mut worst = outcome;
        for writer in self.writers {
            let finished = match writer.finish() {
                Ok(sink) => sink.finish(outcome),
                // Sinks record failures instead of returning them.
                Err(_) => Outcome::BadInput,
            };
            if finished == Outcome::BadInput {
                worst = Outcome::BadInput;
            }
        }
        worst
    }
}

#[cfg(test)]
mod tests;
