//! The sentence that explains a finding, built from the rule that produced it and the
//! rulings and articles it cites, in either language.

use super::Finding;
use crate::catalog::Catalog;
use crate::profile::Profile;
use crate::text::Lang;

/// One paragraph: what is exposed to whom, whether by default, what the recommendation
/// changes ([`finding_summary`]), and what it rests on.
pub fn finding_message(
    profile: &Profile,
    finding: &Finding,
    catalog: &Catalog,
    lang: Lang,
) -> String {
    let mut text = finding_summary(profile, finding, lang);
    let rulings = join(
        finding
            .rulings
            .iter()
            .filter_map(|id| catalog.ruling(id))
            .map(|r| r.title.get(lang)),
        lang,
    );
    let laws = join(
        finding
            .laws()
            .iter()
            .filter_map(|id| catalog.law(id))
            .map(|l| l.short_citation(lang)),
        lang,
    );
    match lang {
        Lang::En => {
            if !rulings.is_empty() {
                text.push_str(&format!(" Courts: {rulings}."));
            }
            if !laws.is_empty() {
                text.push_str(&format!(" Law: {laws}."));
            }
        }
        Lang::Zh => {
            if !rulings.is_empty() {
                text.push_str(&format!("相关判决：{rulings}。"));
            }
            if !laws.is_empty() {
                text.push_str(&format!("法律依据：{laws}。"));
            }
        }
    }
    text
}

/// What is exposed to whom, whether by default, and what the recommendation changes.
pub fn finding_summary(profile: &Profile, finding: &Finding, lang: Lang) -> String {
    let setting = &profile.settings[finding.index];
    let option_label = |id| setting.option_label(id, lang);
    let data = join(finding.data().iter().map(|d| d.name(lang)), lang);
    let audiences = join(finding.audiences().iter().map(|a| a.name(lang)), lang);
    let current = option_label(finding.current);
    let recommended = option_label(finding.recommended);
    let label = setting.label.get(lang);
    match lang {
        Lang::En => {
            let how = if finding.by_default {
                "the app's default, set without your choice"
            } else {
                "as set on your account"
            };
            format!(
                "{label}: \"{current}\" ({how}) lets {audiences} receive your {data}; the recommended \"{recommended}\" would not."
            )
        }
        Lang::Zh => {
            let how = if finding.by_default {
                "应用默认设置，并非你的选择"
            } else {
                "你的账户设置"
            };
            format!(
                "{label}：当前为“{current}”（{how}），{audiences}可以获得你的{data}；改为建议的“{recommended}”则不会。"
            )
        }
    }
}

/// "a, b and c" / "a、b和c".
pub fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>, lang: Lang) -> String {
    let items: Vec<S> = items.into_iter().collect();
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    match (items.as_slice(), lang) {
        ([], _) => String::new(),
        ([one], _) => (*one).to_owned(),
        ([init @ .., last], Lang::En) => format!("{} and {last}", init.join(", ")),
        ([init @ .., last], Lang::Zh) => format!("{}和{last}", init.join("、")),
    }
}
