//! GOV.UK Design System components as typed Rust values, each rendered by its own template with
//! the markup of govuk-frontend's published fixtures. Pages build these and place them with
//! `{{ component|safe }}` (askama has escaped every value inside).

use askama::Template;
use safer_core::forms::FormErrors;

/// A text input with its label, hint and error message.
#[derive(Template, Debug, Clone)]
#[template(path = "components/text_input.html")]
pub struct TextInput {
    /// The input's id, which the error summary links to.
    pub id: String,
    /// The submitted field name.
    pub name: String,
    /// The visible label.
    pub label: String,
    /// Extra help under the label.
    pub hint: Option<String>,
    /// The current value.
    pub value: String,
    /// The error message, when the value needs fixing.
    pub error: Option<String>,
    /// `text`, `email` or `password`.
    pub input_type: &'static str,
    /// The `autocomplete` attribute.
    pub autocomplete: Option<&'static str>,
    /// Extra classes, e.g. a width.
    pub classes: &'static str,
}

impl TextInput {
    /// A text input whose id and name are `name`, with the error from `errors` if any.
    pub fn new(name: &str, label: &str, value: &str, errors: &FormErrors) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            label: label.to_owned(),
            hint: None,
            value: value.to_owned(),
            error: errors.get(name).map(str::to_owned),
            input_type: "text",
            autocomplete: None,
            classes: "",
        }
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// Sets the input type and autocomplete token.
    pub fn kind(mut self, input_type: &'static str, autocomplete: &'static str) -> Self {
        self.input_type = input_type;
        self.autocomplete = Some(autocomplete);
        self
    }

    /// The `aria-describedby` value: the hint and the error, if present.
    pub fn described_by(&self) -> String {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

fn described_by(id: &str, hint: bool, error: bool) -> String {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    ids.join(" ")
}

/// A textarea with its label, hint and error message.
#[derive(Template, Debug, Clone)]
#[template(path = "components/textarea.html")]
pub struct Textarea {
    /// The textarea's id and field name.
    pub id: String,
    /// The visible label.
    pub label: String,
    /// Extra help under the label.
    pub hint: Option<String>,
    /// The current value.
    pub value: String,
    /// The error message, when the value needs fixing.
    pub error: Option<String>,
}

impl Textarea {
    /// A textarea whose id and name are `name`, with the error from `errors` if any.
    pub fn new(name: &str, label: &str, value: &str, errors: &FormErrors) -> Self {
        Self {
            id: name.to_owned(),
            label: label.to_owned(),
            hint: None,
            value: value.to_owned(),
            error: errors.get(name).map(str::to_owned),
        }
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// The `aria-describedby` value.
    pub fn described_by(&self) -> String {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// One choice among radios or checkboxes.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// The visible label.
    pub label: String,
    /// Extra help under the label.
    pub hint: Option<String>,
    /// Whether it is selected.
    pub checked: bool,
}

/// A set of radios (one choice) or checkboxes (any number) in a fieldset.
#[derive(Template, Debug, Clone)]
#[template(path = "components/choices.html")]
pub struct Choices {
    /// The id of the first input, which the error summary links to; others get `-2`, `-3`…
    pub id: String,
    /// The submitted field name.
    pub name: String,
    /// The fieldset's legend.
    pub legend: String,
    /// Extra help under the legend.
    pub hint: Option<String>,
    /// The choices.
    pub items: Vec<Choice>,
    /// The error message, when the choice needs fixing.
    pub error: Option<String>,
    /// `radio` or `checkbox`.
    pub input_type: &'static str,
    /// Small radios, for choices inside a busy page.
    pub small: bool,
}

impl Choices {
    /// Radios named `name`, with `selected` checked.
    pub fn radios(
        name: &str,
        legend: &str,
        items: Vec<(String, String)>,
        selected: &str,
        errors: &FormErrors,
    ) -> Self {
        let items = items
            .into_iter()
            .map(|(value, label)| Choice {
                checked: value == selected,
                value,
                label,
                hint: None,
            })
            .collect();
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            legend: legend.to_owned(),
            hint: None,
            items,
            error: errors.get(name).map(str::to_owned),
            input_type: "radio",
            small: false,
        }
    }

    /// Checkboxes named `name`.
    pub fn checkboxes(name: &str, legend: &str, items: Vec<Choice>, errors: &FormErrors) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            legend: legend.to_owned(),
            hint: None,
            items,
            error: errors.get(name).map(str::to_owned),
            input_type: "checkbox",
            small: false,
        }
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// The id of the input at `index` (from 0).
    pub fn item_id(&self, index: &usize) -> String {
        if *index == 0 {
            self.id.clone()
        } else {
            format!("{}-{}", self.id, index + 1)
        }
    }

    /// The `aria-describedby` value for the fieldset.
    pub fn described_by(&self) -> String {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }

    /// The GOV.UK class prefix: `govuk-radios` or `govuk-checkboxes`.
    pub fn block(&self) -> &'static str {
        if self.input_type == "radio" {
            "govuk-radios"
        } else {
            "govuk-checkboxes"
        }
    }
}

