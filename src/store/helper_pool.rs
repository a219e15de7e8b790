//! Every approved member's standing facts, in memory, for ranking helpers
//! without reading 100,000 rows per request. Kept current by the members'
//! revision numbers (migration 0008): each look re-reads only the members
//! changed since the last one.

use super::StoreResult;
use crate::domain::level::Level;
use crate::domain::matching::{self, Candidate, Need, Rank};
use crate::domain::time::Stamp;
use rusqlite::{Connection, params};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub(super) struct Facts {
    pub blacklisted: bool,
    pub frozen: bool,
    pub redeem_frozen_until: Option<Stamp>,
    pub level: Level,
    /// Where they live, as places in the pool's list of distinct places
    /// (a few hundred buildings for 100,000 members).
    pub community: u32,
    pub building: u32,
    pub ratings: u32,
    pub positive: u32,
    pub offers: Offers,
}

/// The service types a member offers. Ranking asks this of every member
/// for every request: ids below 64 (every catalog so far) are bits kept in
/// the member's own facts, not a list elsewhere in memory to fetch — that
/// fetch was most of a ranking's time at 100,000 members.
#[derive(Debug, Clone, Default)]
pub(super) struct Offers {
    bits: u64,
    more: Vec<i64>,
}

impl Offers {
    fn insert(&mut self, type_id: i64) {
        match u32::try_from(type_id).ok().filter(|t| *t < 64) {
            Some(t) => self.bits |= 1 << t,
            None => self.more.push(type_id),
        }
    }

    pub(super) fn contains(&self, type_id: i64) -> bool {
        match u32::try_from(type_id).ok().filter(|t| *t < 64) {
            Some(t) => self.bits & (1 << t) != 0,
            None => self.more.contains(&type_id),
        }
    }
}

impl FromIterator<i64> for Offers {
    fn from_iter<I: IntoIterator<Item = i64>>(types: I) -> Offers {
        let mut offers = Offers::default();
        for t in types {
            offers.insert(t);
        }
        offers
    }
}

#[derive(Debug, Default)]
pub struct HelperPool {
    rev: i64,
    /// Approved members, in no order; `at` finds one by id.
    members: Vec<(i64, Facts)>,
    at: HashMap<i64, usize>,
    places: HashMap<String, u32>,
}

/// The number of a distinct place (community or building text).
fn place(places: &mut HashMap<String, u32>, s: &str) -> u32 {
    if let Some(i) = places.get(s) {
        return *i;
    }
    let i = places.len() as u32;
    places.insert(s.to_string(), i);
    i
}

const REFRESH_SELECT_MEMBERS: &str = "SELECT id, rev, status = 'approved', blacklisted_at IS NOT NULL, frozen = 1, redeem_frozen_until, level,
                    community, building, stat_ratings, stat_positive
             FROM members WHERE rev > ?1 ORDER BY rev";

const REFRESH_SELECT_MEMBER_SERVICES: &str =
    "SELECT type_id FROM member_services WHERE member_id = ?1 AND role = 'offer'";

