#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLayout;
class QSplitter;
class QTableView;
class QTimer;

namespace ferry::console {

class ApiClient;
class DeliveryDetailWidget;
class DlqFilterModel;
class DlqModel;

// The DLQ inbox: dead deliveries filtered by tenant, channel, reason, age and triage status; a
// detail pane; replay (selected, or by filter after a dry-run count), discard with a reason,
// note and assignee. Every action changes the list at once.
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
    QList<QAction *> screenActions() const;
    QDateTime dataTime() const { return m_dataTime; }
    QString feedback() const;

    void setRole(Role role);
    QStringList selectedIds() const;
    void selectIds(const QStringList &ids);
    QByteArray saveLayout() const;
    void restoreLayout(const QByteArray &state);

public Q_SLOTS:
    void refresh();
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
    void connectSignals();

    void applyFilters();
    void showFeedback(const QString &text, bool error);
    void updateActions();
    void fillCombo(QComboBox *combo, int column);
    static QString filterCode(const QComboBox *combo);

    ApiClient *m_client;
    DlqModel *m_model;
    DlqFilterModel *m_proxy;
    QTableView *m_view;
    DeliveryDetailWidget *m_detail;
    QSplitter *m_splitter;
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
};

} // namespace ferry::console
