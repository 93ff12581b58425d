//! The human report: grouped by severity, coloured only when asked (or when stdout is a
//! colour terminal and NO_COLOR is unset), and plain enough for a screen reader without.

use super::{Checked, Style};
use crate::audit::Severity;
use crate::audit::explain::finding_explanation;
use crate::audit::explain::{certainty_badge, evidence_sentence, flow_list, how_to_change};
use crate::text::Lang;
use std::fmt::Write;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";

fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "\x1b[1;31m",
        Severity::High => "\x1b[31m",
        Severity::Medium => "\x1b[33m",
        Severity::Low => "\x1b[36m",
    }
}

struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }
}

pub fn render(checked: &Checked<'_>, style: Style<'_>) -> String {
    let lang = style.lang;
    let p = Painter { color: style.color };
    let report = &checked.report;
    let profile = checked.profile;
    let mut out = String::new();
    let name = report.app_name.get(lang);
    let state = match (&checked.state, lang) {
        (Some(s), Lang::En) => format!("state {s}"),
        (Some(s), Lang::Zh) => format!("账户状态 {s}"),
        (None, Lang::En) => "app defaults (no state given)".to_owned(),
        (None, Lang::Zh) => "应用默认设置（未提供账户状态）".to_owned(),
    };
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "{} {} ({}) - {}",
            p.paint(BOLD, name),
            report.version.get(lang),
            report.app,
            state
        ),
        Lang::Zh => writeln!(
            out,
            "{} {}（{}）— {}",
            p.paint(BOLD, name),
            report.version.get(lang),
            report.app,
            state
        ),
    };
    let counts = match lang {
        Lang::En => format!(
            "{}. Findings: {}; {} not assessed.",
            super::score_text(report, lang),
            super::counts_text(&report.summary, lang),
            report.summary.unassessed
        ),
        Lang::Zh => format!(
            "{}。发现：{}；未评估 {} 项。",
            super::score_text(report, lang),
            super::counts_text(&report.summary, lang),
            report.summary.unassessed
        ),
    };
    let _ = writeln!(out, "{counts}");
    if report.findings.is_empty() {
        // With settings left unjudged, "nothing is exposed" would promise too much.
        let _ = writeln!(
            out,
            "{}",
            match (lang, report.summary.unassessed) {
                (Lang::En, 0) => "Nothing is exposed beyond the recommendations.",
                (Lang::Zh, 0) => "没有超出建议范围的信息暴露。",
                (Lang::En, _) => {
                    "Nothing judged is exposed beyond the recommendations; the settings below could not be judged."
                }
                (Lang::Zh, _) => "已评估的设置没有超出建议范围的信息暴露；下列设置无法评估。",
            }
        );
    }
    // One group per severity, most severe first, then the waived findings.
    let groups = Severity::ALL_DESC.map(Some).into_iter().chain([None]);
    for group in groups {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| match group {
                Some(sev) => !f.waived() && f.severity == sev,
                None => f.waived(),
            })
            .collect();
        if findings.is_empty() {
            continue;
        }
        let heading = match (group, lang) {
            (Some(sev), Lang::En) => sev.id().to_uppercase(),
            (Some(sev), Lang::Zh) => format!("{}风险", sev.name(lang)),
            (None, Lang::En) => "WAIVED".to_owned(),
            (None, Lang::Zh) => "已豁免".to_owned(),
        };
        let color = group.map_or(DIM, severity_color);
        let _ = writeln!(out, "\n{}", p.paint(color, &heading));
        for f in findings {
            let setting = &profile.settings[f.index];
            let option = |id| setting.option_label(id, lang);
            let _ = writeln!(
                out,
                "- {} [{}]",
                p.paint(BOLD, setting.label.get(lang)),
                f.setting
            );
            let (now, default_mark, rec, exposes, where_, sev_label) = match lang {
                Lang::En => (
                    "now",
                    " (app default)",
                    "recommended",
                    "exposes",
                    "where",
                    "severity",
                ),
                Lang::Zh => ("当前", "（应用默认）", "建议", "暴露", "位置", "风险"),
            };
            let (colon, stop, semi, comma) = match lang {
                Lang::En => (": ", ". ", "; ", ", "),
                Lang::Zh => ("：", "。", "；", "，"),
            };
            let badge = certainty_badge(f, lang)
                .map(|b| format!("{comma}{b}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {sev_label}{colon}{}{badge}{stop}{now}{colon}{}{}{semi}{rec}{colon}{}",
                f.severity.name(lang),
                option(f.current),
                if f.by_default { default_mark } else { "" },
                option(f.recommended)
            );
            let _ = writeln!(out, "  {exposes}{colon}{}", flow_list(f.exposes(), lang));
            let _ = writeln!(
                out,
                "  {where_}{colon}{}",
                how_to_change(profile, setting, lang)
            );
            let _ = writeln!(out, "  {}", evidence_sentence(setting, lang));
            if let Some(w) = &f.waiver {
                let expires = w
                    .expires
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".to_owned());
                let text = match (lang, f.waiver_expired) {
                    (Lang::En, false) => format!("waived: {} (until {expires})", w.reason),
                    (Lang::En, true) => format!("waiver expired on {expires}: {}", w.reason),
                    (Lang::Zh, false) => format!("已豁免：{}（有效至 {expires}）", w.reason),
                    (Lang::Zh, true) => format!("豁免已于 {expires} 过期：{}", w.reason),
                };
                let _ = writeln!(out, "  {text}");
            }
            let _ = writeln!(
                out,
                "  {}",
                p.paint(
                    DIM,
                    &finding_explanation(profile, f, style.catalog, lang, false)
                )
            );
        }
    }
    if !report.unassessed.is_empty() {
        // Each by its label (what a reader recognises) and its id (what a state file needs).
        let named: Vec<String> = report
            .unassessed
            .iter()
            .map(|id| match profile.setting(id) {
                Some(s) => match lang {
                    Lang::En => format!("{} [{id}]", s.label.get(lang)),
                    Lang::Zh => format!("“{}”[{id}]", s.label.get(lang)),
                },
                None => (*id).to_owned(),
            })
            .collect();
        let line = match lang {
            Lang::En => format!(
                "\nNot assessed (default unknown; set them in a state file): {}",
                named.join(", ")
            ),
            Lang::Zh => format!(
                "\n未评估（默认值未知，请在账户状态文件中注明）：{}",
                named.join("、")
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    out
}
