//! Views of audit reports: every format shows the same findings.

pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use crate::audit::Report;
use crate::catalog::Catalog;
use crate::profile::Profile;
use crate::text::Lang;

/// A report with what it was made from.
pub struct Checked<'a> {
    pub profile: &'a Profile,
    pub report: Report<'a>,
    /// The state's name (file name or `file:line`), or `None` for the app's defaults.
    pub state: Option<String>,
}

/// How to render: language, colour, and the catalog for citations.
#[derive(Clone, Copy)]
pub struct Style<'a> {
    pub lang: Lang,
    pub color: bool,
    pub catalog: &'a Catalog,
}
