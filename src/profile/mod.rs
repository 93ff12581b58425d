//! The profile model: facts about one app's settings, never verdicts.

mod load;
pub mod schema;

pub use load::{
    MOST_PROBLEMS, Strictness, is_placeholder, is_valid_id, parse_profile, parse_profile_with,
};

use crate::evidence::Evidence;
use crate::text::{Lang, Localized};
use crate::vocab::{Audience, DataCategory, Source};
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
    /// The app this profile is a version of: profiles of one family (`douyin-2021` and
    /// `douyin`) are versions of one app, grouped in the picker and comparable by `diff`.
    /// The profile's own id when it does not say.
    pub family: String,
    /// Where the profiled version is offered, which decides whether Chinese law binds it
    /// or is cited by analogy; `None` when the profile does not say.
    pub market: Option<Market>,
    pub name: Localized,
    pub vendor: Localized,
    /// The version whose settings are described ("3.3.0", or words such as "recent build"
    /// in each language).
    pub version: Localized,
    /// When that version was in use, as precisely as known (`2019`, `2019-05`,
    /// `2019-05-17`): laws that took effect later are marked "later than this app version".
    pub version_date: Option<PartialDate>,
    pub reviewed: Option<String>,
    pub sources: Vec<String>,
    pub note: Option<Localized>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Setting {
    pub id: String,
    pub label: Localized,
    /// Whether the label is the app's on-screen text or our description of a behaviour.
    pub label_kind: LabelKind,
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
    pub rulings: Vec<RulingLink>,
    pub laws: Vec<String>,
    /// Regulators' actions and public incidents about this setting (catalog `events`):
    /// context shown with the setting, never a ruling on it and never part of a verdict.
    pub events: Vec<String>,
    /// Where the facts about this setting come from.
    pub sources: Vec<String>,
    pub evidence: SettingEvidence,
    pub note: Option<Localized>,
    /// What the recommended option does *not* do, where a reader could assume it does
    /// ("turning it off stops the suggestions, not the address-book upload").
    pub caveat: Option<Localized>,
    /// Whether a user of this version can change it, and what to do instead if not.
    pub switch: Switch,
    pub instead: Option<Localized>,
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

/// How sure we are of each fact about a setting (the dossier's tags).
#[derive(Clone, Debug, Serialize)]
pub struct SettingEvidence {
    pub label: Evidence,
    /// `None` when the profile states no default.
    pub default: Option<Evidence>,
    /// Where the default was seen, when that limits it ("seen only in apps imitating
    /// Douyin").
    pub default_note: Option<Localized>,
    /// `None` when the setting has no menu path.
    pub path: Option<Evidence>,
    /// What the options send to whom; the label's level when the profile does not say.
    pub flows: Evidence,
}

/// Where an app version is offered: in mainland China (Chinese law applies to it), or only
/// outside (the Chinese rulings and statutes are cited as persuasive analogies).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Market {
    China,
    OutsideChina,
}

impl Market {
    pub const ALL: [Market; 2] = [Market::China, Market::OutsideChina];

    pub fn id(self) -> &'static str {
        match self {
            Market::China => "china",
            Market::OutsideChina => "outside-china",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.id() == id)
    }
}

/// The label is the app's own on-screen text, or a description of what the app did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(schemars::JsonSchema)]
pub enum LabelKind {
    #[default]
    OnScreen,
    Descriptive,
}

/// Can a user of the profiled version change the setting?
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Switch {
    /// A switch in the app's settings.
    #[default]
    InApp,
    /// No switch at all in this version (the behaviour was built in).
    None,
    /// Asked once (a login authorisation page) and not reachable again from the app.
    OnceAtLogin,
}

impl Switch {
    pub const ALL: [Switch; 3] = [Switch::InApp, Switch::None, Switch::OnceAtLogin];

    pub fn id(self) -> &'static str {
        match self {
            Switch::InApp => "in-app",
            Switch::None => "none",
            Switch::OnceAtLogin => "once-at-login",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// A setting's tie to a ruling: the court ruled on this very feature, or the ruling is
/// cited by analogy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct RulingLink {
    pub id: String,
    pub link: Link,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(schemars::JsonSchema)]
pub enum Link {
    /// The court ruled on this feature.
    Direct,
    /// The court did not rule on this setting; the ruling speaks to a similar flow.
    Analogy,
}

impl Link {
    pub fn id(self) -> &'static str {
        match self {
            Link::Direct => "direct",
            Link::Analogy => "analogy",
        }
    }
}

/// A date known to the year, the month or the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<PartialDate> {
        let mut parts = text.split('-');
        // Digits only (Rust's integer parsing takes a leading '+').
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        let year = parts
            .next()
            .filter(|y| y.len() == 4 && digits(y))?
            .parse()
            .ok()?;
        let mut next = |max: u8| -> Result<Option<u8>, ()> {
            match parts.next() {
                None => Ok(None),
                Some(p) if p.len() == 2 && digits(p) => match p.parse::<u8>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(()),
                },
                Some(_) => Err(()),
            }
        };
        let month = next(12).ok()?;
        let day = if month.is_some() {
            next(31).ok()?
        } else {
            None
        };
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// The last day the date could mean, as `YYYY-MM-DD` (comparable as text): a law in
    /// force after it is certainly later than the version.
    pub fn latest(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(12),
            self.day.unwrap_or(31)
        )
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
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
    /// Where the data comes from: the user's account here, or another app.
    pub from: Source,
}

impl Flow {
    /// How far the data travels: the audience's breadth, or the distance it came from
    /// another app, whichever is larger.
    pub fn breadth(&self) -> u8 {
        self.to.breadth().max(self.from.breadth())
    }

    /// Sensitivity × breadth, the score the severity rule reads.
    pub fn weight(&self) -> u8 {
        self.data.sensitivity() * self.breadth()
    }

    /// Does `other` already send this data from the same place to this audience or a
    /// broader one?
    pub fn covered_by(&self, other: &Flow) -> bool {
        self.data == other.data && self.from == other.from && self.to.covered_by(other.to)
    }
}

impl SettingOption {
    /// Rough size of what the option exposes, used only to pick the least exposing option
    /// when a profile names no recommendation.
    pub fn exposure_weight(&self) -> u32 {
        self.flows.iter().map(|f| u32::from(f.weight())).sum()
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

impl Setting {
    /// Is a ruling linked directly (the court ruled on this very feature)?
    pub fn has_direct_ruling(&self) -> bool {
        self.rulings.iter().any(|r| r.link == Link::Direct)
    }

    pub fn cites_ruling(&self, id: &str) -> bool {
        self.rulings.iter().any(|r| r.id == id)
    }
}

impl Profile {
    pub fn setting(&self, id: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.id == id)
    }
}
