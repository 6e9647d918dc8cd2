#include "agent/templates/messagerenderer.h"

#include "agent/store/admin/templatestore.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ferry::agent::templates {

namespace {

// Beyond this many cached (tenant, channel, type) keys, the cache starts over.
constexpr qsizetype kMaxCached = 10'000;

Error templateError(const QString &message)
{
    return makeError(message, 422);
}

} // namespace

MessageRenderer::MessageRenderer(store::PgConnection &db, std::chrono::milliseconds ttl)
    : m_db(db)
    , m_ttl(ttl)
{}

Result<adapters::Message> MessageRenderer::render(qint64 tenantId, const QString &channel,
                                                  const QString &eventType,
                                                  const QString &recipient,
                                                  const QByteArray &eventJson)
{
    auto entry = lookup(tenantId, channel, eventType);
    if (!entry)
        return entry.error();
    if (!(*entry)->error.isEmpty())
        return templateError((*entry)->error);
    if (!(*entry)->compiled)
        return makeError(u"no template for channel %1 and event type %2 in tenant %3: create one "
                         "with ferryctl templates put --tenant TENANT %1 %2 (or '*' for every "
                         "type)"_s.arg(channel, eventType)
                             .arg(tenantId),
                         404);
    QJsonParseError parseError;
    const QJsonDocument event = QJsonDocument::fromJson(eventJson, &parseError);
    if (!event.isObject())
        return templateError(u"the event is not a JSON object: %1"_s.arg(parseError.errorString()));
    auto message = (*entry)->compiled->render(event.object());
    if (!message)
        return templateError(
            u"the %1 template for %2: %3"_s.arg(channel, eventType, message.error().message()));
    auto to = Template::compile(recipient);
    auto rendered = to ? to->render(event.object(), Escape::Plain) : Result<QString>(to.error());
    if (!rendered)
        return templateError(u"the route's recipient: %1"_s.arg(rendered.error().message));
    message->to = rendered->trimmed();
    if (message->to.isEmpty())
        return templateError(u"the route's recipient '%1' rendered empty"_s.arg(recipient));
    return *message;
}

// The cached template of (tenant, channel, type), read and compiled again once expired.
Result<const MessageRenderer::Entry *>
MessageRenderer::lookup(qint64 tenantId, const QString &channel, const QString &eventType)
{
    const QString key = QString::number(tenantId) + u'\n' + channel + u'\n' + eventType;
    const auto now = std::chrono::steady_clock::now();
    if (auto it = m_cache.constFind(key); it != m_cache.constEnd() && it->expires > now)
        return &*it;
    auto found = store::TemplateStore(m_db, {}).find(tenantId, channel, eventType);
    if (!found)
        return found.error();
    Entry entry;
    entry.expires = now + m_ttl;
    if (*found) {
        auto compiled = MessageTemplate::compile((*found)->parts);
        if (compiled)
            entry.compiled = *compiled;
        else
            entry.error = u"the %1 template for %2 does not compile: %3"_s.arg(
                channel, (*found)->eventType, compiled.error().message());
    }
    if (m_cache.size() >= kMaxCached)
        m_cache.clear();
    return &*m_cache.emplace(key, std::move(entry));
}

} // namespace ferry::agent::templates
