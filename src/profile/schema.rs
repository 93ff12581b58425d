//! The JSON Schema of the profile format (`privaudit schema profile`), for editors: with a
//! `#:schema` line, a TOML language server (taplo, Even Better TOML) checks a profile as it
//! is typed, completes its keys and ids, and shows what each one means.
//!
//! Why the format is declared a second time here: the loader (`load.rs`) reads a profile
//! through `Raw*` structs whose values are `toml::Spanned` (to name file:line:column), reads
//! the version and the ruling links with hand-written visitors, and checks every id against
//! the vocabulary and the catalog in code, after parsing. None of that derives a schema a
//! reader can use: a span is not part of the format, a visitor has no shape a derive can
//! see, and an id checked in code is a plain string to a derive. So the types below describe
//! the same format as plain data, with the id sets taken from the same constants the loader
//! checks against. `tests/profile_schema.rs` holds the two together: a profile using every
//! key the loader accepts must validate, and each mutation the loader refuses (an unknown
//! key, a wrong type, a missing key, an unknown id) must fail the schema too.
//!
//! What a schema cannot say is left to `privaudit validate`: that `default` names one of the
//! setting's options, that ids are unique, that a date `reviewed = "2026-11-01"` is quoted
//! (TOML dates reach a schema as strings; `taplo` and our tests convert them so).

// The types are never built: they exist to be described.
#![allow(dead_code)]

use crate::catalog::{self, Catalog};
use crate::evidence::Evidence;
use crate::profile::{LabelKind, Link, Market, Switch};
use crate::text::Lang;
use crate::vocab::{Audience, DataCategory, Source};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::Value;
use std::borrow::Cow;

/// The `$id` of the profile schema: a name, not an address (nothing is fetched from it).
pub const PROFILE_SCHEMA_ID: &str = "urn:privaudit:schema:profile";

/// The JSON Schema (draft 2020-12) of a profile TOML file, as editors read it.
pub fn profile_schema() -> Schema {
    input_schema::<ProfileFile>(PROFILE_SCHEMA_ID, "privaudit profile")
}

/// The schema of `T`, a TOML input format, for editors: draft 2020-12, with `$id` and
/// `title`, every type written in place (taplo shows the description of the schema it
/// lands on and ignores the text beside a `$ref`, so a field's own description is only
/// seen where its type is inlined), and no `null`, which TOML does not have.
pub(crate) fn input_schema<T: JsonSchema>(id: &str, title: &str) -> Schema {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12().for_deserialize();
    settings.inline_subschemas = true;
    let mut schema = settings
        .with_transform(schemars::transform::RecursiveTransform(without_null))
        .with_transform(schemars::transform::RecursiveTransform(
            crate::report::json::for_readers,
        ))
        .into_generator()
        .into_root_schema_for::<T>();
    // schemars writes the keywords in a fixed order (`$id`, `$schema`, `title`, ...).
    schema.insert("$id".into(), id.into());
    schema.insert("title".into(), title.into());
    schema
}

/// An optional field may be left out, never written as `null` (TOML has none): remove the
/// `null` schemars allows for an `Option`.
fn without_null(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [single] = types.as_slice() {
            let single = single.clone();
            object.insert("type".into(), single);
        }
    }
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    if let Some(Value::Array(any_of)) = object.get_mut("anyOf") {
        any_of.retain(|s| s.get("type").and_then(Value::as_str) != Some("null"));
        if any_of.len() == 1 {
            // `anyOf` with one schema is that schema: merge it in, keeping the field's own
            // description.
            let Some(Value::Array(mut any_of)) = object.remove("anyOf") else {
                return;
            };
            let Some(Value::Object(only)) = any_of.pop() else {
                return;
            };
            for (key, value) in only {
                object.entry(key).or_insert(value);
            }
        }
    }
}

// --- Strings with a shape -------------------------------------------------------------

/// An id: kebab-case ASCII (`is_valid_id`).
pub(crate) const ID_PATTERN: &str = "^[a-z0-9][a-z0-9-]*$";
/// The longest id `is_valid_id` accepts.
pub(crate) const ID_MAX_LENGTH: u32 = 64;

