//! Properties that hold for any series.

use crate::support::monthly;
use proptest::prelude::*;
use safer_spc::input::read_csv;
use safer_spc::narrative::{narrative, write_narrative};
use safer_spc::{Analysis, Improvement, Options, Variation, analyse, analyse_into};

fn series() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1000i32..1000, 13..60)
        .prop_map(|v| v.into_iter().map(f64::from).collect())
}

fn flag_vector(a: &safer_spc::Analysis) -> Vec<(bool, bool, bool, bool)> {
    a.points
        .iter()
        .map(|p| (p.outside_limits, p.shift, p.trend, p.two_of_three))
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #[test]
    fn adding_a_constant_moves_the_lines_and_changes_no_flag(ys in series(), c in -1000i32..1000, auto in any::<bool>()) {
        let options = Options { auto_rebase: auto, ..Options::default() };
        let a = analyse(&monthly(&ys), &options).unwrap();
        // Points within a hair of a line could fall either side after rounding; skip those cases.
        prop_assume!(a.points.iter().all(|p| p.upper.is_none_or(|u| (p.value - u).abs() > 1e-6 && (p.value - p.lower.unwrap()).abs() > 1e-6)));
        let shifted: Vec<f64> = ys.iter().map(|y| y + f64::from(c)).collect();
        let b = analyse(&monthly(&shifted), &options).unwrap();
        prop_assert_eq!(flag_vector(&a), flag_vector(&b));
        prop_assert_eq!(a.phases.len(), b.phases.len());
        for (p, q) in a.points.iter().zip(&b.points) {
            prop_assert!(close(p.centre + f64::from(c), q.centre));
            prop_assert!(close(p.upper.unwrap() + f64::from(c), q.upper.unwrap()));
            prop_assert!(close(p.lower.unwrap() + f64::from(c), q.lower.unwrap()));
        }
    }

    #[test]
    fn scaling_by_a_positive_constant_scales_the_lines(ys in series(), power in -3i32..4) {
        // Powers of two scale exactly in floating point, so every comparison is unchanged.
        let k = 2f64.powi(power);
        let a = analyse(&monthly(&ys), &Options::default()).unwrap();
        let scaled: Vec<f64> = ys.iter().map(|y| y * k).collect();
        let b = analyse(&monthly(&scaled), &Options::default()).unwrap();
        prop_assert_eq!(flag_vector(&a), flag_vector(&b));
        for (p, q) in a.points.iter().zip(&b.points) {
            prop_assert_eq!(p.centre * k, q.centre);
            prop_assert_eq!(p.upper.unwrap() * k, q.upper.unwrap());
        }
    }

    #[test]
    fn reversing_the_better_direction_swaps_improvement_and_concern(ys in series()) {
        let up = analyse(&monthly(&ys), &Options { improvement: Improvement::Increase, ..Options::default() }).unwrap();
        let down = analyse(&monthly(&ys), &Options { improvement: Improvement::Decrease, ..Options::default() }).unwrap();
        for (p, q) in up.points.iter().zip(&down.points) {
            let swapped = match p.variation {
                Variation::Improvement => Variation::Concern,
                Variation::Concern => Variation::Improvement,
                other => other,
            };
            prop_assert_eq!(swapped, q.variation);
        }
    }

    #[test]
    fn analysing_into_a_used_analysis_gives_what_a_fresh_one_would(
        all in prop::collection::vec(series(), 1..6),
        rebase in any::<bool>(),
    ) {
        // Series of different lengths and phases, one after another into the same analysis and
        // text, and one that fails part way (leaving the last result as it was).
        let options = Options { auto_rebase: !rebase, baseline: rebase.then_some(12), ..Options::default() };
        let mut reused = Analysis::default();
        let mut text = String::from("left over");
        for ys in &all {
            analyse_into(&monthly(ys), &options, &mut reused).unwrap();
            let fresh = analyse(&monthly(ys), &options).unwrap();
            prop_assert_eq!(&reused, &fresh);
            text.clear();
            write_narrative(&reused, &mut text);
            prop_assert_eq!(&text, &narrative(&fresh));
            prop_assert!(analyse_into(&monthly(&ys[..1]), &options, &mut reused).is_err());
            prop_assert_eq!(&reused, &fresh);
        }
    }

    #[test]
    fn the_csv_reader_never_panics(text in ".{0,400}") {
        let _ = read_csv(&text);
        let with_header = format!("period,value,denominator,series\n{text}");
        if let Ok(series) = read_csv(&with_header) {
            for s in series {
                if let Ok(a) = analyse(&s.observations, &Options::default()) {
                    let _ = narrative(&a);
                }
            }
        }
    }

    #[test]
    fn csv_like_rows_never_panic(rows in prop::collection::vec(("[0-9]{4}-[0-9]{2}(-[0-9]{2})?", "-?[0-9,.e]{0,8}", "[0-9.]{0,5}"), 0..40)) {
        let text = std::iter::once("period,value,denominator".to_owned())
            .chain(rows.iter().map(|(p, v, d)| format!("{p},{v},{d}")))
            .collect::<Vec<_>>()
            .join("\n");
        if let Ok(series) = read_csv(&text) {
            for s in series {
                for chart in [safer_spc::Chart::Xmr, safer_spc::Chart::P, safer_spc::Chart::Up, safer_spc::Chart::C, safer_spc::Chart::Run] {
                    let options = Options { auto_rebase: true, ..Options::new(chart, safer_spc::Method::Mdc) };
                    if let Ok(a) = analyse(&s.observations, &options) {
                        let _ = narrative(&a);
                    }
                }
            }
        }
    }

    #[test]
    fn any_numbers_give_a_result_or_an_error(ys in prop::collection::vec(prop_oneof![any::<f64>(), Just(f64::NAN), Just(0.0), Just(1e308)], 0..40)) {
        if let Ok(a) = analyse(&monthly(&ys), &Options { auto_rebase: true, ..Options::default() }) {
            let _ = narrative(&a);
        }
    }
}
