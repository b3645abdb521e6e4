//! Published results of the reference implementations, and worked examples checked by hand.

use crate::support::{run, sig};
use safer_spc::analysis::Observation;
use safer_spc::{Chart, Method, Options, Period, Variation, analyse};

/// R's `set.seed(123); rnorm(20)`, the data of NHSRplotthedots' own tests
/// (`tests/testthat/test-ptd_spc_standard.R`).
const RNORM_20: [f64; 20] = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
];

/// The XmR limits worked out from the formulas: mean ± 2.66 × the screened average moving range.
fn by_hand(ys: &[f64], multiplier: f64, screen: bool) -> (f64, f64, f64) {
    let mean = ys.iter().sum::<f64>() / ys.len() as f64;
    let ranges: Vec<f64> = ys.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let mut amr = ranges.iter().sum::<f64>() / ranges.len() as f64;
    if screen {
        let kept: Vec<f64> = ranges
            .iter()
            .copied()
            .filter(|r| *r < 3.267 * amr)
            .collect();
        amr = kept.iter().sum::<f64>() / kept.len() as f64;
    }
    (mean, mean - multiplier * amr, mean + multiplier * amr)
}

#[test]
fn nhsrplotthedots_published_xmr_summary() {
    // NHSRplotthedots' snapshot (tests/testthat/_snaps/ptd_spc.md): mean 0.142, lpl -3.01, upl 3.29,
    // 20 points, all common cause.
    let a = run(&RNORM_20, &Options::default());
    let phase = &a.phases[0];
    assert_eq!(
        (
            sig(phase.centre, 3),
            sig(phase.lower.unwrap(), 3),
            sig(phase.upper.unwrap(), 3)
        ),
        (0.142, -3.01, 3.29)
    );
    assert!(
        a.points
            .iter()
            .all(|p| p.variation == Variation::CommonCause)
    );
    // And to six significant figures against the formulas worked by hand.
    let (mean, lower, upper) = by_hand(&RNORM_20, 2.66, true);
    assert_eq!(
        (
            sig(phase.centre, 6),
            sig(phase.lower.unwrap(), 6),
            sig(phase.upper.unwrap(), 6)
        ),
        (sig(mean, 6), sig(lower, 6), sig(upper, 6))
    );
}

#[test]
fn nhsrplotthedots_published_results_for_two_groups() {
    // The same snapshot, faceted into the first and last ten points: 0.0746 / -2.60 / 2.75 and
    // 0.209 / -3.28 / 3.70. A rebase at the eleventh point makes the same two groups.
    let options = Options {
        rebase: vec![crate::support::month(10)],
        ..Options::default()
    };
    let a = run(&RNORM_20, &options);
    let got: Vec<(f64, f64, f64)> = a
        .phases
        .iter()
        .map(|p| {
            (
                sig(p.centre, 3),
                sig(p.lower.unwrap(), 3),
                sig(p.upper.unwrap(), 3),
            )
        })
        .collect();
    assert_eq!(got, [(0.0746, -2.60, 2.75), (0.209, -3.28, 3.70)]);
}

#[test]
fn screening_the_moving_ranges_narrows_the_limits_after_a_spike() {
    // NHSRplotthedots' screening test: the 15th value set to 10.
    let mut ys = RNORM_20;
    ys[14] = 10.0;
    let screened = run(&ys, &Options::default());
    let plain = run(
        &ys,
        &Options {
            screen_moving_ranges: false,
            ..Options::default()
        },
    );
    let width = |a: &safer_spc::Analysis| a.phases[0].upper.unwrap() - a.phases[0].lower.unwrap();
    assert!(width(&plain) > width(&screened));
    let (_, lower, upper) = by_hand(&ys, 2.66, false);
    assert_eq!(
        (
            sig(plain.phases[0].lower.unwrap(), 6),
            sig(plain.phases[0].upper.unwrap(), 6)
        ),
        (sig(lower, 6), sig(upper, 6))
    );
    assert!(screened.points[14].outside_limits);
}

