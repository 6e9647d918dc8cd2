#include "shared/cloudevent.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <vector>

using ferry::CloudEvent;
using ferry::Result;
using namespace Qt::StringLiterals;

namespace {

// What Ferry stored before the fast path existed, and must keep storing.
QByteArray qtCompact(const QByteArray &json)
{
    return QJsonDocument(QJsonDocument::fromJson(json).object()).toJson(QJsonDocument::Compact);
}

// Empty when both results are the same outcome, else what differs.
QString difference(const Result<CloudEvent> &a, const Result<CloudEvent> &b)
{
    if (a.ok() != b.ok())
        return u"one succeeded, the other failed: "_s + (a.ok() ? b : a).error().message;
    if (!a.ok()) {
        if (a.error().message != b.error().message || a.error().code != b.error().code)
            return a.error().message + u" <> "_s + b.error().message;
        return {};
    }
    const auto fields = [](const CloudEvent &e) {
        return QStringList{e.id,
                           e.source,
                           e.type,
                           e.subject,
                           e.partitionKey,
                           e.schemaVersion,
                           QString::fromLatin1(e.canonicalJson().toPercentEncoding("{}[]\":,")),
                           QString::fromLatin1(e.contentHash().toHex())};
    };
    if (fields(*a) != fields(*b))
        return fields(*a).join(u'|') + u" <> "_s + fields(*b).join(u'|');
    return {};
}

QByteArray printable(const QByteArray &body)
{
    return body.size() > 600 ? body.left(600).toPercentEncoding("{}[]\":,") + "..."
                             : body.toPercentEncoding("{}[]\":,");
}

// A JSON value as a tree, written out in several equivalent spellings.
struct Value
{
    enum Type { Object, Array, String, Token } type = Token;
    QByteArray token;           // Token: a number, true, false or null, as written
    std::vector<char32_t> text; // String
    std::vector<std::pair<std::vector<char32_t>, Value>> members; // Object
    std::vector<Value> items;                                     // Array
    // Only what the fast path handles, counting the children: then Qt's compact form of the
    // document must take the fast path.
    bool plain = true;

    static Value of(Type type)
    {
        Value v;
        v.type = type;
        return v;
    }
};

// Pseudo-random events, reproducible from the seed.
class EventGenerator
{
public:
    explicit EventGenerator(quint32 seed)
        : m_rng(seed)
    {}

    struct Spelling
    {
        bool space = false; // whitespace between tokens
        // One character in this many spelled otherwise than Qt does (\/, \u0041, \u001F...);
        // 0: none.
        quint32 oddOneIn = 0;
        qsizetype oddAt = -1;       // and the character of all strings at this index
        qsizetype oddNumberAt = -1; // the number at this index replaced by a near miss
    };

    // A valid event, or one with one or two defects, each found by one of the checks; half
    // of them only of what the fast path handles.
    Value event()
    {
        Value e = Value::of(Value::Object);
        m_plainOnly = chance(2);
        const auto set = [&](const char *name, Value v) {
            const auto key = ascii(name);
            for (auto &member : e.members) {
                if (member.first == key) {
                    member.second = std::move(v);
                    return;
                }
            }
            e.members.push_back({key, std::move(v)});
        };
        static const char *const sources[] = {"/bench/ingest", "https://shop.example/orders",
                                              "urn:ferry:test", "orders"};
        set("specversion", str("1.0"));
        set("id", nonEmptyString());
        set("source", str(sources[m_rng.bounded(4)]));
        set("type", chance(2) ? str("order.created") : nonEmptyString());
        static const char *const optional[] = {"subject",      "datacontenttype", "dataschema",
                                               "partitionkey", "schemaversion",   "traceparent"};
        for (const char *name : optional) {
            if (chance(3))
                set(name, chance(8) ? token("null", true) : anyString());
        }
        static const char *const times[] = {"2026-11-27T09:30:00Z", "2026-11-27T09:30:00.123+01:00",
                                            "yesterday", "2026-13-01T00:00:00Z"};
        if (chance(2))
            set("time", chance(8) ? token("null", true) : str(times[m_rng.bounded(2)]));
        switch (m_rng.bounded(3)) {
        case 0:
            set("data", any(0));
            break;
        case 1:
            set("data_base64", str("SGVsbG8sIEZlcnJ5IQ=="));
            break;
        default:
            break;
        }
        static const char *const extensions[] = {"tenant", "region7", "abcdefghijklmnopqrst"};
        for (int n = int(m_rng.bounded(3)); n > 0; --n)
            set(extensions[m_rng.bounded(3)], chance(2) ? anyString() : anyToken());

        for (int defects = chance(2) ? 0 : 1 + int(m_rng.bounded(2)); defects > 0; --defects) {
            static const char *const required[] = {"specversion", "id", "source", "type"};
            static const char *const limited[] = {"id", "source", "type", "subject",
                                                  "partitionkey"};
            switch (m_rng.bounded(m_plainOnly ? 12 : 15)) {
            case 0: { // missing
                const auto key = ascii(required[m_rng.bounded(4)]);
                std::erase_if(e.members, [&](const auto &m) { return m.first == key; });
                break;
            }
            case 1: // not a string, or empty
                set(required[m_rng.bounded(4)], anyScalarOrEmpty());
                break;
            case 2:
                set("specversion", str(chance(2) ? "0.3" : "1"));
                break;
            case 3: // 1024 characters pass, 1025 do not
                set(limited[m_rng.bounded(5)], str(QByteArray(1023 + int(m_rng.bounded(3)), 's')));
                break;
            case 4:
                set("source", str(chance(2) ? "a b%zz" : "http://[::1"));
                break;
            case 5:
                set(optional[m_rng.bounded(6)], anyScalarOrEmpty());
                break;
            case 6:
                set("time", chance(2) ? anyScalarOrEmpty() : str(times[2 + m_rng.bounded(2)]));
                break;
            case 7: // both
                set("data", any(2));
                set("data_base64", str("SGVsbG8sIEZlcnJ5IQ=="));
                break;
            case 8:
                set("data_base64", chance(2) ? str("not base64!") : anyScalarOrEmpty());
                break;
            case 9: {
                // "tenant\n" passes: the regular expression's '$' matches before a final "\n"
                static const char *const names[] = {"Tenant", "a_b", "abcdefghijklmnopqrstu",
                                                    "",       "-",   "tenant\n"};
                set(names[m_rng.bounded(6)], anyString());
                break;
            }
            case 10:
                set(extensions[m_rng.bounded(3)], chance(2) ? any(3) : anyScalarOrEmpty());
                break;
            case 11: // Qt refuses 1024 deep, the fast path goes to 64
                set("data", deep(m_plainOnly ? 63 : 1022 + int(m_rng.bounded(3))));
                break;
            case 12:
                set("data", deep(64 + int(m_rng.bounded(3))));
                break;
            case 13: { // a key outside printable ASCII
                Value v = anyString();
                e.members.push_back({anyKey(false), std::move(v)});
                break;
            }
            default: { // U+0000 or U+FEFF somewhere
                Value v = anyString();
                v.text.insert(v.text.begin() + m_rng.bounded(quint32(v.text.size() + 1)),
                              chance(2) ? 0 : 0xfeff);
                set(optional[m_rng.bounded(6)], std::move(v));
                break;
            }
            }
        }
        std::shuffle(e.members.begin(), e.members.end(), m_rng);
        updatePlain(e);
        return e;
    }

