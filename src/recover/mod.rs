//! Recovery of plaintexts (audit-sized, not a cracker): pot files, wordlists, per-account context.

pub mod wordlists;
