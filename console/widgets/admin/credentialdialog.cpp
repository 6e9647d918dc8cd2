#include "console/widgets/admin/credentialdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

struct SecretField
{
    const char *key;
    const char *label; // translated in CredentialDialog's context
    bool required;
};

// What each provider's secret holds (docs/channels.md); fcm's is the whole service-account JSON.
QList<SecretField> fieldsOf(const QString &provider)
{
    if (provider == "twilio"_L1)
        return {
            {"account_sid", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Account SID:"),
             true},
            {"auth_token", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Auth token:"),
             true},
            {"from", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "From number:"), false},
            {"messaging_service_sid",
             QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Messaging service SID:"),
             false}};
    if (provider == "meta"_L1)
        return {{"access_token",
                 QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Access token:"), true},
                {"phone_number_id",
                 QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Phone number ID:"), true},
                {"api_version",
                 QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "API version:"), false},
                {"app_secret", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "App secret:"),
                 false}};
    if (provider == "fcm"_L1)
        return {{"service_account",
                 QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Service account JSON:"),
                 true}};
    if (provider == "smtp"_L1)
        return {
            {"username", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "User name:"),
             false},
            {"password", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Password:"), false},
            {"from", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "From address:"), true},
            {"from_name", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "From name:"),
             false},
            {"reply_to", QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Reply-To:"),
             false}};
    return {{"signing_secret",
             QT_TRANSLATE_NOOP("ferry::console::CredentialDialog", "Signing secret:"), true}};
}

} // namespace

CredentialDialog::CredentialDialog(const QString &tenant, const QString &name,
                                   const QString &provider, QWidget *parent)
    : CheckedDialog(parent)
    , m_name(new QLineEdit(name, this))
    , m_provider(new QComboBox(this))
    , m_secretForm(new QFormLayout)
    , m_baseUrl(new QLineEdit(this))
    , m_rate(new QLineEdit(this))
    , m_concurrency(new QLineEdit(this))
{
    setWindowTitle(name.isEmpty() ? tr("Set credential of %1").arg(tenant)
                                  : tr("Replace credential %1 of %2").arg(name, tenant));
    m_name->setReadOnly(!name.isEmpty());
    m_name->setPlaceholderText(tr("1 to 63 of a-z 0-9 . _ -"));
    m_provider->addItems({u"webhook"_s, u"twilio"_s, u"meta"_s, u"fcm"_s, u"smtp"_s});
    if (!provider.isEmpty())
        m_provider->setCurrentText(provider);
    m_baseUrl->setPlaceholderText(
        tr("the provider's own (smtp: smtp://host:587 or smtps://host:465)"));
    m_rate->setPlaceholderText(tr("no limit"));
    m_concurrency->setPlaceholderText(tr("no limit"));
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Provider:"), m_provider);
    auto *account = new QFormLayout;
    account->addRow(tr("&Base URL:"), m_baseUrl);
    account->addRow(tr("&Requests per second:"), m_rate);
    account->addRow(tr("Requests at &once:"), m_concurrency);
    auto *note = new QLabel(tr("The secret is sealed by the agent and never shown again: after "
                               "saving, only its fingerprint is listed."),
                            this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &CredentialDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &CredentialDialog::reject);
    connect(m_provider, &QComboBox::currentTextChanged, this,
            &CredentialDialog::showProviderFields);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addLayout(m_secretForm);
    layout->addLayout(account);
    layout->addWidget(note);
    layout->addWidget(problemLabel());
    layout->addWidget(buttons);
    showProviderFields();
    resize(520, sizeHint().height());
}

void CredentialDialog::showProviderFields()
{
    clearSecrets();
    while (m_secretForm->rowCount() > 0)
        m_secretForm->removeRow(0);
    m_secretFields.clear();
    for (const SecretField &f : fieldsOf(m_provider->currentText())) {
        auto *edit = new QLineEdit(this);
        edit->setEchoMode(QLineEdit::Password);
        edit->setPlaceholderText(f.required ? tr("required") : tr("optional"));
        edit->setAccessibleName(tr(f.label));
        m_secretForm->addRow(tr(f.label), edit);
        m_secretFields.append({QString::fromLatin1(f.key), edit});
    }
}

QLineEdit *CredentialDialog::secretField(const QString &key) const
{
    for (const auto &[k, edit] : m_secretFields) {
        if (k == key)
            return edit;
    }
    return nullptr;
}

QStringList CredentialDialog::secretKeys() const
{
    QStringList keys;
    for (const auto &f : m_secretFields)
        keys.append(f.first);
    return keys;
}

QString CredentialDialog::name() const
{
    return m_name->text().trimmed();
}

QJsonObject CredentialDialog::secret() const
{
    if (m_provider->currentText() == "fcm"_L1)
        return QJsonDocument::fromJson(secretField(u"service_account"_s)->text().toUtf8()).object();
    QJsonObject o;
    for (const auto &[key, edit] : m_secretFields) {
        if (!edit->text().isEmpty())
            o.insert(key, edit->text());
    }
    return o;
}

QString CredentialDialog::problem() const
{
    if (!QRegularExpression(u"^[a-z0-9._-]{1,63}$"_s).match(name()).hasMatch())
        return tr("Name: 1 to 63 lowercase letters, digits, dots, underscores or hyphens.");
    const QString provider = m_provider->currentText();
    for (const SecretField &f : fieldsOf(provider)) {
        if (f.required && secretField(QString::fromLatin1(f.key))->text().isEmpty())
            return tr("%1 is required for %2.").arg(tr(f.label).remove(u':'), provider);
    }
    if (provider == "fcm"_L1 && secret().value("private_key"_L1).toString().isEmpty())
        return tr("Service account JSON: paste the whole file Google's console downloads (with "
                  "project_id, client_email and private_key).");
    if (provider == "twilio"_L1 && secret().value("from"_L1).toString().isEmpty() &&
        secret().value("messaging_service_sid"_L1).toString().isEmpty())
        return tr("Twilio needs a From number or a messaging service SID.");
    if (provider == "smtp"_L1 && m_baseUrl->text().trimmed().isEmpty())
        return tr("Base URL is required for smtp: smtp://host:587 (STARTTLS) or smtps://host:465.");
    bool ok = true;
    const double rate =
        m_rate->text().trimmed().isEmpty() ? 1 : QLocale().toDouble(m_rate->text(), &ok);
    if (!ok || rate <= 0 || rate > 1'000'000)
        return tr("Requests per second: a number above 0 up to 1000000, or empty for no limit.");
    const int cap =
        m_concurrency->text().trimmed().isEmpty() ? 1 : m_concurrency->text().toInt(&ok);
    if (!ok || cap < 1 || cap > 10000)
        return tr("Requests at once: a whole number from 1 to 10000, or empty for no limit.");
    return {};
}

QJsonObject CredentialDialog::body() const
{
    QJsonObject o{{u"provider"_s, m_provider->currentText()}, {u"secret"_s, secret()}};
    if (!m_baseUrl->text().trimmed().isEmpty())
        o.insert(u"base_url"_s, m_baseUrl->text().trimmed());
    if (!m_rate->text().trimmed().isEmpty())
        o.insert(u"rate_per_second"_s, QLocale().toDouble(m_rate->text()));
    if (!m_concurrency->text().trimmed().isEmpty())
        o.insert(u"max_concurrency"_s, m_concurrency->text().toInt());
    return o;
}

void CredentialDialog::clearSecrets()
{
    for (const auto &f : std::as_const(m_secretFields))
        f.second->clear();
}

void CredentialDialog::reject()
{
    clearSecrets();
    QDialog::reject();
}

} // namespace ferry::console
