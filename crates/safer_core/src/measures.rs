//! Performance measures: what a measure counts or records, which way is better, how often it is
//! reported and what it is aiming for; a measure's series in an area; and the year-to-date
//! comparison the board papers print ("YTD 14/15 against YTD 15/16").

use crate::forms::{FormErrors, capitalise, optional_text, required_text};
use crate::police::{CrimeCategory, YearMonth};
use serde::Serialize;

/// Where a measure's values come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Source {
    /// Rows of police.uk street files in these categories, counted by the LSOA they lie in.
    Street {
        /// The categories counted.
        categories: Vec<CrimeCategory>,
    },
    /// Stop and search records of a force (they carry no LSOA, so force areas only).
    StopAndSearch,
    /// Values entered or uploaded for each area and period.
    Entered,
}

impl Source {
    /// The stored name of the kind of source.
    pub fn as_str(&self) -> &'static str {
        match self {
            Source::Street { .. } => "street",
            Source::StopAndSearch => "stop_and_search",
            Source::Entered => "entered",
        }
    }

    /// Rebuilds a source from its stored kind and category slugs (comma-separated).
    pub fn from_parts(kind: &str, categories: &str) -> Option<Source> {
        match kind {
            "street" => {
                let categories = categories
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(CrimeCategory::from_slug)
                    .collect::<Option<Vec<_>>>()?;
                (!categories.is_empty()).then_some(Source::Street { categories })
            }
            "stop_and_search" => Some(Source::StopAndSearch),
            "entered" => Some(Source::Entered),
            _ => None,
        }
    }

    /// The category slugs, comma-separated, as stored.
    pub fn category_slugs(&self) -> String {
        match self {
            Source::Street { categories } => categories
                .iter()
                .map(|c| c.slug())
                .collect::<Vec<_>>()
                .join(","),
            _ => String::new(),
        }
    }

    /// Every recorded-crime category: "total recorded crime" as police.uk can give it.
    pub fn total_recorded_crime() -> Source {
        Source::Street {
            categories: CrimeCategory::ALL
                .into_iter()
                .filter(|c| c.is_crime())
                .collect(),
        }
    }

    /// A sentence saying where the values come from.
    pub fn describe(&self) -> String {
        match self {
            Source::Street { categories } if categories.len() == 1 => {
                format!("police.uk street-level records: {}", categories[0].name())
            }
            Source::Street { categories } if *categories == crime_categories() => {
                "police.uk street-level records: all recorded crime (every category but anti-social behaviour)".to_owned()
            }
            Source::Street { categories } => format!(
                "police.uk street-level records: {}",
                categories
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Source::StopAndSearch => "police.uk stop and search records".to_owned(),
            Source::Entered => "values entered or uploaded in safer".to_owned(),
        }
    }
}

fn crime_categories() -> Vec<CrimeCategory> {
    CrimeCategory::ALL
        .into_iter()
        .filter(|c| c.is_crime())
        .collect()
}

stored_enum! {
    /// What a value is.
    Unit {
        /// A number of things: crimes, incidents, searches.
        Count = "count", "Count";
        /// A percentage, with the number asked or measured as its denominator where known.
        Percentage = "percentage", "Percentage";
        /// A rate per 1,000 residents or households.
        RatePer1000 = "rate_per_1000", "Rate per 1,000";
    }
}

stored_enum! {
    /// Which way is better.
    Polarity {
        /// More is better (confidence, satisfaction).
        HigherIsBetter = "higher_is_better", "Higher is better";
        /// Less is better (crime).
        LowerIsBetter = "lower_is_better", "Lower is better";
        /// Neither direction is better (stop and search).
        Neither = "neither", "Neither";
    }
}

stored_enum! {
    /// How often a value is reported.
    Frequency {
        /// Every month.
        Monthly = "monthly", "Monthly";
        /// Every quarter (entered against the quarter's first month).
        Quarterly = "quarterly", "Quarterly";
        /// Every year (entered against the year's first month).
        Annual = "annual", "Annual";
    }
}

/// What a measure aims for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Target {
    /// A level each period should reach (at least, or at most, by the polarity).
    Level {
        /// The level.
        value: f64,
    },
    /// A change in per cent against the average of a baseline period: "reduce overall crime by
    /// 5 per cent against 2012/13" is −5 against April 2012 to March 2013. Each area's level is
    /// its own baseline average with the change applied.
    Change {
        /// The change in per cent (negative for a reduction).
        percent: f64,
        /// The baseline's first month.
        from: YearMonth,
        /// The baseline's last month.
        to: YearMonth,
    },
}

