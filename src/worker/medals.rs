//! Requests of the medals view in the hub pane (pane 0): the proposals,
//! the station master's award, the year's stories and their document.

use super::DbRequest;
use crate::domain::medal::MedalKind;
use crate::domain::staff::Session;
use crate::domain::time::Stamp;
use crate::store::medals::{MedalRow, NewMedal, Proposal, YearStories};
use crate::store::{Store, StoreResult};
use chrono::NaiveDate;

/// The proposals of both medals for a day: the warm neighbours of the
/// month before, the honest merchants of the year.
#[derive(Debug)]
pub struct ListProposals {
    pub day: NaiveDate,
}

impl DbRequest for ListProposals {
    type Reply = Vec<Proposal>;
    fn run(self, store: &mut Store) -> StoreResult<Vec<Proposal>> {
        let mut out = Vec::new();
        for kind in MedalKind::ALL {
            out.extend(store.medal_proposals(kind, self.day)?);
        }
        Ok(out)
    }
}

/// The station master awards a medal.
#[derive(Debug)]
pub struct AwardMedal {
    pub by: Session,
    pub medal: NewMedal,
    pub at: Stamp,
}

impl DbRequest for AwardMedal {
    type Reply = MedalRow;
    fn run(self, store: &mut Store) -> StoreResult<MedalRow> {
        store.award_medal(&self.by, &self.medal, self.at)
    }
}

/// The year's stories, to read at the desk.
#[derive(Debug)]
pub struct ReadStories {
    pub year: i32,
}

impl DbRequest for ReadStories {
    type Reply = YearStories;
    fn run(self, store: &mut Store) -> StoreResult<YearStories> {
        store.year_stories(self.year)
    }
}
