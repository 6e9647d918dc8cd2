#include "agent/ctl/apioutput.h"

#include "agent/app/cliio.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace ferry::ctl {

using agent::err;
using agent::out;

namespace {

QJsonValue pick(const QJsonObject &o, const QString &path)
{
    QJsonValue v = o;
    for (const QString &part : path.split(u'.'))
        v = v.toObject().value(part);
    return v;
}

// A plain table: a header, aligned columns, long cells cut with an ellipsis.

} // namespace

QString cell(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        return u"-"_s;
    case QJsonValue::Bool:
        return v.toBool() ? u"yes"_s : u"no"_s;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 6);
    }
    case QJsonValue::String:
        return v.toString().isEmpty() ? u"-"_s : v.toString();
    case QJsonValue::Array:
    case QJsonValue::Object:
        return QString::fromUtf8(v.isArray()
                                     ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                     : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}

int refused(const ApiReply &r)
{
    err() << "ferryctl: " << r.problemText() << Qt::endl;
    return 1;
}

void printTable(const QJsonArray &items, const QList<Column> &columns)
{
    if (items.isEmpty()) {
        out() << "(none)" << Qt::endl;
        return;
    }
    QList<QStringList> rows;
    QList<qsizetype> widths;
    for (const auto &c : columns)
        widths.append(c.header.size());
    for (const auto &item : items) {
        QStringList row;
        for (qsizetype i = 0; i < columns.size(); ++i) {
            QString text = cell(pick(item.toObject(), columns[i].key)).simplified();
            if (text.size() > 60)
                text = text.left(59) + u'…';
            widths[i] = std::max(widths[i], text.size());
            row.append(text);
        }
        rows.append(row);
    }
    const auto line = [&](const QStringList &cells) {
        QString s;
        for (qsizetype i = 0; i < cells.size(); ++i)
            s += (i + 1 < cells.size() ? cells[i].leftJustified(widths[i] + 2) : cells[i]);
        out() << s << '\n';
    };
    QStringList header;
    for (const auto &c : columns)
        header.append(c.header.toUpper());
    line(header);
    for (const auto &r : rows)
        line(r);
    out().flush();
}

void printObject(const QJsonObject &o, const QString &indent)
{
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (it->isObject()) {
            out() << indent << it.key() << ":\n";
            printObject(it->toObject(), indent + u"  "_s);
        } else {
            out() << indent << it.key() << ": " << cell(*it) << '\n';
        }
    }
    out().flush();
}

void printJson(const ApiReply &r)
{
    out() << QString::fromUtf8(r.body).trimmed() << Qt::endl;
}

// Adds every set filter option to the query.
QString withFilters(const QCommandLineParser &p, const QString &path,
                    const QList<std::pair<QString, QString>> &options)
{
    QUrlQuery q;
    for (const auto &[option, param] : options) {
        if (p.isSet(option))
            q.addQueryItem(param, p.value(option));
    }
    const QString query = q.toString(QUrl::FullyEncoded);
    return query.isEmpty() ? path : path + u'?' + query;
}

int list(const ApiProfile &profile, const QCommandLineParser &p, const QString &path,
         const QList<Column> &columns)
{
    const auto r = apiCall(profile, "GET", path);
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s)) {
        printJson(r);
        return 0;
    }
    const QJsonObject o = r.json().toObject();
    printTable(o.value("items"_L1).toArray(), columns);
    const QString next = o.value("next_cursor"_L1).toString();
    if (!next.isEmpty())
        err() << "more: add --cursor " << next << Qt::endl;
    return 0;
}

int show(const ApiProfile &profile, const QCommandLineParser &p, const QString &path)
{
    const auto r = apiCall(profile, "GET", path);
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s))
        printJson(r);
    else
        printObject(r.json().toObject());
    return 0;
}

int post(const ApiProfile &profile, const QCommandLineParser &p, const QByteArray &method,
         const QString &path, const QJsonObject &body)
{
    const auto r =
        apiCall(profile, method, path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    if (!r.ok())
        return refused(r);
    if (p.isSet(u"json"_s))
        printJson(r);
    else if (!r.body.isEmpty())
        printObject(r.json().toObject());
    return 0;
}

} // namespace ferry::ctl
