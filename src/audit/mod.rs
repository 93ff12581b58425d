//! The audit engine: (profile, account state) → report. Pure: no terminal, no files, no
//! clock (the date for waiver expiry is an argument).
//!
//! One set of rules turns the facts of a profile into verdicts, so a profile written by
//! anyone is judged the same way:
//!
//! 1. **Exposure.** A flow (data → audience) of the option in effect is *excess* when the
//!    recommended option does not already send that data to that audience or a broader one
//!    on the ladder only-me < approved < friends < followers < network < public. `other-apps` and
//!    `operator` are separate channels, covered only by themselves.
//! 2. **A finding** arises for each setting whose option in effect has excess flows.
//! 3. **Certainty.** A finding is as sure as the weakest fact it rests on: the flows, the
//!    label where it is the app's on-screen text, and the default when the exposure is by
//!    default (see [`certainty`]). *Confirmed* means verified or secondary.
//! 4. **Severity.** Each excess flow scores sensitivity(data) × breadth (see
//!    [`crate::vocab`]); the highest score gives the base: 12 and up *high*, 6 and up
//!    *medium*, else *low*. When the app's default is in effect and the user's state does
//!    not set it, the severity rises one level for each of: the default is confirmed (the
//!    exposure happened without the user's choice, what the courts condemned), and a
//!    ruling is tied to the setting *directly* (a court found this very feature unlawful).
//!    An unconfirmed default raises nothing: the finding keeps its base severity and is
//!    marked *unconfirmed default*. *Critical* therefore only arises by default.
//! 5. **Citations.** The rulings and articles the profile ties to the setting, plus the
//!    articles the rule itself rests on (see [`rule_laws`]), each with its standing (see
//!    [`Citation`]).
//! 6. **Score** 0–100 on the facts as reported, and the score counting only confirmed
//!    findings; see [`score`].
//!
//! [`Auditor`] works all verdicts for a profile out once, so that checking thousands of
//! account states is a table lookup per setting.

pub mod drift;
pub mod explain;
pub mod exposure;

pub use explain::{finding_message, finding_summary};

use crate::catalog::{Catalog, Jurisdiction, Law, Ruling};
use crate::date::Date;
use crate::evidence::Evidence;
use crate::profile::{Flow, LabelKind, Market, Profile, RulingLink, Setting};
use crate::state::{Selection, Waiver};
use crate::text::Localized;
use crate::vocab::{Audience, DataCategory, Source};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
#[derive(schemars::JsonSchema)]
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

/// Whether findings that rest on unconfirmed facts make `check` fail.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Unconfirmed {
    /// They fail like any other finding at or above the threshold.
    #[default]
    Fail,
    /// They are reported but never fail the check.
    Warn,
}

/// What an article is to a finding: the court's own basis, Chinese law as it stands
/// today, or the EU comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
#[derive(schemars::JsonSchema)]
pub enum Layer {
    /// Among the articles a cited ruling is known to have relied on.
    CourtBasis,
    /// Chinese law in force today (possibly later than the ruling or the app version).
    CurrentLaw,
    /// Chinese law cited for an app offered only outside China: the same principle, by
    /// analogy; it does not bind the app.
    CnAnalogy,
    /// Rules of another jurisdiction or an internal policy, from a user's catalog
    /// (`jurisdiction = "other"`): shown under its own name, never as Chinese law.
    OtherRules,
    /// The EU's GDPR: a comparison; it reaches a Chinese app only under its Art. 3.
    EuComparison,
}

impl Layer {
    pub const ALL: [Layer; 5] = [
        Layer::CourtBasis,
        Layer::CurrentLaw,
        Layer::CnAnalogy,
        Layer::OtherRules,
        Layer::EuComparison,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Layer::CourtBasis => "court-basis",
            Layer::CurrentLaw => "current-law",
            Layer::CnAnalogy => "cn-analogy",
            Layer::OtherRules => "other-rules",
            Layer::EuComparison => "eu-comparison",
        }
    }
}

