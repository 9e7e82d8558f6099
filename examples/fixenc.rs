//! `fixenc` — repair mojibake in files or standard input.
//!
//! A thin command-line front end to the library:
//!
//! ```text
//! cargo run --release --example fixenc -- examples/sample-mojibake.txt
//! some-command | cargo run --release --example fixenc -- --explain
//! ```
//!
//! Arguments are parsed by hand so that the crate needs no argument-parsing dependency.

use std::fs;
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

use fixenc::{fix_bytes_with, Decoded, Normalization, Options, Reconstruct};

const USAGE: &str = "\
fixenc — repair mojibake (UTF-8 decoded through the wrong code page) and normalize text

USAGE:
    fixenc [OPTIONS] [FILE ...]

Reads each FILE (or standard input when no FILE is given, or for a FILE of `-`), repairs it
and writes the result to standard output, files in the order given.

Input in any encoding is decoded to UTF-8 first: a byte order mark decides, valid UTF-8 is
UTF-8 (or ISO-2022-JP when it holds JIS escapes), anything else is detected (Shift_JIS,
EUC-JP, GBK, Big5, EUC-KR, Windows-125x, KOI8-R, ISO-8859-x, …). The output is UTF-8.

OPTIONS:
    --explain              Print the input encoding detected and what was repaired (code
                           page, loss form, spans and guesses of each layer) to standard error
    --from ENCODING        Decode every input from ENCODING (a WHATWG label such as sjis,
                           euc-jp, gbk, big5, euc-kr, koi8-r, cp1251, latin1, utf-16le)
                           instead of detecting it
    --normalize FORM       Unicode normalization of the output: nfc (default), nfkc, none
    --no-reconstruct       Never guess lost bytes: repair only lossless mojibake
    -h, --help             Print this help and exit
    --                     Treat every later argument as a file name

EXIT STATUS:
    0    every input was repaired (or was already clean) and written
    2    a usage error (including an unknown --from encoding), or an input could not be
         read; the other inputs are still processed, and the errors are reported on
         standard error
";

/// What the command line asked for.
struct Args {
    explain: bool,
    options: Options,
    /// The input encoding label given with `--from`, if any (already checked to be known).
    from: Option<String>,
    /// Input paths; empty means standard input.
    paths: Vec<String>,
}

enum Parsed {
    Run(Args),
    Help,
}

fn parse_args(raw: impl Iterator<Item = String>) -> Result<Parsed, String> {
    let mut explain = false;
    let mut normalization = Normalization::Nfc;
    let mut reconstruct = Reconstruct::BestGuess;
    let mut from = None;
    let mut paths = Vec::new();
    let mut only_paths = false;
    let mut raw = raw.peekable();
    while let Some(arg) = raw.next() {
        if only_paths || arg == "-" || !arg.starts_with('-') {
            paths.push(arg);
            continue;
        }
        let (flag, inline_value) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value.to_string())),
            _ => (arg.clone(), None),
        };
        if inline_value.is_some() && matches!(flag.as_str(), "--explain" | "--no-reconstruct" | "--help") {
            return Err(format!("option {flag} takes no value"));
        }
        match flag.as_str() {
            "--" => only_paths = true,
            "-h" | "--help" => return Ok(Parsed::Help),
            "--explain" => explain = true,
            "--no-reconstruct" => reconstruct = Reconstruct::Never,
            "--normalize" => {
                let value = match inline_value.or_else(|| raw.next()) {
                    Some(value) => value,
                    None => return Err("--normalize needs a value: nfc, nfkc or none".to_string()),
                };
                normalization = Normalization::from_label(&value)
                    .ok_or_else(|| format!("unknown normalization form {value:?} (expected nfc, nfkc or none)"))?;
            }
            "--from" => {
                let value = match inline_value.or_else(|| raw.next()) {
                    Some(value) => value,
                    None => return Err("--from needs an encoding label, such as sjis or cp1251".to_string()),
                };
                // Check the label once, before any input is read.
                fix_bytes_with(b"", &Options::default(), Some(&value)).map_err(|e| e.to_string())?;
                from = Some(value);
            }
            _ => return Err(format!("unknown option {arg:?}")),
        }
    }
    let options = Options::default().normalization(normalization).reconstruct(reconstruct);
    Ok(Parsed::Run(Args { explain, options, from, paths }))
}

/// Prints the input encoding and the explanation to standard error, one block per input.
fn print_explanation(name: &str, decoded: &Decoded) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    // Errors writing diagnostics are ignored: there is nowhere left to report them.
    let _ = writeln!(err, "== {name}");
    let _ = writeln!(
        err,
        "input encoding: {} (confidence {:.2}{}{})",
        decoded.encoding,
        decoded.confidence,
        if decoded.had_bom { ", byte order mark removed" } else { "" },
        match decoded.replaced {
            0 => String::new(),
            n => format!(", {n} malformed sequence(s) replaced by U+FFFD"),
        }
    );
    let _ = write!(err, "{}", decoded.explanation);
}

/// Why processing stopped early or an input failed.
enum Failure {
    /// Standard output is gone (e.g. `fixenc file | head`): stop quietly.
    BrokenPipe,
    /// Any other write error on standard output: fatal.
    Output(io::Error),
}

fn write_out(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    out.write_all(text.as_bytes()).map_err(classify)
}

fn classify(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::BrokenPipe
    } else {
        Failure::Output(e)
    }
}

/// Decodes and repairs one input and writes it. `Ok(false)` means the input itself had an
/// error (already reported); `Err` means standard output failed.
fn process(name: &str, bytes: &[u8], args: &Args, out: &mut impl Write) -> Result<bool, Failure> {
    let decoded = match fix_bytes_with(bytes, &args.options, args.from.as_deref()) {
        Ok(decoded) => decoded,
        Err(e) => {
            eprintln!("fixenc: {name}: {e}");
            return Ok(false);
        }
    };
    write_out(out, &decoded.text)?;
    if args.explain {
        // Flush first so that, on a terminal, the explanation follows the text it explains.
        out.flush().map_err(classify)?;
        print_explanation(name, &decoded);
    }
    Ok(true)
}

fn read_input(path: &str) -> io::Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        fs::read(path)
    }
}

fn run(args: &Args) -> Result<bool, Failure> {
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut all_ok = true;
    let stdin_only = ["-".to_string()];
    let paths: &[String] = if args.paths.is_empty() { &stdin_only } else { &args.paths };
    for path in paths {
        let name = if path == "-" { "<stdin>" } else { path.as_str() };
        match read_input(path) {
            Ok(bytes) => all_ok &= process(name, &bytes, args, &mut out)?,
            Err(e) => {
                eprintln!("fixenc: {name}: {e}");
                all_ok = false;
            }
        }
    }
    out.flush().map_err(classify)?;
    Ok(all_ok)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
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
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(2),
        // The reader went away; nothing more can be written, and that is not an error here.
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Output(e)) => {
            eprintln!("fixenc: error writing output: {e}");
            ExitCode::from(2)
        }
    }
}
