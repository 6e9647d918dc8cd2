#include "agent/templates/templateparser.h"

#include <QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace ferry::agent::templates {

namespace {

using Kind = TemplateNode::Kind;

QString blockName(Kind kind)
{
    return kind == Kind::If ? u"if"_s : u"each"_s;
}

bool validKey(const QString &key)
{
    static const QRegularExpression valid(u"^[A-Za-z0-9_$-]+$"_s);
    return valid.match(key).hasMatch();
}

} // namespace

TemplateParser::TemplateParser(const QString &source, const Limits &limits)
    : m_source(source)
    , m_limits(limits)
{
    m_lineStarts.append(0);
    for (qsizetype i = 0; i < source.size(); ++i) {
        if (source[i] == u'\n')
            m_lineStarts.append(i + 1);
    }
}

Result<std::vector<TemplateNode>> TemplateParser::parse()
{
    if (m_source.size() > m_limits.maxTemplateChars)
        return makeError(
            u"the template has %1 characters; at most %2 are allowed"_s.arg(m_source.size())
                .arg(m_limits.maxTemplateChars));
    while (m_pos < m_source.size()) {
        const qsizetype start = m_source.indexOf("{{"_L1, m_pos);
        if (start < 0) {
            appendText(m_pos, m_source.size());
            break;
        }
        appendText(m_pos, start);
        if (auto t = tag(start); !t)
            return t.error();
    }
    if (!m_open.isEmpty()) {
        const OpenBlock &open = m_open.last();
        return makeError(u"unclosed %1 opened at %2:%3: close it with {{/%4}}"_s.arg(open.tag)
                             .arg(open.node.line)
                             .arg(open.node.column)
                             .arg(blockName(open.node.kind)));
    }
    return std::move(m_root);
}

// One tag starting at `start` ("{{" or "{{{"); moves m_pos past it.
Result<void> TemplateParser::tag(qsizetype start)
{
    int line = 0;
    int column = 0;
    locate(start, &line, &column);
    const bool raw = m_source.mid(start, 3) == "{{{"_L1;
    const QLatin1StringView close = raw ? "}}}"_L1 : "}}"_L1;
    const qsizetype open = raw ? 3 : 2;
    const qsizetype end = m_source.indexOf(close, start + open);
    if (end < 0)
        return error(
            line, column,
            u"unclosed tag %1: end it with %2"_s.arg(raw ? u"{{{"_s : u"{{"_s, QString(close)));
    const QString content = m_source.mid(start + open, end - start - open).trimmed();
    m_pos = end + close.size();
    if (content.isEmpty())
        return error(line, column, u"empty tag: put a variable in it, such as {{data.id}}"_s);
    if (raw ||
        (content[0] != u'#' && content[0] != u'/' && content[0] != u'!' && content != "else"_L1)) {
        auto p = path(content, line, column);
        if (!p)
            return p.error();
        TemplateNode node{raw ? Kind::Raw : Kind::Value, {}, *p, line, column, {}, {}};
        current().push_back(std::move(node));
        return {};
    }
    if (content[0] == u'!')
        return {}; // a comment
    if (content == "else"_L1)
        return elseTag(line, column);
    return content[0] == u'#' ? openBlock(content, line, column)
                              : closeBlock(content, line, column);
}

Result<void> TemplateParser::openBlock(const QString &content, int line, int column)
{
    const QString keyword = content.mid(1).section(u' ', 0, 0);
    const QString argument = content.mid(1 + keyword.size()).trimmed();
    if (keyword != "if"_L1 && keyword != "each"_L1)
        return error(line, column,
                     u"unknown block {{%1}}: use {{#if path}} or {{#each path}}"_s.arg(content));
    if (argument.isEmpty())
        return error(line, column,
                     u"{{#%1}} needs a variable, such as {{#%1 data.items}}"_s.arg(keyword));
    if (m_open.size() >= m_limits.maxDepth)
        return error(line, column, u"blocks nested deeper than %1 levels"_s.arg(m_limits.maxDepth));
    auto p = path(argument, line, column);
    if (!p)
        return p.error();
    OpenBlock block;
    block.node = {keyword == "if"_L1 ? Kind::If : Kind::Each, {}, *p, line, column, {}, {}};
    block.tag = u"{{"_s + content + u"}}"_s;
    m_open.append(std::move(block));
    return {};
}

