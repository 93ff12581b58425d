//! What a check was asked to do: the command line over the project config over the
//! defaults, resolved once, so that the rest of `check` reads one set of settled values.

use crate::audit::{Severity, Unconfirmed};
use crate::cli::{BadInput, CheckArgs, Detail, FailOn, Format, Target};
use crate::diag::Diagnostic;
use crate::project::{self, Project, ProjectWaiver};
use crate::text::Lang;
use std::path::PathBuf;

/// A check's settled options.
#[derive(Debug)]
pub struct CheckOptions {
    /// The reports to write, in the order given; at most one goes to standard output (none
    /// with `--quiet`).
    pub targets: Vec<Target>,
    /// The one report asked for is JSON Lines on standard output (before `--quiet` took it
    /// away): with standard input, privaudit is then a filter.
    pub json_lines_out: bool,
    pub detail: Detail,
    pub key: String,
    pub bad_input: BadInput,
    pub allow_empty: bool,
    pub quiet: bool,
    pub fail_on: FailOn,
    pub min_severity: Severity,
    pub unconfirmed: Unconfirmed,
    pub lang: Lang,
    /// Colour for a text report on standard output.
    pub color: bool,
    /// Directories of profiles from the project config, searched before the user's own.
    pub profile_dirs: Vec<PathBuf>,
    /// Directories of catalog files from the project config, read after the user's own.
    pub catalog_dirs: Vec<PathBuf>,
    /// The project's waivers, for every state checked.
    pub waivers: Vec<ProjectWaiver>,
    /// The project config and waivers file, which no report may overwrite.
    pub config_files: Vec<PathBuf>,
}

impl CheckOptions {
    /// Settle the options: `args` over the project config (`--config`, or privaudit.toml
    /// in the working directory unless `--no-config`) over the defaults. An error is a
    /// message for the user: bad usage, or a bad config file.
    pub fn resolve(args: &CheckArgs) -> Result<CheckOptions, String> {
        let project = if args.no_config {
            None
        } else {
            project::load(args.config.as_deref()).map_err(|d: Diagnostic| d.to_string())?
        };
        Self::from_parts(args, project.unwrap_or_default())
    }

    /// [`resolve`](Self::resolve) with the project config already read.
    pub fn from_parts(args: &CheckArgs, project: Project) -> Result<CheckOptions, String> {
        let mut targets = if !args.format.is_empty() {
            args.format.clone()
        } else if !project.formats.is_empty() {
            project.formats
        } else {
            vec![Target {
                format: Format::Text,
                file: None,
            }]
        };
        let to_stdout = targets.iter().filter(|t| t.file.is_none()).count();
        if to_stdout > 1 {
            return Err(
                "only one report can go to standard output; give the others a file, \
                 e.g. --format sarif:privaudit.sarif"
                    .to_owned(),
            );
        }
        if let Some(output) = args
            .output
            .as_ref()
            .filter(|o| !crate::cli::is_stdout_name(o))
        {
            let Some(target) = targets.iter_mut().find(|t| t.file.is_none()) else {
                return Err(
                    "-o/--output is for the report that would go to standard output, and \
                     every format here already has a file"
                        .to_owned(),
                );
            };
            target.file = Some(output.clone());
        }
        // Two reports into one file would leave only the last, however the file is named.
        let places: Vec<Option<PathBuf>> = targets
            .iter()
            .map(|t| t.file.as_deref().map(crate::commands::sink::resolved))
            .collect();
        for (i, place) in places.iter().enumerate() {
            if place.is_some() && places[..i].contains(place) {
                let file = targets[i]
                    .file
                    .as_deref()
                    .unwrap_or(std::path::Path::new("-"));
                return Err(format!(
                    "two reports would be written to {}",
                    crate::text::sanitize(&file.display().to_string())
                ));
            }
        }
        let json_lines_out =
            matches!(&targets[..], [t] if t.format == Format::Jsonl && t.file.is_none());
        if args.detail == Detail::Compact && !targets.iter().any(|t| t.format == Format::Jsonl) {
            return Err(
                "--detail compact is a form of JSON Lines: use it with --format jsonl".to_owned(),
            );
        }
        if ["app", "settings", "waivers", ""].contains(&args.key.as_str()) {
            return Err(format!(
                "--key names the field that holds a record's key; `{}` cannot be one (`app`, \
                 `settings` and `waivers` are the state itself)",
                crate::text::sanitize(&args.key)
            ));
        }
        if args.quiet {
            targets.retain(|t| t.file.is_some());
        }
        let color = args.color.enabled()
            && targets
                .iter()
                .any(|t| t.format == Format::Text && t.file.is_none());
        Ok(CheckOptions {
            targets,
            json_lines_out,
            detail: args.detail,
            key: args.key.clone(),
            bad_input: args.bad_input,
            allow_empty: args.allow_empty,
            quiet: args.quiet,
            fail_on: args.fail_on.or(project.fail_on).unwrap_or(FailOn::Low),
            min_severity: args
                .min_severity
                .or(project.min_severity)
                .unwrap_or(Severity::Low),
            unconfirmed: args.unconfirmed.or(project.unconfirmed).unwrap_or_default(),
            lang: args.lang.or(project.lang).unwrap_or_default(),
            color,
            profile_dirs: project.profile_dirs,
            catalog_dirs: project.catalog_dirs,
            waivers: project.waivers,
            config_files: project.files,
        })
    }

    /// The formats of the reports, in order.
    pub fn formats(&self) -> Vec<Format> {
        self.targets.iter().map(|t| t.format).collect()
    }

    /// Only JSON Lines is written: the one format whose lines a worker can put together
    /// for a whole block.
    pub fn only_json_lines(&self) -> bool {
        matches!(&self.targets[..], [t] if t.format == Format::Jsonl)
    }

    /// Bad states are told in the report only: it is JSON Lines on standard output, where
    /// each has its error line. Anywhere else (a file, another format, `--quiet`), they are
    /// also told on stderr.
    pub fn errors_in_band(&self) -> bool {
        matches!(&self.targets[..], [t] if t.format == Format::Jsonl && t.file.is_none())
    }
}
