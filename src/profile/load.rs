//! Parsing a profile from TOML and checking it, with a position for every problem.
//!
//! The text is parsed once into toml's tree of spanned values (`DeTable`); every table is
//! then read key by key, each value on its own. So one broken value never hides another:
//! `privaudit validate` shows an author, in one run, every unknown key, missing key and
//! value of the wrong kind, in every table, together with every problem of what the values
//! say (unknown ids, a default that is not an option, text missing in a language). A value
//! that could not be read is left out of the checks that depend on it, so a wrong type is
//! reported once, not again as the problems it would cause further on.

use super::{
    App, Flow, LabelKind, Link, Market, MenuPath, PartialDate, Profile, RulingLink, Setting,
    SettingEvidence, SettingOption, Switch,
};
use crate::catalog::Catalog;
use crate::diag::{self, Diagnostic, LineIndex};
use crate::evidence::Evidence;
use crate::source::SourceText;
use crate::text::{Localized, sanitize};
use crate::vocab::{Audience, DataCategory, Source};
use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

type Value<'i> = Spanned<DeValue<'i>>;

/// How much a profile must say beyond what the engine needs to judge it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Strictness {
    /// What every profile must satisfy to be loaded at all.
    #[default]
    Required,
    /// `privaudit validate --strict`: also where the facts come from (`sources` on the
    /// app and on every setting), how sure what each option sends is (`evidence.flows`,
    /// which otherwise falls back to the label's level), when the facts were last checked
    /// (`reviewed`), where the app is offered (`market`), and no placeholder text left
    /// from `privaudit new`.
    Strict,
}

/// Text `privaudit new` writes for the author to replace starts with one of these, so
/// `validate --strict` can find what is left.
pub const PLACEHOLDER_MARKS: [&str; 2] = ["TODO:", "待填："];

/// Is this text a placeholder written by `privaudit new`?
pub fn is_placeholder(text: &str) -> bool {
    let text = text.trim_start();
    PLACEHOLDER_MARKS.iter().any(|mark| text.starts_with(mark))
}

/// The catalog's lists a setting cites by id.
#[derive(Clone, Copy)]
enum CatalogList {
    Laws,
    Events,
}

/// What an optional key held, once read.
enum Got<T> {
    /// The key is not there.
    Absent,
    /// The key is there, but its value could not be read (the problem is reported).
    Bad,
    Read(T),
}

impl<T> Got<T> {
    fn read(&self) -> Option<&T> {
        match self {
            Got::Read(value) => Some(value),
            _ => None,
        }
    }

    fn is_absent(&self) -> bool {
        matches!(self, Got::Absent)
    }

    fn map<U>(self, f: impl FnOnce(T) -> U) -> Got<U> {
        match self {
            Got::Absent => Got::Absent,
            Got::Bad => Got::Bad,
            Got::Read(value) => Got::Read(f(value)),
        }
    }
}

/// A table being read: each key is taken out as it is read, so what is left at the end is
/// what the table should not hold.
struct Table<'i> {
    entries: DeTable<'i>,
    /// The table's header (`[app]`, `[[settings]]`) or its opening brace: where a missing
    /// key is reported.
    span: Range<usize>,
}

impl<'i> Table<'i> {
    fn take(&mut self, key: &str) -> Option<Value<'i>> {
        self.entries.remove(key)
    }
}

/// What a value of the wrong kind should have been, in the author's words.
mod expected {
    pub const APP: &str = "a table such as [app] with id, name, vendor and version";
    pub const TEXT: &str = "a text in both languages such as { en = \"...\", zh = \"...\" }";
    pub const VERSION: &str = "a string such as \"3.3.0\" or { en = \"...\", zh = \"...\" }";
    pub const PATH: &str = "a menu path such as { en = [\"Me\", \"Settings\"], zh = [...] }";
    pub const SETTINGS: &str = "an array of tables such as [[settings]]";
    pub const SETTING: &str = "a table such as [[settings]] with id, label, options and evidence";
    pub const EVIDENCE: &str = "a table such as { label = \"verified\", default = \"secondary\" }";
    pub const OPTIONS: &str = "an array of tables such as [[settings.options]]";
    pub const OPTION: &str = "a table such as [[settings.options]] with id, label and flows";
    pub const FLOWS: &str =
        "an array of flows such as [{ data = [\"contacts\"], to = \"friends\" }]";
    pub const FLOW: &str = "a flow such as { data = [\"contacts\"], to = \"friends\" }";
    pub const RULINGS: &str = "an array of ruling ids or { id = \"...\", link = \"...\" }";
    pub const RULING: &str = "a ruling id or { id = \"...\", link = \"direct\" | \"analogy\" }";
    pub const STRING: &str = "a string";
    pub const STRINGS: &str = "an array of strings";
    pub const DATE: &str = "a date such as 2026-11-01";
}

