#include "console/widgets/admin/checkeddialog.h"

#include <QLabel>

using namespace Qt::StringLiterals;

namespace ferry::console {

CheckedDialog::CheckedDialog(QWidget *parent)
    : QDialog(parent)
    , m_problem(new QLabel(this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(u"QLabel { color: #b3261e; }"_s);
    m_problem->hide();
}

QString CheckedDialog::problemShown() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void CheckedDialog::accept()
{
    const QString why = problem();
    m_problem->setText(why);
    m_problem->setVisible(!why.isEmpty());
    if (why.isEmpty())
        QDialog::accept();
}

} // namespace ferry::console
