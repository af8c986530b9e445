#!/usr/bin/env python3
# packaging/gen-docs.py — writes vwb.1, vector-workbench.1 and the bash completion `vwb` from the built executables' --help.
"""Usage: gen-docs.py --vwb PATH --gui PATH --version X.Y.Z --out-dir DIR [--changelog FILE]

Both executables run in a scratch HOME with no connection variables, so the output does not depend
on the machine that builds it. Exits 1 with a message when a help text cannot be read."""

import argparse
import email.utils
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field

CONNECTION_VARIABLES = ("DATABASE_URL", "NODE_ENV", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER",
                        "PGPASSWORD", "PGSERVICE")
FILE_PLACEHOLDERS = {"file", "path"}
DIR_PLACEHOLDERS = {"dir"}
EXAMPLE_WIDTH = 68  # columns an example may take: 80, less man's indent (7) and the block's (4)


class DocsError(Exception):
    pass


@dataclass
class Option:
    names: list        # ["--table", "--type"], or ["-k"]
    value: str         # the placeholder without <>, "" for a flag
    text: str


@dataclass
class Help:
    usage: str                                     # after "Usage: "
    description: list = field(default_factory=list)  # lines as printed, indentation kept
    options: list = field(default_factory=list)
    arguments: list = field(default_factory=list)   # (name, text)


# ---------------------------------------------------------------- running the executables

def scratch_environment(home):
    env = {k: v for k, v in os.environ.items()
           if k not in CONNECTION_VARIABLES and not k.startswith(("POSTGRES_", "OPENAI_", "VWB_"))}
    runtime = os.path.join(home, "run")
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local", "share"), XDG_RUNTIME_DIR=runtime,
               QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8")
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0")  # sanitized builds: the help texts, not leak reports
    return env


def run(argv, env, home):
    """stdout of argv as text, with the scratch home written as ~; DocsError unless it exits 0 and prints."""
    shown = " ".join(argv)
    try:
        proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise DocsError(f"cannot run {shown}: {e}") from e
    try:
        text = proc.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocsError(f"{shown} printed text that is not UTF-8: {e}") from e
    if proc.returncode != 0 or not text.strip():
        said = proc.stderr.decode("utf-8", "replace").strip()[-400:] or "nothing on stderr"
        raise DocsError(f"{shown} exited {proc.returncode}{'' if text.strip() else ' without output'}: {said}")
    return text.replace(home, "~")


# ---------------------------------------------------------------- reading QCommandLineParser's help

def parse_help(text, what):
    lines = text.rstrip("\n").split("\n")
    if not lines[0].startswith("Usage: "):
        raise DocsError(f"{what}: the help does not start with 'Usage: '")
    help_ = Help(usage=lines[0][len("Usage: "):].strip())
    i = 1
    while i < len(lines) and lines[i] not in ("Options:", "Arguments:"):
        help_.description.append(lines[i].rstrip())
        i += 1
    while help_.description and not help_.description[-1]:
        help_.description.pop()

    sections = {"Options:": [], "Arguments:": []}
    entries = None
    for line in lines[i:]:
        if line in sections:
            entries = sections[line]
        elif not line.strip():
            continue
        elif re.match(r"  \S", line):        # an entry: its names, two or more spaces, its text
            entries.append([line[2:]])
        elif line.startswith("   ") and entries:  # its text, wrapped
            entries[-1].append(line.strip())
        else:
            raise DocsError(f"{what}: unexpected help line {line!r}")

    help_.options = [parse_option(e, what) for e in sections["Options:"]]
    help_.arguments = [split_entry(e) for e in sections["Arguments:"]]
    return help_


def split_entry(entry):
    head = re.match(r"(\S.*?)(?:\s{2,}(.*))?$", entry[0])
    return head.group(1), " ".join([head.group(2) or ""] + entry[1:]).strip()


def parse_option(entry, what):
    names_part, text = split_entry(entry)
    value = re.search(r"\s<([^>]+)>$", names_part)
    names = re.findall(r"(?<![\w-])--?[\w][\w-]*", names_part[:value.start()] if value else names_part)
    if not names:
        raise DocsError(f"{what}: cannot read the option line {entry[0]!r}")
    return Option(names, value.group(1) if value else "", text)


