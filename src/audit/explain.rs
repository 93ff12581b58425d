//! Every sentence privaudit says about a finding, a setting's evidence or a citation's
//! standing, built in one place from the engine's verdicts, in either language. The faces
//! (text, JSON, SARIF, JUnit, Markdown, TUI, `explain`) only place these sentences; none
//! decides how sure a finding is or what an article is to it.

use super::{Citation, Finding, Layer};
use crate::catalog::{Catalog, Jurisdiction, Law, Ruling};
use crate::evidence::Evidence;
use crate::profile::{LabelKind, Link, Market, Profile, RulingLink, Setting, Switch};
use crate::text::Lang;
use crate::vocab::{Audience, DataCategory, Source};

fn w(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// One paragraph: the summary, how sure it is, the rulings with their link and the
/// court's own basis, and the related articles in their layers.
pub fn finding_message(
    profile: &Profile,
    finding: &Finding,
    catalog: &Catalog,
    lang: Lang,
) -> String {
    finding_explanation(profile, finding, catalog, lang, true)
}

/// [`finding_message`], leaving out where to change the setting when `with_change` is
/// false (for a face that shows that on a line of its own).
pub fn finding_explanation(
    profile: &Profile,
    finding: &Finding,
    catalog: &Catalog,
    lang: Lang,
    with_change: bool,
) -> String {
    let setting = &profile.settings[finding.index];
    let mut parts = vec![finding_summary(profile, finding, lang)];
    parts.push(certainty_sentence(finding, lang));
    parts.extend(
        finding
            .rulings
            .iter()
            .filter_map(|link| ruling_link_sentence(link, catalog, lang)),
    );
    if super::rulings_persuasive_only(profile, setting) {
        parts.push(foreign_rulings_sentence(lang).to_owned());
    }
    if let Some(articles) = citations_sentence(finding.citations(), catalog, lang) {
        parts.push(articles);
    }
    if profile.app.market.is_none()
        && finding
            .citations()
            .iter()
            .any(|c| c.layer == Layer::CurrentLaw)
    {
        parts.push(market_unstated_sentence(lang).to_owned());
    }
    if with_change && setting.switch != Switch::InApp {
        parts.push(how_to_change(profile, setting, lang));
    }
    let sep = w(lang, " ", "");
    parts.join(sep)
}

/// Why a Chinese ruling is cited for an app offered only outside China.
pub fn foreign_rulings_sentence(lang: Lang) -> &'static str {
    w(
        lang,
        "These Chinese rulings do not bind an app offered outside China; they are cited as persuasive reasoning about the same kind of default.",
        "上述中国法院的裁判对在中国境外提供的应用没有约束力；此处引用，是因为其说理针对同类默认设置，具有参考价值。",
    )
}

/// Said where a profile cites Chinese law without saying where the app is offered.
pub fn market_unstated_sentence(lang: Lang) -> &'static str {
    w(
        lang,
        "This profile does not say whether the app is offered in mainland China; Chinese law binds it only if it is.",
        "该档案未说明应用是否在中国大陆提供；只有在中国大陆提供时，中国法律才对其有约束力。",
    )
}

/// What is exposed to whom, whether by default (and how sure that default is), what the
/// recommendation changes, and what it does not.
pub fn finding_summary(profile: &Profile, finding: &Finding, lang: Lang) -> String {
    let setting = &profile.settings[finding.index];
    let option_label = |id| setting.option_label(id, lang);
    let current = option_label(finding.current);
    let recommended = option_label(finding.recommended);
    let label = setting.label.get(lang);
    let how = how_set(setting, finding, lang);
    let flows = flow_phrases(finding, lang);
    let mut text = match (lang, setting.switch == Switch::InApp) {
        (Lang::En, true) => format!(
            "{label}: \"{current}\" is {how}; {flows}. The recommended \"{recommended}\" stops this."
        ),
        (Lang::Zh, true) => format!(
            "“{label}”：当前为“{current}”（{how}），{flows}。改为建议的“{recommended}”即可停止。"
        ),
        (Lang::En, false) => format!(
            "{label}: \"{current}\" is {how}; {flows}. This version offers no way to choose \"{recommended}\": see what to do instead."
        ),
        (Lang::Zh, false) => format!(
            "“{label}”：当前为“{current}”（{how}），{flows}。该版本无法改为“{recommended}”，可采取的其他做法另有说明。"
        ),
    };
    let personalised = finding
        .exposes()
        .iter()
        .any(|f| f.to == Audience::Operator && f.data == DataCategory::Interests);
    if personalised && profile.app.market == Some(Market::OutsideChina) {
        text.push_str(w(
            lang,
            " In China, PIPL art. 24 and art. 17 of the Algorithm Provisions require an easy way to switch personalised recommendation off; they do not bind this app, but this switch is that kind of control.",
            "在中国，《个人信息保护法》第24条和《算法推荐管理规定》第17条要求提供便捷的关闭个性化推荐的方式；这两条规定对该应用没有约束力，但这个开关正是这类控制。",
        ));
    } else if personalised {
        text.push_str(w(
            lang,
            " PIPL art. 24 and art. 17 of the Algorithm Provisions give you the right to switch personalised recommendation off; this switch is how you use it (a switch that exists and is on by default does not by itself breach them).",
            "《个人信息保护法》第24条和《算法推荐管理规定》第17条赋予你关闭个性化推荐的权利，这个开关就是行使这一权利的方式（开关存在且默认开启，本身并不违反这两条规定）。",
        ));
    }
    if let Some(caveat) = &setting.caveat {
        text.push_str(w(lang, " Note: ", "注意："));
        text.push_str(caveat.get(lang));
    }
    text
}

