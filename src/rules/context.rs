//! What a rule sees: the workspace, the file it runs on, and that file's project.

use crate::facts::FileFacts;
use crate::project::{Project, Workspace};

pub struct RuleContext<'a> {
    pub ws: &'a Workspace,
    pub file: usize,
    pub facts: &'a FileFacts,
    pub project: &'a Project,
}

impl<'a> RuleContext<'a> {
    pub fn new(ws: &'a Workspace, file: usize) -> Self {
        let project = &ws.projects[ws.file_project[file]];
        RuleContext {
            ws,
            file,
            facts: &ws.files[file],
            project,
        }
    }

    /// Whether this file is development code (tests, conftest, noxfile, docs).
    pub fn is_dev_code(&self) -> bool {
        self.project.is_dev_path(&self.facts.path)
    }

    /// A path shown in messages: relative to the project root.
    pub fn rel<'p>(&self, path: &'p std::path::Path) -> std::borrow::Cow<'p, str> {
        let base = self.project.display_base();
        match path.strip_prefix(base) {
            Ok(rel) => rel.to_string_lossy(),
            Err(_) => std::borrow::Cow::Owned(crate::project::relative_path(base, path)),
        }
    }
}