def parse_commands(text):
    lines = text.split("\n")
    if "Commands:" not in lines:
        raise DocsError("vwb --help has no 'Commands:' list")
    commands = []
    for line in lines[lines.index("Commands:") + 1:]:
        m = re.match(r"  ([a-z][\w-]*)\s{2,}(\S.*)$", line)
        if not m:
            break
        commands.append((m.group(1), m.group(2)))
    if not commands:
        raise DocsError("vwb --help lists no commands")
    return commands


def actions(command, help_):
    """The words that may follow `vwb COMMAND`, as its description shows them (`vwb sandbox stop | status`)."""
    found = []
    for line in help_.description:
        for m in re.finditer(rf"\bvwb {re.escape(command)} ([^;:]*)", line):
            for alternative in re.split(r"\s\|\s", m.group(1)):  # "stop | status", not "[--method hnsw|ivfflat]"
                word = alternative.split()[0].strip("[]") if alternative.split() else ""
                if re.fullmatch(r"[a-z][a-z-]*", word) and word not in found:
                    found.append(word)
    return found


# ---------------------------------------------------------------- roff

def esc(text):
    """Text for a roff line: backslashes, dashes and quotes taken literally."""
    text = text.replace("\\", "\\e").replace("-", "\\-").replace("`", "\\(ga").replace("'", "\\(aq")
    return "\\&" + text if text.startswith(".") else text


def bold(text):
    return f"\\fB{esc(text)}\\fR"


def italic(text):
    return f"\\fI{esc(text)}\\fR"


def roff_usage(usage, program):
    rest = usage[len(program):].strip() if usage.startswith(program) else usage
    return [f"{bold(program)} {esc(rest)}".rstrip()]


def example_lines(block):
    """Indented usage examples, as printed when they fit an 80-column terminal's man page; otherwise
    each example's explanation (after a gap of 3+ spaces) goes below it, wrapped."""
    indent = min(len(b) - len(b.lstrip()) for b in block)
    block = [b[indent:] for b in block]
    if max(len(b) for b in block) <= EXAMPLE_WIDTH:
        return block
    out = []
    for b in block:
        command, *explanation = re.split(r"\s{3,}", b, maxsplit=1)
        out += textwrap.wrap(command, EXAMPLE_WIDTH, subsequent_indent="    ", break_on_hyphens=False)
        out += textwrap.wrap(" ".join(explanation), EXAMPLE_WIDTH, initial_indent="        ", subsequent_indent="        ")
    return out


def roff_description(lines):
    out = []
    block = []     # indented lines: usage examples
    for line in lines + [""]:
        if line.startswith(" ") and line.strip():
            block.append(line)
            continue
        if block:
            out += [".PP", ".RS 4", ".nf"] + [esc(b) for b in example_lines(block)] + [".fi", ".RE"]
            block = []
        if line.strip():
            out += [".PP", esc(line.strip())]
    return out


def roff_options(options):
    out = []
    for o in options:
        if "--help-all" in o.names:
            continue
        tag = ", ".join(bold(n) for n in o.names) + (f" {italic(o.value)}" if o.value else "")
        out += [".TP", tag, esc(o.text)]
    return out


def roff_help(help_, program):
    out = roff_usage(help_.usage, program) + roff_description(help_.description)
    if help_.options:
        out += [".PP", "Options:"] + roff_options(help_.options)
    if help_.arguments:
        out += [".PP", "Arguments:"]
        for name, text in help_.arguments:
            out += [".TP", italic(name), esc(text)]
    return out


def definitions(items):
    out = []
    for names, text in items:
        out += [".TP", ", ".join(bold(n) for n in names.split()), esc(text)]
    return out


def header(name, title, version, date, source):
    return [f'.\\" {name}.1 — generated by packaging/gen-docs.py from {source}; edit the help texts, not this file.',
            f'.TH {title} 1 {date} "Vector Workbench {version}" "User Commands"',
            ".nh", ".ad l"]  # no hyphens inside identifiers, no stretched spaces between them