/// "the app's default, which you did not choose" and its unconfirmed variants.
fn how_set(setting: &Setting, finding: &Finding, lang: Lang) -> String {
    if !finding.by_default {
        return w(lang, "how your account is set", "你的账户设置").to_owned();
    }
    let level = setting.evidence.default.unwrap_or(Evidence::Unverified);
    if level.confirmed() {
        return w(
            lang,
            "the app's default, not your choice",
            "应用默认设置，并非你的选择",
        )
        .to_owned();
    }
    let note = setting
        .evidence
        .default_note
        .as_ref()
        .map(|n| n.get(lang))
        .filter(|n| !n.is_empty());
    match (lang, note) {
        (Lang::En, Some(note)) => format!(
            "the reported default, not your choice ({}: {note})",
            level.name(lang)
        ),
        (Lang::En, None) => format!(
            "the reported default, not your choice ({})",
            level.name(lang)
        ),
        (Lang::Zh, note) => {
            let how_sure = match level {
                Evidence::SingleSource => "默认值仅有单一来源",
                _ => "默认值未经核实",
            };
            match note {
                Some(note) => format!("{how_sure}：{note}；并非你的选择"),
                None => format!("{how_sure}；并非你的选择"),
            }
        }
    }
}

/// "friends can see your reading history and activity; the app itself uses your interest
/// profile", one clause per kind of flow.
fn flow_phrases(finding: &Finding, lang: Lang) -> String {
    let join_data = |flows: &mut dyn Iterator<Item = DataCategory>| {
        let mut data: Vec<DataCategory> = flows.collect();
        data.sort();
        data.dedup();
        join(data.iter().map(|d| d.name(lang)), lang)
    };
    let mut clauses = Vec::new();
    let excess = finding.exposes();
    // Data carried in from another app.
    let inbound = || excess.iter().filter(|f| f.from == Source::OtherApps);
    let inbound_audiences = {
        let mut a: Vec<Audience> = inbound().map(|f| f.to).collect();
        a.sort();
        a.dedup();
        a
    };
    for audience in inbound_audiences {
        let data = join_data(&mut inbound().filter(|f| f.to == audience).map(|f| f.data));
        clauses.push(match (lang, audience) {
            (Lang::En, Audience::Operator) => {
                format!("the app itself receives your {data} from another app")
            }
            (Lang::Zh, Audience::Operator) => format!("应用自身会从其他应用获得你的{data}"),
            (Lang::En, a) => format!("{} get your {data} from another app", a.name(lang)),
            (Lang::Zh, a) => format!("{}会从其他应用获得你的{data}", a.name(lang)),
        });
    }
    for audience in finding.audiences() {
        let mut own = excess
            .iter()
            .filter(|f| f.from == Source::ThisApp && f.to == audience)
            .map(|f| f.data)
            .peekable();
        if own.peek().is_none() {
            continue;
        }
        let data = join_data(&mut own);
        clauses.push(match (lang, audience) {
            (Lang::En, Audience::Operator) => format!("the app itself uses your {data}"),
            (Lang::Zh, Audience::Operator) => format!("应用自身会使用你的{data}"),
            (Lang::En, Audience::OtherApps) => {
                format!("other apps and companies receive your {data}")
            }
            (Lang::Zh, Audience::OtherApps) => format!("其他应用和公司会获得你的{data}"),
            (Lang::En, a) => format!("{} can see your {data}", a.name(lang)),
            (Lang::Zh, a) => format!("{}可以看到你的{data}", a.name(lang)),
        });
    }
    clauses.join(w(lang, "; ", "；"))
}

