//! JSON and JSON Lines: the machine-readable report. Field names are stable API.
//!
//! A finding's JSON depends only on the profile, the setting, the option in effect and
//! whether it is the default, unless the user waived it. [`LineCache`] renders each such
//! finding once per profile, so a batch of states writes cached text instead of
//! formatting the same explanation again for every state.

use super::{Checked, Style};
use crate::audit::{Auditor, Citation, Finding, Severity, Summary, finding_message};
use crate::evidence::Evidence;
use crate::profile::{LabelKind, Profile, RulingLink};
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub app: JsonApp<'a>,
    /// Where the profile came from (`profiles/douyin.toml` for a built-in one).
    pub profile: &'a str,
    /// The account state checked, or null for the app's defaults.
    pub state: Option<&'a str>,
    /// The score on the facts as reported.
    pub score: u8,
    /// The score counting only findings whose facts are all confirmed.
    pub score_confirmed: u8,
    pub summary: Summary,
    pub findings: Vec<JsonFindingOut<'a>>,
    pub unassessed: &'a [&'a str],
}

#[derive(Serialize)]
pub struct JsonApp<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub version: &'a str,
}

/// A finding rendered now, or taken ready-made from a [`LineCache`].
#[derive(Serialize)]
#[serde(untagged)]
pub enum JsonFindingOut<'a> {
    Full(Box<JsonFinding<'a>>),
    Cached(&'a RawValue),
}

#[derive(Serialize)]
pub struct JsonFinding<'a> {
    pub setting: &'a str,
    pub label: &'a str,
    pub severity: Severity,
    pub current: &'a str,
    pub recommended: &'a str,
    pub default: Option<&'a str>,
    pub by_default: bool,
    /// The weakest evidence level among the facts the finding rests on.
    pub certainty: Evidence,
    /// `certainty` is verified or secondary.
    pub confirmed: bool,
    /// Exposure by a default that is only single-source or unverified.
    pub unconfirmed_default: bool,
    /// How the severity was reached.
    pub severity_basis: JsonSeverityBasis,
    /// How sure we are of each fact about the setting.
    pub evidence: JsonEvidence<'a>,
    pub data: Vec<&'static str>,
    /// The broadest audience reached beyond the recommendation.
    pub audience: &'static str,
    pub exposes: Vec<JsonFlow>,
    /// Each ruling with its link: `direct` or `analogy`.
    pub rulings: &'a [RulingLink],
    pub laws: &'a [String],
    /// `laws`, each with its layer and dates.
    pub citations: &'a [Citation],
    pub message: String,
    pub waived: bool,
    pub waiver: Option<JsonWaiver<'a>>,
}

#[derive(Serialize)]
pub struct JsonFlow {
    pub data: &'static str,
    pub to: &'static str,
    pub from: &'static str,
}

#[derive(Serialize)]
pub struct JsonSeverityBasis {
    /// From the flows alone.
    pub base: Severity,
    pub raised_by_default: bool,
    pub raised_by_ruling: bool,
}

#[derive(Serialize)]
pub struct JsonEvidence<'a> {
    pub label: Evidence,
    pub label_kind: LabelKind,
    pub default: Option<Evidence>,
    pub default_note: Option<&'a str>,
    pub path: Option<Evidence>,
    pub flows: Evidence,
}

#[derive(Serialize)]
pub struct JsonWaiver<'a> {
    pub reason: &'a str,
    pub expires: Option<String>,
    pub expired: bool,
}

