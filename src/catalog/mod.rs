//! The rulings, articles of law and events privaudit cites: the embedded
//! `profiles/catalog.toml`, extended by the user's own catalog files (see [`user`]).

pub mod user;

pub use user::{Merged, catalog_dirs, load_in, user_catalog_dir};

use crate::diag::{self, Diagnostic};
use crate::evidence::Evidence;
use crate::text::{Lang, Localized, sanitize, sanitize_multiline};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// `profiles/catalog.toml`, converted to JSON by `build.rs` (faster to parse at start-up).
const CATALOG_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

/// Interim (conduct preservation) or a judgment at first instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Nature {
    Interim,
    FirstInstance,
}

impl Nature {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Nature::Interim, Lang::En) => {
                "interim conduct-preservation order (a ruling, not a judgment)"
            }
            (Nature::Interim, Lang::Zh) => "诉中行为保全裁定",
            (Nature::FirstInstance, Lang::En) => "first-instance judgment",
            (Nature::FirstInstance, Lang::Zh) => "一审判决",
        }
    }
}

/// Whose law an article is: China's, the EU's (a comparison, not the law the Chinese
/// courts applied), or another's that a user catalog adds (another country's law, a
/// company's internal policy), named by the law's `jurisdiction-name`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Jurisdiction {
    Cn,
    Eu,
    Other,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RulingEvidence {
    pub court: Evidence,
    pub date: Evidence,
    pub case_number: Evidence,
    pub held: Evidence,
    pub remedies: Evidence,
    pub appeal: Evidence,
    /// How sure we are of what the court's own legal basis was, where any is given.
    #[serde(default)]
    pub basis: Option<Evidence>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Ruling {
    pub id: String,
    pub title: Text,
    pub court: Text,
    pub date: String,
    #[serde(default)]
    pub date_note: Option<Text>,
    pub nature: Nature,
    #[serde(default)]
    pub case_number: Option<String>,
    /// Why no case number is given, when none is known.
    #[serde(default)]
    pub case_number_unknown: Option<Text>,
    pub feature: Text,
    pub held: Text,
    pub not_held: Text,
    pub why: Text,
    pub remedies: Text,
    pub appeal: Text,
    /// Articles that speak to the same data flow (today's law, the EU comparison); not
    /// necessarily what the court cited: see `basis`.
    pub laws: Vec<String>,
    #[serde(default)]
    pub laws_note: Option<Text>,
    /// The articles the court itself is known to have relied on; empty when its own
    /// citations were not seen.
    #[serde(default)]
    pub basis: Vec<String>,
    /// How the court used its basis, and what of it was not seen.
    #[serde(default)]
    pub basis_note: Option<Text>,
    pub sources: Vec<String>,
    pub evidence: RulingEvidence,
    /// In a user catalog: this entry replaces the one of the same id (built in, or from an
    /// earlier catalog file) on purpose.
    #[serde(default, skip_serializing_if = "is_false")]
    pub overrides: bool,
    /// The user catalog file this entry comes from; `None` when it is built in.
    #[serde(skip)]
    pub origin: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !value
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Law {
    pub id: String,
    pub law: Text,
    /// Short name for citations in running text ("PIPL").
    pub short: Text,
    pub article: String,
    pub jurisdiction: Jurisdiction,
    /// Whose rules these are, for `jurisdiction = "other"` (and only then): "United States
    /// (federal)", "Example Co. internal policy".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction_name: Option<Text>,
    /// `YYYY-MM-DD` from which the article binds (for the GDPR, its date of application).
    #[serde(default)]
    pub in_force: Option<String>,
    pub evidence: Evidence,
    pub summary: Text,
    /// See [`Ruling::overrides`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub overrides: bool,
    /// See [`Ruling::origin`].
    #[serde(skip)]
    pub origin: Option<String>,
}

impl Law {
    /// Full citation: "Personal Information Protection Law of the PRC, art. 23".
    pub fn citation(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("{}, art. {}", self.law.0.en, self.article),
            // A name that carries its own book-title marks (欧盟《通用数据保护条例》) is not
            // wrapped again.
            Lang::Zh if self.law.0.zh.contains('《') => {
                format!("{}第{}条", self.law.0.zh, self.article)
            }
            Lang::Zh => format!("《{}》第{}条", self.law.0.zh, self.article),
        }
    }

    /// Short citation for running text: "PIPL art. 23", "《个人信息保护法》第23条".
    pub fn short_citation(&self, lang: Lang) -> String {
        match lang {
            Lang::En => format!("{} art. {}", self.short.0.en, self.article),
            Lang::Zh if self.short.0.zh.contains('《') => {
                format!("{}第{}条", self.short.0.zh, self.article)
            }
            Lang::Zh => format!("《{}》第{}条", self.short.0.zh, self.article),
        }
    }

    /// Whose law it is: "China", "the EU", or the name a user catalog gives.
    pub fn jurisdiction_words(&self, lang: Lang) -> &str {
        match (self.jurisdiction, &self.jurisdiction_name, lang) {
            (_, Some(name), _) => name.get(lang),
            (Jurisdiction::Cn, None, Lang::En) => "China",
            (Jurisdiction::Cn, None, Lang::Zh) => "中国",
            (Jurisdiction::Eu, None, Lang::En) => "the EU",
            (Jurisdiction::Eu, None, Lang::Zh) => "欧盟",
            (Jurisdiction::Other, None, Lang::En) => "another jurisdiction",
            (Jurisdiction::Other, None, Lang::Zh) => "其他法域",
        }
    }
}

impl Ruling {
    /// "Title (court, date, case number): what was held", for help texts and explanations.
    pub fn held_line(&self, lang: Lang) -> String {
        let (title, court, case, held) = (
            self.title.get(lang),
            self.court.get(lang),
            self.case_number_text(lang),
            self.held.get(lang),
        );
        match lang {
            Lang::En => format!("{title} ({court}, {}, {case}): {held}", self.date),
            Lang::Zh => format!("{title}（{court}，{}，{case}）：{held}", self.date),
        }
    }

    pub fn case_number_text(&self, lang: Lang) -> String {
        match (&self.case_number, &self.case_number_unknown) {
            // Chinese case numbers put the year in full-width brackets: （2019）京0491民初16142号.
            (Some(number), _) if lang == Lang::Zh => number.replace('(', "（").replace(')', "）"),
            (Some(number), _) => number.clone(),
            (None, Some(why)) => why.0.get(lang).to_owned(),
            (None, None) => match lang {
                Lang::En => "not known".to_owned(),
                Lang::Zh => "不详".to_owned(),
            },
        }
    }
}

/// Localized text in the catalog, sanitised as it is read like any other input.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct Text(pub Localized);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            en: String,
            zh: String,
        }
        let raw = Raw::deserialize(d)?;
        Ok(Text(Localized::new(
            sanitize_multiline(&raw.en),
            sanitize_multiline(&raw.zh),
        )))
    }
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        self.0.get(lang)
    }
}