    // The same member twice, with different values (Qt keeps the last).
    void duplicateMember(Value &object)
    {
        if (object.members.empty())
            return;
        const auto &member = object.members[m_rng.bounded(quint32(object.members.size()))];
        object.members.push_back({member.first, chance(2) ? anyString() : any(2)});
        std::swap(object.members.back(),
                  object.members[m_rng.bounded(quint32(object.members.size()))]);
    }

    QByteArray write(const Value &v, Spelling spelling)
    {
        QByteArray out;
        m_characters = 0;
        m_numbers = 0;
        write(v, spelling, out);
        return out;
    }

    // All as Qt writes it (in any member order) but one character or one number: a spelling
    // Qt does not write, or a number near the limits of what the fast path takes.
    QByteArray writeOneOdd(const Value &v)
    {
        write(v, {});
        if (m_numbers > 0 && chance(2))
            return write(v, {false, 0, -1, qsizetype(m_rng.bounded(quint32(m_numbers)))});
        return write(v, {false, 0, qsizetype(m_rng.bounded(quint32(m_characters) + 1)), -1});
    }

    // One random byte-level change: a deletion, an insertion or a replacement.
    QByteArray mutateBytes(QByteArray body)
    {
        static const char pool[] = {'"', '\\', ' ', '{',    '}',    '[',    ',',    ':', '0',
                                    '.', 'e',  'u', '\x80', '\xc0', '\xff', '\x01', '\0'};
        const auto at = qsizetype(m_rng.bounded(quint32(body.size())));
        const char c = pool[m_rng.bounded(quint32(sizeof pool))];
        switch (m_rng.bounded(3)) {
        case 0:
            body.remove(at, 1);
            break;
        case 1:
            body.insert(at, c);
            break;
        default:
            body[at] = c;
            break;
        }
        return body;
    }

    // Ill-formed (or special) UTF-8 right after a quote: inside a string or just outside.
    QByteArray injectUtf8(QByteArray body)
    {
        static const char *const sequences[] = {
            "\xc0\xaf",         // overlong '/'
            "\xe0\x80\xaf",     // overlong, 3 bytes
            "\xf0\x8f\xbf\xbf", // overlong, 4 bytes
            "\xed\xa0\x80",     // a surrogate
            "\xf4\x90\x80\x80", // above U+10FFFF
            "\xc3",             // truncated
            "\x80",             // a lone continuation byte
            "\xff",             // never valid
            "\xf5\x80\x80\x80", // lead byte beyond F4
            "\xef\xbb\xbf",     // U+FEFF, which Qt drops at the start of a string
            "\xef\xbf\xbf",     // U+FFFF, a noncharacter Qt keeps
        };
        qsizetype at = -1;
        for (int tries = 0; tries < 8 && at < 0; ++tries) {
            const auto i = qsizetype(m_rng.bounded(quint32(body.size())));
            at = body.indexOf('"', i);
        }
        if (at < 0)
            at = 0;
        return body.insert(at + 1, sequences[m_rng.bounded(quint32(std::size(sequences)))]);
    }

private:
    bool chance(quint32 oneIn) { return m_rng.bounded(oneIn) == 0; }

