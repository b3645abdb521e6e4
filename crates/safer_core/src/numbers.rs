//! Numbers as safer prints them.

/// A count with thousands separators, as the papers print it: 24,750.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value as a paper prints it: thousands separated, to one decimal place where it has a
/// fraction, with a minus sign where negative: 1,200, 83.6, −0.4.
pub fn decimal(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let tenths = (value.abs() * 10.0).round();
    // Saturating: beyond u64 the value is nonsense for a paper anyway.
    let whole = (tenths / 10.0).trunc() as u64;
    let fraction = (tenths % 10.0) as u8;
    let sign = if value < 0.0 && tenths > 0.0 {
        "−"
    } else {
        ""
    };
    if fraction == 0 {
        format!("{sign}{}", thousands(whole))
    } else {
        format!("{sign}{}.{fraction}", thousands(whole))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_separated() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(24_750), "24,750");
        assert_eq!(super::thousands(2_000_000), "2,000,000");
    }

    #[test]
    fn decimals_keep_one_place_only_when_needed() {
        assert_eq!(super::decimal(1200.0), "1,200");
        assert_eq!(super::decimal(83.64), "83.6");
        assert_eq!(super::decimal(-0.44), "−0.4");
        assert_eq!(super::decimal(-0.04), "0");
        assert_eq!(super::decimal(3179.96), "3,180");
        assert_eq!(super::decimal(f64::NAN), "–");
    }
}
