; Comments that may hold a suppression directive (`# noqa`, `# noqa: CODE reason`).
((comment) @comment
  (#match? @comment "(?i)noqa"))