#[test]
fn the_qic_method_uses_three_sigma_from_d2() {
    let a = run(&RNORM_20, &Options::new(Chart::Xmr, Method::Qic));
    let (mean, lower, upper) = by_hand(&RNORM_20, 3.0 / 1.128, true);
    let p = &a.phases[0];
    assert_eq!(
        (
            sig(p.centre, 6),
            sig(p.lower.unwrap(), 6),
            sig(p.upper.unwrap(), 6)
        ),
        (sig(mean, 6), sig(lower, 6), sig(upper, 6))
    );
    assert!(
        a.points
            .iter()
            .all(|p| !p.shift && !p.trend && !p.two_of_three),
        "qicharts2 has no shift, trend or two-of-three rules"
    );
}

#[test]
fn two_close_points_on_opposite_sides_are_common_cause() {
    // NHSRplotthedots: "it only reports special cause for 2 of 3 points close to limits when they
    // are on the same side of the mean".
    let mut ys: Vec<f64> = (0..16)
        .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    ys[14] = 5.5;
    ys[15] = -5.5;
    let a = run(&ys, &Options::default());
    assert_eq!(a.points[14].variation, Variation::CommonCause);
    assert_eq!(a.points[15].variation, Variation::CommonCause);
}

#[test]
fn p_chart_limits_vary_with_each_denominator() {
    // Worked by hand: 30 of 300 over three months, so CL = 0.1; σ_i = √(0.1 × 0.9 / n_i).
    let obs: Vec<Observation> = [(10.0, 100.0), (5.0, 100.0), (15.0, 100.0)]
        .iter()
        .enumerate()
        .map(|(i, (y, n))| Observation {
            period: Period::month(2016, i as u8 + 1).unwrap(),
            value: *y,
            denominator: Some(*n),
        })
        .collect();
    let a = analyse(&obs, &Options::new(Chart::P, Method::Qic)).unwrap();
    let sigma: f64 = (0.1f64 * 0.9 / 100.0).sqrt();
    assert!((a.points[0].centre - 0.1).abs() < 1e-12);
    assert!((a.points[0].upper.unwrap() - (0.1 + 3.0 * sigma)).abs() < 1e-12);
    assert!((a.points[0].lower.unwrap() - (0.1 - 3.0 * sigma)).abs() < 1e-12);
    assert!((a.points[1].value - 0.05).abs() < 1e-12);
    // A u chart: 10 events per 1,000 people gives a rate of 0.01 per person.
    let u: Vec<Observation> = obs
        .iter()
        .map(|o| Observation {
            denominator: Some(1000.0),
            ..*o
        })
        .collect();
    let a = analyse(&u, &Options::new(Chart::U, Method::Qic)).unwrap();
    assert!((a.points[0].centre - 0.01).abs() < 1e-12);
    assert!((a.points[0].upper.unwrap() - (0.01 + 3.0 * (0.01f64 / 1000.0).sqrt())).abs() < 1e-12);
}

#[test]
fn laney_limits_widen_when_denominators_are_large() {
    // With denominators of a million, p limits are very narrow and every point signals; Laney's
    // p′ scales them by the spread of the standardised values and signals far less.
    let obs: Vec<Observation> = (0..24)
        .map(|i| {
            let wobble = [0.0, 2500.0, -2000.0, 1500.0, -3000.0, 2000.0][i % 6];
            Observation {
                period: crate::support::month(i),
                value: 100_000.0 + wobble,
                denominator: Some(1_000_000.0),
            }
        })
        .collect();
    let p = analyse(&obs, &Options::new(Chart::P, Method::Qic)).unwrap();
    let pp = analyse(&obs, &Options::new(Chart::Pp, Method::Qic)).unwrap();
    let outside = |a: &safer_spc::Analysis| a.points.iter().filter(|x| x.outside_limits).count();
    assert!(outside(&p) > 10, "ordinary p limits are overdispersed here");
    assert_eq!(outside(&pp), 0);
    assert!(
        pp.points[0].upper.unwrap() - pp.points[0].centre
            > 5.0 * (p.points[0].upper.unwrap() - p.points[0].centre)
    );
}

