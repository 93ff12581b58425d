//! SARIF 2.1.0 for code-scanning tools (GitHub code scanning among them): one result per
//! kind of finding, pointing at the line of the profile where the setting (or its default)
//! is written.
//!
//! **Aggregated.** A batch of a million states would give millions of results on the same
//! few profile lines, while GitHub refuses a run of more than 25,000 results or an upload
//! of more than 10 MB gzipped. So a result is not a state's finding but every finding
//! alike: the same rule, the same artifact and line, the same option in effect, by default
//! or chosen, waived or not ([`Run`]). It carries how many reports gave it
//! (`occurrenceCount`, and `properties.count`) and the names of the first
//! [`MAX_SAMPLED_STATES`] states. A setting gives an unwaived finding by default (on its
//! default option) or chosen (on any option but the recommended one), and as many waived:
//! a run holds at most two results per option of each profile's settings, however many
//! states come, and memory is bounded the same way. Per-state detail is what
//! JSON Lines is for.
//!
//! **Waived findings** are results too, with a `suppressions` entry of kind `external`
//! per distinct waiver (its reason as the justification, its expiry and how many states
//! kept it in the entry's properties; the first [`MAX_LISTED_WAIVERS`] distinct ones).
//!
//! The opening is written first; the results, the tool with its rules and the invocation
//! when the batch ends (JSON objects are unordered), since only then is every count
//! known.

use super::document::Piece;
use super::{Checked, Style};
use crate::audit::explain::{
    citations_by_layer, cited_article, evidence_sentence, layer_name, related_articles,
    ruling_link_sentence,
};
use crate::audit::{Finding, Severity, finding_message, judge};
use crate::catalog::Catalog;
use crate::date::Date;
use crate::profile::{Profile, Setting};
use crate::text::Lang;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

/// How many state names an aggregated result lists (`properties.states`): the first ones
/// in input order. The others are counted in `count`.
pub const MAX_SAMPLED_STATES: usize = 10;

/// How many distinct waivers (reason and expiry) a waived result lists as suppressions.
/// The states whose waiver is not listed are counted in `properties.waiversUnlisted`.
pub const MAX_LISTED_WAIVERS: usize = 10;

/// GitHub code scanning reads at most this many tags per rule (it accepts 20 and keeps 10).
const MAX_TAGS: usize = 10;

/// Everything before the first result.
pub const OPENING: &str = "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"results\":[";

/// SARIF's three levels: errors fail most code-scanning gates, warnings and notes do not.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// The 0–10 figure GitHub code scanning reads from a rule's `security-severity`: it
/// shows over 9.0 as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
    }
}

/// The most severe finding `setting` can give: by default (on its default option) or
/// chosen (on any option).
///
/// A rule has one `defaultConfiguration.level` and one `security-severity`, which GitHub
/// applies to every alert of the rule, yet one setting gives findings of different
/// severity (a confirmed default raises it; each option exposes differently). The rule
/// takes the worst it can give, from the profile alone: the rule then says the same in
/// every run whatever states a batch held (the highest severity *seen* would move with
/// the batch), and errs toward attention. Each result keeps its own `level` and
/// `properties.severity`.
pub fn worst_severity(setting: &Setting) -> Option<Severity> {
    let by_default = setting.default.and_then(|d| judge(setting, d, true));
    let chosen = (0..setting.options.len()).filter_map(|o| judge(setting, o, false));
    by_default
        .into_iter()
        .chain(chosen)
        .map(|v| v.severity)
        .max()
}

/// Stable rule id: the app and the setting, which do not change between runs or versions.
pub fn rule_id(profile: &Profile, setting: &Setting) -> String {
    format!("{}/{}", profile.app.id, setting.id)
}

