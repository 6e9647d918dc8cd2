#pragma once

#include "agent/ctl/apiclient.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

class QCommandLineParser;

namespace ferry::ctl {

// How ferryctl's API commands print what the agent answers, and the calls they share.

struct Column
{
    QString header;
    QString key; // dotted path into the item
};

// One value as a table cell: "-" for null or empty, yes/no, numbers without a needless
// fraction, arrays and objects as compact JSON.
QString cell(const QJsonValue &v);
// Prints the agent's refusal (its problem text); returns 1.
int refused(const ApiReply &r);
void printTable(const QJsonArray &items, const QList<Column> &columns);
void printObject(const QJsonObject &o, const QString &indent = {});
void printJson(const ApiReply &r);
// `path` with the query parameters of the options that are set (option → parameter).
QString withFilters(const QCommandLineParser &p, const QString &path,
                    const QList<std::pair<QString, QString>> &options);
// GET a list and print it as a table (or JSON with --json), with the next cursor.
int list(const ApiProfile &profile, const QCommandLineParser &p, const QString &path,
         const QList<Column> &columns);
// GET one object and print it.
int show(const ApiProfile &profile, const QCommandLineParser &p, const QString &path);
// Sends `body` with `method` and prints the answer.
int post(const ApiProfile &profile, const QCommandLineParser &p, const QByteArray &method,
         const QString &path, const QJsonObject &body);

} // namespace ferry::ctl
