//! A Markdown checklist for people: per finding, the step to take, where to find it, why,
//! and what it rests on. The TUI's export uses this same writer.

use super::{Checked, Style};
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
        escape(report.version)
    );
    let state = checked.state.as_deref().map(escape).unwrap_or_else(|| {
        w(
            "app defaults (no state given)",
            "应用默认设置（未提供账户状态）",
        )
        .to_owned()
    });
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} {}/100. {} {}. {} {} critical, {} high, {} medium, {} low; {} waived.\n",
        w("Score", "得分"),
        report.score,
        w("State:", "账户状态："),
        state,
        w("Open:", "待处理："),
        s.critical,
        s.high,
        s.medium,
        s.low,
        s.waived
    );
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
        let by_default = if f.by_default {
            w(", app default", "，应用默认")
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "- [ ] **{}** ({}{by_default})",
            escape(setting.label.get(lang)),
            f.severity.name(lang)
        );
        let _ = writeln!(
            out,
            "  - {}“{}” → “{}”",
            w("Change: ", "修改："),
            escape(option(f.current)),
            escape(option(f.recommended))
        );
        if !setting.path.get(lang).is_empty() {
            let _ = writeln!(
                out,
                "  - {}{}",
                w("Where: ", "位置："),
                escape(&setting.path.joined(lang))
            );
        }
        let _ = writeln!(
            out,
            "  - {}{}",
            w("Why: ", "原因："),
            escape(&finding_summary(profile, f, lang))
        );
        for ruling in f.rulings.iter().filter_map(|id| catalog.ruling(id)) {
            let _ = writeln!(
                out,
                "  - {}{}, {}, {}, {}",
                w("Ruling: ", "判决："),
                escape(ruling.title.get(lang)),
                escape(ruling.court.get(lang)),
                ruling.date,
                escape(&ruling.case_number_text(lang))
            );
        }
        let laws: Vec<_> = f
            .laws()
            .iter()
            .filter_map(|id| catalog.law(id))
            .map(|l| escape(&l.short_citation(lang)))
            .collect();
        if !laws.is_empty() {
            let _ = writeln!(out, "  - {}{}", w("Law: ", "法律依据："), laws.join(", "));
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
