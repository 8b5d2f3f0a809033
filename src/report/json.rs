//! evidence.json: the machine-readable evidence (contract §3), pretty-printed and deterministic.

use crate::model::evidence::Evidence;
use serde::Serialize;
use std::io::{self, Write};

/// Renders the evidence as pretty JSON (keys in struct order) with a trailing newline.
pub fn render(ev: &Evidence) -> String {
    let mut out = Vec::new();
    // Serialising plain structs of strings and numbers into memory cannot fail.
    write(ev, &mut out).expect("evidence serialises to JSON");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes `value` as pretty JSON (two-space indent, keys in struct order) and a trailing newline:
/// the bytes of [`render`] for the evidence, streamed.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The end of evidence.json from its `run` object on, as [`write`] writes it when `run` is the
/// last key: `,\n  "run": {…}\n}\n`. The pretty form of `run` alone, one level deeper (a JSON
/// string never holds a raw newline, so every newline is one of the layout's).
pub fn run_tail(run: &crate::model::evidence::Run) -> io::Result<String> {
    let pretty = serde_json::to_string_pretty(run)?;
    Ok(format!(
        ",\n  \"run\": {}\n}}\n",
        pretty.replace('\n', "\n  ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn pretty_deterministic_struct_order_with_newline() {
        let ev = fixture::sample(true);
        let a = render(&ev);
        assert_eq!(a, render(&ev.clone()));
        assert!(a.ends_with("}\n") && !a.ends_with("\n\n"));
        assert!(a.starts_with("{\n  \"schema\": \"kensa/evidence/1\",\n  \"tool\": {"));
        let order = [
            "\"schema\"",
            "\"facility\"",
            "\"items\"",
            "\"checklists\"",
            "\"accounts\"",
            "\"breach_check\"",
        ];
        let pos: Vec<usize> = order.iter().map(|k| a.find(k).unwrap()).collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{pos:?}");
        assert!(!a.contains("\"run\""));
        let v: serde_json::Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["items"][0]["answer"], "no");
        assert_eq!(v["accounts"][2]["findings"][0]["code"], "TOO_SHORT");
        assert_eq!(v["complete"], true);
    }

    #[test]
    fn run_is_the_only_varying_part() {
        let mut ev = fixture::sample(false);
        let without = render(&ev);
        ev.run = Some(crate::model::evidence::Run {
            started_at: "2026-11-24T09:00:00+09:00".into(),
            duration_ms: 1234,
            breach_requests: 3,
            breach_cache_hits: 1,
            checked_on_days_before_run: None,
            reports: Vec::new(),
        });
        let with = render(&ev);
        let v: serde_json::Value = serde_json::from_str(&with).unwrap();
        assert_eq!(v["run"]["duration_ms"], 1234);
        // The same document with `run` appended as the last key.
        let stem = without.strip_suffix("\n}\n").unwrap();
        assert!(with.starts_with(stem));
        assert!(with[stem.len()..].starts_with(",\n  \"run\": {"));
    }
}
