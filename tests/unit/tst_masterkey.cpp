// The credentials master key: sealing round-trips, any change to the sealed value or the wrong
// key is refused, fingerprints depend on the key, and key files are read strictly.
#include "shared/masterkey.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace ferry;
using namespace Qt::StringLiterals;

class TestMasterKey : public QObject
{
    Q_OBJECT

    static MasterKey key(char fill) { return *MasterKey::fromBytes(QByteArray(32, fill)); }

private Q_SLOTS:
    void sealOpensOnlyUnchangedUnderTheSameKey()
    {
        const MasterKey a = key('a'), b = key('b');
        QByteArray nonce;
        const QByteArray sealed = a.seal("top secret", &nonce);
        QCOMPARE(nonce.size(), MasterKey::kNonceBytes);
        QVERIFY(!sealed.contains("top secret"));
        QCOMPARE(*a.open(sealed, nonce), QByteArray("top secret"));
        QVERIFY(!b.open(sealed, nonce));
        QByteArray tampered = sealed;
        tampered[tampered.size() - 1] = char(tampered.back() ^ 1);
        QVERIFY(!a.open(tampered, nonce));
        QByteArray otherNonce;
        QVERIFY(a.seal("top secret", &otherNonce) != sealed); // a fresh nonce each time
        QVERIFY(otherNonce != nonce);
    }

    void idsAndFingerprintsDependOnTheKey()
    {
        const MasterKey a = key('a'), b = key('b');
        QCOMPARE(a.id().size(), 16);
        QCOMPARE(a.id(), key('a').id());
        QVERIFY(a.id() != b.id());
        QCOMPARE(a.fingerprint("x"), a.fingerprint("x"));
        QVERIFY(a.fingerprint("x") != a.fingerprint("y"));
        QVERIFY(a.fingerprint("x") != b.fingerprint("x"));
    }

    void keyFilesAreReadStrictly()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"k"_s);
        QVERIFY(MasterKey::generate(path));
        QCOMPARE(QFile(path).permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        auto loaded = MasterKey::load(path);
        QVERIFY(loaded);
        auto again = MasterKey::generate(path);
        QVERIFY(!again);
        QVERIFY(again.error().message.contains(u"already exists"_s));
        QCOMPARE(MasterKey::load(path)->id(), loaded->id());

        QFile shortKey(dir.filePath(u"short"_s));
        QVERIFY(shortKey.open(QIODevice::WriteOnly));
        shortKey.write(QByteArray(16, 'x').toBase64());
        shortKey.close();
        QVERIFY(shortKey.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        auto refused = MasterKey::load(shortKey.fileName());
        QVERIFY(!refused);
        QVERIFY(refused.error().message.contains(u"generate-key"_s));
        QVERIFY(!MasterKey::load(dir.filePath(u"missing"_s)));
    }

    // A key file others may read (0644, 0640) or change (0602) is refused, naming the file, its
    // mode and the fix; the same file at 0600 or 0400 loads.
    void keyFilesOthersCanReachAreRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"k"_s);
        QVERIFY(MasterKey::generate(path));
        const QByteArray native = QFile::encodeName(path);
        for (const mode_t mode : {0644, 0640, 0602, 0660}) {
            QCOMPARE(::chmod(native.constData(), mode), 0);
            auto refused = MasterKey::load(path);
            QVERIFY2(!refused, qPrintable(QString::number(mode, 8)));
            const QString message = refused.error().message;
            QVERIFY2(message.contains(path) && message.contains(u"chmod 600"_s) &&
                         message.contains(u"0%1"_s.arg(mode, 0, 8)),
                     qPrintable(message));
        }
        for (const mode_t mode : {0600, 0400}) {
            QCOMPARE(::chmod(native.constData(), mode), 0);
            QVERIFY(MasterKey::load(path));
        }
    }
};

QTEST_GUILESS_MAIN(TestMasterKey)
#include "tst_masterkey.moc"