/// A URI reference for a path: relative paths stay relative (resolved against the
/// repository root by code-scanning tools), absolute ones become `file://` URIs; anything
/// outside the unreserved set is percent-encoded.
pub fn path_uri(path: &str) -> String {
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The rule for a setting, its help written from the first finding that uses it (the
/// citations' standing depends on the finding's flows, not on the state).
fn rule(profile: &Profile, f: &Finding, catalog: &Catalog, lang: Lang) -> Value {
    let setting = &profile.settings[f.index];
    let colon = match lang {
        Lang::En => ": ",
        Lang::Zh => "：",
    };
    let mut help = String::new();
    if let Some(note) = &setting.note {
        help.push_str(note.get(lang));
        help.push_str("\n\n");
    }
    help.push_str(&evidence_sentence(setting, lang));
    help.push_str("\n\n");
    for link in &setting.rulings {
        if let (Some(sentence), Some(ruling)) = (
            ruling_link_sentence(link, catalog, lang),
            catalog.ruling(&link.id),
        ) {
            help.push_str(&sentence);
            help.push('\n');
            help.push_str(&ruling.held_line(lang));
            help.push_str("\n\n");
        }
    }
    let groups = citations_by_layer(f.citations(), catalog);
    if !groups.is_empty() {
        help.push_str(related_articles(lang));
        help.push('\n');
    }
    for (layer, laws) in groups {
        for (law, c) in laws {
            help.push_str(&format!(
                "{}{colon}{}{colon}{}\n",
                layer_name(layer, lang),
                cited_article(law, Some(c), lang),
                law.summary.get(lang)
            ));
        }
    }
    // `security` makes GitHub treat the results as security alerts (with a severity);
    // rulings and articles after it, as many as GitHub keeps.
    let mut tags: Vec<String> = vec!["security".to_owned(), "privacy".to_owned()];
    tags.extend(setting.rulings.iter().map(|r| r.id.clone()));
    tags.extend(setting.laws.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    tags.truncate(MAX_TAGS);
    // A rule is only written for a setting that gave a finding, so it has a worst.
    let worst = worst_severity(setting).unwrap_or(f.severity);
    json!({
        "id": rule_id(profile, setting),
        "name": setting.id,
        "shortDescription": { "text": setting.label.get(lang) },
        "fullDescription": { "text": format!("{} — {}", profile.app.name.get(lang), setting.label.get(lang)) },
        "defaultConfiguration": { "level": level(worst) },
        "help": {
            "text": help.trim_end(),
            "markdown": super::markdown::escape(help.trim_end()).replace('\n', "  \n"),
        },
        "properties": {
            "tags": tags,
            "security-severity": security_severity(worst),
            "severity": worst.id(),
        },
    })
}

/// The findings of one report, for the run to aggregate (the worker that checked the
/// state renders nothing: a result's text is rendered once, when the run ends).
pub struct Found<'a> {
    profile: &'a Profile,
    state: Option<String>,
    findings: Vec<Finding<'a>>,
    /// Findings `--min-severity` left out of the report.
    left_out: usize,
}

/// A report's findings, to be aggregated by [`Run::add`].
pub fn results<'a>(checked: &Checked<'a>) -> Piece<'a> {
    Piece {
        bytes: Vec::new(),
        left_out: 0,
        found: Some(Found {
            profile: checked.profile,
            state: checked.state.clone(),
            findings: checked.report.findings.clone(),
            left_out: checked.report.summary.left_out,
        }),
    }
}

/// One result of the run: every finding alike (see [`Run`]).
struct Aggregate<'a> {
    profile: &'a Profile,
    /// The first such finding, without its waiver: the result's text comes from it.
    finding: Finding<'a>,
    waived: bool,
    /// Index of the rule in [`Run::rules`].
    rule: usize,
    /// Reports that gave this finding.
    count: u64,
    /// The first [`MAX_SAMPLED_STATES`] of their state names (none for an app's defaults).
    states: Vec<String>,
    /// Waived results: the first [`MAX_LISTED_WAIVERS`] distinct waivers.
    waivers: Vec<WaiverTally>,
    /// Waived results: states whose waiver is not among `waivers`.
    waivers_unlisted: u64,
}

struct WaiverTally {
    reason: String,
    expires: Option<Date>,
    count: u64,
}

/// Which findings are alike: the profile (by address), setting, option in effect, by
/// default, waived.
type FastKey = (usize, usize, usize, bool, bool);

