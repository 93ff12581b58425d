//! `privaudit diff OLD NEW`: default drift between two profiles of one app, or the changes
//! between two account states. Exit 1 when anything moved toward exposure.

use super::{Outcome, emit, fail_with};
use crate::audit::drift::{Change, ChangeKind, Direction, profile_drift, state_drift};
use crate::catalog::{self, Catalog};
use crate::cli::{DiffArgs, ListFormat};
use crate::diag::Diagnostic;
use crate::profile::{Profile, parse_profile};
use crate::registry;
use crate::source::read_profile_file;
use crate::state::{AccountState, parse_state_toml};
use crate::text::Lang;
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

/// What a diff argument turned out to be.
enum Side {
    Profile(Profile),
    State(AccountState),
}

fn load(arg: &str, catalog: &Catalog) -> Result<Side, Vec<Diagnostic>> {
    if !registry::looks_like_path(arg) {
        return registry::resolve(arg, catalog).map(Side::Profile);
    }
    let source = read_profile_file(Path::new(arg)).map_err(|d| vec![d])?;
    // A profile has an [app] table; a state has `app = "id"`.
    let is_state = matches!(
        toml::from_str::<toml::Table>(&source.text).map(|t| t.get("app").cloned()),
        Ok(Some(toml::Value::String(_)))
    );
    if is_state {
        parse_state_toml(&source)
            .map(Side::State)
            .map_err(|d| vec![d])
    } else {
        let origin = source.name.clone();
        parse_profile(&source, catalog, &origin, false).map(Side::Profile)
    }
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    kind: &'static str,
    app: &'a str,
    old: &'a str,
    new: &'a str,
    toward_exposure: usize,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    #[serde(flatten)]
    change: &'a Change,
    label: String,
}

pub fn run(args: &DiffArgs) -> Outcome {
    let catalog = catalog::builtin();
    let (old, new) = match (load(&args.old, catalog), load(&args.new, catalog)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(problems), _) | (_, Err(problems)) => return fail_with(&problems),
    };
    let (kind, profile, changes) = match (old, new) {
        (Side::Profile(old), Side::Profile(new)) => {
            if old.app.id != new.app.id {
                return fail_with(&[Diagnostic::whole_file(
                    &args.new,
                    format!(
                        "profile is for app `{}`, but {} is for `{}`",
                        new.app.id, args.old, old.app.id
                    ),
                )]);
            }
            let changes = profile_drift(&old, &new);
            ("profiles", new, changes)
        }
        (Side::State(old), Side::State(new)) => {
            if old.app != new.app {
                return fail_with(&[Diagnostic::whole_file(
                    &args.new,
                    format!(
                        "state is for app `{}`, but {} is for `{}`",
                        crate::text::sanitize(&new.app),
                        args.old,
                        crate::text::sanitize(&old.app)
                    ),
                )]);
            }
            let profile = match registry::resolve(&old.app, catalog) {
                Ok(p) => p,
                Err(problems) => return fail_with(&problems),
            };
            let selections = old
                .bind(&profile)
                .and_then(|o| new.bind(&profile).map(|n| (o, n)));
            let (old_sel, new_sel) = match selections {
                Ok(pair) => pair,
                Err(problem) => return fail_with(&[problem]),
            };
            let changes = state_drift(&profile, &old_sel, &new_sel);
            ("states", profile, changes)
        }
        _ => {
            return fail_with(&[Diagnostic::whole_file(
                &args.new,
                format!(
                    "cannot compare a profile with an account state ({} and {})",
                    args.old, args.new
                ),
            )]);
        }
    };
    let toward = changes
        .iter()
        .filter(|c| c.direction == Direction::TowardExposure)
        .count();
    let label = |c: &Change| {
        profile
            .setting(&c.setting)
            .map(|s| s.label.get(args.lang).to_owned())
            .unwrap_or_else(|| c.setting.clone())
    };
    let text = match args.format {
        ListFormat::Json => {
            let doc = JsonDiff {
                kind,
                app: &profile.app.id,
                old: &args.old,
                new: &args.new,
                toward_exposure: toward,
                changes: changes
                    .iter()
                    .map(|c| JsonChange {
                        change: c,
                        label: label(c),
                    })
                    .collect(),
            };
            serde_json::to_string_pretty(&doc).expect("diff serialises") + "\n"
        }
        ListFormat::Text => render_text(args, &profile, &changes, label),
    };
    emit(
        &text,
        if toward > 0 {
            Outcome::Fail
        } else {
            Outcome::Pass
        },
    )
}

fn render_text(
    args: &DiffArgs,
    profile: &Profile,
    changes: &[Change],
    label: impl Fn(&Change) -> String,
) -> String {
    let lang = args.lang;
    let w = |en: &'static str, zh: &'static str| match lang {
        Lang::En => en,
        Lang::Zh => zh,
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({} -> {})",
        profile.app.name.get(lang),
        profile.app.id,
        crate::text::sanitize(&args.old),
        crate::text::sanitize(&args.new)
    );
    if changes.is_empty() {
        let _ = writeln!(out, "{}", w("Nothing changed.", "没有变化。"));
    }
    let groups = [
        (Direction::TowardExposure, w("TOWARD EXPOSURE", "趋向暴露")),
        (
            Direction::AwayFromExposure,
            w("AWAY FROM EXPOSURE", "减少暴露"),
        ),
        (Direction::Neutral, w("OTHER CHANGES", "其他变化")),
    ];
    for (direction, heading) in groups {
        let group: Vec<_> = changes
            .iter()
            .filter(|c| c.direction == direction)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}");
        for c in group {
            let what = match c.change {
                ChangeKind::Changed => w("changed", "已变更"),
                ChangeKind::Added => w("new setting", "新增设置"),
                ChangeKind::Removed => w("setting removed", "设置已移除"),
                ChangeKind::DefaultNowKnown => w("default now known", "默认值已明确"),
                ChangeKind::DefaultNowUnknown => w("default no longer known", "默认值不再明确"),
                ChangeKind::WaiverAdded => w("waiver added", "新增豁免"),
                ChangeKind::WaiverRemoved => w("waiver removed", "豁免已移除"),
            };
            let _ = writeln!(
                out,
                "- {} [{}]{}{what}{}{} -> {}",
                label(c),
                c.setting,
                w(": ", "："),
                w(", ", "，"),
                c.old.as_deref().unwrap_or("-"),
                c.new.as_deref().unwrap_or("-")
            );
            let flows = |flows: &[crate::profile::Flow]| {
                flows
                    .iter()
                    .map(|f| format!("{} -> {}", f.data.name(lang), f.to.name(lang)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            if !c.newly_exposed.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}{}",
                    w("newly exposed: ", "新增暴露："),
                    flows(&c.newly_exposed)
                );
            }
            if !c.no_longer_exposed.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}{}",
                    w("no longer exposed: ", "不再暴露："),
                    flows(&c.no_longer_exposed)
                );
            }
        }
    }
    out
}