ENVIRONMENT = [
    ("POSTGRES_HOST POSTGRES_PORT POSTGRES_DB POSTGRES_USER POSTGRES_PASSWORD",
     "When any of them is set, here or in the project's .env, they make the development profile, as the "
     "application's own knexfile reads them."),
    ("DATABASE_URL", "A postgres:// URL that makes the production profile: TLS required and read-only unless a run "
                     "passes --unlock-writes with the database's name."),
    ("NODE_ENV", "Picks the default profile as a knexfile does (production or development), and the knexfile "
                 "environment that migrate reads (default development)."),
    ("PGHOST PGHOSTADDR PGPORT PGDATABASE PGUSER PGSERVICE", "libpq's own variables; when set, they make the pg-env "
                                                            "profile."),
    ("VWB_PROJECT_DIR", "The Node project folder whose .env supplies the variables above when --project is not "
                        "given."),
    ("OPENAI_API_KEY", "The key of the openai embedding provider, unless its settings name another variable."),
    ("OPENAI_BASE_URL", "The endpoint of an OpenAI-compatible embeddings API, instead of the saved one."),
    ("OPENAI_EMBEDDING_MODEL", "The embedding model of the openai provider, instead of the saved one "
                               "(openai:MODEL on the command line wins over both)."),
    ("XDG_CONFIG_HOME", "Where the settings folder is (default ~/.config)."),
    ("XDG_DATA_HOME", "Where the data folder is (default ~/.local/share)."),
]

FILES = [
    ("~/.config/vector-workbench/", "Settings: saved connection profiles (profiles.ini, never passwords: those go to "
                                    "the OS keychain), the content tables' column choices (tables.ini), embedding "
                                    "provider settings (embeddings.ini) and the window layout (window.ini)."),
    ("~/.local/share/vector-workbench/", "Local state in SQLite files: the audit log of every write "
                                         "(audit.sqlite), size history, evaluations, search tuning and embedding "
                                         "caches; sandbox/ holds the private PostgreSQL cluster (run as root, its data "
                                         "lives in /var/lib/vector-workbench/)."),
]


def vwb_page(version, date, helps):
    out = header("vwb", "VWB", version, date, "vwb --help and each vwb COMMAND --help")
    out += [".SH NAME", "vwb \\- the command line of Vector Workbench: PostgreSQL, pgvector and Knex migrations",
            ".SH SYNOPSIS",
            f"{bold('vwb')} {italic('command')} [{italic('options')}]", ".br",
            f"{bold('vwb')} {italic('command')} {bold('--help')}", ".br",
            f"{bold('vwb --version')}",
            ".SH DESCRIPTION",
            esc("vwb runs the jobs of the Vector Workbench desktop application without a display: Knex migration "
                "status, semantic and exact search, recall checks, backfills of missing vectors, index builds, "
                "VACUUM, ANALYZE and REINDEX with live progress, size history and EXPLAIN plans, against a "
                "PostgreSQL database with the pgvector extension, or against a private sandbox cluster."),
            ".PP",
            esc("A command without --profile or --url talks to the default profile (vwb profiles shows which). "
                "Production profiles are read-only unless a run passes --unlock-writes. Most commands print "
                "machine-readable JSON with --json; a long job prints its progress and stops at the next batch "
                "on Ctrl-C, keeping the work already committed."),
            ".SH COMMANDS"]
    for help_ in helps:
        title = " ".join(help_.usage.split()[1:]).split(" [")[0]   # "profiles", "eval run"
        out += [f".SS {esc(title)}" if " " not in title else f'.SS "{esc(title)}"']
        out += roff_help(help_, f"vwb {title}")
    out += [".SH EXIT STATUS"] + definitions([
        ("0", "Success."),
        ("1", "Failure: an error was printed (check: not connected)."),
        ("2", "A usage error: an unknown command or option, a missing argument."),
        ("130", "A job was canceled with Ctrl-C."),
    ])
    out += [".SH ENVIRONMENT"] + definitions(ENVIRONMENT)
    out += [".SH FILES"] + definitions(FILES)
    out += [".SH SEE ALSO", ".BR vector\\-workbench (1),", ".BR psql (1)"]
    return out