/// Defines a string type whose schema is `$schema` (a `json_schema!` body).
macro_rules! string_type {
    ($(#[$doc:meta])* $name:ident, $schema:expr) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

string_type!(
    /// A stable id: lower-case letters, digits and '-', at most 64.
    Id,
    json_schema!({
        "type": "string",
        "description": "A stable id: lower-case ASCII letters, digits and '-', starting with a letter or digit, at most 64 characters.",
        "pattern": ID_PATTERN,
        "maxLength": ID_MAX_LENGTH,
    })
);

string_type!(
    /// Text that is not blank.
    NonBlank,
    json_schema!({ "type": "string", "pattern": "\\S" })
);

string_type!(
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (`PartialDate::parse`).
    PartialDateText,
    json_schema!({
        "type": "string",
        "pattern": "^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
    })
);

string_type!(
    /// A TOML local date (`2026-11-25`, unquoted). TOML dates reach a JSON Schema as
    /// strings (taplo turns them into their text), with `format: date`.
    TomlDate,
    json_schema!({ "type": "string", "format": "date" })
);

// --- Id sets, from the constants the loader checks against ----------------------------

/// A string that is one of `values`, each with what it means: `enum` for validators and
/// completion, and taplo's `x-taplo.docs.enumValues` (one text per value, in order) for
/// the text shown on hover and beside each completion.
pub(crate) fn id_set(description: &str, values: Vec<(String, String)>) -> Schema {
    let (ids, docs): (Vec<String>, Vec<String>) = values.into_iter().unzip();
    json_schema!({
        "type": "string",
        "description": description,
        "enum": ids,
        "x-taplo": { "docs": { "enumValues": docs } },
    })
}

/// Defines a type whose schema is [`id_set`] of `$values`, an expression giving
/// `Vec<(id, text)>`.
macro_rules! id_set_type {
    ($name:ident, $description:expr, $values:expr) => {
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                id_set($description, $values)
            }
        }
    };
}

id_set_type!(
    DataId,
    "A kind of personal data.",
    DataCategory::ALL
        .into_iter()
        .map(|d| {
            let (name, what) = (d.name(Lang::En), d.describe().en);
            let mut text = format!(
                "{name} ({}), sensitivity {} of 4",
                d.name(Lang::Zh),
                d.sensitivity()
            );
            // Some names say it all ("nickname and avatar"): no need to say it twice.
            if what != name {
                text = format!("{text}: {what}");
            }
            text.push('.');
            (d.id().to_owned(), text)
        })
        .collect()
);

id_set_type!(
    AudienceId,
    "Who receives the data.",
    Audience::ALL
        .into_iter()
        .map(|a| {
            let place = match a.rung() {
                Some(rung) => format!("step {} of the ladder only-me < ... < public", rung + 1),
                None => "beside the ladder: covered only by itself".to_owned(),
            };
            let text = format!(
                "{} ({}), breadth {} of 4; {place}.",
                a.name(Lang::En),
                a.name(Lang::Zh),
                a.breadth()
            );
            (a.id().to_owned(), text)
        })
        .collect()
);

id_set_type!(
    SourceId,
    "Where the data comes from (default `this-app`).",
    Source::ALL
        .into_iter()
        .map(|s| {
            let text = match s {
                Source::ThisApp => "The user's account in this app (the default).".to_owned(),
                Source::OtherApps => format!(
                    "Handed over by another app (WeChat's friend list received by WeChat Read); counts as crossing between apps, breadth {}.",
                    s.breadth()
                ),
            };
            (s.id().to_owned(), text)
        })
        .collect()
);

id_set_type!(
    EvidenceId,
    "How sure the fact is (the reference dossier's tag).",
    Evidence::ALL
        .into_iter()
        .map(|e| {
            let meaning = variant_docs::<Evidence>(e.id());
            let weight = if e.confirmed() {
                "Confirmed: a default this sure raises a severity."
            } else {
                "Not confirmed: a default this sure never raises a severity, and findings resting on it are marked unconfirmed."
            };
            (e.id().to_owned(), format!("{meaning} {weight}"))
        })
        .collect()
);

id_set_type!(
    MarketId,
    "Where the profiled version is offered, which decides whether Chinese law binds it.",
    Market::ALL
        .into_iter()
        .map(|m| {
            let text = match m {
                Market::China => "Offered in mainland China: Chinese law applies to it.",
                Market::OutsideChina => "Offered only outside mainland China: the Chinese rulings and statutes are cited as persuasive analogies.",
            };
            (m.id().to_owned(), text.to_owned())
        })
        .collect()
);

id_set_type!(
    LabelKindId,
    "Whether the label is the app's own on-screen text (default) or our description of a behaviour.",
    [LabelKind::OnScreen, LabelKind::Descriptive]
        .into_iter()
        .map(|k| match k {
            LabelKind::OnScreen => (
                "on-screen".to_owned(),
                "The label is the app's own on-screen text (the default).".to_owned()
            ),
            LabelKind::Descriptive => (
                "descriptive".to_owned(),
                "The label is our description of what the app did (there was no on-screen text to quote).".to_owned()
            ),
        })
        .collect()
);

id_set_type!(
    SwitchId,
    "Whether a user of the profiled version can change the setting (default `in-app`).",
    Switch::ALL
        .into_iter()
        .map(|s| {
            let text = match s {
                Switch::InApp => "A switch in the app's settings (the default).",
                Switch::None => "No switch at all in this version (the behaviour was built in); say what to do instead with `instead`.",
                Switch::OnceAtLogin => "Asked once (a login authorisation page) and not reachable again from the app; say what to do instead with `instead`.",
            };
            (s.id().to_owned(), text.to_owned())
        })
        .collect()
);

id_set_type!(
    LinkId,
    "How the ruling bears on the setting (default `analogy`).",
    [Link::Direct, Link::Analogy]
        .into_iter()
        .map(|l| (l.id().to_owned(), variant_docs::<Link>(l.id())))
        .collect()
);

id_set_type!(
    RulingId,
    "A ruling in the built-in catalog.",
    builtin_catalog()
        .rulings
        .iter()
        .map(|r| {
            let text = format!(
                "{} ({}, {}; {}): {}",
                r.title.get(Lang::En),
                r.court.get(Lang::En),
                r.date,
                r.nature.name(Lang::En),
                r.held.get(Lang::En)
            );
            (r.id.clone(), text)
        })
        .collect()
);

id_set_type!(
    LawId,
    "An article of law in the built-in catalog.",
    builtin_catalog()
        .laws
        .iter()
        .map(|l| {
            let since = l
                .in_force
                .as_deref()
                .map(|d| format!(" (from {d})"))
                .unwrap_or_default();
            (
                l.id.clone(),
                format!(
                    "{}{since}: {}",
                    l.citation(Lang::En),
                    l.summary.get(Lang::En)
                ),
            )
        })
        .collect()
);

id_set_type!(
    EventId,
    "A regulator's action or public incident in the built-in catalog: context shown with the setting, never part of a verdict.",
    builtin_catalog()
        .events
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                format!(
                    "{} ({}, {}, {}).",
                    e.title.get(Lang::En),
                    e.actor.get(Lang::En),
                    e.kind.name(Lang::En),
                    e.date
                ),
            )
        })
        .collect()
);

