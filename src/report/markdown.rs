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
/// become links, HTML, entities or emphasis).
///
/// Backslashes cover Markdown's own syntax and entities (`\&`). GitHub also turns bare
/// addresses into links (`https://…`, `www.…`, `name@host.org`); a backslash before the
/// `:` of a scheme or the `.` after `www` stops that, but not for e-mail addresses, so a
/// word joiner (U+2060, invisible) goes before their `@`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '{' | '}'
            | '&' => out.push('\\'),
            // `http://`, `mailto:x`: a scheme glued to what follows.
            ':' if chars.peek().is_some_and(|n| !n.is_whitespace()) => out.push('\\'),
            '.' if ends_with_www(&out) => out.push('\\'),
            '@' if prev.is_some_and(|p| p.is_ascii_alphanumeric() || "._+-".contains(p)) => {
                out.push('\u{2060}')
            }
            // At the start of a line these make headings (`===` under a line) or lists.
            '=' | '-' | '+' if prev.is_none_or(|p| p == '\n') => out.push('\\'),
            _ => {}
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

fn ends_with_www(text: &str) -> bool {
    let at = text.len().saturating_sub(3);
    text.is_char_boundary(at) && text[at..].eq_ignore_ascii_case("www")
}

/// Between two sentences: a space in English; none after a Chinese full stop.
fn sentence_gap(lang: Lang) -> &'static str {
    match lang {
        Lang::En => " ",
        Lang::Zh => "",
    }
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
        "# {}{} {}\n",
        // A full-width colon carries its own space; an English one is followed by one.
        w("privaudit checklist: ", "privaudit 检查清单："),
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
            "  - {}{}{}",
            escape(&certainty_sentence(f, lang)),
            sentence_gap(lang),
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
                    "  - {}{}{}{}",
                    w("Ruling: ", "裁判："),
                    escape(&sentence),
                    sentence_gap(lang),
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
                .map(|d| match lang {
                    Lang::En => format!(" (until {d})"),
                    Lang::Zh => format!("（有效期至 {d}）"),
                })
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- [x] **{}**{}{}{until}",
                escape(setting.label.get(lang)),
                w(": ", "："),
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

#[cfg(test)]
mod tests {
    use super::escape;

    /// GitHub's renderer (cmark-gfm), as comrak reproduces it, with its autolinks.
    fn github_html(markdown: &str) -> String {
        let mut options = comrak::Options::default();
        options.extension.autolink = true;
        options.extension.strikethrough = true;
        options.extension.table = true;
        options.extension.tasklist = true;
        comrak::markdown_to_html(markdown, &options)
    }

    #[test]
    fn hostile_text_renders_as_the_same_text_and_never_as_a_link() {
        let hostile = [
            "see https://evil.example/x now",
            "www.evil.example and WWW.Evil.example",
            "mail me: someone@evil.example.",
            "ftp://evil.example mailto:a@b.org xmpp:a@b.org",
            "[click](https://evil.example) <https://evil.example> ![img](x.png)",
            "&copy; &amp; &#64; <b>bold</b> *em* _em_ `code` # h ~~s~~ | a | b |",
            "title\n===\n- item\n+ item\n---",
        ];
        for (i, text) in hostile.into_iter().enumerate() {
            // The renderer does link them when they are not escaped.
            assert!(i >= 5 || github_html(text).contains("<a "), "{text:?}");
            let html = github_html(&escape(text));
            assert!(!html.contains("<a "), "{text:?} -> {html}");
            assert!(!html.contains("<img"), "{text:?} -> {html}");
            assert!(
                !html.contains("<b>") && !html.contains("<em>"),
                "{text:?} -> {html}"
            );
            for tag in ["<h1>", "<h2>", "<ul>", "<hr"] {
                assert!(!html.contains(tag), "{text:?} -> {html}");
            }
            assert!(
                !html.contains("&copy;") || html.contains("&amp;copy;"),
                "{html}"
            );
        }
        // What a reader sees is the text itself (the word joiner is invisible).
        let shown = github_html(&escape("a@b.org, https://x.org, 12:30 & www.y.org"));
        assert_eq!(
            shown.replace('\u{2060}', ""),
            "<p>a@b.org, https://x.org, 12:30 &amp; www.y.org</p>\n"
        );
    }
}
