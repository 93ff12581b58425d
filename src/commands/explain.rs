//! `privaudit explain`: a ruling, an article, an app or a setting, in full.

use super::{Outcome, emit, fail_with};
use crate::audit::explain::{
    certainty_badge, evidence_sentence, how_to_change, link_words, ruling_articles,
    ruling_link_sentence,
};
use crate::audit::{Auditor, judge, standing};
use crate::catalog::{self, Catalog, Event, Law, Ruling};
use crate::cli::ExplainArgs;
use crate::diag::Diagnostic;
use crate::profile::{Profile, Setting};
use crate::registry;
use crate::text::Lang;
use std::fmt::Write;

pub fn run(args: &ExplainArgs) -> Outcome {
    let merged = catalog::load_in(&catalog::catalog_dirs(&[]));
    merged.report(&[]);
    let catalog: &Catalog = &merged.catalog;
    let lang = args.lang;
    let Some(id) = args.id.as_deref() else {
        return emit(&catalog_list(catalog, lang), Outcome::Pass);
    };
    let text = if let Some(ruling) = catalog.ruling(id) {
        ruling_text(ruling, catalog, lang)
    } else if let Some(law) = catalog.law(id) {
        law_text(law, catalog, lang)
    } else if let Some(event) = catalog.event(id) {
        event_text(event, catalog, lang)
    } else {
        let (app_id, setting_id) = match id.split_once('/') {
            Some((app, setting)) => (app, Some(setting)),
            None => (id, None),
        };
        let profile = match find_profile(app_id, catalog) {
            Some(p) => p,
            None => {
                return fail_with(&[Diagnostic::whole_file(
                    id,
                    "not a ruling, law, event, app or APP-ID/SETTING-ID; see `privaudit explain` \
                     (with no id) and `privaudit list` for ids",
                )]);
            }
        };
        match setting_id {
            None => app_text(&profile, lang),
            Some(setting_id) => match profile.setting(setting_id) {
                Some(setting) => setting_text(&profile, setting, catalog, lang),
                None => {
                    let ids: Vec<_> = profile.settings.iter().map(|s| s.id.as_str()).collect();
                    return fail_with(&[Diagnostic::whole_file(
                        id,
                        format!(
                            "app `{app_id}` has no such setting; its settings: {}",
                            ids.join(", ")
                        ),
                    )]);
                }
            },
        }
    };
    emit(&text, Outcome::Pass)
}

fn find_profile(app_id: &str, catalog: &Catalog) -> Option<Profile> {
    registry::all_profiles(catalog)
        .0
        .into_iter()
        .find(|p| p.app.id == app_id)
}

fn tag(e: crate::evidence::Evidence, lang: Lang) -> String {
    match lang {
        Lang::En => format!("[{}]", e.name(lang)),
        Lang::Zh => format!("（{}）", e.name(lang)),
    }
}