def gui_page(version, date, help_):
    out = header("vector-workbench", "VECTOR-WORKBENCH", version, date, "vector-workbench --help")
    out += [".SH NAME",
            "vector\\-workbench \\- desktop workbench for PostgreSQL databases with pgvector and Knex migrations",
            ".SH SYNOPSIS", f"{bold('vector-workbench')} [{italic('options')}]",
            ".SH DESCRIPTION"]
    out += roff_description(help_.description)
    out += [".PP",
            esc("It shows a database's Knex migrations, browses its content tables a page at a time, searches them "
                "by meaning with similarity and recall controls, fills missing vectors, builds and repairs HNSW and "
                "IVFFlat indexes with live progress, and keeps the size history and EXPLAIN plans of the database. "
                "Without a database it offers a private sandbox cluster with demo data."),
            ".PP", esc("vwb(1) runs the same jobs from a terminal."),
            ".SH OPTIONS"]
    out += roff_options(help_.options)
    out += [".PP", esc("The standard Qt options (-platform, -style, ...) are accepted too; --help-all lists them.")]
    out += [".SH ENVIRONMENT"] + definitions(ENVIRONMENT + [
        ("QT_QPA_PLATFORM", "The Qt platform plugin; offscreen runs the window without a display (with --screenshot).")])
    out += [".SH FILES"] + definitions(FILES)
    out += [".SH SEE ALSO", ".BR vwb (1)"]
    return out


# ---------------------------------------------------------------- bash completion

def value_kind(option):
    if option.value in DIR_PLACEHOLDERS or "--project" in option.names:
        return "d"
    if option.value in FILE_PLACEHOLDERS or "--out" in option.names:
        return "f"
    if "--profile" in option.names:
        return "p"
    return "-"


def bash_words(words):
    return "'" + " ".join(words) + "'"


def completion(version, commands, specs):
    """specs: {"sandbox": (Help, actions), "eval run": (Help, []), ...}"""
    options, values, acts = [], [], []
    for key, (help_, key_actions) in specs.items():
        opts = [n for o in help_.options if "--help-all" not in o.names for n in o.names if n.startswith("--")]
        takes = [f"{n}:{value_kind(o)}" for o in help_.options if o.value for n in o.names]
        options.append(f"  ['{key}']={bash_words(opts)}")
        values.append(f"  ['{key}']={bash_words(takes)}")
        if key_actions:
            acts.append(f"  ['{key}']={bash_words(key_actions)}")
    return f"""\
# bash completion for vwb (Vector Workbench {version}) -*- shell-script -*-
# Generated by packaging/gen-docs.py from vwb's --help texts; edit those, not this file.

_vwb_commands={bash_words(c for c, _ in commands)}
# Long options of each command (and of each sub-command with its own --help).
declare -gA _vwb_options=(
{chr(10).join(options)}
)
# Options that take a value, as name:kind: f a file, d a folder, p a profile, - anything else.
declare -gA _vwb_values=(
{chr(10).join(values)}
)
# The words that may follow the command (vwb sandbox start).
declare -gA _vwb_actions=(
{chr(10).join(acts)}
)

# Profile names from `vwb profiles`, only if it answers at once: Tab must never hang.
_vwb_profiles()
{{
    local exe=${{COMP_WORDS[0]}} line i re='^[* ] ([^ ]+)'
    [[ $exe == */* && -x $exe ]] || exe=vwb
    local args=(profiles)
    for ((i = 2; i < COMP_CWORD - 1; i++)); do
        [[ ${{COMP_WORDS[i]}} == --project ]] && args+=(--project "${{COMP_WORDS[i + 1]}}")
    done
    timeout 1 "$exe" "${{args[@]}}" 2>/dev/null | while IFS= read -r line; do
        [[ $line =~ $re ]] && printf '%s\\n' "${{BASH_REMATCH[1]}}"
    done
}}

_vwb()
{{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD - 1]}} key word i positional=0
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "$_vwb_commands --help --version" -- "$cur")
        return 0
    fi
    # --option=value arrives as three words: --option, =, value
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]]; then
        prev=${{COMP_WORDS[COMP_CWORD - 2]}}
    fi
    key=${{COMP_WORDS[1]}}
    [[ ${{_vwb_options[$key]+set}} ]] || return 0
    for ((i = 2; i < COMP_CWORD; i++)); do
        word=${{COMP_WORDS[i]}}
        if [[ $word == -* ]]; then
            if [[ " ${{_vwb_values[$key]-}} " == *" $word:"* ]]; then
                [[ ${{COMP_WORDS[i + 1]}} == = ]] && ((++i))
                ((++i))
            fi
            continue
        fi
        [[ $word == = ]] && continue
        if ((positional == 0)) && [[ ${{_vwb_options[$key $word]+set}} ]]; then
            key="$key $word"
        fi
        ((++positional))
    done
    case " ${{_vwb_values[$key]-}} " in
    *" $prev:f "*)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
        ;;
    *" $prev:d "*)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return 0
        ;;
    *" $prev:p "*)
        mapfile -t COMPREPLY < <(compgen -W "$(_vwb_profiles)" -- "$cur")
        return 0
        ;;
    *" $prev:- "*) return 0 ;;
    esac
    if [[ $cur != -* ]] && ((positional == 0)) && [[ ${{_vwb_actions[$key]-}} ]]; then
        mapfile -t COMPREPLY < <(compgen -W "${{_vwb_actions[$key]-}}" -- "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -W "${{_vwb_options[$key]}}" -- "$cur")
    fi
    return 0
}} &&
    complete -F _vwb vwb
"""


