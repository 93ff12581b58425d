//! Layout of the interactive auditor as a terminal shows it: the real binary in a
//! pseudo-terminal, its output read back through a terminal emulator (vt100), every screen
//! and popup visited by keys, in Chinese and English, at 80x24 and 200x60, for every
//! built-in app and for a hostile profile (tests/fixtures/hostile.toml).
//!
//! On every screen reached:
//! - **borders**: every box drawn with `┌┐└┘│─` has its four corners, and every row between
//!   its top and bottom has its left and right border character in place; nothing is
//!   written to the right of the terminal's last column (the emulator is wider than the
//!   terminal, so such writes show up there) and no wide character straddles the last
//!   column;
//! - **stale**: a full redraw (the terminal resized and resized back) gives the same screen,
//!   cell by cell, as the incremental drawing that led to it;
//! - **popups** (help, keep dialog, chooser): opening one changes no cell outside its box
//!   (but a wide character cut by its left or right edge may turn blank), its own box is
//!   whole, and closing it gives back the screen it covered.
//! - **chooser** (`c`), on every dashboard row: the above on every frame while its cursor
//!   moves down to the last option, and the cursor ("> ") stays in view as it scrolls; a
//!   title is cut with "…" exactly when the setting's label does not fit.
//!
//! The tours collect every flaw instead of stopping at the first, and fail with the list:
//! screen, size, language, row and column, what is there, and the screen with numbered rows.
#![cfg(unix)]

mod common;

use portable_pty::{Child, MasterPty, PtySize, native_pty_system};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest wait for one frame.
const WAIT: Duration = Duration::from_secs(30);
/// Columns the emulator has beyond the terminal's width: whatever the auditor writes past
/// its last column lands there (a real terminal would clamp it onto the border or wrap it
/// onto the next line), where a test can see it.
const MARGIN: u16 = 4;
/// What ends every frame the auditor draws: ratatui hides the cursor after each flush
/// (and crossterm once on entering). Counting these tells when a frame is complete,
/// without sleeping.
const FRAME_END: &[u8] = b"\x1b[?25l";

/// The keys the tours press, in one place: issue 8 changes some of them.
mod key {
    pub const DOWN: &str = "\x1b[B";
    pub const HOME: &str = "\x1b[H";
    pub const END: &str = "\x1b[F";
    pub const PAGE_DOWN: &str = "\x1b[6~";
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const HELP: &str = "?";
    pub const MAP: &str = "m";
    pub const WALK: &str = "w";
    pub const SKIP: &str = "s";
    pub const BACK: &str = "q";
    pub const RULINGS: &str = "r";
    /// The chooser, on the dashboard: every option of the selected setting.
    pub const CHOOSER: &str = "c";
    /// The keep dialog, in the walk-through.
    pub const KEEP: &str = "x";
}

// ---------------------------------------------------------------------------------------
// The screen as the emulator holds it.

#[derive(Clone, Debug, PartialEq, Eq)]
struct Cell {
    text: String,
    wide: bool,
    continuation: bool,
}

impl Cell {
    fn blank(&self) -> bool {
        !self.continuation && (self.text.is_empty() || self.text == " ")
    }

    /// The same to the eye: a space written and a cell never written are both blank.
    fn same(&self, other: &Cell) -> bool {
        self == other || (self.blank() && other.blank())
    }
}

/// One screen: `rows` x (`cols` + [`MARGIN`]) cells; the terminal is `cols` wide.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shot {
    rows: u16,
    cols: u16,
    cells: Vec<Vec<Cell>>,
}

/// A box by its border rows and columns (inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rect {
    top: u16,
    left: u16,
    bottom: u16,
    right: u16,
}

impl Rect {
    fn contains(&self, row: u16, col: u16) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&col)
    }

    fn area(&self) -> u32 {
        u32::from(self.bottom - self.top + 1) * u32::from(self.right - self.left + 1)
    }
}

impl std::fmt::Display for Rect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "box rows {}-{} cols {}-{}",
            self.top, self.bottom, self.left, self.right
        )
    }
}

const CORNERS: [&str; 4] = ["┌", "┐", "└", "┘"];

fn is_box_char(text: &str) -> bool {
    matches!(text, "┌" | "┐" | "└" | "┘" | "│" | "─")
}

impl Shot {
    fn from_screen(screen: &vt100::Screen, rows: u16, cols: u16) -> Shot {
        let cells = (0..rows)
            .map(|r| {
                (0..cols + MARGIN)
                    .map(|c| match screen.cell(r, c) {
                        Some(cell) => Cell {
                            text: cell.contents().to_owned(),
                            wide: cell.is_wide(),
                            continuation: cell.is_wide_continuation(),
                        },
                        None => Cell {
                            text: String::new(),
                            wide: false,
                            continuation: false,
                        },
                    })
                    .collect()
            })
            .collect();
        Shot { rows, cols, cells }
    }

    /// A screen made by feeding `bytes` to an emulator (for the checker's own tests).
    fn of_bytes(rows: u16, cols: u16, bytes: &[u8]) -> Shot {
        let mut parser = vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols + MARGIN).unwrap(),
            0,
        );
        parser.process(bytes);
        Shot::from_screen(parser.screen(), rows, cols)
    }

    fn cell(&self, row: u16, col: u16) -> &Cell {
        &self.cells[usize::from(row)][usize::from(col)]
    }

    fn at(&self, row: u16, col: u16) -> &str {
        &self.cell(row, col).text
    }

    /// Row `row` as text, the terminal's columns only.
    fn row_text(&self, row: u16) -> String {
        self.cells[usize::from(row)][..usize::from(self.cols)]
            .iter()
            .filter(|c| !c.continuation)
            .map(|c| if c.text.is_empty() { " " } else { &c.text })
            .collect::<String>()
    }

    /// The screen with a column ruler and numbered rows; `|` marks the terminal's right
    /// edge, the emulator's extra columns follow it.
    fn dump(&self) -> String {
        let mut out = String::new();
        let width = usize::from(self.cols);
        let tens: String = (0..width)
            .map(|c| {
                if c % 10 == 0 {
                    char::from(b'0' + ((c / 10) % 10) as u8)
                } else {
                    ' '
                }
            })
            .collect();
        let ones: String = (0..width)
            .map(|c| char::from(b'0' + (c % 10) as u8))
            .collect();
        let _ = writeln!(out, "     {tens}");
        let _ = writeln!(out, "     {ones}");
        for r in 0..self.rows {
            let _ = write!(out, "{r:>3} |");
            for (c, cell) in self.cells[usize::from(r)].iter().enumerate() {
                if c == width {
                    out.push('|');
                }
                if cell.continuation {
                    continue;
                }
                out.push_str(if cell.text.is_empty() {
                    " "
                } else {
                    &cell.text
                });
            }
            out.push('\n');
        }
        out
    }

    /// What a cell shows, in words, for a failure message.
    fn describe(&self, row: u16, col: u16) -> String {
        let cell = self.cell(row, col);
        if cell.continuation {
            let left = if col > 0 { self.at(row, col - 1) } else { "" };
            return format!(
                "the right half of {left:?} (a wide character at col {})",
                col - 1
            );
        }
        if cell.text.is_empty() {
            return "nothing".to_owned();
        }
        if cell.wide {
            return format!("{:?} (wide, so it also covers col {})", cell.text, col + 1);
        }
        format!("{:?}", cell.text)
    }
}

