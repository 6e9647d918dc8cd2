#!/usr/bin/env python3
"""Writes a man page from a program's own --help and an include file.

The page's NAME, SYNOPSIS, COMMANDS and OPTIONS come from `PROGRAM --help` (QCommandLineParser's
layout: a Usage line, a one-line summary, the command list of the description, "Options:",
"Arguments:"), so the page lists exactly what --help lists. The include file gives what --help
cannot: the DESCRIPTION prose and further sections (EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO),
in help2man's include format: "[SECTION]" lines, each followed by roff text; lines before the
first section are comments. help2man itself renders our command lists poorly (entries without a
description, continuation lines of a long synopsis).

In a command list, an entry starts with two spaces: its term, then after two or more spaces its
description. A more deeply indented line continues the term while the entry has no description
and the line starts with "[" or "-" (the rest of a long synopsis), else the description. A line
at the left margin ending in ":" starts the list ("Commands:") or heads a part of it.

help-to-man.py --program BIN --section N --version V --include FILE --output FILE
The date in the header: $SOURCE_DATE_EPOCH if set (reproducible builds), else today.
"""

import argparse
import datetime
import os
import re
import subprocess
import sys

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
PLACEHOLDER = re.compile(r"<([^<>\s]+)>")
# The leading command words of a command term ("dlq replay", "schedules show|delete").
COMMAND_WORDS = re.compile(r"[a-z][a-z0-9-]*(?: [a-z][a-z0-9|-]*)*")
SPLIT = re.compile(r"^(\S.*?)(?: {2,}(\S.*))?$")
MANUALS = {"1": "User Commands", "8": "System Administration Utilities"}


class Entry:
    def __init__(self, term, description):
        self.term = [term]  # its lines in --help
        self.description = [description] if description else []


def escape(text):
    """Roff-escapes plain text: backslashes, hyphen-minus (so options copy as typed), non-ASCII."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)


def styled(text, command=False):
    """Escapes text, with options in bold, <PLACEHOLDERS> in italics and, for a command term,
    each alternative's leading command words in bold."""
    bold = [m.span(1) for m in OPTION.finditer(text)]
    if command:
        start = 0
        for alternative in text.split(" | "):
            if m := COMMAND_WORDS.match(alternative):
                bold.append((start, start + m.end()))
            start += len(alternative) + 3
    italic = [m.span() for m in PLACEHOLDER.finditer(text)]
    spans = sorted([(a, b, "B") for a, b in bold] + [(a, b, "I") for a, b in italic])
    out, at = [], 0
    for a, b, font in spans:
        if a < at:
            continue
        inner = text[a + 1 : b - 1] if font == "I" else text[a:b]
        out += [escape(text[at:a]), "\\f" + font, escape(inner), "\\fR"]
        at = b
    out.append(escape(text[at:]))
    return "".join(out)


def line(text):
    """A roff text line: one starting with a control character is protected."""
    return "\\&" + text if text.startswith((".", "'")) else text


def parse_list(lines, where):
    """Parses indented entries, headings and prose into a list of Entry, ("heading", text),
    ("prose", text) and ("break",) items."""
    items = []
    for raw in lines:
        stripped = raw.strip()
        indent = len(raw) - len(raw.lstrip(" "))
        if not stripped:
            items.append(("break",))
        elif indent == 0:
            items.append(("heading" if stripped.endswith(":") else "prose", stripped))
        elif indent == 2:
            term, description = SPLIT.match(stripped).groups()
            items.append(Entry(term, description))
        elif not items or not isinstance(items[-1], Entry):
            sys.exit("help-to-man: %s: cannot place the indented line %r" % (where, raw))
        elif not items[-1].description and stripped.startswith(("[", "-")):
            more, description = SPLIT.match(stripped).groups()
            items[-1].term.append(more)
            if description:
                items[-1].description.append(description)
        else:
            items[-1].description.append(stripped)
    return items


