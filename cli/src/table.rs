//! Plain-text tables: columns aligned with spaces by display width (Cyrillic letters are one
//! column wide, CJK two), no box-drawing characters, so a screen reader reads each row as a line
//! of words. Long cells are cut at a column's limit with "…" (the full text is in `teng show`).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Spaces between columns: two, so columns stay apart even when a cell is full.
const GAP: &str = "  ";

pub struct Table {
    headers: Vec<String>,
    /// Widest a column may be, in display columns; `None`: as wide as its widest cell.
    limits: Vec<Option<usize>>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new() -> Self {
        Table {
            headers: Vec::new(),
            limits: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds a column; `limit` cuts longer cells.
    pub fn column(mut self, header: &str, limit: Option<usize>) -> Self {
        self.headers.push(header.to_string());
        self.limits.push(limit);
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let cut: Vec<Vec<String>> = std::iter::once(&self.headers)
            .chain(self.rows.iter())
            .map(|row| {
                (0..self.headers.len())
                    .map(|i| {
                        let cell = row.get(i).map(String::as_str).unwrap_or("");
                        let cell = one_line(cell);
                        match self.limits[i] {
                            Some(limit) => truncate(&cell, limit),
                            None => cell,
                        }
                    })
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| cut.iter().map(|r| r[i].width()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in &cut {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str(GAP);
                }
                line.push_str(cell);
                if i + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[i].saturating_sub(cell.width())));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Newlines and tabs in data would break the columns.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` cut to at most `limit` display columns, ending in "…" when cut.
pub fn truncate(s: &str, limit: usize) -> String {
    if s.width() <= limit {
        return s.to_string();
    }
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if width + w + 1 > limit {
            break;
        }
        out.push(c);
        width += w;
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width_with_cyrillic() {
        let mut t = Table::new()
            .column("title", None)
            .column("city", None)
            .column("id", None);
        t.row(vec!["Бухгалтер".into(), "Бишкек".into(), "1".into()]);
        t.row(vec!["IT".into(), "Ош".into(), "2".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "title      city    id");
        assert_eq!(lines[1], "Бухгалтер  Бишкек  1");
        assert_eq!(lines[2], "IT         Ош      2");
    }

    #[test]
    fn long_cells_are_cut_with_an_ellipsis_and_newlines_flattened() {
        assert_eq!(truncate("Бухгалтер-кассир", 10), "Бухгалтер…");
        assert_eq!(truncate("short", 10), "short");
        let mut t = Table::new().column("a", Some(5));
        t.row(vec!["one\ntwo three".into()]);
        assert_eq!(t.render().lines().nth(1), Some("one…"));
    }
}
