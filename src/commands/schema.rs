//! `privaudit schema`: JSON Schemas of privaudit's JSON output, for whoever reads it, and of
//! its TOML input (profiles, account states), for editors.

use super::{Outcome, emit};
use crate::cli::{SchemaArgs, SchemaKind};
use crate::report::json::{JsonDocument, JsonLine, JsonReport, schema_of};

/// The schema of `kind` (JSON Schema draft 2020-12), pretty-printed.
pub fn text(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Report => schema_of::<JsonReport<'_>>(),
        SchemaKind::Line => schema_of::<JsonLine<'_>>(),
        SchemaKind::Document => schema_of::<JsonDocument<'_>>(),
        SchemaKind::Profile => crate::profile::schema::profile_schema(),
        SchemaKind::State => crate::state::schema::state_schema(),
    };
    serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n"
}

pub fn run(args: &SchemaArgs) -> Outcome {
    emit(&text(args.kind), Outcome::Pass)
}