Result<void> TemplateParser::closeBlock(const QString &content, int line, int column)
{
    const QString keyword = content.mid(1).trimmed();
    if (keyword != "if"_L1 && keyword != "each"_L1)
        return error(line, column,
                     u"unknown closing tag {{%1}}: use {{/if}} or {{/each}}"_s.arg(content));
    if (m_open.isEmpty())
        return error(line, column,
                     u"{{/%1}} closes nothing: there is no open {{#%1}}"_s.arg(keyword));
    const OpenBlock &top = m_open.last();
    if (blockName(top.node.kind) != keyword)
        return error(line, column,
                     u"{{/%1}} does not close %2 opened at %3:%4: close that "
                     "with {{/%5}} first"_s.arg(keyword, top.tag)
                         .arg(top.node.line)
                         .arg(top.node.column)
                         .arg(blockName(top.node.kind)));
    TemplateNode node = std::move(m_open.last().node);
    m_open.removeLast();
    current().push_back(std::move(node));
    return {};
}

Result<void> TemplateParser::elseTag(int line, int column)
{
    if (m_open.isEmpty())
        return error(line, column, u"{{else}} outside {{#if}} or {{#each}}"_s);
    OpenBlock &top = m_open.last();
    if (top.inElse)
        return error(line, column,
                     u"a second {{else}} in %1 opened at %2:%3"_s.arg(top.tag)
                         .arg(top.node.line)
                         .arg(top.node.column));
    top.inElse = true;
    return {};
}

Result<TemplatePath> TemplateParser::path(const QString &text, int line, int column) const
{
    const bool inLoop = std::any_of(m_open.begin(), m_open.end(),
                                    [](const OpenBlock &b) { return b.node.kind == Kind::Each; });
    TemplatePath p;
    p.text = text;
    if (text == "@index"_L1) {
        p.root = TemplatePath::Root::Index;
    } else {
        p.keys = text.split(u'.');
        if (!std::all_of(p.keys.begin(), p.keys.end(), validKey))
            return error(line, column,
                         u"'%1' is not a variable: write a dotted path such as data.customer.name "
                         "(letters, digits, '_', '-' and '$' between the dots)"_s.arg(text));
        if (p.keys.first() == "this"_L1) {
            p.root = TemplatePath::Root::Item;
            p.keys.removeFirst();
        }
    }
    if (p.root != TemplatePath::Root::Event && !inLoop)
        return error(line, column,
                     u"{{%1}} is only meaningful inside {{#each}}…{{/each}}"_s.arg(text));
    return p;
}

std::vector<TemplateNode> &TemplateParser::current()
{
    if (m_open.isEmpty())
        return m_root;
    OpenBlock &top = m_open.last();
    return top.inElse ? top.node.otherwise : top.node.body;
}

void TemplateParser::appendText(qsizetype from, qsizetype to)
{
    if (to > from)
        current().push_back({Kind::Text, m_source.mid(from, to - from), {}, 0, 0, {}, {}});
    m_pos = to;
}

void TemplateParser::locate(qsizetype index, int *line, int *column) const
{
    const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), index) - 1;
    *line = int(it - m_lineStarts.begin()) + 1;
    *column = int(index - *it) + 1;
}

Error TemplateParser::error(int line, int column, const QString &what)
{
    return makeError(u"%1:%2: %3"_s.arg(line).arg(column).arg(what));
}

} // namespace ferry::agent::templates
