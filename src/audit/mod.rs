//! The audit engine: (profile, account state) → report. Pure: no terminal, no files, no
//! clock (the date for waiver expiry is an argument).
//!
//! One set of rules turns the facts of a profile into verdicts, so a profile written by
//! anyone is judged the same way:
//!
//! 1. **Exposure.** A flow (data → audience) of the option in effect is *excess* when the
//!    recommended option does not already send that data to that audience or a broader one
//!    on the ladder only-me < approved < friends < network < public. `other-apps` and
//!    `operator` are separate channels, covered only by themselves.
//! 2. **A finding** arises for each setting whose option in effect has excess flows.
//! 3. **Severity.** Each excess flow scores sensitivity(data) × breadth(audience)
//!    (see [`crate::vocab`]); the highest score gives the base: 12 and up *high*, 6 and up
//!    *medium*, else *low*. If the option in effect is the app's default and the user's
//!    state does not set it, the exposure happened without the user's choice (what the
//!    courts condemned), and the severity rises one level, so *critical* is reserved for
//!    exposure by default.
//! 4. **Citations.** The rulings and articles the profile ties to the setting, plus the
//!    articles the rule itself rests on (see [`rule_laws`]).
//! 5. **Score** 0–100, see [`score`].
//!
//! [`Auditor`] works all verdicts for a profile out once, so that checking thousands of
//! account states is a table lookup per setting.

pub mod drift;
pub mod explain;

pub use explain::{finding_message, finding_summary};

use crate::catalog::Catalog;
use crate::date::Date;
use crate::profile::{Flow, Profile, Setting};
use crate::state::{Selection, Waiver};
use crate::text::Localized;
use crate::vocab::{Audience, DataCategory};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL_DESC: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn name(self, lang: crate::text::Lang) -> &'static str {
        match lang {
            crate::text::Lang::En => self.id(),
            crate::text::Lang::Zh => match self {
                Severity::Low => "低",
                Severity::Medium => "中",
                Severity::High => "高",
                Severity::Critical => "严重",
            },
        }
    }

    fn raised(self) -> Severity {
        match self {
            Severity::Low => Severity::Medium,
            Severity::Medium => Severity::High,
            Severity::High | Severity::Critical => Severity::Critical,
        }
    }

    /// Weight in the score.
    pub fn weight(self) -> u32 {
        match self {
            Severity::Low => 1,
            Severity::Medium => 3,
            Severity::High => 6,
            Severity::Critical => 10,
        }
    }
}

/// What the rules conclude about one option of one setting, with one answer to "is it the
/// default, unchosen?". Computed once per profile by [`Auditor::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub severity: Severity,
    /// The flows that go beyond the recommendation.
    pub excess: Vec<Flow>,
    /// The profile's articles plus the rule's, in catalog order.
    pub laws: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Finding<'p> {
    /// Index of the setting in the profile.
    pub index: usize,
    pub setting: &'p str,
    pub severity: Severity,
    /// Index of the option in effect.
    pub option: usize,
    pub current: &'p str,
    pub recommended: &'p str,
    pub default: Option<&'p str>,
    /// The app's default is in effect and the user has not chosen this setting.
    pub by_default: bool,
    pub rulings: &'p [String],
    pub judged: &'p Judged,
    pub waiver: Option<Waiver>,
    /// The waiver exists but has expired, so the finding counts again.
    pub waiver_expired: bool,
}

impl Finding<'_> {
    pub fn waived(&self) -> bool {
        self.waiver.is_some() && !self.waiver_expired
    }

    /// The flows that go beyond the recommendation.
    pub fn exposes(&self) -> &[Flow] {
        &self.judged.excess
    }

    pub fn laws(&self) -> &[String] {
        &self.judged.laws
    }

    /// Distinct data categories exposed, in vocabulary order.
    pub fn data(&self) -> Vec<DataCategory> {
        let mut data: Vec<_> = self.exposes().iter().map(|f| f.data).collect();
        data.sort();
        data.dedup();
        data
    }

    /// The audiences reached beyond the recommendation, in vocabulary order.
    pub fn audiences(&self) -> Vec<Audience> {
        let mut audiences: Vec<_> = self.exposes().iter().map(|f| f.to).collect();
        audiences.sort();
        audiences.dedup();
        audiences
    }

    /// The broadest audience reached (by breadth; ties go to the later id).
    pub fn broadest_audience(&self) -> Audience {
        self.exposes()
            .iter()
            .map(|f| f.to)
            .max_by_key(|a| (a.breadth(), *a))
            .unwrap_or(Audience::OnlyMe)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Findings the user has waived (not counted above).
    pub waived: usize,
    /// Settings whose value is not known (no default in the profile, not in the state).
    pub unassessed: usize,
}

