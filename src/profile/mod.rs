//! The profile model: facts about one app's settings, never verdicts.

mod load;

pub use load::{is_valid_id, parse_profile};

use crate::evidence::Evidence;
use crate::text::{Lang, Localized};
use crate::vocab::{Audience, DataCategory};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Profile {
    pub app: App,
    pub settings: Vec<Setting>,
    /// Where the profile was read from: for a built-in one its path in the repository
    /// (`profiles/douyin.toml`), else the file name given.
    pub origin: String,
    pub builtin: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct App {
    pub id: String,
    pub name: Localized,
    pub vendor: Localized,
    pub version: String,
    pub reviewed: Option<String>,
    pub sources: Vec<String>,
    pub note: Option<Localized>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Setting {
    pub id: String,
    pub label: Localized,
    /// Where to find it in the app, as breadcrumbs in each language (empty when the
    /// behaviour had no menu entry).
    pub path: MenuPath,
    pub options: Vec<SettingOption>,
    /// Index of the app's default option; `None` when the default is not known.
    pub default: Option<usize>,
    /// Index of the recommended option: declared by the profile, or else the least
    /// exposing one.
    pub recommended: usize,
    pub recommended_declared: bool,
    pub rulings: Vec<String>,
    pub laws: Vec<String>,
    pub evidence: SettingEvidence,
    pub note: Option<Localized>,
    /// 1-based line where the setting's `id` is declared.
    pub line: usize,
    /// 1-based line of the `default = ...` value, where there is one.
    pub default_line: Option<usize>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct MenuPath {
    pub en: Vec<String>,
    pub zh: Vec<String>,
}

impl MenuPath {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    pub fn joined(&self, lang: Lang) -> String {
        self.get(lang).join(" > ")
    }
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct SettingEvidence {
    pub label: Evidence,
    pub default: Option<Evidence>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SettingOption {
    pub id: String,
    pub label: Localized,
    /// Each (data, audience) pair this option sends, without duplicates.
    pub flows: Vec<Flow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Flow {
    pub data: DataCategory,
    pub to: Audience,
}

impl SettingOption {
    /// Rough size of what the option exposes, used only to pick the least exposing option
    /// when a profile names no recommendation.
    pub fn exposure_weight(&self) -> u32 {
        self.flows
            .iter()
            .map(|f| u32::from(f.data.sensitivity()) * u32::from(f.to.breadth()))
            .sum()
    }
}

impl Setting {
    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }

    /// An option's label, or its id if the setting has no such option.
    pub fn option_label<'s>(&'s self, id: &'s str, lang: Lang) -> &'s str {
        self.option_index(id)
            .map_or(id, |i| self.options[i].label.get(lang))
    }

    pub fn default_option(&self) -> Option<&SettingOption> {
        self.default.map(|i| &self.options[i])
    }

    pub fn recommended_option(&self) -> &SettingOption {
        &self.options[self.recommended]
    }
}

impl Profile {
    pub fn setting(&self, id: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.id == id)
    }
}