/// The keys each table may hold, in the order the README explains them.
mod keys {
    pub const ROOT: &[&str] = &["app", "settings"];
    pub const APP: &[&str] = &[
        "id",
        "family",
        "market",
        "name",
        "vendor",
        "version",
        "version-date",
        "reviewed",
        "sources",
        "note",
    ];
    pub const TEXT: &[&str] = &["en", "zh"];
    pub const SETTING: &[&str] = &[
        "id",
        "label",
        "label-kind",
        "path",
        "options",
        "default",
        "recommended",
        "rulings",
        "laws",
        "events",
        "sources",
        "evidence",
        "note",
        "caveat",
        "switch",
        "instead",
    ];
    pub const EVIDENCE: &[&str] = &["label", "default", "default-note", "path", "flows"];
    pub const OPTION: &[&str] = &["id", "label", "flows"];
    pub const FLOW: &[&str] = &["data", "to", "from"];
    pub const RULING: &[&str] = &["id", "link"];
}

/// Ids are kebab-case ASCII so they are stable across languages and safe in every format.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The known word closest to `word`, when it is close enough to be what was meant: a
/// typo (`huang-v-tencent-202`), a transposition (`defualt`), `_` for `-`, or the start of
/// an id (`ling-v-douyin`). Jaro-Winkler weighs a shared beginning, which ids of one
/// family have; 0.85 keeps unrelated words (`certain` against `verified`: 0.60) out.
fn nearest<'k>(word: &str, known: impl IntoIterator<Item = &'k str>) -> Option<&'k str> {
    const CLOSE: f64 = 0.85;
    // A hostile catalog can hold tens of thousands of ids: past this many, no suggestion
    // (comparing each bad id with each known one would be quadratic work).
    const MOST_COMPARED: usize = 2_000;
    let mut best: Option<(f64, &str)> = None;
    for candidate in known.into_iter().take(MOST_COMPARED) {
        let score = strsim::jaro_winkler(word, candidate);
        if score >= CLOSE && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// "unknown law id `pipl-99`; did you mean `pipl-29`? (known: ...)": the word, the nearest
/// known one when it is close, and every known one.
fn unknown(what: &str, word: &str, known: &[&str]) -> String {
    let mut message = format!("unknown {what} `{}`", sanitize(word));
    if let Some(near) = nearest(word, known.iter().copied()) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    // The known ids help when they are few; a catalog's thousands would bury the message.
    const MOST_LISTED: usize = 40;
    if known.len() <= MOST_LISTED {
        message.push_str(&format!(" (known: {})", known.join(", ")));
    } else {
        message.push_str(&format!(
            " (known: {}, ... {} in all: see `privaudit explain`)",
            known[..MOST_LISTED].join(", "),
            known.len()
        ));
    }
    message
}

/// At most this many problems are kept from one profile (a hostile file can hold a
/// million bad ids); the rest are counted in a last line.
pub const MOST_PROBLEMS: usize = 500;

/// "; did you mean `off`?" when one of `options` is close to `word`, else nothing.
fn did_you_mean<'k>(word: &str, known: impl IntoIterator<Item = &'k str>) -> String {
    nearest(word, known)
        .map(|near| format!("; did you mean `{near}`?"))
        .unwrap_or_default()
}

/// A value as a message names it: its kind, and a short quote of a scalar.
fn kind(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => {
            const SHOWN: usize = 60;
            match s.char_indices().nth(SHOWN) {
                Some((at, _)) => format!("string {:?}…", &s[..at]),
                None => format!("string {s:?}"),
            }
        }
        DeValue::Integer(i) => format!("integer `{}`", i.as_str()),
        DeValue::Float(f) => format!("float `{}`", f.as_str()),
        DeValue::Boolean(b) => format!("boolean `{b}`"),
        DeValue::Datetime(_) => "datetime".to_owned(),
        DeValue::Array(_) => "array".to_owned(),
        DeValue::Table(_) => "table".to_owned(),
    }
}

/// Parse and check a profile. On failure, every problem found, in file order.
pub fn parse_profile(
    source: &SourceText,
    catalog: &Catalog,
    origin: &str,
    builtin: bool,
) -> Result<Profile, Vec<Diagnostic>> {
    parse_profile_with(source, catalog, origin, builtin, Strictness::Required)
}

/// [`parse_profile`], demanding what `strictness` asks for too.
pub fn parse_profile_with(
    source: &SourceText,
    catalog: &Catalog,
    origin: &str,
    builtin: bool,
    strictness: Strictness,
) -> Result<Profile, Vec<Diagnostic>> {
    let root = DeTable::parse(&source.text)
        .map_err(|e| vec![diag::from_toml(&source.name, &source.text, &e)])?;
    let mut checker = Checker {
        source,
        catalog,
        strict: strictness == Strictness::Strict,
        lines: LineIndex::new(&source.text),
        problems: Vec::new(),
        not_kept: 0,
        market: None,
    };
    let profile = checker.profile(root, origin, builtin);
    let mut problems = checker.problems;
    if problems.is_empty() {
        Ok(profile)
    } else {
        // Stable: problems at one place stay in the order they were found.
        problems.sort_by_key(|d| (d.line, d.column));
        if checker.not_kept > 0 {
            problems.push(Diagnostic::whole_file(
                &source.name,
                format!(
                    "... and {} more problems not shown (fix these first)",
                    checker.not_kept
                ),
            ));
        }
        Err(problems)
    }
}

struct Checker<'a> {
    source: &'a SourceText,
    catalog: &'a Catalog,
    strict: bool,
    lines: LineIndex,
    problems: Vec<Diagnostic>,
    /// Problems found past [`MOST_PROBLEMS`], counted only.
    not_kept: usize,
    /// The app's market, once read: a ruling cannot be linked `direct` outside China.
    market: Option<Market>,
}

