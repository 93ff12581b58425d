//! `privaudit diff OLD NEW`: default drift between two profiles of one app, or the changes
//! between two account states. Exit 1 when anything moved toward exposure.
//!
//! Text and Markdown name options by their labels in `--lang` (ids are for machines);
//! JSON keeps the ids and adds the labels beside them.

use super::{Outcome, emit, fail_with};
use crate::audit::drift::{Change, ChangeKind, Direction, profile_drift, state_drift};
use crate::catalog::{self, Catalog};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diag::Diagnostic;
use crate::profile::{Profile, parse_profile};
use crate::registry;
use crate::report::markdown::escape;
use crate::source::read_profile_file_or_stream;
use crate::state::{AccountState, parse_state_toml};
use crate::text::Lang;
use serde::Serialize;
use std::fmt::Write;
use std::path::Path;

/// What a diff argument turned out to be.
enum Input {
    Profile(Profile),
    State(AccountState),
}

fn load(arg: &str, catalog: &Catalog) -> Result<Input, Vec<Diagnostic>> {
    if !registry::looks_like_path(arg) {
        return registry::resolve(arg, catalog).map(Input::Profile);
    }
    // Named on the command line: a pipe is read too.
    let source = read_profile_file_or_stream(Path::new(arg)).map_err(|d| vec![d])?;
    // A profile has an [app] table; a state has `app = "id"`.
    let is_state = matches!(
        toml::from_str::<toml::Table>(&source.text).map(|t| t.get("app").cloned()),
        Ok(Some(toml::Value::String(_)))
    );
    if is_state {
        parse_state_toml(&source)
            .map(Input::State)
            .map_err(|d| vec![d])
    } else {
        let origin = source.name.clone();
        parse_profile(&source, catalog, &origin, false)
            .map(Input::Profile)
            .map_err(|mut problems| {
                catalog.hint_left_out(&mut problems);
                problems
            })
    }
}

#[derive(Serialize)]
struct JsonDiff<'a> {
    /// As in the reports: the version of this shape.
    schema_version: u32,
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
    /// The setting's label in `--lang`.
    label: String,
    /// The labels of the options `old` and `new` name (`null` where there is no option,
    /// and for waivers, whose `old`/`new` are reasons).
    old_label: Option<String>,
    new_label: Option<String>,
}

/// The two profiles a diff reads labels from: the old and new versions of an app, or one
/// profile twice for two account states.
struct Labels<'p> {
    old: &'p Profile,
    new: &'p Profile,
    lang: Lang,
}

/// Before or after.
#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

impl Labels<'_> {
    /// The setting's label: from the new profile, or the old one for a removed setting.
    fn setting(&self, c: &Change) -> String {
        self.new
            .setting(&c.setting)
            .or_else(|| self.old.setting(&c.setting))
            .map_or_else(|| c.setting.clone(), |s| s.label.get(self.lang).to_owned())
    }

    /// The label of the option on `side`, if that side names an option.
    fn option(&self, c: &Change, side: Side) -> Option<String> {
        if matches!(
            c.change,
            ChangeKind::WaiverAdded | ChangeKind::WaiverRemoved
        ) {
            return None;
        }
        let (profile, id) = match side {
            Side::Old => (self.old, c.old.as_deref()?),
            Side::New => (self.new, c.new.as_deref()?),
        };
        let setting = profile.setting(&c.setting)?;
        Some(setting.option_label(id, self.lang).to_owned())
    }

    /// What a person reads for `side`: the option's label or the waiver's reason, quoted,
    /// or what its absence means.
    fn shown(&self, c: &Change, side: Side) -> String {
        let lang = self.lang;
        let value = match side {
            Side::Old => c.old.as_deref(),
            Side::New => c.new.as_deref(),
        };
        let text = match c.change {
            ChangeKind::WaiverAdded | ChangeKind::WaiverRemoved => value.map(str::to_owned),
            _ => self.option(c, side).or_else(|| value.map(str::to_owned)),
        };
        if let Some(text) = text {
            return match lang {
                Lang::En => format!("\"{text}\""),
                Lang::Zh => format!("“{text}”"),
            };
        }
        let words = match (c.change, side) {
            (ChangeKind::DefaultNowKnown | ChangeKind::DefaultNowUnknown, _)
            | (ChangeKind::Added, Side::New) => ("default not stated", "未载明默认值"),
            (ChangeKind::Changed, _) => ("unknown", "未知"),
            _ => ("none", "无"),
        };
        w(lang, words.0, words.1).to_owned()
    }
}