#[test]
fn c_chart_limits_are_the_square_root_of_the_mean() {
    let a = run(
        &[4.0, 9.0, 6.0, 5.0, 6.0],
        &Options::new(Chart::C, Method::Qic),
    );
    let p = &a.phases[0];
    assert!((p.centre - 6.0).abs() < 1e-12);
    assert!((p.upper.unwrap() - (6.0 + 3.0 * 6f64.sqrt())).abs() < 1e-12);
    assert_eq!(p.lower, Some(0.0));
}

#[test]
fn run_charts_use_the_median_and_the_anhoej_rules() {
    // 24 points: 12 below the median then 12 above: one crossing and a run of 12.
    let ys: Vec<f64> = (0..24)
        .map(|i| {
            if i < 12 {
                1.0 + i as f64 * 0.01
            } else {
                5.0 + i as f64 * 0.01
            }
        })
        .collect();
    let a = run(&ys, &Options::new(Chart::Run, Method::Qic));
    let runs = a.phases[0].runs;
    assert_eq!(
        (
            runs.useful,
            runs.longest_run,
            runs.longest_run_max,
            runs.crossings,
            runs.crossings_min
        ),
        (24, 12, 8, 1, 8)
    );
    assert!(runs.signal);
    assert!(a.points.iter().all(|p| p.upper.is_none()));
}

/// Counts with a constant subgroup size, as observations for p and u charts.
fn counts_of(counts: &[f64], size: f64) -> Vec<Observation> {
    counts
        .iter()
        .enumerate()
        .map(|(i, c)| Observation {
            period: crate::support::month(i),
            value: *c,
            denominator: Some(size),
        })
        .collect()
}

/// The centre, lower and upper limits, to 6 significant figures.
type Lines = (f64, f64, f64);
/// Longest run, its limit, crossings, their limit, and whether the runs signal.
type RunsSummary = (usize, usize, usize, usize, bool);

/// The lines of the only phase, and its runs analysis.
fn summary(a: &safer_spc::Analysis) -> (Lines, RunsSummary) {
    let p = &a.phases[0];
    let r = p.runs;
    (
        (
            sig(p.centre, 6),
            sig(p.lower.unwrap(), 6),
            sig(p.upper.unwrap(), 6),
        ),
        (
            r.longest_run,
            r.longest_run_max,
            r.crossings,
            r.crossings_min,
            r.signal,
        ),
    )
}

// qicharts2's test suite (tests/testthat/test_montgomery.R) checks its p, u and c charts against
// the worked examples of Montgomery's Introduction to Statistical Quality Control. The same data
// and Montgomery's published limits follow; the 6-figure values are the same formulas worked
// exactly, and the runs were counted by hand from each point's side of the centre line.

#[test]
fn qicharts2_montgomery_example_7_1_p_chart() {
    // Orange juice cans: nonconforming cans in 30 samples of 50. Montgomery: p̄ = 0.2313,
    // UCL = 0.4102, LCL = 0.0524; samples 15 and 23 are above the upper limit.
    let counts = [
        12.0, 15.0, 8.0, 10.0, 4.0, 7.0, 16.0, 9.0, 14.0, 10.0, 5.0, 6.0, 17.0, 12.0, 22.0, 8.0,
        10.0, 5.0, 13.0, 11.0, 20.0, 18.0, 24.0, 15.0, 9.0, 12.0, 7.0, 13.0, 9.0, 6.0,
    ];
    let a = analyse(
        &counts_of(&counts, 50.0),
        &Options::new(Chart::P, Method::Qic),
    )
    .unwrap();
    let p_bar: f64 = 347.0 / 1500.0;
    let sigma = (p_bar * (1.0 - p_bar) / 50.0).sqrt();
    // Sides: AA BBBB A B A BBB AAA BBB A B AAAA B A B A BB: 16 runs, 15 crossings, longest 4.
    assert_eq!(
        summary(&a),
        (
            (
                sig(p_bar, 6),
                sig(p_bar - 3.0 * sigma, 6),
                sig(p_bar + 3.0 * sigma, 6)
            ),
            (4, 8, 15, 10, false)
        )
    );
    assert_eq!(
        (
            sig(p_bar, 4),
            sig(p_bar - 3.0 * sigma, 3),
            sig(p_bar + 3.0 * sigma, 4)
        ),
        (0.2313, 0.0524, 0.4102)
    );
    assert_eq!(
        crate::support::flags(&a, |p| p.outside_limits),
        vec![14, 22]
    );
    assert_eq!(crate::support::flags(&a, |p| p.special_cause), vec![14, 22]);
}

