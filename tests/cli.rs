//! The `fixenc` command-line tool (`examples/fixenc.rs`), run as a subprocess: every flag,
//! every exit code, atomic writes under injected failures, symbolic links, binary files, and
//! streams larger than the tool's 1 MiB chunk compared with the whole-input library result.
//!
//! `cargo test` builds the examples before it runs integration tests, into
//! `target/<profile>/examples` beside this test's `deps` directory; when that binary is missing
//! or older than the sources (`cargo test --test cli` alone does not build examples), it is
//! built once into a separate target directory, so as not to wait for the lock `cargo test`
//! holds on the main one.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

use encoding_rs::{SHIFT_JIS, WINDOWS_1252};

/// The tool's chunk size (`CHUNK` in examples/fixenc.rs).
const CHUNK: usize = 1 << 20;

fn fixenc_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test executable path");
        // target/<profile>/deps/cli-<hash> → target/<profile>
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>/deps");
        let name = format!("fixenc{}", std::env::consts::EXE_SUFFIX);
        let built = profile_dir.join("examples").join(&name);
        // `cargo test --test cli` alone does not rebuild examples: a binary older than the
        // sources would test old code.
        let built_at = fs::metadata(&built).and_then(|m| m.modified()).ok();
        if built_at.is_some_and(|t| t >= newest_source()) {
            return built;
        }
        let target = profile_dir.parent().expect("target directory").join("cli-test-build");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--example", "fixenc", "--target-dir"]).arg(&target);
        let profile = profile_dir.file_name().and_then(OsStr::to_str).unwrap_or("debug");
        if profile == "release" {
            build.arg("--release");
        }
        let status = build.current_dir(env!("CARGO_MANIFEST_DIR")).status().expect("running cargo build");
        assert!(status.success(), "cargo build --example fixenc failed");
        let bin = target.join(if profile == "release" { "release" } else { "debug" }).join("examples").join(name);
        assert!(bin.is_file(), "{} missing after the build", bin.display());
        bin
    })
}

/// The modification time of the newest file the tool is built from.
fn newest_source() -> SystemTime {
    fn newest(path: &Path) -> SystemTime {
        let meta = fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let own = meta.modified().unwrap();
        if !meta.is_dir() {
            return own;
        }
        fs::read_dir(path).unwrap().map(|e| newest(&e.unwrap().path())).fold(own, SystemTime::max)
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    ["src", "examples/fixenc.rs", "Cargo.toml", "Cargo.lock"]
        .iter()
        .map(|p| newest(&root.join(p)))
        .fold(SystemTime::UNIX_EPOCH, SystemTime::max)
}

/// A fresh directory under the system temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("fixenc-cli-{}-{n}-{label}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&path, bytes).unwrap();
        path
    }

    /// The names in a directory of it, sorted.
    fn names(&self, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.path(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        #[cfg(unix)]
        make_writable(&self.0);
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Undoes the read-only directories a test made, so that the tree can be removed.
#[cfg(unix)]
fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o755));
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            make_writable(&entry.path());
        }
    }
}

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn text(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("UTF-8 output")
    }
}