fn words(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

pub fn ruling_text(r: &Ruling, catalog: &Catalog, lang: Lang) -> String {
    let w = |en, zh| words(lang, en, zh);
    let ev = &r.evidence;
    let c = w(": ", "：");
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})", r.title.get(lang), r.id);
    yours_line(&mut out, r.origin.as_deref(), lang);
    let _ = writeln!(
        out,
        "{}{c}{} {}",
        w("Court", "法院"),
        r.court.get(lang),
        tag(ev.court, lang)
    );
    let _ = writeln!(
        out,
        "{}{c}{} {}",
        w("Date", "日期"),
        r.date,
        tag(ev.date, lang)
    );
    if let Some(note) = &r.date_note {
        let _ = writeln!(out, "  {}", note.get(lang));
    }
    let _ = writeln!(
        out,
        "{}{c}{} {}",
        w("Case number", "案号"),
        r.case_number_text(lang),
        tag(ev.case_number, lang)
    );
    let _ = writeln!(out, "{}{c}{}", w("Nature", "性质"), r.nature.name(lang));
    let section = |out: &mut String, title: &str, body: &str| {
        let _ = writeln!(out, "\n{title}\n  {body}");
    };
    section(&mut out, w("At issue", "争议功能"), r.feature.get(lang));
    section(
        &mut out,
        &format!("{} {}", w("Held", "法院认定"), tag(ev.held, lang)),
        r.held.get(lang),
    );
    section(
        &mut out,
        w("Not found or not decided", "未认定或未裁决的事项"),
        r.not_held.get(lang),
    );
    section(&mut out, w("Why", "理由"), r.why.get(lang));
    section(
        &mut out,
        &format!("{} {}", w("Remedies", "裁判结果"), tag(ev.remedies, lang)),
        r.remedies.get(lang),
    );
    section(
        &mut out,
        &format!(
            "{} {}",
            w("Appeal and status", "上诉与现状"),
            tag(ev.appeal, lang)
        ),
        r.appeal.get(lang),
    );
    let _ = writeln!(out, "\n{}", crate::audit::explain::related_articles(lang));
    for line in ruling_articles(r, catalog, lang) {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out, "\n{}", w("What the articles say", "法条要点"));
    for law in r.laws.iter().filter_map(|id| catalog.law(id)) {
        let _ = writeln!(
            out,
            "  {} ({}){}{}",
            law.citation(lang),
            law.id,
            w(": ", "："),
            law.summary.get(lang)
        );
    }
    let citing: Vec<String> = registry::all_profiles(catalog)
        .0
        .iter()
        .flat_map(|p| {
            p.settings
                .iter()
                .filter_map(|s| {
                    let link = s.rulings.iter().find(|l| l.id == r.id)?;
                    Some(match lang {
                        Lang::En => {
                            format!("{}/{} ({})", p.app.id, s.id, link_words(link.link, lang))
                        }
                        Lang::Zh => {
                            format!("{}/{}（{}）", p.app.id, s.id, link_words(link.link, lang))
                        }
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if !citing.is_empty() {
        let _ = writeln!(out, "\n{}", w("Settings that cite it", "引用此裁判的设置"));
        for line in citing {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(
        out,
        "\n{}\n  {}",
        w("Sources", "来源"),
        r.sources.join("; ")
    );
    out
}

pub fn law_text(law: &Law, catalog: &Catalog, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({}) {}",
        law.citation(lang),
        law.id,
        tag(law.evidence, lang)
    );
    yours_line(&mut out, law.origin.as_deref(), lang);
    if law.jurisdiction == catalog::Jurisdiction::Other {
        let _ = writeln!(
            out,
            "{}{}",
            words(lang, "Jurisdiction: ", "法域："),
            law.jurisdiction_words(lang)
        );
    }
    let standing = crate::audit::explain::standing_words(law, None, lang);
    if !standing.is_empty() {
        let _ = writeln!(out, "{standing}");
    }
    let _ = writeln!(out, "\n  {}", law.summary.get(lang));
    let rulings: Vec<_> = catalog
        .rulings
        .iter()
        .filter(|r| r.laws.iter().chain(&r.basis).any(|l| l == &law.id))
        .collect();
    if !rulings.is_empty() {
        let _ = writeln!(out, "\n{}", words(lang, "Rulings it bears on", "相关裁判"));
        for r in rulings {
            let what = if r.basis.contains(&law.id) {
                words(lang, "the court's own basis", "法院自身的裁判依据")
            } else {
                match r.laws_note.as_ref() {
                    Some(note) => note.get(lang),
                    None => words(
                        lang,
                        "an article on the same data flow, not the court's citation",
                        "规范同类数据流动的条款，并非法院援引的法条",
                    ),
                }
            };
            let _ = writeln!(
                out,
                "  {} ({}, {}){}{what}",
                r.title.get(lang),
                r.id,
                r.date,
                words(lang, ": ", "：")
            );
        }
    }
    let citing = citing_settings(catalog, |s| s.laws.iter().any(|x| x == &law.id));
    if !citing.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n  {}",
            words(lang, "Settings that cite it", "引用此条的设置"),
            citing.join(", ")
        );
    }
    out
}

/// "From your catalog: FILE", under the title of an entry a user catalog file gave.
fn yours_line(out: &mut String, origin: Option<&str>, lang: Lang) {
    if let Some(file) = origin {
        let _ = writeln!(
            out,
            "{}{file}",
            words(lang, "From your catalog: ", "来自你的自定义条目文件：")
        );
    }
}

/// A regulator's action or a public incident: what happened, how sure we are, and the
/// settings it is context for (never a verdict on them).
pub fn event_text(event: &Event, catalog: &Catalog, lang: Lang) -> String {
    let w = |en, zh| words(lang, en, zh);
    let c = w(": ", "：");
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})", event.title.get(lang), event.id);
    yours_line(&mut out, event.origin.as_deref(), lang);
    let _ = writeln!(out, "{}{c}{}", w("Kind", "类型"), event.kind.name(lang));
    let _ = writeln!(
        out,
        "{}{c}{}",
        w("Who or where", "主体或场合"),
        event.actor.get(lang)
    );
    let _ = writeln!(out, "{}{c}{}", w("Date", "日期"), event.date);
    let _ = writeln!(
        out,
        "\n{} {}\n  {}",
        w("What happened", "经过"),
        tag(event.evidence, lang),
        event.summary.get(lang)
    );
    let citing = citing_settings(catalog, |s| s.events.iter().any(|e| e == &event.id));
    if !citing.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n  {}\n  {}",
            w("Settings it is context for", "相关设置"),
            citing.join(", "),
            w(
                "Context only: not a ruling on these settings, and never part of a verdict.",
                "仅作背景参考：并非对这些设置作出的裁判，也不计入评估结论。"
            )
        );
    }
    let _ = writeln!(
        out,
        "\n{}\n  {}",
        w("Sources", "来源"),
        event.sources.join("; ")
    );
    out
}