pub fn finding<'a>(profile: &'a Profile, f: &'a Finding<'a>, style: Style<'_>) -> JsonFinding<'a> {
    let setting = &profile.settings[f.index];
    let ev = &setting.evidence;
    JsonFinding {
        setting: f.setting,
        label: setting.label.get(style.lang),
        severity: f.severity,
        current: f.current,
        recommended: f.recommended,
        default: f.default,
        by_default: f.by_default,
        certainty: f.certainty(),
        confirmed: f.confirmed(),
        unconfirmed_default: f.unconfirmed_default(),
        severity_basis: JsonSeverityBasis {
            base: f.judged.base,
            raised_by_default: f.judged.raised_by_default,
            raised_by_ruling: f.judged.raised_by_ruling,
        },
        evidence: JsonEvidence {
            label: ev.label,
            label_kind: setting.label_kind,
            default: ev.default,
            default_note: ev.default_note.as_ref().map(|n| n.get(style.lang)),
            path: ev.path,
            flows: ev.flows,
        },
        data: f.data().into_iter().map(|d| d.id()).collect(),
        audience: f.broadest_audience().id(),
        exposes: f
            .exposes()
            .iter()
            .map(|flow| JsonFlow {
                data: flow.data.id(),
                to: flow.to.id(),
                from: flow.from.id(),
            })
            .collect(),
        rulings: f.rulings,
        laws: f.laws(),
        citations: f.citations(),
        message: finding_message(profile, f, style.catalog, style.lang),
        waived: f.waived(),
        waiver: f.waiver.as_ref().map(|w| JsonWaiver {
            reason: &w.reason,
            expires: w.expires.map(|d| d.to_string()),
            expired: f.waiver_expired,
        }),
    }
}

/// The JSON view of a report; findings come from `cache` where it has them.
pub fn to_json<'a>(
    checked: &'a Checked<'a>,
    style: Style<'_>,
    cache: Option<&'a LineCache>,
) -> JsonReport<'a> {
    let report = &checked.report;
    JsonReport {
        app: JsonApp {
            id: report.app,
            name: report.app_name.get(style.lang),
            version: report.version.get(style.lang),
        },
        profile: &checked.profile.origin,
        state: checked.state.as_deref(),
        score: report.score,
        score_confirmed: report.score_confirmed,
        summary: report.summary,
        findings: report
            .findings
            .iter()
            .map(|f| match cache.and_then(|c| c.get(f)) {
                Some(raw) => JsonFindingOut::Cached(raw),
                None => JsonFindingOut::Full(Box::new(finding(checked.profile, f, style))),
            })
            .collect(),
        unassessed: &report.unassessed,
    }
}

/// One report, pretty-printed (an element of the JSON document's `reports`).
pub fn pretty(checked: &Checked<'_>, style: Style<'_>) -> Vec<u8> {
    serde_json::to_vec_pretty(&to_json(checked, style, None)).expect("reports serialise")
}

/// One report on one line, ending in a newline, as UTF-8 bytes ready to write.
pub fn line(checked: &Checked<'_>, style: Style<'_>, cache: Option<&LineCache>) -> Vec<u8> {
    let report = to_json(checked, style, cache);
    // Sized up front: a line is mostly cached findings, and growing the buffer by doubling
    // would copy each line several times.
    let estimate = 512
        + report
            .findings
            .iter()
            .map(|f| match f {
                JsonFindingOut::Cached(raw) => raw.get().len() + 1,
                JsonFindingOut::Full(_) => 1024,
            })
            .sum::<usize>();
    let mut out = Vec::with_capacity(estimate);
    serde_json::to_writer(&mut out, &report).expect("reports serialise");
    out.push(b'\n');
    out
}

/// Every unwaived finding a profile can give, rendered once, in one language.
pub struct LineCache {
    /// `rendered[setting][option][by_default as usize]`.
    rendered: Vec<Vec<[Option<Box<RawValue>>; 2]>>,
}

impl LineCache {
    pub fn new(auditor: &Auditor<'_>, style: Style<'_>) -> LineCache {
        let profile = auditor.profile;
        let rendered = profile
            .settings
            .iter()
            .enumerate()
            .map(|(index, setting)| {
                (0..setting.options.len())
                    .map(|option| {
                        [false, true].map(|by_default| {
                            let f = auditor.finding(index, option, by_default)?;
                            let text = serde_json::to_string(&finding(profile, &f, style))
                                .expect("findings serialise");
                            Some(
                                RawValue::from_string(text)
                                    .expect("serde_json output is valid JSON"),
                            )
                        })
                    })
                    .collect()
            })
            .collect();
        LineCache { rendered }
    }

    /// The cached JSON of an unwaived finding (a waiver is particular to the state).
    pub fn get(&self, f: &Finding<'_>) -> Option<&RawValue> {
        if f.waiver.is_some() {
            return None;
        }
        self.rendered[f.index][f.option][usize::from(f.by_default)].as_deref()
    }
}
