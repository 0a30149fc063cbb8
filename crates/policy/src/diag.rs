//! Diagnostics for configuration files (alliance, policies): file, key, line, column.

use std::ops::Range;

/// One problem in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub file: String,
    /// Dotted TOML key (`stance.attribute.support`), empty for the file as a whole.
    pub key: String,
    /// 1-based line and column in the file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Byte span in the file.
    #[serde(skip)]
    pub span: Range<usize>,
    /// Valid words at this place, when a word was wrong.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub valid: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean '{s}'?")?;
        }
        if !self.valid.is_empty() {
            write!(f, " (valid: {})", self.valid.join(", "))?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (
        line,
        1 + String::from_utf8_lossy(&before[start..]).chars().count(),
    )
}

/// Collects diagnostics for one file.
#[derive(Debug)]
pub struct FileDiag<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub out: Vec<Diagnostic>,
}

impl<'a> FileDiag<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        FileDiag {
            file,
            text,
            out: Vec::new(),
        }
    }
    pub fn push(&mut self, key: &str, span: Option<Range<usize>>, message: impl Into<String>) {
        self.push_full::<String>(key, span, message.into(), Vec::new(), None);
    }
    pub fn push_full<S: ToString>(
        &mut self,
        key: &str,
        span: Option<Range<usize>>,
        message: String,
        valid: Vec<S>,
        suggestion: Option<&str>,
    ) {
        let span = span.unwrap_or(0..0);
        let valid: Vec<String> = valid.iter().map(ToString::to_string).collect();
        let suggestion = suggestion.map(str::to_owned);
        let (line, column) = line_col(self.text, span.start);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            key: key.to_string(),
            line,
            column,
            message,
            span,
            valid,
            suggestion,
        });
    }
}

/// A file that is not TOML at all.
pub fn toml_error(file: &str, text: &str, e: &toml_edit::TomlError) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    let (line, column) = line_col(text, span.start);
    let message = e.message().trim().to_string();
    Diagnostic {
        file: file.to_string(),
        key: String::new(),
        line,
        column,
        message: format!("not valid TOML: {message}"),
        span,
        valid: Vec::new(),
        suggestion: None,
    }
}

/// A diagnostic with its file text, renderable by miette (source snippet and label).
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{key}{message}")]
pub struct Rendered {
    key: String,
    message: String,
    #[source_code]
    src: miette::NamedSource<String>,
    #[label("here")]
    span: miette::SourceSpan,
    #[help]
    help: Option<String>,
}

impl Diagnostic {
    /// Attach the file text for rendering.
    pub fn render(&self, text: &str) -> Rendered {
        let mut help = Vec::new();
        if let Some(s) = &self.suggestion {
            help.push(format!("did you mean '{s}'?"));
        }
        if !self.valid.is_empty() {
            help.push(format!("valid: {}", self.valid.join(", ")));
        }
        let start = self.span.start.min(text.len());
        let len = self.span.end.min(text.len()).saturating_sub(start);
        Rendered {
            key: if self.key.is_empty() {
                String::new()
            } else {
                format!("{}: ", self.key)
            },
            message: self.message.clone(),
            src: miette::NamedSource::new(&self.file, text.to_string()),
            span: (start, len).into(),
            help: if help.is_empty() {
                None
            } else {
                Some(help.join("; "))
            },
        }
    }
}
