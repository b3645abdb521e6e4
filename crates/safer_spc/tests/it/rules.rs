//! One test per rule edge case, and what signals mean.

use crate::support::{flags, month, run};
use safer_spc::{Assurance, Improvement, Options, TwoOfThree, Variation};

/// A stable, noisy base series around 10.
fn base(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 10.0 + [0.4, -0.3, 0.2, -0.5, 0.3, -0.1, 0.5, -0.2][i % 8])
        .collect()
}

#[test]
fn a_shift_needs_n_points_in_a_row_and_a_point_on_the_centre_breaks_it() {
    // Limits from the first twelve points, so the centre stays put while later points change.
    let mut ys = base(30);
    for y in &mut ys[14..21] {
        *y = 10.6; // seven above the centre
    }
    let a = run(&ys, &fixed());
    let centre = a.phases[0].centre;
    assert_eq!(flags(&a, |p| p.shift), (14..21).collect::<Vec<_>>());
    // Six is not enough with the default of seven, but is with --shift 6.
    ys[20] = 9.5;
    assert!(flags(&run(&ys, &fixed()), |p| p.shift).is_empty());
    assert_eq!(
        flags(
            &run(
                &ys,
                &Options {
                    shift: Some(6),
                    ..fixed()
                }
            ),
            |p| p.shift
        ),
        (14..20).collect::<Vec<_>>()
    );
    // A point exactly on the centre line breaks a run.
    ys[20] = 10.6;
    ys[17] = centre;
    let a = run(&ys, &fixed());
    assert_eq!(a.points[17].value, a.points[17].centre);
    assert!(flags(&a, |p| p.shift).is_empty());
}

#[test]
fn long_series_find_the_same_signals_past_128_points() {
    // Twenty years of months: the rules work on sets of points, one machine word for up to 128
    // points and several beyond; a shift, a trend and a breach late in the series are all found.
    let mut ys = base(240);
    for y in &mut ys[150..158] {
        *y = 10.6;
    }
    for (k, y) in ys[200..208].iter_mut().enumerate() {
        *y = 9.0 + 0.1 * k as f64;
    }
    ys[230] = 20.0;
    let a = run(&ys, &fixed());
    for p in &a.points[196..212] {
        eprintln!(
            "{} {} {} {:?} {:?}",
            p.value, p.trend, p.outside_limits, p.lower, p.upper
        );
    }
    // 158 is above the centre too; the rise from 9.0 to 9.7 is also nine points below it.
    let shift: Vec<usize> = (150..159).chain(199..208).collect();
    assert_eq!(flags(&a, |p| p.shift), shift);
    assert_eq!(
        flags(&a, |p| p.trend),
        (200..209).collect::<Vec<_>>(),
        "208 rises too"
    );
    assert_eq!(flags(&a, |p| p.outside_limits), vec![230]);
}

#[test]
fn a_trend_needs_n_points_rising_and_a_tie_breaks_it() {
    let mut ys = base(30);
    for (k, y) in ys[5..12].iter_mut().enumerate() {
        *y = 9.0 + k as f64 * 0.3; // seven rising points
    }
    let a = run(&ys, &Options::default());
    assert_eq!(flags(&a, |p| p.trend), (5..12).collect::<Vec<_>>());
    ys[8] = ys[7]; // a tie in the middle
    assert!(flags(&run(&ys, &Options::default()), |p| p.trend).is_empty());
    // Five rising points make a trend with --trend 5.
    let mut ys = base(30);
    for (k, y) in ys[5..10].iter_mut().enumerate() {
        *y = 9.0 + k as f64 * 0.3;
    }
    assert!(flags(&run(&ys, &Options::default()), |p| p.trend).is_empty());
    assert_eq!(
        flags(
            &run(
                &ys,
                &Options {
                    trend: Some(5),
                    ..Options::default()
                }
            ),
            |p| p.trend
        ),
        (5..10).collect::<Vec<_>>()
    );
}

#[test]
fn runs_that_straddle_a_rebase_do_not_count() {
    let mut ys = base(30);
    for y in &mut ys[12..20] {
        *y = 10.6;
    }
    let whole = run(&ys, &Options::default());
    assert!((12..20).all(|i| whole.points[i].shift));
    // Rebase in the middle of the run: four before, four after; neither phase has seven.
    let split = run(
        &ys,
        &Options {
            rebase: vec![month(16)],
            ..Options::default()
        },
    );
    assert_eq!(split.phases.len(), 2);
    assert!(flags(&split, |p| p.shift).is_empty());
}

/// Limits from the first twelve points only, so changing later points does not move them.
fn fixed() -> Options {
    Options {
        baseline: Some(12),
        ..Options::default()
    }
}

#[test]
fn outside_the_limits_is_strict() {
    let ys = base(24);
    let upper = run(&ys, &fixed()).phases[0].upper.unwrap();
    let mut on_the_line = ys.clone();
    on_the_line[20] = upper;
    let a = run(&on_the_line, &fixed());
    assert_eq!(a.points[20].upper, Some(upper));
    assert!(
        !a.points[20].outside_limits,
        "a point exactly on the limit is not outside it"
    );
    on_the_line[20] = upper + 1e-9;
    assert!(run(&on_the_line, &fixed()).points[20].outside_limits);
}

