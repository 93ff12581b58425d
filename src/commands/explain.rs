//! `privaudit explain`: a ruling, an article, an app or a setting, in full.

use super::{Outcome, emit, fail_with};
use crate::audit::judge;
use crate::catalog::{self, Catalog, Law, Ruling};
use crate::cli::ExplainArgs;
use crate::diag::Diagnostic;
use crate::profile::{Profile, Setting};
use crate::registry;
use crate::text::Lang;
use std::fmt::Write;

pub fn run(args: &ExplainArgs) -> Outcome {
    let catalog = catalog::builtin();
    let lang = args.lang;
    let id = args.id.as_str();
    let text = if let Some(ruling) = catalog.ruling(id) {
        ruling_text(ruling, catalog, lang)
    } else if let Some(law) = catalog.law(id) {
        law_text(law, catalog, lang)
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
                    "not a ruling, law, app or APP-ID/SETTING-ID; see `privaudit list` and the README for ids",
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
    emit(&text);
    Outcome::Pass
}

fn find_profile(app_id: &str, catalog: &Catalog) -> Option<Profile> {
    registry::all_profiles(catalog)
        .0
        .into_iter()
        .find(|p| p.app.id == app_id)
}

fn tag(e: crate::evidence::Evidence, lang: Lang) -> String {
    format!("[{}]", e.name(lang))
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
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})", r.title.get(lang), r.id);
    let _ = writeln!(
        out,
        "{}: {} {}",
        w("Court", "法院"),
        r.court.get(lang),
        tag(ev.court, lang)
    );
    let _ = writeln!(
        out,
        "{}: {} {}",
        w("Date", "日期"),
        r.date,
        tag(ev.date, lang)
    );
    if let Some(note) = &r.date_note {
        let _ = writeln!(out, "  {}", note.get(lang));
    }
    let _ = writeln!(
        out,
        "{}: {} {}",
        w("Case number", "案号"),
        r.case_number_text(lang),
        tag(ev.case_number, lang)
    );
    let _ = writeln!(out, "{}: {}", w("Nature", "性质"), r.nature.name(lang));
    let section = |out: &mut String, title: &str, body: &str| {
        let _ = writeln!(out, "\n{title}\n  {body}");
    };
    section(&mut out, w("At issue", "争议功能"), r.feature.get(lang));
    section(
        &mut out,
        &format!("{} {}", w("Held", "法院认定"), tag(ev.held, lang)),
        r.held.get(lang),
    );
    section(&mut out, w("Not held", "未予支持"), r.not_held.get(lang));
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
    let _ = writeln!(out, "\n{}", w("Articles of law", "相关法条"));
    for law in r.laws.iter().filter_map(|id| catalog.law(id)) {
        let _ = writeln!(
            out,
            "  {} ({}): {}",
            law.citation(lang),
            law.id,
            law.summary.get(lang)
        );
    }
    if let Some(note) = &r.laws_note {
        let _ = writeln!(out, "  {}", note.get(lang));
    }
    let citing = citing_settings(catalog, |s| s.rulings.iter().any(|x| x == &r.id));
    if !citing.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n  {}",
            w("Settings that cite it", "引用此判决的设置"),
            citing.join(", ")
        );
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
    if let Some(date) = &law.in_force {
        let _ = writeln!(out, "{}: {date}", words(lang, "In force since", "施行日期"));
    }
    let _ = writeln!(out, "\n  {}", law.summary.get(lang));
    let rulings: Vec<_> = catalog
        .rulings
        .iter()
        .filter(|r| r.laws.iter().any(|l| l == &law.id))
        .map(|r| format!("{} ({})", r.title.get(lang), r.id))
        .collect();
    if !rulings.is_empty() {
        let _ = writeln!(
            out,
            "\n{}\n  {}",
            words(lang, "Rulings it bears on", "相关判决"),
            rulings.join("; ")
        );
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
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} / {} {}  ({})",
        app.name.en, app.name.zh, app.version, app.id
    );
    let _ = writeln!(
        out,
        "{}: {}",
        words(lang, "Vendor", "开发者"),
        app.vendor.get(lang)
    );
    if let Some(reviewed) = &app.reviewed {
        let _ = writeln!(out, "{}: {reviewed}", words(lang, "Reviewed", "核对日期"));
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
        "{}: {} {}",
        w("App", "应用"),
        profile.app.name.get(lang),
        profile.app.version
    );
    if !s.path.get(lang).is_empty() {
        let _ = writeln!(out, "{}: {}", w("Where", "位置"), s.path.joined(lang));
    }
    let _ = writeln!(
        out,
        "{}: {}",
        w("Label evidence", "名称可信度"),
        tag(s.evidence.label, lang)
    );
    match (s.default_option(), s.evidence.default) {
        (Some(d), ev) => {
            let ev = ev.map(|e| tag(e, lang)).unwrap_or_default();
            let _ = writeln!(
                out,
                "{}: {} {ev}",
                w("App default", "应用默认"),
                d.label.get(lang)
            );
        }
        (None, _) => {
            let _ = writeln!(out, "{}", w("App default: not known", "应用默认：未知"));
        }
    }
    let rec = s.recommended_option();
    let why_rec = if s.recommended_declared {
        w("named by the profile", "由档案指定")
    } else {
        w("the least exposing option", "暴露最少的选项")
    };
    let _ = writeln!(
        out,
        "{}: {} ({why_rec})",
        w("Recommended", "建议"),
        rec.label.get(lang)
    );
    if let Some(note) = &s.note {
        let _ = writeln!(out, "\n  {}", note.get(lang));
    }
    let _ = writeln!(out, "\n{}", w("Options", "选项"));
    for (i, option) in s.options.iter().enumerate() {
        let flows = if option.flows.is_empty() {
            w("shares nothing", "不共享任何信息").to_owned()
        } else {
            option
                .flows
                .iter()
                .map(|f| format!("{} -> {}", f.data.name(lang), f.to.name(lang)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let verdict = match judge(s, i, s.default == Some(i)) {
            Some(v) => format!("{}: {}", w("finding", "发现"), v.severity.name(lang)),
            None => w("no finding", "无问题").to_owned(),
        };
        let _ = writeln!(
            out,
            "  {} [{}]: {flows} ({verdict})",
            option.label.get(lang),
            option.id
        );
    }
    let rulings: Vec<_> = s
        .rulings
        .iter()
        .filter_map(|id| catalog.ruling(id))
        .collect();
    if !rulings.is_empty() {
        let _ = writeln!(out, "\n{}", w("Rulings", "相关判决"));
        for r in rulings {
            let _ = writeln!(out, "  {}", r.held_line(lang));
        }
    }
    let laws: Vec<_> = s.laws.iter().filter_map(|id| catalog.law(id)).collect();
    if !laws.is_empty() {
        let _ = writeln!(out, "\n{}", w("Articles of law", "相关法条"));
        for law in laws {
            let _ = writeln!(out, "  {}: {}", law.citation(lang), law.summary.get(lang));
        }
    }
    out
}
