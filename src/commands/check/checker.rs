//! Checking one input of a batch (state files, a block of JSON Lines records) and
//! rendering its reports, on a worker thread.

use super::Gate;
use super::lines::{Lines, Memo, SelectionCodes};
use super::options::CheckOptions;
use crate::audit::Auditor;
use crate::audit::Severity;
use crate::batch::{self, LineBlock, LineInput, StateInput};
use crate::cli::{Detail, Format};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::profile::Profile;
use crate::report::document::{self, Piece};
use crate::report::json::{self, LineCache};
use crate::report::junit;
use crate::report::{Checked, Style};
use crate::source::{decode, read_small_file_named};
use crate::state::{AccountState, FastBinder, Pos, Selection, Waiver, parse_state_toml_owned};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The outcome of one state: its rendered report (`None` once no one reads the output)
/// and whether it fails the check, or its name and why it could not be checked.
pub(super) type StateResult<'a> = Result<(Option<Vec<Piece<'a>>>, bool), Box<Unchecked>>;

/// A state that could not be checked: its name, its record key when it has one (a JSON
/// record's), and why.
pub(super) struct Unchecked {
    pub(super) name: String,
    pub(super) key: Option<String>,
    pub(super) problem: Diagnostic,
}

/// What checking one input gave.
pub(super) enum Done<'a> {
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

/// Written buffers larger than this are dropped rather than kept for reuse.
const MAX_KEPT_BUFFER: usize = 4 * 1024 * 1024;

/// Checks states against the profiles and renders their reports; shared by the workers.
pub(super) struct Checker<'a> {
    pub(super) auditors: &'a [Auditor<'a>],
    /// JSON records go straight to setting indices when they are well formed.
    binder: FastBinder<'a>,
    /// What every JSON line of a profile shares, rendered once (JSON Lines only).
    pub(super) caches: Vec<LineCache>,
    pub(super) style: Style<'a>,
    /// The formats of the reports, in the order they are written.
    pub(super) formats: Vec<Format>,
    /// JSON Lines is the only format: a block's lines can go into one buffer.
    pub(super) lines_only: bool,
    /// Bad states are told only in the report (JSON Lines on standard output), not also
    /// on stderr.
    pub(super) errors_in_band: bool,
    pub(super) detail: Detail,
    pub(super) gate: Gate,
    /// Findings below it are left out of reports (`--min-severity`).
    min_severity: Severity,
    /// Per profile, the project's waiver of each setting, if it has any.
    project_waivers: Vec<Option<Vec<Option<Waiver>>>>,
    /// The field of a JSON record that holds its key (`--key`).
    pub(super) key_field: String,
    today: Date,
    /// The apps were named on the command line (states for others are refused as such).
    explicit_apps: bool,
    /// Take the fast path for JSON records; the straightforward path is always right, and
    /// the tests compare the two.
    pub(super) fast: bool,
    /// One result per state, in every format: the one state given with `--state` is
    /// reported as bad input (not in the report) when it is bad, so its result must come
    /// back as it is.
    pub(super) one_by_one: bool,
    /// JUnit: the run's start. When set, each suite also gets the time its state took to
    /// check; unset (in tests that compare outputs byte for byte), neither is written.
    pub(super) started: Option<junit::Timestamp>,
    /// Per worker: the lines of selections seen before.
    pub(super) memos: Vec<Mutex<Memo>>,
    /// Per profile: how its selections are numbered for the memo, if they are few.
    pub(super) codes: Vec<Option<SelectionCodes>>,
    /// Written buffers of JSON Lines, back for reuse: a fresh buffer for every block would
    /// cost a page fault for every 4 KiB written.
    buffers: Mutex<Vec<Vec<u8>>>,
}

