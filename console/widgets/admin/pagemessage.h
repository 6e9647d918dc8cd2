#pragma once

#include <QLabel>

namespace ferry::console {

// The line above a page's table that says what the page cannot show and why, or what went
// wrong (red); hidden while there is nothing to say.
class PageMessage final : public QLabel
{
    Q_OBJECT
public:
    explicit PageMessage(QWidget *parent = nullptr);

    void say(const QString &text, bool problem);
    bool isProblem() const { return m_problem; }
    QString shown() const; // "" while hidden

private:
    bool m_problem = false;
};

} // namespace ferry::console
