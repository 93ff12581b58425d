//! Reading account states from TOML files and from JSON (one per line in JSON Lines).

use super::{AccountState, Choice, Pos, Waiver};
use crate::date::Date;
use crate::diag::{self, Diagnostic, line_column};
use crate::source::SourceText;
use crate::text::sanitize;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTomlState {
    app: Spanned<String>,
    #[serde(default)]
    settings: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    waivers: BTreeMap<Spanned<String>, RawTomlWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTomlWaiver {
    reason: Spanned<String>,
    #[serde(default)]
    expires: Option<Spanned<toml::value::Datetime>>,
}

/// Parse a TOML account state; every position in it is kept for later messages.
pub fn parse_state_toml(source: &SourceText) -> Result<AccountState, Diagnostic> {
    let raw: RawTomlState = toml::from_str(&source.text)
        .map_err(|e| diag::from_toml(&source.name, &source.text, &e))?;
    let pos = |offset: usize| -> Pos { Some(line_column(&source.text, offset)) };
    let choices = raw
        .settings
        .iter()
        .map(|(setting, option)| Choice {
            setting: sanitize(setting.get_ref()),
            option: sanitize(option.get_ref()),
            setting_pos: pos(setting.span().start),
            option_pos: pos(option.span().start),
        })
        .collect();
    let mut waivers = Vec::new();
    for (setting, waiver) in &raw.waivers {
        let expires = match &waiver.expires {
            None => None,
            Some(value) => {
                let date = value
                    .get_ref()
                    .date
                    .filter(|_| value.get_ref().time.is_none())
                    .and_then(|d| Date::new(i32::from(d.year), d.month, d.day));
                match date {
                    Some(date) => Some(date),
                    None => {
                        return Err(Diagnostic::at_span(
                            &source.name,
                            &source.text,
                            &value.span(),
                            "`expires` must be a date such as 2027-06-30",
                        ));
                    }
                }
            }
        };
        waivers.push(Waiver {
            setting: sanitize(setting.get_ref()),
            reason: sanitize(waiver.reason.get_ref().trim()),
            expires,
            pos: pos(setting.span().start),
        });
    }
    Ok(AccountState {
        source: source.name.clone(),
        app: sanitize(raw.app.get_ref()),
        app_pos: pos(raw.app.span().start),
        choices,
        waivers,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJsonState {
    app: String,
    #[serde(default)]
    settings: BTreeMap<String, String>,
    #[serde(default)]
    waivers: BTreeMap<String, RawJsonWaiver>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJsonWaiver {
    reason: String,
    #[serde(default)]
    expires: Option<String>,
}

/// Parse one JSON account state (the same shape as the TOML one, dates as "YYYY-MM-DD").
/// `name` and `line` say where it came from: the line of a JSON Lines stream.
pub fn parse_state_json(name: &str, line: usize, text: &str) -> Result<AccountState, Diagnostic> {
    let raw: RawJsonState = serde_json::from_str(text).map_err(|e| {
        // serde_json counts lines within this record, which is a single line.
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        Diagnostic::at_line(name, line, Some(e.column().max(1)), message)
    })?;
    let here: Pos = Some((line, 1));
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
    })
}
