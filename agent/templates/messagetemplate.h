#pragma once

#include "agent/adapters/adapter.h"
#include "agent/templates/template.h"

#include <QHash>
#include <QJsonObject>

namespace ferry::agent::templates {

// A message template as an operator writes it: each part is template text (empty: not used);
// `options` is JSON whose string leaves are templates too (WhatsApp template name, language
// and parameters, push data fields, …).
struct MessageParts
{
    QString subject;
    QString text;
    QString html;
    QJsonObject options;
};

// What is wrong and in which part: "subject", "text", "html", "options.parameters[0]", …
struct PartError
{
    QString part;
    QString problem;

    QString message() const { return part + QStringLiteral(": ") + problem; }
};

// Every part of a message template, compiled. The HTML body renders escaped, every other part
// plain. A copy shares the compiled parts.
class MessageTemplate
{
public:
    static constexpr qsizetype kMaxOptionsBytes = qsizetype(64) * 1024;

    static Result<MessageTemplate, PartError> compile(const MessageParts &parts,
                                                      const Limits &limits = {});
    // Compiles, and when `sample` is given (an example event) renders against it: a missing
    // variable the sample shows is an error now rather than at delivery.
    static Result<MessageTemplate, PartError> validate(const MessageParts &parts,
                                                       const QJsonObject *sample);

    // The message for one event; `to` stays empty (the caller renders the recipient).
    Result<adapters::Message, PartError> render(const QJsonValue &event) const;

private:
    Result<QJsonValue, PartError> renderOptions(const QJsonValue &value, const QString &part,
                                                const QJsonValue &event) const;

    Template m_subject;
    Template m_text;
    Template m_html;
    QJsonObject m_options;
    QHash<QString, Template> m_optionTemplates; // by part name: "options.data.id"
};

} // namespace ferry::agent::templates
