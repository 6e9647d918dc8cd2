#include "agent/inbound/signatures.h"

#include "shared/webhooksignature.h"

#include <QJsonValue>
#include <QMessageAuthenticationCode>
#include <QStringList>

#include <openssl/crypto.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace ferry::agent::inbound {

namespace {

using Algorithm = QCryptographicHash::Algorithm;
using Encoding = HmacScheme::Encoding;

Verification verdict(Verdict kind, QString detail)
{
    return Verification{kind, std::move(detail)};
}

Verification valid()
{
    return verdict(Verdict::Valid, u"the signature is valid"_s);
}

Verification malformed(QByteArrayView header, const QString &what)
{
    return verdict(Verdict::Malformed, u"%1 %2"_s.arg(QString::fromLatin1(header), what));
}

Verification noSecret()
{
    return verdict(Verdict::BadSignature,
                   u"no secret is configured for this source, so no signature can match: "
                   "set the provider's signing secret"_s);
}

// Read before anything else: an empty header is Missing, one too long to be genuine Malformed.
std::optional<Verification> headerProblem(QByteArrayView value, QByteArrayView name)
{
    if (value.trimmed().isEmpty())
        return verdict(Verdict::Missing,
                       u"the request has no %1 header"_s.arg(QString::fromLatin1(name)));
    if (value.size() > kMaxHeaderBytes)
        return malformed(name, u"is longer than %1 bytes"_s.arg(kMaxHeaderBytes));
    return std::nullopt;
}

QList<QByteArray> usableSecrets(const QList<QByteArray> &secrets)
{
    QList<QByteArray> usable;
    for (const QByteArray &secret : secrets) {
        if (!secret.isEmpty())
            usable.append(secret);
    }
    return usable;
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Strict, where QByteArray::fromHex skips what is not a hex digit: an odd length or any other
// character gives nothing.
std::optional<QByteArray> decodeHex(QByteArrayView text)
{
    if (text.size() % 2 != 0)
        return std::nullopt;
    QByteArray bytes(text.size() / 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const int high = hexValue(text[2 * i]);
        const int low = hexValue(text[2 * i + 1]);
        if (high < 0 || low < 0)
            return std::nullopt;
        bytes[i] = char(high << 4 | low);
    }
    return bytes;
}

std::optional<QByteArray> decodeBase64(QByteArrayView text)
{
    auto decoded =
        QByteArray::fromBase64Encoding(text.toByteArray(), QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok)
        return std::nullopt;
    return std::move(decoded.decoded);
}

// A digest as sent, decoded; nothing when it does not decode or its length is not the
// algorithm's.
std::optional<QByteArray> decodeDigest(QByteArrayView text, Encoding encoding, Algorithm algorithm)
{
    std::optional<QByteArray> bytes =
        encoding == Encoding::Hex ? decodeHex(text) : decodeBase64(text);
    if (!bytes || bytes->size() != QCryptographicHash::hashLength(algorithm))
        return std::nullopt;
    return bytes;
}

QString digestName(Encoding encoding, Algorithm algorithm)
{
    const QString hash = algorithm == QCryptographicHash::Sha1     ? u"HMAC-SHA1"_s
                         : algorithm == QCryptographicHash::Sha512 ? u"HMAC-SHA512"_s
                                                                   : u"HMAC-SHA256"_s;
    return u"a %1 %2"_s.arg(encoding == Encoding::Hex ? u"hex"_s : u"base64"_s, hash);
}

// Decimal seconds, digits only (no sign, no spaces), at most 18 of them: it fits in a qint64,
// and so do the sums with the tolerance below.
std::optional<qint64> parseSeconds(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    qint64 seconds = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        seconds = seconds * 10 + (c - '0');
    }
    return seconds;
}

std::optional<Verification> timestampProblem(QByteArrayView text, QByteArrayView header,
                                             qint64 nowSeconds, qint64 toleranceSeconds)
{
    const std::optional<qint64> seconds = parseSeconds(text);
    if (!seconds)
        return malformed(header, u"carries a timestamp that is not a number of seconds"_s);
    if (*seconds < nowSeconds - toleranceSeconds || *seconds > nowSeconds + toleranceSeconds)
        return verdict(Verdict::Stale,
                       u"the %1 timestamp is more than %2 seconds away from now: a replayed "
                       "request, or a clock that is off"_s.arg(QString::fromLatin1(header))
                           .arg(toleranceSeconds));
    return std::nullopt;
}

QByteArray hmac(Algorithm algorithm, const QByteArray &key,
                std::initializer_list<QByteArrayView> parts)
{
    QMessageAuthenticationCode mac(algorithm, key);
    for (const QByteArrayView part : parts)
        mac.addData(part.data(), part.size());
    return mac.result();
}

// The lengths are public (the algorithm fixes them); the bytes are compared in constant time.
bool sameDigest(const QByteArray &a, const QByteArray &b)
{
    return a.size() == b.size() &&
           CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

// Whether a given digest is the HMAC of `parts` under one of the secrets. Every pair is
// computed and compared, with no exit on a match, so the time taken does not say which matched.
bool anyMatches(const QList<QByteArray> &given, Algorithm algorithm,
                const QList<QByteArray> &secrets, std::initializer_list<QByteArrayView> parts)
{
    bool match = false;
    for (const QByteArray &secret : secrets) {
        const QByteArray expected = hmac(algorithm, secret, parts);
        for (const QByteArray &digest : given) {
            if (sameDigest(digest, expected))
                match = true;
        }
    }
    return match;
}

// ---- Stripe

struct StripeHeader
{
    QByteArray timestamp;
    QList<QByteArray> signatures; // the v1 digests, decoded
};

Result<StripeHeader, Verification> parseStripeHeader(QByteArrayView header)
{
    StripeHeader parsed;
    bool haveTimestamp = false;
    for (const QByteArray &item : header.toByteArray().split(',')) {
        const qsizetype eq = item.indexOf('=');
        if (eq <= 0)
            return malformed("Stripe-Signature", u"has an element that is not name=value"_s);
        const QByteArray name = item.left(eq).trimmed();
        const QByteArray value = item.mid(eq + 1).trimmed();
        if (name == "t") {
            if (haveTimestamp)
                return malformed("Stripe-Signature", u"has two t= timestamps"_s);
            parsed.timestamp = value;
            haveTimestamp = true;
        } else if (name == "v1") {
            const auto digest = decodeDigest(value, Encoding::Hex, QCryptographicHash::Sha256);
            if (!digest)
                return malformed("Stripe-Signature", u"has a v1 that is not 64 hex digits"_s);
            parsed.signatures.append(*digest);
        }
    }
    if (!haveTimestamp)
        return malformed("Stripe-Signature", u"has no t= timestamp"_s);
    if (parsed.signatures.isEmpty())
        return malformed("Stripe-Signature", u"has no v1 signature"_s);
    return parsed;
}

// ---- Twilio

bool isFormBody(QByteArrayView contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArrayView mediaType = semicolon < 0 ? contentType : contentType.first(semicolon);
    return mediaType.trimmed().compare("application/x-www-form-urlencoded", Qt::CaseInsensitive) ==
           0;
}

QByteArray formDecode(QByteArray text)
{
    text.replace('+', ' ');
    return QByteArray::fromPercentEncoding(text);
}

// The POST parameters as Twilio signs them: sorted by name, then value (byte order), a
// repeated pair once (as Twilio's SDKs do), each written as name then value, no separators.
QByteArray signedFormParameters(QByteArrayView body)
{
    QList<std::pair<QByteArray, QByteArray>> pairs;
    for (const QByteArray &field : body.toByteArray().split('&')) {
        if (field.isEmpty())
            continue;
        const qsizetype eq = field.indexOf('=');
        pairs.append({formDecode(field.left(eq < 0 ? field.size() : eq)),
                      eq < 0 ? QByteArray() : formDecode(field.mid(eq + 1))});
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    QByteArray text;
    for (const auto &[name, value] : pairs)
        text += name + value;
    return text;
}

// The raw values of the query parameter `name` in `url`.
QList<QByteArray> queryValues(QByteArrayView url, QByteArrayView name)
{
    const qsizetype start = url.indexOf('?');
    if (start < 0)
        return {};
    QByteArray query = url.sliced(start + 1).toByteArray();
    if (const qsizetype fragment = query.indexOf('#'); fragment >= 0)
        query.truncate(fragment);
    QList<QByteArray> values;
    for (const QByteArray &field : query.split('&')) {
        if (field.startsWith(name) && field.size() > name.size() && field[name.size()] == '=')
            values.append(field.mid(name.size() + 1));
    }
    return values;
}

// What Twilio's signature covers besides the URL, and for a body that is not a form, the
// SHA-256 of it that the (signed) URL carries.
struct TwilioCoverage
{
    QByteArray parameters;
    std::optional<QByteArray> bodyHash;
};

Result<TwilioCoverage, Verification> twilioCoverage(QByteArrayView url, QByteArrayView contentType,
                                                    QByteArrayView body)
{
    if (isFormBody(contentType))
        return TwilioCoverage{signedFormParameters(body), std::nullopt};
    const QList<QByteArray> hashes = queryValues(url, "bodySHA256");
    if (hashes.isEmpty() && body.isEmpty())
        return TwilioCoverage{};
    if (hashes.isEmpty())
        return verdict(Verdict::Malformed,
                       u"the body is not a form and the URL has no bodySHA256 query parameter, "
                       "so Twilio's signature does not cover the body"_s);
    const std::optional<QByteArray> hash =
        hashes.size() == 1 ? decodeDigest(hashes.first(), Encoding::Hex, QCryptographicHash::Sha256)
                           : std::nullopt;
    if (!hash)
        return verdict(Verdict::Malformed,
                       u"the URL's bodySHA256 query parameter is not one SHA-256 in hex"_s);
    return TwilioCoverage{{}, hash};
}

QByteArray defaultPort(const QByteArray &scheme)
{
    if (scheme == "https")
        return ":443";
    if (scheme == "http")
        return ":80";
    return {};
}

// The URL as given and with its port toggled, as Twilio's SDK tries them: with a port, also
// without it (whatever the port: Twilio drops it when it signs voice callbacks over HTTPS);
// without one, also with the scheme's default port.
QList<QByteArray> twilioUrlCandidates(QByteArrayView given)
{
    const QByteArray url = given.toByteArray();
    const qsizetype schemeEnd = url.indexOf("://");
    if (schemeEnd <= 0)
        return {url};
    const qsizetype authorityStart = schemeEnd + 3;
    qsizetype authorityEnd = authorityStart;
    while (authorityEnd < url.size() && !QByteArrayView("/?#").contains(url[authorityEnd]))
        ++authorityEnd;
    const QByteArray authority = url.mid(authorityStart, authorityEnd - authorityStart);
    // The port's colon comes after any user info and after an IPv6 literal's closing bracket.
    const qsizetype hostStart =
        std::max(authority.lastIndexOf('@') + 1, authority.lastIndexOf(']') + 1);
    const qsizetype colon = authority.indexOf(':', hostStart);
    const QByteArray rest = url.mid(authorityEnd);
    if (colon >= 0)
        return {url, url.left(authorityStart + colon) + rest};
    const QByteArray port = defaultPort(url.left(schemeEnd).toLower());
    if (port.isEmpty())
        return {url};
    return {url, url.left(authorityEnd) + port + rest};
}

// ---- Standard Webhooks

// Each space-separated entry is `version,signature`. Only v1 (HMAC-SHA256) is for the secrets
// Ferry holds; other versions (v1a, asymmetric) are skipped, but there must be one v1.
std::optional<Verification> standardSignatureProblem(QByteArrayView header)
{
    int v1Count = 0;
    for (const QByteArray &entry : header.toByteArray().split(' ')) {
        if (entry.isEmpty())
            continue;
        const qsizetype comma = entry.indexOf(',');
        if (comma <= 0)
            return malformed("webhook-signature", u"has an entry that is not version,signature"_s);
        if (entry.left(comma) != "v1")
            continue;
        if (!decodeDigest(entry.mid(comma + 1), Encoding::Base64, QCryptographicHash::Sha256))
            return malformed("webhook-signature",
                             u"has a v1 signature that is not a base64 HMAC-SHA256"_s);
        ++v1Count;
    }
    if (v1Count == 0)
        return malformed("webhook-signature", u"has no v1 signature"_s);
    return std::nullopt;
}

Verification fromStandard(WebhookSignature::Verdict result, qint64 toleranceSeconds)
{
    switch (result) {
    case WebhookSignature::Verdict::Valid:
        return valid();
    case WebhookSignature::Verdict::StaleTimestamp:
        return verdict(Verdict::Stale,
                       u"the webhook-timestamp timestamp is more than %1 seconds away from now: "
                       "a replayed request, or a clock that is off"_s.arg(toleranceSeconds));
    case WebhookSignature::Verdict::MalformedHeaders:
        return malformed("webhook-timestamp", u"is not a number of seconds"_s);
    case WebhookSignature::Verdict::BadSignature:
        break;
    }
    return verdict(Verdict::BadSignature, u"no v1 signature in webhook-signature matches the "
                                          "request under the configured secrets"_s);
}

// ---- HMAC scheme configuration

const QStringList kHmacFields = {u"header"_s, u"algorithm"_s,        u"encoding"_s,
                                 u"prefix"_s, u"timestamp_header"_s, u"tolerance_seconds"_s};

Error fieldError(const QString &field, const QString &what)
{
    return makeError(u"the HMAC scheme's \"%1\" %2"_s.arg(field, what));
}

Result<QString> stringField(const QJsonObject &json, const QString &field, const QString &fallback)
{
    const QJsonValue value = json.value(field);
    if (value.isUndefined())
        return fallback;
    if (!value.isString())
        return fieldError(field, u"must be a string"_s);
    return value.toString();
}

// An HTTP field name (RFC 9110 token characters), at most 128 of them.
bool isHeaderName(const QString &name)
{
    static const QString extra = u"!#$%&'*+-.^_`|~"_s;
    if (name.isEmpty() || name.size() > 128)
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return c.unicode() < 0x80 && (c.isLetterOrNumber() || extra.contains(c));
    });
}

Result<QByteArray> headerField(const QJsonObject &json, const QString &field,
                               const QString &fallback, bool optional)
{
    const Result<QString> name = stringField(json, field, fallback);
    if (!name)
        return name.error();
    if ((optional && name->isEmpty()) || isHeaderName(*name))
        return name->toLatin1();
    return fieldError(field, u"must be an HTTP header name such as X-Signature (letters, digits "
                             "and -), not \"%1\""_s.arg(*name));
}

Result<Algorithm> algorithmField(const QJsonObject &json)
{
    const Result<QString> name = stringField(json, u"algorithm"_s, u"sha256"_s);
    if (!name)
        return name.error();
    const QString lower = name->toLower();
    if (lower == "sha1"_L1)
        return QCryptographicHash::Sha1;
    if (lower == "sha256"_L1)
        return QCryptographicHash::Sha256;
    if (lower == "sha512"_L1)
        return QCryptographicHash::Sha512;
    return fieldError(u"algorithm"_s, u"must be sha1, sha256 or sha512, not \"%1\""_s.arg(*name));
}

Result<Encoding> encodingField(const QJsonObject &json)
{
    const Result<QString> name = stringField(json, u"encoding"_s, u"hex"_s);
    if (!name)
        return name.error();
    if (name->toLower() == "hex"_L1)
        return Encoding::Hex;
    if (name->toLower() == "base64"_L1)
        return Encoding::Base64;
    return fieldError(u"encoding"_s, u"must be hex or base64, not \"%1\""_s.arg(*name));
}

Result<qint64> toleranceField(const QJsonObject &json)
{
    const QJsonValue value = json.value("tolerance_seconds"_L1);
    if (value.isUndefined())
        return kDefaultToleranceSeconds;
    const qint64 seconds = value.toInteger(-1);
    if (!value.isDouble() || seconds < 1 || seconds > 86400)
        return fieldError(u"tolerance_seconds"_s,
                          u"must be a whole number of seconds from 1 to 86400"_s);
    return seconds;
}

std::optional<Error> unknownField(const QJsonObject &json)
{
    for (const QString &key : json.keys()) {
        if (!kHmacFields.contains(key))
            return makeError(u"the HMAC scheme has no field \"%1\"; its fields are %2"_s.arg(
                key, kHmacFields.join(u", "_s)));
    }
    return std::nullopt;
}

} // namespace

