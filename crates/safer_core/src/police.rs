//! police.uk open data as safer keeps it: the crime categories, the three kinds of file, the
//! month a record belongs to, and one record of each kind.
//!
//! `../shared/reference/police-uk-data.md` describes the files; the parsing lives in
//! `safer_import`, the storage in `safer_store`.

use serde::Serialize;
use std::fmt;

/// A calendar month, as police.uk files name them (`2018-10`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    /// The year.
    pub year: i16,
    /// The month, 1–12.
    pub month: i8,
}

impl YearMonth {
    /// A month, if `month` is 1–12.
    pub fn new(year: i16, month: i8) -> Option<YearMonth> {
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Option<YearMonth> {
        let bytes = text.as_bytes();
        if bytes.len() != 7 || bytes[4] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<i16> {
            bytes[range].iter().try_fold(0i16, |n, b| {
                b.is_ascii_digit().then(|| n * 10 + i16::from(b - b'0'))
            })
        };
        YearMonth::new(digits(0..4)?, i8::try_from(digits(5..7)?).ok()?)
    }

    /// The month after this one.
    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// This month `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> YearMonth {
        let index = i32::from(self.year) * 12 + i32::from(self.month) - 1 + n;
        YearMonth {
            year: i16::try_from(index.div_euclid(12)).unwrap_or(i16::MAX),
            month: i8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// "October 2018".
    pub fn long(self) -> String {
        format!("{} {}", crate::time::month_name(self.month), self.year)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The police.uk force id ("west-mercia") of an ONS police force area name ("West Mercia",
/// "Devon & Cornwall", "Metropolitan Police", "London, City of").
pub fn force_id(area_name: &str) -> String {
    let name = area_name.trim();
    let name = name.strip_suffix(" Police").unwrap_or(name);
    // ONS lists "London, City of"; police.uk says "city-of-london".
    let name = match name.split_once(", ") {
        Some((place, prefix)) => format!("{prefix} {place}"),
        None => name.to_owned(),
    };
    name.to_lowercase()
        .replace('&', "and")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// The police.uk crime categories ("Crime type"), including anti-social behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CrimeCategory {
    /// Anti-social behaviour.
    AntiSocialBehaviour,
    /// Bicycle theft.
    BicycleTheft,
    /// Burglary.
    Burglary,
    /// Criminal damage and arson.
    CriminalDamageArson,
    /// Drugs.
    Drugs,
    /// Other theft.
    OtherTheft,
    /// Possession of weapons.
    PossessionOfWeapons,
    /// Public order.
    PublicOrder,
    /// Robbery.
    Robbery,
    /// Shoplifting.
    Shoplifting,
    /// Theft from the person.
    TheftFromThePerson,
    /// Vehicle crime.
    VehicleCrime,
    /// Violence and sexual offences.
    ViolenceAndSexualOffences,
    /// Other crime.
    OtherCrime,
}

impl CrimeCategory {
    /// Every category, in police.uk's order.
    pub const ALL: [CrimeCategory; 14] = [
        CrimeCategory::AntiSocialBehaviour,
        CrimeCategory::BicycleTheft,
        CrimeCategory::Burglary,
        CrimeCategory::CriminalDamageArson,
        CrimeCategory::Drugs,
        CrimeCategory::OtherTheft,
        CrimeCategory::PossessionOfWeapons,
        CrimeCategory::PublicOrder,
        CrimeCategory::Robbery,
        CrimeCategory::Shoplifting,
        CrimeCategory::TheftFromThePerson,
        CrimeCategory::VehicleCrime,
        CrimeCategory::ViolenceAndSexualOffences,
        CrimeCategory::OtherCrime,
    ];

    /// The name in the files' `Crime type` column.
    pub fn name(self) -> &'static str {
        match self {
            CrimeCategory::AntiSocialBehaviour => "Anti-social behaviour",
            CrimeCategory::BicycleTheft => "Bicycle theft",
            CrimeCategory::Burglary => "Burglary",
            CrimeCategory::CriminalDamageArson => "Criminal damage and arson",
            CrimeCategory::Drugs => "Drugs",
            CrimeCategory::OtherTheft => "Other theft",
            CrimeCategory::PossessionOfWeapons => "Possession of weapons",
            CrimeCategory::PublicOrder => "Public order",
            CrimeCategory::Robbery => "Robbery",
            CrimeCategory::Shoplifting => "Shoplifting",
            CrimeCategory::TheftFromThePerson => "Theft from the person",
            CrimeCategory::VehicleCrime => "Vehicle crime",
            CrimeCategory::ViolenceAndSexualOffences => "Violence and sexual offences",
            CrimeCategory::OtherCrime => "Other crime",
        }
    }

    /// The police.uk API slug, which safer also uses in its database and addresses.
    pub fn slug(self) -> &'static str {
        match self {
            CrimeCategory::AntiSocialBehaviour => "anti-social-behaviour",
            CrimeCategory::BicycleTheft => "bicycle-theft",
            CrimeCategory::Burglary => "burglary",
            CrimeCategory::CriminalDamageArson => "criminal-damage-arson",
            CrimeCategory::Drugs => "drugs",
            CrimeCategory::OtherTheft => "other-theft",
            CrimeCategory::PossessionOfWeapons => "possession-of-weapons",
            CrimeCategory::PublicOrder => "public-order",
            CrimeCategory::Robbery => "robbery",
            CrimeCategory::Shoplifting => "shoplifting",
            CrimeCategory::TheftFromThePerson => "theft-from-the-person",
            CrimeCategory::VehicleCrime => "vehicle-crime",
            CrimeCategory::ViolenceAndSexualOffences => "violent-crime",
            CrimeCategory::OtherCrime => "other-crime",
        }
    }

    /// The category with this `Crime type` name, or an older name police.uk used for it.
    pub fn from_name(name: &str) -> Option<CrimeCategory> {
        let name = name.trim();
        CrimeCategory::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .or(match name {
                // Renamed when police.uk moved to the 14 categories used since 2016.
                "Violent crime" | "Violence against the person" => {
                    Some(CrimeCategory::ViolenceAndSexualOffences)
                }
                _ => None,
            })
    }

    /// The category with this slug.
    pub fn from_slug(slug: &str) -> Option<CrimeCategory> {
        CrimeCategory::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// Whether this is recorded crime (everything but anti-social behaviour).
    pub fn is_crime(self) -> bool {
        self != CrimeCategory::AntiSocialBehaviour
    }
}

/// The three kinds of police.uk file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// `*-street.csv`: street-level crime and anti-social behaviour.
    Street,
    /// `*-outcomes.csv`: outcomes of crimes.
    Outcomes,
    /// `*-stop-and-search.csv`.
    StopAndSearch,
}

impl FileKind {
    /// The suffix of the file name, as in `2018-10-west-mercia-street.csv`.
    pub fn suffix(self) -> &'static str {
        match self {
            FileKind::Street => "street",
            FileKind::Outcomes => "outcomes",
            FileKind::StopAndSearch => "stop-and-search",
        }
    }

    /// The kind with this suffix.
    pub fn from_suffix(suffix: &str) -> Option<FileKind> {
        [
            FileKind::Street,
            FileKind::Outcomes,
            FileKind::StopAndSearch,
        ]
        .into_iter()
        .find(|k| k.suffix() == suffix)
    }

    /// For people: "street-level crime".
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Street => "street-level crime",
            FileKind::Outcomes => "outcomes",
            FileKind::StopAndSearch => "stop and search",
        }
    }
}

