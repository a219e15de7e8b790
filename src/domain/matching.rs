//! Helper matching (匹配, docs/rules.md §6): who may help with a request, and in what
//! order, with the reason for each place visible to staff.

use super::level::{Level, Tier};
use crate::msg;
use crate::msg::Msg;

/// Everything the rules look at about one possible helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub member_id: i64,
    pub approved: bool,
    pub blacklisted: bool,
    pub frozen: bool,
    pub level: Level,
    /// Declared this service type among what they offer.
    pub skill: bool,
    pub same_building: bool,
    pub same_community: bool,
    pub ratings: u32,
    pub positive: u32,
    /// Services given in the last 30 days (share the load).
    pub services_30d: u32,
    /// Declined this request, or any call in the last 7 days.
    pub declined_recently: bool,
    /// Booked (a matched request or a record) at an overlapping time.
    pub booked: bool,
}

/// What the request asks of a helper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub requester: i64,
    pub tier: Tier,
    pub minutes: u32,
}

/// May this member help? ([`ineligible`] without the reason, for the
/// thousands of members ranked per request.)
pub fn eligible(c: &Candidate, n: &Need) -> bool {
    c.member_id != n.requester
        && c.approved
        && !c.blacklisted
        && !c.frozen
        && c.level.allows(n.tier)
        && c.level.max_minutes() >= n.minutes
        && !c.booked
}

/// Why a member cannot help with this request (first rule that fails);
/// `service` is the service's name in both languages (zh, en).
pub fn ineligible(c: &Candidate, n: &Need, service: (&str, &str)) -> Option<Msg> {
    if c.member_id == n.requester {
        return Some(msg!("match.is_requester"));
    }
    if !c.approved {
        return Some(msg!("match.not_approved"));
    }
    if c.blacklisted {
        return Some(msg!("match.blacklisted"));
    }
    if c.frozen {
        return Some(msg!("match.frozen"));
    }
    if !c.level.allows(n.tier) {
        return Some(
            msg!("match.level_cannot_give", level = c.level.label_key())
                .names("service", service.0, service.1),
        );
    }
    if c.level.max_minutes() < n.minutes {
        return Some(msg!(
            "match.too_long",
            level = c.level.label_key(),
            hours = c.level.max_minutes() / 60
        ));
    }
    if c.booked {
        return Some(msg!("match.booked"));
    }
    None
}

/// Where a helper stands, factor by factor, most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// Star and honor members are recommended first.
    pub starred: bool,
    /// Within that, whoever declined lately comes after the others.
    pub not_declined: bool,
    pub skill: bool,
    /// 2 same building, 1 same community, 0 elsewhere.
    pub locality: u8,
    /// Positive rate in per mille (0 without ratings).
    pub rate: u32,
    /// Fewer recent services rank higher.
    pub rested: i64,
}

pub fn rank(c: &Candidate) -> Rank {
    Rank {
        starred: c.level >= Level::Star,
        not_declined: !c.declined_recently,
        skill: c.skill,
        locality: if c.same_building {
            2
        } else if c.same_community {
            1
        } else {
            0
        },
        rate: (c.positive * 1000).checked_div(c.ratings).unwrap_or(0),
        rested: -i64::from(c.services_30d),
    }
}