const char *verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Valid:
        return "valid";
    case Verdict::Missing:
        return "missing";
    case Verdict::Malformed:
        return "malformed";
    case Verdict::BadSignature:
        return "bad signature";
    case Verdict::Stale:
        return "stale";
    }
    return "unknown";
}

Verification verifyStripe(QByteArrayView header, QByteArrayView body,
                          const QList<QByteArray> &secrets, qint64 nowSeconds,
                          qint64 toleranceSeconds)
{
    if (auto problem = headerProblem(header, "Stripe-Signature"))
        return *problem;
    const Result<StripeHeader, Verification> parsed = parseStripeHeader(header.trimmed());
    if (!parsed)
        return parsed.error();
    if (auto problem =
            timestampProblem(parsed->timestamp, "Stripe-Signature", nowSeconds, toleranceSeconds))
        return *problem;
    const QList<QByteArray> keys = usableSecrets(secrets);
    if (keys.isEmpty())
        return noSecret();
    if (!anyMatches(parsed->signatures, QCryptographicHash::Sha256, keys,
                    {parsed->timestamp, ".", body}))
        return verdict(Verdict::BadSignature, u"no v1 signature in Stripe-Signature matches the "
                                              "body under the configured signing secrets"_s);
    return valid();
}

Verification verifyTwilio(QByteArrayView header, QByteArrayView url, QByteArrayView contentType,
                          QByteArrayView body, const QList<QByteArray> &authTokens)
{
    if (auto problem = headerProblem(header, "X-Twilio-Signature"))
        return *problem;
    const auto given = decodeDigest(header.trimmed(), Encoding::Base64, QCryptographicHash::Sha1);
    if (!given)
        return malformed("X-Twilio-Signature", u"is not a base64 HMAC-SHA1"_s);
    const Result<TwilioCoverage, Verification> coverage = twilioCoverage(url, contentType, body);
    if (!coverage)
        return coverage.error();
    const QList<QByteArray> tokens = usableSecrets(authTokens);
    if (tokens.isEmpty())
        return noSecret();
    bool match = false;
    for (const QByteArray &candidate : twilioUrlCandidates(url)) {
        if (anyMatches({*given}, QCryptographicHash::Sha1, tokens,
                       {candidate, coverage->parameters}))
            match = true;
    }
    if (!match)
        return verdict(Verdict::BadSignature,
                       u"X-Twilio-Signature does not match the URL and parameters under the "
                       "configured auth tokens; the URL must be the one Twilio called, scheme, "
                       "host, path and query included"_s);
    if (coverage->bodyHash &&
        !sameDigest(QCryptographicHash::hash(body, QCryptographicHash::Sha256),
                    *coverage->bodyHash))
        return verdict(Verdict::BadSignature,
                       u"the body does not match the bodySHA256 that the signature covers"_s);
    return valid();
}

