#pragma once

#include "shared/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

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
    // The whole event, as received. Set by fromJson(), and by parse() only when it used Qt's
    // parser: parse()'s fast path leaves it empty. Read the event through canonical instead.
    QJsonObject json;
    QByteArray canonical; // canonicalJson(), computed once by fromJson() and parse()

    // Validates a parsed JSON value as a CloudEvent. Every error names the attribute and says
    // what a valid value looks like.
    // `mayContainNul`: false when the caller knows the raw JSON holds no "\u0000" escape (the
    // only way JSON can carry U+0000), which spares a walk over the whole event.
    static Result<CloudEvent> fromJson(const QJsonObject &object, bool mayContainNul = true);
    // Parses and validates a structured-mode body. Same outcome as fromJson() on Qt's parse of
    // the body, but a body Qt's compact form can be derived from without a DOM (such as
    // Qt-compact JSON, see CompactJsonScanner) is scanned once, and `canonical` shares it when
    // it already is that form.
    static Result<CloudEvent> parse(const QByteArray &body);

    // The compact JSON form used for hashing and delivery (keys sorted, no whitespace).
    QByteArray canonicalJson() const;
    // SHA-256 of canonicalJson(): two posts with the same key are "the same" when this matches.
    QByteArray contentHash() const;
};

namespace detail {
// parse() through Qt's parser and serializer only: the reference the fast path must match.
Result<CloudEvent> parseSlow(const QByteArray &body);
// parse()'s fast path; nullopt when the body is outside what it handles (then parse() calls
// parseSlow()).
std::optional<Result<CloudEvent>> parseFast(const QByteArray &body);
} // namespace detail

} // namespace ferry
