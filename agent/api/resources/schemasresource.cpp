#include "agent/api/resources/schemasresource.h"

#include "agent/api/apijson.h"
#include "agent/store/admin/schemastore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace ferry::agent::api::schemas {

namespace {

const QString kFieldExample = u"{\"path\": \"customer.id\", \"type\": \"string\"}"_s;

// One entry of `required`: a path, or {"path", "type"}.
Result<store::SchemaField, ApiReply> fieldOf(const QJsonValue &v, qsizetype index)
{
    const QString field = u"required[%1]"_s.arg(index);
    if (v.isString())
        return store::SchemaField{v.toString(), {}};
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != "path"_L1 && it.key() != "type"_L1)
            return ApiReply::invalidField(field + u'.' + it.key(),
                                          u"unknown member; a field is %1"_s.arg(kFieldExample));
    }
    const QJsonValue type = o.value("type"_L1);
    if (!v.isObject() || !o.value("path"_L1).isString() ||
        !(type.isString() || type.isNull() || type.isUndefined()))
        return ApiReply::invalidField(
            field, u"a dotted path into the event's data, or %1 (type: "
                   "%2, or null for any)"_s.arg(kFieldExample,
                                                store::SchemaStore::fieldTypes().join(u", "_s)));
    return store::SchemaField{o.value("path"_L1).toString(), type.toString()};
}

// The schema a PUT body describes, or the 422 naming its first invalid field.
Result<store::EventSchema, ApiReply> schemaOf(const ApiRequest &request)
{
    const QJsonObject &body = request.body;
    for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.key() != "required"_L1 && it.key() != "description"_L1)
            return ApiReply::invalidField(
                it.key(), u"unknown field; a schema version has required and description"_s);
    }
    const QJsonValue required = body.value("required"_L1);
    const QJsonValue description = body.value("description"_L1);
    if (!required.isArray() && !required.isNull() && !required.isUndefined())
        return ApiReply::invalidField(u"required"_s, u"a list of fields such as [%1]; [] for "
                                                     "none"_s.arg(kFieldExample));
    if (!description.isString() && !description.isNull() && !description.isUndefined())
        return ApiReply::invalidField(u"description"_s, u"text, or null for none"_s);
    store::EventSchema s;
    s.tenant = request.pathParameter(u"tenant"_s);
    s.eventType = request.pathParameter(u"eventType"_s);
    s.version = request.pathParameter(u"version"_s);
    s.description = description.isString() ? description.toString() : QString();
    const QJsonArray fields = required.toArray();
    for (qsizetype i = 0; i < fields.size(); ++i) {
        auto field = fieldOf(fields[i], i);
        if (!field)
            return field.error();
        s.required.append(*field);
    }
    return s;
}

// The store's 422s name their field first ("required: …"); the others as writeError().
ApiReply storeFailure(const ApiRequest &request, const Error &error)
{
    for (const QString &field : {u"required"_s, u"description"_s}) {
        if (error.code == 422 && error.message.startsWith(field + u": "_s))
            return ApiReply::invalidField(field, error.message.mid(field.size() + 2));
    }
    return request.writeError(error);
}

} // namespace

ApiReply list(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    if (auto bad = request.onlyParameters({u"event_type"_s, u"limit"_s, u"cursor"_s}))
        return *bad;
    auto page = request.page(u"s:"_s);
    if (!page)
        return page.error();
    store::SchemaStore store(request.db, request.actor());
    auto strict = store.strict(*tenantId);
    auto list = store.list(*tenantId, request.queryValue(u"event_type"_s),
                           page->position.section(u'/', 0, 0), page->position.section(u'/', 1),
                           page->limit + 1);
    if (!strict || !list)
        return request.storeError(!strict ? strict.error() : list.error());
    QJsonArray items;
    QJsonValue next;
    for (qsizetype i = 0; i < list->size() && i < page->limit; ++i)
        items.append(list->at(i).toJson());
    if (list->size() > page->limit) {
        const auto &last = list->at(page->limit - 1);
        next = apijson::cursorFor(u"s:"_s, last.eventType + u'/' + last.version);
    }
    return ApiReply::json(
        QJsonObject{{u"items"_s, items}, {u"next_cursor"_s, next}, {u"strict_schemas"_s, *strict}});
}

ApiReply put(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto schema = schemaOf(request);
    if (!schema)
        return schema.error();
    schema->tenantId = *tenantId;
    bool created = false;
    auto saved = store::SchemaStore(request.db, request.actor()).put(*schema, &created);
    if (!saved)
        return storeFailure(request, saved.error());
    return ApiReply::json(saved->toJson(), created ? 201 : 200);
}

ApiReply remove(const ApiRequest &request)
{
    auto tenantId = request.visibleTenant();
    if (!tenantId)
        return tenantId.error();
    auto r =
        store::SchemaStore(request.db, request.actor())
            .remove(*tenantId, request.pathParameter(u"tenant"_s),
                    request.pathParameter(u"eventType"_s), request.pathParameter(u"version"_s));
    return r ? ApiReply::noContent() : request.writeError(r.error());
}

} // namespace ferry::agent::api::schemas
