//! The exposure map: for each kind of data and each audience, whether it is exposed now
//! and whether it still is once the recommendations are taken. A verdict of the engine
//! (the faces only draw it), from the report's findings and the profile's flows.

use super::Report;
use crate::profile::{Profile, Switch};
use crate::state::Selection;
use crate::vocab::{Audience, DataCategory};
use std::collections::BTreeSet;

/// One cell of the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exposure {
    /// Exposed now, and still after the recommendations (the recommended option sends it
    /// too, the setting raises no finding, or this version has no switch for it).
    Stays,
    /// Exposed now, and after the recommendations only because you kept (waived) it.
    Kept,
    /// Exposed now; the recommendations remove it.
    Goes,
    /// Some setting whose value is unknown could send it: nothing can be said for sure.
    Unknown,
    Nothing,
}

/// The map of one profile and state: a row per data category, a cell per audience.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Map {
    /// The columns: every audience but "only me" that some option of the profile sends
    /// data to, narrowest first (an audience no option can reach would be an empty column).
    pub audiences: Vec<Audience>,
    /// Each data category any option can send, with one cell per column.
    pub rows: Vec<(DataCategory, Vec<Exposure>)>,
}

/// Data categories (those any option of the profile can send) x audiences (those any
/// option sends to, but "only me"): who receives what now, and what remains after the
/// recommendations.
pub fn map(profile: &Profile, selection: &Selection, report: &Report<'_>) -> Map {
    let mut now = BTreeSet::new();
    let mut after = BTreeSet::new();
    let mut kept = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let mut audiences = BTreeSet::new();
    for (index, setting) in profile.settings.iter().enumerate() {
        for option in &setting.options {
            categories.extend(option.flows.iter().map(|f| f.data));
            audiences.extend(option.flows.iter().map(|f| f.to));
        }
        let Some(current) = selection.current(profile, index) else {
            for option in &setting.options {
                unknown.extend(option.flows.iter().map(|f| (f.data, f.to)));
            }
            continue;
        };
        let flows = &setting.options[current].flows;
        now.extend(flows.iter().map(|f| (f.data, f.to)));
        match report.findings.iter().find(|f| f.index == index) {
            Some(f) if f.waived() => kept.extend(flows.iter().map(|f| (f.data, f.to))),
            // No switch in this version: the recommendation cannot be taken there, so
            // nothing is promised to go.
            Some(_) if setting.switch == Switch::None => {
                after.extend(flows.iter().map(|f| (f.data, f.to)))
            }
            Some(_) => after.extend(
                setting
                    .recommended_option()
                    .flows
                    .iter()
                    .map(|f| (f.data, f.to)),
            ),
            None => after.extend(flows.iter().map(|f| (f.data, f.to))),
        }
    }
    audiences.remove(&Audience::OnlyMe);
    let audiences: Vec<Audience> = audiences.into_iter().collect();
    let rows = categories
        .into_iter()
        .map(|data| {
            let cells = audiences
                .iter()
                .map(|&to| {
                    let key = (data, to);
                    match (
                        now.contains(&key),
                        after.contains(&key),
                        kept.contains(&key),
                    ) {
                        (true, true, _) => Exposure::Stays,
                        (true, false, true) => Exposure::Kept,
                        // "Goes" is a promise: not while a setting nobody knows could
                        // still send the same data to the same people.
                        _ if unknown.contains(&key) => Exposure::Unknown,
                        (true, false, false) => Exposure::Goes,
                        _ => Exposure::Nothing,
                    }
                })
                .collect();
            (data, cells)
        })
        .collect();
    Map { audiences, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Auditor;
    use crate::catalog;
    use crate::date::Date;
    use crate::registry;

    fn douyin() -> Profile {
        registry::builtin_profiles(catalog::builtin())
            .unwrap()
            .into_iter()
            .find(|p| p.app.id == "douyin")
            .unwrap()
    }

    fn cells(profile: &Profile, selection: &Selection) -> Vec<Exposure> {
        let today = Date::new(2026, 11, 23).unwrap();
        let auditor = Auditor::new(profile, catalog::builtin());
        let report = auditor.audit(selection, today);
        map(profile, selection, &report)
            .rows
            .into_iter()
            .flat_map(|(_, cells)| cells)
            .collect()
    }

    #[test]
    fn the_columns_are_the_audiences_the_profile_can_reach() {
        let profile = douyin();
        let selection = Selection::defaults(&profile);
        let auditor = Auditor::new(&profile, catalog::builtin());
        let report = auditor.audit(&selection, Date::new(2026, 11, 23).unwrap());
        let map = map(&profile, &selection, &report);
        let reached: BTreeSet<Audience> = profile
            .settings
            .iter()
            .flat_map(|s| s.options.iter().flat_map(|o| &o.flows))
            .map(|f| f.to)
            .filter(|a| *a != Audience::OnlyMe)
            .collect();
        assert_eq!(map.audiences, reached.into_iter().collect::<Vec<_>>());
        // Douyin sends nothing to followers who need no approval: no such column.
        assert!(!map.audiences.contains(&Audience::Followers));
        assert!(
            map.rows
                .iter()
                .all(|(_, row)| row.len() == map.audiences.len())
        );
    }

    #[test]
    fn kept_and_unknown_cells_are_told_apart_from_what_goes() {
        let profile = douyin();
        let defaults = Selection::defaults(&profile);
        let at_defaults = cells(&profile, &defaults);
        // Douyin has settings with no known default: their flows are unknown.
        assert!(at_defaults.contains(&Exposure::Unknown), "{at_defaults:?}");
        assert!(at_defaults.contains(&Exposure::Goes), "{at_defaults:?}");
        assert!(!at_defaults.contains(&Exposure::Kept));
        // Waive every finding: what went now stays because it is kept.
        let today = Date::new(2026, 11, 23).unwrap();
        let auditor = Auditor::new(&profile, catalog::builtin());
        let report = auditor.audit(&defaults, today);
        let mut waived = defaults.clone();
        for f in &report.findings {
            waived.waivers[f.index] = Some(crate::state::Waiver {
                setting: f.setting.to_owned(),
                reason: "test".to_owned(),
                expires: None,
                pos: Default::default(),
            });
        }
        let kept = cells(&profile, &waived);
        assert!(kept.contains(&Exposure::Kept), "{kept:?}");
        assert!(!kept.contains(&Exposure::Goes), "{kept:?}");
    }

    #[test]
    fn what_a_setting_without_a_switch_sends_is_not_promised_to_go() {
        let profile = registry::builtin_profiles(catalog::builtin())
            .unwrap()
            .into_iter()
            .find(|p| p.app.id == "wechat-read")
            .unwrap();
        let selection = Selection::defaults(&profile);
        let today = Date::new(2026, 11, 23).unwrap();
        let auditor = Auditor::new(&profile, catalog::builtin());
        let report = auditor.audit(&selection, today);
        let map = map(&profile, &selection, &report);
        // Reading history to friends is sent by "reading info to friends", which 3.3.0
        // has no switch for: it stays.
        let (_, row) = map
            .rows
            .iter()
            .find(|(d, _)| *d == DataCategory::ReadingHistory)
            .unwrap();
        let friends = map
            .audiences
            .iter()
            .position(|a| *a == Audience::Friends)
            .unwrap();
        assert_eq!(row[friends], Exposure::Stays, "{map:?}");
    }

    #[test]
    fn nothing_is_promised_to_go_while_an_unknown_setting_could_send_it() {
        let profile = douyin();
        let selection = Selection::defaults(&profile);
        let today = Date::new(2026, 11, 23).unwrap();
        let auditor = Auditor::new(&profile, catalog::builtin());
        let report = auditor.audit(&selection, today);
        let unknown: BTreeSet<_> = profile
            .settings
            .iter()
            .enumerate()
            .filter(|(i, _)| selection.current(&profile, *i).is_none())
            .flat_map(|(_, s)| s.options.iter().flat_map(|o| &o.flows))
            .map(|f| (f.data, f.to))
            .collect();
        let map = map(&profile, &selection, &report);
        for (data, row) in map.rows {
            for (to, cell) in map.audiences.iter().zip(row) {
                if unknown.contains(&(data, *to)) {
                    assert!(
                        matches!(cell, Exposure::Unknown | Exposure::Stays | Exposure::Kept),
                        "{data:?} -> {to:?} is {cell:?}"
                    );
                }
            }
        }
    }
}
