//! Account state: what a user's account is set to, and the findings they chose to keep.
//!
//! ```toml
//! app = "wechat-read"
//! [settings]
//! reading-info-to-friends = "off"
//! [waivers.reading-time-leaderboard]
//! reason = "I like the ranking"
//! expires = 2027-06-30
//! ```

mod fast;
mod parse;
pub mod schema;
pub mod store;

pub use fast::{Bound, FastBinder};
pub use parse::{
    DEFAULT_KEY_FIELD, parse_state_json, parse_state_toml, parse_state_toml_owned, record_key,
};

use crate::date::Date;
use crate::diag::Diagnostic;
use crate::profile::Profile;
use crate::text::sanitize;

/// Where something is in the state's source. Byte offsets are turned into line and column
/// only when a message needs them: most states are fine, and counting lines for every key
/// of every state would cost more than parsing them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Pos {
    #[default]
    Unknown,
    /// A byte offset into [`AccountState::text`].
    Offset(usize),
    /// A line of a JSON Lines stream.
    Line(usize),
}

#[derive(Clone, Debug, Default)]
pub struct AccountState {
    /// The name used in messages: a file name or `input.jsonl:12`.
    pub source: String,
    /// The TOML text, for positions (empty for JSON states).
    pub text: String,
    pub app: String,
    pub app_pos: Pos,
    pub choices: Vec<Choice>,
    pub waivers: Vec<Waiver>,
    /// A JSON record's key (`--key`), as its JSON text: passed through to the report.
    pub key: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Choice {
    pub setting: String,
    pub option: String,
    pub setting_pos: Pos,
    pub option_pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    pub setting: String,
    pub reason: String,
    pub expires: Option<Date>,
    pub pos: Pos,
}

impl Waiver {
    /// A waiver counts up to and including its expiry date.
    pub fn is_active(&self, today: Date) -> bool {
        self.expires.is_none_or(|expires| today <= expires)
    }
}

/// A state checked against its profile: for each setting (by index), the option the user
/// set, if any, and the waiver, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selection {
    pub chosen: Vec<Option<usize>>,
    pub waivers: Vec<Option<Waiver>>,
}

impl Selection {
    /// A new account: nothing set, nothing waived.
    pub fn defaults(profile: &Profile) -> Selection {
        Selection {
            chosen: vec![None; profile.settings.len()],
            waivers: vec![None; profile.settings.len()],
        }
    }

    /// The option in effect for setting `index`: the user's choice, else the app default.
    pub fn current(&self, profile: &Profile, index: usize) -> Option<usize> {
        self.chosen[index].or(profile.settings[index].default)
    }

    /// Back to the on-disk shape, for saving.
    pub fn to_state(&self, profile: &Profile) -> AccountState {
        let choices = profile
            .settings
            .iter()
            .zip(&self.chosen)
            .filter_map(|(setting, chosen)| {
                chosen.map(|i| Choice {
                    setting: setting.id.clone(),
                    option: setting.options[i].id.clone(),
                    setting_pos: Pos::Unknown,
                    option_pos: Pos::Unknown,
                })
            })
            .collect();
        AccountState {
            source: String::new(),
            text: String::new(),
            app: profile.app.id.clone(),
            app_pos: Pos::Unknown,
            choices,
            waivers: self.waivers.iter().flatten().cloned().collect(),
            key: None,
        }
    }
}

impl AccountState {
    /// A message about the state, at `pos`.
    pub fn error(&self, pos: Pos, message: String) -> Diagnostic {
        match pos {
            Pos::Offset(offset) => Diagnostic::at(&self.source, &self.text, offset, message),
            Pos::Line(line) => Diagnostic::at_line(&self.source, line, None, message),
            Pos::Unknown => Diagnostic::whole_file(&self.source, message),
        }
    }

    /// Check the state against the profile of its app. A state for another app, a setting
    /// the profile does not have, or an option the setting does not have is an error.
    pub fn bind(&self, profile: &Profile) -> Result<Selection, Diagnostic> {
        if self.app != profile.app.id {
            return Err(self.error(
                self.app_pos,
                format!(
                    "state is for app `{}`, but the profile is for `{}`",
                    sanitize(&self.app),
                    profile.app.id
                ),
            ));
        }
        let mut selection = Selection::defaults(profile);
        for choice in &self.choices {
            let index = self.setting_index(profile, &choice.setting, choice.setting_pos)?;
            let setting = &profile.settings[index];
            let option = setting.option_index(&choice.option).ok_or_else(|| {
                self.error(
                    choice.option_pos,
                    format!(
                        "setting `{}` has no option `{}` (options: {})",
                        setting.id,
                        sanitize(&choice.option),
                        setting
                            .options
                            .iter()
                            .map(|o| o.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            selection.chosen[index] = Some(option);
        }
        for waiver in &self.waivers {
            let index = self.setting_index(profile, &waiver.setting, waiver.pos)?;
            if waiver.reason.trim().is_empty() {
                return Err(self.error(
                    waiver.pos,
                    format!("waiver for `{}` needs a reason", waiver.setting),
                ));
            }
            selection.waivers[index] = Some(waiver.clone());
        }
        Ok(selection)
    }

    fn setting_index(&self, profile: &Profile, id: &str, pos: Pos) -> Result<usize, Diagnostic> {
        profile
            .settings
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| {
                self.error(
                    pos,
                    format!("app `{}` has no setting `{}`", profile.app.id, sanitize(id)),
                )
            })
    }
}