/// "How sure: unverified (unconfirmed default: the severity is not raised for it)."
pub fn certainty_sentence(finding: &Finding, lang: Lang) -> String {
    let level = finding.certainty().name(lang);
    match (lang, finding.unconfirmed_default()) {
        (Lang::En, false) => format!("How sure: {level}."),
        (Lang::En, true) => {
            format!("How sure: {level} (unconfirmed default: the severity is not raised for it).")
        }
        (Lang::Zh, false) => format!("可信度：{level}。"),
        (Lang::Zh, true) => format!("可信度：{level}（默认值未经证实，风险等级未因此提高）。"),
    }
}

/// A short badge for lists: "unconfirmed default" / "默认值未证实", or "unconfirmed" for a
/// finding whose other facts are weak.
pub fn certainty_badge(finding: &Finding, lang: Lang) -> Option<&'static str> {
    if finding.unconfirmed_default() {
        Some(w(lang, "unconfirmed default", "默认值未证实"))
    } else if !finding.confirmed() {
        Some(w(lang, "unconfirmed", "未证实"))
    } else {
        None
    }
}

/// The evidence behind each fact of a setting: "Evidence: label verified (on-screen text);
/// default unverified (seen only in …); menu path secondary sources; effect verified."
/// An evidence level as a predicate after its subject: 名称已核实, 默认值仅有单一来源.
fn zh_level(level: Evidence) -> &'static str {
    match level {
        Evidence::Verified => "已核实",
        Evidence::Secondary => "来自多个二手来源",
        Evidence::SingleSource => "仅有单一来源",
        Evidence::Unverified => "未经核实",
    }
}

pub fn evidence_sentence(setting: &Setting, lang: Lang) -> String {
    let ev = &setting.evidence;
    let mut parts = Vec::new();
    let kind = match setting.label_kind {
        LabelKind::OnScreen => w(lang, "on-screen text", "界面原文"),
        LabelKind::Descriptive => w(
            lang,
            "our description, not on-screen text",
            "描述性名称，并非界面原文",
        ),
    };
    parts.push(match lang {
        Lang::En => format!("label {} ({kind})", ev.label.name(lang)),
        Lang::Zh => format!("名称{}（{kind}）", zh_level(ev.label)),
    });
    match (ev.default, &ev.default_note) {
        (Some(level), Some(note)) => parts.push(match lang {
            Lang::En => format!("default {} ({})", level.name(lang), note.get(lang)),
            Lang::Zh => format!("默认值{}（{}）", zh_level(level), note.get(lang)),
        }),
        (Some(level), None) => parts.push(match lang {
            Lang::En => format!("default {}", level.name(lang)),
            Lang::Zh => format!("默认值{}", zh_level(level)),
        }),
        (None, _) => parts.push(w(lang, "default not known", "默认值未知").to_owned()),
    }
    if let Some(level) = ev.path {
        parts.push(match lang {
            Lang::En => format!("menu path {}", level.name(lang)),
            Lang::Zh => format!("菜单路径{}", zh_level(level)),
        });
    }
    parts.push(match lang {
        Lang::En => format!("what each option sends {}", ev.flows.name(lang)),
        Lang::Zh => format!("各选项的数据流向{}", zh_level(ev.flows)),
    });
    match lang {
        Lang::En => format!("Evidence: {}.", parts.join("; ")),
        Lang::Zh => format!("证据：{}。", parts.join("；")),
    }
}

/// Where to change a setting, or, when the version has no switch, that it has none and
/// what to do instead.
pub fn how_to_change(profile: &Profile, setting: &Setting, lang: Lang) -> String {
    let instead = setting.instead.as_ref().map_or("", |t| t.get(lang));
    let version = profile.app.version.get(lang);
    match (setting.switch, lang) {
        (Switch::InApp, _) if setting.path.get(lang).is_empty() => "-".to_owned(),
        (Switch::InApp, _) => setting.path.joined(lang),
        (Switch::None, Lang::En) => {
            format!("There is no switch for this in this version ({version}). Instead: {instead}")
        }
        (Switch::None, Lang::Zh) => {
            format!("该版本（{version}）没有这个开关。可以这样做：{instead}")
        }
        (Switch::OnceAtLogin, Lang::En) => format!(
            "This was asked once, on the login authorisation page, which an existing account cannot open again. Instead: {instead}"
        ),
        (Switch::OnceAtLogin, Lang::Zh) => {
            format!(
                "这一项只在登录授权页面询问一次，已有账号无法再次进入该页面。可以这样做：{instead}"
            )
        }
    }
}

