#include "console/widgets/admin/adminui.h"

#include "console/models/admin/admintablemodel.h"

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>

using namespace Qt::StringLiterals;

namespace ferry::console {

void setUpAdminTable(QTableView *view, QSortFilterProxyModel *proxy, AdminTableModel *model)
{
    proxy->setSourceModel(model);
    proxy->setSortRole(AdminTableModel::SortRole);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(0, Qt::AscendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->horizontalHeader()->setStretchLastSection(true);
    QObject::connect(model, &QAbstractItemModel::modelReset, view, [view] {
        view->resizeColumnsToContents();
        for (int c = 0; c < view->model()->columnCount(); ++c)
            view->setColumnWidth(c, std::min(view->columnWidth(c), 360));
    });
}

int selectedAdminRow(const QTableView *view, const QSortFilterProxyModel *proxy)
{
    const QModelIndexList rows = view->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : proxy->mapToSource(rows.first()).row();
}

void selectAdminRow(QTableView *view, const QSortFilterProxyModel *proxy, int row)
{
    if (row < 0) {
        view->selectionModel()->clearSelection();
        return;
    }
    const QModelIndex index = proxy->mapFromSource(proxy->sourceModel()->index(row, 0));
    view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                       QItemSelectionModel::Rows);
}

QMessageBox *askFirst(QWidget *parent, const QString &title, const QString &text,
                      const QString &yesText, std::function<void()> yes)
{
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Cancel, parent);
    QPushButton *ok = box->addButton(yesText, QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, parent,
                     [ok, yes = std::move(yes)](QAbstractButton *clicked) {
                         if (clicked == ok)
                             yes();
                     });
    box->open();
    return box;
}

QString adminRefusal(Role role, const QString &tenantScope, bool everyTenant)
{
    if (role == Role::Unknown)
        return {};
    if (role != Role::Admin)
        return FeedbackLabel::tr("Needs an admin token; this token has the %1 role.")
            .arg(roleText(role));
    if (everyTenant && !tenantScope.isEmpty())
        return FeedbackLabel::tr("Needs an admin token of every tenant; this token is scoped to "
                                 "tenant %1.")
            .arg(tenantScope);
    return {};
}

void gateAction(QAction *action, bool enabled, const QString &tip, const QString &whyNot)
{
    action->setEnabled(enabled);
    action->setToolTip(enabled ? tip : whyNot);
}

FeedbackLabel::FeedbackLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void FeedbackLabel::showText(const QString &text, bool error)
{
    m_error = error;
    setText(text);
    setStyleSheet(error ? u"QLabel { color: white; background: #b3261e; padding: 4px; }"_s
                        : QString());
    setVisible(!text.isEmpty());
}

QString FeedbackLabel::shownText() const
{
    return isHidden() ? QString() : text();
}

} // namespace ferry::console