# ---------------------------------------------------------------- main

def release_date(changelog, version):
    """The newest entry's date of a Debian changelog, after checking that it is this version's."""
    if not changelog:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        return time.strftime("%Y-%m-%d", time.gmtime(int(epoch) if epoch else None))
    try:
        with open(changelog, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise DocsError(f"cannot read {changelog}: {e}") from e
    first = re.match(r"\S+ \(([^)]+)\)", text)
    trailer = re.search(r"^ -- .*?>  (.+)$", text, re.M)
    if not first or not trailer:
        raise DocsError(f"{changelog} is not a Debian changelog")
    if first.group(1) != version:
        raise DocsError(f"{changelog} starts at {first.group(1)} but the project is {version}: add an entry for it")
    return email.utils.parsedate_to_datetime(trailer.group(1)).strftime("%Y-%m-%d")


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(args):
    date = release_date(args.changelog, args.version)
    with tempfile.TemporaryDirectory(prefix="vwb-docs-") as home:
        env = scratch_environment(home)
        vwb = os.path.abspath(args.vwb)
        shown = run([vwb, "--version"], env, home).strip()
        if shown != f"vwb {args.version}":
            raise DocsError(f"{args.vwb} --version says {shown!r}, expected 'vwb {args.version}'")
        commands = parse_commands(run([vwb, "--help"], env, home))
        helps, specs = [], {}
        for name, _summary in commands:
            help_ = parse_help(run([vwb, name, "--help"], env, home), f"vwb {name} --help")
            if not help_.usage.startswith(f"vwb {name} "):
                raise DocsError(f"vwb {name} --help shows the usage of {help_.usage!r}")
            helps.append(help_)
            specs[name] = (help_, actions(name, help_))
            # Commands whose description sends the reader to a sub-command's own --help (vwb eval run --help).
            if any("--help" in line for line in help_.description):
                for action in specs[name][1]:
                    try:
                        sub = parse_help(run([vwb, name, action, "--help"], env, home), f"vwb {name} {action} --help")
                    except DocsError:
                        continue
                    if sub.usage.startswith(f"vwb {name} {action} "):
                        helps.append(sub)
                        specs[f"{name} {action}"] = (sub, [])
        gui_text = run([os.path.abspath(args.gui), "--help"], env, home)
        gui_text = re.sub(r"^Usage: \S+", "Usage: vector-workbench", gui_text)
        gui_help = parse_help(gui_text, "vector-workbench --help")

    os.makedirs(args.out_dir, exist_ok=True)
    write(os.path.join(args.out_dir, "vwb.1"), "\n".join(vwb_page(args.version, date, helps)) + "\n")
    write(os.path.join(args.out_dir, "vector-workbench.1"), "\n".join(gui_page(args.version, date, gui_help)) + "\n")
    write(os.path.join(args.out_dir, "vwb"), completion(args.version, commands, specs))


def main():
    parser = argparse.ArgumentParser(description="Man pages and bash completion from the executables' --help.")
    parser.add_argument("--vwb", required=True, help="the built vwb")
    parser.add_argument("--gui", required=True, help="the built vector-workbench")
    parser.add_argument("--version", required=True, help="the project's version, X.Y.Z")
    parser.add_argument("--out-dir", required=True, help="where vwb.1, vector-workbench.1 and vwb go")
    parser.add_argument("--changelog", help="Debian changelog whose newest entry dates the man pages "
                                            "(default: SOURCE_DATE_EPOCH, else today)")
    args = parser.parse_args()
    try:
        generate(args)
    except DocsError as e:
        print(f"gen-docs.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
