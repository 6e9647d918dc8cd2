#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ferry {

// A CloudEvents 1.0 event in structured JSON mode, validated.
struct CloudEvent
{
    QString id;
    QString source;
    QString type;
    QString subject;
    QString partitionKey;  // CloudEvents partitioning extension `partitionkey`
    QString schemaVersion; // `dataschema`, or the `schemaversion` extension
    QJsonObject json;      // the whole event, as received
    QByteArray canonical;  // canonicalJson(), computed once by fromJson()

    // Validates a parsed JSON value as a CloudEvent. Every error names the attribute and says
    // what a valid value looks like.
    // `mayContainNul`: false when the caller knows the raw JSON holds no "\u0000" escape (the
    // only way JSON can carry U+0000), which spares a walk over the whole event.
    static Result<CloudEvent> fromJson(const QJsonObject &object, bool mayContainNul = true);
    // Parses and validates a structured-mode body.
    static Result<CloudEvent> parse(const QByteArray &body);

    // The compact JSON form used for hashing and delivery (keys sorted, no whitespace).
    QByteArray canonicalJson() const;
    // SHA-256 of canonicalJson(): two posts with the same key are "the same" when this matches.
    QByteArray contentHash() const;
};

} // namespace ferry
