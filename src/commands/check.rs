//! `privaudit check`: audit apps (defaults, or an account state) and report.

use super::{Outcome, emit, fail_with};
use crate::audit::audit;
use crate::catalog;
use crate::cli::{CheckArgs, Format};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::profile::Profile;
use crate::registry;
use crate::report::{Checked, Style, json, text};
use crate::source::read_text_file;
use crate::state::{Selection, parse_state_toml};

pub fn run(args: &CheckArgs) -> Outcome {
    let catalog = catalog::builtin();
    let mut profiles: Vec<Profile> = Vec::new();
    for app in &args.apps {
        match registry::resolve(app, catalog) {
            Ok(profile) => profiles.push(profile),
            Err(problems) => return fail_with(&problems),
        }
    }
    let mut selections: Vec<(Selection, Option<String>)> = profiles
        .iter()
        .map(|p| (Selection::defaults(p), None))
        .collect();
    if let Some(path) = &args.state {
        let state = match read_text_file(path).and_then(|source| parse_state_toml(&source)) {
            Ok(state) => state,
            Err(problem) => return fail_with(&[problem]),
        };
        let Some(index) = profiles.iter().position(|p| p.app.id == state.app) else {
            let ids: Vec<_> = profiles.iter().map(|p| p.app.id.as_str()).collect();
            let problem = match state.app_pos {
                Some((line, col)) => Diagnostic::at_line(
                    &state.source,
                    line,
                    Some(col),
                    format!(
                        "state is for app `{}`, which is not being checked ({})",
                        crate::text::sanitize(&state.app),
                        ids.join(", ")
                    ),
                ),
                None => Diagnostic::whole_file(&state.source, "state names no app"),
            };
            return fail_with(&[problem]);
        };
        match state.bind(&profiles[index]) {
            Ok(selection) => selections[index] = (selection, Some(state.source.clone())),
            Err(problem) => return fail_with(&[problem]),
        }
    }
    let today = Date::today();
    let checked: Vec<Checked<'_>> = profiles
        .iter()
        .zip(selections)
        .map(|(profile, (selection, state))| Checked {
            profile,
            report: audit(profile, &selection, catalog, today),
            state,
        })
        .collect();
    let style = Style {
        lang: args.lang,
        color: args.format == Format::Text && args.color.enabled(),
        catalog,
    };
    let output = match args.format {
        Format::Text => checked
            .iter()
            .map(|c| text::render(c, style))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => json::document(&checked, style) + "\n",
        Format::Jsonl => checked
            .iter()
            .map(|c| json::line(c, style) + "\n")
            .collect(),
    };
    emit(&output);
    let failed = args
        .fail_on
        .threshold()
        .is_some_and(|threshold| checked.iter().any(|c| c.report.fails_at(threshold)));
    if failed { Outcome::Fail } else { Outcome::Pass }
}