// ---------------------------------------------------------------------------------------
// Finding boxes.

/// From (`row`, `col`) along the row in `step` (+1 right, -1 left): the column of
/// `target`, passing over edges and title text; another box character stops the search.
fn scan_row(s: &Shot, row: u16, col: u16, step: i32, target: &str) -> Option<u16> {
    let mut c = i32::from(col) + step;
    while (0..i32::from(s.cols)).contains(&c) {
        let text = s.at(row, c as u16);
        if text == target {
            return Some(c as u16);
        }
        if is_box_char(text) && text != "─" {
            return None;
        }
        c += step;
    }
    None
}

/// From (`row`, `col`) down (+1) or up (-1) the column: the row of `target`, passing over
/// side borders, crossing edges and whatever broke the side; another corner stops it.
fn scan_column(s: &Shot, row: u16, col: u16, step: i32, target: &str) -> Option<u16> {
    let mut r = i32::from(row) + step;
    while (0..i32::from(s.rows)).contains(&r) {
        let text = s.at(r as u16, col);
        if text == target {
            return Some(r as u16);
        }
        if CORNERS.contains(&text) {
            return None;
        }
        r += step;
    }
    None
}

/// The two corners a corner reaches along its edges: (column along its row, row along its
/// column), and the corner characters those scans look for.
fn partners(s: &Shot, row: u16, col: u16) -> Option<(Option<u16>, Option<u16>)> {
    let (across, down, step_c, step_r) = corner_kind(s.at(row, col))?;
    Some((
        scan_row(s, row, col, step_c, across),
        scan_column(s, row, col, step_r, down),
    ))
}

/// For a corner: the corner along its row, the corner along its column, and the
/// directions to them.
fn corner_kind(text: &str) -> Option<(&'static str, &'static str, i32, i32)> {
    Some(match text {
        "┌" => ("┐", "└", 1, 1),
        "┐" => ("┌", "┘", -1, 1),
        "└" => ("┘", "┌", 1, -1),
        "┘" => ("└", "┐", -1, -1),
        _ => return None,
    })
}

/// Every box with at least three of its corners joined along its edges, and no corner of
/// it joined to some other box's corner instead (which happens when a box lost a corner:
/// the edge then runs on to the next box's corner).
fn find_boxes(s: &Shot) -> BTreeSet<Rect> {
    let mut found = BTreeSet::new();
    for row in 0..s.rows {
        for col in 0..s.cols {
            let Some((c2, r2)) = partners(s, row, col) else {
                continue;
            };
            // The fourth corner, from whichever partner was found.
            let far = |r: u16, c: u16| partners(s, r, c);
            let other = match (c2, r2) {
                (Some(c2), Some(r2)) => Some((r2, c2)),
                (Some(c2), None) => far(row, c2).and_then(|(_, r)| r).map(|r2| (r2, c2)),
                (None, Some(r2)) => far(r2, col).and_then(|(c, _)| c).map(|c2| (r2, c2)),
                (None, None) => None,
            };
            let Some((r2, c2)) = other else { continue };
            let rect = Rect {
                top: row.min(r2),
                bottom: row.max(r2),
                left: col.min(c2),
                right: col.max(c2),
            };
            if consistent(s, rect) {
                found.insert(rect);
            }
        }
    }
    found
}

/// Whether every corner of `rect` that is in place reaches the rect's own corners along
/// its edges (or nothing).
fn consistent(s: &Shot, rect: Rect) -> bool {
    [
        (rect.top, rect.left, "┌", rect.right, rect.bottom),
        (rect.top, rect.right, "┐", rect.left, rect.bottom),
        (rect.bottom, rect.left, "└", rect.right, rect.top),
        (rect.bottom, rect.right, "┘", rect.left, rect.top),
    ]
    .into_iter()
    .all(|(row, col, corner, other_col, other_row)| {
        if s.at(row, col) != corner {
            return true;
        }
        let (c, r) = partners(s, row, col).unwrap();
        c.is_none_or(|c| c == other_col) && r.is_none_or(|r| r == other_row)
    })
}

/// A popup that opened between `before` and `after`: the largest box on `after` that was
/// not on `before`. A popup that lost a left or right corner to a wide character is
/// still found from its intact side: its other side is where its bottom edge stops.
fn find_popup(before: &Shot, after: &Shot) -> Option<Rect> {
    let old = find_boxes(before);
    let mut new: Vec<Rect> = find_boxes(after)
        .into_iter()
        .filter(|b| !old.contains(b))
        .collect();
    if new.is_empty() {
        for row in 0..after.rows {
            for col in 0..after.cols {
                let (down, step_c) = match after.at(row, col) {
                    "┐" => ("┘", -1),
                    "┌" => ("└", 1),
                    _ => continue,
                };
                let Some(bottom) = scan_column(after, row, col, 1, down) else {
                    continue;
                };
                let mut c = i32::from(col) + step_c;
                while (0..i32::from(after.cols)).contains(&c) && after.at(bottom, c as u16) == "─"
                {
                    c += step_c;
                }
                if !(0..i32::from(after.cols)).contains(&c) || (c - i32::from(col)).abs() < 2 {
                    continue;
                }
                let rect = Rect {
                    top: row,
                    bottom,
                    left: col.min(c as u16),
                    right: col.max(c as u16),
                };
                if !old.contains(&rect) {
                    new.push(rect);
                }
            }
        }
    }
    new.into_iter().max_by_key(Rect::area)
}

// ---------------------------------------------------------------------------------------
// The checks. Each returns the flaws it found; `assert_*` fail with them.

#[derive(Clone, Debug)]
struct Flaw {
    row: u16,
    col: u16,
    what: String,
}

impl std::fmt::Display for Flaw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, col {}: {}", self.row, self.col, self.what)
    }
}

