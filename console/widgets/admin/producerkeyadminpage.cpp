#include "console/widgets/admin/producerkeyadminpage.h"

#include "console/core/apiclient.h"
#include "console/core/apiresponse.h"
#include "console/models/admin/producerkeymodel.h"
#include "console/widgets/admin/adminui.h"
#include "console/widgets/admin/secretdialog.h"

#include <QAction>
#include <QJsonArray>
#include <QJsonObject>
#include <QTableView>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::console {

namespace {

// The HTTP ingest URL of the agent that answered GET /v1/agents, with the host the console
// reaches it by when it listens on every address; "" when unknown.
QString ingestUrlOf(const QJsonObject &agents, const QString &host)
{
    for (const QJsonValue &v : agents.value("items"_L1).toArray()) {
        const QJsonObject a = v.toObject();
        const QString listen = a.value("listen"_L1).toObject().value("http"_L1).toString();
        if (!a.value("current"_L1).toBool() || listen.isEmpty())
            continue;
        const qsizetype colon = listen.lastIndexOf(u':');
        QString listenHost = listen.left(colon);
        if (listenHost.isEmpty() || listenHost == "0.0.0.0"_L1 || listenHost == "[::]"_L1 ||
            listenHost == "*"_L1)
            listenHost = host;
        return u"http://%1:%2/v1/events"_s.arg(listenHost, listen.mid(colon + 1));
    }
    return {};
}

} // namespace

ProducerKeyAdminPage::ProducerKeyAdminPage(ApiClient *client, QWidget *parent)
    : TenantListPage(client, new ProducerKeyModel, parent)
    , m_model(static_cast<ProducerKeyModel *>(listModel()))
    , m_newToken(new QAction(tr("New HTTP &token…"), this))
    , m_newKeyPair(new QAction(tr("New &ZeroMQ key pair…"), this))
    , m_revoke(new QAction(tr("Re&voke…"), this))
{
    view()->setAccessibleName(tr("Producer keys"));
    for (QAction *a : {m_newToken, m_newKeyPair, m_revoke})
        addPageAction(a);
    connect(m_newToken, &QAction::triggered, this, [this] { createKey(u"token"_s); });
    connect(m_newKeyPair, &QAction::triggered, this, [this] { createKey(u"curve"_s); });
    connect(m_revoke, &QAction::triggered, this, &ProducerKeyAdminPage::askRevoke);
    updateActions();
}

ProducerKeyAdminPage::~ProducerKeyAdminPage() = default;

SecretDialog *ProducerKeyAdminPage::credentialsDialog() const
{
    return m_dialog;
}

QString ProducerKeyAdminPage::listPath(const QString &tenant) const
{
    return u"/v1/tenants/%1/producers"_s.arg(tenant);
}

void ProducerKeyAdminPage::updateActions()
{
    const QString refusal = adminRefusal(role(), scope(), false);
    const int row = selectedRow();
    const bool revoked = row >= 0 && !m_model->item(row).value("revoked_at"_L1).isNull();
    const bool may = refusal.isEmpty() && !tenant().isEmpty();
    const QString why = !refusal.isEmpty() ? refusal : tr("Choose a tenant first.");
    gateAction(m_newToken, may,
               tr("A new producer token for HTTP ingest, shown once as a credentials file"), why);
    gateAction(m_newKeyPair, may,
               tr("A new CURVE key pair for ZeroMQ ingest, shown once as a credentials file"), why);
    gateAction(m_revoke, may && row >= 0 && !revoked,
               tr("Revoke the selected key: its producer is refused from then on (asks first)"),
               !may      ? why
               : revoked ? tr("This key is revoked already.")
                         : tr("Select a key first."));
}

void ProducerKeyAdminPage::createKey(const QString &kind)
{
    const QString chosen = tenant();
    client()->post(listPath(chosen), {{u"kind"_s, kind}}, this,
                   [this, chosen](const ApiResponse &r) {
                       if (!r.ok()) {
                           showFeedback(tr("No key was created: %1").arg(r.message()), true);
                           return;
                       }
                       // The agents' listen addresses give the ingest URL (unscoped tokens).
                       const QJsonObject answer = r.object;
                       client()->get(u"/v1/agents"_s, {}, this,
                                     [this, chosen, answer](const ApiResponse &agents) {
                                         showCredentials(chosen, answer, agents.object);
                                     });
                   });
}

