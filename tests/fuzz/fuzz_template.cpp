// Template::compile() and render() on any template and any event. The input is the template's
// text, then a NUL byte and the event as JSON (a fixed sample event when there is no NUL).
// Invariants:
// - compiling and rendering never crash, loop without end or grow past the limits: an
//   accepted template renders at most maxOutputChars characters, or fails;
// - every error says something, and a compile error starts where the fault is ("3:5: ...")
//   or names the limit or the block left open;
// - rendering is a function of its input: twice gives the same result;
// - text without tags comes back as it is;
// - HTML escaping holds: with Escape::Html, a template whose own text has no '<' and that
//   writes nothing raw ({{{ }}}) renders no '<', whatever the event holds.

#include "agent/templates/template.h"
#include "agent/templates/templateparser.h"
#include "tests/fuzz/fuzzcheck.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstddef>
#include <cstdint>

using namespace ferry::agent::templates;

namespace {

constexpr Limits kLimits{4096, 16, 16384, 100000};

const char kSample[] = R"({"specversion":"1.0","id":"e-1","source":"/shop","type":"order.paid",)"
                       R"("data":{"order":42,"customer":{"name":"<Ada & Bob>"},"coupon":"",)"
                       R"("lines":[{"sku":"A-1","price":2.5},{"sku":"'B\"","price":0}]}})";

// True when a node, or one inside it, writes raw or its text holds '<'.
bool mayWriteMarkup(const std::vector<TemplateNode> &nodes)
{
    for (const TemplateNode &n : nodes) {
        if (n.kind == TemplateNode::Kind::Raw || n.text.contains(u'<'))
            return true;
        if (mayWriteMarkup(n.body) || mayWriteMarkup(n.otherwise))
            return true;
    }
    return false;
}

void checkCompileError(const QString &message)
{
    static const QRegularExpression located(QStringLiteral("^\\d+:\\d+: "));
    FUZZ_CHECK(!message.isEmpty());
    FUZZ_CHECK(located.match(message).hasMatch() || message.contains(QStringLiteral("template")) ||
               message.contains(QStringLiteral("opened")));
}

void checkRender(const Template &t, const QJsonValue &event, Escape escape)
{
    const auto once = t.render(event, escape);
    const auto twice = t.render(event, escape);
    FUZZ_CHECK(once.ok() == twice.ok());
    if (!once) {
        FUZZ_CHECK(!once.error().message.isEmpty());
        FUZZ_CHECK(once.error().message == twice.error().message);
        return;
    }
    FUZZ_CHECK(*once == *twice);
    FUZZ_CHECK(once->size() <= kLimits.maxOutputChars);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nul = input.indexOf('\0');
    const QString source = QString::fromUtf8(nul < 0 ? input : input.left(nul));
    const QByteArray json = nul < 0 ? QByteArray(kSample) : input.mid(nul + 1);
    const QJsonValue event = QJsonDocument::fromJson(json).object();

    const auto compiled = Template::compile(source, kLimits);
    if (!compiled) {
        checkCompileError(compiled.error().message);
        return 0;
    }
    checkRender(*compiled, event, Escape::Plain);
    checkRender(*compiled, event, Escape::Html);
    if (!source.contains(QStringLiteral("{{"))) {
        const auto plain = compiled->render(event, Escape::Plain);
        FUZZ_CHECK(plain && *plain == source);
    }
    auto nodes = TemplateParser(source, kLimits).parse();
    FUZZ_CHECK(nodes.ok());
    if (!mayWriteMarkup(*nodes)) {
        const auto html = compiled->render(event, Escape::Html);
        FUZZ_CHECK(!html || !html->contains(u'<'));
    }
    return 0;
}
