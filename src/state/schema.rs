//! The JSON Schema of the account-state TOML format (`privaudit schema state`), for editors.
//!
//! The state parser (`parse.rs`) walks toml's document tree by hand, for speed, so there
//! is no type to derive a schema from: the types below describe the same format, and
//! `tests/profile_schema.rs` holds them to the parser (a state using every key validates;
//! each mutation the parser refuses fails the schema too). Which settings and options exist
//! depends on the app's profile, so the schema checks only their shape; `privaudit validate
//! --state` checks them against the profile.

// The types are never built: they exist to be described.
#![allow(dead_code)]

use crate::profile::schema::{ID_MAX_LENGTH, ID_PATTERN, Id, TomlDate, input_schema};
use schemars::{JsonSchema, Schema};
use std::collections::BTreeMap;

/// The `$id` of the state schema: a name, not an address (nothing is fetched from it).
pub const STATE_SCHEMA_ID: &str = "urn:privaudit:schema:state";

/// The JSON Schema (draft 2020-12) of an account-state TOML file, as editors read it.
pub fn state_schema() -> Schema {
    input_schema::<StateFile>(STATE_SCHEMA_ID, "privaudit account state")
}

/// What an account is set to, and the findings its owner chose to keep. Settings not
/// listed are at the app's default.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct StateFile {
    /// The id of the app (its profile) the state is for, such as "wechat-read".
    app: Id,
    /// What each changed setting is set to: setting id = option id, such as
    /// reading-info-to-friends = "off".
    #[schemars(extend("propertyNames" = { "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH }))]
    settings: Option<BTreeMap<String, Id>>,
    /// Findings kept on purpose (`[waivers.SETTING-ID]`): still reported, marked with the
    /// reason, and not failing a check until the waiver expires.
    #[schemars(extend("propertyNames" = { "pattern": ID_PATTERN, "maxLength": ID_MAX_LENGTH }))]
    waivers: Option<BTreeMap<String, WaiverTable>>,
}

/// Why a setting's finding is kept, and until when.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
struct WaiverTable {
    /// Why the finding is kept, shown with it in every report.
    reason: String,
    /// The last day the waiver counts: a TOML date, unquoted, such as 2027-06-30; after it
    /// the finding fails a check again. Never expires when left out.
    expires: Option<TomlDate>,
}
