//! kensa — audits passwords and credential policies for the MHLW cybersecurity checklist
//! (令和7年度版 items 2-⑦ password strength and 2-⑧ no reuse).
//!
//! One audit is one pipeline of typed stages, data flowing one way ([`engine::audit`]):
//!
//! | stage | file | what it makes |
//! |---|---|---|
//! | plan | [`engine::plan`] | the manifest and the list of inputs |
//! | read | [`engine::read`] | every input read once (parsers: [`input`], one file a format) |
//! | recover | [`engine::recover`] | plaintexts from candidates and pot files ([`recover`], [`hash`]) |
//! | breach | [`engine::breach`] | one answer per account from the Pwned Passwords source ([`breach`]) |
//! | judge | [`engine::judge`] | each account's and policy's findings, reuse groups ([`rules`]) |
//! | assemble | [`engine::assemble`] | the checklist answers and the [`model::evidence::Evidence`] |
//!
//! Then [`report`] renders the one `Evidence` (json, md, html, csv, xlsx) with the words of
//! [`words`] and writes the set at once; [`cli`] is a file per subcommand over these calls, and
//! [`error`] gives every error its exit class. Every finding code ([`model::Code`]) is decided in
//! [`rules`]; the plain data the stages pass on lives in [`model`].

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