/// "Huang v. Tencent (Beijing Internet Court, 2020-07-30, first-instance judgment):
/// direct: the court ruled on this feature. The court's own legal basis: not seen."
pub fn ruling_link_sentence(link: &RulingLink, catalog: &Catalog, lang: Lang) -> Option<String> {
    let ruling = catalog.ruling(&link.id)?;
    let head = ruling_head(ruling, lang);
    let kind = link_words(link.link, lang);
    let basis = basis_sentence(ruling, catalog, lang);
    Some(match lang {
        Lang::En => format!("{head}: {kind}. {basis}"),
        Lang::Zh => format!("{head}：{kind}。{basis}"),
    })
}

/// "direct: the court ruled on this feature" / "by analogy: the court did not rule on this
/// setting".
pub fn link_words(link: Link, lang: Lang) -> &'static str {
    match link {
        Link::Direct => w(
            lang,
            "direct: the court ruled on this feature",
            "直接相关：法院就这一功能作出了裁判",
        ),
        Link::Analogy => w(
            lang,
            "by analogy: the court did not rule on this setting",
            "类比：法院未就此设置作出裁判",
        ),
    }
}

/// "FTC settlement with Venmo (US Federal Trade Commission, 2018, regulator's action;
/// single source): what happened. Context, not a ruling on this setting."
pub fn event_sentence(event: &crate::catalog::Event, lang: Lang) -> String {
    let inside = [
        event.actor.get(lang),
        &event.date,
        event.kind.name(lang),
        event.evidence.name(lang),
    ]
    .join(w(lang, ", ", "，"));
    let context = w(
        lang,
        "Context only: not a ruling on this setting, and no part of the verdict.",
        "仅作背景参考：并非针对此设置的裁判，也不影响审计结论。",
    );
    match lang {
        Lang::En => format!(
            "{}{}: {} {context}",
            event.title.get(lang),
            parens(&inside, lang),
            event.summary.get(lang)
        ),
        Lang::Zh => format!(
            "{}{}：{}{context}",
            event.title.get(lang),
            parens(&inside, lang),
            event.summary.get(lang)
        ),
    }
}

/// "Title (court, date, nature)".
pub fn ruling_head(ruling: &Ruling, lang: Lang) -> String {
    let inside = [
        ruling.court.get(lang),
        &ruling.date,
        ruling.nature.name(lang),
    ]
    .join(w(lang, ", ", "，"));
    format!("{}{}", ruling.title.get(lang), parens(&inside, lang))
}

/// The colon between a label and its value in each language.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::En => ": ",
        Lang::Zh => "：",
    }
}

/// " (text)" in English, "（text）" in Chinese.
pub fn parens(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(" ({text})"),
        Lang::Zh => format!("（{text}）"),
    }
}

/// What the court itself is known to have relied on, or that it was not seen.
pub fn basis_sentence(ruling: &Ruling, catalog: &Catalog, lang: Lang) -> String {
    let laws: Vec<String> = ruling
        .basis
        .iter()
        .filter_map(|id| catalog.law(id))
        .map(|l| l.short_citation(lang))
        .collect();
    let note = ruling.basis_note.as_ref().map(|n| n.get(lang));
    let level = match (ruling.evidence.basis, lang) {
        (Some(e), Lang::En) => format!(" [{}]", e.name(lang)),
        (Some(e), Lang::Zh) => format!("（{}）", e.name(lang)),
        (None, _) => String::new(),
    };
    match (lang, laws.is_empty(), note) {
        (Lang::En, true, None) => "The court's own legal basis: not seen.".to_owned(),
        (Lang::Zh, true, None) => "法院自身的裁判依据：未能查到。".to_owned(),
        (Lang::En, true, Some(note)) => format!("The court's own legal basis: not seen. {note}"),
        (Lang::Zh, true, Some(note)) => format!("法院自身的裁判依据：未能查到。{note}"),
        (Lang::En, false, note) => format!(
            "The court's own legal basis: {}{level}.{}",
            join(laws, lang),
            note.map(|n| format!(" {n}")).unwrap_or_default()
        ),
        (Lang::Zh, false, note) => format!(
            "法院自身的裁判依据：{}{level}。{}",
            join(laws, lang),
            note.unwrap_or_default()
        ),
    }
}

