//! Row ids: ULIDs, random except while the demo is built.

use crate::domain::time::Stamp;

/// A new globally unique id (ULID) stamped with `at`.
pub fn new_uid(at: Stamp) -> String {
    let random = SEEDED_UIDS
        .with_borrow_mut(|rng| rng.as_mut().map(rand::Rng::random::<u128>))
        .unwrap_or_else(rand::random);
    ulid::Ulid::from_parts(at.max(0) as u64, random).to_string()
}

thread_local! {
    /// Set while the demo station is built: its ids (and so the hash
    /// chains over them, shown on the ledger pane) come out the same for
    /// the same day, which the screen snapshots rely on.
    static SEEDED_UIDS: std::cell::RefCell<Option<rand::rngs::StdRng>> =
        const { std::cell::RefCell::new(None) };
}

/// Ids from a generator seeded with `seed` on this thread until the guard
/// is dropped. For building the demo only: a real station's ids stay random.
pub fn seeded_uids(seed: u64) -> SeededUids {
    use rand::SeedableRng;
    SEEDED_UIDS.set(Some(rand::rngs::StdRng::seed_from_u64(seed)));
    SeededUids(())
}

/// While alive, `new_uid` draws from the seeded generator (`seeded_uids`).
pub struct SeededUids(());

impl Drop for SeededUids {
    fn drop(&mut self) {
        SEEDED_UIDS.set(None);
    }
}
