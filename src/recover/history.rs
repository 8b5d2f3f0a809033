//! Password history (secretsdump `-history`): which entries belong to which account, and how an
//! account's current password relates to them. History entries take part in every join like any
//! hash (see [`super::recover`]); here they are linked to their owner, never judged as accounts.

use crate::input::pwdump::split_history;
use crate::model::HashValue;
use crate::rules::rotation::{self, Change};
use std::collections::BTreeMap;

/// History entries by owner (system, lower-case user): (entry number, record id), lowest first.
#[derive(Debug, Default)]
pub struct History {
    by_owner: BTreeMap<(String, String), Vec<(u32, usize)>>,
}

/// What the comparison needs of a record: its stored hash and its recovered plaintext.
pub struct Entry<'a> {
    pub hash: Option<&'a HashValue>,
    pub plain: Option<&'a str>,
}

impl History {
    /// From `(record id, system, user, is a history entry)` for every record.
    pub fn new<'a>(records: impl Iterator<Item = (usize, &'a str, &'a str, bool)>) -> Self {
        let mut by_owner: BTreeMap<(String, String), Vec<(u32, usize)>> = BTreeMap::new();
        for (id, system, user, is_history) in records {
            if !is_history {
                continue;
            }
            if let Some((base, n)) = split_history(user) {
                by_owner
                    .entry((system.to_string(), base.to_lowercase()))
                    .or_default()
                    .push((n, id));
            }
        }
        for v in by_owner.values_mut() {
            v.sort();
        }
        History { by_owner }
    }

    /// How the current password of `user` on `system` relates to its history: the first entry
    /// (lowest number) that it equals or barely changes, with that entry's number. Active
    /// Directory's history starts with the current password itself, so an entry 0 holding the
    /// current hash is skipped.
    pub fn change<'a>(
        &self,
        system: &str,
        user: &str,
        current: Entry<'a>,
        entry: impl Fn(usize) -> Entry<'a>,
    ) -> Option<(Change, u32)> {
        let cur = current.plain?;
        let entries = self
            .by_owner
            .get(&(system.to_string(), user.to_lowercase()))?;
        entries.iter().find_map(|&(n, id)| {
            let e = entry(id);
            if n == 0 && e.hash.is_some() && e.hash == current.hash {
                return None;
            }
            rotation::change(cur, e.plain?).map(|c| (c, n))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scheme, Secret};

    #[test]
    fn links_entries_to_owners_and_skips_the_current_one() {
        let h = |s: &str| HashValue {
            scheme: Scheme::Nt,
            text: Secret::new(s),
        };
        let (cur, e0, e1) = (h("aa"), h("aa"), h("bb"));
        let recs = [
            (0, "ad", "Sato", false),
            (1, "ad", "sato_history0", true),
            (2, "ad", "sato_history1", true),
            (3, "pc", "sato_history1", true),
        ];
        let hist = History::new(recs.into_iter());
        let plains = ["Sakura2025!", "Sakura2025!", "Sakura2024!", "Sakura2025!"];
        let hashes = [&cur, &e0, &e1, &e1];
        let entry = |id: usize| Entry {
            hash: Some(hashes[id]),
            plain: Some(plains[id]),
        };
        assert_eq!(
            hist.change("ad", "Sato", entry(0), entry),
            Some((Change::Incremented, 1))
        );
        // Another system's entries are not this account's.
        assert_eq!(hist.change("pc", "other", entry(0), entry), None);
        // No plaintext for the current password: nothing to compare.
        let none = Entry {
            hash: Some(&cur),
            plain: None,
        };
        assert_eq!(hist.change("ad", "sato", none, entry), None);
    }
}
