// CompactJsonScanner::scan() on any body. Invariants: whatever it accepts, Qt's parser accepts
// as an object, and the scan's canonical form is byte for byte Qt's compact form; the members
// are the object's, in key order, with their kinds and decoded strings; scanning the canonical
// form again gives it back unchanged.

#include "shared/compactjsonscanner.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cstddef>
#include <cstdint>

using ferry::CompactJsonScanner;

namespace {

bool kindMatches(CompactJsonScanner::Kind kind, const QJsonValue &v)
{
    using K = CompactJsonScanner::Kind;
    switch (kind) {
    case K::String:
        return v.isString();
    case K::Number:
        return v.isDouble();
    case K::True:
        return v.isBool() && v.toBool();
    case K::False:
        return v.isBool() && !v.toBool();
    case K::Null:
        return v.isNull();
    case K::Object:
        return v.isObject();
    case K::Array:
        return v.isArray();
    }
    return false;
}

void checkMembers(const CompactJsonScanner::Scan &scan, const QJsonObject &object)
{
    FUZZ_CHECK(scan.members.size() == object.size());
    for (qsizetype i = 0; i < scan.members.size(); ++i) {
        const auto &m = scan.members[i];
        if (i > 0)
            FUZZ_CHECK(scan.members[i - 1].key < m.key);
        const QString key = QString::fromLatin1(m.key);
        FUZZ_CHECK(object.contains(key));
        const QJsonValue value = object.value(key);
        FUZZ_CHECK(kindMatches(m.kind, value));
        if (m.kind == CompactJsonScanner::Kind::String)
            FUZZ_CHECK(CompactJsonScanner::decode(m) == value.toString());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto scan = CompactJsonScanner::scan(body);
    if (!scan)
        return 0;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && doc.isObject());
    FUZZ_CHECK(scan->canonical == QJsonDocument(doc.object()).toJson(QJsonDocument::Compact));
    checkMembers(*scan, doc.object());
    const QByteArray canonical = scan->canonical;
    const auto again = CompactJsonScanner::scan(canonical);
    FUZZ_CHECK(again && again->canonical == canonical);
    FUZZ_CHECK(again->canonical.constData() == canonical.constData()); // shared, not rewritten
    return 0;
}