/// Something a regulator did, or a public incident, about a kind of setting: Venmo's 2018
/// FTC settlement, Strava's 2018 heatmap exposure. Context for a setting, with how sure we
/// are of it; never a ruling on the setting and never part of a verdict.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub title: Text,
    /// Who acted (a regulator) or where it happened.
    pub actor: Text,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precisely as known.
    pub date: String,
    pub kind: EventKind,
    /// What happened, in our words.
    pub summary: Text,
    pub evidence: Evidence,
    pub sources: Vec<String>,
    /// See [`Ruling::overrides`].
    #[serde(default, skip_serializing_if = "is_false")]
    pub overrides: bool,
    /// See [`Ruling::origin`].
    #[serde(skip)]
    pub origin: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A regulator's action (a settlement, an order, a fine).
    RegulatorAction,
    /// A public incident (data exposed, found by reporters or researchers).
    Incident,
}

impl EventKind {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (EventKind::RegulatorAction, Lang::En) => "regulator's action",
            (EventKind::RegulatorAction, Lang::Zh) => "监管行动",
            (EventKind::Incident, Lang::En) => "public incident",
            (EventKind::Incident, Lang::Zh) => "公开事件",
        }
    }
}

/// Any of the three tables may be absent (a user catalog may add only events).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    #[serde(default)]
    pub rulings: Vec<Ruling>,
    #[serde(default)]
    pub laws: Vec<Law>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// User catalog files that were left out for a problem: a profile citing one of their
    /// ids is told so.
    #[serde(skip)]
    pub left_out: Vec<String>,
}

impl Catalog {
    /// Parse the catalog from its TOML source.
    pub fn parse(name: &str, text: &str) -> Result<Catalog, Diagnostic> {
        let catalog: Catalog = toml::from_str(text).map_err(|e| diag::from_toml(name, text, &e))?;
        catalog.checked(name)
    }

    /// Parse the catalog from the JSON that `build.rs` made of the TOML.
    pub fn parse_json(name: &str, text: &str) -> Result<Catalog, Diagnostic> {
        let catalog: Catalog = serde_json::from_str(text)
            .map_err(|e| Diagnostic::at_line(name, e.line(), Some(e.column()), e.to_string()))?;
        catalog.checked(name)
    }

    /// Sanitise the free-form lists and check that every cited law exists. `overrides` is
    /// for user catalogs: the built-in one has nothing to override.
    fn checked(mut self, name: &str) -> Result<Catalog, Diagnostic> {
        self.sanitize_lists();
        let overriding = self
            .rulings
            .iter()
            .filter(|r| r.overrides)
            .map(|r| &r.id)
            .chain(self.laws.iter().filter(|l| l.overrides).map(|l| &l.id))
            .chain(self.events.iter().filter(|e| e.overrides).map(|e| &e.id))
            .next();
        if let Some(id) = overriding {
            return Err(Diagnostic::whole_file(
                name,
                format!("`{id}` says `overrides = true`, which only a user catalog may say"),
            ));
        }
        for ruling in &self.rulings {
            if let Some(missing) = ruling
                .laws
                .iter()
                .chain(&ruling.basis)
                .find(|l| self.law(l).is_none())
            {
                return Err(Diagnostic::whole_file(
                    name,
                    format!("ruling {} cites unknown law {missing}", ruling.id),
                ));
            }
        }
        Ok(self)
    }

