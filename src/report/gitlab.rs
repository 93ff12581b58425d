//! GitLab Code Quality report: a JSON array of issues, one per unwaived finding, which
//! GitLab shows in merge requests (new and resolved issues) and on the pipeline.
//!
//! ```json
//! [
//! {"description":"…","check_name":"douyin/private-account","fingerprint":"…","severity":"critical","location":{"path":"profiles/douyin.toml","lines":{"begin":65}}}
//! ]
//! ```
//!
//! Each issue has GitLab's required fields: `description` (what is exposed, in `--lang`;
//! for a state, naming it), `check_name` (the rule id `APP/SETTING`, as in SARIF),
//! `fingerprint`, `severity` and `location` (`path` and `lines.begin`: the line of the
//! profile that causes the finding, as SARIF points). The array is written as the
//! reports come, one issue per line (see [`super::document`]).
//!
//! **Severity.** GitLab has five levels (`info`, `minor`, `major`, `critical`,
//! `blocker`), privaudit four. `info` is for remarks that need no change, and every
//! finding is data sent beyond the recommendation, so none is `info`; the four keep their
//! order one to one: low → `minor`, medium → `major`, high → `critical`, critical →
//! `blocker` (critical only arises for a confirmed default that a court's reasoning
//! reaches, which is what a merge should not go ahead with).
//!
//! **Fingerprint.** GitLab tells issues apart, and follows them from one pipeline to the
//! next, by fingerprint. Ours is SHA-256 over the profile's path, the rule id, the state
//! (or none, for the app's defaults) and the option in effect, each length-prefixed so no
//! two different keys hash the same bytes; the first 128 bits in hex (32 characters, an
//! MD5's length, which GitLab's own examples use). It leaves out the line (editing the
//! profile above a setting must not make its issue "new") and the severity (a finding
//! whose severity changes is the same finding). A state that could not be checked is an
//! issue too (`privaudit/state-error`, `blocker`: nothing vouches for that account), at
//! the problem's file and line.

use super::{Checked, Style};
use crate::audit::{Finding, Severity, finding_summary};
use crate::diag::Diagnostic;
use crate::text::Lang;
use serde_json::json;
use sha2::{Digest, Sha256};

/// GitLab's severity for a finding of `severity` (see the module's docs for why).
pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Low => "minor",
        Severity::Medium => "major",
        Severity::High => "critical",
        Severity::Critical => "blocker",
    }
}

/// SHA-256 of the length-prefixed `parts`, first 128 bits in lowercase hex.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(b"privaudit/gitlab/v1");
    for part in parts {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn issue(checked: &Checked<'_>, f: &Finding<'_>, style: Style<'_>) -> serde_json::Value {
    let profile = checked.profile;
    let setting = &profile.settings[f.index];
    let rule = format!("{}/{}", profile.app.id, setting.id);
    // How sure we are goes with every finding, in every format.
    // (Chinese sentences follow each other without a space.)
    let space = match style.lang {
        Lang::En => " ",
        Lang::Zh => "",
    };
    let summary = format!(
        "{}{space}{}",
        finding_summary(profile, f, style.lang),
        crate::audit::explain::certainty_sentence(f, style.lang)
    );
    let description = match (&checked.state, style.lang) {
        (None, _) => summary,
        (Some(state), Lang::En) => format!("State {state}: {summary}"),
        (Some(state), Lang::Zh) => format!("账户状态 {state}：{summary}"),
    };
    // What the issue is about: the record's key when it has one (a JSON record's name,
    // `stdin:N`, changes when a line is inserted before it; its key does not), else the
    // state's name; an empty part for the defaults (a state name is never empty).
    let state = match (&checked.key, &checked.state) {
        (Some(key), _) => format!("key:{key}"),
        (None, Some(name)) => format!("state:{name}"),
        (None, None) => String::new(),
    };
    let state = state.as_str();
    json!({
        "description": description,
        "check_name": rule,
        "fingerprint": fingerprint(&[&profile.origin, &rule, state, f.current]),
        "severity": severity(f.severity),
        "location": {
            "path": profile.origin,
            "lines": { "begin": super::finding_line(setting, f) },
        },
    })
}

/// The issues of one report, one per line, separated by `,\n`; empty when nothing is
/// open.
pub fn issues(checked: &Checked<'_>, style: Style<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    for f in checked.report.findings.iter().filter(|f| !f.waived()) {
        if !out.is_empty() {
            out.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut out, &issue(checked, f, style)).expect("JSON serialises");
    }
    out
}

/// The issue for a state that could not be checked.
pub fn error_issue(state: &str, problem: &Diagnostic, lang: Lang) -> Vec<u8> {
    let message = problem.to_string();
    // The message names the state's file and line already.
    let description = match lang {
        Lang::En => format!("An account state could not be checked: {message}"),
        Lang::Zh => format!("无法检查账户状态：{message}"),
    };
    let line = problem.line.unwrap_or(1);
    let issue = json!({
        "description": description,
        "check_name": "privaudit/state-error",
        "fingerprint": fingerprint(&["state-error", state, &message]),
        "severity": "blocker",
        "location": {
            "path": crate::text::sanitize(&problem.file),
            "lines": { "begin": line },
        },
    });
    serde_json::to_vec(&issue).expect("JSON serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_sha256_of_length_prefixed_parts() {
        // SHA-256("privaudit/gitlab/v1"), nothing after it, computed independently
        // (`printf 'privaudit/gitlab/v1' | sha256sum`).
        assert_eq!(fingerprint(&[]), "17d7194cc32957c92624a1f021393f73");
        // One part, "a": its length as 8 bytes little-endian, then the part (Python's
        // hashlib over b"privaudit/gitlab/v1" + struct.pack("<Q", 1) + b"a").
        assert_eq!(fingerprint(&["a"]), "7653e0edc54b18e5f6510c689af60967");
        // Moving a boundary between parts changes the hash.
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_ne!(fingerprint(&["a", ""]), fingerprint(&["a"]));
        assert_eq!(fingerprint(&["x", "y"]).len(), 32);
    }

    #[test]
    fn severities_keep_their_order() {
        let levels = ["info", "minor", "major", "critical", "blocker"];
        let rank = |s| levels.iter().position(|l| *l == s).unwrap();
        let mut ranks: Vec<usize> = Severity::ALL_DESC
            .iter()
            .map(|s| rank(severity(*s)))
            .collect();
        ranks.reverse();
        assert_eq!(ranks, [1, 2, 3, 4]);
    }
}
