//! `privaudit validate`: every problem in the profiles an author wrote, and in account
//! states (`--state`), as `file:line:column: message`.

use super::{Out, Outcome};
use crate::batch::{JsonLines, StateInput};
use crate::catalog::{self, Catalog};
use crate::diag::Diagnostic;
use crate::profile::{Profile, Strictness, parse_profile_with};
use crate::registry;
// Files named on the command line: a pipe (`<(...)`, `/dev/stdin`) is read too.
use crate::source::{
    SourceText, read_profile_file, read_profile_file_or_stream, read_text_file_or_stream,
};
use crate::state::{AccountState, parse_state_toml_owned};
use crate::text::sanitize;
use std::path::{Path, PathBuf};

/// Exit 0 when every profile and state is valid, 1 when a problem was found in one, 2
/// when a file could not be read at all (missing, a directory, too large, not UTF-8,
/// empty). With neither profiles nor states named, the user's profile directory is
/// checked; nothing there to check is said, and is no error.
pub fn run(args: &crate::cli::ValidateArgs) -> Outcome {
    // Profiles and states are checked against what `check` would use: the project's
    // catalog files and (for states) profiles included. With no state only its catalog
    // directories matter, and a project config found in the working directory that cannot
    // be read is a warning.
    let project = if args.no_config {
        None
    } else {
        match crate::project::load(args.config.as_deref()) {
            Ok(project) => project,
            Err(problem) if args.state.is_empty() && args.config.is_none() => {
                crate::diag::print_warning(format_args!(
                    "{problem} (the project config's catalog-dirs are not read)"
                ));
                None
            }
            Err(problem) => {
                crate::diag::print_error(problem);
                return Outcome::BadInput;
            }
        }
    };
    let (project_dirs, catalog_dirs) = project
        .map(|p| (p.profile_dirs, p.catalog_dirs))
        .unwrap_or_default();
    let merged = catalog::load_in(&catalog::catalog_dirs(&catalog_dirs));
    // A broken catalog file of the project's is a problem found, as a broken profile of
    // its is; one of the user's own is left out with a warning.
    let project_problems = merged.problems_in(&catalog_dirs);
    merged.report(&catalog_dirs);
    let catalog: &Catalog = &merged.catalog;
    let mut v = Validation {
        catalog,
        out: Out::default(),
        outcome: Outcome::Pass,
        given: Vec::new(),
        known: None,
        dirs: registry::profile_dirs(&project_dirs),
        project_dirs,
        key: args.key.clone(),
        strictness: if args.strict {
            Strictness::Strict
        } else {
            Strictness::Required
        },
    };
    if !project_problems.is_empty() {
        v.problems(&project_problems);
    }
    if args.files.is_empty() && args.state.is_empty() {
        v.user_profiles();
    }
    for path in &args.files {
        v.profile(path);
    }
    for path in &args.state {
        if is_json_lines(path) {
            v.json_lines(path);
        } else {
            v.toml_state(path);
        }
    }
    v.out.finish(v.outcome)
}

/// A state file holds JSON Lines (one JSON state per line, as `check --states-jsonl`
/// reads them) when its name ends in `.jsonl` or `.json`; anything else is TOML.
fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("json"))
}

struct Validation<'c> {
    catalog: &'c Catalog,
    out: Out,
    outcome: Outcome,
    /// The valid profiles named on this command line: a state for their app is checked
    /// against them.
    given: Vec<Profile>,
    /// Every built-in and user profile, loaded when a state first needs one.
    known: Option<Vec<Profile>>,
    /// Where profiles are looked for: the project's directories, then the user's.
    dirs: Vec<std::path::PathBuf>,
    /// The project's directories alone.
    project_dirs: Vec<std::path::PathBuf>,
    /// The field of a JSON state that holds its key.
    key: String,
    /// What profiles must say (`--strict`).
    strictness: Strictness,
}

