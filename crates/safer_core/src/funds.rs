//! Money and funds: amounts in whole pence, printed as the papers print them (£6,969,000), and
//! the form that defines a fund. What a fund has left is always computed from its budget and
//! commitments, never stored.

use crate::forms::{FormErrors, required_text};
use crate::numbers::thousands;
use std::fmt;

/// An amount of money in whole pence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pence(pub i64);

impl Pence {
    /// Parses an amount as people type it: "£30,000", "30000", "1,234.50". Refuses negative
    /// amounts, more than two decimal places and amounts beyond a trillion pounds.
    pub fn parse(text: &str) -> Option<Pence> {
        let cleaned: String = text
            .trim()
            .trim_start_matches('£')
            .chars()
            .filter(|c| *c != ',' && *c != ' ')
            .collect();
        let (pounds, pence) = match cleaned.split_once('.') {
            Some((p, f)) if (1..=2).contains(&f.len()) => (p, f),
            Some(_) => return None,
            None => (cleaned.as_str(), ""),
        };
        if pounds.is_empty() || !pounds.bytes().all(|b| b.is_ascii_digit()) || pounds.len() > 12 {
            return None;
        }
        if !pence.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let pounds: i64 = pounds.parse().ok()?;
        let pence: i64 = match pence.len() {
            0 => 0,
            1 => pence.parse::<i64>().ok()? * 10,
            _ => pence.parse().ok()?,
        };
        Some(Pence(pounds * 100 + pence))
    }
}

impl fmt::Display for Pence {
    /// "£6,969,000", "£1,234.50", "−£5,000".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "−" } else { "" };
        let abs = self.0.unsigned_abs();
        let (pounds, pence) = (abs / 100, abs % 100);
        if pence == 0 {
            write!(f, "{sign}£{}", thousands(pounds))
        } else {
            write!(f, "{sign}£{}.{pence:02}", thousands(pounds))
        }
    }
}

/// A financial year, 1 April to 31 March, named by the year it starts in; prints as "2013/14".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct FinancialYear(pub i16);

impl FinancialYear {
    /// Parses "2013/14" or "2013-14" (the second year must follow the first), or "2013".
    pub fn parse(text: &str) -> Option<FinancialYear> {
        let text = text.trim();
        let (first, second) = match text.split_once(['/', '-']) {
            Some((a, b)) => (a, Some(b)),
            None => (text, None),
        };
        let start: i16 = first.parse().ok().filter(|y| (1990..=2100).contains(y))?;
        if let Some(second) = second {
            let follows = (start + 1) % 100;
            let given: i16 = second.parse().ok()?;
            let ok = match second.len() {
                2 => given == follows,
                4 => given == start + 1,
                _ => false,
            };
            if !ok {
                return None;
            }
        }
        Some(FinancialYear(start))
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

stored_enum! {
    /// What a fund may be spent on.
    Spending {
        /// Running costs.
        Revenue = "revenue", "Revenue";
        /// Assets such as CCTV cameras.
        Capital = "capital", "Capital";
        /// Either.
        Both = "both", "Capital and revenue";
    }
}

/// A fund as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FundForm {
    /// Its name.
    pub name: String,
    /// Where the money comes from.
    pub source: String,
    /// The first financial year.
    pub first_year: String,
    /// The last financial year (optional; the first when empty).
    pub last_year: String,
    /// `revenue`, `capital` or `both`.
    pub spending: String,
    /// The budget.
    pub budget: String,
}

/// A fund as parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundDetails {
    /// Its name.
    pub name: String,
    /// Where the money comes from: "Home Office Community Safety Fund", "PCC budget".
    pub source: String,
    /// The first financial year.
    pub first_year: FinancialYear,
    /// The last financial year.
    pub last_year: FinancialYear,
    /// What it may be spent on.
    pub spending: Spending,
    /// The budget.
    pub budget: Pence,
}