fn run_in(dir: &Path, args: &[&OsStr], stdin: &[u8]) -> Run {
    let mut child = Command::new(fixenc_bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawning fixenc");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    // Fed from a thread: a large input would otherwise deadlock against a full stdout pipe.
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let Output { status, stdout, stderr } = child.wait_with_output().expect("waiting for fixenc");
    feeder.join().unwrap();
    Run {
        code: status.code().expect("fixenc ended by a signal"),
        stdout,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Runs with string arguments in `dir`.
fn run(dir: &TempDir, args: &[&str], stdin: &[u8]) -> Run {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_in(&dir.0, &args, stdin)
}

/// UTF-8 misread as Windows-1252, as a browser or a lenient decoder would.
fn misread_1252(text: &str) -> String {
    WINDOWS_1252.decode_without_bom_handling(text.as_bytes()).0.into_owned()
}

fn mtime(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

/// Sets a file's modification time an hour back, so that any rewrite shows.
fn age(path: &Path) -> SystemTime {
    let past = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options().write(true).open(path).unwrap().set_modified(past).unwrap();
    mtime(path)
}

/// Whether permissions keep this process out (false for root, who writes anywhere).
#[cfg(unix)]
fn permissions_apply(dir: &TempDir) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.path("probe");
    fs::create_dir(&probe).unwrap();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o555)).unwrap();
    let blocked = fs::write(probe.join("x"), b"x").is_err();
    fs::set_permissions(&probe, fs::Permissions::from_mode(0o755)).unwrap();
    fs::remove_dir_all(&probe).unwrap();
    blocked
}

/// The names in `names` that look like the tool's temporary files.
fn temp_files(names: &[String]) -> Vec<&String> {
    names.iter().filter(|n| n.contains(".fixenc-") && n.ends_with(".tmp")).collect()
}

const CAFE: &str = "Un café au lait, s'il vous plaît.\n";
const DATA: &str = "データを保存しました。\n";

// ---- standard input and output ----

#[test]
fn stdin_to_stdout() {
    let dir = TempDir::new("stdin");
    for args in [&[][..], &["-"][..]] {
        let r = run(&dir, args, misread_1252(CAFE).as_bytes());
        assert_eq!((r.code, r.text().as_str()), (0, CAFE), "{}", r.stderr);
    }
    let r = run(&dir, &[], misread_1252(DATA).as_bytes());
    assert_eq!((r.code, r.text().as_str()), (0, DATA), "{}", r.stderr);
}

#[test]
fn files_in_order_with_stdin_between() {
    let dir = TempDir::new("order");
    dir.write("a.txt", misread_1252(CAFE));
    dir.write("b.txt", "clean\n");
    let r = run(&dir, &["a.txt", "-", "b.txt"], misread_1252(DATA).as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.text(), format!("{CAFE}{DATA}clean\n"));
}

#[test]
fn legacy_input_is_decoded_and_from_forces_the_encoding() {
    let dir = TempDir::new("from");
    let sjis = SHIFT_JIS.encode(DATA).0.into_owned();
    let r = run(&dir, &[], &sjis);
    assert_eq!((r.code, r.text().as_str()), (0, DATA), "{}", r.stderr);
    // Forced: the same bytes are decoded as Windows-1252, into Shift_JIS-read-as-1252
    // mojibake, which the repair then recognizes and undoes (it says so).
    let r = run(&dir, &["--from", "cp1252", "--explain"], &sjis);
    assert_eq!((r.code, r.text().as_str()), (0, DATA));
    assert!(r.stderr.contains("input encoding: windows-1252"), "{}", r.stderr);
    assert!(r.stderr.contains("Shift_JIS read as Windows-1252"), "{}", r.stderr);
    // With nothing to repair after the forced decoding, the text is what the page says.
    let r = run(&dir, &["--from", "cp1252"], b"caf\xe9\n");
    assert_eq!((r.code, r.text().as_str()), (0, "café\n"));
    let r = run(&dir, &["--from=sjis"], &sjis);
    assert_eq!((r.code, r.text().as_str()), (0, DATA));
    // KOI8-R "Привет", which detection alone could take for another Cyrillic page.
    let r = run(&dir, &["--from", "koi8-r"], b"\xf0\xd2\xc9\xd7\xc5\xd4");
    assert_eq!((r.code, r.text().as_str()), (0, "Привет"));
}

#[test]
fn normalize_forms() {
    let dir = TempDir::new("normalize");
    let decomposed = "cafe\u{301}\n";
    assert_eq!(run(&dir, &[], decomposed.as_bytes()).text(), "café\n");
    assert_eq!(run(&dir, &["--normalize", "nfc"], decomposed.as_bytes()).text(), "café\n");
    assert_eq!(run(&dir, &["--normalize", "none"], decomposed.as_bytes()).text(), decomposed);
    assert_eq!(run(&dir, &["--normalize=nfkc"], "ＡＢＣ\n".as_bytes()).text(), "ABC\n");
    assert_eq!(run(&dir, &[], "ＡＢＣ\n".as_bytes()).text(), "ＡＢＣ\n");
}

#[test]
fn no_reconstruct_leaves_lossy_mojibake() {
    let dir = TempDir::new("lossy");
    let original = "チームのデータを保存しました。チームの会議は明日です。\n";
    // A strict Windows-1252 decoder drops the bytes the page leaves undefined (チ = E3 83 81).
    let kept: Vec<u8> = original.bytes().filter(|b| ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b)).collect();
    let broken = WINDOWS_1252.decode_without_bom_handling(&kept).0.into_owned();
    let repaired = run(&dir, &[], broken.as_bytes());
    assert_eq!((repaired.code, repaired.text().as_str()), (0, original), "{}", repaired.stderr);
    let kept = run(&dir, &["--no-reconstruct"], broken.as_bytes());
    assert_eq!((kept.code, kept.text()), (0, broken));
}

#[test]
fn utf16_with_bom_is_text_not_binary() {
    let dir = TempDir::new("utf16");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("café\n".encode_utf16().flat_map(u16::to_le_bytes));
    let r = run(&dir, &[], &bytes);
    assert_eq!((r.code, r.text().as_str()), (0, "café\n"), "{}", r.stderr);
}

#[test]
fn replaced_bytes_are_reported() {
    let dir = TempDir::new("replaced");
    // Plenty of UTF-8 and one stray byte: decoded as UTF-8 with one replacement.
    let input = [CAFE.repeat(8).as_bytes(), b"\xff\n"].concat();
    let input = &input[..];
    let r = run(&dir, &[], input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.text(), format!("{}\u{FFFD}\n", CAFE.repeat(8)));
    assert!(r.stderr.contains("<stdin>: 1 malformed UTF-8 sequence(s) replaced by U+FFFD"), "{}", r.stderr);
    let r = run(&dir, &["--json"], input);
    assert_eq!(parse_json(r.text().trim_end()).unwrap().get("replaced"), &Json::Num(1.0));
}

#[test]
fn binary_stdin_passes_through_unchanged() {
    let dir = TempDir::new("binstdin");
    let bytes = [b"ELF\0\x01".as_slice(), misread_1252(CAFE).as_bytes()].concat();
    let r = run(&dir, &[], &bytes);
    assert_eq!((r.code, r.stdout), (0, bytes));
    assert!(r.stderr.contains("binary"), "{}", r.stderr);
}

