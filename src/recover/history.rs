//! Password history (secretsdump `-history`): which entries belong to which account, and how an
//! account's current password relates to them. History entries take part in every join like any
//! hash (see [`super::recover`]); here they are linked to their owner, never judged as accounts.

use crate::input::pwdump::split_history;
use crate::rules::rotation::{self, Change};
use std::collections::BTreeMap;

/// History entries by owner (system, lower-case user): (entry number, record id), lowest first.
#[derive(Debug, Default)]
pub struct History {
    by_owner: BTreeMap<(String, String), Vec<(u32, usize)>>,
}

/// What the comparison needs of a record: its recovered plaintext.
pub struct Entry<'a> {
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
    /// (lowest number) that it equals or barely changes, with that entry's number. secretsdump
    /// leaves out the first element of Active Directory's history (the current password itself),
    /// so `_history0` is the previous password and an entry equal to the current one is reuse.
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
        entries
            .iter()
            .find_map(|&(n, id)| rotation::change(cur, entry(id).plain?).map(|c| (c, n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_entries_to_owners() {
        let recs = [
            (0, "ad", "Sato", false),
            (1, "ad", "sato_history0", true),
            (2, "ad", "sato_history1", true),
            (3, "pc", "sato_history1", true),
        ];
        let hist = History::new(recs.into_iter());
        let plains = ["Sakura2025!", "Momiji#77x", "Sakura2024!", "Sakura2025!"];
        let entry = |id: usize| Entry {
            plain: Some(plains[id]),
        };
        assert_eq!(
            hist.change("ad", "Sato", entry(0), entry),
            Some((Change::Incremented, 1))
        );
        // Another system's entries are not this account's.
        assert_eq!(hist.change("pc", "other", entry(0), entry), None);
        // No plaintext for the current password: nothing to compare.
        assert_eq!(
            hist.change("ad", "sato", Entry { plain: None }, entry),
            None
        );
    }
}
