//! privaudit: audit an app's privacy settings against what courts have ruled about
//! defaults.
//!
//! One pure engine ([`audit`]) judges a [`profile::Profile`] (facts about an app's
//! settings) with an account [`state`]; the command line ([`commands`]) and the report
//! formats ([`report`]) are views of its findings.

pub mod audit;
pub mod batch;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod date;
pub mod diag;
pub mod evidence;
pub mod i18n;
pub mod outcome;
pub mod profile;
pub mod project;
pub mod registry;
pub mod report;
pub mod source;
pub mod state;
pub mod text;
pub mod tui;
pub mod vocab;
