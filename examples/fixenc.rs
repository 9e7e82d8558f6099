//! `fixenc` — repair mojibake in files, pipes and directory trees.
//!
//! A thin command-line front end to the library: every decision about the text is the
//! library's; this file parses arguments, walks directories, streams bytes through
//! [`fixenc::Fixer`], writes files atomically and reports.
//!
//! ```text
//! cargo run --release --example fixenc -- examples/sample-mojibake.txt
//! some-command | cargo run --release --example fixenc -- --explain
//! cargo install --path . --example fixenc && fixenc --check -r docs/
//! ```
//!
//! Arguments are parsed by hand and JSON is written by hand so that the crate needs no
//! argument-parsing or serialization dependency.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fixenc::{Fixer, Normalization, Options, Reconstruct, Summary};

const USAGE: &str = "\
fixenc — repair mojibake (UTF-8 decoded through the wrong code page) and normalize text

USAGE:
    fixenc [OPTIONS] [PATH ...]

Reads each PATH (standard input when no PATH is given, or for a PATH of `-`), repairs it and
writes the repaired text to standard output, inputs in the order given. The output is UTF-8.

Input in any encoding is decoded to UTF-8 first: a byte order mark decides, valid UTF-8 is
UTF-8 (or ISO-2022-JP when it holds JIS escapes), anything else is detected (Shift_JIS,
EUC-JP, GBK, Big5, EUC-KR, Windows-125x, KOI8-R, ISO-8859-x, …). Input is streamed in
1 MiB chunks, so files of any size are repaired in bounded memory.

Binary input (a NUL byte in the first 8 KiB, unless the input starts with a UTF-16 byte order
mark or --from names UTF-16) is never repaired: a binary file is skipped with a note on
standard error, binary standard input is copied to standard output unchanged.

MODES (at most one of -w, -c, -o):
    -w, --in-place         Rewrite each file that changes, in UTF-8, atomically (a temporary
                           file beside it is written, synced and renamed over it; the file's
                           permissions, and owner where allowed, are kept). A file that needs
                           no change is not touched. A symbolic link named on the command
                           line stays a link: its target is rewritten
        --backup SUFFIX    With -w: first keep the original of each file that changes as
                           PATH+SUFFIX (replacing an older backup)
    -c, --check            Change nothing; print the path of each input that would change
                           (exit status 1 if any would)
    -o, --output FILE      Write the repaired text of the single input to FILE, atomically
                           as with -w (a FILE that is a device or a pipe is written directly)

OPTIONS:
    -r, --recursive        Walk directories given as PATH, in sorted order. Symbolic links
                           inside them are skipped (noted on standard error), and so are
                           .git, .hg and .svn directories, files ending in the --backup
                           SUFFIX, and temporary files of fixenc (.NAME.fixenc-*.tmp)
        --follow-symlinks  With -r: follow symbolic links inside directories
        --explain          Print, for each input, its encoding and what was repaired (code
                           page, loss form, spans and guessed characters of each layer) to
                           standard error
        --json             Print one JSON object per input and line to standard output
                           instead of the text: path, changed, encoding, confidence,
                           had_bom, replaced, layers (layer, code_page, loss, spans),
                           guesses (char, bytes, margin), elapsed_ms; or path and skipped
                           / error. With --check the JSON replaces the list of paths
        --from ENCODING    Decode every input from ENCODING (a WHATWG label such as sjis,
                           euc-jp, gbk, big5, euc-kr, koi8-r, cp1251, latin1, utf-16le)
                           instead of detecting it
        --normalize FORM   Unicode normalization of the output: nfc (default), nfkc, none
        --no-reconstruct   Never guess lost bytes: repair only lossless mojibake
    -h, --help             Print this help and exit
    --                     Treat every later argument as a path

When standard error is a terminal and an input is larger than 64 MiB, a progress bar with the
throughput is shown on it.

EXIT STATUS:
    0    success: every input was processed (with --check: none would change)
    1    with --check: at least one input would change
    2    a usage error (including an unknown --from encoding), or an input could not be
         processed (missing, unreadable, not a regular file, a directory without -r, a
         failed write); the other inputs are still processed and each error is reported on
         standard error with its path. 2 wins over 1
";