/// The same, by what the result shows: artifact, rule, line, option, by default, waived
/// (two profiles loaded from one file share their results).
type ResultKey = (String, String, usize, String, bool, bool);

/// The results of a SARIF run, aggregated as reports come, and the rules they use.
#[derive(Default)]
pub struct Run<'a> {
    /// Findings `--min-severity` left out, over every report: said in the run's
    /// properties, so that alerts gone from a run are not taken for fixed unawares.
    left_out: u64,
    fast: HashMap<FastKey, usize>,
    keys: HashMap<ResultKey, usize>,
    results: Vec<Aggregate<'a>>,
    /// Each rule with the first finding that used it (its help is written from it).
    rules: Vec<(&'a Profile, Finding<'a>)>,
    /// Rule id (`APP/SETTING`) to the rule's index in `rules`. Keyed by id, not by
    /// profile: two profiles of one app (a built-in one and a copy) share their rules,
    /// which SARIF requires to be unique.
    rule_index: HashMap<String, usize>,
}

impl<'a> Run<'a> {
    /// Count one report's findings in.
    pub fn add(&mut self, piece: Piece<'a>) {
        let Some(found) = piece.found else {
            return;
        };
        self.left_out += found.left_out as u64;
        let profile = found.profile;
        for f in found.findings {
            let waived = f.waived();
            let fast = (
                std::ptr::from_ref(profile) as usize,
                f.index,
                f.option,
                f.by_default,
                waived,
            );
            let index = match self.fast.get(&fast) {
                Some(&index) => index,
                None => {
                    let index = self.result_for(profile, &f, waived);
                    self.fast.insert(fast, index);
                    index
                }
            };
            let result = &mut self.results[index];
            result.count += 1;
            if let Some(state) = &found.state
                && result.states.len() < MAX_SAMPLED_STATES
            {
                result.states.push(state.clone());
            }
            if let Some(waiver) = f.waiver.filter(|_| waived) {
                let listed = result.waivers.len();
                match result
                    .waivers
                    .iter_mut()
                    .find(|w| w.reason == waiver.reason && w.expires == waiver.expires)
                {
                    Some(tally) => tally.count += 1,
                    None if listed < MAX_LISTED_WAIVERS => result.waivers.push(WaiverTally {
                        reason: waiver.reason,
                        expires: waiver.expires,
                        count: 1,
                    }),
                    None => result.waivers_unlisted += 1,
                }
            }
        }
    }

    /// The index of the result `f` belongs to, made if it is the first.
    fn result_for(&mut self, profile: &'a Profile, f: &Finding<'a>, waived: bool) -> usize {
        let setting = &profile.settings[f.index];
        let id = rule_id(profile, setting);
        let key = (
            profile.origin.clone(),
            id.clone(),
            super::finding_line(setting, f),
            f.current.to_owned(),
            f.by_default,
            waived,
        );
        if let Some(&index) = self.keys.get(&key) {
            return index;
        }
        let finding = Finding {
            waiver: None,
            waiver_expired: false,
            ..f.clone()
        };
        let rule = match self.rule_index.get(&id) {
            Some(&rule) => rule,
            None => {
                self.rule_index.insert(id, self.rules.len());
                self.rules.push((profile, finding.clone()));
                self.rules.len() - 1
            }
        };
        self.keys.insert(key, self.results.len());
        self.results.push(Aggregate {
            profile,
            finding,
            waived,
            rule,
            count: 0,
            states: Vec::new(),
            waivers: Vec::new(),
            waivers_unlisted: 0,
        });
        self.results.len() - 1
    }