/// Raw values as read, with their places; `None` or [`Got::Bad`] where a value could not
/// be read (its problem already reported).
struct RawText {
    en: Got<String>,
    zh: Got<String>,
}

enum RawVersion {
    Plain(String),
    Text(RawText),
}

struct RawPath {
    en: Got<Vec<Spanned<String>>>,
    zh: Got<Vec<Spanned<String>>>,
}

struct RawEvidence {
    label: Option<Spanned<String>>,
    default: Got<Spanned<String>>,
    default_note: Got<Spanned<RawText>>,
    path: Got<Spanned<String>>,
    flows: Got<Spanned<String>>,
}

// Reading: the kind of each value, the keys of each table.
impl Checker<'_> {
    fn problem(&mut self, span: Range<usize>, message: String) {
        if self.problems.len() >= MOST_PROBLEMS {
            self.not_kept += 1;
            return;
        }
        self.problems.push(Diagnostic::at_indexed(
            &self.source.name,
            &self.source.text,
            &self.lines,
            span.start,
            message,
        ));
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines.line(offset.min(self.source.text.len()))
    }

    fn wrong_type(&mut self, value: &Value<'_>, expected: &str) {
        self.problem(
            value.span(),
            format!(
                "invalid type: {}, expected {expected}",
                kind(value.get_ref())
            ),
        );
    }

    fn table<'i>(&mut self, value: Value<'i>, expected: &str) -> Option<Table<'i>> {
        let span = value.span();
        match value.into_inner() {
            DeValue::Table(entries) => Some(Table { entries, span }),
            other => {
                self.wrong_type(&Spanned::new(span, other), expected);
                None
            }
        }
    }

    fn array<'i>(&mut self, value: Value<'i>, expected: &str) -> Option<Spanned<DeArray<'i>>> {
        let span = value.span();
        match value.into_inner() {
            DeValue::Array(items) => Some(Spanned::new(span, items)),
            other => {
                self.wrong_type(&Spanned::new(span, other), expected);
                None
            }
        }
    }

    fn string(&mut self, value: Value<'_>) -> Option<Spanned<String>> {
        let span = value.span();
        match value.into_inner() {
            DeValue::String(s) => Some(Spanned::new(span, s.into_owned())),
            other => {
                self.wrong_type(&Spanned::new(span, other), expected::STRING);
                None
            }
        }
    }

    /// An array of strings; an element of another kind is reported and left out.
    fn strings(&mut self, value: Value<'_>) -> Option<Spanned<Vec<Spanned<String>>>> {
        let items = self.array(value, expected::STRINGS)?;
        let span = items.span();
        let strings = items
            .into_inner()
            .into_iter()
            .filter_map(|item| self.string(item))
            .collect();
        Some(Spanned::new(span, strings))
    }

    fn date(&mut self, value: Value<'_>) -> Option<Spanned<toml::value::Datetime>> {
        let span = value.span();
        match value.into_inner() {
            DeValue::Datetime(d) => Some(Spanned::new(span, d)),
            other => {
                self.wrong_type(&Spanned::new(span, other), expected::DATE);
                None
            }
        }
    }

    /// A key every such table must have.
    fn required<'i, T>(
        &mut self,
        table: &mut Table<'i>,
        key: &str,
        context: &str,
        read: impl FnOnce(&mut Self, Value<'i>) -> Option<T>,
    ) -> Option<T> {
        match table.take(key) {
            Some(value) => read(self, value),
            None => {
                self.problem(
                    table.span.clone(),
                    format!("missing key `{key}` in {context}"),
                );
                None
            }
        }
    }

    fn optional<'i, T>(
        &mut self,
        table: &mut Table<'i>,
        key: &str,
        read: impl FnOnce(&mut Self, Value<'i>) -> Option<T>,
    ) -> Got<T> {
        match table.take(key) {
            None => Got::Absent,
            Some(value) => read(self, value).map_or(Got::Bad, Got::Read),
        }
    }

    /// Every key left in `table` once the known ones are taken: each one unknown.
    fn leftover(&mut self, table: Table<'_>, known: &[&str], context: &str) {
        for (key, _) in table.entries {
            let message = format!(
                "unknown key `{}` in {context}{} (known: {})",
                sanitize(key.get_ref()),
                did_you_mean(key.get_ref(), known.iter().copied()),
                known.join(", ")
            );
            self.problem(key.span(), message);
        }
    }

    fn raw_text(&mut self, value: Value<'_>, what: &str) -> Option<Spanned<RawText>> {
        let span = value.span();
        let mut table = self.table(value, expected::TEXT)?;
        let en = self.optional(&mut table, "en", Self::string);
        let zh = self.optional(&mut table, "zh", Self::string);
        self.leftover(table, keys::TEXT, what);
        Some(Spanned::new(
            span,
            RawText {
                en: en.map(Spanned::into_inner),
                zh: zh.map(Spanned::into_inner),
            },
        ))
    }

    fn raw_version(&mut self, value: Value<'_>) -> Option<Spanned<RawVersion>> {
        let span = value.span();
        match value.get_ref() {
            DeValue::String(_) => self
                .string(value)
                .map(|s| Spanned::new(span, RawVersion::Plain(s.into_inner()))),
            DeValue::Table(_) => self
                .raw_text(value, "app version")
                .map(|t| Spanned::new(span, RawVersion::Text(t.into_inner()))),
            _ => {
                self.wrong_type(&value, expected::VERSION);
                None
            }
        }
    }

    fn raw_path(&mut self, value: Value<'_>, context: &str) -> Option<Spanned<RawPath>> {
        let span = value.span();
        let mut table = self.table(value, expected::PATH)?;
        let en = self
            .optional(&mut table, "en", Self::strings)
            .map(Spanned::into_inner);
        let zh = self
            .optional(&mut table, "zh", Self::strings)
            .map(Spanned::into_inner);
        self.leftover(table, keys::TEXT, &format!("the menu path of {context}"));
        Some(Spanned::new(span, RawPath { en, zh }))
    }

    fn raw_evidence(&mut self, value: Value<'_>, context: &str) -> Option<Spanned<RawEvidence>> {
        let span = value.span();
        let mut table = self.table(value, expected::EVIDENCE)?;
        let what = format!("the evidence of {context}");
        let label = self.required(&mut table, "label", &what, Self::string);
        let default = self.optional(&mut table, "default", Self::string);
        let note_what = format!("evidence.default-note of {context}");
        let default_note = self.optional(&mut table, "default-note", |this, v| {
            this.raw_text(v, &note_what)
        });
        let path = self.optional(&mut table, "path", Self::string);
        let flows = self.optional(&mut table, "flows", Self::string);
        self.leftover(table, keys::EVIDENCE, &what);
        Some(Spanned::new(
            span,
            RawEvidence {
                label,
                default,
                default_note,
                path,
                flows,
            },
        ))
    }
}