impl Target {
    /// The level a period should reach in an area with this series, if it can be known.
    pub fn level(&self, series: &[SeriesPoint]) -> Option<f64> {
        match *self {
            Target::Level { value } => Some(value),
            Target::Change { percent, from, to } => {
                // Every baseline month is needed: an average of part of a year is not the
                // year's, and seasonal crime would make it mislead.
                let mut month = from;
                let mut sum = 0.0;
                let mut n = 0.0;
                while month <= to {
                    sum += series.iter().find(|p| p.period == month)?.value?;
                    n += 1.0;
                    month = month.next();
                }
                (n > 0.0).then(|| sum / n * (1.0 + percent / 100.0))
            }
        }
    }

    /// "At most 1,200" or "Reduce by 5 per cent against April 2012 to March 2013".
    pub fn describe(&self, polarity: Polarity) -> String {
        match *self {
            Target::Level { value } => {
                let word = match polarity {
                    Polarity::HigherIsBetter => "At least ",
                    Polarity::LowerIsBetter => "At most ",
                    Polarity::Neither => "",
                };
                format!("{word}{}", crate::numbers::decimal(value))
            }
            Target::Change { percent, from, to } => {
                let verb = if percent < 0.0 { "Reduce" } else { "Increase" };
                format!(
                    "{verb} by {} per cent against {} to {}",
                    crate::numbers::decimal(percent.abs()),
                    from.long(),
                    to.long()
                )
            }
        }
    }
}

/// A measure as defined: everything but its id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureDetails {
    /// "Total recorded crime".
    pub name: String,
    /// What it is and why it matters.
    pub description: String,
    /// Where its values come from.
    pub source: Source,
    /// What a value is.
    pub unit: Unit,
    /// Which way is better.
    pub polarity: Polarity,
    /// How often it is reported.
    pub frequency: Frequency,
    /// What it aims for.
    pub target: Option<Target>,
    /// The Police and Crime Plan objective the target serves.
    pub objective_id: Option<i64>,
}

/// A measure form as submitted: every field as text, the categories as the slugs ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureForm {
    /// The name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// `street`, `stop_and_search` or `entered`.
    pub source: String,
    /// The police.uk category slugs ticked, for street measures.
    pub categories: Vec<String>,
    /// A [`Unit`]'s stored name.
    pub unit: String,
    /// A [`Polarity`]'s stored name.
    pub polarity: String,
    /// A [`Frequency`]'s stored name.
    pub frequency: String,
    /// `none`, `level` or `change`.
    pub target: String,
    /// The level, for a level target.
    pub target_value: String,
    /// The change in per cent, for a change target.
    pub target_percent: String,
    /// The baseline's first month, `YYYY-MM`.
    pub target_from: String,
    /// The baseline's last month, `YYYY-MM`.
    pub target_to: String,
    /// The objective's id, or empty.
    pub objective: String,
}

fn number(errors: &mut FormErrors, field: &str, text: &str, what: &str) -> Option<f64> {
    let text = text.trim().trim_end_matches('%').replace(',', "");
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Some(n),
        _ if text.is_empty() => {
            errors.add(field, format!("Enter {what}"));
            None
        }
        _ => {
            errors.add(
                field,
                format!("{} must be a number, like 1200 or 83.6", capitalise(what)),
            );
            None
        }
    }
}