/// The corners and sides of `b` on `s`, except cells under one of `above` (a popup).
fn box_flaws(s: &Shot, b: Rect, above: &[Rect], flaws: &mut Vec<Flaw>) {
    let hidden = |row, col| above.iter().any(|o| *o != b && o.contains(row, col));
    let mut expect = |row: u16, col: u16, want: &str, part: &str| {
        if !hidden(row, col) && s.at(row, col) != want {
            flaws.push(Flaw {
                row,
                col,
                what: format!(
                    "the {part} of the {b} should be {want:?} but is {}",
                    s.describe(row, col)
                ),
            });
        }
    };
    expect(b.top, b.left, "┌", "top-left corner");
    expect(b.top, b.right, "┐", "top-right corner");
    expect(b.bottom, b.left, "└", "bottom-left corner");
    expect(b.bottom, b.right, "┘", "bottom-right corner");
    for row in b.top + 1..b.bottom {
        expect(row, b.left, "│", "left border");
        expect(row, b.right, "│", "right border");
    }
}

/// Borders in place, nothing past the last column, no wide character on the last column.
/// `above`: popups open on this screen (what they cover of other boxes is not checked).
fn border_flaws(s: &Shot, above: &[Rect]) -> Vec<Flaw> {
    let mut flaws = Vec::new();
    for row in 0..s.rows {
        for col in s.cols..s.cols + MARGIN {
            let cell = s.cell(row, col);
            if !cell.blank() {
                flaws.push(Flaw {
                    row,
                    col,
                    what: format!(
                        "written past the terminal's last column ({}): {}",
                        s.cols - 1,
                        s.describe(row, col)
                    ),
                });
            }
        }
        let last = s.cell(row, s.cols - 1);
        if last.wide {
            flaws.push(Flaw {
                row,
                col: s.cols - 1,
                what: format!(
                    "a wide character straddles the right edge: {}",
                    s.describe(row, s.cols - 1)
                ),
            });
        }
    }
    let boxes = find_boxes(s);
    for &b in boxes.iter().chain(above) {
        box_flaws(s, b, above, &mut flaws);
    }
    // Without a popup every corner belongs to a box; a corner alone is a box that lost
    // the edges that would have found it.
    if above.is_empty() {
        for row in 0..s.rows {
            for col in 0..s.cols {
                let text = s.at(row, col);
                if CORNERS.contains(&text) && !boxes.iter().any(|b| b.contains(row, col)) {
                    flaws.push(Flaw {
                        row,
                        col,
                        what: format!("a corner {text:?} that belongs to no whole box"),
                    });
                }
            }
        }
    }
    flaws.sort_by_key(|f| (f.row, f.col));
    flaws.dedup_by(|a, b| a.row == b.row && a.col == b.col && a.what == b.what);
    flaws
}

/// Cells that differ between the screen drawn step by step and the same screen drawn
/// afresh. Contents and width only; colours are not compared.
fn stale_flaws(incremental: &Shot, redrawn: &Shot) -> Vec<Flaw> {
    let mut flaws = Vec::new();
    for row in 0..incremental.rows {
        for col in 0..incremental.cols + MARGIN {
            if !incremental.cell(row, col).same(redrawn.cell(row, col)) {
                flaws.push(Flaw {
                    row,
                    col,
                    what: format!(
                        "shows {} but a full redraw shows {}",
                        incremental.describe(row, col),
                        redrawn.describe(row, col)
                    ),
                });
            }
        }
    }
    flaws
}

/// Cells outside `popup` that changed when it opened. One exception: a wide character cut
/// by the popup's left or right edge may turn blank (its half outside the popup cannot be
/// drawn on its own).
///
/// The status and key lines below every box are not compared: a popup may name its own
/// keys there, and no popup covers them.
fn popup_flaws(before: &Shot, after: &Shot, popup: Rect) -> Vec<Flaw> {
    let mut flaws = Vec::new();
    let rows = find_boxes(before)
        .iter()
        .map(|b| b.bottom + 1)
        .max()
        .unwrap_or(before.rows);
    for row in 0..rows {
        for col in 0..before.cols + MARGIN {
            if popup.contains(row, col) {
                continue;
            }
            let (was, is) = (before.cell(row, col), after.cell(row, col));
            if was.same(is) {
                continue;
            }
            let on_row = (popup.top..=popup.bottom).contains(&row);
            let cut_on_left = on_row && col + 1 == popup.left && was.wide;
            let cut_on_right = on_row && col == popup.right + 1 && was.continuation;
            if (cut_on_left || cut_on_right) && is.blank() {
                continue;
            }
            flaws.push(Flaw {
                row,
                col,
                what: format!(
                    "outside the popup ({popup}), was {} and is now {}",
                    before.describe(row, col),
                    after.describe(row, col)
                ),
            });
        }
    }
    flaws
}

/// The family emoji (U+1F468 U+200D U+1F469 U+200D U+1F467 U+200D U+1F466) of the
/// hostile profile: wherever its first member is shown, the other three follow in reading
/// order (on the same row or, if it was wrapped, on the rows after) before the next family
/// starts. How it is shown is left open: one wide cell, four emoji, joiners kept or
/// dropped. Rows an open popup crosses are not read: the popup may hide members there.
/// Returns how many families were seen, and the flaws.
fn family_flaws(shot: &Shot, above: &[Rect]) -> (usize, Vec<Flaw>) {
    const MEMBERS: [char; 4] = ['👨', '👩', '👧', '👦'];
    let mut flaws = Vec::new();
    let mut families = 0;
    // The row where the family being read started, and how many members were seen.
    let mut open: Option<(u16, usize)> = None;
    let lost = |start: u16, seen: usize, flaws: &mut Vec<Flaw>| {
        flaws.push(Flaw {
            row: start,
            col: 0,
            what: format!(
                "the family emoji lost a member: only {} of 👨👩👧👦 follow each other from \
                 here; the row reads {:?}",
                MEMBERS[..seen].iter().collect::<String>(),
                shot.row_text(start).trim_end()
            ),
        })
    };
    for row in 0..shot.rows {
        if above.iter().any(|r| (r.top..=r.bottom).contains(&row)) {
            open = None;
            continue;
        }
        for c in shot.row_text(row).chars() {
            if c == MEMBERS[0] {
                families += 1;
                if let Some((start, seen)) = open {
                    lost(start, seen, &mut flaws);
                }
                open = Some((row, 1));
            } else if open.is_some() && c == '…' {
                // Cut short where it does not fit, and said so with "…": not lost.
                open = None;
            } else if let Some((start, seen)) = open
                && c == MEMBERS[seen]
            {
                open = (seen + 1 < MEMBERS.len()).then_some((start, seen + 1));
            }
        }
    }
    if let Some((start, seen)) = open {
        lost(start, seen, &mut flaws);
    }
    (families, flaws)
}

fn fail_with(what: &str, flaws: &[Flaw], screens: &[&Shot]) -> ! {
    let mut message = format!("{what}: {} flaw(s)\n", flaws.len());
    for f in flaws {
        let _ = writeln!(message, "  {f}");
    }
    for s in screens {
        message.push_str(&s.dump());
    }
    panic!("{message}");
}

fn assert_boxes_intact(s: &Shot, what: &str) {
    let flaws = border_flaws(s, &[]);
    if !flaws.is_empty() {
        fail_with(what, &flaws, &[s]);
    }
}

