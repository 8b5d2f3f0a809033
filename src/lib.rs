//! kensa — audits passwords and credential policies for the MHLW cybersecurity checklist
//! (令和7年度版 items 2-⑦ password strength and 2-⑧ no reuse).
//!
//! Pipeline: [`input`] parses exports → [`recover`] finds plaintexts → [`rules`] decides →
//! [`breach`] checks Pwned Passwords → [`engine`] assembles the [`model::evidence::Evidence`] →
//! [`report`] renders it.

pub mod baseline;
pub mod breach;
pub mod cli;

pub mod engine;
pub mod error;
pub mod export;
pub mod hash;
pub mod input;
pub mod manifest;
pub mod model;
pub mod recover;
pub mod report;
pub mod rules;
pub mod words;
