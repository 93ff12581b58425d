//! Where profiles come from: the built-in ones compiled into the binary, the user's own
//! under `<config dir>/profiles/<app-id>.toml`, and files named on the command line.

use crate::catalog::Catalog;
use crate::diag::Diagnostic;
use crate::profile::{Profile, parse_profile};
use crate::source::{SourceText, read_profile_file, read_profile_file_or_stream};
use std::path::{Path, PathBuf};

/// The built-in profiles: (repository path, text), every `profiles/*.toml` but the
/// catalog, in app-id order (listed by `build.rs`). The path is what reports (SARIF)
/// point at.
const BUILTIN: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/builtin_profiles.rs"));

/// Parse the built-in profiles. They are checked by the test suite, so a failure here is
/// a build defect, reported as a diagnostic all the same.
pub fn builtin_profiles(catalog: &Catalog) -> Result<Vec<Profile>, Diagnostic> {
    BUILTIN
        .iter()
        .map(|(path, text)| {
            let source = SourceText::from_string(*path, *text);
            parse_profile(&source, catalog, path, true).map_err(|mut problems| problems.remove(0))
        })
        .collect()
}

fn builtin_ids() -> Vec<String> {
    BUILTIN
        .iter()
        .map(|(path, _)| {
            path.trim_start_matches("profiles/")
                .trim_end_matches(".toml")
                .to_owned()
        })
        .collect()
}

/// `<config dir>/profiles`, e.g. `~/.config/privaudit/profiles` on Linux.
pub fn user_profile_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "privaudit")
        .map(|dirs| dirs.config_dir().join("profiles"))
}

/// Load a profile from a file found in a profile directory: a regular file only (a FIFO
/// there must not hang `privaudit list`).
pub fn load_profile_file(path: &Path, catalog: &Catalog) -> Result<Profile, Vec<Diagnostic>> {
    load_profile_source(read_profile_file(path), catalog)
}

/// Load a profile from a path named on the command line, which may be a pipe
/// (`<(...)`, `/dev/stdin`).
fn load_named_profile_file(path: &Path, catalog: &Catalog) -> Result<Profile, Vec<Diagnostic>> {
    load_profile_source(read_profile_file_or_stream(path), catalog)
}

fn load_profile_source(
    source: Result<SourceText, Diagnostic>,
    catalog: &Catalog,
) -> Result<Profile, Vec<Diagnostic>> {
    let source = source.map_err(|d| vec![d])?;
    // The origin is shown in reports (JSON `profile`, SARIF locations): a path from the
    // command line or the config directory, made safe like any other input text.
    parse_profile(
        &source,
        catalog,
        &crate::text::sanitize(&source.name),
        false,
    )
    .map_err(|mut problems| {
        catalog.hint_left_out(&mut problems);
        problems
    })
}

/// Does this command-line word name a file rather than an app id?
pub fn looks_like_path(arg: &str) -> bool {
    arg.ends_with(".toml") || arg.contains('/') || arg.contains(std::path::MAIN_SEPARATOR)
}

/// Resolve `APP-ID|PROFILE.toml`: a path is read as a file; an id is looked up first among
/// the user's profiles (`<id>.toml`, so a user can update a built-in profile), then among
/// the built-in ones.
pub fn resolve(arg: &str, catalog: &Catalog) -> Result<Profile, Vec<Diagnostic>> {
    resolve_in(arg, catalog, &profile_dirs(&[]))
}

/// The directories profiles are looked for in, first first: `extra` (a project config's),
/// then the user's.
pub fn profile_dirs(extra: &[PathBuf]) -> Vec<PathBuf> {
    extra.iter().cloned().chain(user_profile_dir()).collect()
}

/// [`resolve`], looking for `<id>.toml` in `dirs` (see [`profile_dirs`]) in turn.
pub fn resolve_in(
    arg: &str,
    catalog: &Catalog,
    dirs: &[PathBuf],
) -> Result<Profile, Vec<Diagnostic>> {
    if looks_like_path(arg) {
        return load_named_profile_file(Path::new(arg), catalog);
    }
    for dir in dirs {
        let candidate = dir.join(format!("{arg}.toml"));
        if candidate.is_file() {
            let profile = load_profile_file(&candidate, catalog)?;
            named_for_its_app(&candidate, &profile).map_err(|d| vec![d])?;
            return Ok(profile);
        }
    }
    // Parse only the profile asked for: a one-app check should not pay for the others.
    let Some((path, text)) = BUILTIN.iter().find(|(path, _)| builtin_id(path) == arg) else {
        return Err(vec![Diagnostic::whole_file(
            arg,
            format!(
                "no such app; known apps: {} (or give a PROFILE.toml path)",
                known_ids(dirs).join(", ")
            ),
        )]);
    };
    parse_profile(&SourceText::from_string(*path, *text), catalog, path, true)
}