/// Bytes read from the input and fed to the repair at a time.
const CHUNK: usize = 1 << 20;
/// How much of an input is looked at for NUL bytes to call it binary.
const SNIFF: usize = 8 * 1024;
/// Inputs at least this large get a progress bar (when standard error is a terminal).
const PROGRESS_FROM: u64 = 64 << 20;
/// Directories of version-control systems: their files belong to the tool, not to the user.
const VCS_DIRS: &[&str] = &[".git", ".hg", ".svn"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// Repaired text to standard output.
    Stdout,
    /// `-w`: rewrite changed files.
    InPlace,
    /// `-c`: report only.
    Check,
    /// `-o FILE`: repaired text of the single input to FILE.
    Output,
}

/// What the command line asked for.
struct Args {
    mode: Mode,
    output: Option<PathBuf>,
    backup: Option<OsString>,
    recursive: bool,
    follow_symlinks: bool,
    explain: bool,
    json: bool,
    options: Options,
    /// The input encoding label given with `--from`, if any (already checked to be known).
    from: Option<String>,
    /// Input paths; empty means standard input.
    paths: Vec<OsString>,
}

enum Parsed {
    Run(Args),
    Help,
}

fn parse_args(raw: impl Iterator<Item = OsString>) -> Result<Parsed, String> {
    let mut modes: Vec<&str> = Vec::new();
    let mut output = None;
    let mut backup: Option<OsString> = None;
    let (mut recursive, mut follow_symlinks, mut explain, mut json) = (false, false, false, false);
    let mut normalization = Normalization::Nfc;
    let mut reconstruct = Reconstruct::BestGuess;
    let mut from = None;
    let mut paths = Vec::new();
    let mut only_paths = false;
    let mut raw = raw.peekable();
    while let Some(arg) = raw.next() {
        let text = arg.to_str();
        if only_paths || text == Some("-") || !arg.as_encoded_bytes().starts_with(b"-") {
            paths.push(arg);
            continue;
        }
        // Options are ASCII; an argument starting with `-` that is not UTF-8 is no option.
        let Some(text) = text else { return Err(format!("unknown option {arg:?}")) };
        // Short options may be bundled (`-wr`); the value of `-o` is the rest or the next word.
        let mut flags: Vec<(String, Option<OsString>)> = Vec::new();
        if let Some(long) = text.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => flags.push((format!("--{name}"), Some(value.into()))),
                None => flags.push((text.to_string(), None)),
            }
        } else {
            for (i, c) in text.char_indices().skip(1) {
                if c == 'o' && i + 1 < text.len() {
                    flags.push(("-o".to_string(), Some(text[i + 1..].into())));
                    break;
                }
                flags.push((format!("-{c}"), None));
            }
        }
        for (flag, inline) in flags {
            let takes_value = matches!(flag.as_str(), "-o" | "--output" | "--backup" | "--from" | "--normalize");
            if !takes_value && inline.is_some() {
                return Err(format!("option {flag} takes no value"));
            }
            let mut value = || -> Result<OsString, String> {
                inline.clone().or_else(|| raw.next()).ok_or_else(|| format!("option {flag} needs a value"))
            };
            match flag.as_str() {
                "--" => only_paths = true,
                "-h" | "--help" => return Ok(Parsed::Help),
                "-w" | "--in-place" => modes.push("--in-place"),
                "-c" | "--check" => modes.push("--check"),
                "-o" | "--output" => {
                    modes.push("--output");
                    output = Some(PathBuf::from(value()?));
                }
                "--backup" => {
                    let suffix = value()?;
                    // An empty suffix would name the file itself, a separator another directory.
                    if suffix.is_empty() || suffix.as_encoded_bytes().iter().any(|&b| b == b'/' || b == b'\\') {
                        return Err(format!("--backup needs a suffix without path separators, not {suffix:?}"));
                    }
                    backup = Some(suffix);
                }
                "-r" | "--recursive" => recursive = true,
                "--follow-symlinks" => follow_symlinks = true,
                "--explain" => explain = true,
                "--json" => json = true,
                "--no-reconstruct" => reconstruct = Reconstruct::Never,
                "--normalize" => {
                    let form = value()?;
                    let form = form.to_string_lossy();
                    normalization = Normalization::from_label(&form)
                        .ok_or_else(|| format!("unknown normalization form {form:?} (expected nfc, nfkc or none)"))?;
                }
                "--from" => {
                    let label = value()?.to_string_lossy().into_owned();
                    // Check the label once, before any input is read.
                    Fixer::with_encoding(&Options::default(), &label).map_err(|e| e.to_string())?;
                    from = Some(label);
                }
                _ => return Err(format!("unknown option {flag:?}")),
            }
        }
    }
    modes.dedup();
    if modes.len() > 1 {
        return Err(format!("{} cannot be combined", modes.join(" and ")));
    }
    let mode = match modes.first().copied() {
        Some("--in-place") => Mode::InPlace,
        Some("--check") => Mode::Check,
        Some("--output") => Mode::Output,
        _ => Mode::Stdout,
    };
    if mode == Mode::InPlace && (paths.is_empty() || paths.iter().any(|p| p == "-")) {
        return Err("--in-place needs file paths (standard input has no file to rewrite)".to_string());
    }
    if backup.is_some() && mode != Mode::InPlace {
        return Err("--backup only applies to --in-place".to_string());
    }
    if mode == Mode::Output && (paths.len() > 1 || recursive) {
        return Err("--output takes a single input (and not --recursive)".to_string());
    }
    if follow_symlinks && !recursive {
        return Err("--follow-symlinks only applies to --recursive".to_string());
    }
    let options = Options::default().normalization(normalization).reconstruct(reconstruct);
    Ok(Parsed::Run(Args { mode, output, backup, recursive, follow_symlinks, explain, json, options, from, paths }))
}