impl Summary {
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Report<'p> {
    pub app: &'p str,
    pub app_name: &'p Localized,
    pub version: &'p str,
    pub score: u8,
    pub summary: Summary,
    /// Most severe first, then in profile order.
    pub findings: Vec<Finding<'p>>,
    /// Ids of settings that could not be judged because their value is unknown.
    pub unassessed: Vec<&'p str>,
}

impl Report<'_> {
    /// The most severe finding that is not waived.
    pub fn worst_unwaived(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| !f.waived())
            .map(|f| f.severity)
            .max()
    }

    /// Does any unwaived finding reach `threshold`?
    pub fn fails_at(&self, threshold: Severity) -> bool {
        self.worst_unwaived()
            .is_some_and(|worst| worst >= threshold)
    }
}

/// The engine for one profile: every verdict the rules can give for it is worked out once,
/// so auditing an account state is a lookup per setting. Build one per profile and audit
/// as many states with it as you like.
#[derive(Debug)]
pub struct Auditor<'p> {
    pub profile: &'p Profile,
    /// `judged[setting][option][by_default as usize]`.
    judged: Vec<Vec<[Option<Judged>; 2]>>,
    /// Per setting: the weight of the worst finding it could give (for the score).
    worst: Vec<u32>,
}

impl<'p> Auditor<'p> {
    pub fn new(profile: &'p Profile, catalog: &Catalog) -> Auditor<'p> {
        let judged: Vec<Vec<[Option<Judged>; 2]>> = profile
            .settings
            .iter()
            .map(|setting| {
                (0..setting.options.len())
                    .map(|option| {
                        [false, true].map(|by_default| {
                            judge(setting, option, by_default).map(|v| Judged {
                                laws: citations(setting, &v.excess, by_default, catalog),
                                severity: v.severity,
                                excess: v.excess,
                            })
                        })
                    })
                    .collect()
            })
            .collect();
        let worst = judged
            .iter()
            .map(|options| {
                options
                    .iter()
                    .filter_map(|o| o[1].as_ref())
                    .map(|j| j.severity.weight())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Auditor {
            profile,
            judged,
            worst,
        }
    }

    /// The verdict on option `option` of setting `setting`, if it exposes anything beyond
    /// the recommendation.
    pub fn judged(&self, setting: usize, option: usize, by_default: bool) -> Option<&Judged> {
        self.judged[setting][option][usize::from(by_default)].as_ref()
    }

    /// The finding option `option` of setting `setting` gives, without a waiver.
    pub fn finding(&self, setting: usize, option: usize, by_default: bool) -> Option<Finding<'_>> {
        let judged = self.judged(setting, option, by_default)?;
        let s = &self.profile.settings[setting];
        Some(Finding {
            index: setting,
            setting: &s.id,
            severity: judged.severity,
            option,
            current: &s.options[option].id,
            recommended: &s.recommended_option().id,
            default: s.default_option().map(|o| o.id.as_str()),
            by_default,
            rulings: &s.rulings,
            judged,
            waiver: None,
            waiver_expired: false,
        })
    }

    /// Audit one account state (`selection`) of the app.
    pub fn audit(&self, selection: &Selection, today: Date) -> Report<'_> {
        let profile = self.profile;
        let mut findings = Vec::new();
        let mut unassessed = Vec::new();
        let mut exposed_weight = 0u32;
        let mut possible_weight = 0u32;
        for (index, setting) in profile.settings.iter().enumerate() {
            let Some(current) = selection.current(profile, index) else {
                unassessed.push(setting.id.as_str());
                continue;
            };
            possible_weight += self.worst[index];
            // Exposure "by default" is what the app did without the user's choice: the
            // state does not set this setting, so the app's default is in effect.
            let by_default = selection.chosen[index].is_none();
            let Some(mut finding) = self.finding(index, current, by_default) else {
                continue;
            };
            exposed_weight += finding.severity.weight();
            if let Some(waiver) = &selection.waivers[index] {
                finding.waiver_expired = !waiver.is_active(today);
                finding.waiver = Some(waiver.clone());
            }
            findings.push(finding);
        }
        findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.index.cmp(&b.index)));
        let mut summary = Summary {
            unassessed: unassessed.len(),
            ..Summary::default()
        };
        for finding in &findings {
            if finding.waived() {
                summary.waived += 1;
                continue;
            }
            match finding.severity {
                Severity::Critical => summary.critical += 1,
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
            }
        }
        Report {
            app: &profile.app.id,
            app_name: &profile.app.name,
            version: &profile.app.version,
            score: score(exposed_weight, possible_weight),
            summary,
            findings,
            unassessed,
        }
    }
}