// ---- errors and usage ----

#[test]
fn missing_file_and_directory_are_errors_for_that_path_only() {
    let dir = TempDir::new("missing");
    dir.write("a.txt", misread_1252(CAFE));
    dir.write("sub/b.txt", "b\n");
    let r = run(&dir, &["nope.txt", "a.txt", "sub", "a.txt"], b"");
    assert_eq!(r.code, 2);
    assert_eq!(r.text(), format!("{CAFE}{CAFE}"));
    assert!(r.stderr.contains("nope.txt"), "{}", r.stderr);
    assert!(r.stderr.contains("sub") && r.stderr.contains("-r"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn non_regular_and_unreadable_files_are_errors() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("nonregular");
    dir.write("a.txt", "a\n");
    let r = run(&dir, &["/dev/null", "a.txt"], b"");
    assert_eq!((r.code, r.text().as_str()), (2, "a\n"));
    assert!(r.stderr.contains("/dev/null") && r.stderr.contains("not a regular file"), "{}", r.stderr);
    if permissions_apply(&dir) {
        let secret = dir.write("secret.txt", "s\n");
        fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).unwrap();
        let r = run(&dir, &["secret.txt", "a.txt"], b"");
        assert_eq!((r.code, r.text().as_str()), (2, "a\n"));
        assert!(r.stderr.contains("secret.txt"), "{}", r.stderr);
    }
}

#[test]
fn usage_errors_exit_2_and_touch_nothing() {
    let dir = TempDir::new("usage");
    let a = dir.write("a.txt", misread_1252(CAFE));
    dir.write("b.txt", "b\n");
    let before = age(&a);
    let cases: &[&[&str]] = &[
        &["--no-such-flag", "a.txt"],
        &["-x", "a.txt"],
        &["-w"],
        &["-w", "-"],
        &["-w", "-c", "a.txt"],
        &["-c", "-o", "out.txt", "a.txt"],
        &["-o", "out.txt", "a.txt", "b.txt"],
        &["-o", "out.txt", "-r", "a.txt"],
        &["-o"],
        &["--backup", ".orig", "a.txt"],
        &["-w", "--backup=", "a.txt"],
        &["-w", "--backup", "/x", "a.txt"],
        &["--follow-symlinks", "a.txt"],
        &["--normalize", "nfd", "a.txt"],
        &["--from", "no-such-encoding", "a.txt"],
        &["--from"],
        &["--explain=yes", "a.txt"],
    ];
    for args in cases {
        let r = run(&dir, args, b"");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
        assert!(r.stderr.contains("fixenc:"), "{args:?}: {}", r.stderr);
    }
    assert_eq!(fs::read_to_string(&a).unwrap(), misread_1252(CAFE));
    assert_eq!(mtime(&a), before);
    assert_eq!(dir.names("."), ["a.txt", "b.txt"]);
}

#[test]
fn double_dash_ends_options_and_short_flags_bundle() {
    let dir = TempDir::new("dashes");
    dir.write("-w", misread_1252(CAFE));
    dir.write("t/a.txt", misread_1252(DATA));
    let r = run(&dir, &["--", "-w"], b"");
    assert_eq!((r.code, r.text().as_str()), (0, CAFE), "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("-w")).unwrap(), misread_1252(CAFE));
    let r = run(&dir, &["-rc", "t"], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let r = run(&dir, &["--recursive", "-wo", "x", "t"], b"");
    assert_eq!(r.code, 2, "-w and -o together: {}", r.stderr);
    let r = run(&dir, &["-rw", "t"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("t/a.txt")).unwrap(), DATA);
}

#[test]
fn help_documents_every_flag_and_exit_code() {
    let dir = TempDir::new("help");
    for flag in ["-h", "--help"] {
        let r = run(&dir, &[flag], b"");
        assert_eq!(r.code, 0);
        let help = r.text();
        for needle in [
            "--in-place",
            "--backup",
            "--check",
            "--recursive",
            "--follow-symlinks",
            "--explain",
            "--json",
            "--from",
            "--normalize",
            "--no-reconstruct",
            "--output",
            "EXIT STATUS",
            "    0 ",
            "    1 ",
            "    2 ",
        ] {
            assert!(help.contains(needle), "--help lacks {needle:?}");
        }
    }
}

// ---- --in-place ----

#[cfg(unix)]
#[test]
fn in_place_rewrites_changed_files_only_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("inplace");
    let broken = dir.write("broken.txt", misread_1252(CAFE));
    let clean = dir.write("clean.txt", DATA);
    fs::set_permissions(&broken, fs::Permissions::from_mode(0o640)).unwrap();
    // Only a privileged process can give a file away; then the rewrite must keep the owner.
    let given_away = std::os::unix::fs::chown(&broken, Some(4242), Some(4243)).is_ok();
    let clean_time = age(&clean);
    age(&broken);
    let r = run(&dir, &["-w", "broken.txt", "clean.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(fs::read_to_string(&broken).unwrap(), CAFE);
    assert_eq!(fs::metadata(&broken).unwrap().permissions().mode() & 0o777, 0o640);
    if given_away {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(&broken).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4242, 4243));
    }
    assert_eq!(fs::read_to_string(&clean).unwrap(), DATA);
    assert_eq!(mtime(&clean), clean_time, "a clean file must not be touched");
    assert_eq!(dir.names("."), ["broken.txt", "clean.txt"]);
    // Running again changes nothing.
    let again = age(&broken);
    assert_eq!(run(&dir, &["--in-place", "broken.txt"], b"").code, 0);
    assert_eq!(mtime(&broken), again);
}

#[test]
fn backup_keeps_the_original_of_rewritten_files() {
    let dir = TempDir::new("backup");
    dir.write("a.txt", misread_1252(CAFE));
    dir.write("clean.txt", "clean\n");
    // An older backup is replaced.
    dir.write("a.txt.orig", "older backup\n");
    let r = run(&dir, &["-w", "--backup", ".orig", "a.txt", "clean.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("a.txt")).unwrap(), CAFE);
    assert_eq!(fs::read_to_string(dir.path("a.txt.orig")).unwrap(), misread_1252(CAFE));
    assert_eq!(dir.names("."), ["a.txt", "a.txt.orig", "clean.txt"]);

    // A second run over the tree leaves the backups (and a stray temporary file) alone.
    dir.write("t/b.txt", misread_1252(DATA));
    dir.write("t/.b.txt.fixenc-1-0.tmp", misread_1252(DATA));
    let r = run(&dir, &["-w", "-r", "--backup", ".orig", "t"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&dir, &["-w", "-r", "--backup", ".orig", "t"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("b.txt.orig: skipped") && r.stderr.contains(".tmp: skipped"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("t/b.txt.orig")).unwrap(), misread_1252(DATA));
    assert_eq!(dir.names("t"), [".b.txt.fixenc-1-0.tmp", "b.txt", "b.txt.orig"]);
}

#[test]
fn failed_backup_leaves_the_original_and_no_temp_files() {
    let dir = TempDir::new("backupfail");
    let a = dir.write("a.txt", misread_1252(CAFE));
    dir.write("b.txt", misread_1252(DATA));
    // The backup's name is taken by a directory: renaming onto it fails, for root too.
    dir.write("a.txt.bak/keep", "x");
    let before = age(&a);
    let r = run(&dir, &["-w", "--backup=.bak", "a.txt", "b.txt"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a.txt"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&a).unwrap(), misread_1252(CAFE));
    assert_eq!(mtime(&a), before);
    // The other file was still processed.
    assert_eq!(fs::read_to_string(dir.path("b.txt")).unwrap(), DATA);
    assert_eq!(dir.names("."), ["a.txt", "a.txt.bak", "b.txt", "b.txt.bak"]);
    assert_eq!(dir.names("a.txt.bak"), ["keep"]);
}

/// Makes a directory refuse new files until dropped: mode 0555, or for a process that
/// permissions do not stop (root), the immutable attribute (`chattr +i`, which binds root
/// too). `None` when neither works here.
#[cfg(unix)]
struct LockedDir {
    path: PathBuf,
    immutable: bool,
}

#[cfg(unix)]
impl LockedDir {
    fn lock(path: &Path) -> Option<LockedDir> {
        use std::os::unix::fs::PermissionsExt;
        let blocks = || {
            let probe = path.join(".probe");
            let written = fs::write(&probe, b"x").is_ok();
            let _ = fs::remove_file(&probe);
            !written
        };
        fs::set_permissions(path, fs::Permissions::from_mode(0o555)).unwrap();
        let locked = LockedDir { path: path.to_path_buf(), immutable: false };
        if blocks() {
            return Some(locked);
        }
        drop(locked);
        let chattr = Command::new("chattr").arg("+i").arg(path).stderr(Stdio::null()).status();
        let locked = LockedDir { path: path.to_path_buf(), immutable: true };
        (chattr.is_ok_and(|s| s.success()) && blocks()).then_some(locked)
    }
}

#[cfg(unix)]
impl Drop for LockedDir {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).stderr(Stdio::null()).status();
        }
        let _ = fs::set_permissions(&self.path, fs::Permissions::from_mode(0o755));
    }
}

#[cfg(unix)]
#[test]
fn read_only_directory_leaves_the_original_and_no_temp_files() {
    let dir = TempDir::new("readonly");
    let a = dir.write("ro/a.txt", misread_1252(CAFE));
    dir.write("ro/b.txt", misread_1252(DATA));
    dir.write("rw/c.txt", misread_1252(CAFE));
    let Some(lock) = LockedDir::lock(&dir.path("ro")) else {
        eprintln!("skipped: no way to make a directory read-only for this process");
        return;
    };
    let before = age(&a);
    let r = run(&dir, &["-w", "--backup", ".orig", "ro/a.txt", "rw/c.txt", "ro/b.txt"], b"");
    drop(lock);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("ro/a.txt") && r.stderr.contains("ro/b.txt"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&a).unwrap(), misread_1252(CAFE));
    assert_eq!(mtime(&a), before);
    assert_eq!(fs::read_to_string(dir.path("ro/b.txt")).unwrap(), misread_1252(DATA));
    assert_eq!(dir.names("ro"), ["a.txt", "b.txt"]);
    // The writable directory between them was still handled.
    assert_eq!(fs::read_to_string(dir.path("rw/c.txt")).unwrap(), CAFE);
    assert_eq!(dir.names("rw"), ["c.txt", "c.txt.orig"]);
}

/// The immutable attribute on a file (`chattr +i`) until dropped; `None` where it cannot be
/// set (it takes root, and a file system that has it).
#[cfg(unix)]
struct Immutable(PathBuf);

#[cfg(unix)]
impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let status = Command::new("chattr").arg("+i").arg(path).stderr(Stdio::null()).status();
        status.is_ok_and(|s| s.success()).then(|| Immutable(path.to_path_buf()))
    }
}

#[cfg(unix)]
impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).stderr(Stdio::null()).status();
    }
}