#[test]
fn qicharts2_montgomery_example_7_3_c_chart() {
    // Nonconformities in 26 samples of 100 printed circuit boards. Montgomery: c̄ = 19.85,
    // UCL = 33.22 (from c̄ rounded first; 33.21 unrounded), LCL = 6.48; samples 6 and 20 are
    // outside the limits.
    let counts = [
        21.0, 24.0, 16.0, 12.0, 15.0, 5.0, 28.0, 20.0, 31.0, 25.0, 20.0, 24.0, 16.0, 19.0, 10.0,
        17.0, 13.0, 22.0, 18.0, 39.0, 30.0, 24.0, 16.0, 19.0, 17.0, 15.0,
    ];
    let a = run(&counts, &Options::new(Chart::C, Method::Qic));
    let c_bar: f64 = 516.0 / 26.0;
    // Sides: AA BBBB AAAAAA BBBBB A B AAA BBBB: 8 runs, 7 crossings (fewer than 8: a signal).
    assert_eq!(
        summary(&a),
        (
            (
                sig(c_bar, 6),
                sig(c_bar - 3.0 * c_bar.sqrt(), 6),
                sig(c_bar + 3.0 * c_bar.sqrt(), 6)
            ),
            (6, 8, 7, 8, true)
        )
    );
    assert_eq!(
        (
            sig(c_bar, 4),
            sig(c_bar - 3.0 * c_bar.sqrt(), 3),
            sig(c_bar + 3.0 * c_bar.sqrt(), 4)
        ),
        (19.85, 6.48, 33.21)
    );
    assert_eq!(crate::support::flags(&a, |p| p.outside_limits), vec![5, 19]);
}

#[test]
fn qicharts2_montgomery_example_7_4_u_chart() {
    // Nonconformities in 20 samples of 5 personal computers. Montgomery: ū = 1.93,
    // UCL = 3.79, LCL = 0.07; the process is in control.
    let counts = [
        10.0, 12.0, 8.0, 14.0, 10.0, 16.0, 11.0, 7.0, 10.0, 15.0, 9.0, 5.0, 7.0, 11.0, 12.0, 6.0,
        8.0, 10.0, 7.0, 5.0,
    ];
    let a = analyse(
        &counts_of(&counts, 5.0),
        &Options::new(Chart::U, Method::Qic),
    )
    .unwrap();
    let u_bar: f64 = 193.0 / 100.0;
    let sigma = (u_bar / 5.0).sqrt();
    // Sides: AA B AAAA B AA BBB AA BB A BB: 10 runs, 9 crossings, longest 4.
    assert_eq!(
        summary(&a),
        (
            (
                sig(u_bar, 6),
                sig(u_bar - 3.0 * sigma, 6),
                sig(u_bar + 3.0 * sigma, 6)
            ),
            (4, 7, 9, 6, false)
        )
    );
    assert_eq!(
        (sig(u_bar - 3.0 * sigma, 1), sig(u_bar + 3.0 * sigma, 3)),
        (0.07, 3.79)
    );
    assert!(a.points.iter().all(|p| !p.special_cause));
}
