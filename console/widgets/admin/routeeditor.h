#pragma once

#include <QDialog>
#include <QHash>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace ferry::console {

class ApiClient;
struct ApiResponse;
struct RouteEntry;

// Creates a route (POST /v1/routes) or changes one (PATCH /v1/routes/{id}, only the fields that
// changed). OK sends; the dialog stays open while the agent answers and when it refuses: a 422
// shows its detail under the field it names. On success it emits saved() and closes.
class RouteEditor final : public QDialog
{
    Q_OBJECT
public:
    // `route` null: a new route of one of `tenants` (the first chosen).
    RouteEditor(ApiClient *client, const QStringList &tenants, const RouteEntry *route,
                QWidget *parent = nullptr);
    ~RouteEditor() override;

    bool isNew() const { return m_routeId == 0; }
    qint64 routeId() const { return m_routeId; }

    // The fields, for the walkthroughs and tests that fill them in.
    QComboBox *tenantBox() const { return m_tenant; }
    QLineEdit *nameEdit() const { return m_name; }
    QComboBox *channelBox() const { return m_channel; }
    QLabel *targetLabel() const { return m_targetLabel; }
    QLineEdit *targetEdit() const { return m_target; }
    QComboBox *credentialBox() const { return m_credential; }
    QLineEdit *eventTypesEdit() const { return m_eventTypes; }
    QCheckBox *orderedBox() const { return m_ordered; }
    QComboBox *onBlockBox() const { return m_onBlock; }
    QComboBox *retryBox() const { return m_retry; }
    QLineEdit *scheduleEdit() const { return m_schedule; }
    QSpinBox *maxAttemptsBox() const { return m_maxAttempts; }
    QLineEdit *maxAgeEdit() const { return m_maxAge; }
    QSpinBox *concurrencyBox() const { return m_concurrency; }
    QDoubleSpinBox *rateBox() const { return m_rate; }
    QPlainTextEdit *templateEdit() const { return m_template; }
    QCheckBox *enabledBox() const { return m_enabled; }
    QPushButton *okButton() const { return m_ok; }
    // The message shown under a field ("" none); "" as field: the one under all fields.
    QString fieldError(const QString &field) const;
    bool isSaving() const { return m_saving; }
    bool credentialsLoaded() const { return m_credentialsLoaded; }

    // What OK sends: every field for a new route, the changed ones for an existing one.
    QJsonObject body() const;

public Q_SLOTS:
    // OK: sends the route, or closes when nothing changed.
    void save();

Q_SIGNALS:
    // The agent saved the route: its answer (with "signing_secret" when it made one).
    void saved(const QJsonObject &route);
    void credentialsChanged(); // the credential choices were loaded for the tenant

private:
    void createFields(const QStringList &tenants);
    void createPolicyFields();
    void buildLayout();
    void addField(QFormLayout *form, QLabel *label, QWidget *field, const QString &name);
    void fillIn(const RouteEntry &route);
    void onChannelChanged();
    void loadCredentials();
    void showCredentials(const ApiResponse &r, const QString &tenant);
    void updateRetry();
    QJsonObject fullBody() const;
    void onSaved(const ApiResponse &r);
    void clearErrors();
    void showError(const QString &field, const QString &text);

    ApiClient *m_client;
    qint64 m_routeId = 0;
    QJsonObject m_original; // the route as listed; empty for a new one
    QString m_originalCredential;
    QComboBox *m_tenant = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_channel = nullptr;
    QLabel *m_targetLabel = nullptr;
    QLineEdit *m_target = nullptr;
    QComboBox *m_credential = nullptr;
    QLineEdit *m_eventTypes = nullptr;
    QCheckBox *m_ordered = nullptr;
    QComboBox *m_onBlock = nullptr;
    QComboBox *m_retry = nullptr;
    QLineEdit *m_schedule = nullptr;
    QSpinBox *m_maxAttempts = nullptr;
    QLineEdit *m_maxAge = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QPlainTextEdit *m_template = nullptr;
    QCheckBox *m_enabled = nullptr;
    QPushButton *m_ok = nullptr;
    QLabel *m_generalError = nullptr;
    QHash<QString, QLabel *> m_errors; // by the API's field name
    bool m_saving = false;
    bool m_credentialsLoaded = false;
    quint64 m_credentialRequest = 0;
};

} // namespace ferry::console