fn builtin_id(path: &str) -> &str {
    path.trim_start_matches("profiles/")
        .trim_end_matches(".toml")
}

/// The app ids of the built-in profiles and of those in `dirs`, sorted.
pub fn known_ids(dirs: &[PathBuf]) -> Vec<String> {
    let mut ids = builtin_ids();
    ids.extend(
        dirs.iter()
            .flat_map(|dir| crate::source::toml_files_in(dir))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned())),
    );
    ids.sort();
    ids.dedup();
    ids
}

/// The `*.toml` files in the user profile directory, in name order.
pub fn user_profile_paths() -> Vec<PathBuf> {
    user_profile_dir()
        .map(|dir| crate::source::toml_files_in(&dir))
        .unwrap_or_default()
}

/// A user profile is found by its file name, so the name must be its app's id.
fn named_for_its_app(path: &Path, profile: &Profile) -> Result<(), Diagnostic> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
    if stem.as_deref() == Some(profile.app.id.as_str()) {
        return Ok(());
    }
    Err(Diagnostic::whole_file(
        &path.display().to_string(),
        format!(
            "user profile for app `{}` must be named {}.toml",
            profile.app.id, profile.app.id
        ),
    ))
}

/// Every available profile: built-in ones, then the user's. A user profile with a
/// built-in id replaces it. Broken user profiles are returned as problems.
pub fn all_profiles(catalog: &Catalog) -> (Vec<Profile>, Vec<Diagnostic>) {
    all_profiles_in(catalog, &profile_dirs(&[]))
}

/// [`all_profiles`] with the profiles of `dirs` (see [`profile_dirs`]): a profile in an
/// earlier directory replaces one of the same app in a later one, or a built-in one.
pub fn all_profiles_in(catalog: &Catalog, dirs: &[PathBuf]) -> (Vec<Profile>, Vec<Diagnostic>) {
    let found = find_all_in(catalog, dirs);
    (found.profiles, found.problems)
}

/// Every available profile, what could not be read, and which built-in profiles were
/// replaced.
#[derive(Debug, Default)]
pub struct Found {
    pub profiles: Vec<Profile>,
    /// The first problem of each user profile left out, with its position.
    pub problems: Vec<Diagnostic>,
    /// User profiles that take the place of a built-in profile of the same app.
    pub replaced: Vec<Replaced>,
}

/// A user profile used instead of the built-in profile of its app: said wherever the
/// profiles are listed or checked, since the built-in facts are then not the ones used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replaced {
    pub app: String,
    /// The user profile's file.
    pub file: String,
}

impl std::fmt::Display for Replaced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: profile `{}` replaces the built-in one",
            crate::text::sanitize(&self.file),
            self.app
        )
    }
}

/// Is `profile` one of the user's that takes the place of a built-in profile?
pub fn replaced_builtin(profile: &Profile) -> Option<Replaced> {
    (!profile.builtin
        && BUILTIN
            .iter()
            .any(|(path, _)| builtin_id(path) == profile.app.id))
    .then(|| Replaced {
        app: profile.app.id.clone(),
        file: profile.origin.clone(),
    })
}

/// [`all_profiles_in`], telling which built-in profiles were replaced.
pub fn find_all_in(catalog: &Catalog, dirs: &[PathBuf]) -> Found {
    let (profiles, problems) = load_all_in(catalog, dirs);
    let replaced = profiles.iter().filter_map(replaced_builtin).collect();
    Found {
        profiles,
        problems,
        replaced,
    }
}

fn load_all_in(catalog: &Catalog, dirs: &[PathBuf]) -> (Vec<Profile>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut profiles = match builtin_profiles(catalog) {
        Ok(p) => p,
        Err(d) => {
            problems.push(d);
            Vec::new()
        }
    };
    // Later directories first, so that earlier ones replace what they give.
    for path in dirs
        .iter()
        .rev()
        .flat_map(|dir| crate::source::toml_files_in(dir))
    {
        match load_profile_file(&path, catalog) {
            Ok(profile) => {
                if let Err(problem) = named_for_its_app(&path, &profile) {
                    problems.push(problem);
                    continue;
                }
                profiles.retain(|p| p.app.id != profile.app.id);
                profiles.push(profile);
            }
            Err(mut found) => problems.push(found.remove(0)),
        }
    }
    (profiles, problems)
}
