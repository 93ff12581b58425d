//! `privaudit list`: the profiles available.

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
}

pub fn run(args: &ListArgs) -> Outcome {
    let (profiles, problems) = registry::all_profiles(catalog::builtin());
    for problem in &problems {
        crate::diag::print_error(problem);
    }
    let rows: Vec<Row<'_>> = profiles
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
        })
        .collect();
    let outcome = if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::BadInput
    };
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
                    if r.source == "user" {
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