/// What a police.uk file name says: `YYYY-MM-<force>-<kind>.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileName {
    /// The month the file covers.
    pub month: YearMonth,
    /// The force's police.uk id, such as `west-mercia`.
    pub force: String,
    /// Which kind of file.
    pub kind: FileKind,
}

impl FileName {
    /// Reads a file name as police.uk publishes it, such as `2018-10-west-mercia-street.csv`.
    pub fn parse(name: &str) -> Option<FileName> {
        let stem = name.strip_suffix(".csv")?;
        let month = YearMonth::parse(stem.get(..7)?)?;
        let rest = stem.get(7..)?.strip_prefix('-')?;
        for kind in [
            FileKind::StopAndSearch,
            FileKind::Outcomes,
            FileKind::Street,
        ] {
            if let Some(force) = rest.strip_suffix(kind.suffix()) {
                let force = force.strip_suffix('-')?;
                let valid = !force.is_empty()
                    && force
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                return valid.then(|| FileName {
                    month,
                    force: force.to_owned(),
                    kind,
                });
            }
        }
        None
    }
}

/// One row of a street-level crime file (a crime or an incident of anti-social behaviour),
/// borrowed from the record being read: a file has millions of rows, and copying each text
/// into its own allocation would cost more than reading it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StreetCrime<'a> {
    /// The month of the crime.
    pub month: YearMonth,
    /// The category.
    pub category: CrimeCategory,
    /// police.uk's persistent id: absent for anti-social behaviour, and not unique.
    pub crime_id: Option<&'a str>,
    /// Anonymised longitude and latitude, when there is a location.
    pub point: Option<(f64, f64)>,
    /// "On or near …", or "No Location".
    pub location: &'a str,
    /// The LSOA of the anonymised point: its code and name.
    pub lsoa: Option<(&'a str, &'a str)>,
    /// The most recent outcome, absent for anti-social behaviour.
    pub outcome: Option<&'a str>,
}

/// A Lower Layer Super Output Area as the files give it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lsoa {
    /// The ONS code, such as `E01009350`.
    pub code: String,
    /// Its name, such as `Birmingham 039B`.
    pub name: String,
}