impl<'a> Checker<'a> {
    /// A checker for `workers` worker threads (each has its own memo).
    pub(super) fn new(
        auditors: &'a [Auditor<'a>],
        options: &CheckOptions,
        explicit_apps: bool,
        style: Style<'a>,
        today: Date,
        workers: usize,
    ) -> Self {
        let formats = options.formats();
        let caches = if formats.contains(&Format::Jsonl) {
            auditors
                .iter()
                .map(|a| LineCache::new(a, style, options.detail))
                .collect()
        } else {
            Vec::new()
        };
        // The project's waivers, by profile and setting.
        let project_waivers = auditors
            .iter()
            .map(|a| {
                let profile = a.profile;
                profile
                    .settings
                    .iter()
                    .map(|setting| {
                        // A waiver still in force wins over an expired one; then one
                        // naming the app, more particular, over one for every app with
                        // the setting.
                        let found = options
                            .waivers
                            .iter()
                            .filter(|w| w.matches(&profile.app.id, &setting.id))
                            .max_by_key(|w| {
                                let active = w.expires.is_none_or(|e| today <= e);
                                (active, w.app.is_some())
                            })?;
                        Some(Waiver {
                            setting: setting.id.clone(),
                            reason: found.reason.clone(),
                            expires: found.expires,
                            pos: Pos::Unknown,
                        })
                    })
                    .collect::<Vec<_>>()
            })
            .map(|waivers| waivers.iter().any(Option::is_some).then_some(waivers))
            .collect();
        Checker {
            auditors,
            binder: FastBinder::new(auditors.iter().map(|a| a.profile))
                .with_key_field(&options.key),
            caches,
            style,
            lines_only: options.only_json_lines(),
            errors_in_band: options.errors_in_band(),
            formats,
            detail: options.detail,
            gate: Gate::from(options),
            min_severity: options.min_severity,
            project_waivers,
            key_field: options.key.clone(),
            today,
            explicit_apps,
            fast: true,
            one_by_one: false,
            started: None,
            memos: (0..workers).map(|_| Mutex::default()).collect(),
            codes: auditors
                .iter()
                .map(|a| SelectionCodes::of(a.profile))
                .collect(),
            buffers: Mutex::default(),
        }
    }

    /// A written buffer, for the next block.
    pub(super) fn recycle(&self, mut buffer: Vec<u8>) {
        buffer.clear();
        // A buffer grown by a block of long lines is not kept at that size.
        if buffer.capacity() > MAX_KEPT_BUFFER {
            return;
        }
        if let Ok(mut buffers) = self.buffers.lock() {
            // As many as can be in flight; more would only hold memory.
            if buffers.len() < 16 {
                buffers.push(buffer);
            }
        }
    }

    /// Check an input: a state file, or a block of JSON Lines records, on worker `worker`.
    /// Reports are rendered only while `rendering`.
    pub(super) fn check(&self, worker: usize, input: &StateInput, rendering: bool) -> Done<'a> {
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
                worker,
                paths.iter().map(|path| {
                    let name = batch::file_name(path);
                    let checked = batch::load_file(path, name.clone()).and_then(|state| {
                        let (index, selection) = self.bind(&state)?;
                        Ok(self.report(index, &selection, Some(name.clone())))
                    });
                    (checked, || (name, None))
                }),
                rendering,
            ),
            StateInput::NotAFile(path) => {
                let problem = batch::not_a_file(path);
                self.done(
                    worker,
                    std::iter::once((Err(problem), || (batch::file_name(path), None))),
                    rendering,
                )
            }
            StateInput::Lines(block) => self.done(
                worker,
                block.lines().map(|line| {
                    let checked = self.check_line(&line, true);
                    (checked, move || (line.name(), line.key(&self.key_field)))
                }),
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
                lines.write_bound(|out| line.write_name_json(out));
            } else {
                let checked = self.check_line(&line, false);
                lines.checked(checked, || (line.name(), line.key(&self.key_field)));
            }
        }
        lines.done()
    }

    /// A state file for JSON Lines output, the fast way (see [`Lines`]): read into the
    /// worker's buffer and bound from there; copied into a [`SourceText`](crate::source::SourceText) only if the
    /// straightforward path must decide.
    fn json_file(&self, lines: &mut Lines<'_, 'a>, path: &Path) {
        // The file's name in reports is made (sanitised) only when needed: a path of plain
        // ASCII is its own name and its own JSON string content.
        let name = || batch::file_name(path);
        let plain = path.to_str().filter(|p| {
            p.bytes()
                .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
        });
        let mut file = std::mem::take(&mut lines.file);
        match read_small_file_named(path, name, &mut file) {
            Err(problem) => lines.checked(Err(problem), || (name(), None)),
            Ok(()) => {
                let text = std::str::from_utf8(&file).ok();
                // As `decode` does: a byte-order mark is not part of the text.
                let text = text.map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
                if let Some(text) = text
                    && self.binder.bind_toml_into(text, &mut lines.bound)
                {
                    lines.write_bound(|out| match plain {
                        Some(plain) => {
                            out.push(b'"');
                            out.extend_from_slice(plain.as_bytes());
                            out.push(b'"');
                        }
                        None => {
                            serde_json::to_writer(&mut *out, &name()).expect("strings serialise");
                        }
                    });
                } else {
                    let name = name();
                    let checked = decode(&name, file.clone())
                        .and_then(parse_state_toml_owned)
                        .and_then(|state| {
                            let (index, selection) = self.bind(&state)?;
                            Ok(self.report(index, &selection, Some(name.clone())))
                        });
                    lines.checked(checked, || (name, None));
                }
            }
        }
        lines.file = file;
    }

    /// JSON Lines output can take the fast way.
    fn fast_lines(&self) -> bool {
        self.lines_only && self.fast && !self.one_by_one
    }

    /// An empty buffer, reused if one came back.
    pub(super) fn buffer(&self) -> Vec<u8> {
        self.buffers
            .lock()
            .ok()
            .and_then(|mut b| b.pop())
            .unwrap_or_default()
    }

    /// The results of an input's states, each with a way to name it (needed for errors):
    /// JSON Lines output goes straight into one buffer, other formats get a piece each.
    fn done<F: FnOnce() -> (String, Option<String>)>(
        &self,
        worker: usize,
        results: impl Iterator<Item = (Result<Checked<'a>, Diagnostic>, F)>,
        rendering: bool,
    ) -> Done<'a> {
        if !self.lines_only || self.one_by_one {
            // Each state is read, bound and audited as the iterator gives it: timing the
            // call times the check.
            let mut results = results;
            let mut done = Vec::new();
            loop {
                let started = self.timed().then(Instant::now);
                let Some((checked, describe)) = results.next() else {
                    break;
                };
                let elapsed = started.map(|t| t.elapsed());
                done.push(self.result(checked, rendering, describe, elapsed));
            }
            return Done::States(done);
        }
        let mut lines = Lines::new(self, worker, rendering);
        for (checked, describe) in results {
            lines.checked(checked, describe);
        }
        lines.done()
    }

    fn result(
        &self,
        checked: Result<Checked<'a>, Diagnostic>,
        rendering: bool,
        describe: impl FnOnce() -> (String, Option<String>),
        elapsed: Option<Duration>,
    ) -> StateResult<'a> {
        match checked {
            Ok(c) => Ok((
                rendering.then(|| self.render_timed(&c, elapsed)),
                self.gate.fails(&c.report),
            )),
            Err(problem) => {
                let (name, key) = describe();
                Err(Box::new(Unchecked { name, key, problem }))
            }
        }
    }

    /// One JSON record: the fast path when it takes the record, else the straightforward one.
    /// `try_fast` is false when the fast path has already refused the record.
    fn check_line(&self, line: &LineInput<'_>, try_fast: bool) -> Result<Checked<'a>, Diagnostic> {
        let text = line.text().map_err(Clone::clone)?;
        let fast = if self.fast && try_fast {
            self.binder.bind(text, line.line())
        } else {
            None
        };
        let (index, selection, key) = match fast {
            Some(bound) => bound,
            None => {
                let state = line.load(&self.key_field)?;
                let (index, selection) = self.bind(&state)?;
                (index, selection, state.key)
            }
        };
        let mut checked = self.report(index, &selection, Some(line.name()));
        checked.key = key;
        Ok(checked)
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

    pub(super) fn report(
        &self,
        index: usize,
        selection: &Selection,
        state: Option<String>,
    ) -> Checked<'a> {
        let auditor = &self.auditors[index];
        // The project's waivers apply where the state waives nothing itself.
        let with_waivers;
        let selection = match &self.project_waivers[index] {
            Some(waivers)
                if waivers
                    .iter()
                    .zip(&selection.waivers)
                    .any(|(p, s)| p.is_some() && s.is_none()) =>
            {
                let mut changed = selection.clone();
                for (own, project) in changed.waivers.iter_mut().zip(waivers) {
                    if own.is_none() {
                        own.clone_from(project);
                    }
                }
                with_waivers = changed;
                &with_waivers
            }
            _ => selection,
        };
        let mut report = auditor.audit(selection, self.today);
        report.leave_out_below(self.min_severity);
        Checked {
            profile: auditor.profile,
            report,
            state,
            key: None,
        }
    }

    /// The cache of `profile`'s findings, if there is one.
    fn cache(&self, profile: &Profile) -> Option<&LineCache> {
        self.auditors
            .iter()
            .position(|a| std::ptr::eq(a.profile, profile))
            .and_then(|i| self.caches.get(i))
    }

    /// Whether checks are timed (JUnit, with the run's start known).
    pub(super) fn timed(&self) -> bool {
        self.formats.contains(&Format::Junit) && self.started.is_some()
    }

    /// [`render`](Self::render), with the time the check took where the format shows it.
    pub(super) fn render_timed(
        &self,
        checked: &Checked<'a>,
        elapsed: Option<Duration>,
    ) -> Vec<Piece<'a>> {
        self.formats
            .iter()
            .map(|&format| match (format, self.started, elapsed) {
                (Format::Junit, Some(timestamp), Some(elapsed)) => {
                    let timing = junit::Timing { timestamp, elapsed };
                    Piece::bytes(junit::timed_suite(checked, self.style, Some(timing)))
                }
                _ => self.render(format, checked),
            })
            .collect()
    }

    /// One report in `format`.
    fn render(&self, format: Format, checked: &Checked<'a>) -> Piece<'a> {
        match format {
            Format::Jsonl => {
                let mut line = Vec::new();
                self.write_line(&mut line, checked);
                Piece::bytes(line)
            }
            format => document::render(format, checked, self.style),
        }
    }

    pub(super) fn write_line(&self, out: &mut Vec<u8>, checked: &Checked<'a>) {
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