    static std::vector<char32_t> ascii(QByteArrayView s)
    {
        return std::vector<char32_t>(s.begin(), s.end());
    }

    static Value str(QByteArrayView s)
    {
        Value v = Value::of(Value::String);
        v.text = ascii(s);
        return v;
    }

    static Value token(QByteArray t, bool plain)
    {
        Value v = Value::of(Value::Token);
        v.token = std::move(t);
        v.plain = plain;
        return v;
    }

    QByteArray digits(int n, bool leadingNonZero = true)
    {
        QByteArray d;
        for (int i = 0; i < n; ++i)
            d += char('0' + (i == 0 && leadingNonZero ? 1 + m_rng.bounded(9) : m_rng.bounded(10)));
        return d;
    }

    QByteArray nonZeroTail(int n) // n digits, the last one not 0
    {
        QByteArray d = digits(n - 1, false);
        return d + char('1' + m_rng.bounded(9));
    }

    QByteArray significand(int n) // n digits, the first and the last not 0
    {
        return n == 1 ? nonZeroTail(1) : digits(1) + nonZeroTail(n - 1);
    }

    // Numbers just inside and just outside what the fast path takes.
    Value nearMiss(const QByteArray &sign)
    {
        switch (m_rng.bounded(7)) {
        case 0:
        case 1: { // from 16 significant digits, Qt may print another number
            const int significant = chance(2) ? 16 : 15 + 2 * int(m_rng.bounded(2));
            const int integer = 1 + int(m_rng.bounded(quint32(significant - 1)));
            return token(sign + digits(integer) + '.' + nonZeroTail(significant - integer),
                         significant <= 15);
        }
        case 2: { // Qt prints 0.001 as it is, 0.0001 as 1e-04
            const int zeros = 2 + int(m_rng.bounded(2));
            return token(sign + "0." + QByteArray(zeros, '0') +
                             significand(1 + int(m_rng.bounded(4))),
                         zeros == 2);
        }
        case 3: // Qt drops the zero
            return token(sign + digits(1 + int(m_rng.bounded(4))) + '.' +
                             digits(int(m_rng.bounded(3)), false) + '0',
                         false);
        case 4: { // 18 digits and qint64 are kept, beyond that Qt prints a double
            const int n = 18 + int(m_rng.bounded(3));
            return token(sign + digits(n), n == 18);
        }
        case 5: // Qt prints 0
            return token(sign + '0', sign.isEmpty());
        default:
            return token(sign + (chance(2) ? "0" : digits(1)) + (chance(2) ? "e" : "E") +
                             digits(1, false),
                         false);
        }
    }

    Value number()
    {
        const QByteArray sign = chance(3) ? "-" : "";
        if (m_plainOnly || chance(3)) { // what the fast path takes (see CompactJsonScanner)
            switch (m_rng.bounded(4)) {
            case 0:
                return token("0", true);
            case 1:
                return token(sign + digits(1 + int(m_rng.bounded(18))), true);
            case 2: {
                const int integer = 1 + int(m_rng.bounded(14));
                const int fraction = 1 + int(m_rng.bounded(quint32(15 - integer)));
                return token(sign + digits(integer) + '.' + nonZeroTail(fraction), true);
            }
            default: { // 0.001 <= |x| < 1
                return token(sign + "0." + QByteArray(int(m_rng.bounded(3)), '0') +
                                 significand(1 + int(m_rng.bounded(15))),
                             true);
            }
            }
        }
        static const char *const odd[] = {"-0",
                                          "1.0",
                                          "1.50",
                                          "1e2",
                                          "1E-3",
                                          "-1.5e+7",
                                          "0.0001",
                                          "0.000012",
                                          "0.00",
                                          "-0.0",
                                          "9223372036854775807",
                                          "-9223372036854775808",
                                          "9223372036854775808",
                                          "-9223372036854775809",
                                          "123456789012345.5",
                                          "0.1234567890123456",
                                          "1e400",
                                          "1.7976931348623157e308",
                                          "5e-324",
                                          "4.9e-324",
                                          "100000000000000000000",
                                          "1.",
                                          ".5",
                                          "01",
                                          "-",
                                          "+1",
                                          "0x10",
                                          "1e",
                                          "2.5E+20",
                                          "1234567890123456789"};
        if (chance(2))
            return token(odd[m_rng.bounded(quint32(std::size(odd)))], false);
        if (chance(4))
            return nearMiss(sign);
        // Any shape: up to 22 digits, a point, an exponent.
        QByteArray t = sign + digits(1 + int(m_rng.bounded(22)), !chance(8));
        if (chance(2))
            t += '.' + digits(int(m_rng.bounded(20)), false);
        if (chance(3))
            t += QByteArray(chance(2) ? "e" : "E") + (chance(2) ? "-" : "+") +
                 digits(1 + int(m_rng.bounded(3)), false);
        return token(t, false);
    }

