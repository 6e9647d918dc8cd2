#pragma once

#include <QString>
#include <QTextStream>

namespace ferry::demo {

// The demo's terminal: standard output, progress lines and Ctrl-C.
QTextStream &out();
// True when standard output is a terminal.
bool isTerminal();
// A progress line: on a terminal it is rewritten in place (cut to the terminal's width, or the
// carriage return would not reach its start) and ends with `last`; elsewhere each is a line.
void progress(const QString &text, bool last);

// Counts SIGINT and SIGTERM from now on (Ctrl-C presses) and ignores SIGPIPE.
void watchInterrupts();
// Ctrl-C presses so far.
int interrupts();
// Sleeps up to `ms`, waking early on Ctrl-C.
void pause(int ms);

} // namespace ferry::demo
