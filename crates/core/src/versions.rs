//! Versions: a trainee may hand in the same inspection several times; the
//! newest version of each (trainee, structure) is the one that counts on
//! the dashboard, in the class statistics and in the results.

use std::collections::BTreeMap;

/// The newest item for each key, by version number; a later item wins a
/// tie. Keys come back sorted.
///
/// ```
/// use voussoir_core::versions::latest_by;
/// // (trainee, structure, version)
/// let handed_in = [(1, "P", 1), (1, "P", 2), (2, "P", 1)];
/// let latest = latest_by(&handed_in, |item| (item.0, item.1), |item| item.2);
/// assert_eq!(latest[&(1, "P")].2, 2);
/// assert_eq!(latest.len(), 2);
/// ```
pub fn latest_by<'a, T, K: Ord>(
    items: &'a [T],
    key: impl Fn(&T) -> K,
    version: impl Fn(&T) -> i64,
) -> BTreeMap<K, &'a T> {
    let mut latest: BTreeMap<K, &'a T> = BTreeMap::new();
    for item in items {
        let entry = latest.entry(key(item)).or_insert(item);
        if version(item) >= version(entry) {
            *entry = item;
        }
    }
    latest
}

#[cfg(test)]
mod tests {
    use super::latest_by;

    #[test]
    fn the_highest_version_wins_whatever_the_order() {
        let items = [("alice", 2), ("alice", 3), ("alice", 1), ("bob", 1)];
        let latest = latest_by(&items, |item| item.0, |item| item.1);
        assert_eq!(latest["alice"].1, 3);
        assert_eq!(latest["bob"].1, 1);
    }

    #[test]
    fn nothing_in_gives_nothing_out() {
        let items: [(u8, i64); 0] = [];
        assert!(latest_by(&items, |item| item.0, |item| item.1).is_empty());
    }
}