/// One article cited by a finding, with its standing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Citation {
    pub law: String,
    pub layer: Layer,
    /// The date from which it binds (`YYYY-MM-DD`), where the catalog gives one.
    pub in_force: Option<String>,
    /// It took effect after the date of a ruling the setting cites.
    pub later_than_ruling: bool,
    /// It took effect after the profiled app version was in use.
    pub later_than_version: bool,
}

/// What the rules conclude about one option of one setting, with one answer to "is it the
/// default, unchosen?". Computed once per profile by [`Auditor::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judged {
    pub severity: Severity,
    /// The severity from the flows alone, before any raise.
    pub base: Severity,
    /// Raised because a confirmed default exposed the data without the user's choice.
    pub raised_by_default: bool,
    /// Raised because a court ruled directly on this feature (and the user did not choose
    /// it).
    pub raised_by_ruling: bool,
    /// The flows that go beyond the recommendation.
    pub excess: Vec<Flow>,
    /// The profile's articles plus the rule's, in catalog order.
    pub laws: Vec<String>,
    /// `laws`, each with its standing.
    pub citations: Vec<Citation>,
    /// The weakest level among the facts the finding rests on.
    pub certainty: Evidence,
    /// The exposure is by default, and the default is only single-source or unverified.
    pub unconfirmed_default: bool,
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
    pub rulings: &'p [RulingLink],
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

    pub fn citations(&self) -> &[Citation] {
        &self.judged.citations
    }

    pub fn certainty(&self) -> Evidence {
        self.judged.certainty
    }

    /// Every fact under it is verified or secondary.
    pub fn confirmed(&self) -> bool {
        self.judged.certainty.confirmed()
    }

    pub fn unconfirmed_default(&self) -> bool {
        self.judged.unconfirmed_default
    }

    /// Does this finding fail a check at `threshold` under `policy`?
    pub fn fails(&self, threshold: Severity, policy: Unconfirmed) -> bool {
        !self.waived()
            && self.severity >= threshold
            && (self.confirmed() || policy == Unconfirmed::Fail)
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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Findings the user has waived (not counted above).
    pub waived: usize,
    /// Settings whose value is not known (no default in the profile, not in the state).
    pub unassessed: usize,
    /// Unwaived findings (counted above) that rest on a single-source or unverified fact.
    pub unconfirmed: usize,
    /// Findings below `--min-severity`: left out of the report and of the counts above.
    pub left_out: usize,
}

impl Summary {
    /// The counts of `findings`, with `unassessed` settings and `left_out` findings.
    fn of(findings: &[Finding<'_>], unassessed: usize, left_out: usize) -> Summary {
        let mut summary = Summary {
            unassessed,
            left_out,
            ..Summary::default()
        };
        for finding in findings {
            if finding.waived() {
                summary.waived += 1;
                continue;
            }
            if !finding.confirmed() {
                summary.unconfirmed += 1;
            }
            match finding.severity {
                Severity::Critical => summary.critical += 1,
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
            }
        }
        summary
    }

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
    pub version: &'p Localized,
    /// The score on the facts as reported.
    pub score: u8,
    /// The score counting only findings whose facts are all confirmed: at least `score`,
    /// and equal to it when nothing rests on unconfirmed facts.
    pub score_confirmed: u8,
    pub summary: Summary,
    /// Most severe first, then in profile order.
    pub findings: Vec<Finding<'p>>,
    /// Ids of settings that could not be judged because their value is unknown.
    pub unassessed: Vec<&'p str>,
    /// Indices of the settings whose findings `--min-severity` left out (a report that
    /// lists settings one by one, JUnit's, marks them instead of showing them as passed).
    pub left_out: Vec<usize>,
}

impl Report<'_> {
    /// Leave findings below `min` out (`--min-severity`): out of the findings and the
    /// counts, which say how many were left out. The scores stay those of the whole state.
    pub fn leave_out_below(&mut self, min: Severity) {
        let left_out = &mut self.left_out;
        self.findings.retain(|f| {
            let kept = f.severity >= min;
            if !kept {
                left_out.push(f.index);
            }
            kept
        });
        if !self.left_out.is_empty() {
            let n = self.left_out.len();
            self.summary = Summary::of(&self.findings, self.summary.unassessed, n);
        }
    }

