//! The text reports of the fixtures, byte for byte, against files kept in `src/report/testdata`.
//!
//! The files were written by the renderers that built every table in memory before writing it;
//! the streaming renderers must keep producing exactly these bytes. After an intended change of
//! the output, rewrite them with `KENSA_BLESS=1 cargo test --lib report::golden` and review the diff.

use super::{fixture, write_to, Lang, ReportFormat};
use crate::model::evidence::{AccountEvidence, AccountStatus, Completeness, Evidence, Part, Run};
use std::path::PathBuf;

/// The fixture variants: name and evidence.
fn variants() -> Vec<(&'static str, Evidence)> {
    let complete = fixture::sample(true);

    // Incomplete, with the facts of a run and password-history entries (counted, not listed).
    let mut incomplete = fixture::sample(false);
    incomplete.run = Some(Run {
        started_at: "2026-11-24T09:00:00+09:00".into(),
        duration_ms: 1234,
        breach_requests: 3,
        breach_cache_hits: 1,
        checked_on_days_before_run: Some(45),
        reports: Vec::new(),
    });
    let skipped: AccountEvidence = incomplete
        .accounts
        .iter()
        .find(|a| a.status == AccountStatus::Skipped)
        .expect("the sample has a skipped account")
        .clone();
    let history = |system: &str, n: usize| {
        let mut a = skipped.clone();
        a.system = system.into();
        a.account = format!("yoshida_history{n}");
        a.source = format!("{system}-ntds.txt:{}", 10 + n);
        a.skip_reason = Some(crate::model::SkipReason::History);
        a
    };
    let extra = [history("ad01", 0), history("ad01", 1), history("rt01", 0)];
    incomplete.accounts.extend(extra);

    // Nothing to list: every section says so.
    let mut empty = fixture::sample(true);
    empty.facility.clear();
    empty.checklists.clear();
    empty.vendor_checklists.clear();
    empty.systems.clear();
    empty.accounts.clear();
    empty.reuse_groups.clear();
    empty.policies.clear();
    empty.advisories.clear();
    empty.input_errors.clear();
    empty.inputs.clear();
    empty.recovery.recovered.clear();
    empty.completeness = Some(Completeness {
        inputs: Part::complete(),
        recovery: Part::complete(),
        breach_check: Part::complete(),
    });

    // Only skipped accounts, all of them password history: the skipped table is left out.
    let mut only_history = empty.clone();
    only_history.accounts = vec![history("ad01", 0), history("ad01", 1)];

    // A bundle for one vendor with masked names, as `--vendor` and `--mask-accounts` write it.
    let mut shared = crate::engine::share::for_vendor(&complete, "MedNet Systems")
        .expect("the sample has this vendor");
    crate::engine::share::mask_accounts(&mut shared);

    vec![
        ("complete", complete),
        ("shared", shared),
        ("incomplete", incomplete),
        ("empty", empty),
        ("only-history", only_history),
    ]
}

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/report/testdata")
}

#[test]
fn text_reports_match_the_kept_files() {
    let bless = std::env::var_os("KENSA_BLESS").is_some_and(|v| v == "1");
    let mut mismatches = Vec::new();
    for (name, ev) in variants() {
        for format in ReportFormat::ALL.into_iter().filter(|f| f.is_text()) {
            let langs: &[Lang] = match format {
                ReportFormat::Md | ReportFormat::Html => &[Lang::Ja, Lang::En],
                // Language-neutral.
                _ => &[Lang::Ja],
            };
            for &lang in langs {
                let file = match format {
                    ReportFormat::Md | ReportFormat::Html => {
                        format!("{name}.{}.{}", lang.tag(), format.name())
                    }
                    _ => format!("{name}.{}", format.name()),
                };
                let mut streamed = Vec::new();
                write_to(&ev, format, lang, &mut streamed).unwrap();
                assert_eq!(
                    streamed,
                    super::render(&ev, format, lang).into_bytes(),
                    "{file}: written and rendered differ"
                );
                let path = testdata().join(&file);
                if bless {
                    std::fs::create_dir_all(testdata()).unwrap();
                    std::fs::write(&path, &streamed).unwrap();
                    continue;
                }
                let kept =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                if kept != streamed {
                    let line = kept
                        .split(|&b| b == b'\n')
                        .zip(streamed.split(|&b| b == b'\n'))
                        .position(|(a, b)| a != b)
                        .map_or_else(|| "the end".to_string(), |i| format!("line {}", i + 1));
                    mismatches.push(format!("{file}: differs at {line}"));
                }
            }
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}