/// Every ruling, article and event known, by kind, the user's own marked: what `explain`
/// takes, without an id.
fn catalog_list(catalog: &Catalog, lang: Lang) -> String {
    let mark = |origin: &Option<String>| match origin {
        Some(file) => match lang {
            Lang::En => format!("  [yours: {file}]"),
            Lang::Zh => format!("  [自定义：{file}]"),
        },
        None => String::new(),
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", words(lang, "Rulings", "裁判"));
    for r in &catalog.rulings {
        let _ = writeln!(
            out,
            "  {}  {} ({}){}",
            r.id,
            r.title.get(lang),
            r.date,
            mark(&r.origin)
        );
    }
    let _ = writeln!(out, "\n{}", words(lang, "Articles", "法条"));
    for law in &catalog.laws {
        let _ = writeln!(
            out,
            "  {}  {}{}",
            law.id,
            law.citation(lang),
            mark(&law.origin)
        );
    }
    if !catalog.events.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            words(
                lang,
                "Regulators' actions and incidents",
                "监管行动与公开事件"
            )
        );
        for e in &catalog.events {
            let _ = writeln!(
                out,
                "  {}  {} ({}, {}){}",
                e.id,
                e.title.get(lang),
                e.date,
                e.kind.name(lang),
                mark(&e.origin)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        words(
            lang,
            "`privaudit explain ID` explains one; `privaudit list` lists the apps.",
            "用 `privaudit explain ID` 查看其中一项；`privaudit list` 列出各应用。"
        )
    );
    out
}

fn citing_settings(catalog: &Catalog, cites: impl Fn(&Setting) -> bool) -> Vec<String> {
    registry::all_profiles(catalog)
        .0
        .iter()
        .flat_map(|p| {
            p.settings
                .iter()
                .filter(|s| cites(s))
                .map(|s| format!("{}/{}", p.app.id, s.id))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn app_text(profile: &Profile, lang: Lang) -> String {
    let app = &profile.app;
    let c = words(lang, ": ", "：");
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} / {} {}  ({})",
        app.name.en,
        app.name.zh,
        app.version.get(lang),
        app.id
    );
    if let Some(date) = &app.version_date {
        let _ = writeln!(
            out,
            "{}{c}{date}",
            words(lang, "Version in use", "该版本使用时间")
        );
    }
    let _ = writeln!(
        out,
        "{}{c}{}",
        words(lang, "Vendor", "开发者"),
        app.vendor.get(lang)
    );
    let market = match (app.market, lang) {
        (Some(crate::profile::Market::China), Lang::En) => "mainland China (Chinese law applies)",
        (Some(crate::profile::Market::China), Lang::Zh) => "中国大陆（适用中国法律）",
        (Some(crate::profile::Market::OutsideChina), Lang::En) => {
            "outside mainland China (Chinese rulings and law are cited by analogy only)"
        }
        (Some(crate::profile::Market::OutsideChina), Lang::Zh) => {
            "中国大陆以外（中国的裁判和法律仅作类比参考）"
        }
        (None, Lang::En) => "not stated in the profile",
        (None, Lang::Zh) => "档案未说明",
    };
    let _ = writeln!(out, "{}{c}{market}", words(lang, "Offered in", "提供地区"));
    if let Some(reviewed) = &app.reviewed {
        let _ = writeln!(out, "{}{c}{reviewed}", words(lang, "Reviewed", "核对日期"));
    }
    if let Some(note) = &app.note {
        let _ = writeln!(out, "\n  {}", note.get(lang));
    }
    let _ = writeln!(out, "\n{}", words(lang, "Settings", "设置项"));
    for s in &profile.settings {
        let _ = writeln!(out, "  {}/{}  {}", app.id, s.id, s.label.get(lang));
    }
    let _ = writeln!(
        out,
        "\n{}\n  {}",
        words(lang, "Sources", "来源"),
        app.sources.join("; ")
    );
    out
}

fn setting_text(profile: &Profile, s: &Setting, catalog: &Catalog, lang: Lang) -> String {
    let w = |en, zh| words(lang, en, zh);
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({}/{})", s.label.get(lang), profile.app.id, s.id);
    let _ = writeln!(
        out,
        "{}{}{} {}",
        w("App", "应用"),
        w(": ", "："),
        profile.app.name.get(lang),
        profile.app.version.get(lang)
    );
    let _ = writeln!(
        out,
        "{}{}{}",
        w("Where", "位置"),
        w(": ", "："),
        how_to_change(profile, s, lang)
    );
    match s.default_option() {
        Some(d) => {
            let ev = s
                .evidence
                .default
                .map(|e| format!("{}{}", w(" ", ""), tag(e, lang)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{}{}{}{ev}",
                w("App default", "应用默认"),
                w(": ", "："),
                d.label.get(lang)
            );
        }
        None => {
            let _ = writeln!(out, "{}", w("App default: not known", "应用默认：未知"));
        }
    }
    let _ = writeln!(out, "{}", evidence_sentence(s, lang));
    let rec = s.recommended_option();
    let why_rec = if s.recommended_declared {
        w("named by the profile", "由档案指定")
    } else {
        w("the least exposing option", "暴露最少的选项")
    };
    let _ = match lang {
        Lang::En => writeln!(out, "Recommended: {} ({why_rec})", rec.label.get(lang)),
        Lang::Zh => writeln!(out, "建议：{}（{why_rec}）", rec.label.get(lang)),
    };
    if let Some(note) = &s.note {
        let _ = writeln!(out, "\n  {}", note.get(lang));
    }
    if let Some(caveat) = &s.caveat {
        let _ = writeln!(out, "  {}{}", w("Note: ", "注意："), caveat.get(lang));
    }
    let _ = writeln!(out, "\n{}", w("Options", "选项"));
    for (i, option) in s.options.iter().enumerate() {
        let flows = if option.flows.is_empty() {
            w("shares nothing", "不共享任何信息").to_owned()
        } else {
            crate::audit::explain::flow_list(&option.flows, lang)
        };
        let by_default = s.default == Some(i);
        let verdict = match judge(s, i, by_default) {
            Some(v) => {
                let certainty = crate::audit::certainty(s, by_default);
                match lang {
                    Lang::En => format!(
                        "finding: {}, {}",
                        v.severity.name(lang),
                        certainty.name(lang)
                    ),
                    Lang::Zh => format!(
                        "发现：风险{}，{}",
                        v.severity.name(lang),
                        certainty.name(lang)
                    ),
                }
            }
            None => w("no finding", "无问题").to_owned(),
        };
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "  {} [{}]: {flows} ({verdict})",
                option.label.get(lang),
                option.id
            ),
            Lang::Zh => writeln!(
                out,
                "  {} [{}]：{flows}（{verdict}）",
                option.label.get(lang),
                option.id
            ),
        };
    }
    if !s.rulings.is_empty() {
        let _ = writeln!(out, "\n{}", w("Rulings", "相关裁判"));
        for link in &s.rulings {
            if let Some(sentence) = ruling_link_sentence(link, catalog, lang) {
                let _ = writeln!(out, "  {sentence}");
            }
            if let Some(r) = catalog.ruling(&link.id) {
                let _ = writeln!(out, "    {}", r.held_line(lang));
            }
        }
    }
    if crate::audit::rulings_persuasive_only(profile, s) {
        let _ = writeln!(
            out,
            "  {}",
            crate::audit::explain::foreign_rulings_sentence(lang)
        );
    }
    let events: Vec<_> = s.events.iter().filter_map(|id| catalog.event(id)).collect();
    if !events.is_empty() {
        let _ = writeln!(out, "\n{}", w("Events", "相关事件"));
        for event in events {
            let _ = writeln!(
                out,
                "  {}",
                crate::audit::explain::event_sentence(event, lang)
            );
        }
    }
    // The articles a finding on the default would cite, else the profile's own.
    let auditor = Auditor::new(profile, catalog);
    let index = profile
        .settings
        .iter()
        .position(|x| x.id == s.id)
        .unwrap_or_default();
    let default_finding = s.default.and_then(|d| auditor.finding(index, d, true));
    if let Some(f) = &default_finding
        && let Some(badge) = certainty_badge(f, lang)
    {
        let _ = writeln!(
            out,
            "\n{}{}{badge}",
            w("The default's finding", "默认设置的发现"),
            w(": ", "：")
        );
    }
    let citations = match &default_finding {
        Some(f) => f.citations().to_vec(),
        None => standing(&s.laws, s, profile, catalog),
    };
    let groups = crate::audit::explain::citations_by_layer(&citations, catalog);
    if !groups.is_empty() {
        let _ = writeln!(out, "\n{}", crate::audit::explain::related_articles(lang));
        for (layer, laws) in groups {
            let _ = writeln!(
                out,
                "  {}{}",
                crate::audit::explain::layer_name(layer, lang),
                w(":", "：")
            );
            for (law, c) in laws {
                let _ = writeln!(
                    out,
                    "    {}{}{}",
                    crate::audit::explain::cited_article(law, Some(c), lang),
                    w(": ", "："),
                    law.summary.get(lang)
                );
            }
        }
    }
    if !s.sources.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n  {}",
            w("Sources", "来源"),
            s.sources.join(w("; ", "；"))
        );
    }
    out
}