    /// The most severe finding that is not waived.
    pub fn worst_unwaived(&self) -> Option<Severity> {
        self.findings
            .iter()
            .filter(|f| !f.waived())
            .map(|f| f.severity)
            .max()
    }

    /// Does any unwaived finding reach `threshold` (leaving out unconfirmed ones under
    /// `Unconfirmed::Warn`)?
    pub fn fails_at(&self, threshold: Severity, policy: Unconfirmed) -> bool {
        self.findings.iter().any(|f| f.fails(threshold, policy))
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
                            judge(setting, option, by_default).map(|v| {
                                let laws = citations(setting, &v.excess, by_default, catalog);
                                Judged {
                                    citations: standing(&laws, setting, profile, catalog),
                                    laws,
                                    severity: v.severity,
                                    base: v.base,
                                    raised_by_default: v.raised_by_default,
                                    raised_by_ruling: v.raised_by_ruling,
                                    excess: v.excess,
                                    certainty: certainty(setting, by_default),
                                    unconfirmed_default: by_default
                                        && !setting
                                            .evidence
                                            .default
                                            .is_some_and(Evidence::confirmed),
                                }
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
        let mut confirmed_weight = 0u32;
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
            if finding.confirmed() {
                confirmed_weight += finding.severity.weight();
            }
            if let Some(waiver) = &selection.waivers[index] {
                finding.waiver_expired = !waiver.is_active(today);
                finding.waiver = Some(waiver.clone());
            }
            findings.push(finding);
        }
        findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.index.cmp(&b.index)));
        let summary = Summary::of(&findings, unassessed.len(), 0);
        Report {
            app: &profile.app.id,
            app_name: &profile.app.name,
            version: &profile.app.version,
            score: score(exposed_weight, possible_weight),
            score_confirmed: score(confirmed_weight, possible_weight),
            summary,
            findings,
            unassessed,
            left_out: Vec::new(),
        }
    }
}

/// What the engine concludes about one option of a setting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub severity: Severity,
    pub base: Severity,
    pub raised_by_default: bool,
    pub raised_by_ruling: bool,
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
        .filter(|flow| !recommended.flows.iter().any(|r| flow.covered_by(r)))
        .copied()
        .collect();
    let worst = excess.iter().map(Flow::weight).max()?;
    let base = match worst {
        12.. => Severity::High,
        6.. => Severity::Medium,
        _ => Severity::Low,
    };
    // Raises need the user not to have chosen the option; a default we are not sure of
    // raises nothing (a verdict is never more certain than its weakest fact).
    let raised_by_default = by_default && setting.evidence.default.is_some_and(|e| e.confirmed());
    let raised_by_ruling = by_default && setting.has_direct_ruling();
    let mut severity = base;
    for raised in [raised_by_default, raised_by_ruling] {
        if raised {
            severity = severity.raised();
        }
    }
    Some(Verdict {
        severity,
        base,
        raised_by_default,
        raised_by_ruling,
        excess,
    })
}

/// How sure a finding on `setting` is: the weakest of its flows' level, its label's when
/// the label is on-screen text (the finding names it), and its default's when the exposure
/// is by default. A default the profile does not state counts as unverified.
pub fn certainty(setting: &Setting, by_default: bool) -> Evidence {
    let evidence = &setting.evidence;
    let mut level = evidence.flows;
    if setting.label_kind == LabelKind::OnScreen {
        level = level.weakest(evidence.label);
    }
    if by_default {
        level = level.weakest(evidence.default.unwrap_or(Evidence::Unverified));
    }
    level
}

/// Are the rulings tied to `setting` persuasive only: Chinese rulings on a setting of an
/// app offered outside China, which they do not bind? Every face that lists the rulings
/// says so when this holds.
pub fn rulings_persuasive_only(profile: &Profile, setting: &Setting) -> bool {
    profile.app.market == Some(Market::OutsideChina) && !setting.rulings.is_empty()
}

