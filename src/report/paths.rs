//! Paths as the reports show them: relative to the working folder when under it,
//! absolute otherwise. Human formats keep the platform's separators; machine formats
//! (github, gitlab, sarif, junit) always use `/`.

use std::path::Path;

/// `path` relative to `cwd` when it lies under it (`.` for `cwd` itself), else `path`.
pub(super) fn relative<'a>(path: &'a Path, cwd: &Path) -> &'a Path {
    match path.strip_prefix(cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => Path::new("."),
        Ok(rel) => rel,
        Err(_) => path,
    }
}

/// The path as people read it in a terminal.
pub(super) fn display(path: &Path, cwd: &Path) -> String {
    relative(path, cwd).to_string_lossy().into_owned()
}

/// The path with forward slashes, for machine formats.
pub(super) fn portable(path: &Path, cwd: &Path) -> String {
    let text = display(path, cwd);
    if std::path::MAIN_SEPARATOR == '\\' {
        text.replace('\\', "/")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_cwd_are_relative() {
        let cwd = Path::new("/work/project");
        assert_eq!(display(Path::new("/work/project/app/main.py"), cwd), "app/main.py");
        assert_eq!(display(Path::new("/work/project"), cwd), ".");
        assert_eq!(
            display(Path::new("/work/projectile/x.py"), cwd),
            "/work/projectile/x.py"
        );
        assert_eq!(portable(Path::new("/elsewhere/x.py"), cwd), "/elsewhere/x.py");
    }
}