fn builtin_catalog() -> &'static Catalog {
    catalog::builtin()
}

/// The doc comment of `T`'s unit variant serialised as `id`, as schemars derives it: the
/// one place those words are written.
fn variant_docs<T: JsonSchema>(id: &str) -> String {
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    schema
        .get("oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|variant| {
            variant.get("const").and_then(Value::as_str) == Some(id)
                || variant
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|e| e.len() == 1 && e[0] == id)
        })
        .and_then(|variant| variant.get("description").and_then(Value::as_str))
        .map(|text| text.replace('\n', " "))
        .unwrap_or_else(|| panic!("variant `{id}` has a doc comment"))
}

// --- The format -----------------------------------------------------------------------

/// One app's privacy settings as facts: the options, the default, who receives which data,
/// and how sure each fact is. Never verdicts: privaudit judges every profile by one set of
/// rules.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct ProfileFile {
    /// The app (and version) the profile describes.
    app: AppTable,
    /// The app's privacy settings (`[[settings]]`), at least one.
    #[schemars(length(min = 1))]
    settings: Vec<SettingTable>,
}

/// The app (and version) the profile describes.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, rename_all = "kebab-case")]
struct AppTable {
    /// The profile's id (`privaudit check ID`): lower-case letters, digits and '-', at most
    /// 64.
    id: Id,
    /// The app this profile is a version of: profiles of one family (`douyin-2021` and
    /// `douyin`) are grouped in the picker and comparable by `diff`. The profile's own id
    /// when left out.
    family: Option<Id>,
    /// Where the profiled version is offered: `china` (Chinese law applies) or
    /// `outside-china` (the Chinese rulings and statutes are cited as analogies).
    market: Option<MarketId>,
    /// The app's name, in English and Chinese.
    name: Text,
    /// Who makes the app, in English and Chinese.
    vendor: Text,
    /// The version whose settings are described: "3.3.0", or words in each language such
    /// as { en = "recent build", zh = "近期版本" }.
    version: Version,
    /// When that version was in use, as precisely as known: "YYYY", "YYYY-MM" or
    /// "YYYY-MM-DD". Laws that took effect later are marked "later than this app version".
    version_date: Option<PartialDateText>,
    /// When the facts were last checked against their sources: a TOML date, unquoted, such
    /// as 2026-11-25.
    reviewed: Option<TomlDate>,
    /// Where the facts about the app come from.
    sources: Option<Vec<String>>,
    /// A note about the app or the profile, in English and Chinese.
    note: Option<Text>,
}