    /// The plain strings shown as they are (the localized texts are made safe as they are
    /// read): a user catalog is input like any other.
    fn sanitize_lists(&mut self) {
        // Names shown inside one line (a title, a court, a law's name): a line break there
        // would let a catalog write a line of its own into a report or a CI log.
        fn one_line(text: &mut Text) {
            let Localized { en, zh } = &text.0;
            text.0 = Localized::new(sanitize(en), sanitize(zh));
        }
        for ruling in &mut self.rulings {
            ruling.sources = ruling.sources.iter().map(|s| sanitize(s)).collect();
            ruling.case_number = ruling.case_number.as_deref().map(sanitize);
            one_line(&mut ruling.title);
            one_line(&mut ruling.court);
        }
        for law in &mut self.laws {
            law.article = sanitize(&law.article);
            one_line(&mut law.law);
            one_line(&mut law.short);
            if let Some(name) = &mut law.jurisdiction_name {
                one_line(name);
            }
        }
        for event in &mut self.events {
            event.sources = event.sources.iter().map(|s| sanitize(s)).collect();
            one_line(&mut event.title);
            one_line(&mut event.actor);
        }
    }

    /// A profile's "unknown ruling id `x`" (law, event) is most likely an id of a user
    /// catalog file that was left out: say so, naming the files.
    pub fn hint_left_out(&self, problems: &mut [Diagnostic]) {
        if self.left_out.is_empty() {
            return;
        }
        let files = self.left_out.join(", ");
        for problem in problems {
            let unknown_id = ["unknown ruling id", "unknown law id", "unknown event id"]
                .iter()
                .any(|start| problem.message.starts_with(start));
            if unknown_id {
                problem.message.push_str(&format!(
                    " (a catalog file was left out for a problem, see the warning: {files})"
                ));
            }
        }
    }

    pub fn ruling(&self, id: &str) -> Option<&Ruling> {
        self.rulings.iter().find(|r| r.id == id)
    }

    pub fn law(&self, id: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.id == id)
    }

    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }
}

/// The catalog compiled into the binary. Its validity is checked by the test suite, so a
/// failure here is a build defect, not bad user input.
pub fn builtin() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        Catalog::parse_json("profiles/catalog.toml", CATALOG_JSON)
            .unwrap_or_else(|d| panic!("embedded catalog is invalid: {d}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads_with_the_three_rulings() {
        let c = builtin();
        for id in [
            "tencent-v-bytedance-2019",
            "huang-v-tencent-2020",
            "ling-v-douyin-2020",
        ] {
            assert!(c.ruling(id).is_some(), "{id}");
        }
        let huang = c.ruling("huang-v-tencent-2020").unwrap();
        assert_eq!(
            huang.case_number.as_deref(),
            Some("(2019)京0491民初16142号")
        );
        assert_eq!(huang.date, "2020-07-30");
        let ling = c.ruling("ling-v-douyin-2020").unwrap();
        assert_eq!(ling.case_number.as_deref(), Some("(2019)京0491民初6694号"));
        // The Tianjin case number is not known; the catalog must say so rather than guess.
        let tianjin = c.ruling("tencent-v-bytedance-2019").unwrap();
        assert!(tianjin.case_number.is_none());
        assert!(tianjin.case_number_unknown.is_some());
        assert_eq!(tianjin.nature, Nature::Interim);
    }

    #[test]
    fn the_toml_source_and_the_embedded_json_agree() {
        let toml_text = include_str!("../../profiles/catalog.toml");
        let from_toml = Catalog::parse("profiles/catalog.toml", toml_text).unwrap();
        let as_json = |c: &Catalog| serde_json::to_value(c).unwrap();
        assert_eq!(as_json(&from_toml), as_json(builtin()));
    }

    #[test]
    fn every_required_article_is_present() {
        let c = builtin();
        for id in [
            "civil-code-1032",
            "civil-code-1034",
            "civil-code-1035",
            "civil-code-1038",
            "cybersecurity-law-41",
            "cybersecurity-law-42",
            "pipl-13",
            "pipl-14",
            "pipl-15",
            "pipl-23",
            "pipl-24",
            "pipl-25",
            "pipl-28",
            "pipl-29",
            "pipl-47",
            "algorithm-provisions-17",
            "gdpr-25",
            "gdpr-7",
        ] {
            let law = c.law(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(
                !law.summary.0.en.is_empty() && !law.summary.0.zh.is_empty(),
                "{id}"
            );
        }
    }
}
