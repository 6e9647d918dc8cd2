#!/usr/bin/env bash
# The man pages: groff and man find nothing to warn about (lintian's own check), every command
# entry and every option of the program's --help is in its page (so the page cannot fall behind
# the program it describes), the NAME line makes a whatis entry, and the .gz beside the page is
# the page, compressed without a name or time stamp.
# check-man.sh PROGRAM PAGE [PROGRAM PAGE]...
set -euo pipefail
export LC_ALL=C.UTF-8
status=0
problem() {
    echo "$page: $*" >&2
    status=1
}

# The term (first line) of each entry in --help's command list: the lines indented by exactly
# two spaces between the summary and "Options:", cut at the first gap of two spaces.
command_terms() {
    sed -n '/^Commands:$/,/^Options:$/p' | grep -E '^  [^ ]' | sed -E 's/^  //; s/ {2,}.*//'
}

# The long options of --help's "Options:" block.
long_options() {
    sed -n '/^Options:$/,/^Arguments:$/p' | grep -E '^  -' | grep -oE -- '--[A-Za-z][A-Za-z0-9-]*'
}

# Whether standard input (a rendered page) has a line starting with TERM at the tag indent,
# followed by nothing or a space.
has_tag() {
    awk -v tag="       $1" 'index($0, tag) == 1 && substr($0, length(tag) + 1, 1) ~ /^( |)$/ \
        { found = 1 } END { exit !found }'
}

check_page() {
    local program=$1 name
    name=$(basename "$program")
    [[ -f $page ]] || { problem "missing: build the ferry_man target"; return; }
    local warnings
    warnings=$(groff -man -ww -z -k "$page" 2>&1) || true
    [[ -z $warnings ]] || problem "groff -ww: $warnings"
    # As lintian runs it (groff-message): 80 columns, every warning on.
    warnings=$(MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null) || true
    [[ -z $warnings ]] || problem "man --warnings: $warnings"

    # Wide enough that no line of the page wraps: each term is one line, a tag at indent 7.
    local text help
    text=$(MANWIDTH=1000 man -l "$page" | col -b)
    help=$("$program" --help)
    local term count=0
    while IFS= read -r term; do
        count=$((count + 1))
        has_tag "$term" <<<"$text" || problem "the command entry '$term' of $name --help is missing"
    done < <(command_terms <<<"$help")
    # A program with commands must show them (a changed --help layout would hide them all).
    if grep -q '^Commands:$' <<<"$help"; then
        ((count > 0)) || problem "found no commands in $name --help"
    fi
    local option
    count=0
    while IFS= read -r option; do
        count=$((count + 1))
        grep -qE -- "^ {7}(-[a-z], )?$option( |$)" <<<"$text" ||
            problem "the option $option of $name --help is missing"
    done < <(long_options <<<"$help")
    ((count > 0)) || problem "found no options in $name --help"

    # lintian's whatis check: lexgrog must parse the NAME section as "name - summary".
    if command -v lexgrog >/dev/null; then
        local whatis
        whatis=$(lexgrog "$page" 2>&1) || true
        [[ $whatis =~ ^[^:]*:\ \"$name\ -\ [^\"]+\"$ ]] || problem "lexgrog: $whatis"
    else
        echo "lexgrog missing (man-db): whatis check skipped" >&2
    fi

    if [[ ! -f $page.gz ]]; then
        problem "missing: $page.gz"
    elif ! gzip -dc "$page.gz" | cmp -s - "$page"; then
        problem "$page.gz is not the page compressed"
    elif [[ $(od -An -tx1 -j3 -N5 "$page.gz" | tr -d ' ') != 0000000000 ]]; then
        problem "$page.gz holds a file name or time stamp (gzip -n)"
    fi
}

for tool in groff man col gzip; do
    command -v $tool >/dev/null || { echo "$tool missing: scripts/install-deps.sh" >&2; exit 1; }
done
while (($# >= 2)); do
    page=$2
    check_page "$1"
    shift 2
done
exit $status