fn w(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub fn run(args: &DiffArgs) -> Outcome {
    let merged = catalog::load_in(&catalog::catalog_dirs(&[]));
    merged.report(&[]);
    let catalog: &Catalog = &merged.catalog;
    let (old, new) = match (load(&args.old, catalog), load(&args.new, catalog)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(problems), _) | (_, Err(problems)) => return fail_with(&problems),
    };
    let (kind, old_profile, profile, changes) = match (old, new) {
        (Input::Profile(old), Input::Profile(new)) => {
            // Two versions of one app (`douyin-2019` and `douyin`) share a family.
            if old.app.family != new.app.family {
                return fail_with(&[Diagnostic::whole_file(
                    &args.new,
                    format!(
                        "profile is for app `{}`, but {} is for `{}` (profiles compare only with versions of the same app: the same `family`)",
                        new.app.family, args.old, old.app.family
                    ),
                )]);
            }
            let changes = profile_drift(&old, &new);
            ("profiles", Some(old), new, changes)
        }
        (Input::State(old), Input::State(new)) => {
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
            ("states", None, profile, changes)
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
    let labels = Labels {
        old: old_profile.as_ref().unwrap_or(&profile),
        new: &profile,
        lang: args.lang,
    };
    let toward = changes
        .iter()
        .filter(|c| c.direction == Direction::TowardExposure)
        .count();
    let text = match args.format {
        DiffFormat::Json => {
            let doc = JsonDiff {
                schema_version: crate::report::json::SCHEMA_VERSION,
                kind,
                app: &profile.app.id,
                old: &args.old,
                new: &args.new,
                toward_exposure: toward,
                changes: changes
                    .iter()
                    .map(|c| JsonChange {
                        change: c,
                        label: labels.setting(c),
                        old_label: labels.option(c, Side::Old),
                        new_label: labels.option(c, Side::New),
                    })
                    .collect(),
            };
            serde_json::to_string_pretty(&doc).expect("diff serialises") + "\n"
        }
        DiffFormat::Text => render_text(args, &profile, &changes, &labels),
        DiffFormat::Markdown => render_markdown(args, kind, &profile, &changes, &labels),
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

/// The groups every face shows, in order, with their headings.
fn groups(lang: Lang) -> [(Direction, &'static str, &'static str); 3] {
    [
        (
            Direction::TowardExposure,
            w(lang, "TOWARD EXPOSURE", "趋向暴露"),
            w(lang, "Toward exposure", "趋向暴露"),
        ),
        (
            Direction::AwayFromExposure,
            w(lang, "AWAY FROM EXPOSURE", "减少暴露"),
            w(lang, "Away from exposure", "减少暴露"),
        ),
        (
            Direction::Neutral,
            w(lang, "OTHER CHANGES", "其他变化"),
            w(lang, "Other changes", "其他变化"),
        ),
    ]
}

fn change_words(kind: ChangeKind, lang: Lang) -> &'static str {
    match kind {
        ChangeKind::Changed => w(lang, "changed", "已变更"),
        // Only what the profiles describe is known: a setting one of them leaves out may
        // still exist in that version of the app.
        ChangeKind::Added => w(lang, "only in the newer profile", "仅见于较新的档案"),
        ChangeKind::Removed => w(lang, "only in the older profile", "仅见于较旧的档案"),
        ChangeKind::DefaultNowKnown => w(lang, "default now known", "默认值已明确"),
        ChangeKind::DefaultNowUnknown => w(lang, "default no longer known", "默认值不再明确"),
        ChangeKind::WaiverAdded => w(lang, "waiver added", "新增豁免"),
        ChangeKind::WaiverRemoved => w(lang, "waiver removed", "豁免已移除"),
    }
}

/// "posts -> anyone; activity -> friends", with `arrow` between data and audience.
fn flows(flows: &[crate::profile::Flow], lang: Lang, arrow: &str) -> String {
    flows
        .iter()
        .map(|f| format!("{}{arrow}{}", f.data.name(lang), f.to.name(lang)))
        .collect::<Vec<_>>()
        .join(w(lang, "; ", "；"))
}

/// "Version: 4.3.1 (2019) -> recent build" when two profiles of one app describe
/// different versions.
fn versions_line(labels: &Labels) -> Option<String> {
    let lang = labels.lang;
    let version = |p: &Profile| {
        let v = p.app.version.get(lang).to_owned();
        match p.app.version_date {
            Some(date) => v + &crate::audit::explain::parens(&date.to_string(), lang),
            None => v,
        }
    };
    let (old, new) = (version(labels.old), version(labels.new));
    if std::ptr::eq(labels.old, labels.new) || old == new {
        return None;
    }
    Some(match lang {
        Lang::En => format!("Version: {old} -> {new}"),
        Lang::Zh => format!("版本：{old} → {new}"),
    })
}

fn render_text(args: &DiffArgs, profile: &Profile, changes: &[Change], labels: &Labels) -> String {
    let lang = args.lang;
    let mut out = String::new();
    let (old, new) = (
        crate::text::sanitize(&args.old),
        crate::text::sanitize(&args.new),
    );
    let name = profile.app.name.get(lang);
    let id = &profile.app.id;
    let _ = match lang {
        Lang::En => writeln!(out, "{name} {id} ({old} -> {new})"),
        Lang::Zh => writeln!(out, "{name} {id}（{old} -> {new}）"),
    };
    if let Some(versions) = versions_line(labels) {
        let _ = writeln!(out, "{versions}");
    }
    if changes.is_empty() {
        let _ = writeln!(out, "{}", w(lang, "Nothing changed.", "没有变化。"));
    }
    for (direction, heading, _) in groups(lang) {
        let group: Vec<_> = changes
            .iter()
            .filter(|c| c.direction == direction)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{heading}");
        for c in group {
            let _ = writeln!(
                out,
                "- {} [{}]{}{}{}{} -> {}",
                labels.setting(c),
                c.setting,
                w(lang, ": ", "："),
                change_words(c.change, lang),
                w(lang, ", ", "，"),
                labels.shown(c, Side::Old),
                labels.shown(c, Side::New),
            );
            if !c.newly_exposed.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}{}",
                    w(lang, "newly exposed: ", "新增暴露："),
                    flows(&c.newly_exposed, lang, " -> ")
                );
            }
            if !c.no_longer_exposed.is_empty() {
                let _ = writeln!(
                    out,
                    "  {}{}",
                    w(lang, "no longer exposed: ", "不再暴露："),
                    flows(&c.no_longer_exposed, lang, " -> ")
                );
            }
        }
    }
    out
}

