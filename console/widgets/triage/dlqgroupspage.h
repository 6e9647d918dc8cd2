#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

#include <functional>

class QAction;
class QJsonObject;
class QSplitter;
class QTableView;

namespace ferry::console {

class ApiClient;
class DlqGroupFilterModel;
class DlqGroupModel;
class DlqGroupPane;
struct DlqGroup;
struct DlqQuery;
struct GuardHealth;

// The DLQ inbox's "By cause" view: dead deliveries grouped by tenant, route and reason
// (GET /v1/dlq/groups), the largest groups first, beside the selected group's pane. "Open
// deliveries" hands the group to the inbox's list; "Replay group…" (operator tokens) previews
// with a dry run, asks with the count and the destination, then replays exactly the group.
class DlqGroupsPage final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kGroupLimit = 500;

    explicit DlqGroupsPage(ApiClient *client, QWidget *parent = nullptr);
    ~DlqGroupsPage() override;

    DlqGroupModel *model() const { return m_model; }
    DlqGroupFilterModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    DlqGroupPane *pane() const { return m_pane; }
    QAction *openAction() const { return m_openAction; }
    QAction *replayAction() const { return m_replayAction; }
    QDateTime dataTime() const { return m_dataTime; }

    void setRole(Role role);
    // The route guards of the live feed's snapshot (scope "endpoint").
    void setGuards(const QList<GuardHealth> &guards);
    // The inbox's filters, on screen at once (the next load asks the agent for them).
    void setFilters(const QString &tenant, const QString &channel, const QString &reason);
    // Loads the groups for the query's tenant, channel and age.
    void load(const DlqQuery &query);
    // The selected group (nullptr: none), and selecting one by DlqGroup::key().
    const DlqGroup *selectedGroup() const;
    bool selectGroup(const QString &key);

public Q_SLOTS:
    void openDeliveries();
    void replayGroup();

Q_SIGNALS:
    void loaded();
    void openRequested(); // for the selected group
    void feedback(const QString &text, bool error);
    void replayed(); // the agent replayed deliveries: the lists are stale

private:
    void setUpView();
    void createActions();
    void updateActions();
    void showSelected();
    void withCurrentRoute(const DlqGroup &group, const std::function<void(const DlqGroup &)> &next);
    void confirmReplay(const DlqGroup &group, const QJsonObject &filter, int preview);
    void sendReplay(const QJsonObject &filter, int preview);

    ApiClient *m_client;
    DlqGroupModel *m_model;
    DlqGroupFilterModel *m_proxy;
    QTableView *m_view;
    DlqGroupPane *m_pane;
    QSplitter *m_splitter;
    QAction *m_openAction;
    QAction *m_replayAction;
    QDateTime m_dataTime;
    QString m_since; // the `since` the groups were loaded with ("" for any age)
    Role m_role = Role::Unknown;
};

} // namespace ferry::console