/// What the engine concludes about one option of a setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub severity: Severity,
    pub excess: Vec<Flow>,
}

/// Judge option `current` of `setting`: `None` when it exposes nothing beyond the
/// recommendation.
pub fn judge(setting: &Setting, current: usize, by_default: bool) -> Option<Verdict> {
    let recommended = setting.recommended_option();
    let excess: Vec<Flow> = setting.options[current]
        .flows
        .iter()
        .filter(|flow| flow.to != Audience::OnlyMe)
        .filter(|flow| {
            !recommended
                .flows
                .iter()
                .any(|r| r.data == flow.data && flow.to.covered_by(r.to))
        })
        .copied()
        .collect();
    let worst = excess
        .iter()
        .map(|f| f.data.sensitivity() * f.to.breadth())
        .max()?;
    let base = match worst {
        12.. => Severity::High,
        6.. => Severity::Medium,
        _ => Severity::Low,
    };
    let severity = if by_default { base.raised() } else { base };
    Some(Verdict { severity, excess })
}

/// Score 0–100: 100 × (1 − exposed ÷ possible), rounded down, where *exposed* sums the
/// weights of the findings (low 1, medium 3, high 6, critical 10; waived ones included,
/// since the data is still exposed) and *possible* sums, over the settings that could be
/// judged, the weight of the worst finding each could give if its most exposing option
/// were the default. 100 means nothing is exposed beyond the recommendations.
pub fn score(exposed: u32, possible: u32) -> u8 {
    if exposed == 0 || possible == 0 {
        return 100;
    }
    let exposed = exposed.min(possible);
    (100 * (possible - exposed) / possible) as u8
}

/// Articles the rules themselves rest on, whatever the profile cites.
pub fn rule_laws(excess: &[Flow], by_default: bool) -> Vec<&'static str> {
    let mut laws = Vec::new();
    for flow in excess {
        match flow.to {
            Audience::Public => laws.push("pipl-25"),
            Audience::OtherApps => laws.extend(["pipl-23", "civil-code-1038"]),
            Audience::Operator if flow.data == DataCategory::Interests => {
                laws.extend(["pipl-24", "algorithm-provisions-17"]);
            }
            _ => {}
        }
        if flow.data == DataCategory::Location {
            laws.extend(["pipl-28", "pipl-29"]);
        }
    }
    if by_default {
        // A default is not consent (PIPL 14: explicit consent; GDPR 7 with recital 32: no
        // pre-ticked boxes), and defaults must keep data to what is needed (GDPR 25(2)).
        laws.extend(["pipl-14", "gdpr-7", "gdpr-25"]);
    }
    laws
}

/// The profile's citations plus the rule's, without duplicates, in catalog order.
fn citations(
    setting: &Setting,
    excess: &[Flow],
    by_default: bool,
    catalog: &Catalog,
) -> Vec<String> {
    let mut laws: Vec<&str> = setting.laws.iter().map(String::as_str).collect();
    laws.extend(rule_laws(excess, by_default));
    let position = |id: &str| {
        catalog
            .laws
            .iter()
            .position(|l| l.id == id)
            .unwrap_or(usize::MAX)
    };
    laws.sort_by_key(|id| (position(id), id.to_owned()));
    laws.dedup();
    laws.into_iter().map(str::to_owned).collect()
}
