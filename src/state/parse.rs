//! Reading account states from TOML files and from JSON (one per line in JSON Lines).

use super::{AccountState, Choice, Pos, Waiver};
use crate::date::Date;
use crate::diag::{self, Diagnostic};
use crate::source::SourceText;
use crate::text::sanitize;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Parse a TOML account state; positions are kept as byte offsets for later messages.
///
/// States are the one input that comes by the hundred thousand, so this walks toml's
/// borrowed document tree (no copy of any key or value that is not kept) instead of going
/// through serde; the rules are the same: `app` (a string) is required, `settings` maps
/// setting ids to option ids, `waivers` maps setting ids to `{ reason, expires? }`, and
/// any other key is an error.
pub fn parse_state_toml(source: &SourceText) -> Result<AccountState, Diagnostic> {
    parse_state_toml_owned(source.clone())
}

/// [`parse_state_toml`] keeping the source's name and text without a copy (a batch reads
/// one state per file).
pub fn parse_state_toml_owned(source: SourceText) -> Result<AccountState, Diagnostic> {
    let parts = toml_parts(&source)?;
    Ok(AccountState {
        source: source.name,
        text: source.text,
        ..parts
    })
}

/// Everything of a TOML state but its name and text.
fn toml_parts(source: &SourceText) -> Result<AccountState, Diagnostic> {
    let error = |span: Range<usize>, message: String| {
        Diagnostic::at_span(&source.name, &source.text, &span, message)
    };
    let document = DeTable::parse(&source.text)
        .map_err(|e| diag::from_toml(&source.name, &source.text, &e))?;
    let mut app: Option<(&str, usize)> = None;
    let mut choices = Vec::new();
    let mut waivers = Vec::new();
    for (key, value) in document.get_ref() {
        match key.get_ref().as_ref() {
            "app" => app = Some((string(value, "the app id", &error)?, value.span().start)),
            "settings" => {
                for (setting, option) in table(value, SETTINGS, &error)? {
                    choices.push(Choice {
                        setting: setting.get_ref().to_string(),
                        option: string(option, "an option id", &error)?.to_owned(),
                        setting_pos: Pos::Offset(setting.span().start),
                        option_pos: Pos::Offset(option.span().start),
                    });
                }
            }
            "waivers" => {
                for (setting, waiver) in table(value, WAIVERS, &error)? {
                    waivers.push(parse_waiver(setting, waiver, &error)?);
                }
            }
            other => {
                return Err(error(
                    key.span(),
                    format!(
                        "unknown field `{}`, expected one of `app`, `settings`, `waivers`",
                        sanitize(other)
                    ),
                ));
            }
        }
    }
    let Some((app, app_offset)) = app else {
        return Err(error(
            0..0,
            "missing field `app` (the app the state is for, such as app = \"wechat-read\")"
                .to_owned(),
        ));
    };
    Ok(AccountState {
        source: String::new(),
        text: String::new(),
        app: sanitize(app),
        app_pos: Pos::Offset(app_offset),
        choices,
        waivers,
        key: None,
    })
}

type Located<'a, T> = &'a Spanned<T>;

/// What each table of a state holds, for messages.
const SETTINGS: &str = "a table such as [settings] of setting = \"option\"";
const WAIVERS: &str = "a table such as [waivers.SETTING] with a reason";
const WAIVER: &str = "a waiver such as { reason = \"...\", expires = 2027-06-30 }";

fn string<'a>(
    value: Located<'a, DeValue<'_>>,
    what: &str,
    error: &impl Fn(Range<usize>, String) -> Diagnostic,
) -> Result<&'a str, Diagnostic> {
    value.get_ref().as_str().ok_or_else(|| {
        error(
            value.span(),
            format!(
                "invalid type: {}, expected a string ({what})",
                value.get_ref().type_str()
            ),
        )
    })
}

