#include "shared/cloudevent.h"

#include "shared/compactjsonscanner.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace ferry {

namespace {

Error invalid(const QString &message)
{
    return makeError(message, 400);
}

// One attribute as the checks see it.
struct Attribute
{
    enum class Kind { Absent, Null, String, Scalar, Composite }; // Scalar: number or boolean
    Kind kind = Kind::Absent;
    QString text; // a string's value; empty for the other kinds, like QJsonValue::toString()

    bool isAbsentOrNull() const { return kind == Kind::Absent || kind == Kind::Null; }
};

// The attributes of an event Qt's parser read (fromJson()).
class JsonAttributes
{
public:
    explicit JsonAttributes(const QJsonObject &object)
        : m_object(object)
    {}

    Attribute operator[](QLatin1StringView name) const
    {
        const QJsonValue value = m_object.value(name);
        switch (value.type()) {
        case QJsonValue::Undefined:
            return {};
        case QJsonValue::Null:
            return {Attribute::Kind::Null, {}};
        case QJsonValue::String:
            return {Attribute::Kind::String, value.toString()};
        case QJsonValue::Object:
        case QJsonValue::Array:
            return {Attribute::Kind::Composite, {}};
        default:
            return {Attribute::Kind::Scalar, {}};
        }
    }

    // check(name, isComposite) for every attribute in key order; the first error found.
    template <typename Check> std::optional<Error> firstError(Check check) const
    {
        for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
            if (auto error = check(QStringView(it.key()), it->isObject() || it->isArray()))
                return error;
        }
        return std::nullopt;
    }

private:
    const QJsonObject &m_object;
};

// The top-level members CompactJsonScanner found; only the strings looked up are decoded.
class ScannedAttributes
{
public:
    explicit ScannedAttributes(const CompactJsonScanner::Scan &scan)
        : m_members(scan.members)
    {}

    Attribute operator[](QLatin1StringView name) const
    {
        using Kind = CompactJsonScanner::Kind;
        const QByteArrayView key(name.data(), name.size());
        for (const auto &member : m_members) {
            if (member.key != key)
                continue;
            switch (member.kind) {
            case Kind::String:
                return {Attribute::Kind::String, CompactJsonScanner::decode(member)};
            case Kind::Null:
                return {Attribute::Kind::Null, {}};
            case Kind::Object:
            case Kind::Array:
                return {Attribute::Kind::Composite, {}};
            default:
                return {Attribute::Kind::Scalar, {}};
            }
        }
        return {};
    }

    template <typename Check> std::optional<Error> firstError(Check check) const
    {
        using Kind = CompactJsonScanner::Kind;
        for (const auto &member : m_members) { // in key order, as Qt's
            const bool composite = member.kind == Kind::Object || member.kind == Kind::Array;
            if (auto error = check(QLatin1StringView(member.key), composite))
                return error;
        }
        return std::nullopt;
    }

private:
    const QVarLengthArray<CompactJsonScanner::Member, 16> &m_members;
};

// Reads a required or optional string attribute; an empty string counts as missing.
Result<QString> stringAttribute(const Attribute &attribute, QLatin1StringView name, bool required)
{
    if (attribute.isAbsentOrNull()) {
        if (required)
            return invalid(u"missing required attribute '%1': every CloudEvent needs "
                           "specversion, id, source and type"_s.arg(name));
        return QString();
    }
    if (attribute.kind != Attribute::Kind::String)
        return invalid(u"attribute '%1' must be a string"_s.arg(name));
    if (required && attribute.text.isEmpty())
        return invalid(u"attribute '%1' must not be empty"_s.arg(name));
    return attribute.text;
}

// PostgreSQL cannot store U+0000 in text or jsonb: such an event is refused here, with a
// clear message, rather than failing the transaction it would share with other events.
bool containsNul(const QJsonValue &v)
{
    if (v.isString())
        return v.toString().contains(QChar(0));
    if (v.isArray()) {
        for (const auto &item : v.toArray()) {
            if (containsNul(item))
                return true;
        }
    }
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (it.key().contains(QChar(0)) || containsNul(it.value()))
                return true;
        }
    }
    return false;
}

constexpr qsizetype kMaxAttributeLength = 1024;

char16_t codeUnit(QChar c)
{
    return c.unicode();
}