impl HelperPool {
    /// Re-read the members changed since the last look.
    pub(super) fn refresh(&mut self, conn: &Connection) -> StoreResult<()> {
        let mut stmt = conn.prepare_cached(REFRESH_SELECT_MEMBERS)?;
        let mut changed = Vec::new();
        let mut rows = stmt.query(params![self.rev])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            self.rev = self.rev.max(r.get(1)?);
            if !r.get::<_, bool>(2)? {
                self.remove(id);
                continue;
            }
            let community = place(&mut self.places, r.get_ref(7)?.as_str().unwrap_or(""));
            let building = place(&mut self.places, r.get_ref(8)?.as_str().unwrap_or(""));
            self.put(
                id,
                Facts {
                    blacklisted: r.get(3)?,
                    frozen: r.get(4)?,
                    redeem_frozen_until: r.get(5)?,
                    level: Level::parse(&r.get::<_, String>(6)?).unwrap_or(Level::Ordinary),
                    community,
                    building,
                    ratings: r.get(9)?,
                    positive: r.get(10)?,
                    offers: Offers::default(),
                },
            );
            changed.push(id);
        }
        if changed.is_empty() {
            return Ok(());
        }
        // the services offered: all at once on the first look, else per member
        if changed.len() > 1000 {
            let mut stmt = conn.prepare_cached(
                "SELECT member_id, type_id FROM member_services WHERE role = 'offer'",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                if let Some(f) = self.get_mut(r.get(0)?) {
                    f.offers.insert(r.get(1)?);
                }
            }
        } else {
            let mut stmt = conn.prepare_cached(REFRESH_SELECT_MEMBER_SERVICES)?;
            for id in changed {
                let offers: Offers = stmt
                    .query_map([id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                if let Some(f) = self.get_mut(id) {
                    f.offers = offers;
                }
            }
        }
        Ok(())
    }

    fn put(&mut self, id: i64, f: Facts) {
        match self.at.get(&id) {
            Some(i) => self.members[*i].1 = f,
            None => {
                self.at.insert(id, self.members.len());
                self.members.push((id, f));
            }
        }
    }

    fn remove(&mut self, id: i64) {
        if let Some(i) = self.at.remove(&id) {
            self.members.swap_remove(i);
            if let Some((moved, _)) = self.members.get(i) {
                self.at.insert(*moved, i);
            }
        }
    }

    fn get_mut(&mut self, id: i64) -> Option<&mut Facts> {
        let i = *self.at.get(&id)?;
        Some(&mut self.members[i].1)
    }

    /// Where a member stands in [`HelperPool::candidates`].
    pub(super) fn position(&self, id: i64) -> Option<usize> {
        self.at.get(&id).copied()
    }

    /// The `n` best eligible helpers, best first, with the recent facts
    /// (by pool position: services in 30 days, declined, booked) applied.
    /// One pass with a bounded heap: no list of every member is built.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn best(
        &self,
        need: &Need,
        type_id: i64,
        building: &str,
        community: &str,
        recent: &[(u32, bool, bool)],
        now: Stamp,
        n: usize,
    ) -> Vec<(Candidate, Rank)> {
        // a place nobody in the pool lives at matches nobody
        let building = self
            .places
            .get(building)
            .copied()
            .filter(|_| !building.is_empty());
        let community = self.places.get(community).copied();
        let mut heap: BinaryHeap<Reverse<(Rank, Reverse<i64>, usize)>> =
            BinaryHeap::with_capacity(n + 1);
        for (i, (id, f)) in self.members.iter().enumerate() {
            let (load, declined, booked) = recent.get(i).copied().unwrap_or_default();
            let c = Candidate {
                member_id: *id,
                approved: true,
                blacklisted: f.blacklisted,
                frozen: f.frozen || f.redeem_frozen_until.is_some_and(|u| u > now),
                level: f.level,
                skill: f.offers.contains(type_id),
                same_building: building == Some(f.building),
                same_community: community == Some(f.community),
                ratings: f.ratings,
                positive: f.positive,
                services_30d: load,
                declined_recently: declined,
                booked,
            };
            if !matching::eligible(&c, need) {
                continue;
            }
            let key = (matching::rank(&c), Reverse(*id), i);
            // most members are not among the best: one comparison each
            if heap.len() == n && heap.peek().is_some_and(|Reverse(low)| key <= *low) {
                continue;
            }
            heap.push(Reverse(key));
            if heap.len() > n {
                heap.pop();
            }
        }
        let mut top: Vec<_> = heap.into_iter().map(|Reverse(x)| x).collect();
        top.sort_by(|a, b| b.cmp(a));
        top.into_iter()
            .map(|(rank, _, i)| {
                let (id, f) = &self.members[i];
                let (load, declined, booked) = recent.get(i).copied().unwrap_or_default();
                let c = Candidate {
                    member_id: *id,
                    approved: true,
                    blacklisted: f.blacklisted,
                    frozen: false,
                    level: f.level,
                    skill: f.offers.contains(type_id),
                    same_building: building == Some(f.building),
                    same_community: community == Some(f.community),
                    ratings: f.ratings,
                    positive: f.positive,
                    services_30d: load,
                    declined_recently: declined,
                    booked,
                };
                (c, rank)
            })
            .collect()
    }

    pub(super) fn len(&self) -> usize {
        self.members.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Offers;

    #[test]
    fn offers_hold_any_type_id() {
        let offers: Offers = [1, 7, 63, 64, 1000, -2].into_iter().collect();
        for t in [1, 7, 63, 64, 1000, -2] {
            assert!(offers.contains(t), "{t}");
        }
        for t in [0, 2, 62, 65, 999, -1, i64::MAX, i64::MIN] {
            assert!(!offers.contains(t), "{t}");
        }
        assert!(!Offers::default().contains(1));
    }
}
