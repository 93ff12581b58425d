//! SARIF 2.1.0 for code-scanning tools: one result per unwaived finding, pointing at the
//! line of the profile where the setting (or its default) is written.
//!
//! The log has one run. Its results are written as the reports come (see
//! [`super::document`]), one result per line; the tool with its rules, and the
//! invocation, follow them (JSON objects are unordered). A rule is written from the first
//! finding that used it, and each result points at its rule by `ruleIndex`, which is
//! filled in as the result is written, since only then is the rule's place known.

use super::document::Piece;
use super::{Checked, Style};
use crate::audit::explain::{
    citations_by_layer, cited_article, evidence_sentence, layer_name, related_articles,
    ruling_link_sentence,
};
use crate::audit::{Finding, Severity, finding_message};
use crate::catalog::Catalog;
use crate::profile::{Profile, Setting};
use crate::text::Lang;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{self, Write};

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

/// The 0–10 figure GitHub code scanning reads from `security-severity`.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.0",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
    }
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
    let mut tags: Vec<String> = vec!["privacy".to_owned()];
    tags.extend(setting.rulings.iter().map(|r| r.id.clone()));
    tags.extend(setting.laws.iter().cloned());
    json!({
        "id": rule_id(profile, setting),
        "name": setting.id,
        "shortDescription": { "text": setting.label.get(lang) },
        "fullDescription": { "text": format!("{} — {}", profile.app.name.get(lang), setting.label.get(lang)) },
        "help": {
            "text": help.trim_end(),
            "markdown": super::markdown::escape(help.trim_end()).replace('\n', "  \n"),
        },
        "properties": { "tags": tags },
    })
}

fn result(checked: &Checked<'_>, f: &Finding, style: Style<'_>) -> Value {
    let profile = checked.profile;
    let setting = &profile.settings[f.index];
    // Exposure by default is annotated on the `default = ...` line that causes it.
    let line = if f.by_default {
        setting.default_line.unwrap_or(setting.line)
    } else {
        setting.line
    };
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": path_uri(&profile.origin) },
            "region": { "startLine": line },
        }
    });
    if profile.builtin {
        location["physicalLocation"]["artifactLocation"]["uriBaseId"] = json!("%SRCROOT%");
    }
    json!({
        "ruleId": rule_id(profile, setting),
        "level": level(f.severity),
        "message": { "text": finding_message(profile, f, style.catalog, style.lang) },
        "locations": [location],
        "partialFingerprints": {
            "privaudit/v1": format!("{}/{}/{}", rule_id(profile, setting), f.current, checked.state.as_deref().unwrap_or("-")),
        },
        "properties": {
            "severity": f.severity.id(),
            "security-severity": security_severity(f.severity),
            "state": checked.state,
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
    })
}

/// Where a result's `ruleIndex` goes, and the finding its rule is written from.
pub struct RuleSlot<'a> {
    /// Byte offset in the piece, just inside the result's opening brace.
    offset: usize,
    profile: &'a Profile,
    finding: Finding<'a>,
}

/// The results of one report, one per line, without their `ruleIndex`.
pub fn results<'a>(checked: &Checked<'a>, style: Style<'_>) -> Piece<'a> {
    let mut bytes = Vec::new();
    let mut rule_slots = Vec::new();
    for f in checked.report.findings.iter().filter(|f| !f.waived()) {
        if !bytes.is_empty() {
            bytes.extend_from_slice(b",\n");
        }
        rule_slots.push(RuleSlot {
            offset: bytes.len() + 1,
            profile: checked.profile,
            finding: Finding {
                waiver: None,
                ..f.clone()
            },
        });
        serde_json::to_writer(&mut bytes, &result(checked, f, style)).expect("SARIF serialises");
    }
    Piece { bytes, rule_slots }
}

/// The rules used so far, in order of first use.
#[derive(Default)]
pub struct Rules<'a> {
    used: Vec<(&'a Profile, Finding<'a>)>,
    /// Rule id (`APP/SETTING`) to the rule's index in `used`. Keyed by id, not by profile:
    /// two profiles of one app (a built-in one and a copy) share their rules, which SARIF
    /// requires to be unique.
    index: HashMap<String, usize>,
    results: usize,
}

impl<'a> Rules<'a> {
    /// Write a report's results, each with its rule's index.
    pub fn write_results(&mut self, out: &mut impl Write, piece: Piece<'a>) -> io::Result<()> {
        if piece.rule_slots.is_empty() {
            return Ok(());
        }
        out.write_all(if self.results == 0 { b"\n" } else { b",\n" })?;
        self.results += piece.rule_slots.len();
        let mut from = 0;
        for slot in piece.rule_slots {
            let id = rule_id(slot.profile, &slot.profile.settings[slot.finding.index]);
            let index = match self.index.get(&id) {
                Some(&index) => index,
                None => {
                    self.index.insert(id, self.used.len());
                    self.used.push((slot.profile, slot.finding));
                    self.used.len() - 1
                }
            };
            out.write_all(&piece.bytes[from..slot.offset])?;
            write!(out, "\"ruleIndex\":{index},")?;
            from = slot.offset;
        }
        out.write_all(&piece.bytes[from..])
    }

    /// Everything after the last result: the tool and its rules, and the invocation, with
    /// `errors` (bad states) as notifications that make the run unsuccessful.
    pub fn closing(&self, errors: &[String], unlisted: usize, style: Style<'_>) -> String {
        let rules: Vec<Value> = self
            .used
            .iter()
            .map(|(profile, f)| rule(profile, f, style.catalog, style.lang))
            .collect();
        let mut notifications: Vec<Value> = errors
            .iter()
            .map(|e| json!({ "level": "error", "message": { "text": e } }))
            .collect();
        if unlisted > 0 {
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{unlisted} more states could not be checked; each was reported on stderr") },
            }));
        }
        let rest = json!({
            "tool": {
                "driver": {
                    "name": "privaudit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The privaudit source tree, where the built-in profiles are kept." } }
            },
            "invocations": [{
                "executionSuccessful": errors.is_empty() && unlisted == 0,
                "toolExecutionNotifications": notifications,
            }],
        });
        let rest = serde_json::to_string(&rest).expect("SARIF serialises");
        // `rest` is an object: continue the run's object with its members.
        format!("\n],{}]}}\n", &rest[1..])
    }
}
