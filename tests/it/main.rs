//! kensa's integration tests: one binary, one module per area, one support module.
//!
//! `support` runs the real binary and reads its evidence.json as the typed `Evidence`; the
//! modules below it test an area each, end to end or against the library's public API.

mod support;

mod breach_download;
mod breach_offline;
mod breach_online;
mod cli;
mod cli_polish;
mod completeness;
mod editions;
mod export_hashcat;
mod field_facility;
mod field_inputs;
mod hashes;
mod integrity;
mod jobs;
mod language;
mod print;
mod recovery;
mod rules_hashcat;
mod share;
mod sheets;
mod snapshot;
mod windows;
mod worklist;
