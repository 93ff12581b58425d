//! `privaudit schema`: the JSON Schema of privaudit's JSON output, for whoever reads it.

use super::{Outcome, emit};
use crate::cli::{SchemaArgs, SchemaKind};
use crate::report::json::{JsonDocument, JsonLine, JsonReport, schema_of};

/// The schema of `kind` (JSON Schema draft 2020-12), pretty-printed.
pub fn text(kind: SchemaKind) -> String {
    let schema = match kind {
        SchemaKind::Report => schema_of::<JsonReport<'_>>(),
        SchemaKind::Line => schema_of::<JsonLine<'_>>(),
        SchemaKind::Document => schema_of::<JsonDocument<'_>>(),
    };
    serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n"
}

pub fn run(args: &SchemaArgs) -> Outcome {
    emit(&text(args.kind), Outcome::Pass)
}
