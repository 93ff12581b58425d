//! Parsing a profile from TOML and checking it, with a position for every problem.
//!
//! Parsing goes through "raw" structs that keep the source span of each value; checking
//! then collects every problem it finds (not just the first), so `privaudit validate`
//! can show a profile author all of them at once.

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
use serde::Deserialize;
use std::collections::{BTreeSet, HashSet};
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    app: RawApp,
    #[serde(default)]
    settings: Vec<RawSetting>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, remote = "Self")]
struct RawApp {
    id: Spanned<String>,
    #[serde(default)]
    family: Option<Spanned<String>>,
    #[serde(default)]
    market: Option<Spanned<String>>,
    name: Spanned<RawText>,
    vendor: Spanned<RawText>,
    version: Spanned<RawVersion>,
    #[serde(default)]
    version_date: Option<Spanned<String>>,
    #[serde(default)]
    reviewed: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    note: Option<Spanned<RawText>>,
}

diag::map_only!(
    RawApp,
    "a table such as [app] with id, name, vendor and version"
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
struct RawText {
    #[serde(default)]
    en: Option<String>,
    #[serde(default)]
    zh: Option<String>,
}

diag::map_only!(
    RawText,
    "a text in both languages such as { en = \"...\", zh = \"...\" }"
);

/// `"3.3.0"`, or words in each language: `{ en = "recent build", zh = "近期版本" }`. A
/// hand-written visitor, so a wrong type is reported like any other type error.
enum RawVersion {
    Plain(String),
    Text(RawText),
}

impl<'de> Deserialize<'de> for RawVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawVersion;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string such as \"3.3.0\" or { en = \"...\", zh = \"...\" }")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawVersion, E> {
                Ok(RawVersion::Plain(v.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawVersion, A::Error> {
                RawText::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RawVersion::Text)
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
struct RawPath {
    #[serde(default)]
    en: Vec<String>,
    #[serde(default)]
    zh: Vec<String>,
}

diag::map_only!(
    RawPath,
    "a menu path such as { en = [\"Me\", \"Settings\"], zh = [...] }"
);

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, remote = "Self")]
struct RawSetting {
    id: Spanned<String>,
    label: Spanned<RawText>,
    #[serde(default)]
    label_kind: Option<Spanned<String>>,
    #[serde(default)]
    path: Option<Spanned<RawPath>>,
    options: Spanned<Vec<RawOption>>,
    #[serde(default)]
    default: Option<Spanned<String>>,
    #[serde(default)]
    recommended: Option<Spanned<String>>,
    /// Ruling ids (cited by analogy) or `{ id = "...", link = "direct" | "analogy" }`.
    #[serde(default)]
    rulings: Vec<Spanned<toml::Value>>,
    #[serde(default)]
    laws: Vec<Spanned<String>>,
    #[serde(default)]
    events: Vec<Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
    evidence: Spanned<RawEvidence>,
    #[serde(default)]
    note: Option<Spanned<RawText>>,
    #[serde(default)]
    caveat: Option<Spanned<RawText>>,
    #[serde(default)]
    switch: Option<Spanned<String>>,
    #[serde(default)]
    instead: Option<Spanned<RawText>>,
}

diag::map_only!(
    RawSetting,
    "a table such as [[settings]] with id, label, options and evidence"
);

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, remote = "Self")]
struct RawEvidence {
    label: Spanned<String>,
    #[serde(default)]
    default: Option<Spanned<String>>,
    #[serde(default)]
    default_note: Option<Spanned<RawText>>,
    #[serde(default)]
    path: Option<Spanned<String>>,
    #[serde(default)]
    flows: Option<Spanned<String>>,
}

