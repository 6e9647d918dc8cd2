#include "demo/terminal.h"

#include <QThread>

#include <csignal>
#include <sys/ioctl.h>
#include <unistd.h>

namespace ferry::demo {

namespace {

volatile std::sig_atomic_t g_interrupts = 0; // Ctrl-C presses (SIGINT or SIGTERM)

void onSignal(int /*signal*/)
{
    g_interrupts = g_interrupts + 1;
}

} // namespace

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

bool isTerminal()
{
    static const bool tty = ::isatty(STDOUT_FILENO) == 1;
    return tty;
}

void progress(const QString &text, bool last)
{
    if (!isTerminal()) {
        out() << text << Qt::endl;
        return;
    }
    winsize size{};
    const int width =
        ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 1 ? size.ws_col : 80;
    out() << "\r\x1b[K" << text.left(width - 1) << (last ? "\n" : "") << Qt::flush;
}

void watchInterrupts()
{
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

int interrupts()
{
    return g_interrupts;
}

void pause(int ms)
{
    for (int waited = 0; waited < ms && g_interrupts == 0; waited += 50)
        QThread::msleep(50);
}

} // namespace ferry::demo
