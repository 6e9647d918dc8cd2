#include "console/widgets/admin/routeeditor.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/routemodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QUrlQuery>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The provider account a channel sends through (GET /v1/tenants/{t}/credentials "provider").
QString providerFor(const QString &channel)
{
    static const QHash<QString, QString> providers{{u"webhook"_s, u"webhook"_s},
                                                   {u"email"_s, u"smtp"_s},
                                                   {u"sms"_s, u"twilio"_s},
                                                   {u"whatsapp"_s, u"meta"_s},
                                                   {u"push"_s, u"fcm"_s}};
    return providers.value(channel);
}

QLabel *errorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(u"QLabel { color: #b3261e; }"_s);
    label->setAccessibleName(RouteEditor::tr("Error"));
    label->hide();
    return label;
}

QJsonValue orNull(qint64 n)
{
    return n > 0 ? QJsonValue(n) : QJsonValue();
}

} // namespace

RouteEditor::RouteEditor(ApiClient *client, const QStringList &tenants, const RouteEntry *route,
                         QWidget *parent)
    : QDialog(parent)
    , m_client(client)
{
    setWindowTitle(route ? tr("Edit route") : tr("New route"));
    createFields(tenants);
    buildLayout();
    if (route)
        fillIn(*route);
    connect(m_channel, &QComboBox::currentIndexChanged, this, &RouteEditor::onChannelChanged);
    connect(m_tenant, &QComboBox::currentIndexChanged, this, &RouteEditor::loadCredentials);
    connect(m_retry, &QComboBox::currentIndexChanged, this, &RouteEditor::updateRetry);
    connect(m_ordered, &QCheckBox::toggled, m_onBlock, &QWidget::setEnabled);
    m_onBlock->setEnabled(m_ordered->isChecked());
    onChannelChanged();
    updateRetry();
}

RouteEditor::~RouteEditor() = default;

void RouteEditor::createFields(const QStringList &tenants)
{
    m_tenant = new QComboBox(this);
    m_tenant->addItems(tenants);
    m_name = new QLineEdit(this);
    m_name->setMaxLength(100);
    m_name->setPlaceholderText(tr("What people call the route, such as ERP orders"));
    m_channel = new QComboBox(this);
    for (const QString &code : RouteModel::channels())
        m_channel->addItem(RouteModel::channelText(code), code);
    m_targetLabel = new QLabel(this);
    m_target = new QLineEdit(this);
    m_credential = new QComboBox(this);
    m_eventTypes = new QLineEdit(this);
    m_eventTypes->setPlaceholderText(tr("order.created, order.paid (empty: every type)"));
    createPolicyFields();
    m_generalError = errorLabel(this);
}

// Ordering, retries, caps, the template and the state.
void RouteEditor::createPolicyFields()
{
    m_ordered = new QCheckBox(tr("In order per partition key"), this);
    m_onBlock = new QComboBox(this);
    m_onBlock->addItem(tr("Block the partition until an operator acts"), u"block"_s);
    m_onBlock->addItem(tr("Skip the dead delivery and carry on"), u"skip"_s);
    m_retry = new QComboBox(this);
    m_retry->addItem(tr("The agent's default"), QString());
    m_retry->addItem(tr("Exponential backoff"), u"exponential"_s);
    m_retry->addItem(tr("Schedule"), u"schedule"_s);
    m_schedule = new QLineEdit(this);
    m_schedule->setPlaceholderText(tr("0s,5s,5m,30m,2h"));
    m_maxAttempts = new QSpinBox(this);
    m_maxAttempts->setRange(0, 1000);
    m_maxAttempts->setSpecialValueText(tr("the policy's"));
    m_maxAge = new QLineEdit(this);
    m_maxAge->setPlaceholderText(tr("seconds, or 6h, 3d (empty: the agent's default)"));
    m_concurrency = new QSpinBox(this);
    m_concurrency->setRange(0, 10000);
    m_concurrency->setSpecialValueText(tr("the agent's default"));
    m_rate = new QDoubleSpinBox(this);
    m_rate->setRange(0, 1000000);
    m_rate->setDecimals(2);
    m_rate->setSpecialValueText(tr("no limit"));
    m_template = new QPlainTextEdit(this);
    m_template->setTabChangesFocus(true);
    m_template->setFixedHeight(m_template->fontMetrics().height() * 5 + 12);
    m_enabled = new QCheckBox(tr("Enabled: new events are delivered"), this);
    m_enabled->setChecked(true);
}

void RouteEditor::addField(QFormLayout *form, QLabel *label, QWidget *field, const QString &name)
{
    auto *column = new QVBoxLayout;
    column->setSpacing(2);
    column->addWidget(field);
    QLabel *error = errorLabel(this);
    column->addWidget(error);
    m_errors.insert(name, error);
    label->setBuddy(field);
    form->addRow(label, column);
}