#[test]
fn two_of_three_classic_and_2023_variants() {
    let ys = base(24);
    let a = run(&ys, &fixed());
    let (centre, upper) = (a.phases[0].centre, a.phases[0].upper.unwrap());
    let near = centre + (upper - centre) * 2.0 / 3.0;
    let between = (upper + near) / 2.0;
    // Two of three beyond the near line, inside the limits, on the same side: the classic rule fires.
    let mut two = ys.clone();
    two[18] = between;
    two[19] = centre + 0.1;
    two[20] = between;
    let a = run(&two, &fixed());
    assert_eq!(
        crate::support::flags(&a, |p| p.two_of_three),
        [18, 20],
        "only the points beyond the near line are flagged"
    );
    // The same, but one of the three below the centre: no signal.
    two[19] = centre - 0.1;
    assert!(crate::support::flags(&run(&two, &fixed()), |p| p.two_of_three).is_empty());
    // One beyond the limit and one beyond the near line: only the 2023 variant counts the first.
    let mut mixed = ys.clone();
    mixed[18] = upper + 3.0;
    mixed[19] = centre + 0.1;
    mixed[20] = between;
    let classic = run(&mixed, &fixed());
    let modern = run(
        &mixed,
        &Options {
            two_of_three: TwoOfThree::Since2023,
            ..fixed()
        },
    );
    assert!(classic.points[18].outside_limits && modern.points[18].outside_limits);
    assert!(!classic.points[20].two_of_three);
    assert!(modern.points[20].two_of_three);
    assert!(
        !modern.points[18].two_of_three,
        "a point outside the limits is flagged as outside, not as two-of-three"
    );
}

#[test]
fn improvement_and_concern_follow_the_better_direction() {
    let mut ys = base(24);
    ys[20] = 30.0;
    let up = Options {
        improvement: Improvement::Increase,
        ..fixed()
    };
    let down = Options {
        improvement: Improvement::Decrease,
        ..fixed()
    };
    assert_eq!(run(&ys, &up).points[20].variation, Variation::Improvement);
    assert_eq!(run(&ys, &down).points[20].variation, Variation::Concern);
    assert_eq!(run(&ys, &fixed()).points[20].variation, Variation::Neither);
    assert_eq!(run(&ys, &up).points[3].variation, Variation::CommonCause);
}

#[test]
fn assurance_compares_the_target_with_the_limits() {
    let ys = base(24);
    let a = run(&ys, &Options::default());
    let (lower, upper) = (a.phases[0].lower.unwrap(), a.phases[0].upper.unwrap());
    let with = |target: f64, improvement| {
        run(
            &ys,
            &Options {
                target: Some(target),
                improvement,
                ..Options::default()
            },
        )
        .assurance
    };
    assert_eq!(
        with(upper + 1.0, Improvement::Increase),
        Some(Assurance::ConsistentlyMissed)
    );
    assert_eq!(
        with(lower - 1.0, Improvement::Increase),
        Some(Assurance::ConsistentlyMet)
    );
    assert_eq!(
        with(10.0, Improvement::Increase),
        Some(Assurance::HitAndMiss)
    );
    assert_eq!(
        with(upper + 1.0, Improvement::Decrease),
        Some(Assurance::ConsistentlyMet)
    );
    assert_eq!(
        with(lower - 1.0, Improvement::Decrease),
        Some(Assurance::ConsistentlyMissed)
    );
    assert_eq!(with(10.0, Improvement::Neither), None);
}

#[test]
fn bad_input_is_an_error_never_a_panic() {
    use safer_spc::analysis::Observation;
    use safer_spc::{Chart, Method, SpcError, analyse};
    assert!(matches!(
        analyse(&crate::support::monthly(&[1.0]), &Options::default()),
        Err(SpcError::TooFewPoints { .. })
    ));
    assert!(matches!(
        analyse(
            &crate::support::monthly(&[1.0, f64::NAN]),
            &Options::default()
        ),
        Err(SpcError::NotFinite { .. })
    ));
    assert!(matches!(
        analyse(
            &crate::support::monthly(&base(20)),
            &Options {
                baseline: Some(6),
                ..Options::default()
            }
        ),
        Err(SpcError::BadOption(_))
    ));
    let no_denominator = crate::support::monthly(&[1.0, 2.0, 3.0]);
    assert!(matches!(
        analyse(&no_denominator, &Options::new(Chart::P, Method::Qic)),
        Err(SpcError::MissingDenominator { .. })
    ));
    let too_many: Vec<Observation> = no_denominator
        .iter()
        .map(|o| Observation {
            denominator: Some(2.0),
            ..*o
        })
        .collect();
    assert!(matches!(
        analyse(&too_many, &Options::new(Chart::P, Method::Qic)),
        Err(SpcError::BadCount { .. })
    ));
    let mut repeated = crate::support::monthly(&[1.0, 2.0, 3.0]);
    repeated[2].period = repeated[1].period;
    assert!(matches!(
        analyse(&repeated, &Options::default()),
        Err(SpcError::BadOption(_))
    ));
    assert!(matches!(
        analyse(
            &crate::support::monthly(&base(20)),
            &Options {
                rebase: vec![month(40)],
                ..Options::default()
            }
        ),
        Err(SpcError::UnknownRebase { .. })
    ));
    // A constant series has no variation: limits collapse onto the centre and nothing panics.
    let flat = run(&[5.0; 15], &Options::default());
    assert_eq!(flat.phases[0].upper, Some(5.0));
}
