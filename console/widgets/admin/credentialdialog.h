#pragma once

#include "console/widgets/admin/checkeddialog.h"

#include <QJsonObject>

class QComboBox;
class QFormLayout;
class QLineEdit;

namespace ferry::console {

// Set credential…: a provider credential's name, its provider and that provider's secret fields
// (password fields, docs/channels.md), and the provider account's base URL, rate and concurrency,
// for PUT /v1/tenants/{tenant}/credentials/{name}. Replace opens it with the name fixed. The
// secret is write-only: once saved the fields are cleared and the console never shows it again.
class CredentialDialog final : public CheckedDialog
{
    Q_OBJECT
public:
    // `name` empty: a new credential; otherwise the credential replaced (name fixed).
    CredentialDialog(const QString &tenant, const QString &name, const QString &provider,
                     QWidget *parent = nullptr);

    QLineEdit *nameField() const { return m_name; }
    QComboBox *providerField() const { return m_provider; }
    // The secret field of the provider shown now ("signing_secret", …; "service_account" for fcm).
    QLineEdit *secretField(const QString &key) const;
    QStringList secretKeys() const; // of the provider shown now
    QLineEdit *baseUrlField() const { return m_baseUrl; }
    QLineEdit *rateField() const { return m_rate; }
    QLineEdit *concurrencyField() const { return m_concurrency; }

    QString name() const;
    QString problem() const override;
    QJsonObject body() const; // the PUT body of valid fields
    // Empties every secret field (after saving, or when the dialog goes).
    void clearSecrets();

public Q_SLOTS:
    void reject() override;

private:
    void showProviderFields();
    QJsonObject secret() const;

    QLineEdit *m_name;
    QComboBox *m_provider;
    QFormLayout *m_secretForm;
    QList<QPair<QString, QLineEdit *>> m_secretFields;
    QLineEdit *m_baseUrl;
    QLineEdit *m_rate;
    QLineEdit *m_concurrency;
};

} // namespace ferry::console
