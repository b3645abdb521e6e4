//! Narrative on series shaped like seed 003's statements; each sentence is checked against the
//! numbers it claims.

use crate::support::{month, run};
use safer_spc::narrative::{Fact, facts, narrative};
use safer_spc::{Options, PhaseStart};

/// Alternating ±20 around `level`, starting above: no rule fires.
fn steady(level: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| level + if i % 2 == 0 { 20.0 } else { -20.0 })
        .collect()
}

#[test]
fn stable_with_the_last_three_months_below_average() {
    let mut ys = steady(3180.0, 21);
    ys.extend([3170.0, 3165.0, 3175.0]);
    let a = run(&ys, &Options::default());
    let f = facts(&a);
    let mean = ys.iter().sum::<f64>() / ys.len() as f64;
    assert_eq!(
        f[0],
        Fact::StableSince {
            start: month(0),
            average: mean
        }
    );
    assert!(
        a.points.iter().all(|p| !p.special_cause),
        "stable means no special cause in the phase"
    );
    let below = ys.iter().rev().take_while(|y| **y < mean).count();
    assert_eq!(below, 3);
    assert_eq!(
        f[1],
        Fact::RecentRun {
            above: false,
            count: below,
            within_limits: true
        }
    );
    assert_eq!(
        narrative(&a),
        "Stable since January 2014 at a monthly average of 3,180. The last three months have been below average but within normal limits."
    );
}

#[test]
fn a_step_change_up_after_eight_months_above_average() {
    let mut ys = steady(3000.0, 20);
    ys.extend(steady(3400.0, 8));
    let a = run(
        &ys,
        &Options {
            auto_rebase: true,
            min_phase: 8,
            ..Options::default()
        },
    );
    assert_eq!(
        a.phases[1].started_by,
        PhaseStart::StepChange { up: true, run: 8 }
    );
    let f = facts(&a);
    assert_eq!(
        f[0],
        Fact::StepChange {
            at: month(20),
            up: true,
            after: 8,
            from: 3000.0,
            to: 3400.0
        }
    );
    let text = narrative(&a);
    assert!(
        text.starts_with("A step change up in September 2015 after eight months above average: the monthly average rose from 3,000 to 3,400. Stable since September 2015 at a monthly average of 3,400."),
        "{text}"
    );
    // Every point from the step on is above the old average, as claimed.
    assert!(ys[20..].iter().all(|y| *y > 3000.0));
    assert!(
        text.ends_with("April 2016, at 3,380, is within normal limits."),
        "{text}"
    );
}

#[test]
fn a_breach_of_the_lower_control_limit_in_january() {
    let mut ys = steady(3180.0, 24);
    ys.extend([2700.0, 3190.0]);
    let a = run(&ys, &Options::default());
    assert!(a.points[24].outside_limits && a.points[24].value < a.points[24].lower.unwrap());
    assert_eq!(a.points[24].period.long(), "January 2016");
    let f = facts(&a);
    assert!(f.contains(&Fact::Breach {
        at: month(24),
        upper: false
    }));
    assert!(
        matches!(f[0], Fact::AverageSince { .. }),
        "a phase with a breach is not called stable"
    );
    assert!(narrative(&a).contains("The lower control limit was breached in January 2016."));
}

#[test]
fn increased_for_five_consecutive_months() {
    let mut ys = steady(3180.0, 18);
    ys.extend([3150.0, 3160.0, 3170.0, 3180.0, 3190.0, 3200.0]);
    let a = run(&ys, &Options::default());
    let rises = ys.windows(2).rev().take_while(|w| w[1] > w[0]).count();
    assert_eq!(rises, 5);
    assert!(facts(&a).contains(&Fact::Consecutive {
        increases: true,
        count: rises
    }));
    assert!(narrative(&a).contains("Increased for five consecutive months."));
    assert!(
        !a.points.iter().any(|p| p.trend),
        "six rising points are not a seven-point trend"
    );
}

#[test]
fn a_daily_series_reads_in_periods_at_an_average() {
    // Weekly counts dated by day, steady, then a step up after a fortnight of points.
    let observations: Vec<safer_spc::analysis::Observation> = (0..30)
        .map(|i| safer_spc::analysis::Observation {
            period: safer_spc::Period {
                year: 2016,
                month: 1 + (i / 4) as u8,
                day: Some(1 + 7 * (i % 4) as u8),
            },
            value: if i < 15 { 100.0 } else { 140.0 } + if i % 2 == 0 { 2.0 } else { -2.0 },
            denominator: None,
        })
        .collect();
    let steady = safer_spc::analyse(&observations[..14], &Options::default()).unwrap();
    assert_eq!(
        narrative(&steady),
        "Stable since 1 January 2016 at an average of 100. 8 April 2016, at 98.0, is within normal limits."
    );
    let stepped = safer_spc::analyse(
        &observations,
        &Options {
            auto_rebase: true,
            ..Options::default()
        },
    )
    .unwrap();
    assert!(
        narrative(&stepped).starts_with(
            "A step change up in 22 April 2016 after 15 periods above average: the average rose from"
        ),
        "{}",
        narrative(&stepped)
    );
}
