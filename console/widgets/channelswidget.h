#pragma once

#include <QDateTime>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QJsonObject;
class QLabel;
class QTableView;

namespace ferry::console {

class AccountGuardFilterModel;
class AccountGuardModel;
class ChannelFilterModel;
class ChannelModel;

// The channel health screen: per channel and endpoint, from the live feed's snapshots (1 Hz):
// in flight, latency p50/p99, success and failure rates, recent errors, breaker state and
// rate-limit use; below, the provider accounts' breakers and limiters. Each snapshot updates
// the rows in place.
class ChannelsWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit ChannelsWidget(QWidget *parent = nullptr);
    ~ChannelsWidget() override;

    ChannelModel *model() const { return m_model; }
    ChannelFilterModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    AccountGuardModel *accounts() const { return m_accounts; }
    AccountGuardFilterModel *accountsProxy() const { return m_accountsProxy; }
    QTableView *accountsView() const { return m_accountsView; }
    QDateTime dataTime() const { return m_dataTime; }
    int updates() const { return m_updates; }

    void addSnapshot(const QJsonObject &snapshot);
    void clear();

Q_SIGNALS:
    void updated();

private:
    QWidget *accountsPanel();
    void connectFilters();
    void sizeColumnsOnce();
    void updateChoices();
    void showErrorsOfCurrent();

    ChannelModel *m_model;
    ChannelFilterModel *m_proxy;
    QTableView *m_view;
    AccountGuardModel *m_accounts;
    AccountGuardFilterModel *m_accountsProxy;
    QTableView *m_accountsView;
    QComboBox *m_tenant;
    QComboBox *m_channel;
    QCheckBox *m_problems;
    QLabel *m_errors;
    QDateTime m_dataTime;
    int m_updates = 0;
    bool m_sized = false;
    bool m_accountsSized = false;
};

} // namespace ferry::console
