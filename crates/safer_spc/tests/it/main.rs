//! The SPC engine's tests: published reference results, rule edge cases, meaning, phases,
//! narrative and properties.

mod narrative;
mod phases;
mod properties;
mod reference;
mod rules;
mod support;
