// The message template engine: values and dotted paths into the event, HTML escaping (and its
// absence in plain mode and in {{{ }}}), missing variables as errors that name them, loops,
// conditionals, syntax errors with their line and column, and the limits. Then the message
// template: every part with its name in errors, options whose string leaves are templates, and
// validation against a sample event.
#include "agent/templates/messagetemplate.h"
#include "agent/templates/template.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace ferry;
using namespace ferry::agent::templates;
using namespace Qt::StringLiterals;

namespace {

const char *kEvent =
    R"({)"
    R"("id": "evt-1", "type": "order.paid", "source": "/shop",)"
    R"("data": {)"
    R"("customer": {"name": "Ana", "email": "ana@example.com", "vip": true},)"
    R"("total": 42, "rate": 2.5, "note": "", "coupon": null, "zero": 0,)"
    R"("items": [{"sku": "A-1", "qty": 2, "tags": ["new", "red"]},)"
    R"({"sku": "B-2", "qty": 1, "tags": []}],)"
    "\"none\": [], \"empty\": {}, \"evil\": \"<script>alert(\\\"x\\\")</script> Tom & Jerry's\""
    R"(})"
    R"(})";

QJsonObject sampleEvent()
{
    return QJsonDocument::fromJson(kEvent).object();
}

// Compiles and renders; the text, or "ERROR: " and the error.
QString render(const QString &source, Escape escape = Escape::Plain,
               const QJsonObject &e = sampleEvent(), const Limits &limits = {})
{
    auto t = Template::compile(source, limits);
    if (!t)
        return u"COMPILE: "_s + t.error().message;
    auto r = t->render(e, escape);
    return r ? *r : u"ERROR: "_s + r.error().message;
}

} // namespace

class TestTemplateEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void values_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("text only") << u"Hello"_s << u"Hello"_s;
        QTest::newRow("top level")
            << u"{{id}} {{type}} {{source}}"_s << u"evt-1 order.paid /shop"_s;
        QTest::newRow("nested") << u"Hi {{data.customer.name}}!"_s << u"Hi Ana!"_s;
        QTest::newRow("spaces in tag") << u"{{  data.customer.name }}"_s << u"Ana"_s;
        QTest::newRow("integer") << u"{{data.total}}"_s << u"42"_s;
        QTest::newRow("fraction") << u"{{data.rate}}"_s << u"2.5"_s;
        QTest::newRow("boolean") << u"{{data.customer.vip}}"_s << u"true"_s;
        QTest::newRow("empty string is a value") << u"[{{data.note}}]"_s << u"[]"_s;
        QTest::newRow("array index") << u"{{data.items.1.sku}}"_s << u"B-2"_s;
        QTest::newRow("comment") << u"a{{! not shown }}b"_s << u"ab"_s;
        QTest::newRow("single braces") << u"{ {x} }"_s << u"{ {x} }"_s;
        QTest::newRow("lines kept") << u"a\n{{id}}\nb"_s << u"a\nevt-1\nb"_s;
    }
    void values()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QCOMPARE(render(source), expected);
    }

    void htmlEscaping()
    {
        const QString escaped =
            u"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s"_s;
        const QString raw = u"<script>alert(\"x\")</script> Tom & Jerry's"_s;
        QCOMPARE(render(u"{{data.evil}}"_s, Escape::Html), escaped);
        QCOMPARE(render(u"{{data.evil}}"_s, Escape::Plain), raw);
        QCOMPARE(render(u"{{{data.evil}}}"_s, Escape::Html), raw);
        QCOMPARE(render(u"{{{ data.evil }}}"_s, Escape::Plain), raw);
        // The template's own text is the author's HTML: never escaped.
        QCOMPARE(render(u"<b>{{data.customer.name}}</b> & co"_s, Escape::Html),
                 u"<b>Ana</b> & co"_s);
        // Loop items are escaped like any value.
        QJsonObject e = sampleEvent();
        e.insert(u"list"_s, QJsonArray{u"<i>"_s, u"a&b"_s});
        QCOMPARE(render(u"{{#each list}}{{this}};{{/each}}"_s, Escape::Html, e),
                 u"&lt;i&gt;;a&amp;b;"_s);
    }

    void missingVariables_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("error");
        QTest::newRow("top level") << u"Hi {{name}}"_s << u"missing variable name at 1:4"_s;
        QTest::newRow("nested") << u"Dear {{data.customer.surname}},"_s
                                << u"missing variable data.customer.surname at 1:6"_s;
        QTest::newRow("below a string") << u"{{data.customer.name.first}}"_s
                                        << u"missing variable data.customer.name.first at 1:1"_s;
        QTest::newRow("index out of range")
            << u"{{data.items.2.sku}}"_s << u"missing variable data.items.2.sku at 1:1"_s;
        QTest::newRow("on line 2")
            << u"x\n  {{data.nope}}"_s << u"missing variable data.nope at 2:3"_s;
        QTest::newRow("null") << u"{{data.coupon}}"_s << u"variable data.coupon is null at 1:1"_s;
        QTest::newRow("raw") << u"{{{data.nope}}}"_s << u"missing variable data.nope at 1:1"_s;
        QTest::newRow("loop item")
            << u"{{#each data.items}}{{this.sku}} {{this.price}}\n{{/each}}"_s
            << u"missing variable this.price at 1:34 (in item 0 of data.items)"_s;
        QTest::newRow("event path in a loop")
            << u"{{#each data.items}}{{data.nope}}{{/each}}"_s
            << u"missing variable data.nope at 1:21 (in item 0 of data.items)"_s;
        QTest::newRow("each of missing")
            << u"{{#each data.lines}}x{{/each}}"_s << u"missing variable data.lines at 1:1"_s;
        QTest::newRow("object as a value")
            << u"{{data.customer}}"_s
            << u"variable data.customer at 1:1 is an object, not a value"_s;
        QTest::newRow("array as a value")
            << u"{{data.items}}"_s << u"variable data.items at 1:1 is an array, not a value"_s;
        QTest::newRow("each over an object")
            << u"{{#each data.customer}}x{{/each}}"_s
            << u"{{#each data.customer}} at 1:1: data.customer is an object, not an array"_s;
    }
    void missingVariables()
    {
        QFETCH(QString, source);
        QFETCH(QString, error);
        const QString r = render(source);
        QVERIFY2(r.startsWith("ERROR: "_L1) && r.contains(error), qPrintable(r));
    }

    void missingItemFieldNamesTheItem()
    {
        QJsonObject e = sampleEvent();
        e.insert(u"rows"_s, QJsonArray{QJsonObject{{u"a"_s, 1}}, QJsonObject{{u"b"_s, 2}}});
        const QString r = render(u"{{#each rows}}{{this.a}}{{/each}}"_s, Escape::Plain, e);
        QCOMPARE(r, u"ERROR: missing variable this.a at 1:15 (in item 1 of rows)"_s);
    }

    void loops()
    {
        QCOMPARE(render(u"{{#each data.items}}{{@index}}:{{this.sku}}x{{this.qty}} {{/each}}"_s),
                 u"0:A-1x2 1:B-2x1 "_s);
        QCOMPARE(render(u"[{{#each data.none}}never {{nope}}{{/each}}]"_s), u"[]"_s);
        QCOMPARE(render(u"{{#each data.none}}x{{else}}no items{{/each}}"_s), u"no items"_s);
        QCOMPARE(render(u"{{#each data.items}}{{this.sku}}{{else}}none{{/each}}"_s), u"A-1B-2"_s);
        // Nested: `this` and @index are the innermost loop's.
        QCOMPARE(render(u"{{#each data.items}}{{this.sku}}({{#each this.tags}}{{@index}}={{this}}"
                        ",{{else}}-{{/each}}) {{/each}}"_s),
                 u"A-1(0=new,1=red,) B-2(-) "_s);
        // The event is reachable from inside a loop.
        QCOMPARE(render(u"{{#each data.items}}{{data.customer.name}}{{/each}}"_s), u"AnaAna"_s);
        // Scalars as items.
        QJsonObject e = sampleEvent();
        e.insert(u"n"_s, QJsonArray{1, 2.5, true, u"s"_s});
        QCOMPARE(render(u"{{#each n}}{{this}} {{/each}}"_s, Escape::Plain, e), u"1 2.5 true s "_s);
        QCOMPARE(render(u"{{#each data.items}}{{this}}{{/each}}"_s).left(36),
                 u"ERROR: variable this at 1:21 is an o"_s);
    }

    void conditionals_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("truthy");
        QTest::newRow("non-empty string") << u"data.customer.name"_s << true;
        QTest::newRow("empty string") << u"data.note"_s << false;
        QTest::newRow("non-zero number") << u"data.total"_s << true;
        QTest::newRow("fraction") << u"data.rate"_s << true;
        QTest::newRow("zero") << u"data.zero"_s << false;
        QTest::newRow("true") << u"data.customer.vip"_s << true;
        QTest::newRow("non-empty array") << u"data.items"_s << true;
        QTest::newRow("empty array") << u"data.none"_s << false;
        QTest::newRow("non-empty object") << u"data.customer"_s << true;
        QTest::newRow("empty object") << u"data.empty"_s << false;
        QTest::newRow("null") << u"data.coupon"_s << false;
        QTest::newRow("missing") << u"data.nothing.here"_s << false;
    }
    void conditionals()
    {
        QFETCH(QString, path);
        QFETCH(bool, truthy);
        QCOMPARE(render(u"{{#if %1}}yes{{else}}no{{/if}}"_s.arg(path)),
                 truthy ? u"yes"_s : u"no"_s);
        QCOMPARE(render(u"[{{#if %1}}yes{{/if}}]"_s.arg(path)), truthy ? u"[yes]"_s : u"[]"_s);
    }

    void conditionalsRenderOnlyTheirBranch()
    {
        // The branch not taken may name variables the event does not have.
        QCOMPARE(render(u"{{#if data.coupon}}{{data.coupon.code}}{{else}}none{{/if}}"_s),
                 u"none"_s);
        QCOMPARE(render(u"{{#each data.items}}{{#if this.tags}}{{this.sku}} has tags{{else}}"
                        "{{this.sku}} has none{{/if}}; {{/each}}"_s),
                 u"A-1 has tags; B-2 has none; "_s);
        QVERIFY(render(u"{{#if data.total}}{{data.nope}}{{/if}}"_s).startsWith("ERROR: "_L1));
    }

    void syntaxErrors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("error");
        QTest::newRow("unclosed each")
            << u"Hello\n\n    {{#each items}}\n  {{this}}\n"_s
            << u"unclosed {{#each items}} opened at 3:5: close it with {{/each}}"_s;
        QTest::newRow("unclosed if inside each")
            << u"{{#each a}}{{#if this}}x{{/each}}"_s
            << u"1:25: {{/each}} does not close {{#if this}} opened at 1:12"_s;
        QTest::newRow("unclosed tag")
            << u"ab\ncd {{name"_s << u"2:4: unclosed tag {{: end it with }}"_s;
        QTest::newRow("unclosed raw tag")
            << u"{{{name}}"_s << u"1:1: unclosed tag {{{: end it with }}}"_s;
        QTest::newRow("empty tag") << u"a {{ }}"_s << u"1:3: empty tag"_s;
        QTest::newRow("unknown block")
            << u"{{#for x}}{{/for}}"_s << u"1:1: unknown block {{#for x}}"_s;
        QTest::newRow("unknown closing")
            << u"{{#if x}}{{/for}}"_s << u"1:10: unknown closing tag {{/for}}"_s;
        QTest::newRow("closes nothing") << u"x{{/if}}"_s << u"1:2: {{/if}} closes nothing"_s;
        QTest::newRow("else outside")
            << u"{{else}}"_s << u"1:1: {{else}} outside {{#if}} or {{#each}}"_s;
        QTest::newRow("second else") << u"{{#if a}}1{{else}}2{{else}}3{{/if}}"_s
                                     << u"1:20: a second {{else}} in {{#if a}} opened at 1:1"_s;
        QTest::newRow("if without variable")
            << u"{{#if}}x{{/if}}"_s << u"1:1: {{#if}} needs a variable"_s;
        QTest::newRow("two words")
            << u"{{data.a data.b}}"_s << u"1:1: 'data.a data.b' is not a variable"_s;
        QTest::newRow("empty segment") << u"{{data..a}}"_s << u"1:1: 'data..a' is not a variable"_s;
        QTest::newRow("this outside each")
            << u"{{this.sku}}"_s << u"1:1: {{this.sku}} is only meaningful inside {{#each}}"_s;
        QTest::newRow("@index outside each")
            << u"{{#if a}}{{@index}}{{/if}}"_s
            << u"1:10: {{@index}} is only meaningful inside {{#each}}"_s;
    }
    void syntaxErrors()
    {
        QFETCH(QString, source);
        QFETCH(QString, error);
        auto t = Template::compile(source);
        QVERIFY(!t);
        QVERIFY2(t.error().message.startsWith(error), qPrintable(t.error().message));
    }

    void limits()
    {
        Limits small;
        small.maxTemplateChars = 20;
        QVERIFY(Template::compile(QString(20, u'x'), small));
        auto big = Template::compile(QString(21, u'x'), small);
        QVERIFY(!big);
        QCOMPARE(big.error().message, u"the template has 21 characters; at most 20 are allowed"_s);

        QString deep;
        for (int i = 0; i < 16; ++i)
            deep += u"{{#if a}}"_s;
        for (int i = 0; i < 16; ++i)
            deep += u"{{/if}}"_s;
        QVERIFY(Template::compile(deep));
        auto tooDeep = Template::compile(u"{{#if a}}"_s + deep + u"{{/if}}"_s);
        QVERIFY(!tooDeep);
        QVERIFY2(tooDeep.error().message.contains(u"nested deeper than 16 levels"_s),
                 qPrintable(tooDeep.error().message));
    }

    void outputAndStepLimits()
    {
        QJsonObject e = sampleEvent();
        QJsonArray many;
        for (int i = 0; i < 1000; ++i)
            many.append(i);
        e.insert(u"many"_s, many);
        Limits small;
        small.maxOutputChars = 4000;
        // 1000 items of 1 to 3 digits and a comma: 3890 characters fit, a second pass does not.
        QCOMPARE(render(u"{{#each many}}{{this}},{{/each}}"_s, Escape::Plain, e, small).size(),
                 3890);
        QCOMPARE(render(u"{{#each many}}{{this}},{{/each}}{{#each many}}{{this}},{{/each}}"_s,
                        Escape::Plain, e, small),
                 u"ERROR: the rendered text would be longer than 4000 characters"_s);
        // A loop inside a loop that writes nothing still ends: 1000 × 1000 steps.
        const QString r =
            render(u"{{#each many}}{{#each many}}{{/each}}{{/each}}"_s, Escape::Plain, e);
        QVERIFY2(r.startsWith("ERROR: rendering takes more than 1000000 steps"_L1), qPrintable(r));
        // The default output limit is 256 KiB.
        QJsonObject huge = sampleEvent();
        huge.insert(u"s"_s, QString(100 * 1024, u'x'));
        QVERIFY(render(u"{{s}}{{s}}"_s, Escape::Plain, huge).size() == 200 * 1024);
        QVERIFY(render(u"{{s}}{{s}}{{s}}"_s, Escape::Plain, huge).startsWith("ERROR: "_L1));
    }

    void messageTemplateRendersEveryPart()
    {
        MessageParts parts;
        parts.subject = u"Order {{id}} & more"_s;
        parts.text = u"Dear {{data.customer.name}}: {{data.evil}}"_s;
        parts.html = u"<p>{{data.evil}}</p>"_s;
        parts.options =
            QJsonDocument::fromJson(R"({"template": "order_paid", "language": {"code": "en"},)"
                                    R"("parameters": ["{{data.customer.name}}", "{{data.total}}"],)"
                                    R"("ttl": 60, "urgent": true})")
                .object();
        auto m = MessageTemplate::compile(parts);
        QVERIFY(m);
        auto msg = m->render(sampleEvent());
        QVERIFY2(msg, msg ? "" : qPrintable(msg.error().message()));
        QCOMPARE(msg->subject, u"Order evt-1 & more"_s);
        QCOMPARE(msg->text, u"Dear Ana: <script>alert(\"x\")</script> Tom & Jerry's"_s);
        QCOMPARE(
            msg->html,
            u"<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s</p>"_s);
        QCOMPARE(msg->options.value("template"_L1).toString(), u"order_paid"_s);
        QCOMPARE(msg->options.value("language"_L1).toObject().value("code"_L1).toString(), u"en"_s);
        QCOMPARE(msg->options.value("parameters"_L1).toArray(), (QJsonArray{u"Ana"_s, u"42"_s}));
        QCOMPARE(msg->options.value("ttl"_L1).toInt(), 60);
        QCOMPARE(msg->options.value("urgent"_L1).toBool(), true);
        QVERIFY(msg->to.isEmpty());
    }

    void messageTemplateErrorsNameThePart()
    {
        MessageParts parts;
        parts.text = u"ok"_s;
        parts.html = u"<ul>\n  {{#each data.items}}<li>{{this.sku}}</li>\n</ul>"_s;
        auto bad = MessageTemplate::compile(parts);
        QVERIFY(!bad);
        QCOMPARE(bad.error().part, u"html"_s);
        QCOMPARE(bad.error().problem,
                 u"unclosed {{#each data.items}} opened at 2:3: close it with {{/each}}"_s);

        parts.html.clear();
        parts.options =
            QJsonDocument::fromJson("{\"parameters\": [\"x\", \"{{data.total\"]}").object();
        bad = MessageTemplate::compile(parts);
        QVERIFY(!bad);
        QCOMPARE(bad.error().message(),
                 u"options.parameters[1]: 1:1: unclosed tag {{: end it with }}"_s);

        parts.options =
            QJsonDocument::fromJson(R"({"data": {"order": "{{data.order_id}}"}})").object();
        auto ok = MessageTemplate::compile(parts);
        QVERIFY(ok);
        auto missing = ok->render(sampleEvent());
        QVERIFY(!missing);
        QCOMPARE(missing.error().message(),
                 u"options.data.order: missing variable data.order_id at 1:1"_s);
    }

    void validateAgainstASample()
    {
        MessageParts parts;
        parts.subject = u"Order {{id}}"_s;
        parts.html = u"<p>{{data.customer.name}}</p>\n<p>{{data.customer.phone}}</p>"_s;
        QVERIFY(MessageTemplate::validate(parts, nullptr)); // no sample: compiles, that is all
        const QJsonObject sample = sampleEvent();
        auto v = MessageTemplate::validate(parts, &sample);
        QVERIFY(!v);
        QCOMPARE(v.error().part, u"html"_s);
        QCOMPARE(v.error().problem,
                 u"missing variable data.customer.phone at 2:4 in the sample event"_s);
        parts.html = u"<p>{{data.customer.name}}</p>"_s;
        QVERIFY(MessageTemplate::validate(parts, &sample));

        auto empty = MessageTemplate::validate({}, &sample);
        QVERIFY(!empty);
        QVERIFY(empty.error().problem.contains(u"at least one part"_s));
    }
};

QTEST_GUILESS_MAIN(TestTemplateEngine)
#include "tst_templateengine.moc"
