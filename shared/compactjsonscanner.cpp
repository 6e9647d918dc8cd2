#include "shared/compactjsonscanner.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

namespace ferry {

namespace {

// Qt refuses documents nested 1024 deep; events are far shallower.
constexpr int kMaxDepth = 64;
// Far above what ingest accepts (http.max_body_bytes, zmq.max_message_bytes: 1 MiB by
// default); Qt's parser was checked with 20 MiB.
constexpr qsizetype kMaxBodySize = qsizetype(64) << 20;

enum class Status {
    Ok,
    Rewrite, // valid so far, but not compact or not sorted: scan again, rewriting
    Refuse,  // outside the subset: Qt's parser must decide
};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Printable ASCII but '"' and '\\': taken as they are, in keys and values.
constexpr auto kPlainByte = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7f; ++c)
        plain[size_t(c)] = c != '"' && c != '\\';
    return plain;
}();

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int compareKeys(QByteArrayView a, QByteArrayView b)
{
    // Bytewise, like Qt for ASCII keys (experiment: " " < "A" < "_" < "a" < "a0" < "~").
    return std::string_view(a.data(), size_t(a.size()))
        .compare(std::string_view(b.data(), size_t(b.size())));
}

using Members = QVarLengthArray<CompactJsonScanner::Member, 16>;

// One pass over the body. Without `out` it only checks that the body is already Qt's compact
// form (Status::Rewrite as soon as it is not); with `out` it writes that form there, which is
// never longer than the body (whitespace is dropped, members are reordered).
class Scanner
{
public:
    Scanner(QByteArrayView in, char *out)
        : m_p(in.data())
        , m_end(in.data() + in.size())
        , m_out(out)
        , m_w(out)
    {}

    qsizetype written() const { return m_w - m_out; }

    Status document(Members &top)
    {
        if (auto s = space(); s != Status::Ok)
            return s;
        if (peek() != '{')
            return Status::Refuse;
        if (auto s = object(1, &top); s != Status::Ok)
            return s;
        if (auto s = space(); s != Status::Ok)
            return s;
        return m_p == m_end ? Status::Ok : Status::Refuse;
    }

private:
    char peek() const { return m_p < m_end ? *m_p : '\0'; }

    void put(const char *from, const char *to)
    {
        if (m_out) {
            std::memcpy(m_w, from, size_t(to - from));
            m_w += to - from;
        }
    }

    void put(char c)
    {
        if (m_out)
            *m_w++ = c;
    }

    Status space()
    {
        if (m_p == m_end || !isSpace(*m_p))
            return Status::Ok;
        if (!m_out)
            return Status::Rewrite;
        while (m_p < m_end && isSpace(*m_p))
            ++m_p;
        return Status::Ok;
    }

    Status value(int depth, CompactJsonScanner::Member *member)
    {
        using Kind = CompactJsonScanner::Kind;
        const char *begin = m_p;
        Kind kind;
        Status s;
        bool escaped = false;
        switch (peek()) {
        case '{':
            kind = Kind::Object;
            s = depth < kMaxDepth ? object(depth + 1, nullptr) : Status::Refuse;
            break;
        case '[':
            kind = Kind::Array;
            s = depth < kMaxDepth ? array(depth + 1) : Status::Refuse;
            break;
        case '"':
            kind = Kind::String;
            s = string(false, &escaped);
            if (s == Status::Ok)
                put(begin, m_p);
            break;
        case 't':
            kind = Kind::True;
            s = literal("true");
            break;
        case 'f':
            kind = Kind::False;
            s = literal("false");
            break;
        case 'n':
            kind = Kind::Null;
            s = literal("null");
            break;
        default:
            kind = Kind::Number;
            s = number();
            break;
        }
        if (s == Status::Ok && member) {
            member->kind = kind;
            member->escaped = escaped;
            member->text = kind == Kind::String ? QByteArrayView(begin + 1, m_p - 1)
                                                : QByteArrayView(begin, m_p);
        }
        return s;
    }

    // A member's `"key"` at m_p; `key` is its text, without the quotes.
    Status memberKey(QByteArrayView *key)
    {
        const char *keyBegin = m_p;
        if (peek() != '"')
            return Status::Refuse;
        if (auto s = string(true, nullptr); s != Status::Ok)
            return s;
        *key = QByteArrayView(keyBegin + 1, m_p - 1);
        return Status::Ok;
    }

    // Whether `key` may follow `previous` in an object: a repeated key is refused (Qt keeps the
    // last; not worth handling); one out of order clears `sorted`, or asks for a rewrite when
    // there is no output to sort.
    Status keyAfter(QByteArrayView previous, QByteArrayView key, bool *sorted) const
    {
        const int order = compareKeys(previous, key);
        if (order == 0)
            return Status::Refuse;
        if (order > 0) {
            if (!m_out)
                return Status::Rewrite;
            *sorted = false;
        }
        return Status::Ok;
    }

    // The ':' between a key and its value, with the spaces around it left out.
    Status colon()
    {
        if (auto s = space(); s != Status::Ok)
            return s;
        if (peek() != ':')
            return Status::Refuse;
        ++m_p;
        put(':');
        return space();
    }