/// The standing of each article in `laws` for a finding on `setting` of `profile`.
pub fn standing(
    laws: &[String],
    setting: &Setting,
    profile: &Profile,
    catalog: &Catalog,
) -> Vec<Citation> {
    let rulings: Vec<&Ruling> = setting
        .rulings
        .iter()
        .filter_map(|link| catalog.ruling(&link.id))
        .collect();
    let version_date = profile.app.version_date.map(|d| d.latest());
    laws.iter()
        .filter_map(|id| catalog.law(id))
        .map(|law| citation(law, &rulings, version_date.as_deref(), profile.app.market))
        .collect()
}

/// The standing of one article against the rulings it is cited with (its layer, and
/// whether it took effect after the earliest of them), against the date the app version
/// was last in use (`YYYY-MM-DD`), where known, and against where the app is offered
/// (Chinese law does not bind an app offered only outside China).
pub fn citation(
    law: &Law,
    rulings: &[&Ruling],
    version_date: Option<&str>,
    market: Option<Market>,
) -> Citation {
    let layer = if rulings.iter().any(|r| r.basis.contains(&law.id)) {
        Layer::CourtBasis
    } else if law.jurisdiction == Jurisdiction::Eu {
        Layer::EuComparison
    } else if law.jurisdiction == Jurisdiction::Other {
        Layer::OtherRules
    } else if market == Some(Market::OutsideChina) {
        Layer::CnAnalogy
    } else {
        Layer::CurrentLaw
    };
    let after = |date: Option<&str>| match (law.in_force.as_deref(), date) {
        (Some(in_force), Some(date)) => in_force > date,
        _ => false,
    };
    Citation {
        law: law.id.clone(),
        layer,
        in_force: law.in_force.clone(),
        later_than_ruling: after(rulings.iter().map(|r| r.date.as_str()).min()),
        later_than_version: after(version_date),
    }
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

/// Is this flow the app itself making data public (a follow list, a "people you may
/// know" card), rather than a user's own posts shown to the audience the user picked?
/// Only the former is what PIPL art. 25 forbids without separate consent; showing data to
/// friends is not making it public.
pub fn app_makes_public(flow: &Flow) -> bool {
    matches!(flow.to, Audience::Network | Audience::Public)
        && !matches!(flow.data, DataCategory::Content | DataCategory::PostHistory)
}

/// Articles the rules themselves rest on, whatever the profile cites. Each is cited only
/// for what it says: PIPL 25 when the app itself makes data public; PIPL 23 and Civil Code
/// 1038 when data passes between apps (to another processor); PIPL 24 and the algorithm
/// provisions' art. 17 (the right to switch personalisation off) for the interest profile;
/// PIPL 28/29 only for the sensitive categories (precise location and movement trails,
/// health, finances, biometrics, a child's data, the last also PIPL 31's guardian consent);
/// Civil Code 1034 (which names email addresses) for an email address, and with PIPL 13/14
/// for a city or region.
pub fn rule_laws(excess: &[Flow], by_default: bool) -> Vec<&'static str> {
    let mut laws = Vec::new();
    for flow in excess {
        if app_makes_public(flow) {
            laws.push("pipl-25");
        }
        if flow.to == Audience::OtherApps || flow.from == Source::OtherApps {
            laws.extend(["pipl-23", "civil-code-1038"]);
        }
        if flow.to == Audience::Operator && flow.data == DataCategory::Interests {
            laws.extend(["pipl-24", "algorithm-provisions-17"]);
        }
        match flow.data {
            DataCategory::PreciseLocation
            | DataCategory::Health
            | DataCategory::Financial
            | DataCategory::Biometric => laws.extend(["pipl-28", "pipl-29"]),
            DataCategory::MinorData => laws.extend(["pipl-28", "pipl-29", "pipl-31"]),
            DataCategory::EmailAddress => laws.push("civil-code-1034"),
            DataCategory::CoarseLocation => {
                laws.extend(["civil-code-1034", "pipl-13", "pipl-14"]);
            }
            _ => {}
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
