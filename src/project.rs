//! The project config for `privaudit check` in CI: `privaudit.toml` in the working
//! directory, or the file given with `--config`. Command-line flags win over it.
//!
//! ```toml
//! fail-on = "high"                  # low | medium | high | critical | never
//! min-severity = "medium"           # leave lower findings out of the report
//! unconfirmed = "warn"              # fail | warn
//! lang = "zh"                       # en | zh
//! format = ["sarif:privaudit.sarif", "junit:privaudit.xml", "text"]
//! profile-dirs = ["privacy/profiles"]
//! catalog-dirs = ["privacy/catalog"] # rulings, laws and events of the project's own
//! waivers-file = "privacy/waivers.toml"
//!
//! [[waiver]]                        # also the shape of the waivers file
//! setting = "douyin/online-status"  # APP/SETTING, or a setting id for every app that has it
//! reason = "shown on purpose: the product's presence feature"
//! expires = 2027-06-30              # optional
//! ```
//!
//! Paths are relative to the file they are written in. A waiver here is a mute list for
//! app makers (like trivy's ignore file or Prowler's mutelist): it applies to every state
//! checked, unless the state waives the same setting itself.

use crate::audit::{Severity, Unconfirmed};
use crate::cli::{FailOn, Target};
use crate::date::Date;
use crate::diag::{self, Diagnostic};
use crate::profile::Profile;
use crate::source::{SourceText, read_text_file};
use crate::text::{Lang, sanitize};
use clap::ValueEnum;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file looked for in the working directory when no `--config` is given.
pub const FILE_NAME: &str = "privaudit.toml";

/// What a project config says; `None` where it says nothing.
#[derive(Debug, Default)]
pub struct Project {
    pub fail_on: Option<FailOn>,
    pub min_severity: Option<Severity>,
    pub unconfirmed: Option<Unconfirmed>,
    pub lang: Option<Lang>,
    /// Formats and where each goes, paths resolved against the config's directory.
    pub formats: Vec<Target>,
    pub profile_dirs: Vec<PathBuf>,
    /// Directories of catalog files (`*.toml`, the format of `profiles/catalog.toml`),
    /// read after the user's own catalog directory.
    pub catalog_dirs: Vec<PathBuf>,
    pub waivers: Vec<ProjectWaiver>,
    /// The files read: the config and its waivers file (no report may overwrite them).
    pub files: Vec<PathBuf>,
}

/// A waiver from the project config or its waivers file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectWaiver {
    /// The app, when the waiver names one (`APP/SETTING`).
    pub app: Option<String>,
    pub setting: String,
    pub reason: String,
    pub expires: Option<Date>,
    /// Where it is written, for messages (`file:line:column`).
    pub at: Diagnostic,
}

impl ProjectWaiver {
    /// `APP/SETTING`, or the setting id alone, as written.
    pub fn id(&self) -> String {
        match &self.app {
            Some(app) => format!("{app}/{}", self.setting),
            None => self.setting.clone(),
        }
    }

