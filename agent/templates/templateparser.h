#pragma once

#include "agent/templates/template.h"

#include <QList>

namespace ferry::agent::templates {

// Turns template text into nodes (Template::compile's first step). Every error starts with the
// line and column of the tag at fault ("3:5: …"), or names where an unclosed block was opened.
class TemplateParser
{
public:
    TemplateParser(const QString &source, const Limits &limits);

    Result<std::vector<TemplateNode>> parse();

private:
    struct OpenBlock
    {
        TemplateNode node;
        QString tag; // as written, such as "{{#each items}}"
        bool inElse = false;
    };

    Result<void> tag(qsizetype start);
    Result<void> openBlock(const QString &content, int line, int column);
    Result<void> closeBlock(const QString &content, int line, int column);
    Result<void> elseTag(int line, int column);
    Result<TemplatePath> path(const QString &text, int line, int column) const;
    std::vector<TemplateNode> &current();
    void appendText(qsizetype from, qsizetype to);
    void locate(qsizetype index, int *line, int *column) const;
    static Error error(int line, int column, const QString &what);

    const QString &m_source;
    Limits m_limits;
    QList<qsizetype> m_lineStarts;
    std::vector<TemplateNode> m_root;
    QList<OpenBlock> m_open;
    qsizetype m_pos = 0;
};

} // namespace ferry::agent::templates
