//! Small statistics: means, medians, moving ranges and the Anhøj thresholds.

/// The D4 constant for subgroups of two: the moving-range chart's upper limit factor, and the
/// screening cut-off.
pub const D4: f64 = 3.267;
/// d2 for subgroups of two: σ = AMR / d2.
pub const D2: f64 = 1.128;

/// The total of `term(a[i], b[i])` over the pairs, kept in four running totals: one long chain
/// of additions makes each wait for the last, and this runs several times over every phase.
fn total(a: &[f64], b: &[f64], term: impl Fn(f64, f64) -> f64) -> f64 {
    let (a_quads, a_rest) = a.as_chunks::<4>();
    let (b_quads, b_rest) = b.as_chunks::<4>();
    let mut partial = [0.0f64; 4];
    for (x, y) in a_quads.iter().zip(b_quads) {
        for k in 0..4 {
            partial[k] += term(x[k], y[k]);
        }
    }
    let mut sum = (partial[0] + partial[1]) + (partial[2] + partial[3]);
    for (x, y) in a_rest.iter().zip(b_rest) {
        sum += term(*x, *y);
    }
    sum
}

/// The sum of the values.
pub fn sum(xs: &[f64]) -> f64 {
    total(xs, xs, |x, _| x)
}

pub fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        f64::NAN
    } else {
        sum(xs) / xs.len() as f64
    }
}

pub fn median(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The average moving range of consecutive values, optionally screened: ranges of
/// `D4 × AMR` or more are left out and the average taken again, once. No allocation: this runs
/// once per phase of every series.
pub fn average_moving_range(xs: &[f64], screen: bool) -> f64 {
    let n = xs.len().saturating_sub(1);
    if n == 0 {
        return f64::NAN;
    }
    let (later, earlier) = (&xs[1..], &xs[..n]);
    let range = |a: f64, b: f64| (a - b).abs();
    let amr = total(later, earlier, range) / n as f64;
    if !screen || !amr.is_finite() {
        return amr;
    }
    let cutoff = D4 * amr;
    // Adding nothing for a screened-out range leaves the total as it was, without a branch.
    let sum = total(later, earlier, |a, b| {
        let r = range(a, b);
        if r < cutoff { r } else { 0.0 }
    });
    let kept = later
        .iter()
        .zip(earlier)
        .filter(|(a, b)| range(**a, **b) < cutoff)
        .count();
    if kept == 0 { amr } else { sum / kept as f64 }
}

/// The thresholds for up to this many useful points are computed once and looked up.
const TABLE_SIZE: usize = 256;

fn thresholds() -> &'static [(usize, usize)] {
    static TABLE: std::sync::OnceLock<Vec<(usize, usize)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..TABLE_SIZE)
            .map(|n| (compute_longest_run_max(n), compute_crossings_min(n)))
            .collect()
    })
}

/// The Anhøj longest-run limit: a run longer than this is a signal.
pub fn longest_run_max(useful: usize) -> usize {
    thresholds()
        .get(useful)
        .map_or_else(|| compute_longest_run_max(useful), |t| t.0)
}

/// The Anhøj crossings limit: fewer crossings than this is a signal.
pub fn crossings_min(useful: usize) -> usize {
    thresholds()
        .get(useful)
        .map_or_else(|| compute_crossings_min(useful), |t| t.1)
}

fn compute_longest_run_max(useful: usize) -> usize {
    if useful == 0 {
        return 0;
    }
    ((useful as f64).log2().round() as usize) + 3
}

/// The 5th percentile of Binomial(n − 1, ½): the smallest k whose cumulative probability
/// reaches 0.05.
fn compute_crossings_min(useful: usize) -> usize {
    if useful < 2 {
        return 0;
    }
    let trials = useful - 1;
    // Cumulative probabilities in log space, so large n does not underflow.
    let ln_half_n = trials as f64 * 0.5f64.ln();
    let mut ln_choose = 0.0f64;
    let mut cumulative = 0.0f64;
    for k in 0..=trials {
        if k > 0 {
            ln_choose += ((trials - k + 1) as f64).ln() - (k as f64).ln();
        }
        cumulative += (ln_choose + ln_half_n).exp();
        if cumulative >= 0.05 {
            return k;
        }
    }
    trials
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anhoej_thresholds_match_the_published_table() {
        // From qicharts2's formulas, as tabulated in the SPC reference notes.
        let table = [
            (10, 6, 2),
            (12, 7, 3),
            (14, 7, 4),
            (16, 7, 4),
            (18, 7, 5),
            (20, 7, 6),
            (24, 8, 8),
            (30, 8, 10),
            (36, 8, 13),
            (40, 8, 14),
            (48, 9, 18),
            (50, 9, 19),
            (60, 9, 23),
            (72, 9, 29),
            (100, 10, 41),
        ];
        for (n, run, crossings) in table {
            assert_eq!(longest_run_max(n), run, "longest run for n = {n}");
            assert_eq!(crossings_min(n), crossings, "crossings for n = {n}");
        }
        // Beyond the table the same formulas apply.
        assert_eq!(crossings_min(600), compute_crossings_min(600));
        assert_eq!(longest_run_max(600), 12);
    }

    #[test]
    fn screening_leaves_out_large_ranges_once() {
        // Eight ranges of 1 and two of 90: the average is 18.8, and 90 ≥ 3.267 × 18.8.
        let xs = [
            10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 11.0, 10.0, 100.0, 10.0,
        ];
        let plain = average_moving_range(&xs, false);
        assert!((plain - 18.8).abs() < 1e-12);
        assert!((average_moving_range(&xs, true) - 1.0).abs() < 1e-12);
        assert_eq!(median(&[3.0, 1.0, 2.0, 10.0]), 2.5);
    }
}