impl MeasureForm {
    /// Parses the form, with a message for each field that needs fixing.
    pub fn parse(&self) -> Result<MeasureDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let name = required_text(
            &mut errors,
            "name",
            &self.name,
            "Enter the measure's name",
            200,
        );
        let description = optional_text(&mut errors, "description", &self.description, 2000);
        let source = match self.source.as_str() {
            "street" => {
                let categories: Option<Vec<CrimeCategory>> = self
                    .categories
                    .iter()
                    .map(|s| CrimeCategory::from_slug(s))
                    .collect();
                match categories {
                    Some(c) if !c.is_empty() => Some(Source::Street { categories: c }),
                    _ => {
                        errors.add(
                            "categories",
                            "Select the police.uk categories the measure counts",
                        );
                        None
                    }
                }
            }
            "stop_and_search" => Some(Source::StopAndSearch),
            "entered" => Some(Source::Entered),
            _ => {
                errors.add("source", "Select where the measure's values come from");
                None
            }
        };
        let counted = matches!(source, Some(Source::Street { .. } | Source::StopAndSearch));
        let unit = Unit::parse(&self.unit);
        match unit {
            None => errors.add("unit", "Select what a value is"),
            Some(u) if counted && u != Unit::Count => {
                errors.add("unit", "police.uk measures are counts: select Count")
            }
            _ => {}
        }
        let polarity = Polarity::parse(&self.polarity);
        if polarity.is_none() {
            errors.add("polarity", "Select which way is better");
        }
        let frequency = Frequency::parse(&self.frequency);
        match frequency {
            None => errors.add("frequency", "Select how often it is reported"),
            Some(f) if counted && f != Frequency::Monthly => {
                errors.add("frequency", "police.uk publishes monthly: select Monthly")
            }
            _ => {}
        }
        let month = |errors: &mut FormErrors, field: &str, text: &str| {
            let m = YearMonth::parse(text.trim());
            if m.is_none() {
                errors.add(field, "Enter the month as YYYY-MM, for example 2018-04");
            }
            m
        };
        let target = match self.target.as_str() {
            "" | "none" => None,
            "level" => number(
                &mut errors,
                "target-value",
                &self.target_value,
                "the target level",
            )
            .map(|value| Target::Level { value }),
            "change" => {
                let percent = number(
                    &mut errors,
                    "target-percent",
                    &self.target_percent,
                    "the change in per cent",
                );
                let from = month(&mut errors, "target-from", &self.target_from);
                let to = month(&mut errors, "target-to", &self.target_to);
                if let (Some(f), Some(t)) = (from, to)
                    && f > t
                {
                    errors.add(
                        "target-to",
                        "The baseline's last month must be after its first",
                    );
                }
                match (percent, from, to) {
                    (Some(percent), Some(from), Some(to)) => {
                        Some(Target::Change { percent, from, to })
                    }
                    _ => None,
                }
            }
            _ => {
                errors.add("target", "Select whether the measure has a target");
                None
            }
        };
        let objective_id = match self.objective.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("objective", "Select an objective from the list");
                    None
                }
            },
        };
        match (source, unit, polarity, frequency) {
            (Some(source), Some(unit), Some(polarity), Some(frequency)) => {
                errors.into_result(MeasureDetails {
                    name,
                    description,
                    source,
                    unit,
                    polarity,
                    frequency,
                    target,
                    objective_id,
                })
            }
            _ => Err(errors),
        }
    }
}

/// One period of a measure's series in an area. A period with no data is kept, with no value:
/// missing is never zero.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// The month (for quarterly and annual measures, the period's first month).
    pub period: YearMonth,
    /// The value, or `None` where nothing was published or entered.
    pub value: Option<f64>,
    /// For percentages, the number asked or measured.
    pub denominator: Option<f64>,
}

/// The months of the financial year to date (April to `month`) against the same months a year
/// earlier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearToDate {
    /// The first month of this year to date (an April).
    pub from: YearMonth,
    /// The last month.
    pub to: YearMonth,
    /// The total of the previous year's same months.
    pub previous: f64,
    /// The total of this year's months.
    pub current: f64,
}

impl YearToDate {
    /// The change in per cent, where the previous total is not zero.
    pub fn percent_change(&self) -> Option<f64> {
        (self.previous != 0.0).then(|| (self.current - self.previous) / self.previous * 100.0)
    }

    /// "Reducing", "Increasing" or "No change", as the Safer Travel table puts it.
    pub fn trend(&self) -> &'static str {
        if self.current < self.previous {
            "Reducing"
        } else if self.current > self.previous {
            "Increasing"
        } else {
            "No change"
        }
    }

    /// "2014/15", the financial year of the previous year to date.
    pub fn previous_year(&self) -> String {
        financial_year(self.from.plus(-12))
    }

    /// "2015/16".
    pub fn current_year(&self) -> String {
        financial_year(self.from)
    }
}

fn financial_year(april: YearMonth) -> String {
    format!("{}/{:02}", april.year, (april.year + 1).rem_euclid(100))
}

