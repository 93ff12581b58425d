//! How sure we are of a fact, carried from the reference dossier into every output.

use serde::{Deserialize, Serialize};

use crate::text::Lang;

/// The dossier's confidence tags, in decreasing order of certainty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[derive(schemars::JsonSchema)]
pub enum Evidence {
    /// [V] checked against a primary or near-primary text.
    Verified,
    /// [S] two or more independent secondary sources.
    Secondary,
    /// [1S] a single secondary source.
    SingleSource,
    /// [U] not confirmed: background knowledge or inference.
    Unverified,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [
        Evidence::Verified,
        Evidence::Secondary,
        Evidence::SingleSource,
        Evidence::Unverified,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Evidence::Verified => "verified",
            Evidence::Secondary => "secondary",
            Evidence::SingleSource => "single-source",
            Evidence::Unverified => "unverified",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.id() == id)
    }

    /// Verified or backed by two independent sources: sure enough to raise a severity or
    /// to count in the confirmed score.
    pub fn confirmed(self) -> bool {
        matches!(self, Evidence::Verified | Evidence::Secondary)
    }

    /// The less certain of two levels.
    pub fn weakest(self, other: Evidence) -> Evidence {
        self.max(other)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Evidence::Verified, Lang::En) => "verified",
            (Evidence::Secondary, Lang::En) => "secondary sources",
            (Evidence::SingleSource, Lang::En) => "single source",
            (Evidence::Unverified, Lang::En) => "unverified",
            (Evidence::Verified, Lang::Zh) => "已核实",
            (Evidence::Secondary, Lang::Zh) => "多个二手来源",
            (Evidence::SingleSource, Lang::Zh) => "单一来源",
            (Evidence::Unverified, Lang::Zh) => "未核实",
        }
    }
}
