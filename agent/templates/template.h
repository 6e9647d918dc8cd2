#pragma once

#include "shared/result.h"

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace ferry::agent::templates {

// How far a template may go: its size, how deeply its blocks nest, how much it writes and how
// many steps one rendering may take (an {{#each}} inside an {{#each}} over large arrays).
struct Limits
{
    qsizetype maxTemplateChars = qsizetype(64) * 1024;
    int maxDepth = 16;
    qsizetype maxOutputChars = qsizetype(256) * 1024;
    qint64 maxSteps = 1'000'000;
};

// Whether a rendered value is escaped for HTML (& < > " ' become entities) or written as it is.
// {{{ }}} writes a value as it is in both.
enum class Escape { Plain, Html };

// A dotted path as written in a tag: into the event (`data.customer.name`), into the item of the
// innermost {{#each}} (`this`, `this.price`), or that item's 0-based position (`@index`). A
// segment of digits indexes an array (`data.lines.0.sku`).
struct TemplatePath
{
    enum class Root { Event, Item, Index };
    Root root = Root::Event;
    QStringList keys;
    QString text; // as written, for messages
};

// One piece of a compiled template.
struct TemplateNode
{
    enum class Kind { Text, Value, Raw, If, Each };
    Kind kind = Kind::Text;
    QString text; // Text: the literal text
    TemplatePath path;
    int line = 0; // where the tag starts, 1-based
    int column = 0;
    std::vector<TemplateNode> body;      // If: when true; Each: per item
    std::vector<TemplateNode> otherwise; // {{else}}: If when false; Each when empty
};

// A compiled template of Ferry's Mustache-like syntax (docs/templates.md): {{path}},
// {{{path}}}, {{#if path}}…{{else}}…{{/if}}, {{#each path}}…{{else}}…{{/each}}, {{! comment }}.
// Compiling finds every syntax error with its line and column; rendering never writes a missing
// or null value as an empty string: it fails naming the variable. A copy shares the compiled
// nodes.
class Template
{
public:
    Template(); // empty: renders as ""

    static Result<Template> compile(const QString &source, const Limits &limits = {});

    // Renders against `event` (the CloudEvent as JSON). Errors name the variable and where the
    // tag is, such as "missing variable data.customer.name at 1:7".
    Result<QString> render(const QJsonValue &event, Escape escape) const;

    bool isEmpty() const { return m_nodes->empty(); }

private:
    Template(std::shared_ptr<const std::vector<TemplateNode>> nodes, const Limits &limits);

    std::shared_ptr<const std::vector<TemplateNode>> m_nodes;
    Limits m_limits;
};

} // namespace ferry::agent::templates