/// Standard output failed: nothing more can be written, so the run stops.
enum Fatal {
    /// The reader went away (e.g. `fixenc file | head`): stop quietly.
    BrokenPipe,
    /// Any other write error on standard output.
    Output(io::Error),
}

fn fatal(e: io::Error) -> Fatal {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Fatal::BrokenPipe
    } else {
        Fatal::Output(e)
    }
}

/// Why one input failed (the run goes on with the next).
enum InputError {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing, syncing or renaming a file failed.
    Write(io::Error),
}

/// A path deleted when dropped unless [`TempPath::keep`] was called: temporary files are
/// never left behind, whichever way (error or panic) a write is abandoned.
struct TempPath {
    path: PathBuf,
    armed: bool,
}

impl TempPath {
    fn keep(mut self) {
        self.armed = false;
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.armed {
            // Nothing to do if it is already gone; any other failure has nowhere to go.
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// A name beside `dest` for a temporary file: hidden, marked as ours, unique per process.
fn temp_name_beside(dest: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = OsString::from(".");
    name.push(dest.file_name().unwrap_or(OsStr::new("output")));
    name.push(format!(".fixenc-{}-{n}.tmp", std::process::id()));
    dest.with_file_name(name)
}

/// A temporary file in the directory of its destination, so that the final rename is atomic.
struct TempFile {
    file: BufWriter<File>,
    path: TempPath,
}

impl TempFile {
    fn beside(dest: &Path) -> io::Result<TempFile> {
        loop {
            let path = temp_name_beside(dest);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        file: BufWriter::with_capacity(256 * 1024, file),
                        path: TempPath { path, armed: true },
                    })
                }
                // A leftover of a process with the same id; the counter moves on.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Flushes and syncs the data, gives it the permissions (and, where allowed, the owner)
    /// of the file `like`, and renames it over `dest`.
    fn commit(self, dest: &Path, like: Option<&fs::Metadata>) -> io::Result<()> {
        let file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        if let Some(like) = like {
            keep_owner(&file, like);
            file.set_permissions(like.permissions())?;
        }
        drop(file);
        fs::rename(&self.path.path, dest)?;
        self.path.keep();
        sync_dir(dest);
        Ok(())
    }
}

/// Gives `file` the owner and group of `like`: a rewrite by root must not hand a user's file to
/// root. Best effort: others may not give files away, and then the file stays theirs anyway.
#[cfg(unix)]
fn keep_owner(file: &File, like: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    if std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(like.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &File, _like: &fs::Metadata) {}

/// Makes a rename durable. Best effort: the rename has happened either way, and some
/// systems cannot sync directories.
fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// Keeps the file at `path` as `backup`, replacing any older backup atomically: a hard link
/// (no copy; the backup keeps the original's inode and times), or a copy where links fail.
fn make_backup(path: &Path, backup: &Path, like: &fs::Metadata) -> io::Result<()> {
    let link = TempPath { path: temp_name_beside(backup), armed: true };
    if fs::hard_link(path, &link.path).is_ok() {
        fs::rename(&link.path, backup)?;
        link.keep();
        sync_dir(backup);
        return Ok(());
    }
    drop(link);
    let mut copy = TempFile::beside(backup)?;
    io::copy(&mut File::open(path)?, &mut copy.file)?;
    copy.commit(backup, Some(like))
}

/// Where repaired text goes.
enum Dest {
    Stdout,
    /// A temporary file, and the path it replaces when done.
    Temp(TempFile, PathBuf),
    /// An existing file that is not a regular file (`-o /dev/null`), written directly:
    /// renaming over it would replace a device or a pipe with a regular file.
    Direct(BufWriter<File>),
    Discard,
}

/// Where `-o PATH` writes: a temporary file renamed over the file at PATH (over the target,
/// if PATH is a symbolic link), or PATH itself when it exists and is no regular file or
/// directory.
fn output_dest(path: &Path) -> io::Result<Dest> {
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => {
            OpenOptions::new().write(true).open(path).map(|file| Dest::Direct(BufWriter::new(file)))
        }
        Ok(_) => {
            let real = fs::canonicalize(path)?;
            TempFile::beside(&real).map(|temp| Dest::Temp(temp, real))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => TempFile::beside(path).map(|t| Dest::Temp(t, path.into())),
        Err(e) => Err(e),
    }
}

impl Dest {
    /// Writes `text`; failing standard output ends the run, a failing file only this input.
    fn write(&mut self, text: &str, stdout: &mut impl Write) -> Result<Result<(), InputError>, Fatal> {
        match self {
            Dest::Stdout => stdout.write_all(text.as_bytes()).map(Ok).map_err(fatal),
            Dest::Temp(temp, _) => Ok(temp.file.write_all(text.as_bytes()).map_err(InputError::Write)),
            Dest::Direct(file) => Ok(file.write_all(text.as_bytes()).map_err(InputError::Write)),
            Dest::Discard => Ok(Ok(())),
        }
    }
}

/// A progress bar on standard error for large inputs.
struct Progress<'a> {
    name: &'a str,
    /// Whether a bar may be drawn at all (standard error is a terminal, the input large).
    enabled: bool,
    total: Option<u64>,
    done: u64,
    start: Instant,
    drawn: Option<Instant>,
}

impl<'a> Progress<'a> {
    fn new(name: &'a str, total: Option<u64>, allowed: bool) -> Progress<'a> {
        let enabled = allowed && io::stderr().is_terminal() && total.is_none_or(|t| t >= PROGRESS_FROM);
        Progress { name, enabled, total, done: 0, start: Instant::now(), drawn: None }
    }

    fn advance(&mut self, n: usize) {
        self.done += n as u64;
        // Standard input has no size: its bar appears once that much has been read.
        if !self.enabled || (self.total.is_none() && self.done < PROGRESS_FROM) {
            return;
        }
        if self.drawn.is_some_and(|t| t.elapsed() < Duration::from_millis(200)) {
            return;
        }
        self.drawn = Some(Instant::now());
        let mib = |b: u64| b as f64 / (1u64 << 20) as f64;
        let rate = mib(self.done) / self.start.elapsed().as_secs_f64().max(1e-3);
        let line = match self.total {
            Some(total) => {
                let fraction = (self.done as f64 / total.max(1) as f64).min(1.0);
                let filled = (fraction * 30.0) as usize;
                format!(
                    "{} [{}{}] {:3.0}% {:.0}/{:.0} MiB {rate:.1} MiB/s",
                    self.name,
                    "#".repeat(filled),
                    "-".repeat(30 - filled),
                    fraction * 100.0,
                    mib(self.done),
                    mib(total)
                )
            }
            None => format!("{} {:.0} MiB {rate:.1} MiB/s", self.name, mib(self.done)),
        };
        eprint!("\r\x1b[K{line}");
    }

    fn clear(&mut self) {
        if self.drawn.take().is_some() {
            eprint!("\r\x1b[K");
        }
    }
}

impl Drop for Progress<'_> {
    /// Also when the run stops early (standard output closed).
    fn drop(&mut self) {
        self.clear();
    }
}

/// Reads until `buf` holds `CHUNK` bytes or the input ends (pipes deliver short reads).
fn read_chunk(input: &mut dyn Read, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    input.take(CHUNK as u64).read_to_end(buf)?;
    Ok(())
}

/// A NUL byte in the first block, unless UTF-16 (which is full of them) is declared.
fn looks_binary(first: &[u8], from: Option<&str>) -> bool {
    let utf16_bom = first.starts_with(b"\xff\xfe") || first.starts_with(b"\xfe\xff");
    let utf16_forced = from.is_some_and(|label| label.trim().to_ascii_lowercase().starts_with("utf-16"));
    !utf16_bom && !utf16_forced && first[..first.len().min(SNIFF)].contains(&0)
}

/// One input to process.
struct Input<'a> {
    /// For messages.
    name: String,
    /// For JSON: the path as given, `-` for standard input.
    json_path: String,
    reader: &'a mut dyn Read,
    size: Option<u64>,
    /// The file to rewrite with `-w` (symbolic links resolved), and its metadata.
    file: Option<(PathBuf, fs::Metadata)>,
}

struct Runner<'a> {
    args: &'a Args,
    out: BufWriter<io::StdoutLock<'static>>,
    errors: bool,
    would_change: bool,
}

