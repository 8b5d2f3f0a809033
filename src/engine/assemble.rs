//! The assemble stage: the checklist answers (by [`crate::rules::answer`]), the per-system
//! summaries and the counts, put together with the other stages' results into one [`Evidence`].

use super::judge::Judged;
use super::read::Context;
use super::{source_key, AuditOptions};
use crate::model::evidence::*;
use crate::model::tags::{
    BreachCheckStatus, BreachMode, DateSource, Method, PartReason, PartStatus, PolicyStatus,
};
use crate::model::{InputError, ManagedBy, Scheme};
use crate::recover;
use crate::rules::answer::{self, AnswerContext};
use std::collections::{BTreeMap, BTreeSet};

/// What the stages before made, for [`assemble`].
pub(super) struct Parts {
    pub ctx: Context,
    pub manifest_file: Option<FileRef>,
    pub input_paths: Vec<FileRef>,
    pub judged: Judged,
    /// The input errors of every stage, in any order.
    pub errors: Vec<InputError>,
    pub inputs: Vec<InputSummary>,
    pub breach_check: BreachCheck,
    pub stats: recover::Stats,
}

/// The evidence of the audit.
pub(super) fn assemble(parts: Parts, opts: &AuditOptions) -> Evidence {
    let Parts {
        ctx,
        manifest_file,
        input_paths,
        judged,
        mut errors,
        inputs,
        breach_check,
        stats,
    } = parts;
    let Context {
        m,
        checked_on,
        target_date,
        systems,
        unread,
        ..
    } = ctx;
    let Judged {
        effective,
        accounts: evid,
        reuse_groups,
        policies,
        advisories,
    } = judged;
    // Answers, overall and split by who answers.
    let ed = super::judge::edition_in_force(opts, &m);
    let edition = ed.id.clone();
    let cx = AnswerContext {
        edition: ed,
        checked_on: &checked_on,
        target_date: &target_date,
        lang: opts.lang,
    };
    let all: BTreeSet<&str> = systems.keys().map(|s| s.as_str()).collect();
    let items = answer::answer_items(&all, &evid, &policies, &reuse_groups, &unread, &cx);
    let mut checklists = Vec::new();
    for mb in [ManagedBy::Institution, ManagedBy::Vendor] {
        // The evidence names each list as the MHLW form does.
        let title = crate::words::checklist_title(crate::words::Lang::Ja, mb);
        let scope: BTreeSet<&str> = systems
            .iter()
            .filter(|(_, s)| s.def.managed_by == mb)
            .map(|(id, _)| id.as_str())
            .collect();
        if scope.is_empty() {
            continue;
        }
        checklists.push(Checklist {
            managed_by: mb,
            title: title.into(),
            vendor: None,
            systems: scope.iter().map(|s| s.to_string()).collect(),
            items: answer::answer_items(&scope, &evid, &policies, &reuse_groups, &unread, &cx),
        });
    }
    // One 事業者確認用 per vendor, so each vendor can hand over its own; the systems whose vendor
    // is not named form one list after the named ones (the CLI warns of them).
    let mut by_vendor: BTreeMap<(bool, Option<&str>), BTreeSet<&str>> = BTreeMap::new();
    for (id, s) in systems
        .iter()
        .filter(|(_, s)| s.def.managed_by == ManagedBy::Vendor)
    {
        let vendor = s.def.vendor.as_deref().filter(|v| !v.trim().is_empty());
        by_vendor
            .entry((vendor.is_none(), vendor))
            .or_default()
            .insert(id.as_str());
    }
    let vendor_checklists = by_vendor
        .into_iter()
        .map(|((_, vendor), scope)| Checklist {
            managed_by: ManagedBy::Vendor,
            title: crate::words::checklist_title(crate::words::Lang::Ja, ManagedBy::Vendor).into(),
            vendor: vendor.map(String::from),
            systems: scope.iter().map(|s| s.to_string()).collect(),
            items: answer::answer_items(&scope, &evid, &policies, &reuse_groups, &unread, &cx),
        })
        .collect();

    let system_summaries = systems
        .iter()
        .map(|(id, s)| {
            let mine: Vec<&AccountEvidence> = evid.iter().filter(|a| *a.system == **id).collect();
            let count = |st| mine.iter().filter(|a| a.status == st).count();
            SystemSummary {
                id: id.clone(),
                name: s.def.name.clone(),
                kind: s.def.kind,
                managed_by: s.def.managed_by,
                vendor: s.def.vendor.clone(),
                mfa: effective[id].mfa,
                accounts: mine.len(),
                failing: count(AccountStatus::Fail),
                unverified: count(AccountStatus::Unverified),
                passing: count(AccountStatus::Pass),
                skipped: count(AccountStatus::Skipped),
                policy: policies
                    .iter()
                    .find(|p| &p.system == id)
                    .map_or(PolicyStatus::None, |p| p.status),
                // The system's own due date, else the facility's (as the answers carry it).
                target_date: Some(
                    s.def
                        .target_date
                        .clone()
                        .unwrap_or_else(|| target_date.clone()),
                ),
            }
        })
        .collect();

    let recovered = recovered_counts(&evid);
    errors.sort_by(|a, b| {
        source_key(&a.source)
            .cmp(&source_key(&b.source))
            .then(a.message.cmp(&b.message))
    });
    let completeness = completeness(&errors, &evid, &stats, &breach_check);
    let checked_on_source = Some(if opts.check_date.is_some() {
        DateSource::CheckDateOption
    } else if m.checked_on.is_some() {
        DateSource::Manifest
    } else {
        DateSource::Today
    });
    Evidence {
        schema: SCHEMA.into(),
        tool: Tool {
            name: "kensa".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        edition,
        facility: m.facility.clone(),
        checked_on,
        checked_on_source,
        complete: errors.is_empty(),
        items,
        checklists,
        vendor_checklists,
        systems: system_summaries,
        accounts: evid,
        reuse_groups,
        policies,
        advisories,
        input_errors: errors,
        inputs,
        recovery: Recovery {
            recovered,
            candidates_unsalted: stats.candidates_unsalted,
            salted_hashes: stats.salted_hashes,
            salted_budget: opts.salted_budget,
            salted_verifications: stats.salted_verifications,
            salted_total: opts.salted_total,
            salted_units: stats.salted_units,
            cross_verifications: stats.cross_verifications,
            potfile_lines_matched: stats.potfile_lines_matched,
            potfile_lines_rejected: stats.potfile_lines_rejected,
            potfile_lines_skipped: stats.potfile_lines_skipped,
        },
        breach_check,
        // `MHLW R7 2-7/2-8, kensa rules 1` (the id of the edition in force).
        rules: format!("MHLW {} 2-7/2-8, kensa rules 1", ed.id),
        manifest: manifest_file,
        input_paths,
        // Set by the caller, which holds the earlier evidence.
        baseline: None,
        completeness: Some(completeness),
        edition_rules: Some(ed.to_evidence()),
        // Set by the caller when it writes a bundle or masks names.
        scope: None,
        masked_accounts: false,
        run: None,
    }
}

/// How far each part got. The inputs are incomplete when any input error is not a failed breach
/// lookup (those belong to the breach check); recovery is incomplete when some salted hash still
/// unrecovered was not tried with every candidate; the breach check was not performed under
/// `--hibp off` or when nothing could be looked up.
fn completeness(
    errors: &[InputError],
    accounts: &[AccountEvidence],
    stats: &recover::Stats,
    breach: &BreachCheck,
) -> Completeness {
    let input_errors: Vec<&InputError> = errors
        .iter()
        .filter(|e| !super::is_breach_error(e))
        .collect();
    let inputs = if input_errors.is_empty() {
        Part::complete()
    } else {
        let files: BTreeSet<&str> = input_errors
            .iter()
            .map(|e| source_key(&e.source).0)
            .collect();
        Part {
            files: files.into_iter().map(String::from).collect(),
            ..Part::because(
                PartStatus::Incomplete,
                PartReason::InputErrors,
                Some(input_errors.len() as u64),
            )
        }
    };

    let audited = || {
        accounts
            .iter()
            .filter(|a| a.status != AccountStatus::Skipped)
    };
    let tried = stats.candidates_unsalted > 0
        || stats.salted_verifications > 0
        || stats.cross_verifications > 0
        || stats.potfile_lines_matched + stats.potfile_lines_rejected + stats.potfile_lines_skipped
            > 0;
    // Salted hashes still unknown that did not meet every candidate: cut short by the budget,
    // or never tried at all.
    let short: Vec<&SaltedWork> = audited()
        .filter(|a| !a.plaintext_known)
        .filter_map(|a| a.salted.as_deref())
        .filter(|w| !w.complete)
        .collect();
    let recovery = if !audited().any(|a| a.scheme != Scheme::Plaintext) {
        Part::because(PartStatus::NotPerformed, PartReason::NoHashes, None)
    } else if !tried {
        Part::because(PartStatus::NotPerformed, PartReason::NoCandidates, None)
    } else if short.is_empty() {
        Part::complete()
    } else {
        let reason = if short.iter().any(|w| w.skipped.is_none()) {
            PartReason::SaltedBudgetExhausted
        } else {
            PartReason::SaltedHashesNotTried
        };
        Part::because(PartStatus::Incomplete, reason, Some(short.len() as u64))
    };

    let breach_check = match (breach.mode, breach.status) {
        (BreachMode::Off, _) => Part::because(PartStatus::NotPerformed, PartReason::HibpOff, None),
        (_, BreachCheckStatus::Incomplete) => Part::because(
            PartStatus::Incomplete,
            PartReason::LookupsFailed,
            Some(breach.errors as u64),
        ),
        _ if breach.lookups == 0 => {
            Part::because(PartStatus::NotPerformed, PartReason::NoLookups, None)
        }
        _ => Part::complete(),
    };
    Completeness {
        inputs,
        recovery,
        breach_check,
    }
}

/// How many accounts each method recovered, counted from the rows (every known plaintext's row
/// names its method): for the whole audit, and again for a vendor's bundle.
pub(crate) fn recovered_counts(accounts: &[AccountEvidence]) -> BTreeMap<Method, usize> {
    let mut recovered: BTreeMap<Method, usize> = BTreeMap::new();
    for m in accounts.iter().filter_map(|a| a.recovered_by) {
        *recovered.entry(m).or_default() += 1;
    }
    recovered
}