// ---------------------------------------------------------------------------------------
// The auditor in a pseudo-terminal.

struct Session {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    frames: Arc<AtomicUsize>,
    /// Frames waited for so far.
    seen: usize,
    rows: u16,
    cols: u16,
}

impl Session {
    /// `privaudit open --lang <lang>` in its own home, on a `rows` x `cols` terminal;
    /// returns once the first frame is drawn.
    fn start(home: &Path, lang: &str, rows: u16, cols: u16) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let cmd = common::pty::privaudit(home, &["open", "--lang", lang]);
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols + MARGIN).unwrap(),
            0,
        )));
        let frames = Arc::new(AtomicUsize::new(0));
        let (parser2, frames2) = (Arc::clone(&parser), Arc::clone(&frames));
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            // The end of the previous read, so a frame end split across reads is counted.
            let mut carry: Vec<u8> = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser2.lock().unwrap().process(&buf[..n]);
                carry.extend_from_slice(&buf[..n]);
                let ends = carry
                    .windows(FRAME_END.len())
                    .filter(|w| *w == FRAME_END)
                    .count();
                frames2.fetch_add(ends, Ordering::SeqCst);
                let keep = carry.len().min(FRAME_END.len() - 1);
                carry.drain(..carry.len() - keep);
            }
        });
        let mut session = Session {
            child,
            writer,
            master: pair.master,
            parser,
            frames,
            seen: 0,
            rows,
            cols,
        };
        // Hiding the cursor on entering, then the first frame.
        session.wait_frames(2, "the first frame");
        // The auditor listens for resizes from its first wait for a key on: a key it
        // answers with a frame (Home: nothing moves) shows that it is waiting.
        session.press(key::HOME);
        session
    }

    fn shot(&self) -> Shot {
        Shot::from_screen(self.parser.lock().unwrap().screen(), self.rows, self.cols)
    }

    /// Wait until `n` more frames are complete.
    fn wait_frames(&mut self, n: usize, what: &str) {
        let target = self.seen + n;
        let start = Instant::now();
        loop {
            let now = self.frames.load(Ordering::SeqCst);
            if now >= target {
                self.seen = now;
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the auditor exited ({status:?}) while waiting for {what}; screen:\n{}",
                    self.shot().dump()
                );
            }
            if start.elapsed() > WAIT {
                panic!(
                    "no frame after {what} in {WAIT:?}; screen:\n{}",
                    self.shot().dump()
                );
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Type `keys` (one key: each key the auditor acts on draws one frame) and wait for
    /// the frame.
    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        self.wait_frames(1, &format!("the key {keys:?}"));
    }

    fn resize(&mut self, rows: u16, cols: u16) {
        self.parser.lock().unwrap().screen_mut().set_size(
            std::num::NonZeroU16::new(rows).unwrap(),
            std::num::NonZeroU16::new(cols + MARGIN).unwrap(),
        );
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.wait_frames(1, &format!("resizing to {cols}x{rows}"));
    }

    /// The screen drawn afresh: ratatui clears and redraws everything when the size
    /// changes, so resize to another size and back.
    fn redrawn(&mut self) -> Shot {
        let (rows, cols) = (self.rows, self.cols);
        self.resize(rows + 1, cols + 1);
        self.resize(rows, cols);
        self.shot()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// The tours.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Zh,
}

impl Lang {
    fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    fn pick(self, en: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// One app to tour.
#[derive(Clone, Copy)]
struct Target {
    /// Its app id, found in the picker at its place among the built-in profiles (which
    /// come first, in app-id order); None: the last row (the one user profile).
    picker_app: Option<&'static str>,
    /// The hostile profile: installed as a user profile, and its family emoji checked.
    hostile: bool,
    /// Its profile file, under the crate's root (the hostile one is built by
    /// [`hostile_profile`]).
    file: &'static str,
    /// Visit every row of the rulings browser (it shows the same for every app but for
    /// the settings that cite each row, so one built-in app visits them all).
    every_ruling: bool,
}

const WECHAT_READ: Target = Target {
    picker_app: Some("wechat-read"),
    file: "profiles/wechat-read.toml",
    hostile: false,
    every_ruling: true,
};
const DOUYIN: Target = Target {
    picker_app: Some("douyin"),
    file: "profiles/douyin.toml",
    hostile: false,
    every_ruling: false,
};
const DUOSHAN: Target = Target {
    picker_app: Some("duoshan"),
    file: "profiles/duoshan.toml",
    hostile: false,
    every_ruling: false,
};
const WECHAT: Target = Target {
    picker_app: Some("wechat"),
    file: "profiles/wechat.toml",
    hostile: false,
    every_ruling: false,
};
const HOSTILE: Target = Target {
    picker_app: None,
    file: "tests/fixtures/hostile.toml",
    hostile: true,
    every_ruling: true,
};

const SIZES: [(u16, u16); 2] = [(24, 80), (60, 200)];

/// The flaws of one check on one screen.
struct Report {
    place: String,
    check: &'static str,
    flaws: Vec<Flaw>,
    /// The screens to show, each with what it is.
    screens: Vec<(&'static str, Shot)>,
}

struct Tour {
    s: Session,
    lang: Lang,
    context: String,
    reports: Vec<Report>,
    notes: Vec<String>,
    family_checked: usize,
    /// Every chooser opened on a dashboard row, in row order.
    choosers: Vec<ChooserSeen>,
    /// Kinds of chooser already checked against a full redraw (the first, one with a cut
    /// title, one scrolled): each kind once, as redraws are slow.
    redrawn_choosers: BTreeSet<&'static str>,
    _home: tempfile::TempDir,
}

/// Text that appears on row 0 while the walk-through is shown.
fn walk_marker(lang: Lang) -> &'static str {
    lang.pick("Walk-through", "逐项引导")
}

/// What a chooser showed, for the checks across rows.
#[derive(Clone, Debug)]
struct ChooserSeen {
    /// The title on its top border.
    title: String,
    /// Its width on screen, and so the room its title had (two less, for the corners).
    width: u16,
    /// Moves of the cursor, one row at a time, from where it opened to the last option
    /// (when the options did not all fit; otherwise `End` went there at once).
    moves: usize,
    /// Whether the options did not all fit (an arrow on its bottom border).
    scrolled: bool,
}

/// The text of row `row` inside `popup`'s side borders.
fn inside(shot: &Shot, row: u16, popup: Rect) -> String {
    (popup.left + 1..popup.right)
        .map(|col| shot.cell(row, col))
        .filter(|c| !c.continuation)
        .map(|c| if c.text.is_empty() { " " } else { &c.text })
        .collect()
}

/// A popup's title: what its top border holds between the corners, the edge around it
/// left out.
fn popup_title(shot: &Shot, popup: Rect) -> String {
    inside(shot, popup.top, popup)
        .trim_end_matches('─')
        .trim()
        .to_owned()
}

/// Whether a popup shows an arrow on its bottom border (more lines above or below).
fn popup_scrolled(shot: &Shot, popup: Rect) -> bool {
    let bottom = inside(shot, popup.bottom, popup);
    bottom.contains('↓') || bottom.contains('↑')
}

/// The cursor ("> " at the start of a row) in the chooser `popup`: exactly one row has it.
fn cursor_flaws(shot: &Shot, popup: Rect) -> Vec<Flaw> {
    let rows: Vec<u16> = (popup.top + 1..popup.bottom)
        .filter(|&r| inside(shot, r, popup).starts_with("> "))
        .collect();
    if rows.len() == 1 {
        return Vec::new();
    }
    vec![Flaw {
        row: rows.first().copied().unwrap_or(popup.top),
        col: popup.left + 1,
        what: format!(
            "the chooser ({popup}) should show its cursor \"> \" on one row but shows it on {}",
            rows.len()
        ),
    }]
}

/// The setting labels of `target`'s profile in `lang`, as the profile loader makes them
/// safe to show (what the chooser's title shows whole, or cut).
fn setting_labels(target: Target, lang: Lang) -> Vec<String> {
    let text = if target.hostile {
        hostile_profile()
    } else {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(target.file)).unwrap()
    };
    let source = privaudit::source::SourceText::from_string(target.file, text);
    let profile = privaudit::profile::parse_profile(
        &source,
        privaudit::catalog::builtin(),
        target.file,
        !target.hostile,
    )
    .unwrap_or_else(|e| panic!("{}: {e:?}", target.file));
    let lang = match lang {
        Lang::En => privaudit::text::Lang::En,
        Lang::Zh => privaudit::text::Lang::Zh,
    };
    profile
        .settings
        .iter()
        .map(|s| s.label.get(lang).to_owned())
        .collect()
}

/// The hostile profile with its two 10,000-character words put in.
fn hostile_profile() -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile.toml"),
    )
    .unwrap();
    let en: String = ('a'..='z').cycle().take(10_000).collect();
    let zh: String = "微信读书抖音多闪隐私设置"
        .chars()
        .cycle()
        .take(10_000)
        .collect();
    text.replace("LONG-WORD-EN", &en)
        .replace("LONG-WORD-ZH", &zh)
}