/// A heading, a line of counts and a table per direction, for a pull-request comment.
/// Everything from the inputs (names, labels, reasons, paths) is escaped.
fn render_markdown(
    args: &DiffArgs,
    kind: &str,
    profile: &Profile,
    changes: &[Change],
    labels: &Labels,
) -> String {
    let lang = args.lang;
    let mut out = String::new();
    let what = match kind {
        "profiles" => w(lang, "defaults", "默认设置"),
        _ => w(lang, "account states", "账户状态"),
    };
    let name = escape(profile.app.name.get(lang));
    let _ = match lang {
        Lang::En => writeln!(out, "## privaudit diff: {name} ({what})\n"),
        Lang::Zh => writeln!(out, "## privaudit 对比：{name}（{what}）\n"),
    };
    let count = |d: Direction| changes.iter().filter(|c| c.direction == d).count();
    let (toward, away, other) = (
        count(Direction::TowardExposure),
        count(Direction::AwayFromExposure),
        count(Direction::Neutral),
    );
    let (old, new) = (
        escape(&crate::text::sanitize(&args.old)),
        escape(&crate::text::sanitize(&args.new)),
    );
    if let Some(versions) = versions_line(labels) {
        let _ = writeln!(out, "{}\n", escape(&versions));
    }
    let _ = match (lang, changes.is_empty()) {
        (Lang::En, true) => writeln!(out, "{old} → {new}: nothing changed."),
        (Lang::Zh, true) => writeln!(out, "{old} → {new}：没有变化。"),
        (Lang::En, false) => writeln!(
            out,
            "{old} → {new}: {toward} toward exposure, {away} away from exposure, {other} other."
        ),
        (Lang::Zh, false) => writeln!(
            out,
            "{old} → {new}：趋向暴露 {toward} 项，减少暴露 {away} 项，其他变化 {other} 项。"
        ),
    };
    let header = match lang {
        Lang::En => {
            "| Setting | Change | Before | After | Newly exposed | No longer exposed |\n|---|---|---|---|---|---|\n"
        }
        Lang::Zh => {
            "| 设置 | 变化 | 之前 | 之后 | 新增暴露 | 不再暴露 |\n|---|---|---|---|---|---|\n"
        }
    };
    for (direction, _, heading) in groups(lang) {
        let group: Vec<_> = changes
            .iter()
            .filter(|c| c.direction == direction)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = write!(out, "\n### {heading}\n\n{header}");
        for c in group {
            let cell = |flows_: &[crate::profile::Flow]| {
                if flows_.is_empty() {
                    "—".to_owned()
                } else {
                    escape(&flows(flows_, lang, " → "))
                }
            };
            // Setting ids are lowercase letters, digits and hyphens: safe in a code span.
            let _ = writeln!(
                out,
                "| {} `{}` | {} | {} | {} | {} | {} |",
                escape(&labels.setting(c)),
                c.setting,
                change_words(c.change, lang),
                escape(&labels.shown(c, Side::Old)),
                escape(&labels.shown(c, Side::New)),
                cell(&c.newly_exposed),
                cell(&c.no_longer_exposed),
            );
        }
    }
    out
}
