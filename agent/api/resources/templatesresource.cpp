#include "agent/api/resources/templatesresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/templatestore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::templates {

namespace {

using ferry::agent::templates::MessageParts;
using ferry::agent::templates::MessageTemplate;

// The 422 for a body that is not a template, or nothing.
std::optional<ApiReply> invalidBody(const QJsonObject &body)
{
    static const QStringList known{u"subject"_s, u"text"_s, u"html"_s, u"options"_s, u"sample"_s};
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (!known.contains(it.key()))
            return ApiReply::invalidField(
                it.key(), u"unknown field; a template has %1"_s.arg(known.join(u", "_s)));
    }
    for (const QString &part : {u"subject"_s, u"text"_s, u"html"_s}) {
        const QJsonValue v = body.value(part);
        if (!v.isUndefined() && !v.isNull() && !v.isString())
            return ApiReply::invalidField(part, u"template text, or null for none"_s);
    }
    for (const QString &part : {u"options"_s, u"sample"_s}) {
        const QJsonValue v = body.value(part);
        if (!v.isUndefined() && !v.isNull() && !v.isObject())
            return ApiReply::invalidField(part, part == "options"_L1
                                                    ? u"a JSON object whose strings are "
                                                      "templates, or null for none"_s
                                                    : u"an example event (a CloudEvent as "
                                                      "JSON) to render the template against"_s);
    }
    return std::nullopt;
}

store::StoredTemplate templateOf(const ApiRequest &request, qint64 tenantId)
{
    store::StoredTemplate t;
    t.tenantId = tenantId;
    t.tenant = request.pathParameter(u"tenant"_s);
    t.channel = request.pathParameter(u"channel"_s);
    t.eventType = request.pathParameter(u"eventType"_s);
    t.parts = MessageParts{
        request.body.value("subject"_L1).toString(), request.body.value("text"_L1).toString(),
        request.body.value("html"_L1).toString(), request.body.value("options"_L1).toObject()};
    return t;
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto page = request.page(u"t:"_s);
    if (!page)
        return page.error();
    auto list = store::TemplateStore(request.db, request.actor())
                    .list(*tenantId, page->position.section(u'/', 0, 0),
                          page->position.section(u'/', 1), page->limit + 1);
    if (!list)
        return request.writeError(list.error());
    QJsonArray items;
    QJsonValue next;
    for (qsizetype i = 0; i < list->size() && i < page->limit; ++i)
        items.append(list->at(i).toJson());
    if (list->size() > page->limit) {
        const auto &last = list->at(page->limit - 1);
        next = apijson::cursorFor(u"t:"_s, last.channel + u'/' + last.eventType);
    }
    return ApiReply::json(QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, next}});
}

ApiReply get(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto t = store::TemplateStore(request.db, request.actor())
                 .get(*tenantId, request.pathParameter(u"tenant"_s),
                      request.pathParameter(u"channel"_s), request.pathParameter(u"eventType"_s));
    return t ? ApiReply::json(t->toJson()) : request.writeError(t.error());
}

ApiReply put(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    if (auto bad = invalidBody(request.body))
        return *bad;
    const store::StoredTemplate t = templateOf(request, *tenantId);
    const QJsonValue sample = request.body.value("sample"_L1);
    const QJsonObject sampleEvent = sample.toObject();
    const QJsonObject *samplePointer = sample.isObject() ? &sampleEvent : nullptr;
    // The part at fault goes in the problem's `field`.
    if (auto v = MessageTemplate::validate(t.parts, samplePointer); !v)
        return ApiReply::invalidField(v.error().part, v.error().problem);
    bool created = false;
    auto saved = store::TemplateStore(request.db, request.actor()).put(t, samplePointer, &created);
    if (!saved)
        return request.writeError(saved.error());
    return ApiReply::json(saved->toJson(), created ? 201 : 200);
}

ApiReply remove(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto r =
        store::TemplateStore(request.db, request.actor())
            .remove(*tenantId, request.pathParameter(u"tenant"_s),
                    request.pathParameter(u"channel"_s), request.pathParameter(u"eventType"_s));
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

} // namespace ferry::agent::api::templates