char16_t codeUnit(char c)
{
    return uchar(c);
}

// Name: QStringView or QLatin1StringView.
template <typename Name> bool isValidExtensionName(Name name)
{
    // 1 to 20 of a-z and 0-9, nothing else (a regular expression with '$' here once let a
    // final "\n" through).
    const auto plain = [](auto c) {
        const char16_t u = codeUnit(c);
        return (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9');
    };
    return name.size() >= 1 && name.size() <= 20 && std::all_of(name.begin(), name.end(), plain);
}

// specversion, id, source and type: present, strings, and what CloudEvents 1.0 asks of them.
std::optional<Error> requiredAttributes(const Attribute &specversion, const Attribute &id,
                                        const Attribute &source, const Attribute &type,
                                        CloudEvent &event)
{
    auto version = stringAttribute(specversion, "specversion"_L1, true);
    if (!version)
        return version.error();
    if (*version != "1.0"_L1)
        return invalid(
            u"attribute 'specversion' is '%1'; Ferry accepts CloudEvents '1.0'"_s.arg(*version));
    auto idText = stringAttribute(id, "id"_L1, true);
    if (!idText)
        return idText.error();
    event.id = *idText;
    auto sourceText = stringAttribute(source, "source"_L1, true);
    if (!sourceText)
        return sourceText.error();
    if (!QUrl(*sourceText, QUrl::StrictMode).isValid())
        return invalid(u"attribute 'source' must be a URI reference, such as "
                       "'/orders/service' or 'https://shop.example/orders'"_s);
    event.source = *sourceText;
    auto typeText = stringAttribute(type, "type"_L1, true);
    if (!typeText)
        return typeText.error();
    event.type = *typeText;
    return std::nullopt;
}

// time is an RFC 3339 timestamp; data_base64 is base64, and never comes with data.
template <typename Attributes> std::optional<Error> checkTimeAndData(const Attributes &attributes)
{
    if (const Attribute time = attributes["time"_L1]; !time.isAbsentOrNull()) {
        if (time.kind != Attribute::Kind::String ||
            !QDateTime::fromString(time.text, Qt::ISODateWithMs).isValid())
            return invalid(u"attribute 'time' must be an RFC 3339 timestamp, such as "
                           "'2026-11-27T09:30:00Z'"_s);
    }
    const Attribute b64 = attributes["data_base64"_L1];
    if (b64.kind == Attribute::Kind::Absent)
        return std::nullopt;
    if (attributes["data"_L1].kind != Attribute::Kind::Absent)
        return invalid(u"an event carries either 'data' or 'data_base64', not both"_s);
    if (b64.kind != Attribute::Kind::String ||
        QByteArray::fromBase64Encoding(b64.text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors)
                .decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return invalid(u"attribute 'data_base64' must be a base64 string"_s);
    return std::nullopt;
}

// Extension attributes: valid names, and scalar values.
template <typename Attributes> std::optional<Error> checkExtensions(const Attributes &attributes)
{
    static constexpr QLatin1StringView known[] = {
        "specversion"_L1, "id"_L1,   "source"_L1,          "type"_L1,       "subject"_L1,
        "time"_L1,        "data"_L1, "datacontenttype"_L1, "dataschema"_L1, "data_base64"_L1};
    const auto extension = [](auto name, bool composite) -> std::optional<Error> {
        if (std::find(std::begin(known), std::end(known), name) != std::end(known))
            return std::nullopt;
        if (!isValidExtensionName(name))
            return invalid(
                u"attribute name '%1' is not valid: CloudEvents attribute names use "
                "only lowercase letters a-z and digits, at most 20 characters"_s.arg(name));
        if (composite)
            return invalid(
                u"extension attribute '%1' must be a string, number or boolean"_s.arg(name));
        return std::nullopt;
    };
    return attributes.firstError(extension);
}

// All of fromJson()'s checks but the one for U+0000, over JsonAttributes or ScannedAttributes;
// sets the attributes, not `json` or `canonical`.
template <typename Attributes> Result<CloudEvent> validate(const Attributes &attributes)
{
    const Attribute id = attributes["id"_L1];
    const Attribute source = attributes["source"_L1];
    const Attribute type = attributes["type"_L1];
    const Attribute subject = attributes["subject"_L1];
    const Attribute partitionKey = attributes["partitionkey"_L1];
    for (const auto &[name, attribute] : {std::pair{"id"_L1, &id},
                                          {"source"_L1, &source},
                                          {"type"_L1, &type},
                                          {"subject"_L1, &subject},
                                          {"partitionkey"_L1, &partitionKey}}) {
        if (attribute->text.size() > kMaxAttributeLength)
            return invalid(u"attribute '%1' is longer than %2 characters"_s.arg(name).arg(
                kMaxAttributeLength));
    }
    CloudEvent event;
    if (auto error = requiredAttributes(attributes["specversion"_L1], id, source, type, event))
        return *error;
    const Attribute dataSchema = attributes["dataschema"_L1];
    const Attribute schemaVersion = attributes["schemaversion"_L1];
    for (const auto &[name, attribute] : {std::pair{"subject"_L1, subject},
                                          {"datacontenttype"_L1, attributes["datacontenttype"_L1]},
                                          {"dataschema"_L1, dataSchema},
                                          {"partitionkey"_L1, partitionKey},
                                          {"schemaversion"_L1, schemaVersion},
                                          {"traceparent"_L1, attributes["traceparent"_L1]}}) {
        if (auto value = stringAttribute(attribute, name, false); !value)
            return value.error();
    }
    event.subject = subject.text;
    event.partitionKey = partitionKey.text;
    event.schemaVersion = schemaVersion.text.isEmpty() ? dataSchema.text : schemaVersion.text;
    if (auto error = checkTimeAndData(attributes))
        return *error;
    if (auto error = checkExtensions(attributes))
        return *error;
    return event;
}

Result<CloudEvent> rawNul()
{
    return invalid(u"the event contains a NUL character (a 0x00 byte or \\u0000), which Ferry "
                   "cannot store; remove it or encode binary data as data_base64"_s);
}

} // namespace

Result<CloudEvent> CloudEvent::parse(const QByteArray &body)
{
    if (body.contains('\0'))
        return rawNul();
    if (auto event = detail::parseFast(body))
        return std::move(*event);
    return detail::parseSlow(body);
}

Result<CloudEvent> CloudEvent::fromJson(const QJsonObject &object, bool mayContainNul)
{
    if (mayContainNul && containsNul(object))
        return rawNul();
    auto event = validate(JsonAttributes(object));
    if (event) {
        event->json = object;
        event->canonical = QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    return event;
}

namespace detail {

Result<CloudEvent> parseSlow(const QByteArray &body)
{
    if (body.contains('\0'))
        return rawNul();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(u"the body is not valid JSON: %1 at byte %2"_s.arg(
            parseError.errorString(), QString::number(parseError.offset)));
    if (!doc.isObject())
        return invalid(u"the body must be one JSON object (a CloudEvent in structured mode)"_s);
    return CloudEvent::fromJson(doc.object(), body.contains("\\u0000"));
}

std::optional<Result<CloudEvent>> parseFast(const QByteArray &body)
{
    const auto scan = CompactJsonScanner::scan(body);
    if (!scan)
        return std::nullopt;
    // The scanner refuses \u0000, the only way JSON can carry U+0000.
    auto event = validate(ScannedAttributes(*scan));
    if (event)
        event->canonical = scan->canonical;
    return event;
}

} // namespace detail

QByteArray CloudEvent::canonicalJson() const
{
    return canonical.isNull() ? QJsonDocument(json).toJson(QJsonDocument::Compact) : canonical;
}

QByteArray CloudEvent::contentHash() const
{
    // OpenSSL's SHA-256 uses the CPU's SHA instructions: about 2.5 times as fast as
    // QCryptographicHash here, on every ingested event. The one-shot SHA256() looks the
    // algorithm up again on every call (OpenSSL 3), which for a 300-byte event costs more than
    // the hashing: the algorithm is fetched once, and each thread keeps its own context.
    static EVP_MD *const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
        EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    const QByteArray data = canonicalJson();
    QByteArray digest(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(digest.data());
    unsigned int length = 0;
    if (!sha256 || !context || EVP_DigestInit_ex(context.get(), sha256, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.constData(), size_t(data.size())) != 1 ||
        EVP_DigestFinal_ex(context.get(), out, &length) != 1)
        SHA256(reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), out);
    return digest;
}

} // namespace ferry
