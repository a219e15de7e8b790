//! A deceased member's points (docs/rules.md §4): an honor member's go to
//! the heir registered while they lived — a member already, or someone who
//! is not, for whom an account is opened — or to the station pool at the
//! heir's written request; anyone else's are cleared to the pool.

use crate::msg;
use crate::msg::Refusal;

/// Where the balance goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EstateTo {
    /// Cleared to the station pool.
    Pool,
    /// To the heir, who is a member (their id).
    HeirMember(i64),
    /// To an account opened for the heir, who is not a member.
    HeirAccount,
    /// To the pool, at the heir's written request.
    HeirWaives,
}

/// Where the form sends the balance: a member picked as heir, or the heir's
/// name (an account for them, or with a written request the pool), or none
/// of these (the pool).
pub fn route(heir: Option<i64>, heir_name: &str, request: &str) -> Result<EstateTo, Refusal> {
    let named = !heir_name.trim().is_empty();
    let asked = !request.trim().is_empty();
    match (heir, named, asked) {
        (Some(_), true, _) => Err(Refusal::at("heir_name", msg!("estate.heir_one_way"))),
        (Some(_), false, true) | (None, false, true) => {
            Err(Refusal::at("heir_name", msg!("estate.request_needs_name")))
        }
        (Some(h), false, false) => Ok(EstateTo::HeirMember(h)),
        (None, true, false) => Ok(EstateTo::HeirAccount),
        (None, true, true) => Ok(EstateTo::HeirWaives),
        (None, false, false) => Ok(EstateTo::Pool),
    }
}

/// The checks of a route against the deceased member: only an honor
/// member's points pass to an heir, and only to the one registered while
/// they lived (named as registered, kinship proved); an honor member's
/// registered heir decides, so their points do not go to the pool unasked.
/// (A member heir is checked by the store: they must be an approved member.)
pub fn check_route(
    to: EstateTo,
    honor: bool,
    registered: Option<&str>,
    heir_name: &str,
    kinship: &str,
) -> Result<(), Refusal> {
    let field = match to {
        EstateTo::Pool => {
            return match registered {
                Some(_) if honor => Err(Refusal::at("heir", msg!("estate.heir_decides"))),
                Some(_) | None => Ok(()),
            };
        }
        EstateTo::HeirMember(_) => "heir",
        EstateTo::HeirAccount | EstateTo::HeirWaives => "heir_name",
    };
    if !honor {
        return Err(Refusal::at(field, msg!("estate.not_honor")));
    }
    let Some(registered) = registered else {
        return Err(Refusal::at(field, msg!("estate.no_heir_registered")));
    };
    if field == "heir_name" && heir_name.trim() != registered.trim() {
        return Err(Refusal::at(
            "heir_name",
            msg!("estate.not_registered_heir", name = registered.trim()),
        ));
    }
    if kinship.trim().is_empty() {
        return Err(Refusal::at(
            "kinship_proof",
            msg!("estate.kinship_required"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(r: Result<(), Refusal>) -> (Option<&'static str>, &'static str) {
        let e = r.unwrap_err();
        (e.field, e.msg.key)
    }

    #[test]
    fn the_form_routes_by_what_is_filled_in() {
        assert_eq!(route(Some(4), "", "").unwrap(), EstateTo::HeirMember(4));
        assert_eq!(route(None, "张小明", "").unwrap(), EstateTo::HeirAccount);
        assert_eq!(
            route(None, "张小明", "申请书 07").unwrap(),
            EstateTo::HeirWaives
        );
        assert_eq!(route(None, " ", " ").unwrap(), EstateTo::Pool);
        assert_eq!(
            route(Some(4), "张小明", "").unwrap_err().field,
            Some("heir_name")
        );
        assert_eq!(
            route(None, "", "申请书").unwrap_err().msg.key,
            "estate.request_needs_name"
        );
    }

    #[test]
    fn only_the_registered_heir_of_an_honor_member_inherits() {
        let reg = Some("张小明");
        assert!(check_route(EstateTo::HeirAccount, true, reg, " 张小明 ", "户口本").is_ok());
        assert!(check_route(EstateTo::HeirWaives, true, reg, "张小明", "户口本").is_ok());
        assert!(check_route(EstateTo::HeirMember(3), true, reg, "", "户口本").is_ok());
        assert_eq!(
            key(check_route(
                EstateTo::HeirAccount,
                true,
                reg,
                "张大明",
                "户口本"
            )),
            (Some("heir_name"), "estate.not_registered_heir")
        );
        assert_eq!(
            key(check_route(EstateTo::HeirAccount, true, reg, "张小明", " ")),
            (Some("kinship_proof"), "estate.kinship_required")
        );
        assert_eq!(
            key(check_route(
                EstateTo::HeirAccount,
                false,
                reg,
                "张小明",
                "户口本"
            )),
            (Some("heir_name"), "estate.not_honor")
        );
        assert_eq!(
            key(check_route(
                EstateTo::HeirMember(3),
                true,
                None,
                "",
                "户口本"
            )),
            (Some("heir"), "estate.no_heir_registered")
        );
        // the registered heir decides: no silent clearing to the pool
        assert_eq!(
            key(check_route(EstateTo::Pool, true, reg, "", "")),
            (Some("heir"), "estate.heir_decides")
        );
        assert!(check_route(EstateTo::Pool, true, None, "", "").is_ok());
        assert!(check_route(EstateTo::Pool, false, reg, "", "").is_ok());
    }

    proptest! {
        /// Whatever is typed, a non-honor member's points only ever go to the pool.
        #[test]
        fn a_non_honor_members_points_only_go_to_the_pool(
            heir in prop::option::of(1i64..9), name in "[张小明 ]{0,4}", req in "[申请 ]{0,3}", kin in "[户口 ]{0,3}",
        ) {
            if let Ok(to) = route(heir, &name, &req)
                && check_route(to, false, Some("张小明"), &name, &kin).is_ok()
            {
                prop_assert_eq!(to, EstateTo::Pool);
            }
        }
    }
}
