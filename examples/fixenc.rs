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

use fixenc::{fix_and_explain, fix_text_with, Explanation, Normalization, Options, Reconstruct};

const USAGE: &str = "\
fixenc — repair mojibake (UTF-8 decoded through the wrong code page) and normalize text

USAGE:
    fixenc [OPTIONS] [FILE ...]

Reads each FILE (or standard input when no FILE is given, or for a FILE of `-`), repairs it
and writes the result to standard output, files in the order given.

The input must be UTF-8 text; other encodings are reported as errors for now.

OPTIONS:
    --explain              Print what was repaired (code page, loss form, spans and guesses
                           of each layer) to standard error
    --normalize FORM       Unicode normalization of the output: nfc (default), nfkc, none
    --no-reconstruct       Never guess lost bytes: repair only lossless mojibake
    -h, --help             Print this help and exit
    --                     Treat every later argument as a file name

EXIT STATUS:
    0    every input was repaired (or was already clean) and written
    2    a usage error, or an input could not be read or was not UTF-8; the other inputs
         are still processed, and the errors are reported on standard error
";

/// What the command line asked for.
struct Args {
    explain: bool,
    options: Options,
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
            _ => return Err(format!("unknown option {arg:?}")),
        }
    }
    let options = Options::default().normalization(normalization).reconstruct(reconstruct);
    Ok(Parsed::Run(Args { explain, options, paths }))
}

/// Describes why an input was rejected as not UTF-8.
fn utf8_error_message(err: &std::str::Utf8Error) -> String {
    format!(
        "input is not valid UTF-8 (invalid byte sequence at byte offset {}); \
         decoding legacy encodings is not supported yet",
        err.valid_up_to()
    )
}

/// Prints an explanation to standard error, one block per input.
fn print_explanation(name: &str, explanation: &Explanation) {
    let stderr = io::stderr();
    let mut err = stderr.lock();
    // Errors writing diagnostics are ignored: there is nowhere left to report them.
    let _ = writeln!(err, "== {name}");
    let _ = write!(err, "{explanation}");
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

/// Repairs one input and writes it. `Ok(false)` means the input itself had an error (already
/// reported); `Err` means standard output failed.
fn process(name: &str, bytes: &[u8], args: &Args, out: &mut impl Write) -> Result<bool, Failure> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("fixenc: {name}: {}", utf8_error_message(&e));
            return Ok(false);
        }
    };
    if args.explain {
        let (fixed, explanation) = fix_and_explain(text, &args.options);
        write_out(out, &fixed)?;
        // Flush first so that, on a terminal, the explanation follows the text it explains.
        out.flush().map_err(classify)?;
        print_explanation(name, &explanation);
    } else {
        write_out(out, &fix_text_with(text, &args.options))?;
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