/// The heading under which articles are listed.
pub fn related_articles(lang: Lang) -> &'static str {
    w(lang, "Related articles", "相关法条")
}

/// A layer's name.
pub fn layer_name(layer: Layer, lang: Lang) -> &'static str {
    match layer {
        Layer::CourtBasis => w(
            lang,
            "what the court relied on or referred to",
            "法院援引或参照的规定",
        ),
        Layer::CurrentLaw => w(lang, "Chinese law today", "现行中国法律"),
        Layer::CnAnalogy => w(
            lang,
            "Chinese law, by analogy (it does not bind this app)",
            "中国法律（类比参考，对该应用没有约束力）",
        ),
        Layer::OtherRules => w(
            lang,
            "other rules (from your catalog)",
            "其他规范（来自你的目录）",
        ),
        Layer::EuComparison => w(lang, "EU comparison", "欧盟法比较"),
    }
}

/// "in force since 2021-11-01, later than the ruling and than this app version"; for an EU
/// article, when it applies and that it reaches a Chinese app only under GDPR Art. 3.
pub fn standing_words(law: &Law, citation: Option<&Citation>, lang: Lang) -> String {
    standing_parts(law, citation, true, lang)
}

fn standing_parts(law: &Law, citation: Option<&Citation>, eu_reach: bool, lang: Lang) -> String {
    let mut parts = Vec::new();
    // Whose rule it is, where the layer does not say it (a user catalog's other
    // jurisdiction or internal policy).
    if law.jurisdiction == Jurisdiction::Other {
        parts.push(law.jurisdiction_words(lang).to_owned());
    }
    if let Some(date) = &law.in_force {
        parts.push(match (law.jurisdiction, lang) {
            (Jurisdiction::Cn, Lang::En) => format!("in force since {date}"),
            (Jurisdiction::Cn, Lang::Zh) => format!("{date} 起施行"),
            (Jurisdiction::Eu, Lang::En) => format!("applies since {date}"),
            (Jurisdiction::Eu, Lang::Zh) => format!("{date} 起适用"),
            // A user catalog's article (another country's law, an internal policy).
            (Jurisdiction::Other, Lang::En) => format!("in effect since {date}"),
            (Jurisdiction::Other, Lang::Zh) => format!("{date} 起生效"),
        });
    }
    if let Some(c) = citation {
        // An article the court referred to before it took effect is not "later" than the
        // ruling in the sense of a rule the court could not know.
        let later_than_ruling = c.later_than_ruling && c.layer != Layer::CourtBasis;
        if c.later_than_ruling && c.layer == Layer::CourtBasis {
            parts.push(
                w(
                    lang,
                    "published but not yet in force when the court referred to it",
                    "裁判时已公布、尚未施行",
                )
                .to_owned(),
            );
        }
        let later = match (later_than_ruling, c.later_than_version) {
            (true, true) => Some(w(
                lang,
                "later than the ruling and than this app version",
                "晚于该裁判和该应用版本",
            )),
            (true, false) => Some(w(lang, "later than the ruling", "晚于该裁判")),
            (false, true) => Some(w(lang, "later than this app version", "晚于该应用版本")),
            (false, false) => None,
        };
        parts.extend(later.map(str::to_owned));
    }
    if eu_reach && law.jurisdiction == Jurisdiction::Eu {
        parts.push(eu_reach_words(lang).to_owned());
    }
    parts.join(w(lang, "; ", "；"))
}

/// Said of every GDPR article: whether it binds a given app is a question of the
/// regulation's territorial scope, which privaudit does not decide.
fn eu_reach_words(lang: Lang) -> &'static str {
    w(
        lang,
        "whether it applies to an app depends on GDPR Art. 3 (territorial scope)",
        "是否适用于某一应用，取决于该条例第3条规定的地域适用范围",
    )
}

/// "PIPL art. 23 (in force since 2021-11-01, later than the ruling)".
pub fn cited_article(law: &Law, citation: Option<&Citation>, lang: Lang) -> String {
    let standing = standing_words(law, citation, lang);
    if standing.is_empty() {
        law.short_citation(lang)
    } else {
        law.short_citation(lang) + &parens(&standing, lang)
    }
}