    char32_t character()
    {
        static const char32_t pool[] = {
            '"',    '\\',   '/',    '\b',   '\f',   '\n',    '\r',    '\t',    0x01,    0x0b,
            0x1a,   0x1f,   0x7f,   0x80,   0xe9,   0x7ff,   0x800,   0x20ac,  0x2028,  0xd7ff,
            0xe000, 0xfdd0, 0xfffd, 0xffff, 0xfffe, 0x10000, 0x1f600, 0x1ffff, 0x10ffff};
        if (chance(2))
            return pool[m_rng.bounded(quint32(std::size(pool)))];
        return char32_t(chance(4) ? 0x20 + m_rng.bounded(0x5f) : 'a' + m_rng.bounded(26));
    }

    // Now and then with U+0000 or U+FEFF, outside events of only what the fast path handles.
    Value anyString()
    {
        Value v = Value::of(Value::String);
        for (int n = int(m_rng.bounded(chance(4) ? 40 : 12)); n > 0; --n)
            v.text.push_back(character());
        if (!m_plainOnly && chance(20))
            v.text.insert(v.text.begin() + m_rng.bounded(quint32(v.text.size() + 1)),
                          chance(2) ? 0 : 0xfeff);
        return v;
    }

    Value nonEmptyString()
    {
        Value v = anyString();
        if (v.text.empty())
            v.text.push_back('x');
        return v;
    }

    std::vector<char32_t> anyKey(bool plain)
    {
        std::vector<char32_t> key;
        for (int n = int(m_rng.bounded(8)); n > 0; --n) {
            char32_t c;
            do
                c = chance(3) ? char32_t(0x20 + m_rng.bounded(0x5f)) : 'a' + m_rng.bounded(26);
            while (c == '"' || c == '\\');
            key.push_back(c);
        }
        if (!plain || (!m_plainOnly && chance(30))) // escapes, non-ASCII: the fast path refuses
            key.insert(key.begin() + m_rng.bounded(quint32(key.size() + 1)),
                       chance(4) ? char32_t(chance(2) ? 0 : 0xfeff) : character());
        return key;
    }

    Value anyToken()
    {
        switch (m_rng.bounded(4)) {
        case 0:
            return token("true", true);
        case 1:
            return token("false", true);
        case 2:
            return token("null", true);
        default:
            return number();
        }
    }

    Value anyScalarOrEmpty()
    {
        switch (m_rng.bounded(4)) {
        case 0:
            return str("");
        case 1:
            return Value::of(Value::Object);
        case 2:
            return Value::of(Value::Array);
        default:
            return anyToken();
        }
    }

    Value any(int depth)
    {
        const quint32 kinds = depth < 5 ? 4 : 2;
        switch (m_rng.bounded(kinds)) {
        case 0:
            return anyString();
        case 1:
            return anyToken();
        case 2: {
            Value v = Value::of(Value::Array);
            for (int n = int(m_rng.bounded(5)); n > 0; --n)
                v.items.push_back(any(depth + 1));
            return v;
        }
        default: {
            Value v = Value::of(Value::Object);
            for (int n = int(m_rng.bounded(6)); n > 0; --n)
                v.members.push_back({anyKey(true), any(depth + 1)});
            dropDuplicates(v);
            return v;
        }
        }
    }

    Value deep(int depth)
    {
        Value v = token("1", true);
        for (int i = 0; i < depth; ++i) {
            Value outer = Value::of(chance(2) ? Value::Array : Value::Object);
            if (outer.type == Value::Array)
                outer.items.push_back(std::move(v));
            else
                outer.members.push_back({ascii("k"), std::move(v)});
            v = std::move(outer);
        }
        return v;
    }

    static void dropDuplicates(Value &object)
    {
        std::vector<std::pair<std::vector<char32_t>, Value>> unique;
        for (auto &m : object.members) {
            if (std::none_of(unique.begin(), unique.end(),
                             [&](const auto &u) { return u.first == m.first; }))
                unique.push_back(std::move(m));
        }
        object.members = std::move(unique);
    }

    static bool isPlainKey(const std::vector<char32_t> &key)
    {
        return std::all_of(key.begin(), key.end(), [](char32_t c) {
            return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        });
    }

    static bool isPlainText(const std::vector<char32_t> &text)
    {
        return std::none_of(text.begin(), text.end(),
                            [](char32_t c) { return c == 0 || c == 0xfeff; });
    }

    // Depth as counted by CompactJsonScanner: the top-level object is 1.
    static bool updatePlain(Value &v, int depth = 1)
    {
        switch (v.type) {
        case Value::Token:
            break;
        case Value::String:
            v.plain = isPlainText(v.text);
            break;
        case Value::Array:
            v.plain = depth <= 64;
            for (auto &item : v.items)
                v.plain = updatePlain(item, depth + 1) && v.plain;
            break;
        case Value::Object:
            v.plain = depth <= 64;
            for (auto &[key, value] : v.members)
                v.plain = isPlainKey(key) && updatePlain(value, depth + 1) && v.plain;
            break;
        }
        return v.plain;
    }

    void space(const Spelling &s, QByteArray &out)
    {
        static const char ws[] = {' ', '\t', '\n', '\r'};
        if (s.space && chance(3)) {
            for (int n = 1 + int(m_rng.bounded(3)); n > 0; --n)
                out += ws[m_rng.bounded(4)];
        }
    }