void RouteEditor::buildLayout()
{
    auto *fields = new QWidget(this);
    auto *form = new QFormLayout(fields);
    const auto label = [this](const QString &text) { return new QLabel(text, this); };
    addField(form, label(tr("&Tenant:")), m_tenant, u"tenant"_s);
    addField(form, label(tr("&Name:")), m_name, u"name"_s);
    addField(form, label(tr("C&hannel:")), m_channel, u"channel"_s);
    addField(form, m_targetLabel, m_target, u"target"_s);
    addField(form, label(tr("Provider &account:")), m_credential, u"credential"_s);
    addField(form, label(tr("&Event types:")), m_eventTypes, u"event_types"_s);
    addField(form, label(tr("&Ordering:")), m_ordered, u"ordered"_s);
    addField(form, label(tr("When a delivery &dies:")), m_onBlock, u"on_block"_s);
    auto *retry = new QWidget(this);
    auto *retryRow = new QHBoxLayout(retry);
    retryRow->setContentsMargins(0, 0, 0, 0);
    retryRow->addWidget(m_retry);
    retryRow->addWidget(m_schedule, 1);
    addField(form, label(tr("&Retries:")), retry, u"retry"_s);
    addField(form, label(tr("&Max attempts:")), m_maxAttempts, u"max_attempts"_s);
    addField(form, label(tr("Max a&ge:")), m_maxAge, u"max_age"_s);
    addField(form, label(tr("&Concurrency:")), m_concurrency, u"concurrency"_s);
    addField(form, label(tr("Rate per &second:")), m_rate, u"rate_per_second"_s);
    addField(form, label(tr("Tem&plate:")), m_template, u"template"_s);
    addField(form, label(tr("State:")), m_enabled, u"enabled"_s);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &RouteEditor::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(fields, 1);
    layout->addWidget(m_generalError);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

void RouteEditor::fillIn(const RouteEntry &route)
{
    m_routeId = route.id;
    m_original = route.json;
    m_originalCredential = route.credential;
    m_tenant->clear();
    m_tenant->addItem(route.tenant);
    m_tenant->setEnabled(false);
    m_tenant->setToolTip(tr("A route stays with its tenant."));
    m_name->setText(route.name);
    m_channel->setCurrentIndex(std::max(0, m_channel->findData(route.channel)));
    m_target->setText(route.target);
    m_eventTypes->setText(route.eventTypes.join(u", "_s));
    m_ordered->setChecked(route.ordered);
    m_onBlock->setCurrentIndex(std::max(0, m_onBlock->findData(route.onBlock)));
    m_retry->setCurrentIndex(std::max(0, m_retry->findData(route.retryMode)));
    m_schedule->setText(route.retrySchedule);
    m_maxAttempts->setValue(route.maxAttempts);
    m_maxAge->setText(route.maxAgeSeconds > 0 ? QString::number(route.maxAgeSeconds) : QString());
    m_concurrency->setValue(route.concurrency);
    m_rate->setValue(route.ratePerSecond);
    m_template->setPlainText(route.templateText);
    m_enabled->setChecked(route.enabled);
}

void RouteEditor::onChannelChanged()
{
    const QString channel = m_channel->currentData().toString();
    if (channel == "webhook"_L1) {
        m_targetLabel->setText(tr("&URL:"));
        m_target->setPlaceholderText(tr("https://erp.example.com/hooks/ferry"));
    } else if (channel == "exec"_L1) {
        m_targetLabel->setText(tr("&Command:"));
        m_target->setPlaceholderText(tr("The name of a command configured on the agent"));
    } else if (channel == "null"_L1) {
        m_targetLabel->setText(tr("&Target:"));
        m_target->setPlaceholderText(tr("Any text: nothing is sent"));
    } else {
        m_targetLabel->setText(tr("&Recipient:"));
        m_target->setPlaceholderText(tr("Fixed, or a template such as {{data.phone}}"));
    }
    loadCredentials();
}

void RouteEditor::loadCredentials()
{
    const QString provider = providerFor(m_channel->currentData().toString());
    const QString tenant = m_tenant->currentText();
    m_credential->clear();
    m_credentialsLoaded = false;
    const quint64 request = ++m_credentialRequest;
    if (provider.isEmpty() || tenant.isEmpty()) {
        m_credential->addItem(tr("(none: this channel needs no account)"), QString());
        m_credential->setEnabled(false);
        m_credentialsLoaded = true;
        Q_EMIT credentialsChanged();
        return;
    }
    m_credential->setEnabled(true);
    m_client->get(u"/v1/tenants/%1/credentials"_s.arg(tenant), {}, this,
                  [this, request, tenant](const ApiResponse &r) {
                      if (request == m_credentialRequest)
                          showCredentials(r, tenant);
                  });
}

void RouteEditor::showCredentials(const ApiResponse &r, const QString &tenant)
{
    const QString channel = m_channel->currentData().toString();
    const QString provider = providerFor(channel);
    m_credential->clear();
    if (channel == "webhook"_L1)
        m_credential->addItem(tr("(none: the route's own signing secret)"), QString());
    for (const QJsonValue &v : r.object.value("items"_L1).toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value("provider"_L1).toString() == provider)
            m_credential->addItem(c.value("name"_L1).toString(), c.value("name"_L1).toString());
    }
    if (m_credential->count() == 0)
        m_credential->addItem(
            tr("(tenant %1 has no %2 account: store one under Credentials)").arg(tenant, provider),
            QString());
    // A webhook route needs no account: its own secret is always a choice.
    if (!r.ok() && channel != "webhook"_L1)
        showError(u"credential"_s, tr("The accounts could not be loaded: %1").arg(r.message()));
    const int current = m_credential->findData(m_originalCredential);
    m_credential->setCurrentIndex(std::max(0, current));
    m_credentialsLoaded = true;
    Q_EMIT credentialsChanged();
}

