//! Rules: small functions over facts and the project index that produce diagnostics.
//!
//! Rules never touch syntax trees: everything they read is in `facts` or `project`.

pub mod imp;
pub mod registry;

pub use registry::{rule, RuleMeta, RULES};
