//! The recover stage: the accounts' credentials handed to [`crate::recover`] (wordlists, context
//! words, pot files, LM halves) and each account's record completed with what it established.

use super::{Acc, AuditOptions, Progress};
use crate::model::{PotFile, SkipReason};
use crate::recover::{self, wordlists::Wordlists};

/// The accounts, each with the plaintext recovery established ([`Acc::found`]) and the salted
/// work spent on it ([`Acc::salted`]), and the counts of the whole run.
pub(super) struct Recovered {
    pub accounts: Vec<Acc>,
    pub stats: recover::Stats,
}

/// One target per credential (history entries and disabled accounts take part in the joins;
/// machine accounts and service secrets do not), one outcome per target. The targets borrow the
/// accounts' names, hashes and given plaintexts (moved, not copied) and give them back.
pub(super) fn recover(
    mut accounts: Vec<Acc>,
    pots: &[PotFile],
    lists: &Wordlists,
    context_words: &[String],
    opts: &AuditOptions,
    progress: Progress<'_>,
) -> Recovered {
    let targets: Vec<recover::Target> = accounts
        .iter_mut()
        .enumerate()
        .filter(|(_, a)| {
            matches!(
                a.raw.skip,
                None | Some(SkipReason::History) | Some(SkipReason::Disabled)
            )
        })
        .filter(|(_, a)| a.raw.hash.is_some() || a.raw.plaintext().is_some())
        .map(|(i, a)| {
            let rare = a.raw.rare.as_deref_mut();
            let (lm, given) = rare.map_or((None, None), |r| (r.lm.take(), r.plaintext.take()));
            recover::Target {
                id: i,
                account: std::mem::take(&mut a.raw.name),
                hash: a.raw.hash.take(),
                lm,
                given,
                salted_work: a.raw.skip.is_none(),
            }
        })
        .collect();
    let (outcomes, stats) = recover::recover(
        &targets,
        pots,
        lists,
        &recover::Options {
            context_words: context_words.to_vec(),
            salted_budget: opts.salted_budget,
            salted_total: opts.salted_total,
        },
        progress,
    );
    for t in targets {
        let a = &mut accounts[t.id].raw;
        a.name = t.account;
        a.hash = t.hash;
        if t.lm.is_some() || t.given.is_some() {
            let r = a.rare.get_or_insert_with(Box::default);
            r.lm = t.lm;
            r.plaintext = t.given;
        }
    }
    for o in outcomes {
        let a = &mut accounts[o.id];
        a.found = o.found;
        a.salted = o.salted.map(Box::new);
    }
    Recovered { accounts, stats }
}
