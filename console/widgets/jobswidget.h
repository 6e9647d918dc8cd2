#pragma once

#include "console/core/role.h"

#include <QDateTime>
#include <QWidget>

class QAction;
class QGroupBox;
class QJsonArray;
class QJsonObject;
class QLabel;
class QLayout;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;
class QTreeWidget;

namespace ferry::console {

class ApiClient;
class JobModel;
class ScheduleModel;
class TenantPicker;
struct Job;
struct Schedule;

// The schedules and jobs page: for a chosen tenant, its schedules with the next fire times of
// the selected one (Pause and Resume for operator tokens), its exec jobs, newest first, with
// their live progress (Cancel for operator tokens, after asking), and the selected job's exit
// code, who cancelled it and what its attempt printed.
class JobsWidget final : public QWidget
{
    Q_OBJECT
public:
    // While the page is on screen, everything is loaded again when it is this old, and the jobs
    // when they are kRunningRefreshSeconds old while one of them runs.
    static constexpr int kRefreshSeconds = 10;
    static constexpr int kRunningRefreshSeconds = 2;
    static constexpr int kJobLimit = 200;

    explicit JobsWidget(ApiClient *client, QWidget *parent = nullptr);
    ~JobsWidget() override;

    ScheduleModel *schedules() const { return m_schedules; }
    JobModel *jobs() const { return m_jobs; }
    QTableView *scheduleView() const { return m_scheduleView; }
    QTableView *jobView() const { return m_jobView; }
    QAction *refreshAction() const { return m_refreshAction; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *resumeAction() const { return m_resumeAction; }
    QAction *cancelAction() const { return m_cancelAction; }
    QList<QAction *> screenActions() const;
    QDateTime dataTime() const { return m_dataTime; } // the schedules (the older part)
    QDateTime jobsTime() const { return m_jobsTime; }
    // How old the jobs may get on screen: kRunningRefreshSeconds while a job runs.
    int jobRefreshSeconds() const;
    QString feedback() const;

    // The selected schedule's next fire times, on this computer's clock and on its zone's, under
    // a note naming the schedule.
    QString upcomingNote() const;
    QStringList upcomingTimes() const;
    QStringList upcomingZoneTimes() const;
    // The selected job's details.
    QString detailsTitle() const;
    QString exitCodeText() const;
    QString cancellationText() const;
    QString outputText() const;
    QPlainTextEdit *outputView() const { return m_output; }

    void setRole(Role role);
    QStringList tenants() const;
    QString tenant() const;
    void setTenant(const QString &tenant);
    QString selectedSchedule() const; // "": none
    void selectSchedule(const QString &name);
    QString selectedJob() const; // the delivery id; "": none
    int selectedAttempt() const; // 0: none
    // attempt -1: the delivery's latest attempt listed.
    void selectJob(const QString &deliveryId, int attempt = -1);
    // Forgets the agent's data (another agent is connected to).
    void clear();

public Q_SLOTS:
    void refreshTenants();
    void refresh();     // the chosen tenant's schedules, then its jobs
    void refreshJobs(); // its jobs only
    // What is due while the page is on screen (the window calls it every second).
    void reloadDue();
    void pauseSelected();
    void resumeSelected();
    // Asks first; then cancelJob().
    void cancelSelected();
    // Without asking.
    void setPaused(const QString &schedule, bool paused);
    void cancelJob(const QString &deliveryId);

Q_SIGNALS:
    void updated();                       // the jobs arrived
    void actionDone(const QString &what); // for the status bar

private:
    // The constructor's parts, in the order it calls them.
    void setUpViews();
    void setUpDetails();
    void createActions();
    void buildLayout();
    QLayout *buildTopRow();
    QGroupBox *buildSchedulesBox();
    QGroupBox *buildJobsBox();
    QGroupBox *buildDetailsBox();
    void connectSignals();

    void onTenantsLoaded(bool kept);
    void onTenantChosen();
    void showSchedules(const QJsonArray &items);
    void loadJobs();
    void showJobs(const QJsonArray &items);
    void showUpcoming();
    void showJobDetails();
    void loadOutput(const Job &job);
    void showOutput(const QJsonObject &trace, int attempt);
    const Schedule *selectedScheduleEntry() const;
    const Job *selectedJobEntry() const;
    void updateActions();
    void showFeedback(const QString &text, bool error);
    void showLoadError(const QString &text);

    ApiClient *m_client;
    ScheduleModel *m_schedules;
    JobModel *m_jobs;
    QSortFilterProxyModel *m_scheduleProxy;
    QSortFilterProxyModel *m_jobProxy;
    QTableView *m_scheduleView;
    QTableView *m_jobView;
    QTreeWidget *m_upcoming;
    QLabel *m_upcomingNote;
    TenantPicker *m_tenantPicker;
    QLabel *m_feedback;
    QGroupBox *m_detailsBox = nullptr;
    QLabel *m_delivery;
    QLabel *m_exitCode;
    QLabel *m_cancellation;
    QLabel *m_process;
    QLabel *m_heartbeat;
    QLabel *m_finished;
    QLabel *m_attemptError;
    QPlainTextEdit *m_output;
    QAction *m_refreshAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_resumeAction = nullptr;
    QAction *m_cancelAction = nullptr;
    QDateTime m_dataTime;
    QDateTime m_jobsTime;
    Role m_role = Role::Unknown;
    quint64 m_request = 0;
    quint64 m_jobRequest = 0;
    quint64 m_outputRequest = 0;
    QString m_outputFor; // the job (delivery, attempt, state) whose output shows
    bool m_restoringSelection = false;
    bool m_loadError = false; // the feedback is a load's error (the next load clears it)
};

} // namespace ferry::console