impl Tour {
    fn start(target: Target, lang: Lang, (rows, cols): (u16, u16)) -> Tour {
        let home = tempfile::tempdir().unwrap();
        if target.hostile {
            let dir = home.path().join("config/privaudit/profiles");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("hostile.toml"), hostile_profile()).unwrap();
        }
        let s = Session::start(home.path(), lang.id(), rows, cols);
        Tour {
            s,
            lang,
            context: format!("{cols}x{rows} {}", lang.id()),
            reports: Vec::new(),
            notes: Vec::new(),
            family_checked: 0,
            choosers: Vec::new(),
            redrawn_choosers: BTreeSet::new(),
            _home: home,
        }
    }

    fn record(
        &mut self,
        place: &str,
        check: &'static str,
        flaws: Vec<Flaw>,
        screens: &[(&'static str, &Shot)],
    ) {
        if !flaws.is_empty() {
            self.reports.push(Report {
                place: format!("{} {place}", self.context),
                check,
                flaws,
                screens: screens.iter().map(|(l, s)| (*l, (*s).clone())).collect(),
            });
        }
    }

    /// Check the screen as drawn now (borders, the family emoji), then against a full
    /// redraw (stale cells). Returns the redrawn screen. `above`: an open popup.
    fn look_with(&mut self, place: &str, above: &[Rect]) -> Shot {
        let shot = self.s.shot();
        self.record(
            place,
            "borders",
            border_flaws(&shot, above),
            &[("the screen", &shot)],
        );
        self.family(place, &shot, above);
        let again = self.s.redrawn();
        let stale = stale_flaws(&shot, &again);
        self.record(
            place,
            "stale",
            stale,
            &[
                ("as drawn step by step", &shot),
                ("after a full redraw", &again),
            ],
        );
        again
    }

    fn look(&mut self, place: &str) -> Shot {
        self.look_with(place, &[])
    }

    fn press_and_look(&mut self, keys: &str, place: &str) -> Shot {
        self.s.press(keys);
        self.look(place)
    }

    fn family(&mut self, place: &str, shot: &Shot, above: &[Rect]) {
        let (seen, flaws) = family_flaws(shot, above);
        self.family_checked += seen;
        self.record(place, "family emoji", flaws, &[("the screen", shot)]);
    }

    /// Check the chooser of the dashboard row on `before` (already checked): opened, the
    /// cursor moved down one row at a time to the last option, closed. On every frame:
    /// nothing outside it changed, its box is whole, its cursor is in view. The first
    /// chooser, the first with a cut title and the first that scrolls are also checked
    /// against a full redraw.
    fn chooser(&mut self, place: &str, before: &Shot) {
        self.s.press(key::CHOOSER);
        let opened = self.s.shot();
        let Some(popup) = find_popup(before, &opened) else {
            self.record(
                place,
                "popup",
                vec![Flaw {
                    row: 0,
                    col: 0,
                    what: format!("no chooser appeared after {:?}", key::CHOOSER),
                }],
                &[("before", before), ("after", &opened)],
            );
            return;
        };
        let title = popup_title(&opened, popup);
        let mut seen = ChooserSeen {
            width: popup.right - popup.left + 1,
            moves: 0,
            scrolled: popup_scrolled(&opened, popup),
            title,
        };
        self.chooser_frame(place, before, &opened, popup);
        let mut kinds = vec!["first"];
        if seen.title.ends_with('…') {
            kinds.push("cut title");
        }
        self.redraw_once(&kinds, place, popup);
        if !seen.scrolled {
            // Every option in view: nothing can scroll, one key to the last will do.
            self.s.press(key::END);
            let now = self.s.shot();
            let place = format!("{place}, cursor on the last option");
            self.chooser_frame(&place, before, &now, popup);
            let cursor = (popup.top + 1..popup.bottom)
                .find(|&r| inside(&now, r, popup).starts_with("> "))
                .unwrap_or(popup.top);
            let below: Vec<Flaw> = (cursor + 1..popup.bottom)
                .filter(|&r| inside(&now, r, popup).starts_with("  ("))
                .map(|row| Flaw {
                    row,
                    col: popup.left + 1,
                    what: format!("an option below the cursor after {:?}", key::END),
                })
                .collect();
            self.record(&place, "cursor", below, &[("the chooser", &now)]);
            self.close_popup(key::ESC, &place, popup, before);
            self.choosers.push(seen);
            return;
        }
        // More options than rows: down one at a time, each time the cursor in view.
        let mut last = opened;
        while seen.moves < 200 {
            self.s.press(key::DOWN);
            let now = self.s.shot();
            if stale_flaws(&now, &last).is_empty() {
                break; // on the last option
            }
            seen.moves += 1;
            seen.scrolled |= popup_scrolled(&now, popup);
            let place = format!("{place}, cursor down x{}", seen.moves);
            self.chooser_frame(&place, before, &now, popup);
            last = now;
        }
        let place = format!("{place}, cursor on the last option");
        self.redraw_once(&["scrolled"], &place, popup);
        self.close_popup(key::ESC, &place, popup, before);
        self.choosers.push(seen);
    }

    /// One frame of the chooser `popup` over `before`.
    fn chooser_frame(&mut self, place: &str, before: &Shot, now: &Shot, popup: Rect) {
        let screens = [("before the chooser", before), ("with the chooser", now)];
        self.record(place, "popup", popup_flaws(before, now, popup), &screens);
        self.record(place, "borders", border_flaws(now, &[popup]), &screens);
        self.record(place, "cursor", cursor_flaws(now, popup), &screens);
    }

    /// A full-redraw check of the open `popup` if one of `kinds` has had none yet.
    fn redraw_once(&mut self, kinds: &[&'static str], place: &str, popup: Rect) {
        let new: Vec<&'static str> = kinds
            .iter()
            .copied()
            .filter(|k| !self.redrawn_choosers.contains(k))
            .collect();
        if !new.is_empty() {
            self.redrawn_choosers.extend(new);
            self.look_with(place, &[popup]);
        }
    }

    /// Across the dashboard's `rows`: one chooser per setting; each title whole, or cut
    /// with "…" exactly when the label does not fit.
    fn chooser_titles(&mut self, target: Target, rows: usize) {
        let labels = setting_labels(target, self.lang);
        let mut flaws = Vec::new();
        let mut flaw = |what: String| {
            flaws.push(Flaw {
                row: 0,
                col: 0,
                what,
            })
        };
        if rows != labels.len() || self.choosers.len() != labels.len() {
            flaw(format!(
                "{} settings, but the dashboard showed {rows} rows and {} choosers opened",
                labels.len(),
                self.choosers.len()
            ));
        }
        let Some(width) = self.choosers.first().map(|c| c.width) else {
            return;
        };
        // The title is the label with a space on each side, in the border between the
        // corners.
        let room = usize::from(width) - 2;
        let too_long: Vec<&String> = labels
            .iter()
            .filter(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) + 2 > room)
            .collect();
        let cut: Vec<&String> = self
            .choosers
            .iter()
            .map(|c| &c.title)
            .filter(|t| t.ends_with('…'))
            .collect();
        if cut.len() != too_long.len() {
            flaw(format!(
                "{} label(s) are wider than the chooser's title room ({room} columns) but \
                 {} title(s) end with \"…\"; too long: {too_long:?}; cut: {cut:?}",
                too_long.len(),
                cut.len()
            ));
        }
        // Joiners do not reach the emulator's cells as they were written (it keeps each
        // emoji of a sequence apart): compared without them.
        let plain = |t: &str| t.replace('\u{200d}', "");
        for c in &self.choosers {
            let whole = plain(c.title.strip_suffix('…').unwrap_or(&c.title).trim_end());
            if !labels.iter().any(|l| plain(l).starts_with(&whole)) {
                flaw(format!(
                    "the chooser's title {:?} is no setting's label",
                    c.title
                ));
            }
        }
        let place = "dashboard, every row's chooser";
        self.record(place, "titles", flaws, &[]);
    }

    /// Open a popup with `keys` from the screen `before` (already checked): it must change
    /// nothing outside its box, its box must be whole, and a full redraw must agree.
    /// Returns the popup's box, or None (recorded as a flaw when `required`) if no popup
    /// appeared.
    fn open_popup(
        &mut self,
        keys: &str,
        place: &str,
        before: &Shot,
        required: bool,
    ) -> Option<Rect> {
        self.s.press(keys);
        let after = self.s.shot();
        let Some(popup) = find_popup(before, &after) else {
            if required {
                self.record(
                    place,
                    "popup",
                    vec![Flaw {
                        row: 0,
                        col: 0,
                        what: format!("no popup box appeared after {keys:?}"),
                    }],
                    &[("before", before), ("after", &after)],
                );
            }
            return None;
        };
        let outside = popup_flaws(before, &after, popup);
        self.record(
            place,
            "popup",
            outside,
            &[("before the popup", before), ("with the popup", &after)],
        );
        self.look_with(place, &[popup]);
        Some(popup)
    }

    /// Close `popup` with `keys`: where it was (and the column on each side of it, where
    /// it may have cut a wide character), the screen must be the one it covered.
    fn close_popup(&mut self, keys: &str, place: &str, popup: Rect, covered: &Shot) {
        self.s.press(keys);
        let after = self.s.shot();
        let area = Rect {
            left: popup.left.saturating_sub(1),
            right: (popup.right + 1).min(after.cols - 1),
            ..popup
        };
        let flaws = stale_flaws(&after, covered)
            .into_iter()
            .filter(|f| area.contains(f.row, f.col))
            .map(|f| Flaw {
                what: format!(
                    "where the popup was, {}",
                    f.what
                        .replace("a full redraw", "the screen before it opened")
                ),
                ..f
            })
            .collect();
        self.record(
            place,
            "popup closed",
            flaws,
            &[
                ("after closing the popup", &after),
                ("before it opened", covered),
            ],
        );
    }

    /// Help over the screen `before`, then closed.
    fn help(&mut self, place: &str, before: &Shot) {
        let place = format!("{place} + help");
        if let Some(popup) = self.open_popup(key::HELP, &place, before, true) {
            self.close_popup(key::ESC, &place, popup, before);
        }
    }

    fn run(mut self, target: Target) -> Tour {
        // The picker.
        let shot = self.look("picker");
        self.help("picker", &shot);
        match target.picker_app {
            Some(app) => {
                let row = privaudit::registry::builtin_profiles(privaudit::catalog::builtin())
                    .unwrap()
                    .iter()
                    .position(|p| p.app.id == app)
                    .expect("a built-in app");
                for _ in 0..row {
                    self.s.press(key::DOWN);
                }
            }
            None => self.s.press(key::END),
        }
        self.look("picker, app selected");
        self.s.press(key::ENTER);

        // The dashboard: every row, the details scrolled on the first and the last.
        let mut shot = self.look("dashboard row 1");
        self.help("dashboard", &shot);
        self.chooser("dashboard row 1 + chooser", &shot);
        for n in 1..=3 {
            self.press_and_look(key::PAGE_DOWN, &format!("dashboard row 1, PgDn x{n}"));
        }
        self.s.press(key::HOME);
        let mut row = 1;
        loop {
            self.s.press(key::DOWN);
            let next = self.s.shot();
            if stale_flaws(&next, &shot).is_empty() {
                break; // the last row
            }
            row += 1;
            shot = self.look(&format!("dashboard row {row}"));
            self.chooser(&format!("dashboard row {row} + chooser"), &shot);
            if row > 60 {
                break;
            }
        }
        self.chooser_titles(target, row);
        for n in 1..=3 {
            self.press_and_look(
                key::PAGE_DOWN,
                &format!("dashboard row {row} (last), PgDn x{n}"),
            );
        }
        self.s.press(key::HOME);

        // The exposure map.
        let shot = self.press_and_look(key::MAP, "exposure map");
        self.help("exposure map", &shot);
        self.press_and_look(key::MAP, "dashboard after the map");

        // The walk-through: the keep dialog on step 1, then every step skipped.
        let shot = self.press_and_look(key::WALK, "walk step 1");
        self.help("walk step 1", &shot);
        for n in 1..=2 {
            self.press_and_look(key::PAGE_DOWN, &format!("walk step 1, PgDn x{n}"));
        }
        self.s.press(key::HOME);
        let shot = self.s.redrawn();
        let place = "walk step 1 + keep dialog";
        if let Some(popup) = self.open_popup(key::KEEP, place, &shot, true) {
            let reason = match (target.hostile, self.lang) {
                (true, _) => "家人👨‍👩‍👧‍👦共用\u{2028}设备\u{fffe}x",
                (false, Lang::Zh) => "家人共用设备，暂时保留",
                (false, Lang::En) => "shared family device",
            };
            for c in reason.chars() {
                if matches!(c, '\u{2028}' | '\u{fffe}') {
                    // Refused by the prompt (they would not read back as typed): no frame.
                    self.s.writer.write_all(c.to_string().as_bytes()).unwrap();
                    self.s.writer.flush().unwrap();
                } else {
                    self.s.press(&c.to_string());
                }
            }
            let typed = self.s.shot();
            if target.hostile {
                let shown = (typed.rows / 2 - 2..typed.rows / 2 + 3)
                    .map(|r| typed.row_text(r))
                    .collect::<String>();
                assert!(
                    shown.contains("共用设备x_"),
                    "a line separator or non-character typed into the prompt is refused, \
                     the rest kept:\n{}",
                    typed.dump()
                );
            }
            let place = format!("{place}, reason typed");
            self.record(
                &place,
                "popup",
                popup_flaws(&shot, &typed, popup),
                &[("before the popup", &shot), ("with the popup", &typed)],
            );
            self.look_with(&place, &[popup]);
            // The expiry prompt (if the dialog asks for it apart), then the waiver kept
            // without one.
            self.s.press(key::ENTER);
            let expiry = self.s.shot();
            let place = "walk step 1 + expiry prompt";
            if let Some(popup) = find_popup(&shot, &expiry) {
                self.record(
                    place,
                    "popup",
                    popup_flaws(&shot, &expiry, popup),
                    &[("before the popup", &shot), ("with the popup", &expiry)],
                );
                self.look_with(place, &[popup]);
                self.s.press(key::ENTER);
            }
        } else {
            self.s.press(key::SKIP);
        }
        let mut step = 2;
        while self.s.shot().row_text(0).contains(walk_marker(self.lang)) && step < 60 {
            self.look(&format!("walk step {step}"));
            self.s.press(key::SKIP);
            step += 1;
        }

        // The summary.
        let shot = self.look("summary");
        self.help("summary", &shot);
        self.s.press(key::BACK);

        // The rulings browser: every row (or the first), from the dashboard.
        let mut shot = self.press_and_look(key::RULINGS, "rulings row 1");
        self.help("rulings", &shot);
        if target.every_ruling {
            let mut row = 1;
            loop {
                self.s.press(key::DOWN);
                if stale_flaws(&self.s.shot(), &shot).is_empty() {
                    break;
                }
                row += 1;
                shot = self.look(&format!("rulings row {row}"));
                if row > 100 {
                    break;
                }
            }
        }
        self.s.press(key::BACK);

        // The chooser once more, over a dashboard that now shows a kept finding.
        let shot = self.look("dashboard after the walk-through");
        let place = "dashboard after the walk-through + chooser";
        if let Some(popup) = self.open_popup(key::CHOOSER, place, &shot, true) {
            self.close_popup(key::ESC, place, popup, &shot);
        }
        self
    }
}

/// Tour `target` in both languages at both sizes, two sessions at a time, and fail with
/// every flaw found.
fn tour_all(name: &str, target: Target) {
    let mut runs = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for size in SIZES {
            runs.push((lang, size));
        }
    }
    let mut tours = Vec::new();
    for pair in runs.chunks(2) {
        let handles: Vec<_> = pair
            .iter()
            .map(|&(lang, size)| {
                std::thread::spawn(move || Tour::start(target, lang, size).run(target))
            })
            .collect();
        for h in handles {
            tours.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
    }
    for t in &tours {
        for note in &t.notes {
            eprintln!("{name}: {note}");
        }
    }
    if target.hostile {
        for t in &tours {
            assert!(
                t.family_checked > 0,
                "{name} {}: the family emoji's label was never on screen",
                t.context
            );
            // The 10,000-character label and option: a title cut, options that scroll;
            // at 24 rows, the 40 options too: the cursor walked down to the 41st row.
            let seen = |f: fn(&ChooserSeen) -> bool| t.choosers.iter().any(f);
            let walked = t.s.rows > 24 || seen(|c| c.scrolled && c.moves >= 40);
            assert!(
                walked && seen(|c| c.scrolled) && seen(|c| c.title.ends_with('…')),
                "{name} {}: no chooser walked through 41 rows, or that scrolled, or with a \
                 cut title: {:#?}",
                t.context,
                t.choosers
            );
        }
    }
    let reports: Vec<&Report> = tours.iter().flat_map(|t| &t.reports).collect();
    if reports.is_empty() {
        return;
    }
    let mut message = format!("{name}: {} screen(s) with flaws\n", reports.len());
    for r in &reports {
        let _ = writeln!(
            message,
            "- {} [{}]: {} flaw(s)",
            r.place,
            r.check,
            r.flaws.len()
        );
        for f in r.flaws.iter().take(6) {
            let _ = writeln!(message, "    {f}");
        }
        if r.flaws.len() > 6 {
            let _ = writeln!(message, "    ... and {} more", r.flaws.len() - 6);
        }
    }
    // The screens of the first few, to see the flaws in place.
    for r in reports.iter().take(4) {
        let _ = writeln!(message, "\n== {} [{}]", r.place, r.check);
        for (label, s) in &r.screens {
            let _ = writeln!(message, "-- {label}:");
            message.push_str(&s.dump());
        }
    }
    panic!("{message}");
}

#[test]
fn wechat_read_every_screen_and_popup_keeps_its_borders_and_leaves_nothing_stale() {
    tour_all("wechat-read", WECHAT_READ);
}

#[test]
fn douyin_every_screen_and_popup_keeps_its_borders_and_leaves_nothing_stale() {
    tour_all("douyin", DOUYIN);
}

#[test]
fn duoshan_every_screen_and_popup_keeps_its_borders_and_leaves_nothing_stale() {
    tour_all("duoshan", DUOSHAN);
}

#[test]
fn wechat_every_screen_and_popup_keeps_its_borders_and_leaves_nothing_stale() {
    tour_all("wechat", WECHAT);
}

#[test]
fn hostile_profile_every_screen_and_popup_keeps_its_borders_and_leaves_nothing_stale() {
    tour_all("hostile", HOSTILE);
}

// ---------------------------------------------------------------------------------------
// The checks themselves, on screens made by hand: each can fail.

/// A box 10 wide and 4 high at the top left, with a title, drawn as ratatui does.
fn boxed(rows: &[&str]) -> Vec<u8> {
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(out, "\x1b[{};1H{row}", i + 1);
    }
    out.into_bytes()
}

