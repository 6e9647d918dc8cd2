#include "agent/ctl/tokeninput.h"

#include "agent/app/cliio.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

namespace {

// One line of standard input; without echo when it is a terminal (the prompt goes to stderr).
QByteArray readStandardInput()
{
    const bool terminal = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    if (terminal && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
        agent::err() << "API token (from 'ferry-agent token create'): " << Qt::flush;
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (terminal) {
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        agent::err() << Qt::endl;
    }
    return line.trimmed().toUtf8();
}

Result<QByteArray> readTokenFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(u"cannot read the token file %1: %2"_s.arg(path, f.errorString()));
    const QByteArray token = f.readLine(4096).trimmed();
    if (token.isEmpty())
        return makeError(u"the token file %1 is empty; it holds the token that 'ferry-agent "
                         "token create' printed"_s.arg(path));
    return token;
}

} // namespace

Result<QByteArray> readLoginToken(const QCommandLineParser &parser)
{
    const QString given = parser.value(u"token"_s);
    if (parser.isSet(u"token"_s) && given != "-"_L1)
        return makeError(u"--token TOKEN is refused: on the command line every user of this "
                         "machine can read it (ps, /proc). Give it on standard input (run "
                         "'ferryctl login --url URL' and paste it, or pipe it in) or with "
                         "--token-file FILE"_s);
    if (parser.isSet(u"token-file"_s))
        return readTokenFile(parser.value(u"token-file"_s));
    const QByteArray token = readStandardInput();
    if (token.isEmpty())
        return makeError(u"no token on standard input: give the token that 'ferry-agent token "
                         "create' printed (or use --token-file FILE)"_s);
    return token;
}

} // namespace ferry::ctl