#[cfg(unix)]
#[test]
fn failed_rename_leaves_the_original_and_no_temp_files() {
    let dir = TempDir::new("renamefail");
    let a = dir.write("a.txt", misread_1252(CAFE));
    // The directory takes new files, but the file may not be replaced: only the rename fails.
    let Some(lock) = Immutable::set(&a) else {
        eprintln!("skipped: the immutable attribute is not available here");
        return;
    };
    let before = mtime(&a);
    let r = run(&dir, &["-w", "a.txt"], b"");
    drop(lock);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("a.txt") && r.stderr.contains("cannot replace"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&a).unwrap(), misread_1252(CAFE));
    assert_eq!(mtime(&a), before);
    assert_eq!(dir.names("."), ["a.txt"]);
}

#[cfg(unix)]
#[test]
fn in_place_through_a_named_symlink_rewrites_the_target() {
    let dir = TempDir::new("namedlink");
    dir.write("real.txt", misread_1252(CAFE));
    std::os::unix::fs::symlink("real.txt", dir.path("link.txt")).unwrap();
    let r = run(&dir, &["-w", "link.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(fs::symlink_metadata(dir.path("link.txt")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(dir.path("real.txt")).unwrap(), CAFE);
    assert_eq!(dir.names("."), ["link.txt", "real.txt"]);
}

// ---- --check ----

#[test]
fn check_lists_files_that_would_change_and_changes_nothing() {
    let dir = TempDir::new("check");
    let a = dir.write("a.txt", misread_1252(CAFE));
    dir.write("clean.txt", "clean\n");
    dir.write("sub/c.txt", misread_1252(DATA));
    let a_time = age(&a);
    let r = run(&dir, &["-c", "-r", "a.txt", "clean.txt", "sub"], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.text(), format!("a.txt\n{}\n", Path::new("sub").join("c.txt").display()));
    assert_eq!(fs::read_to_string(&a).unwrap(), misread_1252(CAFE));
    assert_eq!(mtime(&a), a_time);
    let r = run(&dir, &["--check", "clean.txt"], b"");
    assert_eq!((r.code, r.stdout.len()), (0, 0));
    let r = run(&dir, &["--check"], misread_1252(CAFE).as_bytes());
    assert_eq!((r.code, r.text().as_str()), (1, "<stdin>\n"));
    // An error outranks "would change".
    let r = run(&dir, &["--check", "a.txt", "nope.txt"], b"");
    assert_eq!((r.code, r.text().as_str()), (2, "a.txt\n"));
    assert_eq!(dir.names("."), ["a.txt", "clean.txt", "sub"]);
}

// ---- --recursive ----

#[cfg(unix)]
#[test]
fn recursive_walk_is_sorted_and_skips_binaries_links_and_vcs() {
    let dir = TempDir::new("walk");
    dir.write("t/b.txt", misread_1252("bé\n"));
    dir.write("t/a.txt", "a\n");
    dir.write("t/z/c.txt", "c\n");
    dir.write("t/.git/config", "[core]\n");
    let bin = [b"\x7fELF\0\0".as_slice(), misread_1252(CAFE).as_bytes()].concat();
    dir.write("t/bin.dat", &bin);
    dir.write("outside.txt", misread_1252("outside é\n"));
    std::os::unix::fs::symlink("../outside.txt", dir.path("t/link.txt")).unwrap();
    std::os::unix::fs::symlink("..", dir.path("t/z/up")).unwrap();
    let bin_time = age(&dir.path("t/bin.dat"));

    let r = run(&dir, &["-r", "t"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.text(), "a\nbé\nc\n");
    for skipped in ["bin.dat", "link.txt", ".git", "up"] {
        assert!(r.stderr.contains(skipped), "{skipped} not reported: {}", r.stderr);
    }

    // Followed: the file link is read, and the link back up is not walked in a loop.
    let r = run(&dir, &["-r", "--follow-symlinks", "t"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.text(), "a\nbé\noutside é\nc\n");
    assert!(r.stderr.contains("loop"), "{}", r.stderr);

    // Rewriting the tree leaves the binary file alone.
    let r = run(&dir, &["-w", "-r", "t"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read(dir.path("t/bin.dat")).unwrap(), bin);
    assert_eq!(mtime(&dir.path("t/bin.dat")), bin_time);
    assert_eq!(fs::read_to_string(dir.path("t/b.txt")).unwrap(), "bé\n");
    assert_eq!(fs::read_to_string(dir.path("outside.txt")).unwrap(), misread_1252("outside é\n"));
    assert_eq!(dir.names("t"), [".git", "a.txt", "b.txt", "bin.dat", "link.txt", "z"]);

    // A binary file named on the command line is skipped too, and a broken link is an error.
    std::os::unix::fs::symlink("missing", dir.path("t/z/broken")).unwrap();
    let r = run(&dir, &["-w", "-r", "--follow-symlinks", "t/bin.dat", "t"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("broken"), "{}", r.stderr);
    assert_eq!(fs::read(dir.path("t/bin.dat")).unwrap(), bin);
    assert_eq!(fs::read_to_string(dir.path("outside.txt")).unwrap(), "outside é\n");
}

// ---- --output ----

#[test]
fn output_file_is_written_atomically() {
    let dir = TempDir::new("output");
    dir.write("a.txt", misread_1252(CAFE));
    let r = run(&dir, &["-o", "out.txt", "a.txt"], b"");
    assert_eq!((r.code, r.stdout.len()), (0, 0), "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("out.txt")).unwrap(), CAFE);
    // From standard input, over an existing file, with the value attached.
    let r = run(&dir, &["--output=out.txt"], misread_1252(DATA).as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("out.txt")).unwrap(), DATA);
    let r = run(&dir, &["-oout.txt", "a.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(fs::read_to_string(dir.path("out.txt")).unwrap(), CAFE);
    assert_eq!(fs::read_to_string(dir.path("a.txt")).unwrap(), misread_1252(CAFE));

    // The destination is a directory: the rename fails, nothing is left behind.
    dir.write("outdir/keep", "x");
    let r = run(&dir, &["-o", "outdir", "a.txt"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("outdir"), "{}", r.stderr);
    assert_eq!(dir.names("outdir"), ["keep"]);
    assert!(temp_files(&dir.names(".")).is_empty(), "{:?}", dir.names("."));
    assert_eq!(dir.names("."), ["a.txt", "out.txt", "outdir"]);

    // An input that fails creates no output.
    let r = run(&dir, &["-o", "never.txt", "nope.txt"], b"");
    assert_eq!(r.code, 2);
    assert_eq!(dir.names("."), ["a.txt", "out.txt", "outdir"]);
}

#[cfg(unix)]
#[test]
fn output_keeps_links_and_devices() {
    let dir = TempDir::new("outputlink");
    dir.write("a.txt", misread_1252(CAFE));
    dir.write("real.txt", "old\n");
    std::os::unix::fs::symlink("real.txt", dir.path("link.txt")).unwrap();
    let r = run(&dir, &["-o", "link.txt", "a.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(fs::symlink_metadata(dir.path("link.txt")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_to_string(dir.path("real.txt")).unwrap(), CAFE);
    // A device is written to, never renamed over (which root could do).
    let r = run(&dir, &["-o", "/dev/null", "a.txt"], b"");
    assert_eq!((r.code, r.stdout.len()), (0, 0), "{}", r.stderr);
    assert!(!fs::metadata("/dev/null").unwrap().is_file());
    assert_eq!(dir.names("."), ["a.txt", "link.txt", "real.txt"]);
}

// ---- --explain and --json ----

#[test]
fn explain_describes_the_steps_on_stderr() {
    let dir = TempDir::new("explain");
    dir.write("a.txt", misread_1252(CAFE));
    let r = run(&dir, &["--explain", "a.txt"], b"");
    assert_eq!((r.code, r.text().as_str()), (0, CAFE));
    for needle in
        ["== a.txt", "input encoding: UTF-8", "Windows-1252", "2 span(s)", "\"Ã©\" -> \"é\"", "result: changed"]
    {
        assert!(r.stderr.contains(needle), "lacks {needle:?}: {}", r.stderr);
    }
    let r = run(&dir, &["--explain"], b"clean\n");
    assert!(r.stderr.contains("no mojibake found") && r.stderr.contains("unchanged"), "{}", r.stderr);
}

#[test]
fn json_is_one_parseable_object_per_input() {
    let dir = TempDir::new("json");
    // A name that needs escaping.
    let odd = if cfg!(windows) { "odd \u{1}name.txt" } else { "odd \"quoted\\\" \u{1}name.txt" };
    dir.write(odd, misread_1252(DATA));
    dir.write("clean.txt", "clean\n");
    dir.write("bin.dat", b"\0\x01");
    let original = "チームのデータを保存しました。\n";
    let kept: Vec<u8> = original.bytes().filter(|b| ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains(b)).collect();
    dir.write("lossy.txt", WINDOWS_1252.decode_without_bom_handling(&kept).0.as_bytes());
    let r = run(&dir, &["--json", odd, "clean.txt", "bin.dat", "nope.txt", "lossy.txt"], b"");
    assert_eq!(r.code, 2, "{}", r.stderr);
    let lines: Vec<Json> = r.text().lines().map(|l| parse_json(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    assert_eq!(lines.len(), 5);

    let broken = &lines[0];
    assert_eq!(broken.get("path"), &Json::Str(odd.to_string()));
    assert_eq!(broken.get("changed"), &Json::Bool(true));
    assert_eq!(broken.get("encoding"), &Json::Str("UTF-8".into()));
    assert_eq!(broken.get("confidence"), &Json::Num(1.0));
    assert_eq!(broken.get("had_bom"), &Json::Bool(false));
    assert_eq!(broken.get("replaced"), &Json::Num(0.0));
    let Json::Arr(layers) = broken.get("layers") else { panic!("layers: {broken:?}") };
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].get("layer"), &Json::Num(1.0));
    assert_eq!(layers[0].get("code_page"), &Json::Str("Windows-1252".into()));
    assert_eq!(layers[0].get("loss"), &Json::Str("lossless".into()));
    assert_eq!(layers[0].get("spans"), &Json::Num(1.0));
    assert_eq!(broken.get("guesses"), &Json::Arr(vec![]));
    assert!(matches!(broken.get("elapsed_ms"), Json::Num(ms) if *ms >= 0.0));

    assert_eq!(lines[1].get("changed"), &Json::Bool(false));
    assert_eq!(lines[1].get("layers"), &Json::Arr(vec![]));
    assert!(matches!(lines[2].get("skipped"), Json::Str(s) if s.contains("binary")));
    assert!(matches!(lines[3].get("error"), Json::Str(_)));
    assert_eq!(lines[3].get("path"), &Json::Str("nope.txt".into()));

    let Json::Arr(guesses) = lines[4].get("guesses") else { panic!("guesses: {:?}", lines[4]) };
    assert!(!guesses.is_empty(), "{:?}", lines[4]);
    for guess in guesses {
        let Json::Str(c) = guess.get("char") else { panic!("char: {guess:?}") };
        let Json::Arr(bytes) = guess.get("bytes") else { panic!("bytes: {guess:?}") };
        let bytes: Vec<u8> = bytes.iter().map(|b| if let Json::Num(n) = b { *n as u8 } else { panic!() }).collect();
        assert_eq!(c.as_bytes(), bytes.as_slice());
        assert!(matches!(guess.get("margin"), Json::Num(_) | Json::Null));
    }
    // JSON replaces the text on stdout; files are not touched.
    assert_eq!(fs::read_to_string(dir.path(odd)).unwrap(), misread_1252(DATA));
}

// ---- streams larger than a chunk ----

/// About `len` bytes of mixed clean text and mojibake, with a misread `é` (`Ã©`, bytes
/// C3 83 C2 A9) whose `Ã` is split by the chunk boundary at `CHUNK`, and a boundary between
/// two misread characters at `2 * CHUNK`.
fn large_input(len: usize) -> Vec<u8> {
    // Mostly clean text with some mojibake: enough to test, little enough for a debug build.
    let mut lines = vec!["The quick brown fox jumps over the lazy dog.\n".to_string(); 40];
    lines.extend(["今日は朝から雨が降っていた。\n".to_string(), "Grüße aus Köln.\n".to_string()]);
    lines.extend(
        ["Un café au lait, s'il vous plaît.\n", "データを保存しました。\n", "Привет, как дела?\n"].map(misread_1252),
    );
    // Where each planted run starts, and the run.
    let planted = [(CHUNK - 5, " cafÃ© "), (2 * CHUNK - 4, "xxÃ©Ã¨ ")];
    let mut bytes = Vec::with_capacity(len + 100);
    for i in 0.. {
        if bytes.len() >= len {
            break;
        }
        let line = lines[i % lines.len()].as_bytes();
        if let Some(&(at, run)) = planted.iter().find(|(at, _)| bytes.len() <= *at && bytes.len() + line.len() > *at) {
            // Pad with ASCII up to the spot, then the planted run.
            bytes.resize(at, b'.');
            bytes.extend_from_slice(run.as_bytes());
        }
        bytes.extend_from_slice(line);
    }
    assert_eq!(bytes[CHUNK - 1..CHUNK + 1], [0xC3, 0x83], "layout");
    assert_eq!(bytes[2 * CHUNK - 2..2 * CHUNK + 2], [0xC3, 0x83, 0xC2, 0xA9], "layout");
    bytes
}

#[test]
fn large_stream_matches_the_whole_input_library_result() {
    let dir = TempDir::new("large");
    let input = large_input(2 * CHUNK + CHUNK / 2);
    let whole = fixenc::fix_bytes_with(&input, &fixenc::Options::default(), None).unwrap();
    let expected = &whole.text;
    assert!(expected.contains(" café ") && expected.contains("xxéè "), "the test input repairs");

    let r = run(&dir, &[], &input);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout == expected.as_bytes(), "stdin stream differs from the whole-input repair");

    let path = dir.write("big.txt", &input);
    let r = run(&dir, &["big.txt"], b"");
    assert!(r.stdout == expected.as_bytes(), "file stream differs from the whole-input repair");
    assert_eq!(run(&dir, &["--check", "big.txt"], b"").code, 1);
    let r = run(&dir, &["-w", "big.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(fs::read(&path).unwrap() == expected.as_bytes(), "in-place stream differs");
    assert_eq!(dir.names("."), ["big.txt"]);
    // Explained block by block; JSON sums the layers of the blocks.
    fs::write(&path, &input).unwrap();
    let r = run(&dir, &["--json", "--explain", "big.txt"], b"");
    let report = parse_json(r.text().trim_end()).unwrap();
    assert_eq!(report.get("changed"), &Json::Bool(true));
    let Json::Arr(layers) = report.get("layers") else { panic!("layers: {report:?}") };
    assert_eq!(layers.len(), 1, "{report:?}");
    assert_eq!(layers[0].get("layer"), &Json::Num(1.0));
    assert_eq!(layers[0].get("code_page"), &Json::Str("Windows-1252".into()));
    // As many spans as the library's explanation of the whole input has in all its blocks.
    let spans: usize = whole.explanation.all_layers().map(|layer| layer.spans.len()).sum();
    assert!(spans > 1000);
    assert_eq!(layers[0].get("spans"), &Json::Num(spans as f64), "{report:?}");
    assert!(r.stderr.contains("block at bytes 0.."), "{}", r.stderr);
    let r = run(&dir, &["-w", "big.txt"], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The repaired file is clean: checked again, it would not change.
    assert_eq!(run(&dir, &["--check", "big.txt"], b"").code, 0);
}

// ---- a JSON reader, just enough to check the tool's output ----

#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("no {key:?} in {self:?}")),
            _ => panic!("{self:?} is not an object"),
        }
    }
}

fn parse_json(text: &str) -> Result<Json, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let value = json_value(&chars, &mut pos)?;
    skip_ws(&chars, &mut pos);
    if pos != chars.len() {
        return Err(format!("trailing characters at {pos}"));
    }
    Ok(value)
}

fn skip_ws(c: &[char], pos: &mut usize) {
    while c.get(*pos).is_some_and(|c| c.is_ascii_whitespace()) {
        *pos += 1;
    }
}

fn expect(c: &[char], pos: &mut usize, want: char) -> Result<(), String> {
    skip_ws(c, pos);
    if c.get(*pos) == Some(&want) {
        *pos += 1;
        Ok(())
    } else {
        Err(format!("expected {want:?} at {pos}"))
    }
}

fn json_value(c: &[char], pos: &mut usize) -> Result<Json, String> {
    skip_ws(c, pos);
    let rest: String = c[*pos..c.len().min(*pos + 5)].iter().collect();
    for (word, value) in [("null", Json::Null), ("true", Json::Bool(true)), ("false", Json::Bool(false))] {
        if rest.starts_with(word) {
            *pos += word.len();
            return Ok(value);
        }
    }
    match c.get(*pos) {
        Some('"') => json_str(c, pos).map(Json::Str),
        Some('[') => {
            *pos += 1;
            let mut items = Vec::new();
            skip_ws(c, pos);
            if c.get(*pos) == Some(&']') {
                *pos += 1;
                return Ok(Json::Arr(items));
            }
            loop {
                items.push(json_value(c, pos)?);
                skip_ws(c, pos);
                match c.get(*pos) {
                    Some(',') => *pos += 1,
                    Some(']') => {
                        *pos += 1;
                        return Ok(Json::Arr(items));
                    }
                    _ => return Err(format!("bad array at {pos}")),
                }
            }
        }
        Some('{') => {
            *pos += 1;
            let mut fields = Vec::new();
            skip_ws(c, pos);
            if c.get(*pos) == Some(&'}') {
                *pos += 1;
                return Ok(Json::Obj(fields));
            }
            loop {
                skip_ws(c, pos);
                let key = json_str(c, pos)?;
                expect(c, pos, ':')?;
                fields.push((key, json_value(c, pos)?));
                skip_ws(c, pos);
                match c.get(*pos) {
                    Some(',') => *pos += 1,
                    Some('}') => {
                        *pos += 1;
                        return Ok(Json::Obj(fields));
                    }
                    _ => return Err(format!("bad object at {pos}")),
                }
            }
        }
        Some(d) if *d == '-' || d.is_ascii_digit() => {
            let start = *pos;
            while c.get(*pos).is_some_and(|d| d.is_ascii_digit() || "+-.eE".contains(*d)) {
                *pos += 1;
            }
            let number: String = c[start..*pos].iter().collect();
            number.parse().map(Json::Num).map_err(|e| format!("{number:?}: {e}"))
        }
        _ => Err(format!("unexpected character at {pos}")),
    }
}

fn json_str(c: &[char], pos: &mut usize) -> Result<String, String> {
    if c.get(*pos) != Some(&'"') {
        return Err(format!("expected a string at {pos}"));
    }
    *pos += 1;
    let mut out = String::new();
    loop {
        let ch = *c.get(*pos).ok_or("unterminated string")?;
        *pos += 1;
        match ch {
            '"' => return Ok(out),
            '\\' => {
                let esc = *c.get(*pos).ok_or("unterminated escape")?;
                *pos += 1;
                match esc {
                    '"' | '\\' | '/' => out.push(esc),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'u' => {
                        let hex: String = c.get(*pos..*pos + 4).ok_or("short \\u escape")?.iter().collect();
                        *pos += 4;
                        let code = u32::from_str_radix(&hex, 16).map_err(|e| e.to_string())?;
                        out.push(char::from_u32(code).ok_or("surrogate in \\u escape")?);
                    }
                    _ => return Err(format!("bad escape {esc:?}")),
                }
            }
            c if (c as u32) < 0x20 => return Err("raw control character in a string".into()),
            c => out.push(c),
        }
    }
}