/// A date input: day, month and year boxes in a fieldset.
#[derive(Template, Debug, Clone)]
#[template(path = "components/date_input.html")]
pub struct DateInput {
    /// The id prefix; boxes are `{id}-day`, `{id}-month`, `{id}-year` and named the same.
    pub id: String,
    /// The fieldset's legend.
    pub legend: String,
    /// Extra help under the legend.
    pub hint: Option<String>,
    /// The day, month and year as submitted.
    pub values: [String; 3],
    /// The error message, when the date needs fixing (reported against `{id}-day`).
    pub error: Option<String>,
}

impl DateInput {
    /// A date input with the error for `{id}-day` from `errors`, if any.
    pub fn new(id: &str, legend: &str, values: [&str; 3], errors: &FormErrors) -> Self {
        Self {
            id: id.to_owned(),
            legend: legend.to_owned(),
            hint: None,
            values: values.map(str::to_owned),
            error: errors.get(&format!("{id}-day")).map(str::to_owned),
        }
    }

    /// Sets the hint.
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }

    /// The three boxes: (suffix, label, value, width class).
    pub fn parts(&self) -> [(&'static str, &'static str, &str, &'static str); 3] {
        [
            ("day", "Day", &self.values[0], "govuk-input--width-2"),
            ("month", "Month", &self.values[1], "govuk-input--width-2"),
            ("year", "Year", &self.values[2], "govuk-input--width-4"),
        ]
    }

    /// The `aria-describedby` value for the fieldset.
    pub fn described_by(&self) -> String {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// The error summary at the top of a form, linking to each field with a message.
#[derive(Template, Debug, Clone, Default)]
#[template(path = "components/error_summary.html")]
pub struct ErrorSummary {
    /// (field id, message) for each error.
    pub errors: Vec<(String, String)>,
}

impl ErrorSummary {
    /// The summary for a form's errors.
    pub fn of(errors: &FormErrors) -> Self {
        Self {
            errors: errors
                .iter()
                .map(|(f, m)| (f.to_owned(), m.to_owned()))
                .collect(),
        }
    }

    /// Whether there is any error.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The message for one field, for a field drawn by hand rather than by a component.
    pub fn message_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// A select (drop-down) with its label, hint and error message.
#[derive(Template, Debug, Clone)]
#[template(path = "components/select.html")]
pub struct Select {
    /// The select's id, which the error summary links to.
    pub id: String,
    /// The submitted field name.
    pub name: String,
    /// The visible label.
    pub label: String,
    /// Extra help under the label.
    pub hint: Option<String>,
    /// The options: (value, text).
    pub items: Vec<(String, String)>,
    /// The value of the selected option, if one is.
    pub selected: Option<String>,
    /// The error message, when the choice needs fixing.
    pub error: Option<String>,
}

impl Select {
    /// A select whose id and name are `name`, with the error from `errors` if any.
    pub fn new(
        name: &str,
        label: &str,
        items: Vec<(String, String)>,
        selected: &str,
        errors: &FormErrors,
    ) -> Self {
        Self {
            id: name.to_owned(),
            name: name.to_owned(),
            label: label.to_owned(),
            hint: None,
            items,
            selected: Some(selected.to_owned()),
            error: errors.get(name).map(str::to_owned),
        }
    }

    /// Whether the option with this value is the selected one.
    pub fn is_selected(&self, value: &str) -> bool {
        self.selected.as_deref() == Some(value)
    }

    /// The `aria-describedby` value.
    pub fn described_by(&self) -> String {
        described_by(&self.id, self.hint.is_some(), self.error.is_some())
    }
}

/// Links to the newer and older pages of a long list, newest first (the GOV.UK pagination
/// component's block form). Drawn only when there is another page.
#[derive(Template, Debug, Clone)]
#[template(path = "components/pagination.html")]
pub struct Pagination {
    /// What the pages are of, for the navigation's label: "the audit log".
    pub of: &'static str,
    /// What the items are called: "events".
    pub items: &'static str,
    /// The page number, from 1.
    pub page: i64,
    /// The newer page's address, if this is not the first.
    pub previous: Option<String>,
    /// The older page's address, if there are more.
    pub next: Option<String>,
}

impl Pagination {
    /// The most items on one page.
    pub const PAGE_SIZE: i64 = 50;

    /// Page `page` (from 1; anything less is the first): how many rows to ask for (one more
    /// than a page, to know whether there is another) and how many to skip.
    pub fn window(page: Option<i64>) -> (i64, i64, i64) {
        let page = page.unwrap_or(1).max(1);
        let offset = (page - 1).saturating_mul(Self::PAGE_SIZE);
        (page, Self::PAGE_SIZE + 1, offset)
    }

    /// Cuts `rows` (read with [`Pagination::window`]) to one page, and links page `page`'s
    /// neighbours at the addresses `at` gives for a page number.
    pub fn cut<T>(
        rows: &mut Vec<T>,
        page: i64,
        of: &'static str,
        items: &'static str,
        at: impl Fn(i64) -> String,
    ) -> Self {
        let more = rows.len() as i64 > Self::PAGE_SIZE;
        rows.truncate(Self::PAGE_SIZE as usize);
        Self {
            of,
            items,
            page,
            previous: (page > 1).then(|| at(page - 1)),
            next: more.then(|| at(page + 1)),
        }
    }
}
