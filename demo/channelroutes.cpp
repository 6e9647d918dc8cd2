#include "demo/channelroutes.h"

#include "agent/store/admin/credentialstore.h"
#include "agent/store/admin/routestore.h"
#include "agent/store/admin/templatestore.h"

using namespace Qt::StringLiterals;

namespace ferry::demo {

namespace {

const QString kActor = u"ferry-demo"_s;

// Where the demo's events name their customer (EventSender::eventBody).
QString recipient(const QString &channel)
{
    if (channel == "email"_L1)
        return u"{{data.customer.email}}"_s;
    if (channel == "push"_L1)
        return u"{{data.customer.device}}"_s;
    return u"{{data.customer.phone}}"_s;
}

agent::templates::MessageParts parts(const QString &channel)
{
    agent::templates::MessageParts p;
    p.text = u"Your order {{data.order}} has shipped."_s;
    if (channel == "email"_L1) {
        p.subject = u"Order {{data.order}} has shipped"_s;
        p.html = u"<p>Your order <b>{{data.order}}</b> has shipped.</p>"_s;
    } else if (channel == "push"_L1) {
        p.subject = u"Order shipped"_s;
        p.options = QJsonObject{{"data"_L1, QJsonObject{{"order"_L1, "{{data.order}}"_L1}}}};
    }
    return p;
}

} // namespace

const QStringList &ChannelRoutes::channels()
{
    static const QStringList all{u"email"_s, u"sms"_s, u"whatsapp"_s, u"push"_s};
    return all;
}

Result<QHash<QString, qint64>> ChannelRoutes::create(const Providers &providers,
                                                     const MasterKey &key, const QString &eventType)
{
    QHash<QString, qint64> routeIds;
    for (const QString &channel : channels()) {
        if (auto ok = putCredential(channel, providers.account(channel), key); !ok)
            return ok.error();
        if (auto ok = putTemplate(channel); !ok)
            return ok.error();
        auto id = addRoute(channel, eventType);
        if (!id)
            return id.error();
        routeIds.insert(channel, *id);
    }
    return routeIds;
}

Result<void> ChannelRoutes::putCredential(const QString &channel, const ProviderAccount &account,
                                          const MasterKey &key)
{
    bool created = false;
    auto put =
        agent::store::CredentialStore(m_db, kActor)
            .put(m_tenantId, m_tenant, credentialName(channel), account.provider, account.secret,
                 agent::store::AccountSettings{account.baseUrl, 0, 0}, key, &created);
    if (!put)
        return makeError(u"cannot store the %1 credential: %2"_s.arg(channel, put.error().message));
    return {};
}

Result<void> ChannelRoutes::putTemplate(const QString &channel)
{
    agent::store::StoredTemplate t;
    t.tenantId = m_tenantId;
    t.tenant = m_tenant;
    t.channel = channel;
    t.eventType = u"*"_s;
    t.parts = parts(channel);
    bool created = false;
    auto put = agent::store::TemplateStore(m_db, kActor).put(t, nullptr, &created);
    if (!put)
        return makeError(u"cannot store the %1 template: %2"_s.arg(channel, put.error().message));
    return {};
}

Result<qint64> ChannelRoutes::addRoute(const QString &channel, const QString &eventType)
{
    agent::store::Route route;
    route.tenantId = m_tenantId;
    route.tenant = m_tenant;
    route.channel = channel;
    route.target = recipient(channel);
    route.eventTypes = {eventType};
    route.credential = credentialName(channel);
    auto created = agent::store::RouteStore(m_db, kActor, nullptr).create(route, nullptr);
    if (!created)
        return makeError(u"cannot create the %1 route: %2"_s.arg(channel, created.error().message));
    return created->id;
}

} // namespace ferry::demo
