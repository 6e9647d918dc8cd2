#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QVarLengthArray>

#include <optional>

namespace ferry {

// Derives Qt's compact JSON form of an object without building a QJsonDocument, for the
// inputs where that form is known exactly: a subset of JSON on which
// `QJsonDocument(QJsonDocument::fromJson(body).object()).toJson(QJsonDocument::Compact)` was
// established by experiment against Qt 6.4 (see tests/unit/tst_cloudevent.cpp,
// fastPathMatchesQt). Anything outside the subset is refused, and the caller must use Qt.
//
// Accepted and copied verbatim (Qt prints these tokens unchanged):
// - strings of raw UTF-8 (well-formed, shortest form, no surrogates, at most U+10FFFF; no raw
//   byte below 0x20; no U+FEFF, which Qt drops at the start of a string) with only the escapes
//   Qt writes: \" \\ \b \f \n \r \t and \u00XX in lowercase hex for the other controls
//   (not \u0000);
// - integers of at most 18 digits (no "-0"); decimals without exponent whose last digit is
//   not 0, with at most 15 significant digits and, below 1, at most two zeros after the point;
// - true, false, null; nesting at most 64 deep.
// Rewritten: whitespace (space, tab, CR, LF) is dropped and the members of every object are
// sorted by key, which is how Qt orders them; keys must be printable ASCII without escapes
// (Qt compares those bytewise) and unique (Qt keeps the last of equal keys).
class CompactJsonScanner
{
public:
    enum class Kind { String, Number, True, False, Null, Object, Array };

    // One member of the top-level object. Views point into the scanned body.
    struct Member
    {
        QByteArrayView key; // printable ASCII, no escapes
        Kind kind = Kind::Null;
        QByteArrayView text;  // a string's contents between the quotes, else the whole token
        bool escaped = false; // the string holds a backslash escape
    };

    struct Scan
    {
        // Qt's compact form: the body itself (shared) when it already is that form.
        QByteArray canonical;
        QVarLengthArray<Member, 16> members; // in key order, as in canonical
    };

    // nullopt: not a JSON object, or not inside the subset above; use Qt's parser.
    static std::optional<Scan> scan(const QByteArray &body);

    // The text of a String member (its escapes are the ones listed above).
    static QString decode(const Member &member);
};

} // namespace ferry
