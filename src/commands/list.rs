//! `privaudit list`: the profiles available.
//!
//! A user profile (or catalog file) that cannot be read is named on stderr with its whole
//! problem and left out, and the list still exits 0: it lists what is available, and a
//! broken file of the user's is not bad input to `list` (`privaudit validate FILE` is the
//! command that judges a file). A user profile standing in for a built-in one is said
//! too.

use super::{Outcome, emit};
use crate::catalog;
use crate::cli::{ListArgs, ListFormat};
use crate::registry;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    /// The app this profile is a version of (its own id for an app's main profile).
    family: &'a str,
    name_en: &'a str,
    name_zh: &'a str,
    version: &'a str,
    settings: usize,
    source: &'static str,
    path: &'a str,
    /// A user profile used instead of the built-in profile of the same app.
    replaces_builtin: bool,
}

pub fn run(args: &ListArgs) -> Outcome {
    let merged = catalog::load_in(&catalog::catalog_dirs(&[]));
    merged.report(&[]);
    let found = registry::find_all_in(&merged.catalog, &registry::profile_dirs(&[]));
    for problem in &found.problems {
        crate::diag::print_warning(format_args!("{problem} (profile left out)"));
    }
    for replaced in &found.replaced {
        crate::diag::print_notice(replaced);
    }
    let rows: Vec<Row<'_>> = found
        .profiles
        .iter()
        .map(|p| Row {
            id: &p.app.id,
            family: &p.app.family,
            name_en: &p.app.name.en,
            name_zh: &p.app.name.zh,
            version: &p.app.version.en,
            settings: p.settings.len(),
            source: if p.builtin { "built-in" } else { "user" },
            path: &p.origin,
            replaces_builtin: found.replaced.iter().any(|r| r.app == p.app.id),
        })
        .collect();
    let outcome = Outcome::Pass;
    match args.format {
        ListFormat::Json => emit(
            &(serde_json::to_string_pretty(&rows).expect("rows serialise") + "\n"),
            outcome,
        ),
        ListFormat::Text => {
            let table: Vec<[String; 6]> = std::iter::once(
                ["ID", "NAME", "名称", "VERSION", "SETTINGS", "SOURCE"].map(str::to_owned),
            )
            .chain(rows.iter().map(|r| {
                [
                    r.id.to_owned(),
                    r.name_en.to_owned(),
                    r.name_zh.to_owned(),
                    r.version.to_owned(),
                    r.settings.to_string(),
                    if r.replaces_builtin {
                        format!("{} (replaces built-in)", r.path)
                    } else if r.source == "user" {
                        r.path.to_owned()
                    } else {
                        r.source.to_owned()
                    },
                ]
            }))
            .collect();
            emit(&pad_table(&table), outcome)
        }
    }
}

/// Columns padded by display width, so Chinese names (two columns a character) line up.
fn pad_table(rows: &[[String; 6]]) -> String {
    let mut widths = [0usize; 6];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.width())))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