impl Validation<'_> {
    /// A file that could not be read at all: exit 2 (it wins over problems found).
    fn unreadable(&mut self, problem: &Diagnostic) {
        crate::diag::print_error(problem);
        self.outcome = Outcome::BadInput;
    }

    /// Problems found in a file: printed on stdout, exit 1 (unless a file was unreadable).
    fn problems(&mut self, problems: &[Diagnostic]) {
        let text: String = problems.iter().map(|p| format!("{p}\n")).collect();
        self.out.write(text);
        if self.outcome == Outcome::Pass {
            self.outcome = Outcome::Fail;
        }
    }

    fn profile(&mut self, path: &Path) {
        let source = match read_profile_file_or_stream(path) {
            Ok(source) => source,
            Err(problem) => return self.unreadable(&problem),
        };
        self.profile_source(&source, None);
    }

    /// Check a profile's text; one from a profile directory (`found_in`) must also be
    /// named for its app, or `check` and the picker would not find it by its id.
    fn profile_source(&mut self, source: &SourceText, found_in: Option<&Path>) {
        let parsed = parse_profile_with(source, self.catalog, &source.name, false, self.strictness);
        match parsed {
            Ok(profile) => {
                if let Some(path) = found_in {
                    let stem = path.file_stem().map(|s| s.to_string_lossy());
                    if stem.as_deref() != Some(profile.app.id.as_str()) {
                        return self.problems(&[Diagnostic::whole_file(
                            &source.name,
                            format!(
                                "user profile for app `{id}` must be named {id}.toml",
                                id = profile.app.id
                            ),
                        )]);
                    }
                }
                self.out.write(format!(
                    "{}: ok (app `{}`, {})\n",
                    sanitize(&source.name),
                    profile.app.id,
                    counted(profile.settings.len(), "setting")
                ));
                self.given.push(profile);
            }
            Err(mut problems) => {
                self.catalog.hint_left_out(&mut problems);
                self.problems(&problems)
            }
        }
    }

    /// Every `*.toml` in the user's profile directory, in name order, after a line saying
    /// which directory and how many files. A directory that does not exist or holds no
    /// profile is said plainly: nothing is wrong.
    fn user_profiles(&mut self) {
        let Some(dir) = registry::user_profile_dir() else {
            return self.unreadable(&Diagnostic::whole_file(
                "privaudit",
                "cannot tell where your profile directory is (no home directory); name the profiles to check",
            ));
        };
        let shown = sanitize(&dir.display().to_string());
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.out.write(format!(
                    "No profiles to check: your profile directory {shown} does not exist yet. \
                     `privaudit new APP-ID` writes a profile there to start from.\n"
                ));
                return;
            }
            Err(e) => {
                let message = match e.kind() {
                    std::io::ErrorKind::NotADirectory => "is not a directory".to_owned(),
                    _ => format!("cannot read the directory: {e}"),
                };
                return self.unreadable(&Diagnostic::whole_file(&shown, message));
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        if paths.is_empty() {
            self.out.write(format!(
                "No profiles to check: your profile directory {shown} holds no *.toml file. \
                 `privaudit new APP-ID` writes one there to start from.\n"
            ));
            return;
        }
        self.out.write(format!(
            "Checking {} in your profile directory {shown}\n",
            counted(paths.len(), "profile")
        ));
        for path in paths {
            // Found, not named: a FIFO or a device here is refused, never waited on.
            match read_profile_file(&path) {
                Ok(source) => self.profile_source(&source, Some(&path)),
                Err(problem) => self.unreadable(&problem),
            }
        }
    }

    fn toml_state(&mut self, path: &Path) {
        let source = match read_text_file_or_stream(path) {
            Ok(source) => source,
            Err(problem) => return self.unreadable(&problem),
        };
        let name = sanitize(&source.name);
        let state = match parse_state_toml_owned(source) {
            Ok(state) => state,
            Err(problem) => return self.problems(&[problem]),
        };
        let problems = self.state_problems(&state);
        if problems.is_empty() {
            self.out.write(format!(
                "{name}: ok (state for app `{}`: {} set, {})\n",
                state.app,
                counted(state.choices.len(), "setting"),
                counted(state.waivers.len(), "waiver")
            ));
        } else {
            self.problems(&problems);
        }
    }

    /// Each record of a JSON Lines file, read as `check --states-jsonl` reads it: a
    /// record that cannot be read or does not fit its profile is a problem; a file that
    /// cannot be opened or holds no record is unreadable.
    fn json_lines(&mut self, path: &Path) {
        let name = path.display().to_string();
        let file = match std::fs::File::open(path) {
            Ok(file) if file.metadata().is_ok_and(|m| m.is_dir()) => {
                return self
                    .unreadable(&Diagnostic::whole_file(&name, "is a directory, not a file"));
            }
            Ok(file) => file,
            Err(e) => {
                let message = match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_owned(),
                    _ => format!("cannot open: {e}"),
                };
                return self.unreadable(&Diagnostic::whole_file(&name, message));
            }
        };
        let mut states = 0;
        let mut bad = 0;
        for input in JsonLines::new(file, name.as_str()) {
            let StateInput::Lines(block) = input else {
                continue;
            };
            for record in block.lines() {
                states += 1;
                let problems = match record.load(&self.key) {
                    Ok(state) => self.state_problems(&state),
                    Err(problem) => vec![problem],
                };
                if !problems.is_empty() {
                    bad += 1;
                    self.problems(&problems);
                }
            }
        }
        if states == 0 {
            return self.unreadable(&Diagnostic::whole_file(&name, "file is empty"));
        }
        if bad == 0 {
            self.out.write(format!(
                "{}: ok ({})\n",
                sanitize(&name),
                counted(states, "state")
            ));
        }
    }

    /// Every problem of a parsed state: no profile for its app, or each setting, option
    /// and waiver its profile does not have, in file order.
    fn state_problems(&mut self, state: &AccountState) -> Vec<Diagnostic> {
        let Some(profile) = self.profile_for(&state.app) else {
            return vec![state.error(
                state.app_pos,
                format!(
                    "no profile for app `{}` (see `privaudit list`)",
                    sanitize(&state.app)
                ),
            )];
        };
        let Err(first) = state.bind(profile) else {
            return Vec::new();
        };
        // `bind` stops at the first problem; bound one setting or waiver at a time, the
        // state shows all of them, each worded as `check` words it.
        let mut probe = AccountState {
            choices: Vec::new(),
            waivers: Vec::new(),
            ..state.clone()
        };
        let mut problems = Vec::new();
        for choice in &state.choices {
            probe.choices = vec![choice.clone()];
            problems.extend(probe.bind(profile).err());
        }
        probe.choices.clear();
        for waiver in &state.waivers {
            probe.waivers = vec![waiver.clone()];
            problems.extend(probe.bind(profile).err());
        }
        if problems.is_empty() {
            problems.push(first);
        }
        problems.sort_by_key(|d| (d.line, d.column));
        problems
    }

    /// The profile a state for `app` is checked against: one named on this command line,
    /// else the one `check` would use (the user's own profile of that id, else the
    /// built-in one).
    fn profile_for(&mut self, app: &str) -> Option<&Profile> {
        if let Some(at) = self.given.iter().position(|p| p.app.id == app) {
            return Some(&self.given[at]);
        }
        if self.known.is_none() {
            let (profiles, problems) = registry::all_profiles_in(self.catalog, &self.dirs);
            // A broken profile of the project's is a problem, as `check` makes it an
            // error; one of the user's own is left out with a warning, as there.
            let (project, others): (Vec<Diagnostic>, Vec<Diagnostic>) =
                problems.into_iter().partition(|problem| {
                    let file = Path::new(&problem.file);
                    self.project_dirs.iter().any(|dir| file.starts_with(dir))
                });
            for problem in others {
                crate::diag::print_warning(format_args!("{problem} (profile left out)"));
            }
            if !project.is_empty() {
                self.problems(&project);
            }
            self.known = Some(profiles);
        }
        self.known.as_ref()?.iter().find(|p| p.app.id == app)
    }
}

/// "1 waiver", "2 waivers".
fn counted(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}
