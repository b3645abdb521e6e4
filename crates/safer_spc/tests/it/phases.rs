//! Baselines, rebasing and automatic step changes.

use crate::support::{month, run};
use safer_spc::{Options, PhaseStart};

/// Twenty months around 3,000, then twenty around 3,400: a step change up in month 20.
fn stepped() -> Vec<f64> {
    let wobble = [
        30.0, -40.0, 10.0, -20.0, 45.0, -35.0, 5.0, -15.0, 25.0, -5.0,
    ];
    (0..40)
        .map(|i| if i < 20 { 3000.0 } else { 3400.0 } + wobble[i % 10])
        .collect()
}

#[test]
fn a_sustained_shift_starts_a_new_phase_with_its_own_limits() {
    let a = run(
        &stepped(),
        &Options {
            auto_rebase: true,
            ..Options::default()
        },
    );
    assert_eq!(a.phases.len(), 2);
    assert_eq!(a.phases[1].start, month(20));
    assert_eq!(
        a.phases[1].started_by,
        PhaseStart::StepChange { up: true, run: 20 }
    );
    assert!((a.phases[0].centre - 3000.0).abs() < 1.0 && (a.phases[1].centre - 3400.0).abs() < 1.0);
    assert!(
        a.points.iter().all(|p| !p.special_cause),
        "once split, each phase is stable"
    );
    assert_eq!((a.phases[0].n, a.phases[1].n), (20, 20));
    // Without automatic step changes the same data is one phase full of shifts.
    let whole = run(&stepped(), &Options::default());
    assert_eq!(whole.phases.len(), 1);
    assert!(whole.points.iter().filter(|p| p.shift).count() >= 20);
}

#[test]
fn a_phase_is_never_shorter_than_the_minimum() {
    // The step comes 8 points before the end: too short for a phase of 12.
    let mut ys = stepped()[..20].to_vec();
    ys.extend([
        3400.0, 3390.0, 3410.0, 3405.0, 3395.0, 3420.0, 3380.0, 3400.0,
    ]);
    let a = run(
        &ys,
        &Options {
            auto_rebase: true,
            ..Options::default()
        },
    );
    assert_eq!(a.phases.len(), 1);
    let a = run(
        &ys,
        &Options {
            auto_rebase: true,
            min_phase: 8,
            ..Options::default()
        },
    );
    assert_eq!(a.phases.len(), 2);
    assert_eq!(a.phases[1].n, 8);
}

#[test]
fn a_fixed_baseline_computes_limits_from_the_first_points_only() {
    let ys = stepped();
    let a = run(
        &ys,
        &Options {
            baseline: Some(12),
            ..Options::default()
        },
    );
    let first12 = ys[..12].iter().sum::<f64>() / 12.0;
    assert!((a.phases[0].centre - first12).abs() < 1e-9);
    assert!(
        a.points[25].outside_limits,
        "later points are judged against the baseline's limits"
    );
}

#[test]
fn rebase_periods_start_phases_and_report_their_extent() {
    let a = run(
        &stepped(),
        &Options {
            rebase: vec![month(20)],
            ..Options::default()
        },
    );
    assert_eq!(a.phases.len(), 2);
    assert_eq!(
        (a.phases[0].start, a.phases[0].end, a.phases[1].start),
        (month(0), month(19), month(20))
    );
    assert_eq!(a.phases[1].started_by, PhaseStart::Rebase);
    assert!(
        a.phases
            .iter()
            .all(|p| p.upper.is_some() && p.lower.is_some())
    );
}

#[test]
fn a_long_staircase_of_step_changes_is_found_step_by_step() {
    // 20,000 points (sets of many words), rising by 100 every 40 points, with a little wobble
    // so that no point sits on a centre line: every step is a step change.
    let ys: Vec<f64> = (0..20_000)
        .map(|i| f64::from(i / 40) * 100.0 + if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    let a = run(
        &ys,
        &Options {
            auto_rebase: true,
            ..Options::default()
        },
    );
    assert_eq!(a.phases.len(), 500);
    for (k, phase) in a.phases.iter().enumerate() {
        assert_eq!((phase.first, phase.n), (40 * k, 40));
        assert_eq!(phase.centre, k as f64 * 100.0);
        if k > 0 {
            // The run is counted against the centre of the stretch the step was found in, so
            // it covers this step and may cover more.
            assert!(
                matches!(phase.started_by, PhaseStart::StepChange { up: true, run } if run >= 40),
                "phase {k}: {:?}",
                phase.started_by
            );
        }
    }
    assert_eq!(a.points.len(), 20_000);
}