#[test]
fn the_border_check_passes_whole_boxes_side_by_side() {
    let shot = Shot::of_bytes(
        5,
        20,
        &boxed(&[
            "┌标题────┐┌x───────┐",
            "│中文字符│││       │",
            "│abc     ││宽字符  │",
            "└────────┘└────────┘",
        ]),
    );
    assert_boxes_intact(&shot, "two whole boxes");
    assert_eq!(find_boxes(&shot).len(), 2);
}

#[test]
fn the_border_check_names_a_right_border_pushed_out_by_wide_text() {
    // The second row's text is one column too wide: its border lands on col 10.
    let shot = Shot::of_bytes(4, 20, &boxed(&["┌────────┐", "│中文字符宽│", "└────────┘"]));
    let flaws = border_flaws(&shot, &[]);
    assert!(
        flaws
            .iter()
            .any(|f| f.row == 1 && f.col == 9 && f.what.contains("right border")),
        "{flaws:#?}\n{}",
        shot.dump()
    );
}

#[test]
fn the_border_check_names_a_corner_lost_under_a_wide_character() {
    let shot = Shot::of_bytes(4, 20, &boxed(&["┌────────┐", "│abc     │", "中───────┘"]));
    let flaws = border_flaws(&shot, &[]);
    assert!(
        flaws
            .iter()
            .any(|f| f.row == 2 && f.col == 0 && f.what.contains("bottom-left corner")),
        "{flaws:#?}\n{}",
        shot.dump()
    );
}