fn table<'a, 'i>(
    value: Located<'a, DeValue<'i>>,
    what: &str,
    error: &impl Fn(Range<usize>, String) -> Diagnostic,
) -> Result<&'a DeTable<'i>, Diagnostic> {
    value.get_ref().as_table().ok_or_else(|| {
        error(
            value.span(),
            format!(
                "invalid type: {}, expected {what}",
                value.get_ref().type_str()
            ),
        )
    })
}

fn parse_waiver(
    setting: &Spanned<Cow<'_, str>>,
    waiver: Located<'_, DeValue<'_>>,
    error: &impl Fn(Range<usize>, String) -> Diagnostic,
) -> Result<Waiver, Diagnostic> {
    let mut reason = None;
    let mut expires = None;
    for (key, value) in table(waiver, WAIVER, error)? {
        match key.get_ref().as_ref() {
            "reason" => reason = Some(string(value, "the reason", error)?),
            "expires" => match toml_date(value.get_ref()) {
                Some(date) => expires = Some(date),
                None => {
                    return Err(error(
                        value.span(),
                        "`expires` must be a date such as 2027-06-30".to_owned(),
                    ));
                }
            },
            other => {
                return Err(error(
                    key.span(),
                    format!(
                        "unknown field `{}`, expected `reason` or `expires`",
                        sanitize(other)
                    ),
                ));
            }
        }
    }
    let Some(reason) = reason else {
        return Err(error(waiver.span(), "missing field `reason`".to_owned()));
    };
    Ok(Waiver {
        setting: sanitize(setting.get_ref()),
        reason: sanitize(reason.trim()),
        expires,
        pos: Pos::Offset(setting.span().start),
    })
}

/// A TOML value that is a date alone (no time, no offset), such as `2027-06-30`.
pub(super) fn toml_date(value: &DeValue<'_>) -> Option<Date> {
    value
        .as_datetime()
        .filter(|d| d.time.is_none() && d.offset.is_none())
        .and_then(|d| d.date)
        .and_then(|d| Date::new(i32::from(d.year), d.month, d.day))
}

/// The record key a JSON state may carry when none is named (`--key`): passed through to
/// the state's report so results can be joined back to their inputs.
pub const DEFAULT_KEY_FIELD: &str = "id";

struct RawJsonState {
    app: String,
    settings: BTreeMap<String, String>,
    waivers: BTreeMap<String, RawJsonWaiver>,
    key: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
struct RawJsonWaiver {
    reason: String,
    #[serde(default)]
    expires: Option<String>,
}

/// Reads a [`RawJsonState`]: the fields of a derived `Deserialize` (with its messages for
/// unknown, duplicate and missing fields), plus the record key field, whose name is chosen
/// at run time.
struct RawJsonStateSeed<'k> {
    key_field: &'k str,
}

impl<'de> serde::de::DeserializeSeed<'de> for RawJsonStateSeed<'_> {
    type Value = RawJsonState;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<RawJsonState, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RawJsonStateSeed<'_> {
    type Value = RawJsonState;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<RawJsonState, M::Error> {
        use serde::de::Error;
        let (mut app, mut settings, mut waivers, mut key) = (None, None, None, None);
        while let Some(field) = map.next_key::<Cow<'de, str>>()? {
            match &*field {
                "app" if app.is_some() => return Err(M::Error::duplicate_field("app")),
                "app" => app = Some(map.next_value()?),
                "settings" if settings.is_some() => {
                    return Err(M::Error::duplicate_field("settings"));
                }
                "settings" => settings = Some(map.next_value()?),
                "waivers" if waivers.is_some() => {
                    return Err(M::Error::duplicate_field("waivers"));
                }
                "waivers" => waivers = Some(map.next_value()?),
                name if name == self.key_field => {
                    if key.is_some() {
                        return Err(M::Error::custom(format_args!(
                            "duplicate field `{}`",
                            sanitize(name)
                        )));
                    }
                    let raw: Box<serde_json::value::RawValue> = map.next_value()?;
                    key = Some(record_key(raw.get(), self.key_field).map_err(M::Error::custom)?);
                }
                name => {
                    return Err(M::Error::custom(format_args!(
                        "unknown field `{}`, expected one of `app`, `settings`, `waivers` \
                         or the record key `{}`",
                        sanitize(name),
                        sanitize(self.key_field)
                    )));
                }
            }
        }
        Ok(RawJsonState {
            app: app.ok_or_else(|| M::Error::missing_field("app"))?,
            settings: settings.unwrap_or_default(),
            waivers: waivers.unwrap_or_default(),
            key,
        })
    }
}