impl Lsoa {
    /// The local authority named in the LSOA's name: "Birmingham 039B" → "Birmingham". Used
    /// when no ONS lookup holds the LSOA.
    pub fn local_authority_name(&self) -> Option<&str> {
        let (place, suffix) = self.name.trim().rsplit_once(' ')?;
        let looks_like_lsoa = suffix.len() == 4
            && suffix[..3].bytes().all(|b| b.is_ascii_digit())
            && suffix.as_bytes()[3].is_ascii_uppercase();
        looks_like_lsoa.then_some(place)
    }
}

/// One row of an outcomes file.
#[derive(Debug, Clone, PartialEq)]
pub struct CrimeOutcome {
    /// The month of the outcome.
    pub month: YearMonth,
    /// The crime's persistent id.
    pub crime_id: Option<String>,
    /// Anonymised longitude and latitude.
    pub point: Option<(f64, f64)>,
    /// "On or near …".
    pub location: String,
    /// The LSOA.
    pub lsoa: Option<Lsoa>,
    /// What happened.
    pub outcome: String,
}

/// One row of a stop-and-search file.
#[derive(Debug, Clone, PartialEq)]
pub struct StopSearch {
    /// The month in UK local time, which is the month of the file.
    pub month: YearMonth,
    /// When, as published (ISO 8601 in UTC).
    pub occurred_at: String,
    /// Person search, vehicle search, or both.
    pub search_type: String,
    /// Whether it was part of a policing operation, where said.
    pub part_of_operation: Option<bool>,
    /// The operation's name.
    pub operation: Option<String>,
    /// Anonymised longitude and latitude.
    pub point: Option<(f64, f64)>,
    /// As recorded.
    pub gender: Option<String>,
    /// `under 10`, `10-17`, `18-24`, `25-34` or `over 34`.
    pub age_range: Option<String>,
    /// As the person described themselves.
    pub self_defined_ethnicity: Option<String>,
    /// As the officer recorded it.
    pub officer_defined_ethnicity: Option<String>,
    /// The power used.
    pub legislation: Option<String>,
    /// What was searched for.
    pub object_of_search: Option<String>,
    /// What happened.
    pub outcome: Option<String>,
    /// Whether the outcome was linked to the object of the search.
    pub outcome_linked_to_object: Option<bool>,
    /// Whether more than outer clothing was removed.
    pub removal_of_more_than_outer_clothing: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn force_ids_from_ons_names() {
        assert_eq!(force_id("West Mercia"), "west-mercia");
        assert_eq!(force_id("City of London"), "city-of-london");
        assert_eq!(force_id("Devon & Cornwall"), "devon-and-cornwall");
        assert_eq!(force_id("Metropolitan Police"), "metropolitan");
        assert_eq!(force_id("London, City of"), "city-of-london");
    }

    #[test]
    fn file_names_as_police_uk_publishes_them() {
        let name = FileName::parse("2019-06-greater-manchester-stop-and-search.csv").unwrap();
        assert_eq!(
            (name.month.to_string(), name.force.as_str(), name.kind),
            (
                "2019-06".to_owned(),
                "greater-manchester",
                FileKind::StopAndSearch
            )
        );
        let name = FileName::parse("2018-10-west-mercia-street.csv").unwrap();
        assert_eq!(
            (name.force.as_str(), name.kind),
            ("west-mercia", FileKind::Street)
        );
        assert_eq!(
            FileName::parse("2018-10-btp-outcomes.csv").map(|n| n.kind),
            Some(FileKind::Outcomes)
        );
        for bad in [
            "west-mercia.csv",
            "2018-13-west-mercia-street.csv",
            "2018-10-street.csv",
            "2018-10-West-Mercia-street.csv",
            "2018-10-west-mercia-street.txt",
        ] {
            assert_eq!(FileName::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn categories_by_name_and_slug() {
        for c in CrimeCategory::ALL {
            assert_eq!(CrimeCategory::from_name(c.name()), Some(c));
            assert_eq!(CrimeCategory::from_slug(c.slug()), Some(c));
        }
        assert_eq!(
            CrimeCategory::from_name("Violent crime"),
            Some(CrimeCategory::ViolenceAndSexualOffences)
        );
        assert_eq!(CrimeCategory::from_name("Jaywalking"), None);
    }

    #[test]
    fn months_parse_and_count() {
        let m = YearMonth::parse("2018-12").unwrap();
        assert_eq!(m.next().to_string(), "2019-01");
        assert_eq!(m.plus(-12).to_string(), "2017-12");
        assert_eq!(m.long(), "December 2018");
        for bad in ["2018-1", "2018-00", "18-12-01", "2018/12", "abcd-ef"] {
            assert_eq!(YearMonth::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn local_authority_from_an_lsoa_name() {
        let lsoa = |name: &str| Lsoa {
            code: "E01009350".into(),
            name: name.into(),
        };
        assert_eq!(
            lsoa("Birmingham 039B").local_authority_name(),
            Some("Birmingham")
        );
        assert_eq!(
            lsoa("Stratford-on-Avon 012C").local_authority_name(),
            Some("Stratford-on-Avon")
        );
        assert_eq!(lsoa("Birmingham").local_authority_name(), None);
    }
}