/// A text in both languages: { en = "...", zh = "..." }.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct Text {
    /// English.
    en: NonBlank,
    /// Simplified Chinese (简体中文).
    zh: NonBlank,
}

/// "3.3.0", or words in each language.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum Version {
    Plain(NonBlank),
    Words(Text),
}

/// A menu path as breadcrumbs in each language.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct MenuPath {
    /// The steps in the English interface, such as ["Me", "Settings", "Privacy"].
    #[schemars(length(min = 1))]
    en: Vec<String>,
    /// The steps in the Chinese interface, such as ["我", "设置", "隐私"].
    #[schemars(length(min = 1))]
    zh: Vec<String>,
}

/// One privacy setting (`[[settings]]`): its options, its default, and how sure each fact
/// is.
#[derive(JsonSchema)]
#[schemars(
    deny_unknown_fields,
    rename_all = "kebab-case",
    transform = setting_rules
)]
struct SettingTable {
    /// The setting's id, unique in the profile (`privaudit explain APP/ID`).
    id: Id,
    /// The setting's label, in English and Chinese: the app's own on-screen text unless
    /// `label-kind = "descriptive"`.
    label: Text,
    /// "on-screen" (the default: the label is the app's text) or "descriptive" (our
    /// description of a behaviour that had no label).
    label_kind: Option<LabelKindId>,
    /// Where to find the setting in the app, in each language; needs `evidence.path`.
    path: Option<MenuPath>,
    /// What the setting can be set to (`[[settings.options]]`), at least one.
    #[schemars(length(min = 1))]
    options: Vec<OptionTable>,
    /// The id of the option the app starts with; leave it out when the default is not
    /// known. Needs `evidence.default`.
    default: Option<Id>,
    /// The id of the option to recommend; else the least exposing one.
    recommended: Option<Id>,
    /// The rulings behind this setting: an id (cited by analogy) or
    /// { id = "...", link = "direct" } where the court ruled on this very feature.
    rulings: Option<Vec<RulingRef>>,
    /// The articles of law that speak to this setting.
    laws: Option<Vec<LawId>>,
    /// Regulators' actions and public incidents about this setting: context, never part of
    /// a verdict.
    events: Option<Vec<EventId>>,
    /// Where the facts about this setting come from.
    sources: Option<Vec<String>>,
    /// How sure each fact about the setting is: `label` always, `default` with a default,
    /// `path` with a path, `flows` (what the options send) when it differs from the
    /// label's level.
    evidence: EvidenceTable,
    /// A note about the setting, in English and Chinese.
    note: Option<Text>,
    /// What the recommended option does not do, where a reader could assume it does.
    caveat: Option<Text>,
    /// "in-app" (the default), "none" (no switch in this version) or "once-at-login"; the
    /// last two need `instead`.
    switch: Option<SwitchId>,
    /// What a user can do instead when the setting cannot be changed in the app.
    instead: Option<Text>,
}

