//! Default drift: what moved between two versions of an app's profile (its defaults), or
//! between two account states (what the user changed). Pure, like the rest of the engine.

use super::judge;
use crate::profile::{Flow, Profile, Setting, SettingOption};
use crate::state::Selection;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Something is sent to someone it was not sent to before.
    TowardExposure,
    /// Something is no longer sent where it was, and nothing new is.
    AwayFromExposure,
    /// No data flow changed (a renamed option, a default that became known, ...).
    Neutral,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// The default (profiles) or the chosen option (states) is different.
    Changed,
    /// A setting only the new profile has.
    Added,
    /// A setting only the old profile has.
    Removed,
    /// The old profile did not know the default; the new one states it.
    DefaultNowKnown,
    /// The old profile stated a default; the new one does not.
    DefaultNowUnknown,
    /// A waiver was added to or removed from the state.
    WaiverAdded,
    WaiverRemoved,
}

#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub setting: String,
    pub change: ChangeKind,
    pub old: Option<String>,
    pub new: Option<String>,
    pub direction: Direction,
    pub newly_exposed: Vec<Flow>,
    pub no_longer_exposed: Vec<Flow>,
}

/// Flows of `a` that no flow of `b` covers (same data from the same place, `b`'s audience
/// as broad or broader).
fn uncovered(a: &[Flow], b: &[Flow]) -> Vec<Flow> {
    a.iter()
        .filter(|f| f.to.rung() != Some(0))
        .filter(|f| !b.iter().any(|g| f.covered_by(g)))
        .copied()
        .collect()
}

fn compare(setting: &str, old: &SettingOption, new: &SettingOption) -> Option<Change> {
    let newly = uncovered(&new.flows, &old.flows);
    let gone = uncovered(&old.flows, &new.flows);
    if old.id == new.id && newly.is_empty() && gone.is_empty() {
        return None;
    }
    let direction = if !newly.is_empty() {
        Direction::TowardExposure
    } else if !gone.is_empty() {
        Direction::AwayFromExposure
    } else {
        Direction::Neutral
    };
    Some(Change {
        setting: setting.to_owned(),
        change: ChangeKind::Changed,
        old: Some(old.id.clone()),
        new: Some(new.id.clone()),
        direction,
        newly_exposed: newly,
        no_longer_exposed: gone,
    })
}

fn neutral(
    setting: &Setting,
    change: ChangeKind,
    old: Option<String>,
    new: Option<String>,
) -> Change {
    Change {
        setting: setting.id.clone(),
        change,
        old,
        new,
        direction: Direction::Neutral,
        newly_exposed: Vec::new(),
        no_longer_exposed: Vec::new(),
    }
}

/// Defaults that moved between two profiles of one app, in the new profile's order, then
/// removed settings.
pub fn profile_drift(old: &Profile, new: &Profile) -> Vec<Change> {
    let mut changes = Vec::new();
    for setting in &new.settings {
        let new_default = setting.default_option();
        match old.setting(&setting.id) {
            Some(before) => match (before.default_option(), new_default) {
                (Some(a), Some(b)) => changes.extend(compare(&setting.id, a, b)),
                (None, Some(b)) => changes.push(neutral(
                    setting,
                    ChangeKind::DefaultNowKnown,
                    None,
                    Some(b.id.clone()),
                )),
                (Some(a), None) => changes.push(neutral(
                    setting,
                    ChangeKind::DefaultNowUnknown,
                    Some(a.id.clone()),
                    None,
                )),
                (None, None) => {}
            },
            None => {
                // A new setting in a revision of one profile whose default exposes more than
                // its recommendation is a default that moved toward exposure. Between two
                // versions' profiles (`douyin-2019` and `douyin`) a setting the older one
                // does not describe may have existed all along: what it exposes is listed,
                // but nothing is said to have moved.
                let same_profile = old.app.id == new.app.id;
                let verdict = setting
                    .default
                    .and_then(|d| judge(setting, d, true))
                    .filter(|_| same_profile);
                changes.push(Change {
                    setting: setting.id.clone(),
                    change: ChangeKind::Added,
                    old: None,
                    new: new_default.map(|o| o.id.clone()),
                    direction: if verdict.is_some() {
                        Direction::TowardExposure
                    } else {
                        Direction::Neutral
                    },
                    newly_exposed: verdict.map(|v| v.excess).unwrap_or_default(),
                    no_longer_exposed: Vec::new(),
                });
            }
        }
    }
    for setting in &old.settings {
        if new.setting(&setting.id).is_none() {
            let old_default = setting.default_option().map(|o| o.id.clone());
            changes.push(neutral(setting, ChangeKind::Removed, old_default, None));
        }
    }
    changes
}

/// What the user changed between two states of one app, in profile order.
pub fn state_drift(profile: &Profile, old: &Selection, new: &Selection) -> Vec<Change> {
    let mut changes = Vec::new();
    for (index, setting) in profile.settings.iter().enumerate() {
        match (old.current(profile, index), new.current(profile, index)) {
            (Some(a), Some(b)) => {
                changes.extend(compare(
                    &setting.id,
                    &setting.options[a],
                    &setting.options[b],
                ));
            }
            (None, Some(b)) => changes.extend(
                // From unknown to set: judged against the recommendation.
                judge(setting, b, false).map(|v| Change {
                    setting: setting.id.clone(),
                    change: ChangeKind::Changed,
                    old: None,
                    new: Some(setting.options[b].id.clone()),
                    direction: Direction::TowardExposure,
                    newly_exposed: v.excess,
                    no_longer_exposed: Vec::new(),
                }),
            ),
            _ => {}
        }
        match (&old.waivers[index], &new.waivers[index]) {
            (None, Some(w)) => changes.push(neutral(
                setting,
                ChangeKind::WaiverAdded,
                None,
                Some(w.reason.clone()),
            )),
            (Some(w), None) => changes.push(neutral(
                setting,
                ChangeKind::WaiverRemoved,
                Some(w.reason.clone()),
                None,
            )),
            _ => {}
        }
    }
    changes
}
