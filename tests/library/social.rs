//! Profiles of this group: see tests/library.rs.
