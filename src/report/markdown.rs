//! A Markdown checklist for people: per finding, the step to take, where to find it, why,
//! and what it rests on. The TUI's export uses this same writer.

use super::{Checked, Style};
use crate::audit::explain::{
    certainty_badge, certainty_sentence, citations_sentence, evidence_sentence, how_to_change,
    ruling_link_sentence,
};
use crate::audit::finding_summary;
use crate::text::Lang;
use std::fmt::Write;

/// Escape text so that Markdown shows it literally (profile text is untrusted: it must not
/// become links, HTML or emphasis).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn render(checked: &Checked<'_>, style: Style<'_>) -> String {
    let lang = style.lang;
    let catalog = style.catalog;
    let w = |en: &'static str, zh: &'static str| match lang {
        Lang::En => en,
        Lang::Zh => zh,
    };
    let report = &checked.report;
    let profile = checked.profile;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} {} {}\n",
        w("privaudit checklist:", "privaudit 检查清单："),
        escape(report.app_name.get(lang)),
        escape(report.version.get(lang))
    );
    let state = checked.state.as_deref().map(escape).unwrap_or_else(|| {
        w(
            "app defaults (no state given)",
            "应用默认设置（未提供账户状态）",
        )
        .to_owned()
    });
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "{}. State: {state}. Open: {}.\n",
            super::score_text(report, lang),
            super::counts_text(&report.summary, lang)
        ),
        Lang::Zh => writeln!(
            out,
            "{}。账户状态：{state}。待处理：{}。\n",
            super::score_text(report, lang),
            super::counts_text(&report.summary, lang)
        ),
    };
    let open: Vec<_> = report.findings.iter().filter(|f| !f.waived()).collect();
    if open.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            w("Nothing left to change.", "没有需要修改的设置。")
        );
    } else {
        let _ = writeln!(out, "## {}\n", w("Steps", "步骤"));
    }
    for f in open {
        let setting = &profile.settings[f.index];
        let option = |id| setting.option_label(id, lang);
        let mut marks = vec![match lang {
            Lang::En => f.severity.name(lang).to_owned(),
            Lang::Zh => format!("风险：{}", f.severity.name(lang)),
        }];
        if f.by_default {
            marks.push(w("app default", "应用默认").to_owned());
        }
        marks.extend(certainty_badge(f, lang).map(str::to_owned));
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "- [ ] **{}** ({})",
                escape(setting.label.get(lang)),
                marks.join(", ")
            ),
            Lang::Zh => writeln!(
                out,
                "- [ ] **{}**（{}）",
                escape(setting.label.get(lang)),
                marks.join("；")
            ),
        };
        let _ = writeln!(
            out,
            "  - {}“{}” → “{}”",
            if setting.switch == crate::profile::Switch::InApp {
                w("Change: ", "修改：")
            } else {
                w(
                    "Recommended (not possible in this version): ",
                    "建议（该版本无法更改）：",
                )
            },
            escape(option(f.current)),
            escape(option(f.recommended))
        );
        let _ = writeln!(
            out,
            "  - {}{}",
            w("Where: ", "位置："),
            escape(&how_to_change(profile, setting, lang))
        );
        let _ = writeln!(
            out,
            "  - {}{}",
            w("Why: ", "原因："),
            escape(&finding_summary(profile, f, lang))
        );
        let _ = writeln!(
            out,
            "  - {} {}",
            escape(&certainty_sentence(f, lang)),
            escape(&evidence_sentence(setting, lang))
        );
        for link in f.rulings {
            if let Some(sentence) = ruling_link_sentence(link, catalog, lang) {
                let case = catalog
                    .ruling(&link.id)
                    .map(|r| r.case_number_text(lang))
                    .unwrap_or_default();
                let case = case.trim_end_matches(['.', '。']);
                let _ = writeln!(
                    out,
                    "  - {}{} {}",
                    w("Ruling: ", "裁判："),
                    escape(&sentence),
                    escape(&match lang {
                        Lang::En => format!("Case number: {case}."),
                        Lang::Zh => format!("案号：{case}。"),
                    })
                );
            }
        }
        if let Some(articles) = citations_sentence(f.citations(), catalog, lang) {
            let _ = writeln!(out, "  - {}", escape(&articles));
        }
    }
    let waived: Vec<_> = report.findings.iter().filter(|f| f.waived()).collect();
    if !waived.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n",
            w("Kept on purpose (waived)", "有意保留（已豁免）")
        );
        for f in waived {
            let setting = &profile.settings[f.index];
            let waiver = f.waiver.as_ref().expect("waived findings have a waiver");
            let until = waiver
                .expires
                .map(|d| format!(" ({} {d})", w("until", "有效至")))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [x] **{}**: {}{until}",
                escape(setting.label.get(lang)),
                escape(&waiver.reason)
            );
        }
    }
    if !report.unassessed.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n",
            w("Not assessed (default unknown)", "未评估（默认值未知）")
        );
        for id in &report.unassessed {
            if let Some(setting) = profile.setting(id) {
                let place = if setting.path.get(lang).is_empty() {
                    String::new()
                } else {
                    format!(" ({})", escape(&setting.path.joined(lang)))
                };
                let _ = writeln!(out, "- {}{place}", escape(setting.label.get(lang)));
            }
        }
    }
    out
}