diag::map_only!(
    RawEvidence,
    "a table such as { label = \"verified\", default = \"secondary\" }"
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
struct RawOption {
    id: Spanned<String>,
    label: Spanned<RawText>,
    #[serde(default)]
    flows: Vec<RawFlow>,
}

diag::map_only!(
    RawOption,
    "a table such as [[settings.options]] with id, label and flows"
);

#[derive(Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
struct RawFlow {
    data: Spanned<Vec<Spanned<String>>>,
    to: Spanned<String>,
    #[serde(default)]
    from: Option<Spanned<String>>,
}

diag::map_only!(
    RawFlow,
    "a flow such as { data = [\"contacts\"], to = \"friends\" }"
);

/// Ids are kebab-case ASCII so they are stable across languages and safe in every format.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Parse and check a profile. On failure, every problem found, in file order.
pub fn parse_profile(
    source: &SourceText,
    catalog: &Catalog,
    origin: &str,
    builtin: bool,
) -> Result<Profile, Vec<Diagnostic>> {
    let raw: RawProfile = toml::from_str(&source.text)
        .map_err(|e| vec![diag::from_toml(&source.name, &source.text, &e)])?;
    let mut checker = Checker {
        source,
        lines: LineIndex::new(&source.text),
        problems: Vec::new(),
    };
    let profile = checker.profile(raw, catalog, origin, builtin);
    let mut problems = checker.problems;
    if problems.is_empty() {
        Ok(profile)
    } else {
        problems.sort_by_key(|d| (d.line, d.column));
        Err(problems)
    }
}

struct Checker<'a> {
    source: &'a SourceText,
    lines: LineIndex,
    problems: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn problem(&mut self, span: std::ops::Range<usize>, message: String) {
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

    fn text(&mut self, text: &Spanned<RawText>, what: &str) -> Localized {
        let raw = text.get_ref();
        let mut pick = |value: &Option<String>, lang: &str| match value {
            Some(v) if !v.trim().is_empty() => sanitize(v.trim()),
            _ => {
                self.problem(text.span(), format!("{what} has no {lang} text"));
                String::new()
            }
        };
        let en = pick(&raw.en, "English (en)");
        let zh = pick(&raw.zh, "Chinese (zh)");
        Localized { en, zh }
    }

    fn profile(
        &mut self,
        raw: RawProfile,
        catalog: &Catalog,
        origin: &str,
        builtin: bool,
    ) -> Profile {
        let app = self.app(&raw.app);
        let mut seen = HashSet::new();
        let mut settings = Vec::with_capacity(raw.settings.len());
        for raw_setting in &raw.settings {
            if !seen.insert(raw_setting.id.get_ref().clone()) {
                self.problem(
                    raw_setting.id.span(),
                    format!(
                        "duplicate setting id `{}`",
                        sanitize(raw_setting.id.get_ref())
                    ),
                );
            }
            if let Some(setting) = self.setting(raw_setting, catalog) {
                settings.push(setting);
            }
        }
        if raw.settings.is_empty() {
            self.problem(raw.app.id.span(), "profile declares no settings".to_owned());
        }
        Profile {
            app,
            settings,
            origin: origin.to_owned(),
            builtin,
        }
    }

    fn app(&mut self, raw: &RawApp) -> App {
        let id = self.id(&raw.id, "app");
        let family = match &raw.family {
            Some(family) => self.id(family, "family"),
            None => id.clone(),
        };
        let market = raw.market.as_ref().and_then(|m| {
            let market = Market::from_id(m.get_ref());
            if market.is_none() {
                self.problem(
                    m.span(),
                    format!(
                        "unknown market `{}` (known: {})",
                        sanitize(m.get_ref()),
                        Market::ALL.map(|m| m.id()).join(", ")
                    ),
                );
            }
            market
        });
        let version = self.version(&raw.version);
        let version_date = raw.version_date.as_ref().and_then(|d| {
            let parsed = PartialDate::parse(d.get_ref().trim());
            if parsed.is_none() {
                self.problem(
                    d.span(),
                    "`version-date` must be \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"".to_owned(),
                );
            }
            parsed
        });
        let reviewed = raw.reviewed.as_ref().map(|r| {
            let value = r.get_ref();
            if value.date.is_none() || value.time.is_some() {
                self.problem(
                    r.span(),
                    "`reviewed` must be a date such as 2026-11-23".to_owned(),
                );
            }
            value.to_string()
        });
        App {
            id,
            family,
            market,
            name: self.text(&raw.name, "app name"),
            vendor: self.text(&raw.vendor, "app vendor"),
            version,
            version_date,
            reviewed,
            sources: raw.sources.iter().map(|s| sanitize(s)).collect(),
            note: raw.note.as_ref().map(|n| self.text(n, "app note")),
        }
    }

    fn version(&mut self, raw: &Spanned<RawVersion>) -> Localized {
        match raw.get_ref() {
            RawVersion::Plain(v) if !v.trim().is_empty() => {
                let v = sanitize(v.trim());
                Localized::new(v.clone(), v)
            }
            RawVersion::Plain(_) => {
                self.problem(raw.span(), "app version is empty".to_owned());
                Localized::default()
            }
            RawVersion::Text(text) => {
                let spanned = Spanned::new(
                    raw.span(),
                    RawText {
                        en: text.en.clone(),
                        zh: text.zh.clone(),
                    },
                );
                self.text(&spanned, "app version")
            }
        }
    }

    fn setting(&mut self, raw: &RawSetting, catalog: &Catalog) -> Option<Setting> {
        let id = self.id(&raw.id, "setting");
        let label = self.text(&raw.label, &format!("label of setting `{id}`"));
        let path = match &raw.path {
            Some(path) => self.menu_path(path, &id),
            None => MenuPath::default(),
        };
        let options = self.options(&raw.options, &id);
        let find = |this: &mut Self, value: &Spanned<String>, what: &str| {
            let index = options.iter().position(|o| &o.id == value.get_ref());
            if index.is_none() {
                this.problem(
                    value.span(),
                    format!(
                        "{what} `{}` of setting `{id}` is not one of its options ({})",
                        sanitize(value.get_ref()),
                        options
                            .iter()
                            .map(|o| o.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            index
        };
        let default = raw.default.as_ref().and_then(|d| find(self, d, "default"));
        let declared = raw
            .recommended
            .as_ref()
            .map(|r| find(self, r, "recommended option"));
        let rulings: Vec<RulingLink> = raw
            .rulings
            .iter()
            .filter_map(|r| self.ruling_link(r, catalog))
            .collect();
        let label_kind = match &raw.label_kind {
            None => LabelKind::OnScreen,
            Some(kind) => match kind.get_ref().as_str() {
                "on-screen" => LabelKind::OnScreen,
                "descriptive" => LabelKind::Descriptive,
                other => {
                    self.problem(
                        kind.span(),
                        format!(
                            "unknown label-kind `{}` (known: on-screen, descriptive)",
                            sanitize(other)
                        ),
                    );
                    LabelKind::OnScreen
                }
            },
        };
        let switch = match &raw.switch {
            None => Switch::InApp,
            Some(value) => Switch::from_id(value.get_ref()).unwrap_or_else(|| {
                self.problem(
                    value.span(),
                    format!(
                        "unknown switch `{}` (known: {})",
                        sanitize(value.get_ref()),
                        Switch::ALL.map(|s| s.id()).join(", ")
                    ),
                );
                Switch::InApp
            }),
        };
        let instead = raw
            .instead
            .as_ref()
            .map(|n| self.text(n, &format!("`instead` of setting `{id}`")));
        if switch != Switch::InApp && instead.is_none() {
            let span = raw.switch.as_ref().map_or(raw.id.span(), |s| s.span());
            self.problem(
                span,
                format!(
                    "setting `{id}` cannot be changed in the app (switch = \"{}\"): say what a user can do instead with `instead = {{ en = ..., zh = ... }}`",
                    switch.id()
                ),
            );
        }
        let caveat = raw
            .caveat
            .as_ref()
            .map(|n| self.text(n, &format!("caveat of setting `{id}`")));
        for law in &raw.laws {
            if catalog.law(law.get_ref()).is_none() {
                self.problem(
                    law.span(),
                    format!("unknown law id `{}`", sanitize(law.get_ref())),
                );
            }
        }
        for event in &raw.events {
            if catalog.event(event.get_ref()).is_none() {
                self.problem(
                    event.span(),
                    format!("unknown event id `{}`", sanitize(event.get_ref())),
                );
            }
        }
        let evidence = self.evidence(&raw.evidence, &id);
        if raw.default.is_none() && evidence.default.is_some() {
            self.problem(
                raw.evidence.span(),
                format!("setting `{id}` gives evidence for a default it does not state"),
            );
        }
        if raw.default.is_some() && evidence.default.is_none() {
            self.problem(
                raw.evidence.span(),
                format!(
                    "setting `{id}` states a default without saying how sure it is (evidence.default)"
                ),
            );
        }
        if raw.path.is_some() && evidence.path.is_none() {
            self.problem(
                raw.evidence.span(),
                format!(
                    "setting `{id}` gives a menu path without saying how sure it is (evidence.path)"
                ),
            );
        }
        if raw.path.is_none() && evidence.path.is_some() {
            self.problem(
                raw.evidence.span(),
                format!("setting `{id}` gives evidence for a menu path it does not state"),
            );
        }
        let note = raw
            .note
            .as_ref()
            .map(|n| self.text(n, &format!("note of setting `{id}`")));
        if options.is_empty() {
            return None;
        }
        let (recommended, recommended_declared) = match declared {
            Some(Some(index)) => (index, true),
            Some(None) => return None,
            None => (least_exposing(&options), false),
        };
        Some(Setting {
            line: self.line_of(raw.id.span().start),
            default_line: raw.default.as_ref().map(|d| self.line_of(d.span().start)),
            id,
            label,
            label_kind,
            path,
            options,
            default,
            recommended,
            recommended_declared,
            rulings,
            laws: raw.laws.iter().map(|l| l.get_ref().clone()).collect(),
            events: raw.events.iter().map(|e| e.get_ref().clone()).collect(),
            sources: raw.sources.iter().map(|s| sanitize(s)).collect(),
            evidence,
            note,
            caveat,
            switch,
            instead,
        })
    }

    /// `"ruling-id"` (by analogy, the cautious reading) or `{ id = "...", link = "..." }`.
    fn ruling_link(&mut self, raw: &Spanned<toml::Value>, catalog: &Catalog) -> Option<RulingLink> {
        let (id, link) = match raw.get_ref() {
            toml::Value::String(id) => (id.clone(), Link::Analogy),
            toml::Value::Table(table) => {
                if let Some(key) = table.keys().find(|k| !matches!(k.as_str(), "id" | "link")) {
                    self.problem(
                        raw.span(),
                        format!(
                            "unknown key `{}` in a ruling link (known: id, link)",
                            sanitize(key)
                        ),
                    );
                    return None;
                }
                let Some(id) = table.get("id").and_then(toml::Value::as_str) else {
                    self.problem(raw.span(), "a ruling link needs `id = \"...\"`".to_owned());
                    return None;
                };
                let link = match table.get("link").map(|l| l.as_str()) {
                    None => Link::Analogy,
                    Some(Some("direct")) => Link::Direct,
                    Some(Some("analogy")) => Link::Analogy,
                    Some(other) => {
                        self.problem(
                            raw.span(),
                            format!(
                                "unknown link `{}` (known: direct, analogy)",
                                sanitize(other.unwrap_or("(not a string)"))
                            ),
                        );
                        return None;
                    }
                };
                (id.to_owned(), link)
            }
            _ => {
                self.problem(
                    raw.span(),
                    "a ruling is an id or { id = \"...\", link = \"direct\" | \"analogy\" }"
                        .to_owned(),
                );
                return None;
            }
        };
        if catalog.ruling(&id).is_none() {
            self.problem(raw.span(), format!("unknown ruling id `{}`", sanitize(&id)));
            return None;
        }
        Some(RulingLink { id, link })
    }

    fn menu_path(&mut self, path: &Spanned<RawPath>, id: &str) -> MenuPath {
        let raw = path.get_ref();
        if raw.en.is_empty() || raw.zh.is_empty() {
            self.problem(
                path.span(),
                format!("menu path of setting `{id}` needs both `en` and `zh` steps"),
            );
        }
        MenuPath {
            en: raw.en.iter().map(|s| sanitize(s.trim())).collect(),
            zh: raw.zh.iter().map(|s| sanitize(s.trim())).collect(),
        }
    }

    fn options(&mut self, raw: &Spanned<Vec<RawOption>>, setting: &str) -> Vec<SettingOption> {
        if raw.get_ref().is_empty() {
            self.problem(raw.span(), format!("setting `{setting}` has no options"));
        }
        let mut seen = HashSet::new();
        let mut options = Vec::new();
        for option in raw.get_ref() {
            let id = self.id(&option.id, "option");
            if !seen.insert(id.clone()) {
                self.problem(
                    option.id.span(),
                    format!(
                        "duplicate option id `{}` in setting `{setting}`",
                        sanitize(&id)
                    ),
                );
            }
            let label = self.text(&option.label, &format!("label of option `{id}`"));
            let mut flows = BTreeSet::new();
            for flow in &option.flows {
                let from = match &flow.from {
                    None => Some(Source::ThisApp),
                    Some(from) => {
                        let source = Source::from_id(from.get_ref());
                        if source.is_none() {
                            self.problem(
                                from.span(),
                                format!(
                                    "unknown source `{}` (known: {})",
                                    sanitize(from.get_ref()),
                                    Source::ALL.map(|s| s.id()).join(", ")
                                ),
                            );
                        }
                        source
                    }
                };
                let to = Audience::from_id(flow.to.get_ref());
                if to.is_none() {
                    self.problem(
                        flow.to.span(),
                        format!(
                            "unknown audience `{}` (known: {})",
                            sanitize(flow.to.get_ref()),
                            Audience::ALL.map(|a| a.id()).join(", ")
                        ),
                    );
                }
                if flow.data.get_ref().is_empty() {
                    self.problem(
                        flow.data.span(),
                        "a flow must name at least one data category".to_owned(),
                    );
                }
                for data in flow.data.get_ref() {
                    match DataCategory::from_id(data.get_ref()) {
                        Some(d) => {
                            if let (Some(to), Some(from)) = (to, from) {
                                flows.insert(Flow { data: d, to, from });
                            }
                        }
                        None if data.get_ref() == DataCategory::SPLIT_LOCATION => self.problem(
                            data.span(),
                            "`location` is split in two: `precise-location` (positions, movement trails) or `coarse-location` (city or region)".to_owned(),
                        ),
                        None => self.problem(
                            data.span(),
                            format!(
                                "unknown data category `{}` (known: {})",
                                sanitize(data.get_ref()),
                                DataCategory::ALL.map(|d| d.id()).join(", ")
                            ),
                        ),
                    }
                }
            }
            options.push(SettingOption {
                id,
                label,
                flows: flows.into_iter().collect(),
            });
        }
        options
    }

    fn evidence(&mut self, raw: &Spanned<RawEvidence>, setting: &str) -> SettingEvidence {
        let mut level = |value: &Spanned<String>| {
            Evidence::from_id(value.get_ref()).unwrap_or_else(|| {
                self.problem(
                    value.span(),
                    format!(
                        "unknown evidence level `{}` (known: {})",
                        sanitize(value.get_ref()),
                        Evidence::ALL.map(|e| e.id()).join(", ")
                    ),
                );
                Evidence::Unverified
            })
        };
        let r = raw.get_ref();
        let label = level(&r.label);
        let default = r.default.as_ref().map(&mut level);
        let path = r.path.as_ref().map(&mut level);
        let flows = r.flows.as_ref().map(&mut level).unwrap_or(label);
        let default_note = r
            .default_note
            .as_ref()
            .map(|n| self.text(n, &format!("evidence.default-note of setting `{setting}`")));
        if default.is_none() && default_note.is_some() {
            self.problem(
                raw.span(),
                format!("setting `{setting}` has a default-note but no default evidence"),
            );
        }
        SettingEvidence {
            label,
            default,
            default_note,
            path,
            flows,
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