    /// Does it apply to `setting` of `app`?
    pub fn matches(&self, app: &str, setting: &str) -> bool {
        self.setting == setting && self.app.as_deref().is_none_or(|a| a == app)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawProject {
    fail_on: Option<Spanned<String>>,
    min_severity: Option<Spanned<String>>,
    unconfirmed: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
    format: Option<Vec<Spanned<String>>>,
    profile_dirs: Option<Vec<Spanned<String>>>,
    catalog_dirs: Option<Vec<Spanned<String>>>,
    waivers_file: Option<Spanned<String>>,
    #[serde(default)]
    waiver: Vec<RawWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaivers {
    #[serde(default)]
    waiver: Vec<RawWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    setting: Spanned<String>,
    reason: Spanned<String>,
    expires: Option<Spanned<toml::value::Datetime>>,
}

/// The project config to use: `explicit` (`--config`), else `privaudit.toml` in the
/// working directory if there is one. A config that exists but is bad is bad input.
pub fn load(explicit: Option<&Path>) -> Result<Option<Project>, Diagnostic> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => {
            let path = PathBuf::from(FILE_NAME);
            // Only a regular file (or a link to one) is taken without being asked for.
            if !path.is_file() {
                return Ok(None);
            }
            path
        }
    };
    // A FIFO or a device named with --config would be waited on or read forever.
    if path.exists() && !path.is_file() {
        return Err(Diagnostic::whole_file(
            &path.display().to_string(),
            "not a regular file",
        ));
    }
    let source = read_text_file(&path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut project = parse(&source, &base)?;
    project.files.insert(0, path);
    Ok(Some(project))
}

/// Parse a project config's text; relative paths are taken from `base`.
pub fn parse(source: &SourceText, base: &Path) -> Result<Project, Diagnostic> {
    let raw: RawProject = toml::from_str(&source.text)
        .map_err(|e| diag::from_toml(&source.name, &source.text, &e))?;
    let at = |span: std::ops::Range<usize>, message: String| {
        Diagnostic::at_span(&source.name, &source.text, &span, message)
    };
    let mut project = Project {
        fail_on: enum_value(&raw.fail_on, "fail-on", &at)?,
        min_severity: enum_value(&raw.min_severity, "min-severity", &at)?,
        unconfirmed: enum_value(&raw.unconfirmed, "unconfirmed", &at)?,
        lang: enum_value(&raw.lang, "lang", &at)?,
        ..Project::default()
    };
    for format in raw.format.iter().flatten() {
        let target = Target::parse(format.get_ref()).map_err(|e| at(format.span(), e))?;
        project.formats.push(target.relative_to(base));
    }
    project.profile_dirs = directories(&raw.profile_dirs, "profile-dirs", base, &at)?;
    project.catalog_dirs = directories(&raw.catalog_dirs, "catalog-dirs", base, &at)?;
    project.waivers = waivers(source, raw.waiver)?;
    if let Some(file) = &raw.waivers_file {
        let path = base.join(file.get_ref());
        if path.exists() && !path.is_file() {
            return Err(at(
                file.span(),
                format!("waivers-file: {} is not a regular file", path.display()),
            ));
        }
        let waivers_source = read_text_file(&path)
            .map_err(|problem| at(file.span(), format!("waivers-file: {}", problem.message)))?;
        project.waivers.extend(parse_waivers(&waivers_source)?);
        project.files.push(path);
    }
    Ok(project)
}

/// The directories of a `*-dirs` key, relative to `base`.
fn directories(
    dirs: &Option<Vec<Spanned<String>>>,
    what: &str,
    base: &Path,
    at: &impl Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Result<Vec<PathBuf>, Diagnostic> {
    dirs.iter()
        .flatten()
        .map(|dir| {
            let path = base.join(dir.get_ref());
            // Named on purpose: a directory that is not there is a mistake, not an empty
            // list.
            if path.is_dir() {
                Ok(path)
            } else {
                Err(at(
                    dir.span(),
                    format!("{what}: {} is not a directory", path.display()),
                ))
            }
        })
        .collect()
}

/// A value of one of clap's value enums (`fail-on = "high"`), with the choices when it is
/// none of them.
fn enum_value<T: ValueEnum>(
    value: &Option<Spanned<String>>,
    what: &str,
    at: &impl Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Result<Option<T>, Diagnostic> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.get_ref();
    T::from_str(text, false).map(Some).map_err(|_| {
        let choices: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| format!("`{}`", v.get_name()))
            .collect();
        at(
            value.span(),
            format!(
                "{what} cannot be `{}`; it is one of {}",
                sanitize(text),
                choices.join(", ")
            ),
        )
    })
}

/// Parse a waivers file: `[[waiver]]` entries, as in the project config.
pub fn parse_waivers(source: &SourceText) -> Result<Vec<ProjectWaiver>, Diagnostic> {
    let raw: RawWaivers = toml::from_str(&source.text)
        .map_err(|e| diag::from_toml(&source.name, &source.text, &e))?;
    waivers(source, raw.waiver)
}

fn waivers(source: &SourceText, raw: Vec<RawWaiver>) -> Result<Vec<ProjectWaiver>, Diagnostic> {
    let at = |span: std::ops::Range<usize>, message: &str| {
        Diagnostic::at_span(&source.name, &source.text, &span, message)
    };
    raw.into_iter()
        .map(|w| {
            let id = w.setting.get_ref().trim();
            let (app, setting) = match id.split_once('/') {
                Some((app, setting)) => (Some(app), setting),
                None => (None, id),
            };
            let well_formed = |part: &str| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            };
            if !app.is_none_or(well_formed) || !well_formed(setting) {
                return Err(at(
                    w.setting.span(),
                    "a waiver's setting is a setting id such as `online-status`, or \
                     APP/SETTING such as `douyin/online-status`",
                ));
            }
            let reason = sanitize(w.reason.get_ref().trim());
            if reason.is_empty() {
                return Err(at(
                    w.reason.span(),
                    "a waiver needs a reason: say why the exposure is accepted",
                ));
            }
            let expires = match &w.expires {
                None => None,
                Some(date) => {
                    let value = date.get_ref();
                    let day = value
                        .date
                        .filter(|_| value.time.is_none() && value.offset.is_none())
                        .and_then(|d| Date::new(i32::from(d.year), d.month, d.day));
                    Some(day.ok_or_else(|| {
                        at(date.span(), "`expires` must be a date such as 2027-06-30")
                    })?)
                }
            };
            Ok(ProjectWaiver {
                app: app.map(str::to_owned),
                setting: setting.to_owned(),
                reason,
                expires,
                at: at(w.setting.span(), "waiver"),
            })
        })
        .collect()
}

/// Each waiver must name a setting that exists in `profiles` (every profile known): of its
/// app when it names one, of some app for a bare setting id; and one id is waived once.
pub fn check_waivers(waivers: &[ProjectWaiver], profiles: &[Profile]) -> Result<(), Diagnostic> {
    let problem = |waiver: &ProjectWaiver, message: String| Diagnostic {
        message,
        ..waiver.at.clone()
    };
    for (i, waiver) in waivers.iter().enumerate() {
        // Two would leave which one counts to their order.
        if let Some(first) = waivers[..i]
            .iter()
            .find(|w| w.app == waiver.app && w.setting == waiver.setting)
        {
            let at = match first.at.line {
                Some(line) => format!("{}:{line}", sanitize(&first.at.file)),
                None => sanitize(&first.at.file),
            };
            return Err(problem(
                waiver,
                format!(
                    "a second waiver for `{}` (the first is at {at})",
                    waiver.id()
                ),
            ));
        }
        let mut apps = profiles
            .iter()
            .filter(|p| waiver.app.as_deref().is_none_or(|a| a == p.app.id))
            .peekable();
        if apps.peek().is_none() {
            let mut ids: Vec<&str> = profiles.iter().map(|p| p.app.id.as_str()).collect();
            ids.sort();
            ids.dedup();
            let app = waiver.app.as_deref().unwrap_or_default();
            return Err(problem(
                waiver,
                format!("no app `{app}` (known apps: {})", ids.join(", ")),
            ));
        }
        if !apps.any(|p| p.settings.iter().any(|s| s.id == waiver.setting)) {
            return Err(problem(
                waiver,
                match &waiver.app {
                    Some(app) => format!("app `{app}` has no setting `{}`", waiver.setting),
                    None => format!("no app has a setting `{}`", waiver.setting),
                },
            ));
        }
    }
    Ok(())
}
