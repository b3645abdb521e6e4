//! Errors from parsing a submitted form, field by field, in the GOV.UK Design System's wording.

/// The messages for a form that did not parse, in the order the fields appear on the page.
///
/// Each entry is the id of the field (the `id` of its input, so the error summary can link to
/// it) and the message to show beside it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    /// Records a message against a field.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_owned(), message.into()));
    }

    /// Whether no field has a message.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Every field and message, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }

    /// `Ok(value)` when there are no messages, otherwise these errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FormErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

/// Trims a submitted text field and checks it is present and not too long.
pub fn required_text(
    errors: &mut FormErrors,
    field: &str,
    value: &str,
    missing: &str,
    max_chars: usize,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, missing);
    } else if value.chars().count() > max_chars {
        errors.add(field, format!("Must be {max_chars} characters or fewer"));
    }
    value.to_owned()
}

/// Trims an optional text field and checks it is not too long.
pub fn optional_text(
    errors: &mut FormErrors,
    field: &str,
    value: &str,
    max_chars: usize,
) -> String {
    let value = value.trim();
    if value.chars().count() > max_chars {
        errors.add(field, format!("Must be {max_chars} characters or fewer"));
    }
    value.to_owned()
}

/// The text with its first letter a capital, for a message that starts a sentence.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