#[test]
fn the_border_check_sees_writes_past_the_last_column_and_wide_text_on_it() {
    // A 10-column terminal: a box drawn 11 wide, and a wide character on the last column.
    let shot = Shot::of_bytes(3, 10, "\x1b[1;1H┌─────────┐\x1b[3;10H中".as_bytes());
    let flaws = border_flaws(&shot, &[]);
    assert!(
        flaws
            .iter()
            .any(|f| f.row == 0 && f.col == 10 && f.what.contains("past")),
        "{flaws:#?}\n{}",
        shot.dump()
    );
    assert!(
        flaws
            .iter()
            .any(|f| f.row == 2 && f.col == 9 && f.what.contains("straddles")),
        "{flaws:#?}\n{}",
        shot.dump()
    );
}

#[test]
fn the_popup_check_allows_only_a_wide_character_cut_by_the_popup_edge() {
    let under = boxed(&["中文中文中文中文", "abcdefghijklmnop", "中文中文中文中文"]);
    let before = Shot::of_bytes(4, 20, &under);
    // A popup at cols 3-8 over rows 0-2: on row 0 it cuts '文' (cols 2-3) on its left
    // edge, which turns blank; on row 1 it also changes 'b', outside it.
    let mut over = under.clone();
    over.extend_from_slice(&boxed(&["", "aX", ""]));
    over.extend_from_slice("\x1b[1;4H┌────┐\x1b[2;4H│    │\x1b[3;4H└────┘".as_bytes());
    let after = Shot::of_bytes(4, 20, &over);
    let popup = find_popup(&before, &after).expect("the popup is found");
    assert_eq!(
        popup,
        Rect {
            top: 0,
            left: 3,
            bottom: 2,
            right: 8
        }
    );
    let flaws = popup_flaws(&before, &after, popup);
    assert_eq!(
        flaws.len(),
        1,
        "{flaws:#?}\n{}{}",
        before.dump(),
        after.dump()
    );
    assert_eq!((flaws[0].row, flaws[0].col), (1, 1));
}

