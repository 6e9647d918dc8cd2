#include "console/widgets/admin/pagemessage.h"

using namespace Qt::StringLiterals;

namespace ferry::console {

PageMessage::PageMessage(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setAccessibleName(tr("Message"));
    hide();
}

void PageMessage::say(const QString &text, bool problem)
{
    m_problem = problem && !text.isEmpty();
    setText(text);
    setStyleSheet(m_problem ? u"color: #b00020;"_s : QString());
    setVisible(!text.isEmpty());
}

QString PageMessage::shown() const
{
    return isHidden() ? QString() : text();
}

} // namespace ferry::console
