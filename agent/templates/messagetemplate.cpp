#include "agent/templates/messagetemplate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <functional>

using namespace Qt::StringLiterals;

namespace ferry::agent::templates {

namespace {

using Leaf = std::function<Result<void, PartError>(const QString &part, const QString &text)>;

// Calls `leaf` for every string in `value`, with its part name ("options.parameters[0]").
Result<void, PartError> eachLeaf(const QJsonValue &value, const QString &part, const Leaf &leaf)
{
    if (value.isString())
        return leaf(part, value.toString());
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (auto r = eachLeaf(a.at(i), u"%1[%2]"_s.arg(part).arg(i), leaf); !r)
                return r;
        }
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (auto r = eachLeaf(*it, part + u'.' + it.key(), leaf); !r)
                return r;
        }
    }
    return {};
}

Result<Template, PartError> compilePart(const QString &part, const QString &text,
                                        const Limits &limits)
{
    auto t = Template::compile(text, limits);
    if (!t)
        return PartError{part, t.error().message};
    return *t;
}

Result<QString, PartError> renderPart(const QString &part, const Template &t,
                                      const QJsonValue &event, Escape escape)
{
    auto r = t.render(event, escape);
    if (!r)
        return PartError{part, r.error().message};
    return *r;
}

} // namespace

Result<MessageTemplate, PartError> MessageTemplate::compile(const MessageParts &parts,
                                                            const Limits &limits)
{
    MessageTemplate m;
    const std::pair<QString, std::pair<const QString *, Template *>> texts[] = {
        {u"subject"_s, {&parts.subject, &m.m_subject}},
        {u"text"_s, {&parts.text, &m.m_text}},
        {u"html"_s, {&parts.html, &m.m_html}}};
    for (const auto &[part, pair] : texts) {
        auto t = compilePart(part, *pair.first, limits);
        if (!t)
            return t.error();
        *pair.second = *t;
    }
    if (QJsonDocument(parts.options).toJson(QJsonDocument::Compact).size() > kMaxOptionsBytes)
        return PartError{u"options"_s, u"at most %1 bytes of JSON"_s.arg(kMaxOptionsBytes)};
    auto leaves = eachLeaf(parts.options, u"options"_s, [&](const QString &part, const QString &s) {
        auto t = compilePart(part, s, limits);
        if (!t)
            return Result<void, PartError>(t.error());
        m.m_optionTemplates.insert(part, *t);
        return Result<void, PartError>();
    });
    if (!leaves)
        return leaves.error();
    m.m_options = parts.options;
    return m;
}

Result<MessageTemplate, PartError> MessageTemplate::validate(const MessageParts &parts,
                                                             const QJsonObject *sample)
{
    if (parts.subject.isEmpty() && parts.text.isEmpty() && parts.html.isEmpty() &&
        parts.options.isEmpty())
        return PartError{u"text"_s, u"a template needs at least one part: subject, text, html "
                                    "or options"_s};
    auto compiled = compile(parts);
    if (!compiled || !sample)
        return compiled;
    if (auto rendered = compiled->render(*sample); !rendered)
        return PartError{rendered.error().part,
                         rendered.error().problem + u" in the sample event"_s};
    return compiled;
}

Result<adapters::Message, PartError> MessageTemplate::render(const QJsonValue &event) const
{
    adapters::Message message;
    const std::pair<QString, std::pair<const Template *, QString *>> texts[] = {
        {u"subject"_s, {&m_subject, &message.subject}},
        {u"text"_s, {&m_text, &message.text}},
        {u"html"_s, {&m_html, &message.html}}};
    for (const auto &[part, pair] : texts) {
        auto r = renderPart(part, *pair.first, event,
                            pair.first == &m_html ? Escape::Html : Escape::Plain);
        if (!r)
            return r.error();
        *pair.second = *r;
    }
    auto options = renderOptions(m_options, u"options"_s, event);
    if (!options)
        return options.error();
    message.options = options->toObject();
    return message;
}

// The options with every string leaf rendered (plain); other values as they are.
Result<QJsonValue, PartError> MessageTemplate::renderOptions(const QJsonValue &value,
                                                             const QString &part,
                                                             const QJsonValue &event) const
{
    if (value.isString()) {
        auto r = renderPart(part, m_optionTemplates.value(part), event, Escape::Plain);
        if (!r)
            return r.error();
        return QJsonValue(*r);
    }
    if (value.isArray()) {
        QJsonArray out;
        const QJsonArray a = value.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            auto r = renderOptions(a.at(i), u"%1[%2]"_s.arg(part).arg(i), event);
            if (!r)
                return r.error();
            out.append(*r);
        }
        return QJsonValue(out);
    }
    if (!value.isObject())
        return value;
    QJsonObject out;
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        auto r = renderOptions(*it, part + u'.' + it.key(), event);
        if (!r)
            return r.error();
        out.insert(it.key(), *r);
    }
    return QJsonValue(out);
}

} // namespace ferry::agent::templates