    /// Everything after the opening: the results, one per line, then the tool and its
    /// rules, and the invocation, with `errors` (bad states) as notifications that make
    /// the run unsuccessful.
    pub fn write_closing(
        &self,
        out: &mut impl Write,
        errors: &[String],
        unlisted: usize,
        style: Style<'_>,
    ) -> io::Result<()> {
        for (i, result) in self.results.iter().enumerate() {
            out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut *out, &result.to_json(style)).map_err(io::Error::other)?;
        }
        let rules: Vec<Value> = self
            .rules
            .iter()
            .map(|(profile, f)| rule(profile, f, style.catalog, style.lang))
            .collect();
        let mut notifications: Vec<Value> = errors
            .iter()
            .map(|e| json!({ "level": "error", "message": { "text": e } }))
            .collect();
        if unlisted > 0 {
            let text = match style.lang {
                Lang::En => format!(
                    "{unlisted} more states could not be checked; each was reported on stderr"
                ),
                Lang::Zh => {
                    format!("另有 {unlisted} 个账户状态无法检查，均已在标准错误输出中报告。")
                }
            };
            notifications.push(json!({ "level": "error", "message": { "text": text } }));
        }
        let srcroot = match style.lang {
            Lang::En => "The privaudit source tree, where the built-in profiles are kept.",
            Lang::Zh => "privaudit 的源代码目录，内置档案存放于此。",
        };
        let mut rest = json!({
            "tool": {
                "driver": {
                    "name": "privaudit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": srcroot } }
            },
            "invocations": [{
                "executionSuccessful": errors.is_empty() && unlisted == 0,
                "toolExecutionNotifications": notifications,
            }],
        });
        if self.left_out > 0 {
            rest["properties"] = json!({ "leftOut": self.left_out });
        }
        let rest = serde_json::to_string(&rest).map_err(io::Error::other)?;
        // `rest` is an object: continue the run's object with its members.
        write!(out, "\n],{}]}}\n", &rest[1..])
    }
}

impl Aggregate<'_> {
    fn to_json(&self, style: Style<'_>) -> Value {
        let profile = self.profile;
        let f = &self.finding;
        let setting = &profile.settings[f.index];
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": { "uri": path_uri(&profile.origin) },
                "region": { "startLine": super::finding_line(setting, f) },
            }
        });
        if profile.builtin {
            location["physicalLocation"]["artifactLocation"]["uriBaseId"] = json!("%SRCROOT%");
        }
        let id = rule_id(profile, setting);
        // Stable across runs, batch sizes and state order, and unique in the run: what the
        // result is about, not which states gave it nor the line (which moves when the
        // profile is edited). A waived result is told apart from the unwaived one of the
        // same finding, which a batch can hold side by side.
        let fingerprint = format!(
            "{}:{id}:{}:{}{}",
            path_uri(&profile.origin),
            f.current,
            if f.by_default { "default" } else { "chosen" },
            if self.waived { ":waived" } else { "" },
        );
        let mut result = json!({
            "ruleId": id,
            "ruleIndex": self.rule,
            "level": level(f.severity),
            "message": { "text": finding_message(profile, f, style.catalog, style.lang) },
            "locations": [location],
            "partialFingerprints": { "privaudit/v2": fingerprint },
            "occurrenceCount": self.count,
            "properties": {
                "severity": f.severity.id(),
                "security-severity": security_severity(f.severity),
                "count": self.count,
                "byDefault": f.by_default,
                "current": f.current,
                "recommended": f.recommended,
                "certainty": f.certainty(),
                "confirmed": f.confirmed(),
                "unconfirmedDefault": f.unconfirmed_default(),
                "evidence": {
                    "label": setting.evidence.label,
                    "labelKind": setting.label_kind,
                    "default": setting.evidence.default,
                    "path": setting.evidence.path,
                    "flows": setting.evidence.flows,
                },
                "rulings": f.rulings,
                "laws": f.laws(),
                "citations": f.citations(),
            },
        });
        if !self.states.is_empty() {
            result["properties"]["states"] = json!(self.states);
        }
        if self.waived {
            let suppressions: Vec<Value> = self
                .waivers
                .iter()
                .map(|w| {
                    let mut properties = json!({ "count": w.count });
                    if let Some(expires) = w.expires {
                        properties["expires"] = json!(expires.to_string());
                    }
                    json!({
                        "kind": "external",
                        "justification": w.reason,
                        "properties": properties,
                    })
                })
                .collect();
            result["suppressions"] = json!(suppressions);
            if self.waivers_unlisted > 0 {
                result["properties"]["waiversUnlisted"] = json!(self.waivers_unlisted);
            }
        }
        result
    }
}