/// The eligible helpers, best first.
pub fn ranked(cands: Vec<Candidate>, n: &Need) -> Vec<(Candidate, Rank)> {
    let mut v: Vec<(Candidate, Rank)> = cands
        .into_iter()
        .filter(|c| ineligible(c, n, ("", "")).is_none())
        .map(|c| {
            let r = rank(&c);
            (c, r)
        })
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.member_id.cmp(&b.0.member_id)));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64) -> Candidate {
        Candidate {
            member_id: id,
            approved: true,
            blacklisted: false,
            frozen: false,
            level: Level::Ordinary,
            skill: false,
            same_building: false,
            same_community: true,
            ratings: 10,
            positive: 9,
            services_30d: 3,
            declined_recently: false,
            booked: false,
        }
    }

    #[test]
    fn eligible_agrees_with_the_reasons() {
        for mask in 0u32..64 {
            let c = Candidate {
                member_id: if mask & 1 != 0 { 99 } else { 5 },
                approved: mask & 2 == 0,
                blacklisted: mask & 4 != 0,
                frozen: mask & 8 != 0,
                booked: mask & 16 != 0,
                level: if mask & 32 != 0 {
                    Level::Star
                } else {
                    Level::Ordinary
                },
                ..c(5)
            };
            for need in [
                NEED,
                Need {
                    tier: Tier::Special,
                    minutes: 200,
                    ..NEED
                },
            ] {
                assert_eq!(
                    eligible(&c, &need),
                    ineligible(&c, &need, ("", "")).is_none(),
                    "{c:?} {need:?}"
                );
            }
        }
    }

    const NEED: Need = Need {
        requester: 99,
        tier: Tier::Basic,
        minutes: 60,
    };

    fn order(v: Vec<Candidate>) -> Vec<i64> {
        ranked(v, &NEED)
            .into_iter()
            .map(|(c, _)| c.member_id)
            .collect()
    }

    #[test]
    fn star_and_honor_first() {
        assert_eq!(
            order(vec![
                Candidate {
                    skill: true,
                    same_building: true,
                    ..c(1)
                },
                Candidate {
                    level: Level::Star,
                    ..c(2)
                }
            ]),
            vec![2, 1]
        );
        assert_eq!(
            order(vec![
                c(1),
                Candidate {
                    level: Level::Honor,
                    ..c(2)
                }
            ]),
            vec![2, 1]
        );
    }

    #[test]
    fn then_declared_skill() {
        assert_eq!(
            order(vec![
                Candidate {
                    same_building: true,
                    ..c(1)
                },
                Candidate {
                    skill: true,
                    ..c(2)
                }
            ]),
            vec![2, 1]
        );
    }

    #[test]
    fn then_same_building_then_community() {
        assert_eq!(
            order(vec![
                Candidate {
                    same_community: false,
                    ..c(1)
                },
                c(2),
                Candidate {
                    same_building: true,
                    ..c(3)
                }
            ]),
            vec![3, 2, 1]
        );
    }

    #[test]
    fn then_positive_rate() {
        assert_eq!(
            order(vec![
                Candidate {
                    positive: 8,
                    ..c(1)
                },
                c(2)
            ]),
            vec![2, 1]
        );
        // no ratings is not a perfect rate
        assert_eq!(
            order(vec![
                Candidate {
                    ratings: 0,
                    positive: 0,
                    ..c(1)
                },
                Candidate {
                    positive: 5,
                    ..c(2)
                }
            ]),
            vec![2, 1]
        );
    }

    #[test]
    fn then_fewer_recent_services() {
        assert_eq!(
            order(vec![
                Candidate {
                    services_30d: 9,
                    ..c(1)
                },
                Candidate {
                    services_30d: 1,
                    ..c(2)
                }
            ]),
            vec![2, 1]
        );
    }

    #[test]
    fn recently_declined_lower_within_the_level() {
        assert_eq!(
            order(vec![
                Candidate {
                    declined_recently: true,
                    skill: true,
                    ..c(1)
                },
                c(2)
            ]),
            vec![2, 1]
        );
        // but a star who declined still comes before ordinary members
        assert_eq!(
            order(vec![
                Candidate {
                    declined_recently: true,
                    level: Level::Star,
                    ..c(1)
                },
                c(2)
            ]),
            vec![1, 2]
        );
    }

    #[test]
    fn eligibility_says_why() {
        // Long because: one assertion per reason a helper is ineligible, read as the table of reasons.
        let key = |x: Candidate, n: Need| {
            ineligible(&x, &n, ("协助就医", "medical escort")).map(|m| m.key)
        };
        assert_eq!(key(c(99), NEED), Some("match.is_requester"));
        assert_eq!(
            key(
                Candidate {
                    approved: false,
                    ..c(1)
                },
                NEED
            ),
            Some("match.not_approved")
        );
        assert_eq!(
            key(
                Candidate {
                    blacklisted: true,
                    ..c(1)
                },
                NEED
            ),
            Some("match.blacklisted")
        );
        assert_eq!(
            key(
                Candidate {
                    frozen: true,
                    ..c(1)
                },
                NEED
            ),
            Some("match.frozen")
        );
        assert_eq!(
            key(
                c(1),
                Need {
                    tier: Tier::Special,
                    ..NEED
                }
            ),
            Some("match.level_cannot_give")
        );
        assert_eq!(
            key(
                c(1),
                Need {
                    minutes: 150,
                    ..NEED
                }
            ),
            Some("match.too_long")
        );
        assert_eq!(
            key(
                Candidate {
                    level: Level::Star,
                    ..c(1)
                },
                Need {
                    minutes: 150,
                    ..NEED
                }
            ),
            None
        );
        assert_eq!(
            key(
                Candidate {
                    booked: true,
                    ..c(1)
                },
                NEED
            ),
            Some("match.booked")
        );
        assert_eq!(
            order(vec![
                Candidate {
                    booked: true,
                    ..c(1)
                },
                c(2)
            ]),
            vec![2]
        );
    }
}
