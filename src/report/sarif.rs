//! SARIF 2.1.0 for code-scanning tools: one result per unwaived finding, pointing at the
//! line of the profile where the setting (or its default) is written.

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

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

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

fn result(checked: &Checked<'_>, f: &Finding, rule_index: usize, style: Style<'_>) -> Value {
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
        "ruleIndex": rule_index,
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

/// One SARIF log with one run for all reports; `errors` (bad states) become tool
/// execution notifications, and make the run unsuccessful.
pub fn document(checked: &[Checked<'_>], errors: &[String], style: Style<'_>) -> String {
    let mut rules = Vec::new();
    let mut rule_indices: HashMap<String, usize> = HashMap::new();
    let mut results = Vec::new();
    for c in checked {
        for f in c.report.findings.iter().filter(|f| !f.waived()) {
            let setting = &c.profile.settings[f.index];
            let id = rule_id(c.profile, setting);
            let index = *rule_indices.entry(id).or_insert_with(|| {
                rules.push(rule(c.profile, f, style.catalog, style.lang));
                rules.len() - 1
            });
            results.push(result(c, f, index, style));
        }
    }
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| json!({ "level": "error", "message": { "text": e } }))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
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
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }]
    });
    serde_json::to_string_pretty(&log).expect("SARIF serialises") + "\n"
}
