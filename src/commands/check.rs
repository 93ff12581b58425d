//! `privaudit check`: audit apps (their defaults, or account states) and report.

use super::{Out, Outcome, fail_with};
use crate::audit::{Auditor, Severity, Unconfirmed};
use crate::batch::{self, CHUNK, JsonLines, LineBlock, LineInput, StateInput};
use crate::catalog::{self, Catalog};
use crate::cli::{CheckArgs, Detail, Format};
use crate::date::Date;
use crate::diag::{Diagnostic, print_error};
use crate::profile::Profile;
use crate::registry;
use crate::report::document::{self, DocumentWriter, Piece};
use crate::report::json::{self, LineCache};
use crate::report::{Checked, Style};
use crate::source::{decode, read_small_file_into};
use crate::state::{AccountState, Bound, FastBinder, Selection, parse_state_toml_owned};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// JSON Lines are read in pieces this large: fewer reads, and fewer lines that straddle
/// two pieces (those take a slower way).
const READ_BUFFER: usize = 256 * 1024;

pub fn run(args: &CheckArgs) -> Outcome {
    if args.detail == Detail::Compact && args.format != Format::Jsonl {
        print_error("--detail compact is a form of JSON Lines: use it with --format jsonl");
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
    let mut checker = Checker::new(&auditors, args, style, Date::today());
    let has_states =
        !args.state.is_empty() || args.state_dir.is_some() || args.states_jsonl.is_some();
    if !has_states {
        let mut out = Output::new(args, style);
        for (index, auditor) in auditors.iter().enumerate() {
            let selection = Selection::defaults(auditor.profile);
            let checked = checker.report(index, &selection, None);
            let fails = checker.gate.fails(&checked.report);
            out.add_state(Ok((Some(checker.render(&checked)), fails)));
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
    let lines = |reader: Box<dyn BufRead + Send>,
                 name: &str|
     -> Box<dyn Iterator<Item = StateInput> + Send> {
        Box::new(JsonLines::new(reader, name).block_records(block_records))
    };
    let jsonl = match args.states_jsonl.as_deref() {
        None => Box::new(std::iter::empty()),
        Some("-") => lines(
            Box::new(BufReader::with_capacity(READ_BUFFER, std::io::stdin())),
            "stdin",
        ),
        Some(path) => match std::fs::File::open(path) {
            Ok(file) if !file.metadata().is_ok_and(|m| m.is_dir()) => {
                lines(Box::new(BufReader::with_capacity(READ_BUFFER, file)), path)
            }
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
        checker.check(worker, input, rendering.load(Ordering::Relaxed))
    };
    let mut out = Output::new(args, style);
    let mut fatal = None;
    let workers = batch::workers();
    batch::ordered_pipeline(inputs, workers, CHUNK, StateInput::states, job, |done| {
        if single
            && let Done::States(results) = &done
            && let Some(Err((_, problem))) = results.first()
        {
            fatal = Some(fail_with(std::slice::from_ref(problem)));
            return false;
        }
        if let Some(buffer) = out.add(done) {
            checker.recycle(buffer);
        }
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

/// The outcome of one state: its rendered report (`None` once no one reads the output)
/// and whether it fails the check, or its name and why it could not be checked.
type StateResult<'a> = Result<(Option<Piece<'a>>, bool), (String, Diagnostic)>;

/// What checking one input gave.
enum Done<'a> {
    /// One result per state.
    States(Vec<StateResult<'a>>),
    /// States checked for JSON Lines output: their lines, reports and errors alike,
    /// already in one buffer.
    Lines {
        bytes: Vec<u8>,
        states: usize,
        failed: bool,
        bad_input: bool,
    },
}

/// Profiles with more settings are not memoised: their keys would be long, and states
/// of such profiles rarely repeat.
const MEMO_MAX_SETTINGS: usize = 256;

/// How many bytes of lines a worker's memo holds.
const MEMO_BYTES: usize = 4 * 1024 * 1024;

/// A worker's memo of JSON lines: for a selection (a [`Bound::key`]: the profile and the
/// option of each setting, no waivers), whether it fails the check and its line after the
/// state's name. A report depends on nothing else, so states set alike (most keep most
/// defaults) are checked once per worker; the tests compare the output with the
/// straightforward path's.
#[derive(Default)]
struct Memo {
    lines: rustc_hash::FxHashMap<Box<[u8]>, MemoLine>,
    bytes: usize,
}

/// A remembered line: whether it fails the check, and what follows the state's name.
struct MemoLine {
    fails: bool,
    rest: Box<[u8]>,
}

impl Memo {
    /// Remember a line's rest, while there is room (first come, first kept).
    fn keep(&mut self, key: &[u8], fails: bool, rest: &[u8]) {
        let size = key.len() + rest.len();
        if self.bytes + size <= MEMO_BYTES {
            self.bytes += size;
            let rest = rest.into();
            self.lines.insert(key.into(), MemoLine { fails, rest });
        }
    }
}

/// JSON lines of an input (a block of records, a state file) the fast way, into one
/// buffer: a state bound straight to setting indices ([`FastBinder`]) whose selection
/// this worker has seen is written from the profile's head, the state's name and the rest
/// of that earlier line ([`Memo`]); any other state is checked and written as usual.
struct Lines<'c, 'a> {
    checker: &'c Checker<'a>,
    memo: Option<std::sync::MutexGuard<'c, Memo>>,
    rendering: bool,
    /// The state just bound by the fast binder.
    bound: Bound,
    key: Vec<u8>,
    /// The state file being read.
    file: Vec<u8>,
    bytes: Vec<u8>,
    states: usize,
    failed: bool,
    bad_input: bool,
}

impl<'c, 'a> Lines<'c, 'a> {
    fn new(checker: &'c Checker<'a>, worker: usize, rendering: bool) -> Self {
        Lines {
            checker,
            memo: checker.memos.get(worker).and_then(|m| m.lock().ok()),
            rendering,
            bound: Bound::default(),
            key: Vec::new(),
            file: Vec::new(),
            bytes: checker.buffer(),
            states: 0,
            failed: false,
            bad_input: false,
        }
    }

    /// The state in `self.bound`, named by `write_name` (a JSON string).
    fn bound(&mut self, write_name: impl Fn(&mut Vec<u8>)) {
        let checker = self.checker;
        self.states += 1;
        let index = self.bound.profile;
        let profile = checker.auditors[index].profile;
        let cache = &checker.caches[index];
        let head = cache.head(checker.detail);
        let memoable = profile.settings.len() <= MEMO_MAX_SETTINGS
            && self.bound.key(profile.settings.len(), &mut self.key);
        if memoable
            && let Some(memo) = &self.memo
            && let Some(remembered) = memo.lines.get(&self.key[..])
        {
            self.failed |= remembered.fails;
            if self.rendering {
                self.bytes.extend_from_slice(head);
                write_name(&mut self.bytes);
                self.bytes.extend_from_slice(&remembered.rest);
            }
            return;
        }
        let checked = checker.report(index, &self.bound.selection(profile), None);
        let fails = checker.gate.fails(&checked.report);
        self.failed |= fails;
        let start = self.bytes.len();
        self.bytes.extend_from_slice(head);
        write_name(&mut self.bytes);
        let rest = self.bytes.len();
        cache.write_rest(&mut self.bytes, &checked, checker.style, checker.detail);
        if memoable && let Some(memo) = &mut self.memo {
            memo.keep(&self.key, fails, &self.bytes[rest..]);
        }
        if !self.rendering {
            self.bytes.truncate(start);
        }
    }

    /// A state checked the straightforward way (or that could not be checked).
    fn checked(&mut self, checked: Result<Checked<'a>, Diagnostic>, name: impl FnOnce() -> String) {
        self.states += 1;
        match checked {
            Ok(checked) => {
                self.failed |= self.checker.gate.fails(&checked.report);
                if self.rendering {
                    self.checker.write_line(&mut self.bytes, &checked);
                }
            }
            Err(problem) => {
                self.bad_input = true;
                if self.rendering {
                    json::write_error_line(&mut self.bytes, &name(), &problem);
                }
            }
        }
    }

    fn done(self) -> Done<'a> {
        Done::Lines {
            bytes: self.bytes,
            states: self.states,
            failed: self.failed,
            bad_input: self.bad_input,
        }
    }
}

/// Checks states against the profiles and renders their reports; shared by the workers.
struct Checker<'a> {
    auditors: &'a [Auditor<'a>],
    /// JSON records go straight to setting indices when they are well formed.
    binder: FastBinder<'a>,
    /// What every JSON line of a profile shares, rendered once (JSON Lines only).
    caches: Vec<LineCache>,
    style: Style<'a>,
    format: Format,
    detail: Detail,
    gate: Gate,
    today: Date,
    /// The apps were named on the command line (states for others are refused as such).
    explicit_apps: bool,
    /// Take the fast path for JSON records; the straightforward path is always right, and
    /// the tests compare the two.
    fast: bool,
    /// One result per state, in every format: the one state given with `--state` is
    /// reported as bad input (not in the report) when it is bad, so its result must come
    /// back as it is.
    one_by_one: bool,
    /// Per worker: the lines of selections seen before.
    memos: Vec<Mutex<Memo>>,
    /// Written buffers of JSON Lines, back for reuse: a fresh buffer for every block would
    /// cost a page fault for every 4 KiB written.
    buffers: Mutex<Vec<Vec<u8>>>,
}

impl<'a> Checker<'a> {
    fn new(auditors: &'a [Auditor<'a>], args: &CheckArgs, style: Style<'a>, today: Date) -> Self {
        let caches = match args.format {
            Format::Jsonl => auditors.iter().map(|a| LineCache::new(a, style)).collect(),
            _ => Vec::new(),
        };
        Checker {
            auditors,
            binder: FastBinder::new(auditors.iter().map(|a| a.profile)),
            caches,
            style,
            format: args.format,
            detail: args.detail,
            gate: Gate::from(args),
            today,
            explicit_apps: !args.apps.is_empty(),
            fast: true,
            one_by_one: false,
            memos: (0..batch::workers()).map(|_| Mutex::default()).collect(),
            buffers: Mutex::default(),
        }
    }

    /// A written buffer, for the next block.
    fn recycle(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        if let Ok(mut buffers) = self.buffers.lock() {
            // As many as can be in flight; more would only hold memory.
            if buffers.len() < 16 {
                buffers.push(buffer);
            }
        }
    }

    /// Check an input: a state file, or a block of JSON Lines records, on worker `worker`.
    /// Reports are rendered only while `rendering`.
    fn check(&self, worker: usize, input: &StateInput, rendering: bool) -> Done<'a> {
        match input {
            StateInput::Lines(block) if self.fast_lines() => {
                self.json_lines(worker, block, rendering)
            }
            StateInput::Files(paths) if self.fast_lines() => {
                let mut lines = Lines::new(self, worker, rendering);
                for path in paths {
                    self.json_file(&mut lines, path);
                }
                lines.done()
            }
            StateInput::Files(paths) => self.done(
                paths.iter().map(|path| {
                    let name = batch::file_name(path);
                    let checked = batch::load_file(path, name.clone()).and_then(|state| {
                        let (index, selection) = self.bind(&state)?;
                        Ok(self.report(index, &selection, Some(name.clone())))
                    });
                    (checked, || name)
                }),
                rendering,
            ),
            StateInput::NotAFile(path) => {
                let problem = batch::not_a_file(path);
                self.done(
                    std::iter::once((Err(problem), || batch::file_name(path))),
                    rendering,
                )
            }
            StateInput::Lines(block) => self.done(
                block
                    .lines()
                    .map(|line| (self.check_line(&line), move || line.name())),
                rendering,
            ),
        }
    }

    /// A block of JSON records for JSON Lines output, the fast way (see [`Lines`]).
    fn json_lines(&self, worker: usize, block: &LineBlock, rendering: bool) -> Done<'a> {
        let mut lines = Lines::new(self, worker, rendering);
        for line in block.lines() {
            let fast = match line.text() {
                Ok(text) => self.binder.bind_into(text, line.line(), &mut lines.bound),
                Err(_) => false,
            };
            if fast {
                lines.bound(|out| line.write_name_json(out));
            } else {
                lines.checked(self.check_line(&line), || line.name());
            }
        }
        lines.done()
    }

    /// A state file for JSON Lines output, the fast way (see [`Lines`]): read into the
    /// worker's buffer and bound from there; copied into a [`SourceText`](crate::source::SourceText) only if the
    /// straightforward path must decide.
    fn json_file(&self, lines: &mut Lines<'_, 'a>, path: &Path) {
        let name = batch::file_name(path);
        let mut file = std::mem::take(&mut lines.file);
        match read_small_file_into(path, &name, &mut file) {
            Err(problem) => lines.checked(Err(problem), || name),
            Ok(()) => {
                let text = std::str::from_utf8(&file).ok();
                // As `decode` does: a byte-order mark is not part of the text.
                let text = text.map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
                if let Some(text) = text
                    && self.binder.bind_toml_into(text, &mut lines.bound)
                {
                    lines.bound(|out| {
                        serde_json::to_writer(&mut *out, &name).expect("strings serialise");
                    });
                } else {
                    let checked = decode(&name, file.clone())
                        .and_then(parse_state_toml_owned)
                        .and_then(|state| {
                            let (index, selection) = self.bind(&state)?;
                            Ok(self.report(index, &selection, Some(name.clone())))
                        });
                    lines.checked(checked, || name);
                }
            }
        }
        lines.file = file;
    }

    /// JSON Lines output can take the fast way.
    fn fast_lines(&self) -> bool {
        self.format == Format::Jsonl && self.fast && !self.one_by_one
    }

    /// An empty buffer, reused if one came back.
    fn buffer(&self) -> Vec<u8> {
        self.buffers
            .lock()
            .ok()
            .and_then(|mut b| b.pop())
            .unwrap_or_default()
    }

    /// The results of an input's states, each with a way to name it (needed for errors):
    /// JSON Lines output goes straight into one buffer, other formats get a piece each.
    fn done<F: FnOnce() -> String>(
        &self,
        results: impl Iterator<Item = (Result<Checked<'a>, Diagnostic>, F)>,
        rendering: bool,
    ) -> Done<'a> {
        if self.format != Format::Jsonl || self.one_by_one {
            let results = results
                .map(|(checked, name)| self.result(checked, rendering, name))
                .collect();
            return Done::States(results);
        }
        let mut bytes = self.buffer();
        let (mut states, mut failed, mut bad_input) = (0, false, false);
        for (checked, name) in results {
            states += 1;
            match checked {
                Ok(checked) => {
                    failed |= self.gate.fails(&checked.report);
                    if rendering {
                        self.write_line(&mut bytes, &checked);
                    }
                }
                Err(problem) => {
                    bad_input = true;
                    if rendering {
                        json::write_error_line(&mut bytes, &name(), &problem);
                    }
                }
            }
        }
        Done::Lines {
            bytes,
            states,
            failed,
            bad_input,
        }
    }

    fn result(
        &self,
        checked: Result<Checked<'a>, Diagnostic>,
        rendering: bool,
        name: impl FnOnce() -> String,
    ) -> StateResult<'a> {
        match checked {
            Ok(c) => Ok((
                rendering.then(|| self.render(&c)),
                self.gate.fails(&c.report),
            )),
            Err(problem) => Err((name(), problem)),
        }
    }

    /// One JSON record: the fast path when it takes the record, else the straightforward one.
    fn check_line(&self, line: &LineInput<'_>) -> Result<Checked<'a>, Diagnostic> {
        let text = line.text().map_err(Clone::clone)?;
        let fast = if self.fast {
            self.binder.bind(text, line.line())
        } else {
            None
        };
        let (index, selection) = match fast {
            Some(bound) => bound,
            None => self.bind(&line.load()?)?,
        };
        Ok(self.report(index, &selection, Some(line.name())))
    }

    /// The auditor of the state's app, and the state bound to its profile.
    fn bind(&self, state: &AccountState) -> Result<(usize, Selection), Diagnostic> {
        let Some(index) = self
            .auditors
            .iter()
            .position(|a| a.profile.app.id == state.app)
        else {
            let message = if self.explicit_apps {
                let known: Vec<_> = self
                    .auditors
                    .iter()
                    .map(|a| a.profile.app.id.as_str())
                    .collect();
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
        Ok((index, state.bind(self.auditors[index].profile)?))
    }

    fn report(&self, index: usize, selection: &Selection, state: Option<String>) -> Checked<'a> {
        let auditor = &self.auditors[index];
        Checked {
            profile: auditor.profile,
            report: auditor.audit(selection, self.today),
            state,
        }
    }

    /// The cache of `profile`'s findings, if there is one.
    fn cache(&self, profile: &Profile) -> Option<&LineCache> {
        self.auditors
            .iter()
            .position(|a| std::ptr::eq(a.profile, profile))
            .and_then(|i| self.caches.get(i))
    }

    fn render(&self, checked: &Checked<'a>) -> Piece<'a> {
        match self.format {
            Format::Jsonl => {
                let mut line = Vec::new();
                self.write_line(&mut line, checked);
                Piece::bytes(line)
            }
            format => document::render(format, checked, self.style, None),
        }
    }

    fn write_line(&self, out: &mut Vec<u8>, checked: &Checked<'a>) {
        match self.detail {
            Detail::Full => {
                json::write_line(out, checked, self.style, self.cache(checked.profile));
            }
            Detail::Compact => {
                json::write_compact_line(out, checked, self.style, self.cache(checked.profile));
            }
        }
    }
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

#[cfg(test)]
mod tests {
    //! The fast paths (JSON records bound without the straightforward parse, JSON lines put
    //! together from cached bytes, blocks written as one buffer) must never change a
    //! verdict or a byte: their output is compared with the straightforward path's on
    //! generated input, valid and broken, in every format.

    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;
    use std::path::PathBuf;

    /// A small deterministic generator (no dependency, same input on every run).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn chance(&mut self, percent: u64) -> bool {
            self.next() % 100 < percent
        }
        fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
            items[self.below(items.len())]
        }
    }

    /// An id as JSON, usually plain, sometimes escaped or broken.
    fn id(rng: &mut Rng, id: &str) -> String {
        match rng.below(150) {
            0 => {
                // The same id with an escape: valid JSON the fast path cannot borrow.
                let mut chars = id.chars();
                let first = chars.next().map_or(0, u32::from);
                format!("\"\\u{first:04x}{}\"", chars.as_str())
            }
            1 => format!("\"{id}x\""),
            2 => format!("\"{}\"", id.to_uppercase()),
            3 => format!("\"{id}\\u001b[31m\""),
            4 => "7".to_owned(),
            _ => format!("\"{id}\""),
        }
    }

    fn line(rng: &mut Rng, profiles: &[Profile]) -> String {
        const BROKEN: &[&str] = &[
            "",
            "   ",
            "[\"douyin\"]",
            "{",
            "null",
            "{\"app\":\"douyin\",\"app\":\"douyin\"}",
            "{\"app\":\"douyin\",\"id\":3}",
            "{\"settings\":{}}",
            "{\"app\":\"nope\"}",
            "{\"app\":\"douyin\",\"settings\":null}",
            "{\"app\":\"douyin\",\"settings\":[]}",
            "\u{feff}{\"app\":\"douyin\"}",
            "{\"app\":\"douyin\"} trailing",
            "{\"app\":\"douyin\"}\r",
        ];
        if rng.chance(10) {
            return rng.pick(BROKEN).to_owned();
        }
        let profile = &profiles[rng.below(profiles.len())];
        let mut fields = vec![format!("\"app\":{}", id(rng, &profile.app.id))];
        let mut settings = Vec::new();
        let mut waivers = Vec::new();
        for setting in &profile.settings {
            if rng.chance(60) {
                let option = &setting.options[rng.below(setting.options.len())].id;
                let option = if rng.chance(3) { "bogus" } else { option };
                settings.push(format!("{}:{}", id(rng, &setting.id), id(rng, option)));
                if rng.chance(3) {
                    // A duplicate key: the last one counts.
                    let other = &setting.options[rng.below(setting.options.len())].id;
                    settings.push(format!("\"{}\":\"{other}\"", setting.id));
                }
            }
            if rng.chance(8) {
                let reason = rng.pick(&[
                    "kept on purpose",
                    "  ",
                    "",
                    "tab\\there",
                    "我知道",
                    "esc \\u001b[2J",
                    "\\u2028line",
                ]);
                let expires = rng.pick(&[
                    "",
                    ",\"expires\":\"2030-01-01\"",
                    ",\"expires\":\"2020-01-01\"",
                    ",\"expires\":null",
                    ",\"expires\":\"2030-02-30\"",
                    ",\"expires\":20300101",
                    ",\"extra\":1",
                ]);
                waivers.push(format!(
                    "{}:{{\"reason\":\"{reason}\"{expires}}}",
                    id(rng, &setting.id)
                ));
            }
        }
        if !settings.is_empty() || rng.chance(50) {
            fields.push(format!("\"settings\":{{{}}}", settings.join(",")));
        }
        if !waivers.is_empty() {
            fields.push(format!("\"waivers\":{{{}}}", waivers.join(",")));
        }
        if rng.chance(2) {
            fields.push("\"key\":\"k1\"".to_owned());
        }
        // Field order does not matter to JSON.
        if rng.chance(30) {
            fields.reverse();
        }
        format!(
            "{{{}}}",
            fields.join(if rng.chance(20) { " , " } else { "," })
        )
    }

    /// A TOML state file, usually well formed, sometimes broken.
    fn toml_state(rng: &mut Rng, profiles: &[Profile]) -> String {
        const BROKEN: &[&str] = &[
            "",
            "app = 3",
            "app = \"douyin\"\nsettings = 3",
            "app = \"douyin\"\n[settings]\nprivate-account = 1",
            "app = \"nope\"",
            "[settings]\nx = \"y\"",
            "app = \"douyin\"\nextra = 1",
            "app = \"douyin\"\n[waivers.private-account]\nexpires = 2030-01-01",
            "app = \"douyin\"\n[waivers.private-account]\nreason = \"r\"\nexpires = \"soon\"",
            "app = \"douyin\"\n[waivers.private-account]\nreason = \"r\"\nwhy = 1",
            "app = [",
            "\u{feff}app = \"douyin\"\r\n[settings]\r\nprivate-account = \"on\"\r\n",
            "\u{feff}",
            " \n\t",
        ];
        if rng.chance(8) {
            return rng.pick(BROKEN).to_owned();
        }
        let profile = &profiles[rng.below(profiles.len())];
        let quote = |rng: &mut Rng, id: &str| match rng.below(60) {
            0 => format!("\"\\u{:04x}{}\"", u32::from(id.as_bytes()[0]), &id[1..]),
            1 => format!("\"{id}x\""),
            _ => format!("\"{id}\""),
        };
        let mut out = Vec::new();
        let mut settings = Vec::new();
        let mut waivers = Vec::new();
        for setting in &profile.settings {
            if rng.chance(60) {
                let option = &setting.options[rng.below(setting.options.len())].id;
                settings.push(format!(
                    "{} = {}",
                    quote(rng, &setting.id),
                    quote(rng, option)
                ));
            }
            if rng.chance(8) {
                let reason = rng.pick(&["kept", "  ", "我知道", "tab\\there", "\\u001b[2J"]);
                let expires = rng.pick(&["", "expires = 2030-01-01", "expires = 2020-01-01"]);
                waivers.push(format!(
                    "[waivers.{}]\nreason = \"{reason}\"\n{expires}",
                    quote(rng, &setting.id)
                ));
            }
        }
        // Inline settings may come before the app.
        if rng.chance(20) {
            out.push(format!("settings = {{ {} }}", settings.join(", ")));
            out.push(format!("app = {}", quote(rng, &profile.app.id)));
        } else {
            out.push(format!("app = {}", quote(rng, &profile.app.id)));
            out.push(format!("[settings]\n{}", settings.join("\n")));
        }
        out.extend(waivers);
        out.join("\n") + "\n"
    }

    #[test]
    fn state_files_give_the_straightforward_output_byte_for_byte() {
        let catalog = catalog::builtin();
        let (profiles, _) = registry::all_profiles(catalog);
        let auditors: Vec<Auditor<'_>> =
            profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut rng = Rng(0x0007_06d1_2026);
        for i in 0..400 {
            let path = dir.path().join(format!("{i:04}.toml"));
            std::fs::write(path, toml_state(&mut rng, &profiles)).expect("written");
        }
        let inputs: Vec<StateInput> = batch::state_dir_inputs(dir.path())
            .expect("listed")
            .collect();
        for detail in ["full", "compact"] {
            for lang in ["en", "zh"] {
                let fast = checker(&auditors, "jsonl", detail, lang, false);
                let straightforward = checker(&auditors, "jsonl", detail, lang, true);
                let mut outputs = Vec::new();
                for checker in [&fast, &straightforward] {
                    let mut writer = DocumentWriter::new(Format::Jsonl, checker.style, Vec::new());
                    let mut verdict = (false, false);
                    for input in &inputs {
                        match checker.check(0, input, true) {
                            Done::Lines {
                                bytes,
                                failed,
                                bad_input,
                                ..
                            } => {
                                verdict.0 |= failed;
                                verdict.1 |= bad_input;
                                writer.lines(&bytes).expect("memory");
                            }
                            Done::States(results) => {
                                for result in results {
                                    match result {
                                        Ok((piece, fails)) => {
                                            verdict.0 |= fails;
                                            writer.piece(piece.expect("rendered")).expect("memory");
                                        }
                                        Err((name, problem)) => {
                                            verdict.1 = true;
                                            writer.error(&name, &problem).expect("memory");
                                        }
                                    }
                                }
                            }
                        }
                    }
                    outputs.push((writer.finish().expect("memory"), verdict));
                }
                assert_eq!(outputs[0].1, outputs[1].1, "{detail} {lang}");
                assert!(outputs[0].1 == (true, true), "the files have both");
                let (a, b) = (&outputs[0].0, &outputs[1].0);
                assert!(
                    a == b,
                    "{detail} {lang}: outputs differ at byte {}:\n{}",
                    a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0),
                    String::from_utf8_lossy(a)
                );
            }
        }
        // The comparison means something only if the fast path took most files.
        let binder = FastBinder::new(&profiles);
        let mut bound = Bound::default();
        let paths: Vec<&PathBuf> = inputs
            .iter()
            .flat_map(|input| match input {
                StateInput::Files(paths) => paths.iter().collect(),
                _ => Vec::new(),
            })
            .collect();
        let taken = paths
            .iter()
            .filter(|path| {
                std::fs::read_to_string(path)
                    .is_ok_and(|text| binder.bind_toml_into(&text, &mut bound))
            })
            .count();
        assert!(
            taken > paths.len() / 2 && taken < paths.len(),
            "the fast path took {taken} of {} files",
            paths.len()
        );
    }

    fn checker<'a>(
        auditors: &'a [Auditor<'a>],
        format: &str,
        detail: &str,
        lang: &str,
        straightforward: bool,
    ) -> Checker<'a> {
        let cli = Cli::parse_from([
            "privaudit",
            "check",
            "--states-jsonl",
            "-",
            "--format",
            format,
            "--detail",
            detail,
            "--lang",
            lang,
        ]);
        let Some(Command::Check(args)) = cli.command else {
            unreachable!("a check command was parsed")
        };
        let style = Style {
            lang: args.lang,
            color: false,
            catalog: catalog::builtin(),
        };
        let today = Date::new(2026, 11, 25).expect("a real date");
        let mut checker = Checker::new(auditors, &args, style, today);
        if straightforward {
            checker.fast = false;
            checker.caches.clear();
            checker.one_by_one = true;
        }
        checker
    }

    /// The whole document for `input`, and the verdict: (states, failed, bad input).
    fn run(checker: &Checker<'_>, input: &str) -> (Vec<u8>, (usize, bool, bool)) {
        let mut writer = DocumentWriter::new(checker.format, checker.style, Vec::new());
        writer.start().expect("memory");
        let (mut states, mut failed, mut bad) = (0, false, false);
        let blocks = JsonLines::new(input.as_bytes(), "t.jsonl").block_records(7);
        for block in blocks {
            match checker.check(0, &block, true) {
                Done::States(results) => {
                    for result in results {
                        states += 1;
                        match result {
                            Ok((piece, fails)) => {
                                failed |= fails;
                                writer.piece(piece.expect("rendered")).expect("memory");
                            }
                            Err((name, problem)) => {
                                bad = true;
                                writer.error(&name, &problem).expect("memory");
                            }
                        }
                    }
                }
                Done::Lines {
                    bytes,
                    states: n,
                    failed: f,
                    bad_input: b,
                } => {
                    states += n;
                    failed |= f;
                    bad |= b;
                    writer.lines(&bytes).expect("memory");
                }
            }
        }
        (writer.finish().expect("memory"), (states, failed, bad))
    }

    #[test]
    fn fast_paths_give_the_straightforward_output_byte_for_byte() {
        let catalog = catalog::builtin();
        let (profiles, problems) = registry::all_profiles(catalog);
        assert!(problems.is_empty(), "{problems:?}");
        let auditors: Vec<Auditor<'_>> =
            profiles.iter().map(|p| Auditor::new(p, catalog)).collect();
        let mut rng = Rng(0x5eed_2026_1125);
        let input: String = (0..1500)
            .map(|_| line(&mut rng, &profiles) + "\n")
            .collect();
        let mut fast_taken = 0;
        for (format, details) in [
            ("jsonl", &["full", "compact"][..]),
            ("json", &["full"][..]),
            ("sarif", &["full"][..]),
            ("junit", &["full"][..]),
            ("markdown", &["full"][..]),
            ("text", &["full"][..]),
        ] {
            for &detail in details {
                for lang in ["en", "zh"] {
                    let fast = checker(&auditors, format, detail, lang, false);
                    let straightforward = checker(&auditors, format, detail, lang, true);
                    let (fast_out, fast_verdict) = run(&fast, &input);
                    let (slow_out, slow_verdict) = run(&straightforward, &input);
                    assert_eq!(fast_verdict, slow_verdict, "{format} {detail} {lang}");
                    assert!(
                        fast_out == slow_out,
                        "{format} {detail} {lang}: outputs differ at byte {}",
                        fast_out
                            .iter()
                            .zip(&slow_out)
                            .position(|(a, b)| a != b)
                            .unwrap_or(fast_out.len().min(slow_out.len()))
                    );
                    assert!(fast_verdict.1 && fast_verdict.2, "the input has both");
                    if format == "jsonl" {
                        // States set alike were taken from the memo.
                        let memo = fast.memos[0].lock().expect("not poisoned");
                        let remembered = memo.lines.len();
                        assert!(
                            remembered > 10 && remembered < fast_verdict.0 / 2,
                            "{remembered} selections remembered of {} states",
                            fast_verdict.0
                        );
                    }
                }
            }
        }
        // The comparison means something only if the fast path took most records and
        // refused some.
        let binder = FastBinder::new(&profiles);
        let records: Vec<&str> = input.lines().filter(|l| !l.trim().is_empty()).collect();
        for record in &records {
            fast_taken += usize::from(binder.bind(record.trim(), 1).is_some());
        }
        assert!(
            fast_taken > records.len() / 3 && fast_taken < records.len(),
            "the fast path took {fast_taken} of {} records",
            records.len()
        );
    }
}