void ProducerKeyAdminPage::showCredentials(const QString &tenant, const QJsonObject &answer,
                                           const QJsonObject &agents)
{
    const QString host = client()->profile().url.host();
    const bool curve = answer.value("kind"_L1).toString() == "curve"_L1;
    const qint64 id = answer.value("id"_L1).toInteger();
    m_dialog = new SecretDialog(
        curve ? tr("ZeroMQ key pair %1 of %2").arg(id).arg(tenant)
              : tr("HTTP token %1 of %2").arg(id).arg(tenant),
        tr("The producer's credentials file. Save it where the producer runs and keep it private: "
           "whoever has it can send events as %1.")
            .arg(tenant),
        credentialsFile(tenant, answer, ingestUrlOf(agents, host), host),
        u"%1-producer-%2.ferry"_s.arg(tenant).arg(id), this);
    m_dialog->setSaveRequired(true);
    m_dialog->open();
    changed(curve ? tr("ZeroMQ key pair %1 created for %2.").arg(id).arg(tenant)
                  : tr("HTTP token %1 created for %2.").arg(id).arg(tenant));
}

QString ProducerKeyAdminPage::credentialsFile(const QString &tenant, const QJsonObject &answer,
                                              const QString &ingestUrl, const QString &zmqHost)
{
    const bool curve = answer.value("kind"_L1).toString() == "curve"_L1;
    QStringList lines{
        u"# Ferry producer credentials: tenant %1, %2 %3, created %4."_s.arg(
            tenant, curve ? u"ZeroMQ key pair"_s : u"HTTP token"_s,
            QString::number(answer.value("id"_L1).toInteger()),
            QDateTime::currentDateTimeUtc().toString(Qt::ISODate)),
        u"# Keep it private (mode 0600): it is shown only once. Revoke the key if it leaks."_s};
    const auto value = [&answer](QLatin1StringView key) { return answer.value(key).toString(); };
    if (curve) {
        lines << u"# ferry::ProducerCredentials::fromFile() reads it (docs/protocol.md); agent is"_s
              << u"# the agent's zmq.listen address (port 7600 unless configured otherwise)."_s
              << u"agent = tcp://%1:7600"_s.arg(zmqHost)
              << u"server_public_key = "_s + value("server_key"_L1)
              << u"public_key = "_s + value("public_key"_L1)
              << u"secret_key = "_s + value("secret_key"_L1);
    } else {
        lines << u"# HTTP ingest: POST CloudEvents to ingest_url with the header"_s
              << u"# 'Authorization: Bearer <token>' (docs/protocol.md)."_s
              << (ingestUrl.isEmpty()
                      ? u"# ingest_url = http://<agent>:7680/v1/events (http.listen)"_s
                      : u"ingest_url = "_s + ingestUrl)
              << u"token = "_s + value("token"_L1);
    }
    return lines.join(u'\n') + u'\n';
}

void ProducerKeyAdminPage::askRevoke()
{
    const int row = selectedRow();
    if (row < 0)
        return;
    const QJsonObject key = m_model->item(row);
    const QString kind = key.value("kind"_L1).toString();
    const qint64 id = key.value("id"_L1).toInteger();
    const QString chosen = tenant();
    askFirst(this, tr("Revoke key %1?").arg(id),
             kind == "curve"_L1
                 ? tr("The producer with ZeroMQ key pair %1 of %2 is disconnected and refused "
                      "within seconds. This cannot be undone.")
                       .arg(id)
                       .arg(chosen)
                 : tr("HTTP ingest refuses producer token %1 of %2 (401) within 30 seconds. This "
                      "cannot be undone.")
                       .arg(id)
                       .arg(chosen),
             tr("Revoke"), [this, chosen, kind, id] {
                 QUrlQuery query;
                 query.addQueryItem(u"kind"_s, kind);
                 client()->remove(
                     listPath(chosen) + u'/' + QString::number(id), query, this,
                     [this, id](const ApiResponse &r) {
                         if (!r.ok())
                             showFeedback(tr("Key %1 was not revoked: %2").arg(id).arg(r.message()),
                                          true);
                         else
                             changed(tr("Key %1 revoked.").arg(id));
                     });
             });
}

} // namespace ferry::console