#[test]
fn the_popup_check_finds_a_popup_that_lost_its_left_side() {
    let under = boxed(&["中文中文中文中文", "中文中文中文中文", "中文中文中文中文"]);
    let before = Shot::of_bytes(4, 20, &under);
    // The popup's left column (col 3) falls on the right halves of wide characters, which
    // ratatui skips: only its right side and edges are drawn.
    let mut over = under.clone();
    over.extend_from_slice("\x1b[1;5H────┐\x1b[2;9H│\x1b[3;5H────┘".as_bytes());
    let after = Shot::of_bytes(4, 20, &over);
    let popup = find_popup(&before, &after).expect("the popup is found");
    assert_eq!((popup.left, popup.right), (3, 8), "{}", after.dump());
    let flaws = border_flaws(&after, &[popup]);
    assert!(
        flaws
            .iter()
            .any(|f| f.row == 1 && f.col == 3 && f.what.contains("left border")),
        "{flaws:#?}"
    );
}

#[test]
fn the_stale_check_names_each_cell_that_differs() {
    let a = Shot::of_bytes(2, 10, "ab中d".as_bytes());
    let b = Shot::of_bytes(2, 10, "ab中e".as_bytes());
    let flaws = stale_flaws(&a, &b);
    assert_eq!(flaws.len(), 1, "{flaws:#?}");
    assert_eq!((flaws[0].row, flaws[0].col), (0, 4));
    assert!(stale_flaws(&a, &a).is_empty());
}

#[test]
fn the_family_check_wants_all_four_members_in_reading_order() {
    let whole = Shot::of_bytes(
        3,
        30,
        "家庭👨\u{200d}👩\u{200d}👧\u{200d}👦共享 👨👩\r\n👧👦".as_bytes(),
    );
    let (families, flaws) = family_flaws(&whole, &[]);
    assert_eq!(families, 2);
    assert!(flaws.is_empty(), "{flaws:#?}");
    let lost = Shot::of_bytes(3, 30, "家庭👨\u{200d}👩\u{200d}👧\u{200d}共享".as_bytes());
    let (_, flaws) = family_flaws(&lost, &[]);
    assert_eq!(flaws.len(), 1, "{flaws:#?}");
    assert!(flaws[0].what.contains("only 👨👩👧 of"), "{flaws:#?}");
}