Verification verifyWhatsApp(QByteArrayView header, QByteArrayView body,
                            const QList<QByteArray> &appSecrets)
{
    HmacScheme scheme;
    scheme.header = QByteArrayLiteral("X-Hub-Signature-256");
    scheme.prefix = QByteArrayLiteral("sha256=");
    return verifyHmac(scheme, header, {}, body, appSecrets, 0);
}

Verification verifyStandardWebhooks(QByteArrayView id, QByteArrayView timestamp,
                                    QByteArrayView signatureHeader, QByteArrayView body,
                                    const QList<QByteArray> &secrets, qint64 nowSeconds,
                                    qint64 toleranceSeconds)
{
    if (auto problem = headerProblem(id, "webhook-id"))
        return *problem;
    if (auto problem = headerProblem(timestamp, "webhook-timestamp"))
        return *problem;
    if (auto problem = headerProblem(signatureHeader, "webhook-signature"))
        return *problem;
    if (!parseSeconds(timestamp.trimmed()))
        return malformed("webhook-timestamp", u"is not a number of seconds"_s);
    if (auto problem = standardSignatureProblem(signatureHeader))
        return *problem;
    const QList<QByteArray> keys = usableSecrets(secrets);
    if (keys.isEmpty())
        return noSecret();
    const QByteArray idText = id.trimmed().toByteArray();
    const QByteArray stamp = timestamp.trimmed().toByteArray();
    const QByteArray signatures = signatureHeader.trimmed().toByteArray();
    const QByteArray payload = body.toByteArray();
    // Stale and malformed do not depend on the secret; a match under any secret wins. Every
    // secret is tried, with no exit on a match.
    auto result = WebhookSignature::Verdict::BadSignature;
    for (const QByteArray &secret : keys) {
        const auto outcome = WebhookSignature::verify(secret, idText, stamp, payload, signatures,
                                                      nowSeconds, toleranceSeconds);
        if (outcome != WebhookSignature::Verdict::BadSignature)
            result = outcome;
    }
    return fromStandard(result, toleranceSeconds);
}

