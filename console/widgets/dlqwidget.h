#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

class QAction;
class QComboBox;
class QJsonObject;
class QLabel;
class QLayout;
class QSplitter;
class QTableView;
class QTabWidget;
class QTimer;

namespace ferry::console {

class ApiClient;
class DeliveryDetailWidget;
class DlqFilterModel;
class DlqGroupsPage;
class DlqModel;

// The DLQ inbox, in two views over the same filters (tenant, channel, reason, age; the triage
// status for the list): "By cause", the dead deliveries grouped by tenant, route and reason
// (DlqGroupsPage: open a group's deliveries, replay a group after a preview), and "All
// deliveries", the list with a detail pane; replay (selected, or by filter after a dry-run
// count), discard with a reason, note and assignee. Every action changes the list at once.
class DlqWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit DlqWidget(ApiClient *client, QWidget *parent = nullptr);
    ~DlqWidget() override;

    DlqModel *model() const { return m_model; }
    DlqFilterModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    DeliveryDetailWidget *detail() const { return m_detail; }
    DlqGroupsPage *groups() const { return m_groups; }
    QTabWidget *views() const { return m_views; }
    QAction *refreshAction() const { return m_refreshAction; }
    QAction *replayAction() const { return m_replayAction; }
    QAction *replayFilterAction() const { return m_replayFilterAction; }
    QAction *discardAction() const { return m_discardAction; }
    QAction *noteAction() const { return m_noteAction; }
    QList<QAction *> screenActions() const;
    QDateTime dataTime() const; // of the view on screen
    QString feedback() const;
    // "By cause" or "All deliveries" on screen.
    bool showsGroups() const;
    void showGroups();
    void showDeliveries();
    // The group the list is narrowed to ("Open deliveries"), as shown above it; "" for none.
    QString scopeText() const;

    void setRole(Role role);
    QStringList selectedIds() const;
    void selectIds(const QStringList &ids);
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

public Q_SLOTS:
    void refresh();
    // The live feed's snapshot: the routes' breakers now, for the groups.
    void addSnapshot(const QJsonObject &snapshot);
    // The list narrowed to exactly the selected group (tenant, route, reason), on screen.
    void openSelectedGroup();
    // The list of every dead delivery the filters match again.
    void clearScope();
    void replaySelected();
    void replayByFilter();
    void discardSelected();
    void annotateSelected();

Q_SIGNALS:
    void updated();
    void actionDone(const QString &what); // a server-confirmed change (for the status bar)

private:
    // The constructor's parts, in the order it calls them.
    void setUpView();
    void setUpFilters();
    void createActions();
    void buildLayout();
    QLayout *buildFilterRow();
    QWidget *buildDeliveriesView();
    void connectSignals();
    void loadList();
    void viewChanged();

    void applyFilters();
    void showFeedback(const QString &text, bool error);
    void updateActions();
    void fillCombo(QComboBox *combo, int column, int groupColumn);
    void setFilterTexts(const QString &tenant, const QString &reason);
    static QString filterCode(const QComboBox *combo);

    ApiClient *m_client;
    DlqModel *m_model;
    DlqFilterModel *m_proxy;
    QTableView *m_view;
    DeliveryDetailWidget *m_detail;
    DlqGroupsPage *m_groups;
    QTabWidget *m_views;
    QSplitter *m_splitter;
    QWidget *m_scopeBar;
    QLabel *m_scope;
    QComboBox *m_tenant;
    QComboBox *m_channel;
    QComboBox *m_reason;
    QComboBox *m_age;
    QComboBox *m_triage;
    QLabel *m_feedback;
    QTimer *m_refreshSoon;
    QAction *m_refreshAction;
    QAction *m_replayAction;
    QAction *m_replayFilterAction;
    QAction *m_discardAction;
    QAction *m_noteAction;
    QDateTime m_dataTime;
    Role m_role = Role::Unknown;
    bool m_feedbackIsError = false;
    bool m_selectFirst = false; // after "Open deliveries": show the newest one's attempts
};

} // namespace ferry::console
