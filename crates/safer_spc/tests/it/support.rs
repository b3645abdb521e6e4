use safer_spc::analysis::Observation;
use safer_spc::{Analysis, Options, Period, analyse};

/// Monthly observations from January 2014 on.
pub fn monthly(values: &[f64]) -> Vec<Observation> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Observation {
            period: month(i),
            value: *v,
            denominator: None,
        })
        .collect()
}

/// The i-th month from January 2014.
pub fn month(i: usize) -> Period {
    Period::month(2014 + (i / 12) as i32, (i % 12) as u8 + 1).unwrap()
}

pub fn run(values: &[f64], options: &Options) -> Analysis {
    analyse(&monthly(values), options).expect("the series analyses")
}

/// Rounds to `s` significant figures.
pub fn sig(x: f64, s: i32) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let scale = 10f64.powi(s - 1 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

pub fn flags(a: &Analysis, f: impl Fn(&safer_spc::PointResult) -> bool) -> Vec<usize> {
    a.points
        .iter()
        .enumerate()
        .filter(|(_, p)| f(p))
        .map(|(i, _)| i)
        .collect()
}