def render_list(items, command):
    """Roff for a parsed list: each entry a tagged paragraph, the term's further lines as
    further tags (.TQ)."""
    out, paragraph = [], True
    for item in items:
        if isinstance(item, Entry):
            out += [".TP", line(styled(item.term[0], command))]
            for more in item.term[1:]:
                out += [".TQ", line(styled(more))]
            out += [line(styled(d)) for d in item.description]
            paragraph = False
        elif item[0] == "break":
            paragraph = True
        else:
            if paragraph or item[0] == "heading":
                out.append(".PP")
            out.append(line(styled(item[1])))
            paragraph = False
    return out


def help_text(program):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    result = subprocess.run([program, "--help"], env=env, stdout=subprocess.PIPE)
    if result.returncode != 0:
        sys.exit("help-to-man: %s --help exited with %d" % (program, result.returncode))
    return result.stdout.decode("utf-8").splitlines()


def split_help(lines, name):
    """The synopsis, the summary, the description's lines after it, and the option lines."""
    if not lines or not lines[0].startswith("Usage: "):
        sys.exit("help-to-man: %s --help does not start with 'Usage: '" % name)
    synopsis = lines[0].split(None, 2)[2] if len(lines[0].split()) > 2 else ""
    blocks = {"": []}
    current = ""
    for raw in lines[1:]:
        if raw in ("Options:", "Arguments:"):
            current = raw
            blocks[current] = []
        else:
            blocks[current].append(raw)
    description = blocks[""]
    if not description or not description[0]:
        sys.exit("help-to-man: %s --help has no summary line after 'Usage: '" % name)
    # The whatis line is the summary's first sentence ("The Ferry ops console. Without …").
    summary = description[0].split(". ")[0].rstrip(".")
    return synopsis, summary, description[1:], blocks.get("Options:", [])


def read_include(path):
    """The include file's sections, in file order: {name: [roff lines]}."""
    sections, current = {}, None
    with open(path, encoding="utf-8") as f:
        for raw in f.read().splitlines():
            if m := re.fullmatch(r"\[([A-Z][A-Z ]*)\]", raw):
                current = m.group(1)
                sections[current] = []
            elif current is not None:
                sections[current].append(raw)
    for name in sections:
        while sections[name] and not sections[name][-1].strip():
            sections[name].pop()
    return sections


def header_date():
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        if epoch
        else datetime.datetime.now(datetime.timezone.utc)
    )
    return when.strftime("%Y-%m-%d")


def page(args):
    name = os.path.basename(args.program)
    synopsis, summary, description, options = split_help(help_text(args.program), name)
    include = read_include(args.include)
    out = [
        '.\\" Generated from "%s --help" and %s by %s: edit those, not this file.'
        % (name, os.path.basename(args.include), os.path.basename(sys.argv[0])),
        '.TH %s %s %s "%s %s" "%s"'
        % (name.upper(), args.section, header_date(), name, args.version, MANUALS[args.section]),
        # Left-aligned, unhyphenated (as DocBook's man pages): the page is full of option names,
        # paths and keys that must read as typed.
        ".ad l",
        ".nh",
        ".SH NAME",
        "%s \\- %s" % (escape(name), escape(summary)),
        ".SH SYNOPSIS",
        ".B %s" % escape(name),
        line(styled(synopsis)),
        ".SH DESCRIPTION",
    ]
    out += include.pop("DESCRIPTION", [escape(summary) + "."])
    items = parse_list(description, name + " --help")
    while items and items[0] == ("break",):
        items = items[1:]
    if items and items[0] == ("heading", "Commands:"):
        out.append(".SH COMMANDS")
        items = items[1:]
    out += render_list(items, command=True)
    out.append(".SH OPTIONS")
    out += render_list(parse_list(options, name + " --help options"), command=False)
    # "Arguments:" names the command (see SYNOPSIS and COMMANDS): nothing more to say.
    for section, text in include.items():
        out += ['.SH "%s"' % section] + text
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", required=True, help="the built binary")
    parser.add_argument("--section", required=True, choices=sorted(MANUALS))
    parser.add_argument("--version", required=True, help="shown in the page header")
    parser.add_argument("--include", required=True, help="the sections --help cannot give")
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    text = page(args)
    with open(args.output, "w", encoding="ascii") as f:
        f.write(text)


if __name__ == "__main__":
    main()