    Status object(int depth, Members *top)
    {
        struct Span
        {
            QByteArrayView key;
            qsizetype from; // `"key":value` in m_out
            qsizetype to;
        };
        QVarLengthArray<Span, 16> spans;
        bool sorted = true;
        bool more;
        if (auto s = open('}', &more); s != Status::Ok || !more)
            return s;
        const qsizetype start = written(); // just after '{'
        while (more) {
            QByteArrayView key;
            if (auto s = memberKey(&key); s != Status::Ok)
                return s;
            if (!spans.isEmpty()) {
                if (auto s = keyAfter(spans.last().key, key, &sorted); s != Status::Ok)
                    return s;
            }
            const qsizetype from = written();
            put(key.data() - 1, m_p); // with its quotes
            if (auto s = colon(); s != Status::Ok)
                return s;
            CompactJsonScanner::Member member;
            member.key = key;
            if (auto s = value(depth, top ? &member : nullptr); s != Status::Ok)
                return s;
            if (top)
                top->append(member);
            spans.append({key, from, written()});
            if (auto s = separator('}', &more); s != Status::Ok)
                return s;
        }
        if (!sorted && !sortMembers(start, spans))
            return Status::Refuse;
        put('}');
        return Status::Ok;
    }

    // Puts the members written since `start` in key order; false on a duplicate key.
    template <typename Spans> bool sortMembers(qsizetype start, Spans &spans)
    {
        std::sort(spans.begin(), spans.end(),
                  [](const auto &a, const auto &b) { return compareKeys(a.key, b.key) < 0; });
        QVarLengthArray<char, 1024> members;
        for (qsizetype i = 0; i < spans.size(); ++i) {
            if (i > 0) {
                if (compareKeys(spans[i - 1].key, spans[i].key) == 0)
                    return false;
                members.append(',');
            }
            members.append(m_out + spans[i].from, spans[i].to - spans[i].from);
        }
        std::memcpy(m_out + start, members.constData(), size_t(members.size()));
        return true;
    }

    Status array(int depth)
    {
        bool more;
        if (auto s = open(']', &more); s != Status::Ok || !more)
            return s;
        while (more) {
            if (auto s = value(depth, nullptr); s != Status::Ok)
                return s;
            if (auto s = separator(']', &more); s != Status::Ok)
                return s;
        }
        put(']');
        return Status::Ok;
    }

    // Takes the opening bracket at m_p; when `close` follows, takes and writes it too, and
    // *more is false.
    Status open(char close, bool *more)
    {
        put(*m_p++);
        if (auto s = space(); s != Status::Ok)
            return s;
        *more = peek() != close;
        if (!*more) {
            ++m_p;
            put(close);
        }
        return Status::Ok;
    }

    // After an item or a member: takes a comma (*more) or `close` (not written: the caller
    // writes it).
    Status separator(char close, bool *more)
    {
        if (auto s = space(); s != Status::Ok)
            return s;
        const char c = peek();
        if (c != close && c != ',')
            return Status::Refuse;
        ++m_p;
        *more = c == ',';
        if (!*more)
            return Status::Ok;
        put(',');
        return space();
    }

    Status literal(std::string_view word)
    {
        if (m_end - m_p < qsizetype(word.size()) || std::string_view(m_p, word.size()) != word)
            return Status::Refuse;
        put(m_p, m_p + word.size());
        m_p += word.size();
        return Status::Ok;
    }

    // Integers Qt keeps as qint64 and prints back unchanged, and decimals whose shortest
    // round-trip form is their own text (at most 15 significant digits) and which Qt prints
    // without an exponent (1 <= |x|, or 0.001 <= |x| < 1).
    Status number()
    {
        const char *begin = m_p;
        const bool negative = peek() == '-';
        if (negative)
            ++m_p;
        const char *intBegin = m_p;
        if (!isDigit(peek()))
            return Status::Refuse;
        if (*m_p++ != '0') {
            while (isDigit(peek()))
                ++m_p;
        }
        const qsizetype intDigits = m_p - intBegin;
        const bool zeroInt = *intBegin == '0';
        if (peek() == '.') {
            const char *fracBegin = ++m_p;
            while (isDigit(peek()))
                ++m_p;
            const qsizetype fracDigits = m_p - fracBegin;
            if (fracDigits == 0 || m_p[-1] == '0')
                return Status::Refuse; // "1." and "1.50" print as "1" and "1.5"
            qsizetype significant = intDigits + fracDigits;
            if (zeroInt) {
                const qsizetype zeros =
                    std::find_if(fracBegin, m_p, [](char c) { return c != '0'; }) - fracBegin;
                if (zeros > 2)
                    return Status::Refuse; // 0.0001 prints as 1e-04
                significant = fracDigits - zeros;
            }
            if (significant > 15)
                return Status::Refuse;
        } else if (intDigits > 18 || (negative && zeroInt)) {
            return Status::Refuse; // beyond qint64 Qt uses a double; "-0" prints as "0"
        }
        if (peek() == 'e' || peek() == 'E')
            return Status::Refuse; // 1e2 prints as 100
        put(begin, m_p);
        return Status::Ok;
    }

