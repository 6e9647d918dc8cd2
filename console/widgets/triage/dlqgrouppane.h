#pragma once

#include <QWidget>

class QAction;
class QFormLayout;
class QJsonObject;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace ferry::console {

class ApiClient;
class DlqRecentAttemptModel;
struct DlqGroup;

// The DLQ inbox's side pane for one triage group: the endpoint by name and URL, the route's
// breaker now, the group's size and latest error, its actions, and the attempts of its newest
// deliveries (GET /v1/deliveries/{id} of each) with the selected attempt's whole error.
class DlqGroupPane final : public QWidget
{
    Q_OBJECT
public:
    // How many of the group's newest deliveries show their attempts.
    static constexpr int kRecentDeliveries = 3;

    explicit DlqGroupPane(ApiClient *client, QWidget *parent = nullptr);
    ~DlqGroupPane() override;

    // The group's actions, as buttons under its summary.
    void setActions(const QList<QAction *> &actions);
    // Shows the group; its recent attempts load again when it is another group or has new
    // deaths.
    void showGroup(const DlqGroup &group);
    // The route's breaker now (a state, its tooltip).
    void setBreaker(const QString &state, const QString &toolTip);
    // No group: what to do instead (say, "Select a group").
    void clear(const QString &hint);

    QString title() const;
    QString endpointText() const;
    QString breakerText() const;
    QString breakerToolTip() const;
    QString latestErrorText() const;
    QString attemptsNote() const;
    DlqRecentAttemptModel *recentAttempts() const { return m_attempts; }
    QTableView *attemptView() const { return m_attemptView; }
    // The selected recent attempt's whole error ("" when none is selected).
    QString attemptErrorText() const;

Q_SIGNALS:
    void attemptsLoaded();

private:
    QFormLayout *buildSummary();
    void setUpAttempts();
    void loadAttempts(const DlqGroup &group);
    void fetchDeliveries(const QStringList &ids, int generation);
    void showAttemptError();

    ApiClient *m_client;
    QLabel *m_title;
    QLabel *m_endpoint;
    QLabel *m_channel;
    QLabel *m_route;
    QLabel *m_breakerIcon;
    QLabel *m_breaker;
    QLabel *m_count;
    QLabel *m_seen;
    QLabel *m_latestError;
    QWidget *m_details;
    QWidget *m_buttons;
    QLabel *m_attemptsNote;
    DlqRecentAttemptModel *m_attempts;
    QTableView *m_attemptView;
    QPlainTextEdit *m_attemptError;
    QString m_shownKey;  // the group whose attempts are shown or loading
    QString m_shownLast; // its last death then (ISO), to notice new ones
    int m_generation = 0;
};

} // namespace ferry::console