    static void hex4(QByteArray &out, uint code, bool upper)
    {
        out += "\\u";
        const QByteArray h = QByteArray::number(code, 16).rightJustified(4, '0');
        out += upper ? h.toUpper() : h;
    }

    void writeString(const std::vector<char32_t> &text, const Spelling &s, QByteArray &out)
    {
        out += '"';
        for (const char32_t c : text) {
            const bool odd = m_characters++ == s.oddAt || (s.oddOneIn && chance(s.oddOneIn));
            if (odd) { // a spelling Qt does not write
                const bool upper = chance(2);
                if (c == '/' && chance(2))
                    out += "\\/";
                else if (c < 0x20 && c != 0 && chance(3))
                    out += char(c); // raw: Qt accepts it
                else if (c > 0xffff) {
                    hex4(out, 0xd800 + ((c - 0x10000) >> 10), upper);
                    hex4(out, 0xdc00 + ((c - 0x10000) & 0x3ff), upper);
                } else
                    hex4(out, c, upper);
                continue;
            }
            switch (c) { // as Qt writes it (experiment)
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20)
                    hex4(out, c, false);
                else
                    out += QString::fromUcs4(&c, 1).toUtf8();
            }
        }
        out += '"';
    }

    void write(const Value &v, const Spelling &s, QByteArray &out)
    {
        switch (v.type) {
        case Value::Token:
            if ((v.token[0] == '-' || isdigit(uchar(v.token[0]))) && m_numbers++ == s.oddNumberAt)
                out += nearMiss(chance(2) ? "-" : "").token;
            else
                out += v.token;
            return;
        case Value::String:
            writeString(v.text, s, out);
            return;
        case Value::Array:
            out += '[';
            for (size_t i = 0; i < v.items.size(); ++i) {
                if (i > 0)
                    out += ',';
                space(s, out);
                write(v.items[i], s, out);
                space(s, out);
            }
            out += ']';
            return;
        case Value::Object:
            space(s, out);
            out += '{';
            for (size_t i = 0; i < v.members.size(); ++i) {
                if (i > 0)
                    out += ',';
                space(s, out);
                writeString(v.members[i].first, s, out);
                space(s, out);
                out += ':';
                space(s, out);
                write(v.members[i].second, s, out);
                space(s, out);
            }
            out += '}';
            space(s, out);
            return;
        }
    }

    QRandomGenerator m_rng;
    bool m_plainOnly = false;
    qsizetype m_characters = 0; // of strings written so far
    qsizetype m_numbers = 0;    // written so far
};

// The event of tests/bench/bench_ingest.cpp, in Qt's order, as Ferry's Producer sends it.
const QByteArray kBenchEventSorted =
    R"({"data":{"currency":"EUR","customer":"c-1","items":[{"qty":2,"sku":"SKU-1042"},)"
    R"({"qty":1,"sku":"SKU-2210"}],"note":"xxxx","order":1,"total":"129.90"},)"
    R"("datacontenttype":"application/json","id":"x-1-0000001","source":"/bench/ingest",)"
    R"("specversion":"1.0","time":"2026-11-27T09:30:00Z","type":"order.created"})";
// The same in the order bench_ingest.cpp writes it.
const QByteArray kBenchEventAsGenerated =
    R"({"specversion":"1.0","id":"x-1-0000001","source":"/bench/ingest","type":"order.created",)"
    R"("time":"2026-11-27T09:30:00Z","datacontenttype":"application/json","data":{"order":1,)"
    R"("customer":"c-1","currency":"EUR","total":"129.90","items":[{"sku":"SKU-1042","qty":2},)"
    R"({"sku":"SKU-2210","qty":1}],"note":"xxxx"}})";

} // namespace

