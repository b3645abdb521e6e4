//! What every page's frame needs: the title, the organisation's name for the header, who is
//! signed in, the CSRF token for the sign-out form, and which part of the service is current.

use crate::AppState;
use crate::session::Viewer;
use safer_core::access::{AdminAccess, admin_access};

/// The parts of the service in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The home page.
    Home,
    /// Plans.
    Plans,
    /// Organisations.
    Organisations,
    /// Performance.
    Performance,
    /// Boards and meetings.
    Boards,
    /// Funds.
    Funds,
    /// Administration.
    Admin,
    /// Who looked at personal records.
    AccessLog,
    /// The person's own account.
    Account,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page title (before " – safer").
    pub title: String,
    /// Prefix the title with "Error: ", as GOV.UK pages do when a form has errors.
    pub has_errors: bool,
    /// The organisation whose name is in the header.
    pub organisation: String,
    /// The signed-in person's name.
    pub user: Option<String>,
    /// Which administration links to show.
    pub admin: AdminAccess,
    /// The CSRF token for forms on the page.
    pub csrf: String,
    /// The current part of the service.
    pub section: Section,
    /// The `?v=` of the stylesheet and script links.
    pub asset_version: &'static str,
}

impl Layout {
    /// The frame for a page titled `title` in `section`.
    pub fn new(
        state: &AppState,
        viewer: &Viewer,
        title: impl Into<String>,
        section: Section,
    ) -> Self {
        Self {
            title: title.into(),
            has_errors: false,
            organisation: state.config.organisation_name.clone(),
            user: viewer.actor.as_ref().map(|a| a.display_name.clone()),
            admin: admin_access(viewer.actor.as_ref()),
            csrf: viewer.csrf.clone(),
            section,
            asset_version: crate::assets::version(),
        }
    }

    /// Marks the page as showing form errors.
    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }

    /// The navigation: (link, text, current).
    pub fn navigation(&self) -> Vec<(&'static str, &'static str, bool)> {
        let mut nav = vec![
            ("/plans", "Plans", self.section == Section::Plans),
            (
                "/organisations",
                "Organisations",
                self.section == Section::Organisations,
            ),
        ];
        nav.push(("/bodies", "Boards", self.section == Section::Boards));
        nav.push(("/funds", "Funds", self.section == Section::Funds));
        if self.user.is_some() {
            nav.push((
                "/performance",
                "Performance",
                self.section == Section::Performance,
            ));
        }
        if self.admin.manage_users {
            nav.push(("/admin/audit", "Audit log", self.section == Section::Admin));
        }
        if self.admin.read_access_log {
            nav.push((
                "/audit/access",
                "Access log",
                self.section == Section::AccessLog,
            ));
        }
        if self.user.is_some() {
            nav.push(("/account", "Your account", self.section == Section::Account));
        }
        nav
    }
}
