//! The weekly spot check of online-confirmed records (docs/rules.md §7): at least
//! 10 %, drawn reproducibly (seeded by the week) so the same week always
//! draws the same records.

/// At least 10 % of `n`, rounded up; none of none.
pub fn sample_size(n: usize) -> usize {
    n.div_ceil(10)
}

/// `k` of `pool`, drawn by a generator seeded from `seed`.
pub fn draw(pool: &[i64], k: usize, seed: &str) -> Vec<i64> {
    let bytes = blake3::hash(seed.as_bytes());
    let mut state = u64::from_le_bytes(bytes.as_bytes()[..8].try_into().unwrap_or([7; 8])) | 1;
    let mut next = move || {
        // xorshift64*: small, fast, and the same on every machine
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut v = pool.to_vec();
    let k = k.min(v.len());
    for i in 0..k {
        let j = i + (next() % (v.len() - i) as u64) as usize;
        v.swap(i, j);
    }
    v.truncate(k);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ten_percent_rounded_up() {
        assert_eq!(sample_size(0), 0);
        assert_eq!(sample_size(1), 1);
        assert_eq!(sample_size(10), 1);
        assert_eq!(sample_size(11), 2);
        assert_eq!(sample_size(100), 10);
    }

    #[test]
    fn the_same_week_draws_the_same() {
        let pool: Vec<i64> = (1..=50).collect();
        assert_eq!(draw(&pool, 5, "2026-W48"), draw(&pool, 5, "2026-W48"));
        assert_ne!(draw(&pool, 5, "2026-W48"), draw(&pool, 5, "2026-W49"));
    }

    proptest! {
        #[test]
        fn draws_are_distinct_members_of_the_pool(n in 0usize..200, seed in "[a-z0-9-]{1,10}") {
            let pool: Vec<i64> = (0..n as i64).collect();
            let k = sample_size(n);
            let d = draw(&pool, k, &seed);
            prop_assert_eq!(d.len(), k);
            let mut s = d.clone();
            s.sort();
            s.dedup();
            prop_assert_eq!(s.len(), k);
            prop_assert!(d.iter().all(|x| pool.contains(x)));
        }
    }
}
