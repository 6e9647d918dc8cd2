#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace ferry::agent::jobs {

// A job's progress report: a line "progress 40 exporting invoices" on its standard output
// (the percentage 0 to 100, optionally with '%', then an optional message).
struct Progress
{
    int percent = 0;
    QString message;

    static std::optional<Progress> parseLine(const QByteArray &line);
};

// What a job printed, kept within `limit` bytes however much it prints: the first half of the
// limit and the last half, with a line saying how much was left out between them. Also cuts
// the standard output into lines for progress reports.
class OutputCapture
{
public:
    explicit OutputCapture(qint64 limit);

    // Appends a chunk; returns the progress reports among the complete lines of standard
    // output it finished (the last one wins).
    std::optional<Progress> append(const QByteArray &chunk, bool standardOutput);
    // The text kept, valid UTF-8 without NUL characters.
    QString text() const;
    qint64 total() const { return m_total; }

private:
    std::optional<Progress> scanLines(const QByteArray &chunk);

    qint64 m_limit;
    qint64 m_total = 0;
    QByteArray m_head;
    QByteArray m_tail; // the last limit/2 bytes once the head is full
    QByteArray m_line; // standard output's unfinished line (bounded)
};

} // namespace ferry::agent::jobs