// Checking: what the values say.
impl Checker<'_> {
    fn id(&mut self, id: &Spanned<String>, what: &str) -> String {
        if !is_valid_id(id.get_ref()) {
            self.problem(
                id.span(),
                format!(
                    "{what} id `{}` must be lower-case letters, digits and '-' (at most 64)",
                    sanitize(id.get_ref())
                ),
            );
        }
        id.get_ref().clone()
    }

    /// `--strict`: text left as `privaudit new` wrote it.
    fn placeholder(&mut self, span: Range<usize>, text: &str, what: &str) {
        if self.strict && is_placeholder(text) {
            self.problem(
                span,
                format!(
                    "{what} is still the placeholder `privaudit new` wrote (--strict: replace it)"
                ),
            );
        }
    }

    fn text(&mut self, text: &Spanned<RawText>, what: &str) -> Localized {
        self.text_at(text.span(), text.get_ref(), what)
    }

    fn text_at(&mut self, span: Range<usize>, raw: &RawText, what: &str) -> Localized {
        let mut pick = |value: &Got<String>, lang: &str| match value {
            Got::Read(v) if !v.trim().is_empty() => sanitize(v.trim()),
            Got::Bad => String::new(),
            _ => {
                self.problem(span.clone(), format!("{what} has no {lang} text"));
                String::new()
            }
        };
        let en = pick(&raw.en, "English (en)");
        let zh = pick(&raw.zh, "Chinese (zh)");
        // Once for the text, whichever language still holds it.
        let placeholder = if is_placeholder(&en) { &en } else { &zh };
        self.placeholder(span, placeholder, what);
        Localized { en, zh }
    }

    fn text_field<'i>(&mut self, table: &mut Table<'i>, key: &str, what: &str) -> Got<Localized> {
        self.optional(table, key, |this, v| this.raw_text(v, what))
            .map(|raw| self.text(&raw, what))
    }

    /// Sources: where the facts come from, as text. `--strict` wants them everywhere.
    fn sources(
        &mut self,
        got: Got<Spanned<Vec<Spanned<String>>>>,
        table_span: Range<usize>,
        context: &str,
    ) -> Vec<String> {
        match got {
            Got::Read(list) => {
                if self.strict && list.get_ref().is_empty() {
                    self.problem(
                        list.span(),
                        format!(
                            "{context} lists no sources (--strict: name where its facts come from)"
                        ),
                    );
                }
                list.into_inner()
                    .into_iter()
                    .map(|s| {
                        self.placeholder(s.span(), s.get_ref(), &format!("a source of {context}"));
                        sanitize(s.get_ref())
                    })
                    .collect()
            }
            Got::Absent => {
                if self.strict {
                    self.problem(
                        table_span,
                        format!(
                            "{context} has no `sources` (--strict: name where its facts come from, sources = [\"...\"])"
                        ),
                    );
                }
                Vec::new()
            }
            Got::Bad => Vec::new(),
        }
    }

    fn profile(&mut self, root: Spanned<DeTable<'_>>, origin: &str, builtin: bool) -> Profile {
        let mut root = Table {
            span: root.span(),
            entries: root.into_inner(),
        };
        let (app, app_id_span) = match root.take("app") {
            Some(value) => self.app(value),
            None => {
                self.problem(
                    root.span.clone(),
                    "missing key `app`: a profile starts with [app] (id, name, vendor, version)"
                        .to_owned(),
                );
                (None, None)
            }
        };
        let no_settings = |this: &mut Self| {
            this.problem(
                app_id_span.clone().unwrap_or(0..0),
                "profile declares no settings".to_owned(),
            );
        };
        let mut settings = Vec::new();
        match root.take("settings") {
            None => no_settings(self),
            Some(value) => {
                if let Some(items) = self.array(value, expected::SETTINGS) {
                    let items = items.into_inner();
                    if items.is_empty() {
                        no_settings(self);
                    }
                    settings.reserve(items.len());
                    let mut seen = HashSet::with_capacity(items.len());
                    for item in items {
                        if let Some(setting) = self.setting(item, &mut seen) {
                            settings.push(setting);
                        }
                    }
                }
            }
        }
        self.leftover(root, keys::ROOT, "the profile's top level");
        Profile {
            app: app.unwrap_or_else(|| App {
                id: String::new(),
                family: String::new(),
                market: None,
                name: Localized::default(),
                vendor: Localized::default(),
                version: Localized::default(),
                version_date: None,
                reviewed: None,
                sources: Vec::new(),
                note: None,
            }),
            settings,
            origin: origin.to_owned(),
            builtin,
        }
    }

    /// The app, and where its id is (where "no settings" is reported).
    fn app(&mut self, value: Value<'_>) -> (Option<App>, Option<Range<usize>>) {
        let Some(mut table) = self.table(value, expected::APP) else {
            return (None, None);
        };
        let context = "[app]";
        let raw_id = self.required(&mut table, "id", context, Self::string);
        let id = raw_id
            .as_ref()
            .map(|id| self.id(id, "app"))
            .unwrap_or_default();
        let family = match self.optional(&mut table, "family", Self::string) {
            Got::Read(family) => self.id(&family, "family"),
            _ => id.clone(),
        };
        let market = match self.optional(&mut table, "market", Self::string) {
            Got::Read(m) => {
                let market = Market::from_id(m.get_ref());
                if market.is_none() {
                    let known = Market::ALL.map(|m| m.id());
                    self.problem(m.span(), unknown("market", m.get_ref(), &known));
                }
                market
            }
            Got::Absent => {
                if self.strict {
                    self.problem(
                        table.span.clone(),
                        "[app] has no `market` (--strict: say where the app is offered, \"china\" or \"outside-china\")".to_owned(),
                    );
                }
                None
            }
            Got::Bad => None,
        };
        self.market = market;
        let name = self
            .required(&mut table, "name", context, |this, v| {
                this.raw_text(v, "app name")
            })
            .map(|raw| self.text(&raw, "app name"))
            .unwrap_or_default();
        let vendor = self
            .required(&mut table, "vendor", context, |this, v| {
                this.raw_text(v, "app vendor")
            })
            .map(|raw| self.text(&raw, "app vendor"))
            .unwrap_or_default();
        let version = self
            .required(&mut table, "version", context, Self::raw_version)
            .map(|raw| self.version(&raw))
            .unwrap_or_default();
        let version_date = match self.optional(&mut table, "version-date", Self::string) {
            Got::Read(d) => {
                let parsed = PartialDate::parse(d.get_ref().trim());
                if parsed.is_none() {
                    self.problem(
                        d.span(),
                        "`version-date` must be \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"".to_owned(),
                    );
                }
                parsed
            }
            _ => None,
        };
        let reviewed = match self.optional(&mut table, "reviewed", Self::date) {
            Got::Read(r) => {
                let value = r.get_ref();
                if value.date.is_none() || value.time.is_some() {
                    self.problem(
                        r.span(),
                        "`reviewed` must be a date such as 2026-11-23".to_owned(),
                    );
                }
                Some(value.to_string())
            }
            Got::Absent => {
                if self.strict {
                    self.problem(
                        table.span.clone(),
                        "[app] has no `reviewed` (--strict: the date the facts were last checked, such as reviewed = 2026-11-26)".to_owned(),
                    );
                }
                None
            }
            Got::Bad => None,
        };
        let sources = self.optional(&mut table, "sources", Self::strings);
        let sources = self.sources(sources, table.span.clone(), "[app]");
        let note = self
            .text_field(&mut table, "note", "app note")
            .read()
            .cloned();
        let span = table.span.clone();
        self.leftover(table, keys::APP, context);
        let app = App {
            id,
            family,
            market,
            name,
            vendor,
            version,
            version_date,
            reviewed,
            sources,
            note,
        };
        let id_span = raw_id.map_or(span, |id| id.span());
        (Some(app), Some(id_span))
    }

    fn version(&mut self, raw: &Spanned<RawVersion>) -> Localized {
        match raw.get_ref() {
            RawVersion::Plain(v) if !v.trim().is_empty() => {
                self.placeholder(raw.span(), v, "app version");
                let v = sanitize(v.trim());
                Localized::new(v.clone(), v)
            }
            RawVersion::Plain(_) => {
                self.problem(raw.span(), "app version is empty".to_owned());
                Localized::default()
            }
            RawVersion::Text(text) => self.text_at(raw.span(), text, "app version"),
        }
    }

    fn setting(&mut self, value: Value<'_>, seen: &mut HashSet<String>) -> Option<Setting> {
        let mut table = self.table(value, expected::SETTING)?;
        let raw_id = self.required(&mut table, "id", "[[settings]]", Self::string);
        let id = match &raw_id {
            Some(raw) => {
                let id = self.id(raw, "setting");
                if !seen.insert(id.clone()) {
                    self.problem(
                        raw.span(),
                        format!("duplicate setting id `{}`", sanitize(&id)),
                    );
                }
                id
            }
            None => String::new(),
        };
        let context = match &raw_id {
            Some(_) => format!("setting `{}`", sanitize(&id)),
            None => "[[settings]]".to_owned(),
        };
        let label_what = format!("label of {context}");
        let label = self
            .required(&mut table, "label", &context, |this, v| {
                this.raw_text(v, &label_what)
            })
            .map(|raw| self.text(&raw, &label_what))
            .unwrap_or_default();
        let label_kind = match self.optional(&mut table, "label-kind", Self::string) {
            Got::Read(kind) => match kind.get_ref().as_str() {
                "on-screen" => LabelKind::OnScreen,
                "descriptive" => LabelKind::Descriptive,
                other => {
                    let message = unknown("label-kind", other, &["on-screen", "descriptive"]);
                    self.problem(kind.span(), message);
                    LabelKind::OnScreen
                }
            },
            _ => LabelKind::OnScreen,
        };
        let raw_path = self.optional(&mut table, "path", |this, v| this.raw_path(v, &context));
        let path = match &raw_path {
            Got::Read(path) => self.menu_path(path, &context),
            _ => MenuPath::default(),
        };
        let options = self
            .required(&mut table, "options", &context, |this, v| {
                this.array(v, expected::OPTIONS)
            })
            .map(|items| self.options(items, &context));
        let default = self.optional(&mut table, "default", Self::string);
        let recommended = self.optional(&mut table, "recommended", Self::string);
        // Where each value names an option: only when every option's id could be read, or
        // a name could be missing for no fault of its own.
        let named = options.as_ref().filter(|(_, complete)| *complete);
        let find = |this: &mut Self, value: &Spanned<String>, what: &str| {
            let (options, _) = named?;
            let index = options.iter().position(|o| &o.id == value.get_ref());
            if index.is_none() {
                let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                this.problem(
                    value.span(),
                    format!(
                        "{what} `{}` of {context} is not one of its options ({}){}",
                        sanitize(value.get_ref()),
                        ids.join(", "),
                        did_you_mean(value.get_ref(), ids.iter().copied())
                    ),
                );
            }
            index
        };
        let default_index = default.read().and_then(|d| find(self, d, "default"));
        let declared = recommended
            .read()
            .map(|r| find(self, r, "recommended option"));
        let rulings = match self.optional(&mut table, "rulings", |this, v| {
            this.array(v, expected::RULINGS)
        }) {
            Got::Read(items) => items
                .into_inner()
                .into_iter()
                .filter_map(|item| self.ruling_link(item))
                .collect(),
            _ => Vec::new(),
        };
        let laws = self.catalog_ids(&mut table, CatalogList::Laws);
        let events = self.catalog_ids(&mut table, CatalogList::Events);
        let sources = self.optional(&mut table, "sources", Self::strings);
        let sources = self.sources(sources, table.span.clone(), &context);
        let raw_evidence = self.required(&mut table, "evidence", &context, |this, v| {
            this.raw_evidence(v, &context)
        });
        let evidence = raw_evidence
            .as_ref()
            .map(|raw| self.evidence(raw, &context, &default, &raw_path));
        let note = self.text_field(&mut table, "note", &format!("note of {context}"));
        let caveat = self.text_field(&mut table, "caveat", &format!("caveat of {context}"));
        let raw_switch = self.optional(&mut table, "switch", Self::string);
        let switch = match &raw_switch {
            Got::Read(value) => Switch::from_id(value.get_ref()).unwrap_or_else(|| {
                let known = Switch::ALL.map(|s| s.id());
                self.problem(value.span(), unknown("switch", value.get_ref(), &known));
                Switch::InApp
            }),
            _ => Switch::InApp,
        };
        let instead = self.text_field(&mut table, "instead", &format!("`instead` of {context}"));
        if switch != Switch::InApp && instead.is_absent() {
            let span = raw_switch.read().map_or(table.span.clone(), |s| s.span());
            self.problem(
                span,
                format!(
                    "{context} cannot be changed in the app (switch = \"{}\"): say what a user can do instead with `instead = {{ en = ..., zh = ... }}`",
                    switch.id()
                ),
            );
        }
        self.leftover(table, keys::SETTING, &context);
        let (options, _) = options?;
        let evidence = evidence?;
        if options.is_empty() {
            return None;
        }
        let (recommended, recommended_declared) = match declared {
            Some(Some(index)) => (index, true),
            Some(None) => return None,
            None => (least_exposing(&options), false),
        };
        let raw_id = raw_id?;
        Some(Setting {
            line: self.line_of(raw_id.span().start),
            default_line: default.read().map(|d| self.line_of(d.span().start)),
            id,
            label,
            label_kind,
            path,
            options,
            default: default_index,
            recommended,
            recommended_declared,
            rulings,
            laws,
            events,
            sources,
            evidence,
            note: note.read().cloned(),
            caveat: caveat.read().cloned(),
            switch,
            instead: instead.read().cloned(),
        })
    }

    /// A list of catalog ids (laws, events): each one the catalog does not have is a
    /// problem, with the nearest known id.
    fn catalog_ids(&mut self, table: &mut Table<'_>, list: CatalogList) -> Vec<String> {
        let (key, what) = match list {
            CatalogList::Laws => ("laws", "law id"),
            CatalogList::Events => ("events", "event id"),
        };
        let Got::Read(ids) = self.optional(table, key, Self::strings) else {
            return Vec::new();
        };
        let ids = ids.into_inner();
        let catalog = self.catalog;
        for id in &ids {
            let known = match list {
                CatalogList::Laws => catalog.law(id.get_ref()).is_some(),
                CatalogList::Events => catalog.event(id.get_ref()).is_some(),
            };
            if !known {
                let all: Vec<&str> = match list {
                    CatalogList::Laws => catalog.laws.iter().map(|l| l.id.as_str()).collect(),
                    CatalogList::Events => catalog.events.iter().map(|e| e.id.as_str()).collect(),
                };
                self.problem(id.span(), unknown(what, id.get_ref(), &all));
            }
        }
        ids.into_iter().map(|id| id.into_inner()).collect()
    }

    /// `"ruling-id"` (by analogy, the cautious reading) or `{ id = "...", link = "..." }`.
    fn ruling_link(&mut self, value: Value<'_>) -> Option<RulingLink> {
        let (id, link) = match value.get_ref() {
            DeValue::String(_) => (self.string(value)?, None),
            DeValue::Table(_) => {
                let mut table = self.table(value, expected::RULING)?;
                let context = "a ruling link";
                let id = self.required(&mut table, "id", context, Self::string);
                let link = self.optional(&mut table, "link", Self::string);
                self.leftover(table, keys::RULING, context);
                let link = match link {
                    Got::Read(link) => Some(link),
                    Got::Absent => None,
                    Got::Bad => return None,
                };
                (id?, link)
            }
            _ => {
                self.wrong_type(&value, expected::RULING);
                return None;
            }
        };
        let link = match link {
            None => Link::Analogy,
            Some(link) => match link.get_ref().as_str() {
                "direct" => {
                    if self.market == Some(Market::OutsideChina) {
                        self.problem(
                            link.span(),
                            format!(
                                "ruling `{}` is linked \"direct\", but the app is offered only outside China (market = \"outside-china\"): no Chinese court ruled on it, so the ruling can only be an analogy (link = \"analogy\")",
                                sanitize(id.get_ref())
                            ),
                        );
                    }
                    Link::Direct
                }
                "analogy" => Link::Analogy,
                other => {
                    self.problem(link.span(), unknown("link", other, &["direct", "analogy"]));
                    return None;
                }
            },
        };
        if self.catalog.ruling(id.get_ref()).is_none() {
            let known: Vec<&str> = self.catalog.rulings.iter().map(|r| r.id.as_str()).collect();
            let message = unknown("ruling id", id.get_ref(), &known);
            self.problem(id.span(), message);
            return None;
        }
        Some(RulingLink {
            id: id.into_inner(),
            link,
        })
    }

    fn menu_path(&mut self, path: &Spanned<RawPath>, context: &str) -> MenuPath {
        let raw = path.get_ref();
        let steps = |got: &Got<Vec<Spanned<String>>>| -> Option<Vec<String>> {
            match got {
                Got::Read(steps) => {
                    Some(steps.iter().map(|s| sanitize(s.get_ref().trim())).collect())
                }
                Got::Absent => Some(Vec::new()),
                Got::Bad => None,
            }
        };
        let (en, zh) = (steps(&raw.en), steps(&raw.zh));
        if en.as_ref().is_some_and(Vec::is_empty) || zh.as_ref().is_some_and(Vec::is_empty) {
            self.problem(
                path.span(),
                format!("menu path of {context} needs both `en` and `zh` steps"),
            );
        }
        for steps in [&raw.en, &raw.zh] {
            for step in steps.read().into_iter().flatten() {
                self.placeholder(
                    step.span(),
                    step.get_ref(),
                    &format!("a step of the menu path of {context}"),
                );
            }
        }
        MenuPath {
            en: en.unwrap_or_default(),
            zh: zh.unwrap_or_default(),
        }
    }

    /// Every option of a setting, and whether every option's id could be read.
    fn options(
        &mut self,
        items: Spanned<DeArray<'_>>,
        setting: &str,
    ) -> (Vec<SettingOption>, bool) {
        let span = items.span();
        let items = items.into_inner();
        if items.is_empty() {
            self.problem(span, format!("{setting} has no options"));
        }
        let mut seen = HashSet::new();
        let mut options = Vec::with_capacity(items.len());
        let mut complete = true;
        for item in items {
            let Some(mut table) = self.table(item, expected::OPTION) else {
                complete = false;
                continue;
            };
            let option_context = format!("[[settings.options]] of {setting}");
            let Some(raw_id) = self.required(&mut table, "id", &option_context, Self::string)
            else {
                complete = false;
                self.option_rest(table, &option_context, "");
                continue;
            };
            let id = self.id(&raw_id, "option");
            if !seen.insert(id.clone()) {
                self.problem(
                    raw_id.span(),
                    format!("duplicate option id `{}` in {setting}", sanitize(&id)),
                );
            }
            let context = format!("option `{}` of {setting}", sanitize(&id));
            let (label, flows) = self.option_rest(table, &context, &id);
            options.push(SettingOption { id, label, flows });
        }
        (options, complete)
    }

    /// An option's label and flows.
    fn option_rest(
        &mut self,
        mut table: Table<'_>,
        context: &str,
        id: &str,
    ) -> (Localized, Vec<Flow>) {
        let label_what = if id.is_empty() {
            format!("label of {context}")
        } else {
            format!("label of option `{}`", sanitize(id))
        };
        let label = self
            .required(&mut table, "label", context, |this, v| {
                this.raw_text(v, &label_what)
            })
            .map(|raw| self.text(&raw, &label_what))
            .unwrap_or_default();
        let mut flows = BTreeSet::new();
        if let Got::Read(items) = self.optional(&mut table, "flows", |this, v| {
            this.array(v, expected::FLOWS)
        }) {
            for item in items.into_inner() {
                self.flow(item, &mut flows);
            }
        }
        self.leftover(table, keys::OPTION, context);
        (label, flows.into_iter().collect())
    }

    fn flow(&mut self, value: Value<'_>, flows: &mut BTreeSet<Flow>) {
        let Some(mut table) = self.table(value, expected::FLOW) else {
            return;
        };
        let context = "a flow";
        let data = self.required(&mut table, "data", context, Self::strings);
        let to = self.required(&mut table, "to", context, Self::string);
        let from = self.optional(&mut table, "from", Self::string);
        self.leftover(table, keys::FLOW, context);
        let from = match from {
            Got::Absent => Some(Source::ThisApp),
            Got::Bad => None,
            Got::Read(from) => {
                let source = Source::from_id(from.get_ref());
                if source.is_none() {
                    let known = Source::ALL.map(|s| s.id());
                    self.problem(from.span(), unknown("source", from.get_ref(), &known));
                }
                source
            }
        };
        let to = to.and_then(|to| {
            let audience = Audience::from_id(to.get_ref());
            if audience.is_none() {
                let known = Audience::ALL.map(|a| a.id());
                self.problem(to.span(), unknown("audience", to.get_ref(), &known));
            }
            audience
        });
        let Some(data) = data else {
            return;
        };
        if data.get_ref().is_empty() {
            self.problem(
                data.span(),
                "a flow must name at least one data category".to_owned(),
            );
        }
        for item in data.get_ref() {
            match DataCategory::from_id(item.get_ref()) {
                Some(d) => {
                    if let (Some(to), Some(from)) = (to, from) {
                        flows.insert(Flow { data: d, to, from });
                    }
                }
                None if item.get_ref() == DataCategory::SPLIT_LOCATION => self.problem(
                    item.span(),
                    "`location` is split in two: `precise-location` (positions, movement trails) or `coarse-location` (city or region)".to_owned(),
                ),
                None => {
                    let known = DataCategory::ALL.map(|d| d.id());
                    self.problem(item.span(), unknown("data category", item.get_ref(), &known));
                }
            }
        }
    }

    /// The evidence levels, and their agreement with the facts they are about: a level
    /// for every default and path stated, none for one that is not.
    fn evidence(
        &mut self,
        raw: &Spanned<RawEvidence>,
        context: &str,
        default: &Got<Spanned<String>>,
        path: &Got<Spanned<RawPath>>,
    ) -> SettingEvidence {
        let mut level = |value: &Spanned<String>| {
            Evidence::from_id(value.get_ref()).unwrap_or_else(|| {
                let known = Evidence::ALL.map(|e| e.id());
                self.problem(
                    value.span(),
                    unknown("evidence level", value.get_ref(), &known),
                );
                Evidence::Unverified
            })
        };
        let r = raw.get_ref();
        let label = r.label.as_ref().map(&mut level);
        let default_level = r.default.read().map(&mut level);
        let path_level = r.path.read().map(&mut level);
        let flows = r.flows.read().map(&mut level);
        let default_note = r
            .default_note
            .read()
            .map(|n| self.text(n, &format!("evidence.default-note of {context}")));
        let span = raw.span();
        if default.is_absent() && default_level.is_some() {
            self.problem(
                span.clone(),
                format!("{context} gives evidence for a default it does not state"),
            );
        }
        if default.read().is_some() && r.default.is_absent() {
            self.problem(
                span.clone(),
                format!(
                    "{context} states a default without saying how sure it is (evidence.default)"
                ),
            );
        }
        if path.read().is_some() && r.path.is_absent() {
            self.problem(
                span.clone(),
                format!(
                    "{context} gives a menu path without saying how sure it is (evidence.path)"
                ),
            );
        }
        if path.is_absent() && path_level.is_some() {
            self.problem(
                span.clone(),
                format!("{context} gives evidence for a menu path it does not state"),
            );
        }
        if r.default.is_absent() && default_note.is_some() {
            self.problem(
                span.clone(),
                format!("{context} has a default-note but no default evidence"),
            );
        }
        if self.strict && r.flows.is_absent() {
            self.problem(
                span,
                format!(
                    "the evidence of {context} does not state `flows` (--strict: say how sure what each option sends is; without it the label's level is taken)"
                ),
            );
        }
        let label = label.unwrap_or(Evidence::Unverified);
        SettingEvidence {
            label,
            default: default_level,
            default_note,
            path: path_level,
            flows: flows.unwrap_or(label),
        }
    }
}

/// The option that exposes least; on a tie, the one declared first.
fn least_exposing(options: &[SettingOption]) -> usize {
    options
        .iter()
        .enumerate()
        .min_by_key(|(i, o)| (o.exposure_weight(), *i))
        .map_or(0, |(i, _)| i)
}
