#include "agent/templates/template.h"

#include "agent/templates/templateparser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QLocale>

#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace ferry::agent::templates {

namespace {

using Kind = TemplateNode::Kind;

QString escapeHtml(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            out += "&amp;"_L1;
            break;
        case '<':
            out += "&lt;"_L1;
            break;
        case '>':
            out += "&gt;"_L1;
            break;
        case '"':
            out += "&quot;"_L1;
            break;
        case '\'':
            out += "&#39;"_L1;
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    default:
        return u"null"_s;
    }
}

bool truthy(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return v.toBool();
    case QJsonValue::Double:
        return v.toDouble() != 0;
    case QJsonValue::String:
        return !v.toString().isEmpty();
    case QJsonValue::Array:
        return !v.toArray().isEmpty();
    case QJsonValue::Object:
        return !v.toObject().isEmpty();
    default:
        return false;
    }
}

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isBool())
        return v.toBool() ? u"true"_s : u"false"_s;
    const double d = v.toDouble();
    if (std::trunc(d) == d && std::abs(d) < 9.2e18)
        return QString::number(v.toInteger(qint64(d)));
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

// One rendering: the output so far, the {{#each}} items being walked, the step budget.
class Renderer
{
public:
    Renderer(const QJsonValue &event, Escape escape, const Limits &limits)
        : m_event(event)
        , m_escape(escape)
        , m_limits(limits)
    {}

    Result<void> nodes(const std::vector<TemplateNode> &nodes)
    {
        for (const TemplateNode &n : nodes) {
            if (auto r = step(); !r)
                return r;
            if (auto r = node(n); !r)
                return r;
        }
        return {};
    }

    QString take() { return std::move(m_out); }

private:
    struct Frame
    {
        QJsonValue item;
        qsizetype index = 0;
        const TemplateNode *loop = nullptr;
    };

    Result<void> node(const TemplateNode &n)
    {
        switch (n.kind) {
        case Kind::Text:
            return append(n.text);
        case Kind::Value:
        case Kind::Raw:
            return value(n);
        case Kind::If: {
            const auto v = resolve(n.path);
            return nodes(v && truthy(*v) ? n.body : n.otherwise);
        }
        case Kind::Each:
            return each(n);
        }
        return {};
    }

    Result<void> value(const TemplateNode &n)
    {
        const auto v = resolve(n.path);
        if (!v || v->isNull())
            return missing(n, v.has_value());
        if (v->isArray() || v->isObject())
            return makeError(u"variable %1 at %2:%3 is %4, not a value: name one of its fields, "
                             "or walk it with {{#each}}"_s.arg(n.path.text)
                                 .arg(n.line)
                                 .arg(n.column)
                                 .arg(typeName(*v)) +
                             where());
        const QString text = scalarText(*v);
        return append(n.kind == Kind::Value && m_escape == Escape::Html ? escapeHtml(text) : text);
    }

    Result<void> each(const TemplateNode &n)
    {
        const auto v = resolve(n.path);
        if (!v || v->isNull())
            return missing(n, v.has_value());
        if (!v->isArray())
            return makeError(u"{{#each %1}} at %2:%3: %1 is %4, not an array"_s.arg(n.path.text)
                                 .arg(n.line)
                                 .arg(n.column)
                                 .arg(typeName(*v)) +
                             where());
        const QJsonArray items = v->toArray();
        if (items.isEmpty())
            return nodes(n.otherwise);
        for (qsizetype i = 0; i < items.size(); ++i) {
            if (auto r = step(); !r)
                return r;
            m_frames.append({items.at(i), i, &n});
            auto r = nodes(n.body);
            m_frames.removeLast();
            if (!r)
                return r;
        }
        return {};
    }

    Error missing(const TemplateNode &n, bool isNull) const
    {
        return makeError(
            (isNull ? u"variable %1 is null at %2:%3"_s : u"missing variable %1 at %2:%3"_s)
                .arg(n.path.text)
                .arg(n.line)
                .arg(n.column) +
            where());
    }

    // Which item of which {{#each}} the error happened in, if any.
    QString where() const
    {
        if (m_frames.isEmpty())
            return {};
        const Frame &f = m_frames.last();
        return u" (in item %1 of %2)"_s.arg(f.index).arg(f.loop->path.text);
    }

    std::optional<QJsonValue> resolve(const TemplatePath &p) const
    {
        if (p.root == TemplatePath::Root::Index)
            return QJsonValue(m_frames.last().index);
        QJsonValue v = p.root == TemplatePath::Root::Item ? m_frames.last().item : m_event;
        for (const QString &key : p.keys) {
            if (v.isObject() && v.toObject().contains(key)) {
                v = v.toObject().value(key);
                continue;
            }
            bool isIndex = false;
            const qsizetype i = key.toLongLong(&isIndex);
            if (!v.isArray() || !isIndex || i < 0 || i >= v.toArray().size())
                return std::nullopt;
            v = v.toArray().at(i);
        }
        return v;
    }

    // Counts nodes and loop items, so that even loops that write nothing end.
    Result<void> step()
    {
        if (++m_steps > m_limits.maxSteps)
            return makeError(u"rendering takes more than %1 steps: are there nested "
                             "{{#each}} over large arrays?"_s.arg(m_limits.maxSteps));
        return {};
    }

    Result<void> append(const QString &text)
    {
        if (m_out.size() + text.size() > m_limits.maxOutputChars)
            return makeError(u"the rendered text would be longer than %1 characters"_s.arg(
                m_limits.maxOutputChars));
        m_out += text;
        return {};
    }

    const QJsonValue &m_event;
    Escape m_escape;
    const Limits &m_limits;
    QString m_out;
    QList<Frame> m_frames;
    qint64 m_steps = 0;
};

} // namespace

Template::Template()
    : m_nodes(std::make_shared<const std::vector<TemplateNode>>())
{}

Template::Template(std::shared_ptr<const std::vector<TemplateNode>> nodes, const Limits &limits)
    : m_nodes(std::move(nodes))
    , m_limits(limits)
{}

Result<Template> Template::compile(const QString &source, const Limits &limits)
{
    auto nodes = TemplateParser(source, limits).parse();
    if (!nodes)
        return nodes.error();
    return Template(std::make_shared<const std::vector<TemplateNode>>(std::move(*nodes)), limits);
}

Result<QString> Template::render(const QJsonValue &event, Escape escape) const
{
    Renderer renderer(event, escape, m_limits);
    if (auto r = renderer.nodes(*m_nodes); !r)
        return r.error();
    return renderer.take();
}

} // namespace ferry::agent::templates
