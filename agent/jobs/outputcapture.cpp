#include "agent/jobs/outputcapture.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace ferry::agent::jobs {

namespace {
constexpr qsizetype kMaxLine = 4096;
} // namespace

std::optional<Progress> Progress::parseLine(const QByteArray &line)
{
    static const QRegularExpression progress(u"^progress\\s+(\\d{1,3})%?(?:\\s+(.*?))?\\s*$"_s);
    const auto m = progress.match(QString::fromUtf8(line));
    if (!m.hasMatch())
        return std::nullopt;
    const int percent = m.captured(1).toInt();
    if (percent > 100)
        return std::nullopt;
    return Progress{percent, m.captured(2).left(200)};
}

OutputCapture::OutputCapture(qint64 limit)
    : m_limit(std::max<qint64>(limit, 64))
{}

std::optional<Progress> OutputCapture::append(const QByteArray &chunk, bool standardOutput)
{
    m_total += chunk.size();
    const qint64 half = m_limit / 2;
    const qint64 headRoom = std::max<qint64>(0, half - m_head.size());
    m_head += chunk.left(headRoom);
    if (chunk.size() > headRoom) {
        m_tail += chunk.mid(headRoom);
        if (m_tail.size() > m_limit - half)
            m_tail.remove(0, m_tail.size() - (m_limit - half));
    }
    return standardOutput ? scanLines(chunk) : std::nullopt;
}

std::optional<Progress> OutputCapture::scanLines(const QByteArray &chunk)
{
    std::optional<Progress> last;
    qsizetype from = 0;
    for (;;) {
        const qsizetype newline = chunk.indexOf('\n', from);
        if (newline < 0)
            break;
        m_line += chunk.mid(from, newline - from);
        if (auto p = Progress::parseLine(m_line))
            last = p;
        m_line.clear();
        from = newline + 1;
    }
    if (m_line.size() < kMaxLine)
        m_line += chunk.mid(from, kMaxLine - m_line.size());
    return last;
}

QString OutputCapture::text() const
{
    QByteArray bytes = m_head;
    const qint64 left = m_total - m_head.size() - m_tail.size();
    if (left > 0)
        bytes += "\n[… " + QByteArray::number(left) + " bytes of output left out …]\n";
    bytes += m_tail;
    bytes.replace('\0', "");
    return QString::fromUtf8(bytes); // invalid sequences become U+FFFD
}

} // namespace ferry::agent::jobs