/// For each layer that has articles: (layer, the articles with their standing).
pub fn citations_by_layer<'c>(
    citations: &'c [Citation],
    catalog: &'c Catalog,
) -> Vec<(Layer, Vec<(&'c Law, &'c Citation)>)> {
    Layer::ALL
        .into_iter()
        .map(|layer| {
            let laws = citations
                .iter()
                .filter(|c| c.layer == layer)
                .filter_map(|c| catalog.law(&c.law).map(|l| (l, c)))
                .collect::<Vec<_>>();
            (layer, laws)
        })
        .filter(|(_, laws)| !laws.is_empty())
        .collect()
}

/// "Related articles: Chinese law today: …; EU comparison: …."
pub fn citations_sentence(citations: &[Citation], catalog: &Catalog, lang: Lang) -> Option<String> {
    let groups = citations_by_layer(citations, catalog);
    if groups.is_empty() {
        return None;
    }
    let groups: Vec<String> = groups
        .into_iter()
        .map(|(layer, laws)| {
            // The EU's reach is said once for the group, not after every article.
            let eu = layer == Layer::EuComparison;
            let laws: Vec<String> = laws
                .into_iter()
                .map(|(law, c)| {
                    let standing = standing_parts(law, Some(c), !eu, lang);
                    if standing.is_empty() {
                        law.short_citation(lang)
                    } else {
                        law.short_citation(lang) + &parens(&standing, lang)
                    }
                })
                .collect();
            let name = layer_name(layer, lang);
            match (lang, eu) {
                (Lang::En, false) => format!("{name}: {}", laws.join(", ")),
                (Lang::Zh, false) => format!("{name}：{}", laws.join("、")),
                (Lang::En, true) => {
                    format!("{name}, {}: {}", eu_reach_words(lang), laws.join(", "))
                }
                (Lang::Zh, true) => {
                    format!("{name}（{}）：{}", eu_reach_words(lang), laws.join("、"))
                }
            }
        })
        .collect();
    Some(match lang {
        Lang::En => format!("{} ({}).", related_articles(lang), groups.join("; ")),
        Lang::Zh => format!("{}（{}）。", related_articles(lang), groups.join("；")),
    })
}

/// The articles a ruling's entry lists, with their standing against the ruling's date, and
/// the catalog's note on what they are (for `explain` and the rulings browser).
pub fn ruling_articles(ruling: &Ruling, catalog: &Catalog, lang: Lang) -> Vec<String> {
    let mut lines = vec![basis_sentence(ruling, catalog, lang)];
    for law in ruling.laws.iter().filter_map(|id| catalog.law(id)) {
        // A ruling's own articles are read against the ruling, a Chinese case.
        let c = super::citation(law, &[ruling], None, Some(Market::China));
        lines.push(format!(
            "{}{}{}",
            layer_name(c.layer, lang),
            w(lang, ": ", "："),
            cited_article(law, Some(&c), lang)
        ));
    }
    if let Some(note) = &ruling.laws_note {
        lines.push(note.get(lang).to_owned());
    }
    lines
}

/// "reading history -> friends; social connections (from another app) -> the app itself";
/// flows to "only you" are left out. Empty when nothing goes anywhere.
pub fn flow_list(flows: &[crate::profile::Flow], lang: Lang) -> String {
    flows
        .iter()
        .filter(|f| f.to != Audience::OnlyMe)
        .map(|f| {
            let from = match (f.from, lang) {
                (Source::ThisApp, _) => "",
                (Source::OtherApps, Lang::En) => " (from another app)",
                (Source::OtherApps, Lang::Zh) => "（来自其他应用）",
            };
            let arrow = w(lang, " -> ", " → ");
            format!("{}{from}{arrow}{}", f.data.name(lang), f.to.name(lang))
        })
        .collect::<Vec<_>>()
        .join(w(lang, "; ", "；"))
}

/// "a, b and c" / "a、b和c".
pub fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>, lang: Lang) -> String {
    let items: Vec<S> = items.into_iter().collect();
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match (items.as_slice(), lang) {
        ([], _) => String::new(),
        ([one], _) => (*one).to_owned(),
        ([init @ .., last], Lang::En) => format!("{} and {last}", init.join(", ")),
        // "昵称和头像以及发布内容", not "昵称和头像和发布内容".
        ([init @ .., last], Lang::Zh) if items.iter().any(|i| i.contains('和')) => {
            format!("{}以及{last}", init.join("、"))
        }
        ([init @ .., last], Lang::Zh) => format!("{}和{last}", init.join("、")),
    }
}