impl FundForm {
    /// The fund, or what to fix.
    pub fn parse(&self) -> Result<FundDetails, FormErrors> {
        let mut errors = FormErrors::default();
        let name = required_text(
            &mut errors,
            "name",
            &self.name,
            "Enter the fund's name",
            200,
        );
        let source = required_text(
            &mut errors,
            "source",
            &self.source,
            "Enter where the money comes from",
            200,
        );
        let first_year = FinancialYear::parse(&self.first_year);
        if first_year.is_none() {
            errors.add(
                "first-year",
                "Enter the financial year as two years, like 2013/14",
            );
        }
        let last_year = if self.last_year.trim().is_empty() {
            first_year
        } else {
            let last = FinancialYear::parse(&self.last_year);
            match (first_year, last) {
                (_, None) => {
                    errors.add(
                        "last-year",
                        "Enter the last financial year as two years, like 2015/16",
                    );
                }
                (Some(first), Some(last)) if last < first => {
                    errors.add(
                        "last-year",
                        "The last financial year must not be before the first",
                    );
                }
                _ => {}
            }
            last
        };
        let spending = Spending::parse(&self.spending);
        if spending.is_none() {
            errors.add("spending", "Select what the fund may be spent on");
        }
        let budget = Pence::parse(&self.budget);
        if budget.is_none() {
            errors.add(
                "budget",
                "Enter the budget in pounds, like £350,000 or 350000",
            );
        }
        match (first_year, last_year, spending, budget) {
            (Some(first_year), Some(last_year), Some(spending), Some(budget))
                if errors.is_empty() =>
            {
                Ok(FundDetails {
                    name,
                    source,
                    first_year,
                    last_year,
                    spending,
                    budget,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_as_people_type_them_and_print_as_the_papers_do() {
        assert_eq!(Pence::parse("£30,000"), Some(Pence(3_000_000)));
        assert_eq!(Pence::parse(" 350000 "), Some(Pence(35_000_000)));
        assert_eq!(Pence::parse("1,234.5"), Some(Pence(123_450)));
        assert_eq!(Pence::parse("0.07"), Some(Pence(7)));
        for bad in [
            "",
            "£",
            "-5",
            "12.345",
            "1e6",
            "£3O,000",
            "1.",
            "9999999999999",
        ] {
            assert_eq!(Pence::parse(bad), None, "{bad}");
        }
        assert_eq!(Pence(696_900_000).to_string(), "£6,969,000");
        assert_eq!(Pence(123_450).to_string(), "£1,234.50");
        assert_eq!(Pence(-500_000).to_string(), "−£5,000");
    }

    #[test]
    fn financial_years_read_both_ways_and_print_with_a_slash() {
        assert_eq!(FinancialYear::parse("2013/14"), Some(FinancialYear(2013)));
        assert_eq!(FinancialYear::parse("2013-14"), Some(FinancialYear(2013)));
        assert_eq!(FinancialYear::parse("2099/2100"), Some(FinancialYear(2099)));
        assert_eq!(FinancialYear::parse("2013/15"), None);
        assert_eq!(FinancialYear(1999).to_string(), "1999/00");
        assert_eq!(FinancialYear(2015).to_string(), "2015/16");
    }

    #[test]
    fn a_fund_form_says_what_to_fix() {
        let errors = FundForm {
            first_year: "2015/16".into(),
            last_year: "2014/15".into(),
            budget: "lots".into(),
            ..FundForm::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("name"), Some("Enter the fund's name"));
        assert_eq!(
            errors.get("last-year"),
            Some("The last financial year must not be before the first")
        );
        assert_eq!(
            errors.get("spending"),
            Some("Select what the fund may be spent on")
        );
        assert!(errors.get("budget").is_some());
        let fund = FundForm {
            name: "Invest to Save".into(),
            source: "PCC budget".into(),
            first_year: "2013/14".into(),
            last_year: String::new(),
            spending: "both".into(),
            budget: "£350,000".into(),
        }
        .parse()
        .unwrap();
        assert_eq!(fund.last_year, FinancialYear(2013));
        assert_eq!(fund.budget, Pence(35_000_000));
    }
}
