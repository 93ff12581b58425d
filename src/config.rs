//! The user's settings for the interactive auditor: `<config dir>/config.toml`.
//!
//! ```toml
//! lang = "zh"            # en | zh; default: the system locale
//! theme = "high-contrast" # default | high-contrast
//! mouse = false          # mouse capture stops the terminal's own text selection
//! ```

use crate::diag::{self, Diagnostic};
use crate::source::{SourceText, read_text_file};
use crate::text::Lang;
use serde::{Deserialize, Deserializer};
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    #[default]
    Default,
    HighContrast,
}

impl<'de> Deserialize<'de> for ThemeName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(
            [ThemeName::Default, ThemeName::HighContrast]
                [one_of(d, &["default", "high-contrast"])?],
        )
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub lang: Option<ConfigLang>,
    #[serde(default)]
    pub theme: ThemeName,
    #[serde(default = "yes")]
    pub mouse: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigLang {
    En,
    Zh,
}

impl<'de> Deserialize<'de> for ConfigLang {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok([ConfigLang::En, ConfigLang::Zh][one_of(d, &["en", "zh"])?])
    }
}

/// The index of the name a config value gives, out of `names`. A derived enum would let
/// toml answer a wrong type with "wanted string or table" and read `theme = { a = 1 }` as
/// a variant `a`; this takes a string only and names the choices.
fn one_of<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    struct Names(&'static [&'static str]);
    impl<'de> serde::de::Visitor<'de> for Names {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let quoted: Vec<String> = self.0.iter().map(|n| format!("`{n}`")).collect();
            f.write_str(&quoted.join(" or "))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|n| *n == v)
                .ok_or_else(|| E::unknown_variant(v, self.0))
        }
    }
    d.deserialize_str(Names(names))
}

impl From<ConfigLang> for Lang {
    fn from(lang: ConfigLang) -> Lang {
        match lang {
            ConfigLang::En => Lang::En,
            ConfigLang::Zh => Lang::Zh,
        }
    }
}

pub fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "privaudit")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// The config file, or the defaults when there is none. A config that exists but is bad
/// is an error, like any other input.
pub fn load() -> Result<Config, Diagnostic> {
    let Some(path) = config_path() else {
        return Ok(Config {
            mouse: true,
            ..Config::default()
        });
    };
    if !path.exists() {
        return Ok(Config {
            mouse: true,
            ..Config::default()
        });
    }
    parse(&read_text_file(&path)?)
}

/// Parse a config file's text.
pub fn parse(source: &SourceText) -> Result<Config, Diagnostic> {
    toml::from_str(&source.text).map_err(|e| diag::from_toml(&source.name, &source.text, &e))
}

/// English or Chinese from the environment's locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn system_lang() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(var)
            && !value.is_empty()
        {
            return if value.to_ascii_lowercase().starts_with("zh") {
                Lang::Zh
            } else {
                Lang::En
            };
        }
    }
    Lang::En
}
