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
    } else if let Some(problem) = unreadable(value) {
        errors.add(field, problem);
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
    if let Some(problem) = unreadable(value) {
        errors.add(field, problem);
    } else if value.chars().count() > max_chars {
        errors.add(field, format!("Must be {max_chars} characters or fewer"));
    }
    value.to_owned()
}

/// Why submitted text cannot be stored as it is, if it cannot: it holds a control character
/// (a null byte, say; tabs and line breaks are text) or U+FFFD, which is what bytes that were not
/// UTF-8 become when a form is decoded.
pub fn unreadable(value: &str) -> Option<&'static str> {
    let control = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if value.contains('\u{fffd}') {
        Some(
            "Must only contain readable characters: some of what was sent was not UTF-8 text. Type it again, or paste it as plain text",
        )
    } else if value.chars().any(control) {
        Some(
            "Must not contain invisible control characters, such as a null byte. Type it again, or paste it as plain text",
        )
    } else {
        None
    }
}

/// The text with its first letter a capital, for a message that starts a sentence.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_with_control_characters_or_undecodable_bytes_is_refused_on_its_field() {
        let mut errors = FormErrors::default();
        required_text(
            &mut errors,
            "title",
            "Budget\0 update",
            "Enter a title",
            100,
        );
        optional_text(&mut errors, "notes", "caf\u{fffd}", 100);
        optional_text(&mut errors, "body", "Line one\r\nLine two\twith a tab", 100);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "notes"]);
        assert!(errors.get("title").unwrap().contains("null byte"));
        assert!(errors.get("notes").unwrap().contains("not UTF-8"));
    }
}