/// A record key as it is passed through: its JSON text, exactly as written (a string or a
/// number; anything else cannot be a key to join on).
pub fn record_key(raw: &str, key_field: &str) -> Result<String, String> {
    if is_record_key(raw) {
        Ok(raw.to_owned())
    } else {
        Err(format!(
            "the record key `{}` must be a string or a number (a string of whole characters)",
            sanitize(key_field)
        ))
    }
}

/// Can this JSON value (valid JSON, as the parser gave it) be passed through as a record
/// key? A number, or a string that decodes to text: a lone surrogate (`"\ud800"`) is valid
/// JSON to some parsers and refused by strict ones, so it would make the output line
/// unreadable to them.
pub(super) fn is_record_key(raw: &str) -> bool {
    match raw.as_bytes().first() {
        Some(b'-' | b'0'..=b'9') => true,
        Some(b'"') => !raw.contains('\\') || serde_json::from_str::<String>(raw).is_ok(),
        _ => false,
    }
}

diag::map_only!(
    RawJsonWaiver,
    "a waiver such as {\"reason\": \"...\", \"expires\": \"2027-06-30\"}"
);

/// Parse one JSON account state (the same shape as the TOML one, dates as "YYYY-MM-DD").
/// `name` and `line` say where it came from: the line of a JSON Lines stream. A field named
/// `key_field` is the record's key, kept as its JSON text for the report.
pub fn parse_state_json(
    name: &str,
    line: usize,
    text: &str,
    key_field: &str,
) -> Result<AccountState, Diagnostic> {
    // serde would also read a state from an array (`["wechat-read"]`), by field order.
    if !text.trim_start().starts_with('{') {
        return Err(Diagnostic::at_line(
            name,
            line,
            Some(1),
            "a state must be a JSON object such as {\"app\": \"wechat-read\"}",
        ));
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let raw = serde::de::DeserializeSeed::deserialize(RawJsonStateSeed { key_field }, &mut reader)
        .and_then(|raw| reader.end().map(|()| raw))
        .map_err(|e| {
            // serde_json counts lines within this record, which is a single line.
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            Diagnostic::at_line(
                name,
                line,
                Some(e.column().max(1)),
                diag::plain_serde_message(message, diag::Syntax::Json),
            )
        })?;
    let here = Pos::Line(line);
    let mut waivers = Vec::new();
    for (setting, waiver) in raw.waivers {
        let expires = match waiver.expires {
            None => None,
            Some(text) => Some(Date::parse(&text).ok_or_else(|| {
                Diagnostic::at_line(
                    name,
                    line,
                    None,
                    format!(
                        "waiver `{}`: `expires` must be a date such as 2027-06-30",
                        sanitize(&setting)
                    ),
                )
            })?),
        };
        waivers.push(Waiver {
            setting: sanitize(&setting),
            reason: sanitize(waiver.reason.trim()),
            expires,
            pos: here,
        });
    }
    Ok(AccountState {
        source: name.to_owned(),
        text: String::new(),
        app: sanitize(&raw.app),
        app_pos: here,
        choices: raw
            .settings
            .into_iter()
            .map(|(setting, option)| Choice {
                setting: sanitize(&setting),
                option: sanitize(&option),
                setting_pos: here,
                option_pos: here,
            })
            .collect(),
        waivers,
        key: raw.key,
    })
}