class TestCloudEvent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validEvent()
    {
        auto e = CloudEvent::parse(R"({"specversion":"1.0","id":"42","source":"/shop",
            "type":"order.created","partitionkey":"customer-7","data":{"a":1}})");
        QVERIFY2(e.ok(), e.ok() ? "" : qPrintable(e.error().message));
        QCOMPARE(e->id, QStringLiteral("42"));
        QCOMPARE(e->partitionKey, QStringLiteral("customer-7"));
        // The dedupe store keeps this hash across agent versions: it must stay the SHA-256 of
        // the canonical JSON (`printf %s <canonical JSON> | sha256sum`).
        QCOMPARE(e->contentHash(),
                 QCryptographicHash::hash(e->canonicalJson(), QCryptographicHash::Sha256));
        QCOMPARE(e->contentHash().toHex(),
                 QByteArray("7421d91b109ff783e52b06d78f08f58fddbfb47db5e171ff94b346ca10095cf1"));
    }

    void canonicalFormIgnoresKeyOrderAndWhitespace()
    {
        auto a = CloudEvent::parse(R"({"specversion":"1.0","id":"1","source":"/s","type":"t"})");
        auto b =
            CloudEvent::parse(R"({ "type" : "t", "source":"/s",  "id":"1", "specversion":"1.0" })");
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->contentHash(), b->contentHash());
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{nope") << "not valid JSON";
        QTest::newRow("array") << QByteArray("[]") << "one JSON object";
        QTest::newRow("no specversion")
            << QByteArray(R"({"id":"1","source":"/s","type":"t"})") << "'specversion'";
        QTest::newRow("old specversion")
            << QByteArray(R"({"specversion":"0.3","id":"1","source":"/s","type":"t"})") << "'1.0'";
        QTest::newRow("no id") << QByteArray(R"({"specversion":"1.0","source":"/s","type":"t"})")
                               << "'id'";
        QTest::newRow("empty id")
            << QByteArray(R"({"specversion":"1.0","id":"","source":"/s","type":"t"})")
            << "'id' must not be empty";
        QTest::newRow("numeric id")
            << QByteArray(R"({"specversion":"1.0","id":7,"source":"/s","type":"t"})")
            << "'id' must be a string";
        QTest::newRow("no source")
            << QByteArray(R"({"specversion":"1.0","id":"1","type":"t"})") << "'source'";
        QTest::newRow("bad source")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"a b%zz","type":"t"})")
            << "URI reference";
        QTest::newRow("no type") << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s"})")
                                 << "'type'";
        QTest::newRow("bad time")
            << QByteArray(
                   R"({"specversion":"1.0","id":"1","source":"/s","type":"t","time":"yesterday"})")
            << "RFC 3339";
        QTest::newRow("data and data_base64")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s","type":"t","data":1,
                "data_base64":"AA=="})")
            << "not both";
        QTest::newRow("bad extension name")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s","type":"t","Tenant":"x"})")
            << "lowercase";
        QTest::newRow("extension name with a newline")
            << QByteArray("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\","
                          "\"type\":\"t\",\"tenant\\n\":\"x\"}")
            << "lowercase";
        QTest::newRow("object extension")
            << QByteArray(R"({"specversion":"1.0","id":"1","source":"/s","type":"t","ext":{}})")
            << "string, number or boolean";
        // (Built from plain strings: moc does not read raw strings with escapes well.)
        const QByteArray head = "{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\",";
        QTest::newRow("nul in data") << head + "\"id\":\"1\",\"data\":{\"a\":[\"x\\u0000y\"]}}"
                                     << "NUL character";
        QTest::newRow("raw nul byte in data")
            << head + "\"id\":\"1\",\"data\":\"x" + QByteArray(1, '\0') + "y\"}"
            << "NUL character";
        QTest::newRow("raw nul byte in an extension")
            << head + "\"id\":\"1\",\"ext\":\"" + QByteArray(1, '\0') + "\"}"
            << "NUL character";
        QTest::newRow("id too long") << head + "\"id\":\"" + QByteArray(2000, 'i') + "\"}"
                                     << "longer than 1024";
        QTest::newRow("partitionkey not string")
            << QByteArray(
                   R"({"specversion":"1.0","id":"1","source":"/s","type":"t","partitionkey":5})")
            << "'partitionkey' must be a string";
    }

    void invalid()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, mentions);
        auto e = CloudEvent::parse(body);
        QVERIFY(!e.ok());
        QVERIFY2(e.error().message.contains(mentions), qPrintable(e.error().message));
        QCOMPARE(e.error().code, 400);
    }

    // What the fast path relies on, established against Qt 6.4: for each body, parse() must
    // give exactly what Qt's parser and serializer give, by the expected path.
    void fastPathMatchesQt_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("path"); // kQt, kShared (canonical is the body) or kRewritten
        const auto event = [](const QByteArray &data) {
            return "{\"data\":" + data +
                   ",\"id\":\"1\",\"source\":\"/s\",\"specversion\":\"1.0\",\"type\":\"t\"}";
        };
        const auto row = [&](const char *name, const QByteArray &data, int path) {
            QTest::newRow(name) << event(data) << path;
        };
        row("compact", R"({"a":[1,true,false,null,{},[]]})", kShared);
        // Qt sorts ASCII keys bytewise.
        row("keys in byte order", R"({"":0," ":1,"A":2,"_":3,"a":4,"a0":5,"aa":6,"~":7})", kShared);
        row("keys out of order", R"({"b":1,"a":{"d":1,"c":2}})", kRewritten);
        row("whitespace", "[ 1,\t2\r\n]", kRewritten);
        row("duplicate keys (Qt keeps the last)", R"({"a":1,"a":2})", kQt);
        row("duplicate keys out of order", R"({"a":1,"b":2,"a":3})", kQt);
        row("non-ASCII key", "{\"z\":1,\"\xc3\xa9\":2}", kQt);
        row("escaped key", "{\"a\\\"b\":1}", kQt);
        row("DEL in a key", "{\"\x7f\":1}", kQt);
        // Qt writes these escapes, and only these.
        row("Qt's escapes", "\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\"", kShared);
        row("escaped slash (Qt writes /)", "\"\\/\"", kQt);
        row("escaped letter", "\"\\u0041\"", kQt);
        row("uppercase hex (Qt writes lowercase)", "\"\\u001F\"", kQt);
        row("long form of \\n", "\"\\u000a\"", kQt);
        row("escaped surrogate pair (Qt writes UTF-8)", "\"\\ud83d\\ude00\"", kQt);
        row("lone escaped surrogate", "\"\\ud83d\"", kQt);
        row("U+0000 (refused by Ferry)", "\"\\u0000\"", kQt);
        row("raw control character (Qt escapes it)", "\"a\x01z\"", kQt);
        row("raw tab", "\"a\tz\"", kQt);
        row("raw DEL (Qt keeps it)", "\"\x7f\"", kShared);
        row("UTF-8, 2 to 4 bytes, U+2028, noncharacters",
            "\"\xc3\xa9\xe2\x82\xac\xe2\x80\xa8\xef\xbf\xbf\xef\xb7\x90\xf0\x9f\x98\x80"
            "\xf4\x8f\xbf\xbf\"",
            kShared);
        row("U+FEFF first in a string (Qt drops it)",
            "\"\xef\xbb\xbf"
            "a\"",
            kQt);
        row("U+FEFF later in a string", "\"a\xef\xbb\xbf\"", kQt);
        row("overlong UTF-8", "\"\xc0\xaf\"", kQt);
        row("overlong UTF-8, 3 bytes", "\"\xe0\x80\xaf\"", kQt);
        row("UTF-8 surrogate", "\"\xed\xa0\x80\"", kQt);
        row("UTF-8 above U+10FFFF", "\"\xf4\x90\x80\x80\"", kQt);
        row("truncated UTF-8", "\"\xc3\"", kQt);
        // Integers within qint64 print unchanged; decimals of up to 15 significant digits too,
        // unless Qt would use an exponent or drop a trailing zero.
        row("integers", "[0,-5,123456789012345,999999999999999999,-999999999999999999]", kShared);
        row("19 digits (Qt keeps qint64)", "9223372036854775807", kQt);
        row("beyond qint64 (Qt uses a double)", "9223372036854775808", kQt);
        row("-0 (Qt writes 0)", "-0", kQt);
        row("decimals", "[0.1,1.5,-0.5,0.001,-0.00123456789012345,12345678901234.5]", kShared);
        row("1.0 (Qt writes 1)", "1.0", kQt);
        row("1.50 (Qt writes 1.5)", "1.50", kQt);
        row("0.0001 (Qt writes 1e-04)", "0.0001", kQt);
        row("16 significant digits", "1234567890123.456", kQt);
        row("exponent (Qt writes 100)", "1e2", kQt);
        row("1. (Qt writes 1)", "1.", kQt);
        row("invalid number", "01", kQt);
        row("nesting 64 deep", QByteArray(63, '[') + QByteArray(63, ']'), kShared);
        row("nesting 65 deep", QByteArray(64, '[') + QByteArray(64, ']'), kQt);
        const QByteArray valid = event("1");
        QTest::newRow("leading and trailing whitespace") << " " + valid + "\r\n" << kRewritten;
        QTest::newRow("byte order mark first (Qt skips it)") << "\xef\xbb\xbf" + valid << kQt;
        QTest::newRow("form feed (not JSON whitespace)") << valid + "\f" << kQt;
        QTest::newRow("trailing garbage") << valid + "x" << kQt;
        QTest::newRow("two objects") << valid + "{}" << kQt;
        QTest::newRow("an array") << QByteArray("[]") << kQt;
        QTest::newRow("empty") << QByteArray() << kQt;
        QTest::newRow("cut short") << valid.left(valid.size() - 1) << kQt;
        QTest::newRow("invalid event, compact") << QByteArray(R"({"id":"1"})") << kShared;
        QTest::newRow("composite attribute")
            << QByteArray(R"({"id":{"a":1},"source":"/s","specversion":"1.0","type":"t"})")
            << kShared;
        QTest::newRow("composite extension")
            << QByteArray(R"({"ext":[],"id":"1","source":"/s","specversion":"1.0","type":"t"})")
            << kShared;
        QTest::newRow("escaped attribute")
            << QByteArray("{\"id\":\"a\\\"b\\\\c\\n\\u0007\",\"source\":\"/"
                          "s\",\"specversion\":\"1.0\",\"type\":\"t\"}")
            << kShared;
    }

    void fastPathMatchesQt()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, path);
        const auto slow = ferry::detail::parseSlow(body);
        const auto e = CloudEvent::parse(body);
        const QString diff = difference(e, slow);
        QVERIFY2(diff.isEmpty(), qPrintable(diff));
        const auto fast = ferry::detail::parseFast(body);
        QCOMPARE(fast.has_value(), path != kQt);
        if (e.ok() && path != kQt) {
            QCOMPARE(e->canonical.constData() == body.constData(), path == kShared);
            QVERIFY(e->json.isEmpty()); // the fast path leaves it; canonicalJson() does not need it
        }
    }

    void benchmarkEventTakesFastPath()
    {
        const QByteArray sorted = kBenchEventSorted;
        const auto e = CloudEvent::parse(sorted);
        QVERIFY(e.ok());
        QVERIFY(ferry::detail::parseFast(sorted).has_value());
        QVERIFY(e->canonical.constData() == sorted.constData()); // shared, not copied
        QCOMPARE(e->canonicalJson(), qtCompact(sorted));
        QCOMPARE(e->id, u"x-1-0000001"_s);
        QCOMPARE(e->source, u"/bench/ingest"_s);
        QCOMPARE(e->type, u"order.created"_s);

        const QByteArray generated = kBenchEventAsGenerated;
        const auto g = CloudEvent::parse(generated);
        QVERIFY(g.ok());
        QVERIFY(ferry::detail::parseFast(generated).has_value());
        QCOMPARE(g->canonicalJson(), sorted);
        QCOMPARE(g->contentHash(), ferry::detail::parseSlow(generated)->contentHash());
    }

    // Pseudo-random events in Qt's compact form and in other spellings: the fast path must
    // give exactly what Qt gives, and must be taken for what it is meant to handle.
    // FERRY_TEST_SEED and FERRY_TEST_EVENTS explore further.
    void fastPathAgreesWithQtOnRandomEvents()
    {
        const quint32 seed = qEnvironmentVariableIsSet("FERRY_TEST_SEED")
                                 ? qEnvironmentVariable("FERRY_TEST_SEED").toUInt()
                                 : 20261127;
        const int events = qEnvironmentVariableIsSet("FERRY_TEST_EVENTS")
                               ? qEnvironmentVariableIntValue("FERRY_TEST_EVENTS")
                               : 3000;
        EventGenerator gen(seed);
        m_stats = {};
        for (int i = 0; i < events; ++i) {
            const Value e = gen.event();
            const QByteArray written = gen.write(e, {});
            const QByteArray compact = qtCompact(written);
            check(written, e.plain ? kRewritten : kQt);
            check(compact, e.plain ? kShared : kQt);
            check(gen.write(e, {true, 0}), e.plain ? kRewritten : kQt);
            check(gen.write(e, {i % 2 == 0, 4}), kQt);
            check(gen.writeOneOdd(e), kQt);
            Value twice = e;
            gen.duplicateMember(twice);
            if (!twice.members.empty() && twice.members[0].second.type == Value::Object)
                gen.duplicateMember(twice.members[0].second);
            check(gen.write(twice, {i % 3 == 0, 0}), kQt);
            check(gen.injectUtf8(compact), kQt);
            check(gen.mutateBytes(compact), kQt);
            if (QTest::currentTestFailed()) {
                qWarning("seed %u, event %d", seed, i);
                return;
            }
        }
        qInfo("%d inputs: %d valid events; fast path %d (body shared %d), Qt %d", m_stats.inputs,
              m_stats.valid, m_stats.fast, m_stats.shared, m_stats.inputs - m_stats.fast);
        // The generator must produce what the test is about.
        QVERIFY(m_stats.valid > m_stats.inputs / 8);
        QVERIFY(m_stats.shared > events / 8);
        QVERIFY(m_stats.fast - m_stats.shared > events / 4);
        QVERIFY(m_stats.inputs - m_stats.fast > events * 2);
    }

    void benchmarkParse_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("qtOnly");
        QTest::newRow("fast path, Qt's order") << kBenchEventSorted << false;
        QTest::newRow("fast path, bench_ingest's order") << kBenchEventAsGenerated << false;
        QTest::newRow("Qt's parser") << kBenchEventSorted << true;
    }

    // Instructions per parse of the benchmark event: FERRY_BENCHMARK=1 tst_cloudevent
    // -callgrind benchmarkParse (or -tickcounter). Skipped in ordinary runs.
    void benchmarkParse()
    {
        if (!qEnvironmentVariableIsSet("FERRY_BENCHMARK"))
            QSKIP("a measurement: set FERRY_BENCHMARK=1");
        QFETCH(QByteArray, body);
        QFETCH(bool, qtOnly);
        QBENCHMARK
        {
            const auto e = qtOnly ? ferry::detail::parseSlow(body) : CloudEvent::parse(body);
            QVERIFY(e.ok());
        }
    }