void RouteEditor::updateRetry()
{
    m_schedule->setEnabled(m_retry->currentData().toString() == "schedule"_L1);
}

QJsonObject RouteEditor::fullBody() const
{
    QJsonArray types;
    for (const QString &t : m_eventTypes->text().split(u',', Qt::SkipEmptyParts)) {
        if (!t.trimmed().isEmpty())
            types.append(t.trimmed());
    }
    QJsonValue retry;
    const QString mode = m_retry->currentData().toString();
    if (mode == "exponential"_L1)
        retry = QJsonObject{{u"exponential"_s, true}};
    else if (mode == "schedule"_L1)
        retry = QJsonObject{{u"schedule"_s, m_schedule->text().trimmed()}};
    const QString maxAge = m_maxAge->text().trimmed();
    bool numeric = false;
    const qint64 seconds = maxAge.toLongLong(&numeric);
    const QString credential = m_credential->currentData().toString();
    const QString name = m_name->text().trimmed();
    return {
        {u"name"_s, name.isEmpty() ? QJsonValue() : QJsonValue(name)},
        {u"channel"_s, m_channel->currentData().toString()},
        {u"target"_s, m_target->text().trimmed()},
        {u"credential"_s, credential.isEmpty() ? QJsonValue() : QJsonValue(credential)},
        {u"event_types"_s, types},
        {u"ordered"_s, m_ordered->isChecked()},
        {u"on_block"_s, m_onBlock->currentData().toString()},
        {u"retry"_s, retry},
        {u"max_attempts"_s, orNull(m_maxAttempts->value())},
        {u"max_age"_s, maxAge.isEmpty() ? QJsonValue()
                       : numeric        ? QJsonValue(seconds)
                                        : QJsonValue(maxAge)},
        {u"concurrency"_s, orNull(m_concurrency->value())},
        {u"rate_per_second"_s, m_rate->value() > 0 ? QJsonValue(m_rate->value()) : QJsonValue()},
        {u"template"_s, m_template->toPlainText().isEmpty()
                            ? QJsonValue()
                            : QJsonValue(m_template->toPlainText())},
        {u"enabled"_s, m_enabled->isChecked()}};
}

QJsonObject RouteEditor::body() const
{
    QJsonObject full = fullBody();
    if (!m_credentialsLoaded && !isNew())
        full.remove(u"credential"_s); // not chosen yet: unchanged
    if (isNew()) {
        full.insert(u"tenant"_s, m_tenant->currentText());
        return full;
    }
    QJsonObject changed;
    for (auto it = full.begin(); it != full.end(); ++it) {
        if (m_original.value(it.key()) != it.value())
            changed.insert(it.key(), it.value());
    }
    return changed;
}

void RouteEditor::save()
{
    if (m_saving)
        return;
    clearErrors();
    const QJsonObject sent = body();
    if (!isNew() && sent.isEmpty()) {
        accept(); // nothing changed
        return;
    }
    m_saving = true;
    m_ok->setEnabled(false);
    const auto done = [this](const ApiResponse &r) { onSaved(r); };
    if (isNew())
        m_client->post(u"/v1/routes"_s, sent, this, done);
    else
        m_client->patch(u"/v1/routes/%1"_s.arg(m_routeId), sent, this, done);
}

void RouteEditor::onSaved(const ApiResponse &r)
{
    m_saving = false;
    m_ok->setEnabled(true);
    if (r.ok()) {
        Q_EMIT saved(r.object);
        accept();
        return;
    }
    const QString field = r.object.value("field"_L1).toString();
    if (r.status == 422 && m_errors.contains(field))
        showError(field, r.object.value("detail"_L1).toString());
    else
        showError(QString(), r.message());
}

void RouteEditor::clearErrors()
{
    for (QLabel *label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
    m_generalError->clear();
    m_generalError->hide();
}

void RouteEditor::showError(const QString &field, const QString &text)
{
    QLabel *label = m_errors.value(field, m_generalError);
    label->setText(text);
    label->show();
}

QString RouteEditor::fieldError(const QString &field) const
{
    const QLabel *label = field.isEmpty() ? m_generalError : m_errors.value(field);
    return label && !label->isHidden() ? label->text() : QString();
}

} // namespace ferry::console