/// A ruling cited by a setting: its id (by analogy), or { id, link }.
#[derive(JsonSchema)]
#[schemars(untagged)]
enum RulingRef {
    Analogy(RulingId),
    Linked(RulingLinkTable),
}

/// A ruling and how it bears on the setting.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct RulingLinkTable {
    /// The ruling's id in the catalog.
    id: RulingId,
    /// "direct" only where the court ruled on this very feature; "analogy" (the default)
    /// otherwise.
    link: Option<LinkId>,
}

/// How sure each fact about the setting is.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, rename_all = "kebab-case")]
struct EvidenceTable {
    /// How sure the label is.
    label: EvidenceId,
    /// How sure the default is: required with a default, refused without one.
    default: Option<EvidenceId>,
    /// Where a weakly sourced default was seen, in English and Chinese (needs `default`).
    default_note: Option<Text>,
    /// How sure the menu path is: required with a path, refused without one.
    path: Option<EvidenceId>,
    /// How sure what the options send is; the label's level when left out.
    flows: Option<EvidenceId>,
}

/// One option of a setting (`[[settings.options]]`) and what it sends to whom.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct OptionTable {
    /// The option's id, unique in the setting.
    id: Id,
    /// The option's label, in English and Chinese.
    label: Text,
    /// What the option sends to whom; leave it out or [] for nothing.
    flows: Option<Vec<FlowTable>>,
}

/// Data sent to an audience: { data = ["contacts"], to = "friends" }.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct FlowTable {
    /// The kinds of data sent, at least one.
    #[schemars(length(min = 1))]
    data: Vec<DataId>,
    /// Who receives them.
    to: AudienceId,
    /// Where they come from: "this-app" (the default) or "other-apps" (handed over by
    /// another app).
    from: Option<SourceId>,
}

/// The rules between a setting's keys that the loader checks, as JSON Schema conditions:
/// a default needs `evidence.default` and evidence for a default needs one, the same for
/// the path, a `default-note` needs `evidence.default`, and a setting that cannot be
/// changed in the app needs `instead`.
///
/// The object's own schema goes first in an `allOf`, the rules after it: taplo, which
/// completes keys from the members of an `allOf` and not from the object that holds it,
/// then still completes a setting's keys.
fn setting_rules(schema: &mut Schema) {
    let not_in_app: Vec<&str> = Switch::ALL
        .into_iter()
        .filter(|s| *s != Switch::InApp)
        .map(Switch::id)
        .collect();
    let both_or_neither = |key: &str| {
        json_schema!({
            "if": { "required": [key] },
            "then": { "properties": { "evidence": { "required": [key] } } },
            // `false` where the key must not be: the message then names the key.
            "else": { "properties": { "evidence": { "properties": { key: false } } } },
        })
    };
    let rules = [
        both_or_neither("default"),
        both_or_neither("path"),
        json_schema!({
            "if": { "properties": { "evidence": { "required": ["default-note"] } } },
            "then": { "properties": { "evidence": { "required": ["default"] } } },
        }),
        json_schema!({
            "if": {
                "properties": { "switch": { "enum": not_in_app } },
                "required": ["switch"],
            },
            "then": { "required": ["instead"] },
        }),
    ];
    let object = std::mem::replace(schema, json_schema!({}));
    let description = object.get("description").cloned();
    let mut all_of = vec![Value::from(object)];
    all_of.extend(rules.into_iter().map(Value::from));
    let wrapper = schema.ensure_object();
    if let Some(description) = description {
        wrapper.insert("description".into(), description);
    }
    wrapper.insert("allOf".into(), Value::Array(all_of));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_levels_carry_their_doc_comments() {
        let verified = variant_docs::<Evidence>("verified");
        assert!(verified.contains("primary"), "{verified}");
        let direct = variant_docs::<Link>("direct");
        assert!(direct.contains("court"), "{direct}");
    }
}