impl Runner<'_> {
    fn error(&mut self, name: &str, json_path: &str, message: &str) -> Result<(), Fatal> {
        eprintln!("fixenc: {name}: {message}");
        self.errors = true;
        if self.args.json {
            let line = format!("{{\"path\":{},\"error\":{}}}\n", json_string(json_path), json_string(message));
            self.out.write_all(line.as_bytes()).map_err(fatal)?;
        }
        Ok(())
    }

    fn skipped(&mut self, name: &str, json_path: &str, why: &str) -> Result<(), Fatal> {
        eprintln!("fixenc: {name}: skipped ({why})");
        if self.args.json {
            let line = format!("{{\"path\":{},\"skipped\":{}}}\n", json_string(json_path), json_string(why));
            self.out.write_all(line.as_bytes()).map_err(fatal)?;
        }
        Ok(())
    }

    /// One path from the command line.
    fn top(&mut self, arg: &OsStr) -> Result<(), Fatal> {
        if arg == "-" {
            let stdin = io::stdin();
            let mut lock = stdin.lock();
            let input = Input {
                name: "<stdin>".to_string(),
                json_path: "-".to_string(),
                reader: &mut lock,
                size: None,
                file: None,
            };
            return self.process(input);
        }
        let path = Path::new(arg);
        // A path named on the command line is followed if it is a symbolic link.
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                if self.args.recursive {
                    let mut ancestors = Vec::new();
                    self.walk(path, &mut ancestors)
                } else {
                    let name = path.display().to_string();
                    self.error(&name, &name, "is a directory (use -r to walk it)")
                }
            }
            Ok(meta) => self.file(path, meta),
            Err(e) => {
                let name = path.display().to_string();
                self.error(&name, &name, &e.to_string())
            }
        }
    }

    /// Why a file met in a walk is one of this tool's own and must not be repaired: a backup
    /// of this run's `--backup` suffix (repairing it would destroy the original it keeps), or
    /// a temporary file of ours left by a killed run.
    fn own_file(&self, file_name: &OsStr) -> Option<&'static str> {
        let bytes = file_name.as_encoded_bytes();
        if self.args.backup.as_ref().is_some_and(|suffix| bytes.ends_with(suffix.as_encoded_bytes())) {
            return Some("a backup (--backup suffix)");
        }
        let temp = bytes.starts_with(b".") && bytes.ends_with(b".tmp") && bytes.windows(8).any(|w| w == b".fixenc-");
        temp.then_some("a temporary file of fixenc")
    }

    /// Walks a directory in sorted order. `ancestors` holds the canonical paths of the
    /// directories above, so that a followed link back up cannot loop.
    fn walk(&mut self, dir: &Path, ancestors: &mut Vec<PathBuf>) -> Result<(), Fatal> {
        let name = dir.display().to_string();
        let canonical = match fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => return self.error(&name, &name, &e.to_string()),
        };
        if ancestors.contains(&canonical) {
            return self.skipped(&name, &name, "symbolic link loop");
        }
        let entries = match fs::read_dir(dir).and_then(|it| it.collect::<io::Result<Vec<_>>>()) {
            Ok(entries) => entries,
            Err(e) => return self.error(&name, &name, &e.to_string()),
        };
        let mut entries: Vec<(OsString, PathBuf)> = entries.into_iter().map(|e| (e.file_name(), e.path())).collect();
        entries.sort();
        ancestors.push(canonical);
        for (file_name, path) in entries {
            let name = path.display().to_string();
            // Not following links: the entry itself.
            let meta = match fs::symlink_metadata(&path) {
                Ok(meta) => meta,
                Err(e) => {
                    self.error(&name, &name, &e.to_string())?;
                    continue;
                }
            };
            let meta = if meta.file_type().is_symlink() {
                if !self.args.follow_symlinks {
                    self.skipped(&name, &name, "symbolic link; --follow-symlinks follows it")?;
                    continue;
                }
                match fs::metadata(&path) {
                    Ok(meta) => meta,
                    Err(e) => {
                        self.error(&name, &name, &format!("broken symbolic link: {e}"))?;
                        continue;
                    }
                }
            } else {
                meta
            };
            if meta.is_dir() {
                if VCS_DIRS.iter().any(|d| file_name == *d) {
                    self.skipped(&name, &name, "version-control directory")?;
                } else {
                    self.walk(&path, ancestors)?;
                }
            } else if let Some(why) = self.own_file(&file_name) {
                self.skipped(&name, &name, why)?;
            } else {
                self.file(&path, meta)?;
            }
        }
        ancestors.pop();
        Ok(())
    }

    fn file(&mut self, path: &Path, meta: fs::Metadata) -> Result<(), Fatal> {
        let name = path.display().to_string();
        if !meta.is_file() {
            return self.error(&name, &name, "not a regular file");
        }
        let mut file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return self.error(&name, &name, &e.to_string()),
        };
        let size = meta.len();
        let target = if self.args.mode == Mode::InPlace {
            // Rewrite the target of a symbolic link, not the link.
            match fs::canonicalize(path) {
                Ok(real) => Some((real, meta)),
                Err(e) => return self.error(&name, &name, &e.to_string()),
            }
        } else {
            None
        };
        let input = Input { json_path: name.clone(), name, reader: &mut file, size: Some(size), file: target };
        self.process(input)
    }

    /// Streams one input through a `Fixer` to its destination, then reports.
    fn process(&mut self, input: Input<'_>) -> Result<(), Fatal> {
        let Input { name, json_path, reader, size, file } = input;
        let args = self.args;
        let start = Instant::now();
        let mut chunk = Vec::with_capacity(CHUNK);
        if let Err(e) = read_chunk(reader, &mut chunk) {
            return self.error(&name, &json_path, &e.to_string());
        }
        if looks_binary(&chunk, args.from.as_deref()) {
            if json_path == "-" && args.mode == Mode::Stdout && !args.json {
                // A filter does not eat what it cannot repair.
                eprintln!("fixenc: {name}: binary input, copied unchanged");
                self.out.write_all(&chunk).map_err(fatal)?;
                return match io::copy(reader, &mut self.out) {
                    Ok(_) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Err(Fatal::BrokenPipe),
                    Err(e) => self.error(&name, &json_path, &e.to_string()),
                };
            }
            return self.skipped(&name, &json_path, "binary: a NUL byte in the first 8 KiB");
        }
        let mut fixer = match &args.from {
            Some(label) => Fixer::with_encoding(&args.options, label).expect("checked when parsing arguments"),
            None => Fixer::new(&args.options),
        };
        fixer.keep_explanation(args.explain || args.json);

        let destination = match (args.mode, &file) {
            (Mode::InPlace, Some((real, _))) => TempFile::beside(real).map(|temp| Dest::Temp(temp, real.clone())),
            (Mode::Output, _) => output_dest(args.output.as_deref().expect("-o has a path")),
            (Mode::Stdout, _) if !args.json => Ok(Dest::Stdout),
            _ => Ok(Dest::Discard),
        };
        let mut dest = match destination {
            Ok(dest) => dest,
            Err(e) if args.mode == Mode::InPlace => {
                return self.error(&name, &json_path, &format!("cannot create a temporary file beside it: {e}"))
            }
            Err(e) => {
                let shown = args.output.as_deref().expect("-o has a path").display();
                return self.error(&name, &json_path, &format!("cannot write {shown}: {e}"));
            }
        };

        // On a terminal that shows the text itself, a progress bar would only garble it.
        let text_on_terminal = matches!(dest, Dest::Stdout) && io::stdout().is_terminal();
        let mut progress = Progress::new(&name, size, !text_on_terminal);
        let mut out = String::new();
        let streamed = loop {
            if chunk.is_empty() {
                break Ok(());
            }
            fixer.feed(&chunk, &mut out);
            if let Err(e) = dest.write(&out, &mut self.out)? {
                break Err(e);
            }
            out.clear();
            progress.advance(chunk.len());
            if let Err(e) = read_chunk(reader, &mut chunk) {
                break Err(InputError::Read(e));
            }
        };
        progress.clear();
        let summary = match streamed {
            Ok(()) => {
                let summary = fixer.finish(&mut out);
                match dest.write(&out, &mut self.out)? {
                    Ok(()) => Ok(summary),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(e),
        };
        let summary = match summary {
            Ok(summary) => summary,
            // Dropping `dest` deletes the temporary file; the original is untouched.
            Err(InputError::Read(e)) => return self.error(&name, &json_path, &format!("read error: {e}")),
            Err(InputError::Write(e)) => return self.error(&name, &json_path, &format!("write error: {e}")),
        };

        let outcome = match (args.mode, dest, &file) {
            (Mode::InPlace, Dest::Temp(temp, real), Some((_, meta))) if summary.changed => {
                let backup = args.backup.as_ref().map(|suffix| {
                    let mut b = real.clone().into_os_string();
                    b.push(suffix);
                    PathBuf::from(b)
                });
                // The backup exists before the file is replaced, so the original is always
                // on disk under one of the two names.
                let committed = match &backup {
                    Some(b) => {
                        make_backup(&real, b, meta).map_err(|e| format!("cannot keep the backup {}: {e}", b.display()))
                    }
                    None => Ok(()),
                }
                .and_then(|()| temp.commit(&real, Some(meta)).map_err(|e| format!("cannot replace the file: {e}")));
                match committed {
                    Ok(()) => "rewritten".to_string(),
                    Err(message) => return self.error(&name, &json_path, &message),
                }
            }
            // Unchanged: the temporary file is deleted when dropped, the file not touched.
            (Mode::InPlace, _, _) => "unchanged, not touched".to_string(),
            (Mode::Output, dest, _) => {
                let shown = args.output.as_deref().expect("-o has a path").display();
                let written = match dest {
                    Dest::Temp(temp, real) => {
                        let existing = fs::metadata(&real).ok().filter(|m| m.is_file());
                        temp.commit(&real, existing.as_ref())
                    }
                    Dest::Direct(file) => file.into_inner().map_err(|e| e.into_error()).map(drop),
                    _ => unreachable!("-o writes to a file"),
                };
                match written {
                    Ok(()) => format!("written to {shown}"),
                    Err(e) => return self.error(&name, &json_path, &format!("cannot write {shown}: {e}")),
                }
            }
            (Mode::Check, _, _) if summary.changed => {
                self.would_change = true;
                if !args.json {
                    writeln!(self.out, "{name}").map_err(fatal)?;
                }
                "would change".to_string()
            }
            _ => if summary.changed { "changed" } else { "unchanged" }.to_string(),
        };
        let elapsed = start.elapsed();
        if summary.replaced > 0 && !args.explain {
            // Those bytes are gone from the output (and from a rewritten file, unless backed up).
            eprintln!(
                "fixenc: {name}: {} malformed {} sequence(s) replaced by U+FFFD",
                summary.replaced, summary.encoding
            );
        }
        if args.json {
            let line = json_summary(&json_path, &summary, elapsed);
            self.out.write_all(line.as_bytes()).map_err(fatal)?;
        }
        if args.explain {
            // Flush first so that, on a terminal, the explanation follows the text it explains.
            self.out.flush().map_err(fatal)?;
            print_explanation(&name, &summary, &outcome, elapsed);
        }
        Ok(())
    }
}

/// Prints what was found and done for one input to standard error.
fn print_explanation(name: &str, summary: &Summary, outcome: &str, elapsed: Duration) {
    let mut text = format!("== {name}\n");
    let _ = writeln!(
        text,
        "input encoding: {} (confidence {:.2}{}{})",
        summary.encoding,
        summary.confidence,
        if summary.had_bom { ", byte order mark removed" } else { "" },
        match summary.replaced {
            0 => String::new(),
            n => format!(", {n} malformed sequence(s) replaced by U+FFFD"),
        }
    );
    let _ = write!(text, "{}", summary.explanation);
    let _ = writeln!(text, "result: {outcome} ({:.1} ms)", elapsed.as_secs_f64() * 1e3);
    // Errors writing diagnostics are ignored: there is nowhere left to report them.
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// A JSON string literal: quotes, backslashes and control characters escaped.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON number, or `null` for infinities and NaN (which JSON cannot write).
fn json_number(x: f64) -> String {
    if x.is_finite() {
        format!("{}", (x * 1000.0).round() / 1000.0)
    } else {
        "null".to_string()
    }
}

/// The JSON line for one repaired input.
fn json_summary(path: &str, summary: &Summary, elapsed: Duration) -> String {
    let explanation = &summary.explanation;
    // A text longer than a block (about 1 MiB) is explained block by block; the layers are
    // summed over the blocks by depth, code page and loss, so that the line stays short.
    let per_block: Vec<&[fixenc::Layer]> = if explanation.blocks.is_empty() {
        vec![&explanation.layers]
    } else {
        explanation.blocks.iter().map(|block| &block.explanation.layers[..]).collect()
    };
    let mut merged: Vec<(usize, fixenc::CodePage, fixenc::Loss, usize)> = Vec::new();
    for layers in per_block {
        for (depth, layer) in layers.iter().enumerate() {
            match merged.iter_mut().find(|m| (m.0, m.1, m.2) == (depth, layer.code_page, layer.loss)) {
                Some(m) => m.3 += layer.spans.len(),
                None => merged.push((depth, layer.code_page, layer.loss, layer.spans.len())),
            }
        }
    }
    merged.sort_by_key(|m| m.0);
    let layers: Vec<String> = merged
        .iter()
        .map(|(depth, code_page, loss, spans)| {
            format!(
                "{{\"layer\":{},\"code_page\":{},\"loss\":{},\"spans\":{spans}}}",
                depth + 1,
                json_string(&code_page.to_string()),
                json_string(&loss.to_string()),
            )
        })
        .collect();
    let guesses: Vec<String> = explanation
        .all_layers()
        .flat_map(|layer| layer.spans.iter())
        .flat_map(|span| span.guesses.iter())
        .map(|g| {
            let bytes: Vec<String> = g.bytes.iter().map(|b| b.to_string()).collect();
            format!(
                "{{\"char\":{},\"bytes\":[{}],\"margin\":{},\"low_confidence\":{}}}",
                json_string(&g.chosen.to_string()),
                bytes.join(","),
                json_number(f64::from(g.margin())),
                g.low_confidence
            )
        })
        .collect();
    format!(
        "{{\"path\":{},\"changed\":{},\"encoding\":{},\"confidence\":{},\"had_bom\":{},\"replaced\":{},\
         \"layers\":[{}],\"guesses\":[{}],\"elapsed_ms\":{}}}\n",
        json_string(path),
        summary.changed,
        json_string(summary.encoding),
        json_number(f64::from(summary.confidence)),
        summary.had_bom,
        summary.replaced,
        layers.join(","),
        guesses.join(","),
        json_number(elapsed.as_secs_f64() * 1e3)
    )
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args_os().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help) => {
            // Help output may be piped into `head` too.
            let _ = io::stdout().lock().write_all(USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("fixenc: {message}\nTry `fixenc --help`.");
            return ExitCode::from(2);
        }
    };
    let mut runner = Runner {
        args: &args,
        out: BufWriter::with_capacity(256 * 1024, io::stdout().lock()),
        errors: false,
        would_change: false,
    };
    let stdin_only = [OsString::from("-")];
    let paths = if args.paths.is_empty() { &stdin_only[..] } else { &args.paths[..] };
    let mut result = Ok(());
    for path in paths {
        result = runner.top(path);
        if result.is_err() {
            break;
        }
    }
    let result = result.and_then(|()| runner.out.flush().map_err(fatal));
    match result {
        Err(Fatal::Output(e)) => {
            eprintln!("fixenc: error writing output: {e}");
            ExitCode::from(2)
        }
        // A reader that went away (`| head`) is no error: the status says what was found.
        Ok(()) | Err(Fatal::BrokenPipe) if runner.errors => ExitCode::from(2),
        Ok(()) | Err(Fatal::BrokenPipe) if runner.would_change => ExitCode::from(1),
        Ok(()) | Err(Fatal::BrokenPipe) => ExitCode::SUCCESS,
    }
}