/// Totals of the financial year to date ending at `month` and of the same months a year
/// earlier. Only for counts, and only when every one of those months has a value in both years:
/// a total over missing months would not compare like with like.
pub fn year_to_date(series: &[SeriesPoint], month: YearMonth) -> Option<YearToDate> {
    let months_since_april = (i32::from(month.month) - 4).rem_euclid(12);
    let from = month.plus(-months_since_april);
    let total = |first: YearMonth| -> Option<f64> {
        (0..=months_since_april)
            .map(|i| {
                let period = first.plus(i);
                series
                    .iter()
                    .find(|p| p.period == period)
                    .and_then(|p| p.value)
            })
            .sum()
    };
    Some(YearToDate {
        from,
        to: month,
        previous: total(from.plus(-12))?,
        current: total(from)?,
    })
}

/// The series' values each divided by `population` and multiplied by 1,000.
pub fn rate_per_1000(count: f64, population: i64) -> Option<f64> {
    (population > 0).then(|| count / population as f64 * 1000.0)
}

/// A monthly series from counts: every month from the first to the last of `months` (the
/// months data was published for), each the sum of its counts, zero where data was published
/// but nothing counted, and missing where nothing was published.
pub fn monthly_series(
    months: &[YearMonth],
    counts: impl IntoIterator<Item = (YearMonth, f64)>,
) -> Vec<SeriesPoint> {
    let (Some(&first), Some(&last)) = (months.iter().min(), months.iter().max()) else {
        return Vec::new();
    };
    let mut series: Vec<SeriesPoint> =
        std::iter::successors(Some(first), |m| (*m < last).then(|| m.next()))
            .map(|period| SeriesPoint {
                period,
                value: months.contains(&period).then_some(0.0),
                denominator: None,
            })
            .collect();
    for (month, n) in counts {
        if let Some(point) = series.iter_mut().find(|p| p.period == month)
            && let Some(value) = point.value.as_mut()
        {
            *value += n;
        }
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(text: &str) -> YearMonth {
        YearMonth::parse(text).unwrap()
    }

    fn series(first: &str, values: &[Option<f64>]) -> Vec<SeriesPoint> {
        values
            .iter()
            .enumerate()
            .map(|(i, &value)| SeriesPoint {
                period: ym(first).plus(i as i32),
                value,
                denominator: None,
            })
            .collect()
    }

    #[test]
    fn sources_round_trip_through_storage() {
        for source in [
            Source::total_recorded_crime(),
            Source::Street {
                categories: vec![CrimeCategory::AntiSocialBehaviour],
            },
            Source::StopAndSearch,
            Source::Entered,
        ] {
            let back = Source::from_parts(source.as_str(), &source.category_slugs());
            assert_eq!(back.as_ref(), Some(&source));
        }
        assert_eq!(Source::from_parts("street", ""), None);
        assert_eq!(Source::from_parts("street", "burglary,nonsense"), None);
        assert_eq!(
            Source::total_recorded_crime()
                .category_slugs()
                .split(',')
                .count(),
            13
        );
    }

    #[test]
    fn year_to_date_runs_from_april_and_needs_every_month() {
        // April 2014 to January 2016: two financial years to date ending in January.
        let mut values: Vec<Option<f64>> = (0..22).map(|i| Some(f64::from(i))).collect();
        let s = series("2014-04", &values);
        let ytd = year_to_date(&s, ym("2016-01")).unwrap();
        assert_eq!((ytd.from, ytd.to), (ym("2015-04"), ym("2016-01")));
        // Previous: April 2014 (0) to January 2015 (9); current: 12 to 21.
        assert_eq!(ytd.previous, 45.0);
        assert_eq!(ytd.current, 165.0);
        assert_eq!(ytd.previous_year(), "2014/15");
        assert_eq!(ytd.current_year(), "2015/16");
        assert_eq!(ytd.trend(), "Increasing");
        assert!((ytd.percent_change().unwrap() - 266.666).abs() < 0.01);
        // April alone is a year to date of one month.
        let april = year_to_date(&s, ym("2015-04")).unwrap();
        assert_eq!((april.previous, april.current), (0.0, 12.0));
        // A missing month makes the comparison unknowable, not smaller.
        values[3] = None;
        assert_eq!(
            year_to_date(&series("2014-04", &values), ym("2016-01")),
            None
        );
        // No previous year at all.
        assert_eq!(year_to_date(&s, ym("2014-12")), None);
    }

    #[test]
    fn a_change_target_is_each_area_s_own_baseline_less_the_change() {
        let target = Target::Change {
            percent: -5.0,
            from: ym("2012-04"),
            to: ym("2013-03"),
        };
        let s = series("2012-04", &[Some(100.0); 12]);
        assert_eq!(target.level(&s), Some(95.0));
        assert_eq!(target.level(&series("2014-01", &[Some(1.0)])), None);
        let mut part = vec![Some(100.0); 12];
        part[5] = None;
        assert_eq!(
            target.level(&series("2012-04", &part)),
            None,
            "a missing baseline month"
        );
        assert_eq!(
            target.level(&series("2012-10", &[Some(100.0); 12])),
            None,
            "half a baseline"
        );
        assert_eq!(
            target.describe(Polarity::LowerIsBetter),
            "Reduce by 5 per cent against April 2012 to March 2013"
        );
        assert_eq!(
            Target::Level { value: 1200.0 }.describe(Polarity::LowerIsBetter),
            "At most 1,200"
        );
    }

    #[test]
    fn published_months_with_nothing_are_zero_and_unpublished_months_missing() {
        let months = [ym("2018-10"), ym("2018-11"), ym("2019-01")];
        let s = monthly_series(
            &months,
            [
                (ym("2018-10"), 3.0),
                (ym("2018-10"), 2.0),
                (ym("2019-01"), 7.0),
            ],
        );
        let values: Vec<_> = s.iter().map(|p| (p.period.to_string(), p.value)).collect();
        assert_eq!(
            values,
            [
                ("2018-10".to_owned(), Some(5.0)),
                ("2018-11".to_owned(), Some(0.0)),
                ("2018-12".to_owned(), None),
                ("2019-01".to_owned(), Some(7.0)),
            ]
        );
        assert!(monthly_series(&[], [(ym("2018-10"), 1.0)]).is_empty());
    }

    fn form() -> MeasureForm {
        MeasureForm {
            name: "Burglary".into(),
            source: "street".into(),
            categories: vec!["burglary".into()],
            unit: "count".into(),
            polarity: "lower_is_better".into(),
            frequency: "monthly".into(),
            target: "change".into(),
            target_percent: "-5".into(),
            target_from: "2018-04".into(),
            target_to: "2019-03".into(),
            ..MeasureForm::default()
        }
    }

    #[test]
    fn a_measure_form_parses_or_says_what_to_fix() {
        let details = form().parse().unwrap();
        assert_eq!(
            details.target,
            Some(Target::Change {
                percent: -5.0,
                from: ym("2018-04"),
                to: ym("2019-03")
            })
        );
        let messages = |f: MeasureForm| -> Vec<(String, String)> {
            f.parse()
                .unwrap_err()
                .iter()
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .collect()
        };
        assert_eq!(
            messages(MeasureForm::default()),
            [
                ("name".to_owned(), "Enter the measure's name".to_owned()),
                (
                    "source".to_owned(),
                    "Select where the measure's values come from".to_owned()
                ),
                ("unit".to_owned(), "Select what a value is".to_owned()),
                (
                    "polarity".to_owned(),
                    "Select which way is better".to_owned()
                ),
                (
                    "frequency".to_owned(),
                    "Select how often it is reported".to_owned()
                ),
            ]
        );
        let wrong = MeasureForm {
            categories: vec![],
            target_percent: "five".into(),
            target_from: "2019-03".into(),
            target_to: "2018-04".into(),
            ..form()
        };
        let fields: Vec<String> = messages(wrong).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["categories", "target-percent", "target-to"]);
        let percentage = MeasureForm {
            unit: "percentage".into(),
            frequency: "quarterly".into(),
            ..form()
        };
        assert_eq!(
            messages(percentage),
            [
                (
                    "unit".to_owned(),
                    "police.uk measures are counts: select Count".to_owned()
                ),
                (
                    "frequency".to_owned(),
                    "police.uk publishes monthly: select Monthly".to_owned()
                ),
            ]
        );
        let entered = MeasureForm {
            source: "entered".into(),
            unit: "percentage".into(),
            frequency: "quarterly".into(),
            target: "level".into(),
            target_value: "80%".into(),
            ..form()
        };
        assert_eq!(
            entered.parse().unwrap().target,
            Some(Target::Level { value: 80.0 })
        );
    }

    #[test]
    fn rates_need_a_population() {
        assert_eq!(rate_per_1000(50.0, 10_000), Some(5.0));
        assert_eq!(rate_per_1000(50.0, 0), None);
    }
}