    // Keys: printable ASCII only, no escapes.
    Status string(bool key, bool *escaped)
    {
        ++m_p;
        for (;;) {
            while (m_p < m_end && kPlainByte[uchar(*m_p)])
                ++m_p;
            if (m_p == m_end)
                return Status::Refuse;
            const auto c = uchar(*m_p);
            if (c == '"') {
                ++m_p;
                return Status::Ok;
            }
            if (c < 0x20)
                return Status::Refuse; // Qt accepts raw controls but prints them escaped
            if (c == '\\') {
                if (key || !escape())
                    return Status::Refuse;
                *escaped = true;
                continue;
            }
            if (c < 0x7f || (c == 0x7f && !key)) {
                ++m_p;
                continue;
            }
            if (key || !utf8Sequence())
                return Status::Refuse;
        }
    }

    // The escapes Qt writes, and nothing else: \u0000 is refused too (Ferry rejects U+0000,
    // and the caller relies on never seeing it).
    bool escape()
    {
        if (m_end - m_p < 2)
            return false;
        switch (m_p[1]) {
        case '"':
        case '\\':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            m_p += 2;
            return true;
        case 'u':
            break;
        default:
            return false;
        }
        if (m_end - m_p < 6 || m_p[2] != '0' || m_p[3] != '0' || (m_p[4] != '0' && m_p[4] != '1'))
            return false;
        const char low = m_p[5];
        int code;
        if (isDigit(low))
            code = low - '0';
        else if (low >= 'a' && low <= 'f')
            code = low - 'a' + 10;
        else
            return false; // Qt writes lowercase hex
        code += m_p[4] == '1' ? 16 : 0;
        if (code == 0 || code == '\b' || code == '\t' || code == '\n' || code == '\f' ||
            code == '\r')
            return false; // \u0000 refused; the others have a short form
        m_p += 6;
        return true;
    }

    // One well-formed UTF-8 sequence of two to four bytes at m_p, except U+FEFF.
    bool utf8Sequence()
    {
        const auto c = uchar(*m_p);
        int continuation;
        uchar low = 0x80;
        uchar high = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            continuation = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            continuation = 2;
            if (c == 0xe0)
                low = 0xa0; // overlong
            if (c == 0xed)
                high = 0x9f; // surrogates
        } else if (c >= 0xf0 && c <= 0xf4) {
            continuation = 3;
            if (c == 0xf0)
                low = 0x90; // overlong
            if (c == 0xf4)
                high = 0x8f; // above U+10FFFF
        } else {
            return false;
        }
        if (m_end - m_p <= continuation)
            return false;
        const auto second = uchar(m_p[1]);
        if (second < low || second > high)
            return false;
        for (int i = 2; i <= continuation; ++i) {
            if ((uchar(m_p[i]) & 0xc0) != 0x80)
                return false;
        }
        // A byte order mark: Qt drops it at the start of a string (experiment), so refuse it
        // anywhere.
        if (c == 0xef && second == 0xbb && uchar(m_p[2]) == 0xbf)
            return false;
        m_p += continuation + 1;
        return true;
    }

    const char *m_p;
    const char *const m_end;
    char *const m_out;
    char *m_w; // the end of what was written to m_out
};

} // namespace

std::optional<CompactJsonScanner::Scan> CompactJsonScanner::scan(const QByteArray &body)
{
    if (body.size() > kMaxBodySize)
        return std::nullopt;
    Scan result;
    switch (Scanner(body, nullptr).document(result.members)) {
    case Status::Ok:
        result.canonical = body;
        return result;
    case Status::Refuse:
        return std::nullopt;
    case Status::Rewrite:
        break;
    }
    result.members.clear();
    QByteArray out(body.size(), Qt::Uninitialized);
    Scanner rewriter(body, out.data());
    if (rewriter.document(result.members) != Status::Ok)
        return std::nullopt;
    out.truncate(rewriter.written());
    result.canonical = std::move(out);
    std::sort(result.members.begin(), result.members.end(),
              [](const Member &a, const Member &b) { return compareKeys(a.key, b.key) < 0; });
    return result;
}

QString CompactJsonScanner::decode(const Member &member)
{
    if (!member.escaped)
        return QString::fromUtf8(member.text);
    const QByteArrayView text = member.text;
    QByteArray raw;
    raw.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            raw.append(text[i]);
            continue;
        }
        static constexpr std::string_view letters = "bfnrt";
        static constexpr std::string_view controls = "\b\f\n\r\t";
        const char c = text[++i];
        if (c == 'u') { // \u00XX, XX < 0x20, lowercase (checked by the scan)
            raw.append(char(QByteArrayView(text.data() + i + 3, 2).toInt(nullptr, 16)));
            i += 4;
        } else if (const auto k = letters.find(c); k != std::string_view::npos) {
            raw.append(controls[k]);
        } else { // '"' or '\\'
            raw.append(c);
        }
    }
    return QString::fromUtf8(raw);
}

} // namespace ferry