Result<HmacScheme> parseHmacScheme(const QJsonObject &json)
{
    if (const std::optional<Error> error = unknownField(json))
        return *error;
    HmacScheme scheme;
    const Result<QByteArray> header = headerField(json, u"header"_s, u"X-Signature"_s, false);
    if (!header)
        return header.error();
    const Result<Algorithm> algorithm = algorithmField(json);
    if (!algorithm)
        return algorithm.error();
    const Result<Encoding> encoding = encodingField(json);
    if (!encoding)
        return encoding.error();
    const Result<QString> prefix = stringField(json, u"prefix"_s, {});
    if (!prefix)
        return prefix.error();
    const Result<QByteArray> timestampHeader = headerField(json, u"timestamp_header"_s, {}, true);
    if (!timestampHeader)
        return timestampHeader.error();
    const Result<qint64> tolerance = toleranceField(json);
    if (!tolerance)
        return tolerance.error();
    scheme.header = *header;
    scheme.algorithm = *algorithm;
    scheme.encoding = *encoding;
    scheme.prefix = prefix->toUtf8();
    scheme.timestampHeader = *timestampHeader;
    scheme.toleranceSeconds = *tolerance;
    return scheme;
}

Verification verifyHmac(const HmacScheme &scheme, QByteArrayView signatureHeaderValue,
                        QByteArrayView timestampHeaderValue, QByteArrayView body,
                        const QList<QByteArray> &secrets, qint64 nowSeconds)
{
    if (auto problem = headerProblem(signatureHeaderValue, scheme.header))
        return *problem;
    const QByteArrayView value = signatureHeaderValue.trimmed();
    if (!value.startsWith(scheme.prefix))
        return malformed(scheme.header,
                         u"does not start with \"%1\""_s.arg(QString::fromUtf8(scheme.prefix)));
    const auto given =
        decodeDigest(value.sliced(scheme.prefix.size()), scheme.encoding, scheme.algorithm);
    if (!given)
        return malformed(scheme.header,
                         u"is not %1"_s.arg(digestName(scheme.encoding, scheme.algorithm)));
    const bool timed = !scheme.timestampHeader.isEmpty();
    const QByteArrayView stamp = timed ? timestampHeaderValue.trimmed() : QByteArrayView();
    if (timed) {
        if (auto problem = headerProblem(timestampHeaderValue, scheme.timestampHeader))
            return *problem;
        if (auto problem = timestampProblem(stamp, scheme.timestampHeader, nowSeconds,
                                            scheme.toleranceSeconds))
            return *problem;
    }
    const QList<QByteArray> keys = usableSecrets(secrets);
    if (keys.isEmpty())
        return noSecret();
    if (!anyMatches({*given}, scheme.algorithm, keys, {stamp, timed ? "." : "", body}))
        return verdict(Verdict::BadSignature,
                       u"%1 does not match the body under the configured secrets"_s.arg(
                           QString::fromLatin1(scheme.header)));
    return valid();
}

} // namespace ferry::agent::inbound