private:
    static constexpr int kQt = 0;
    static constexpr int kShared = 1;
    static constexpr int kRewritten = 2;

    struct Stats
    {
        int inputs = 0;
        int valid = 0;
        int fast = 0;
        int shared = 0;
    } m_stats;

    // parse() agrees with Qt on `body`; `path` is kQt where the fast path may or may not be
    // taken, else the path it must take (kShared: when the event is valid, it shares the body).
    void check(const QByteArray &body, int path)
    {
        ++m_stats.inputs;
        const auto slow = ferry::detail::parseSlow(body);
        const auto e = CloudEvent::parse(body);
        const QString diff = difference(e, slow);
        QVERIFY2(diff.isEmpty(),
                 qPrintable(diff + u"\n  body: "_s + QString::fromLatin1(printable(body))));
        const bool fast = ferry::detail::parseFast(body).has_value();
        const bool shared = e.ok() && e->canonical.constData() == body.constData();
        m_stats.valid += slow.ok() ? 1 : 0;
        m_stats.fast += fast ? 1 : 0;
        m_stats.shared += shared ? 1 : 0;
        if (path != kQt)
            QVERIFY2(fast, "the fast path was not taken for " + printable(body));
        if (path == kShared && e.ok())
            QVERIFY2(shared, "canonical does not share " + printable(body));
    }
};

QTEST_GUILESS_MAIN(TestCloudEvent)
#include "tst_cloudevent.moc"
