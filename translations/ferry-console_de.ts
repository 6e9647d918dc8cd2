<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>GuardHealth</name>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>half open</source>
        <translation>halb offen</translation>
    </message>
    <message>
        <source>Open: no attempts until %1, then one trial attempt.</source>
        <translation>Offen: keine Versuche bis %1, dann ein Probeversuch.</translation>
    </message>
    <message>
        <source>Open: no attempts until the agent tries again.</source>
        <translation>Offen: keine Versuche, bis der Agent es erneut versucht.</translation>
    </message>
    <message>
        <source>Half open: one trial attempt decides whether it closes again.</source>
        <translation>Halb offen: ein Probeversuch entscheidet, ob er sich wieder schließt.</translation>
    </message>
    <message>
        <source>Closed: attempts go through.</source>
        <translation>Geschlossen: Versuche gehen durch.</translation>
    </message>
    <message>
        <source>Times opened: %1</source>
        <translation>Wie oft geöffnet: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
</context>
<context>
    <name>ferry::console::AccountGuardModel</name>
    <message>
        <source>This account has no rate limit.</source>
        <translation>Dieses Konto hat kein Ratenlimit.</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 / no cap</source>
        <translation>%1 / unbegrenzt</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Breaker</source>
        <translation>Schutzschalter</translation>
    </message>
    <message>
        <source>The account&apos;s rate limit, all agents together</source>
        <translation>Das Ratenlimit des Kontos, alle Agenten zusammen</translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation>Ratenlimit</translation>
    </message>
    <message>
        <source>Share of the rate limit used over the last interval</source>
        <translation>Genutzter Anteil des Ratenlimits im letzten Intervall</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Nutzung</translation>
    </message>
    <message>
        <source>Attempts in flight against the account&apos;s concurrency cap</source>
        <translation>Laufende Versuche im Verhältnis zur Parallelitätsgrenze des Kontos</translation>
    </message>
    <message>
        <source>In flight / cap</source>
        <translation>Unterwegs / Grenze</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
</context>
<context>
    <name>ferry::console::AdminWidget</name>
    <message>
        <source>Tenants</source>
        <translation>Mandanten</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>Routen</translation>
    </message>
    <message>
        <source>Provider credentials</source>
        <translation>Provider-Zugangsdaten</translation>
    </message>
    <message>
        <source>Producer keys</source>
        <translation>Producer-Schlüssel</translation>
    </message>
    <message>
        <source>API tokens</source>
        <translation>API-Tokens</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <source>Administration pages</source>
        <translation>Verwaltungsseiten</translation>
    </message>
</context>
<context>
    <name>ferry::console::AgentModel</name>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1 Tg. %2 Std.</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 Min. %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>retention</source>
        <translation>Aufbewahrung</translation>
    </message>
    <message>
        <source>reconciliation</source>
        <translation>Abgleich</translation>
    </message>
    <message>
        <source>migrations</source>
        <translation>Migrationen</translation>
    </message>
    <message>
        <source>%1 on %2 (process %3)</source>
        <translation>%1 auf %2 (Prozess %3)</translation>
    </message>
    <message>
        <source>The agents on this database run different versions:
%1
Upgrade them all to the same version.</source>
        <translation>Die Agenten dieser Datenbank laufen in verschiedenen Versionen:
%1
Aktualisieren Sie alle auf dieselbe Version.</translation>
    </message>
    <message>
        <source>API %1</source>
        <translation>API %1</translation>
    </message>
    <message>
        <source>alive</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>ausgefallen</translation>
    </message>
    <message>
        <source>current</source>
        <translation>aktuell</translation>
    </message>
    <message>
        <source>No heartbeat since %1: the agent was stopped, killed or lost its database connection. Its row goes a day after its last heartbeat.</source>
        <translation>Kein Lebenszeichen seit %1: Der Agent wurde angehalten, beendet oder hat die Verbindung zur Datenbank verloren. Seine Zeile verschwindet einen Tag nach dem letzten Lebenszeichen.</translation>
    </message>
    <message>
        <source>Ingest and health: %1
API: %2</source>
        <translation>Annahme und Zustand: %1
API: %2</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>This console talks to this agent</source>
        <translation>Diese Konsole ist mit diesem Agenten verbunden</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Rechner</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Letztes Lebenszeichen</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Listens on</source>
        <translation>Lauscht auf</translation>
    </message>
    <message>
        <source>Singleton jobs</source>
        <translation>Einzelaufgaben</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Konsole</translation>
    </message>
</context>
<context>
    <name>ferry::console::AgentsPage</name>
    <message>
        <source>Agents on this database</source>
        <translation>Agenten dieser Datenbank</translation>
    </message>
    <message>
        <source>Every agent connected to this database, longest running first. A singleton job runs on one agent at a time; an agent is gone once it missed three heartbeats.</source>
        <translation>Alle Agenten, die mit dieser Datenbank verbunden sind, der am längsten laufende zuerst. Eine Einzelaufgabe läuft immer nur auf einem Agenten; ein Agent gilt als ausgefallen, sobald er drei Lebenszeichen verpasst hat.</translation>
    </message>
    <message>
        <source>The agents are shown to tokens of every tenant; this token is tenant %1&apos;s. Connect with a token of every tenant (any role).</source>
        <translation>Die Agenten sehen nur Tokens aller Mandanten; dieses Token gehört Mandant %1. Verbinden Sie sich mit einem Token aller Mandanten (beliebige Rolle).</translation>
    </message>
    <message>
        <source>Could not load the agents. %1</source>
        <translation>Die Agenten konnten nicht geladen werden. %1</translation>
    </message>
    <message numerus="yes">
        <source>%n agent(s) alive, on different versions (highlighted).</source>
        <translation>
            <numerusform>%n Agent aktiv, in verschiedenen Versionen (hervorgehoben).</numerusform>
            <numerusform>%n Agenten aktiv, in verschiedenen Versionen (hervorgehoben).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n agent(s) alive, all on the same version.</source>
        <translation>
            <numerusform>%n Agent aktiv, alle in derselben Version.</numerusform>
            <numerusform>%n Agenten aktiv, alle in derselben Version.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::console::ApiClient</name>
    <message>
        <source>The agent address must be an https:// URL, such as https://agent:7643.</source>
        <translation>Die Adresse des Agenten muss eine https://-URL sein, etwa https://agent:7643.</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbinde mit %1 …</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Verbunden mit %1</translation>
    </message>
    <message>
        <source>No answer from %1; trying again in %2 s</source>
        <translation>Keine Antwort von %1; neuer Versuch in %2 s</translation>
    </message>
    <message>
        <source>Waiting for you to confirm the certificate of %1</source>
        <translation>Warte auf Ihre Bestätigung des Zertifikats von %1</translation>
    </message>
    <message>
        <source>Refused %1: its certificate key changed</source>
        <translation>%1 abgelehnt: Der Schlüssel des Zertifikats hat sich geändert</translation>
    </message>
    <message>
        <source>Token refused by %1</source>
        <translation>Token von %1 abgelehnt</translation>
    </message>
    <message>
        <source>Certificate of %1 not trusted</source>
        <translation>Zertifikat von %1 nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>First connection to %1: confirm its certificate fingerprint %2.</source>
        <translation>Erste Verbindung zu %1: Bestätigen Sie den Fingerabdruck des Zertifikats %2.</translation>
    </message>
    <message>
        <source>Refused: the agent at %1 presented a certificate whose key fingerprint is %2, but this connection is pinned to %3. Someone may be intercepting the connection, or the agent was given a new key. Your token was not sent. If the key was changed on purpose, compare the new fingerprint with the one &apos;ferry-agent cert generate&apos; printed on the agent&apos;s host, then clear the pin in the connection settings and connect again.</source>
        <translation>Abgelehnt: Der Agent unter %1 hat ein Zertifikat mit dem Schlüssel-Fingerabdruck %2 vorgelegt, diese Verbindung ist aber auf %3 festgelegt. Möglicherweise fängt jemand die Verbindung ab, oder der Agent hat einen neuen Schlüssel erhalten. Ihr Token wurde nicht gesendet. Wurde der Schlüssel absichtlich geändert, vergleichen Sie den neuen Fingerabdruck mit dem, den &apos;ferry-agent cert generate&apos; auf dem Rechner des Agenten ausgegeben hat, löschen Sie dann die Festlegung in den Verbindungseinstellungen und verbinden Sie sich erneut.</translation>
    </message>
    <message>
        <source>The agent&apos;s certificate is not trusted (%1). Choose the CA file that signed it, or pin its fingerprint, in the connection settings.</source>
        <translation>Das Zertifikat des Agenten ist nicht vertrauenswürdig (%1). Wählen Sie in den Verbindungseinstellungen die CA-Datei, die es signiert hat, oder legen Sie seinen Fingerabdruck fest.</translation>
    </message>
    <message>
        <source>the agent&apos;s certificate does not match the pinned fingerprint</source>
        <translation>das Zertifikat des Agenten passt nicht zum festgelegten Fingerabdruck</translation>
    </message>
</context>
<context>
    <name>ferry::console::ApiResponse</name>
    <message>
        <source>No answer from the agent: %1. Check the address and that the agent is running.</source>
        <translation>Keine Antwort vom Agenten: %1. Prüfen Sie die Adresse und ob der Agent läuft.</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1. The token was refused: enter a valid token in the connection settings.</source>
        <translation>%1. Das Token wurde abgelehnt: Geben Sie in den Verbindungseinstellungen ein gültiges Token ein.</translation>
    </message>
    <message>
        <source>%1. Your token&apos;s role does not allow this; ask an administrator for a token with a higher role.</source>
        <translation>%1. Die Rolle Ihres Tokens erlaubt das nicht; bitten Sie einen Administrator um ein Token mit einer höheren Rolle.</translation>
    </message>
    <message>
        <source>%1. It may have been removed meanwhile, or this agent does not offer it.</source>
        <translation>%1. Es wurde vielleicht inzwischen entfernt, oder dieser Agent bietet es nicht an.</translation>
    </message>
    <message>
        <source>%1. Someone may have acted on it already; refresh the list.</source>
        <translation>%1. Vielleicht hat schon jemand anderes gehandelt; laden Sie die Liste neu.</translation>
    </message>
    <message>
        <source>%1. Wait a minute and try again.</source>
        <translation>%1. Warten Sie eine Minute und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1. The agent cannot serve this right now; it will be retried.</source>
        <translation>%1. Der Agent kann das gerade nicht bedienen; es wird erneut versucht.</translation>
    </message>
    <message numerus="yes">
        <source>Read from a replica: it may lack the last %n second(s) of changes.</source>
        <translation>
            <numerusform>Von einem Replikat gelesen: Ihm kann die Änderung der letzten Sekunde fehlen.</numerusform>
            <numerusform>Von einem Replikat gelesen: Ihm können die Änderungen der letzten %n Sekunden fehlen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Read from a replica, which did not say how old its data is.</source>
        <translation>Von einem Replikat gelesen, das nicht angegeben hat, wie alt seine Daten sind.</translation>
    </message>
</context>
<context>
    <name>ferry::console::ApiTokenModel</name>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Läuft ab</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>all tenants</source>
        <translation>alle Mandanten</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
</context>
<context>
    <name>ferry::console::AttemptModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>ferry::console::AuditExporter</name>
    <message>
        <source>Could not write %1: %2. Choose another file.</source>
        <translation>%1 konnte nicht geschrieben werden: %2. Wählen Sie eine andere Datei.</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>Could not export the audit log. %1</source>
        <translation>Das Audit-Protokoll konnte nicht exportiert werden. %1</translation>
    </message>
    <message>
        <source>Could not export the audit log: the agent answered no CSV.</source>
        <translation>Das Audit-Protokoll konnte nicht exportiert werden: Der Agent hat kein CSV geliefert.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n audit log entries to %1.</source>
        <translation>
            <numerusform>%n Eintrag des Audit-Protokolls nach %1 exportiert.</numerusform>
            <numerusform>%n Einträge des Audit-Protokolls nach %1 exportiert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::console::AuditLogModel</name>
    <message>
        <source>A change to the installation as a whole, not to one tenant</source>
        <translation>Eine Änderung an der ganzen Installation, nicht an einem Mandanten</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>Akteur</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
</context>
<context>
    <name>ferry::console::AuditLogPage</name>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>T&amp;o:</source>
        <translation>&amp;Bis:</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Anwenden</translation>
    </message>
    <message>
        <source>Load &amp;more</source>
        <translation>Weitere &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <source>Any actor</source>
        <translation>Jeder Akteur</translation>
    </message>
    <message>
        <source>Actor contains</source>
        <translation>Akteur enthält</translation>
    </message>
    <message>
        <source>Any action</source>
        <translation>Jede Aktion</translation>
    </message>
    <message>
        <source>Action or family of actions</source>
        <translation>Aktion oder Familie von Aktionen</translation>
    </message>
    <message>
        <source>An action such as route.update, or a family such as route.*</source>
        <translation>Eine Aktion wie route.update oder eine Familie wie route.*</translation>
    </message>
    <message>
        <source>From (this computer&apos;s clock)</source>
        <translation>Von (Uhr dieses Computers)</translation>
    </message>
    <message>
        <source>To (this computer&apos;s clock)</source>
        <translation>Bis (Uhr dieses Computers)</translation>
    </message>
    <message>
        <source>Audit log entries</source>
        <translation>Einträge des Audit-Protokolls</translation>
    </message>
    <message>
        <source>Details of the selected entry</source>
        <translation>Details des gewählten Eintrags</translation>
    </message>
    <message>
        <source>Select an entry to see its details.</source>
        <translation>Wählen Sie einen Eintrag, um seine Details zu sehen.</translation>
    </message>
    <message>
        <source>A&amp;ctor:</source>
        <translation>A&amp;kteur:</translation>
    </message>
    <message>
        <source>Act&amp;ion:</source>
        <translation>Akt&amp;ion:</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entries…</source>
        <translation>
            <numerusform>%n Eintrag exportiert…</numerusform>
            <numerusform>%n Einträge exportiert…</numerusform>
        </translation>
    </message>
    <message>
        <source>The audit log needs an admin token: an admin token of every tenant shows all entries, a tenant&apos;s admin token that tenant&apos;s. This token is a %1 token.</source>
        <translation>Das Audit-Protokoll braucht ein Admin-Token: Ein Admin-Token aller Mandanten zeigt alle Einträge, das Admin-Token eines Mandanten die Einträge dieses Mandanten. Die Rolle dieses Tokens: %1.</translation>
    </message>
    <message>
        <source>This token is tenant %1&apos;s: the log shows that tenant&apos;s entries.</source>
        <translation>Dieses Token gehört Mandant %1: Das Protokoll zeigt die Einträge dieses Mandanten.</translation>
    </message>
    <message>
        <source>The audit log needs an admin token; this token may not read it.</source>
        <translation>Das Audit-Protokoll braucht ein Admin-Token; dieses Token darf es nicht lesen.</translation>
    </message>
    <message>
        <source>Could not load the audit log. %1</source>
        <translation>Das Audit-Protokoll konnte nicht geladen werden. %1</translation>
    </message>
    <message numerus="yes">
        <source>%n entries shown; more match.</source>
        <translation>
            <numerusform>%n Eintrag angezeigt; weitere passen.</numerusform>
            <numerusform>%n Einträge angezeigt; weitere passen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n entries.</source>
        <translation>
            <numerusform>%n Eintrag.</numerusform>
            <numerusform>%n Einträge.</numerusform>
        </translation>
    </message>
    <message>
        <source>No details recorded.</source>
        <translation>Keine Details aufgezeichnet.</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Audit-Protokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Exporting the audit log…</source>
        <translation>Das Audit-Protokoll wird exportiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>Needs an admin token (of every tenant, or of one tenant for that tenant&apos;s entries).</source>
        <translation>Braucht ein Admin-Token (aller Mandanten, oder eines Mandanten für dessen Einträge).</translation>
    </message>
    <message>
        <source>Every matching entry is shown.</source>
        <translation>Alle passenden Einträge werden angezeigt.</translation>
    </message>
    <message>
        <source>Load the next %1 entries</source>
        <translation>Die nächsten %1 Einträge laden</translation>
    </message>
    <message>
        <source>An export is running.</source>
        <translation>Ein Export läuft.</translation>
    </message>
    <message>
        <source>Write every entry the filter matches to a CSV file</source>
        <translation>Alle Einträge, die der Filter trifft, in eine CSV-Datei schreiben</translation>
    </message>
</context>
<context>
    <name>ferry::console::ChannelModel</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message numerus="yes">
        <source>%n, last: %1</source>
        <translation>
            <numerusform>%n, zuletzt: %1</numerusform>
            <numerusform>%n, zuletzt: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>In flight</source>
        <translation>Unterwegs</translation>
    </message>
    <message>
        <source>Median attempt latency over the last minute</source>
        <translation>Median der Versuchslatenz in der letzten Minute</translation>
    </message>
    <message>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <source>99th percentile attempt latency over the last minute</source>
        <translation>99. Perzentil der Versuchslatenz in der letzten Minute</translation>
    </message>
    <message>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Breaker</source>
        <translation>Schutzschalter</translation>
    </message>
    <message>
        <source>Rate limit</source>
        <translation>Ratenlimit</translation>
    </message>
    <message>
        <source>Failed attempts of the last five minutes (at most five)</source>
        <translation>Fehlgeschlagene Versuche der letzten fünf Minuten (höchstens fünf)</translation>
    </message>
    <message>
        <source>Recent errors</source>
        <translation>Letzte Fehler</translation>
    </message>
    <message>
        <source>This agent does not report circuit breakers.</source>
        <translation>Dieser Agent meldet keine Schutzschalter.</translation>
    </message>
    <message>
        <source>This route has no rate limit.</source>
        <translation>Diese Route hat kein Ratenlimit.</translation>
    </message>
    <message>
        <source>%1 of %2 per second used over the last interval</source>
        <translation>%1 von %2 pro Sekunde im letzten Intervall genutzt</translation>
    </message>
    <message>
        <source>Share of the route&apos;s rate limit used over the last interval</source>
        <translation>Genutzter Anteil des Ratenlimits der Route im letzten Intervall</translation>
    </message>
</context>
<context>
    <name>ferry::console::ChannelsWidget</name>
    <message>
        <source>&amp;Problems only</source>
        <translation>Nur &amp;Probleme</translation>
    </message>
    <message>
        <source>Channel health</source>
        <translation>Kanalzustand</translation>
    </message>
    <message>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Alle Kanäle</translation>
    </message>
    <message>
        <source>Tenant filter</source>
        <translation>Mandantenfilter</translation>
    </message>
    <message>
        <source>Channel filter</source>
        <translation>Kanalfilter</translation>
    </message>
    <message>
        <source>Only endpoints with failures or recent errors</source>
        <translation>Nur Endpunkte mit Fehlschlägen oder letzten Fehlern</translation>
    </message>
    <message>
        <source>Recent errors of the selected endpoint</source>
        <translation>Letzte Fehler des gewählten Endpunkts</translation>
    </message>
    <message>
        <source>Select an endpoint to see its recent errors.</source>
        <translation>Wählen Sie einen Endpunkt, um seine letzten Fehler zu sehen.</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Kanal:</translation>
    </message>
    <message>
        <source>Endpoint %1 (%2, %3): no failed attempts in the last five minutes.</source>
        <translation>Endpunkt %1 (%2, %3): keine fehlgeschlagenen Versuche in den letzten fünf Minuten.</translation>
    </message>
    <message>
        <source>Endpoint %1 (%2, %3), recent errors:</source>
        <translation>Endpunkt %1 (%2, %3), letzte Fehler:</translation>
    </message>
    <message>
        <source>Live, once a second. Rates and the use of rate limits are per second over the last interval, latencies over the last minute. An open breaker holds attempts back until it tries again; hover over it for when and why.</source>
        <translation>Live, einmal pro Sekunde. Raten und die Nutzung der Ratenlimits gelten pro Sekunde über das letzte Intervall, Latenzen über die letzte Minute. Ein offener Schutzschalter hält Versuche zurück, bis er es erneut versucht; der Tooltip zeigt, wann und warum.</translation>
    </message>
    <message>
        <source>Provider accounts</source>
        <translation>Anbieterkonten</translation>
    </message>
    <message>
        <source>&lt;b&gt;Provider accounts&lt;/b&gt; (breakers and limits shared by the routes of each account)</source>
        <translation>&lt;b&gt;Anbieterkonten&lt;/b&gt; (Schutzschalter und Grenzen, die sich die Routen eines Kontos teilen)</translation>
    </message>
</context>
<context>
    <name>ferry::console::ConnectionDialog</name>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;Forget pin</source>
        <translation>Festlegung &amp;vergessen</translation>
    </message>
    <message>
        <source>Connect to an agent</source>
        <translation>Mit einem Agenten verbinden</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>https://agent.example.internal:7643</source>
        <translation>https://agent.example.internal:7643</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>API-Token</translation>
    </message>
    <message>
        <source>from &apos;ferry-agent token create&apos;</source>
        <translation>von &apos;ferry-agent token create&apos;</translation>
    </message>
    <message>
        <source>Certificate trust</source>
        <translation>Vertrauen in das Zertifikat</translation>
    </message>
    <message>
        <source>Pin its key (trust on first use)</source>
        <translation>Schlüssel festlegen (Vertrauen bei erster Verwendung)</translation>
    </message>
    <message>
        <source>System certificate authorities</source>
        <translation>Zertifizierungsstellen des Systems</translation>
    </message>
    <message>
        <source>Certificate authority from a file</source>
        <translation>Zertifizierungsstelle aus einer Datei</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
    <message>
        <source>Pinned fingerprint</source>
        <translation>Festgelegter Fingerabdruck</translation>
    </message>
    <message>
        <source>Where the token is kept</source>
        <translation>Wo das Token aufbewahrt wird</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>New agent</source>
        <translation>Neuer Agent</translation>
    </message>
    <message>
        <source>Remove agent</source>
        <translation>Agent entfernen</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>N&amp;ame:</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>A&amp;dresse:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <source>T&amp;rust:</source>
        <translation>&amp;Vertrauen:</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>Pinned key:</source>
        <translation>Festgelegter Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>CA-Zertifikat</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Tokens are kept in the system keychain.</source>
        <translation>Tokens werden im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>Tokens are not remembered: %1. The token is kept in memory until the console closes.</source>
        <translation>Tokens werden nicht gespeichert: %1. Das Token bleibt nur im Arbeitsspeicher, bis die Konsole geschlossen wird.</translation>
    </message>
    <message>
        <source>(not used)</source>
        <translation>(nicht verwendet)</translation>
    </message>
    <message>
        <source>none yet: you will be asked to confirm the agent&apos;s fingerprint on first connection</source>
        <translation>noch keiner: Bei der ersten Verbindung werden Sie gebeten, den Fingerabdruck des Agenten zu bestätigen</translation>
    </message>
    <message>
        <source>Add an agent first.</source>
        <translation>Fügen Sie zuerst einen Agenten hinzu.</translation>
    </message>
    <message>
        <source>Enter an API token; an administrator creates one with &apos;ferry-agent token create --role viewer&apos;.</source>
        <translation>Geben Sie ein API-Token ein; ein Administrator erstellt eines mit &apos;ferry-agent token create --role viewer&apos;.</translation>
    </message>
    <message>
        <source>Choose the CA file, or another kind of trust.</source>
        <translation>Wählen Sie die CA-Datei oder eine andere Art des Vertrauens.</translation>
    </message>
    <message>
        <source>Looking for the system keychain…</source>
        <translation>Suche den Schlüsselbund des Systems …</translation>
    </message>
    <message>
        <source>Other agents</source>
        <translation>Weitere Agenten</translation>
    </message>
    <message>
        <source>More agents on the same database, one https:// address per line: the console switches to the next one when the agent it talks to stops answering.</source>
        <translation>Weitere Agenten an derselben Datenbank, eine https://-Adresse pro Zeile: Die Konsole wechselt zur nächsten, wenn der Agent, mit dem sie spricht, nicht mehr antwortet.</translation>
    </message>
    <message>
        <source>&amp;Other agents:</source>
        <translation>&amp;Weitere Agenten:</translation>
    </message>
    <message>
        <source>Every address must start with https:// (the API is TLS only), for example https://agent.example.internal:7643.</source>
        <translation>Jede Adresse muss mit https:// beginnen (die API spricht nur TLS), zum Beispiel https://agent.example.internal:7643.</translation>
    </message>
</context>
<context>
    <name>ferry::console::CredentialAdminPage</name>
    <message>
        <source>This agent has no master key, so it cannot seal or open credentials. The operator creates one with &apos;ferry-agent credentials generate-key&apos;, sets credentials.master_key_file to it (mode 0600, owned by the agent&apos;s user) and restarts the agent (docs/operations.md).</source>
        <translation>Dieser Agent hat keinen Hauptschlüssel und kann Zugangsdaten daher weder versiegeln noch öffnen. Der Betreiber erzeugt einen mit &apos;ferry-agent credentials generate-key&apos;, trägt ihn in credentials.master_key_file ein (Modus 0600, Eigentümer der Benutzer des Agenten) und startet den Agenten neu (docs/operations.md).</translation>
    </message>
    <message>
        <source>&amp;Set credential…</source>
        <translation>Zugangsdaten &amp;festlegen…</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>&amp;Ersetzen…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <source>Provider credentials</source>
        <translation>Anbieter-Zugangsdaten</translation>
    </message>
    <message>
        <source>Choose a tenant first.</source>
        <translation>Wählen Sie zuerst einen Mandanten.</translation>
    </message>
    <message>
        <source>Select a credential first.</source>
        <translation>Wählen Sie zuerst Zugangsdaten aus.</translation>
    </message>
    <message>
        <source>Store a new provider credential for %1</source>
        <translation>Neue Anbieter-Zugangsdaten für %1 speichern</translation>
    </message>
    <message>
        <source>Give %1 a new secret or account settings</source>
        <translation>%1 ein neues Geheimnis oder neue Kontoeinstellungen geben</translation>
    </message>
    <message>
        <source>Delete %1 (asks first)</source>
        <translation>%1 löschen (fragt vorher)</translation>
    </message>
    <message>
        <source>Credential %1 was not saved: %2</source>
        <translation>Zugangsdaten %1 wurden nicht gespeichert: %2</translation>
    </message>
    <message>
        <source>Credential %1 saved; its fingerprint is %2.</source>
        <translation>Zugangsdaten %1 gespeichert; ihr Fingerabdruck ist %2.</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>%1 löschen?</translation>
    </message>
    <message>
        <source>Credential %1 of %2 goes for good; routes cannot use it any more.</source>
        <translation>Die Zugangsdaten %1 von %2 werden endgültig gelöscht; Routen können sie nicht mehr verwenden.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Credential %1 was not deleted: route(s) %2 still send through it. Give them another credential on the Routes page first.</source>
        <translation>Zugangsdaten %1 wurden nicht gelöscht: Route(n) %2 senden noch darüber. Geben Sie ihnen zuerst auf der Seite Routen andere Zugangsdaten.</translation>
    </message>
    <message>
        <source>Credential %1 was not deleted: %2</source>
        <translation>Zugangsdaten %1 wurden nicht gelöscht: %2</translation>
    </message>
    <message>
        <source>Credential %1 deleted.</source>
        <translation>Zugangsdaten %1 gelöscht.</translation>
    </message>
</context>
<context>
    <name>ferry::console::CredentialDialog</name>
    <message>
        <source>Account SID:</source>
        <translation>Konto-SID:</translation>
    </message>
    <message>
        <source>Auth token:</source>
        <translation>Auth-Token:</translation>
    </message>
    <message>
        <source>From number:</source>
        <translation>Absendernummer:</translation>
    </message>
    <message>
        <source>Messaging service SID:</source>
        <translation>Messaging-Service-SID:</translation>
    </message>
    <message>
        <source>Access token:</source>
        <translation>Zugriffstoken:</translation>
    </message>
    <message>
        <source>Phone number ID:</source>
        <translation>Telefonnummer-ID:</translation>
    </message>
    <message>
        <source>API version:</source>
        <translation>API-Version:</translation>
    </message>
    <message>
        <source>App secret:</source>
        <translation>App-Geheimnis:</translation>
    </message>
    <message>
        <source>Service account JSON:</source>
        <translation>Dienstkonto-JSON:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Benutzername:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>From address:</source>
        <translation>Absenderadresse:</translation>
    </message>
    <message>
        <source>From name:</source>
        <translation>Absendername:</translation>
    </message>
    <message>
        <source>Reply-To:</source>
        <translation>Antwort an:</translation>
    </message>
    <message>
        <source>Signing secret:</source>
        <translation>Signaturgeheimnis:</translation>
    </message>
    <message>
        <source>Set credential of %1</source>
        <translation>Zugangsdaten für %1 festlegen</translation>
    </message>
    <message>
        <source>Replace credential %1 of %2</source>
        <translation>Zugangsdaten %1 von %2 ersetzen</translation>
    </message>
    <message>
        <source>1 to 63 of a-z 0-9 . _ -</source>
        <translation>1 bis 63 Zeichen aus a-z 0-9 . _ -</translation>
    </message>
    <message>
        <source>the provider&apos;s own (smtp: smtp://host:587 or smtps://host:465)</source>
        <translation>die des Anbieters (smtp: smtp://host:587 oder smtps://host:465)</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Anbieter:</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>&amp;Basis-URL:</translation>
    </message>
    <message>
        <source>&amp;Requests per second:</source>
        <translation>Anf&amp;ragen pro Sekunde:</translation>
    </message>
    <message>
        <source>Requests at &amp;once:</source>
        <translation>Anfragen &amp;gleichzeitig:</translation>
    </message>
    <message>
        <source>The secret is sealed by the agent and never shown again: after saving, only its fingerprint is listed.</source>
        <translation>Der Agent versiegelt das Geheimnis und zeigt es nie wieder: Nach dem Speichern wird nur sein Fingerabdruck angezeigt.</translation>
    </message>
    <message>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>Name: 1 to 63 lowercase letters, digits, dots, underscores or hyphens.</source>
        <translation>Name: 1 bis 63 Kleinbuchstaben, Ziffern, Punkte, Unterstriche oder Bindestriche.</translation>
    </message>
    <message>
        <source>%1 is required for %2.</source>
        <translation>%1 ist für %2 erforderlich.</translation>
    </message>
    <message>
        <source>Service account JSON: paste the whole file Google&apos;s console downloads (with project_id, client_email and private_key).</source>
        <translation>Dienstkonto-JSON: Fügen Sie die ganze Datei ein, die Googles Konsole herunterlädt (mit project_id, client_email und private_key).</translation>
    </message>
    <message>
        <source>Twilio needs a From number or a messaging service SID.</source>
        <translation>Twilio braucht eine Absendernummer oder eine Messaging-Service-SID.</translation>
    </message>
    <message>
        <source>Base URL is required for smtp: smtp://host:587 (STARTTLS) or smtps://host:465.</source>
        <translation>Für smtp ist die Basis-URL erforderlich: smtp://host:587 (STARTTLS) oder smtps://host:465.</translation>
    </message>
    <message>
        <source>Requests per second: a number above 0 up to 1000000, or empty for no limit.</source>
        <translation>Anfragen pro Sekunde: eine Zahl über 0 bis 1000000, oder leer für keine Grenze.</translation>
    </message>
    <message>
        <source>Requests at once: a whole number from 1 to 10000, or empty for no limit.</source>
        <translation>Anfragen gleichzeitig: eine ganze Zahl von 1 bis 10000, oder leer für keine Grenze.</translation>
    </message>
</context>
<context>
    <name>ferry::console::CredentialModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>the provider&apos;s own</source>
        <translation>die des Anbieters</translation>
    </message>
</context>
<context>
    <name>ferry::console::DashboardWidget</name>
    <message>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Alle Kanäle</translation>
    </message>
    <message>
        <source>Tenant filter</source>
        <translation>Mandantenfilter</translation>
    </message>
    <message>
        <source>Channel filter</source>
        <translation>Kanalfilter</translation>
    </message>
    <message>
        <source>Live feed status</source>
        <translation>Status des Live-Feeds</translation>
    </message>
    <message>
        <source>Current figures</source>
        <translation>Aktuelle Werte</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Kanal:</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>Lag</source>
        <translation>Rückstand</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Failure rate</source>
        <translation>Fehlerquote</translation>
    </message>
    <message>
        <source>Dead-letter queue</source>
        <translation>Dead-Letter-Queue</translation>
    </message>
    <message>
        <source>dead deliveries (all tenants)</source>
        <translation>tote Zustellungen (alle Mandanten)</translation>
    </message>
    <message>
        <source>Waiting for the agent&apos;s live feed (GET /v1/live)…</source>
        <translation>Warte auf den Live-Feed des Agenten (GET /v1/live) …</translation>
    </message>
    <message>
        <source>in %1/s · out %2/s · lag %3 s · failures %4 % · DLQ %5</source>
        <translation>ein %1/s · aus %2/s · Rückstand %3 s · Fehler %4 % · DLQ %5</translation>
    </message>
    <message>
        <source>Latest incident</source>
        <translation>Letzter Vorfall</translation>
    </message>
    <message>
        <source>events in (all tenants)</source>
        <translation>Ereignisse herein (alle Mandanten)</translation>
    </message>
    <message>
        <source>deliveries out</source>
        <translation>Zustellungen hinaus</translation>
    </message>
    <message>
        <source>events/s</source>
        <translation>Ereignisse/s</translation>
    </message>
    <message>
        <source>/s</source>
        <translation>/s</translation>
    </message>
    <message>
        <source>oldest due delivery</source>
        <translation>älteste fällige Zustellung</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>failed attempts</source>
        <translation>fehlgeschlagene Versuche</translation>
    </message>
    <message>
        <source>% of attempts</source>
        <translation>% der Versuche</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>dead deliveries</source>
        <translation>tote Zustellungen</translation>
    </message>
    <message>
        <source>HH:mm</source>
        <comment>the time axis&apos;s labels, a QDateTime format</comment>
        <translation>HH:mm</translation>
    </message>
    <message>
        <source>local time</source>
        <translation>Ortszeit</translation>
    </message>
    <message>
        <source>incident</source>
        <translation>Vorfall</translation>
    </message>
    <message>
        <source>Incident at %1 (red line): the DLQ grew by %2 within a minute.</source>
        <translation>Vorfall um %1 (rote Linie): die DLQ ist binnen einer Minute um %2 gewachsen.</translation>
    </message>
    <message>
        <source>Incident at %1 (red line): the breaker of %2 (%3) opened.</source>
        <translation>Vorfall um %1 (rote Linie): der Schutzschalter von %2 (%3) hat geöffnet.</translation>
    </message>
</context>
<context>
    <name>ferry::console::DeliveryDetailWidget</name>
    <message>
        <source>Delivery summary</source>
        <translation>Zusammenfassung der Zustellung</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Event payload</source>
        <translation>Inhalt des Ereignisses</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Select a delivery to see its attempts and event.</source>
        <translation>Wählen Sie eine Zustellung, um ihre Versuche und ihr Ereignis zu sehen.</translation>
    </message>
    <message>
        <source>Loading delivery %1…</source>
        <translation>Lade Zustellung %1 …</translation>
    </message>
    <message>
        <source>Event %1 of type %2, partition key %3</source>
        <translation>Ereignis %1 vom Typ %2, Partitionsschlüssel %3</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>Dead: %1 — %2</source>
        <translation>Tot: %1 — %2</translation>
    </message>
    <message>
        <source>Triage: %1, assignee: %2</source>
        <translation>Triage: %1, zuständig: %2</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>%1 — %2: %3</source>
        <translation>%1 — %2: %3</translation>
    </message>
    <message>
        <source>No notes yet.</source>
        <translation>Noch keine Notizen.</translation>
    </message>
    <message>
        <source>Request headers</source>
        <translation>Anfrage-Header</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Sent with every attempt, besides the event as the body:</source>
        <translation>Mit jedem Versuch gesendet, neben dem Ereignis als Inhalt:</translation>
    </message>
    <message>
        <source>Tenant %1, endpoint %2, channel %3</source>
        <translation>Mandant %1, Endpunkt %2, Kanal %3</translation>
    </message>
</context>
<context>
    <name>ferry::console::DeliveryReport</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>SLA target: %1 of deliveries within %2 s.</source>
        <translation>SLA-Ziel: %1 der Zustellungen innerhalb von %2 s.</translation>
    </message>
    <message>
        <source>Attainment: nothing counts yet.</source>
        <translation>Erreicht: noch zählt nichts.</translation>
    </message>
    <message>
        <source>Attainment: %1.</source>
        <translation>Erreicht: %1.</translation>
    </message>
    <message>
        <source>Deliveries by state</source>
        <translation>Zustellungen nach Zustand</translation>
    </message>
    <message>
        <source>No deliveries in this period.</source>
        <translation>Keine Zustellungen in diesem Zeitraum.</translation>
    </message>
    <message>
        <source>Ferry deliveries report</source>
        <translation>Ferry-Zustellungsbericht</translation>
    </message>
    <message>
        <source>Deliveries report: %1</source>
        <translation>Zustellungsbericht: %1</translation>
    </message>
    <message>
        <source>Generated %1 by Ferry Console</source>
        <translation>Erstellt am %1 von Ferry Console</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Zustellungen</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Summe</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>No tenants were chosen.</source>
        <translation>Es wurden keine Mandanten gewählt.</translation>
    </message>
    <message>
        <source>From: %1 UTC</source>
        <translation>Von: %1 UTC</translation>
    </message>
    <message>
        <source>To: %1 UTC</source>
        <translation>Bis: %1 UTC</translation>
    </message>
</context>
<context>
    <name>ferry::console::DeliverySearchModel</name>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Ereignistyp</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Partition key</source>
        <translation>Partitionsschlüssel</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>Delivery id</source>
        <translation>Zustellungs-ID</translation>
    </message>
</context>
<context>
    <name>ferry::console::DlqGroupModel</name>
    <message>
        <source>no reason recorded</source>
        <translation>kein Grund festgehalten</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>%1
Route %2, channel %3</source>
        <translation>%1
Route %2, Kanal %3</translation>
    </message>
    <message>
        <source>The route is on: new events make deliveries.</source>
        <translation>Die Route ist aktiv: neue Ereignisse erzeugen Zustellungen.</translation>
    </message>
    <message>
        <source>The route is disabled: it makes no new deliveries, and replayed ones die again.</source>
        <translation>Die Route ist deaktiviert: sie erzeugt keine neuen Zustellungen, und erneut zugestellte sterben wieder.</translation>
    </message>
    <message>
        <source>These deliveries died without a recorded reason.</source>
        <translation>Diese Zustellungen sind ohne festgehaltenen Grund gestorben.</translation>
    </message>
    <message>
        <source>%1, when the groups were loaded (the live feed does not report this route).</source>
        <translation>%1, als die Gruppen geladen wurden (der Live-Feed meldet diese Route nicht).</translation>
    </message>
    <message>
        <source>Dead</source>
        <translation>Tote</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Breaker</source>
        <translation>Schutzschalter</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Zuerst</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt</translation>
    </message>
    <message>
        <source>Latest error</source>
        <translation>Letzter Fehler</translation>
    </message>
</context>
<context>
    <name>ferry::console::DlqGroupPane</name>
    <message>
        <source>Recent attempts of the group</source>
        <translation>Letzte Versuche der Gruppe</translation>
    </message>
    <message>
        <source>Error of the selected attempt</source>
        <translation>Fehler des ausgewählten Versuchs</translation>
    </message>
    <message>
        <source>Select an attempt to read its whole error.</source>
        <translation>Wählen Sie einen Versuch, um seinen ganzen Fehler zu lesen.</translation>
    </message>
    <message>
        <source>Select a group to see its endpoint, breaker and recent attempts.</source>
        <translation>Wählen Sie eine Gruppe, um ihren Endpunkt, Schutzschalter und ihre letzten Versuche zu sehen.</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Endpunkt:</translation>
    </message>
    <message>
        <source>Channel:</source>
        <translation>Kanal:</translation>
    </message>
    <message>
        <source>Route:</source>
        <translation>Route:</translation>
    </message>
    <message>
        <source>Breaker:</source>
        <translation>Schutzschalter:</translation>
    </message>
    <message>
        <source>Dead:</source>
        <translation>Tot:</translation>
    </message>
    <message>
        <source>Seen:</source>
        <translation>Gesehen:</translation>
    </message>
    <message>
        <source>Latest error:</source>
        <translation>Letzter Fehler:</translation>
    </message>
    <message>
        <source>no reason recorded</source>
        <translation>kein Grund festgehalten</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2</translation>
    </message>
    <message>
        <source>Route %1</source>
        <translation>Route %1</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>disabled: it makes no new deliveries, and replayed ones die again</source>
        <translation>deaktiviert: sie erzeugt keine neuen Zustellungen, und erneut zugestellte sterben wieder</translation>
    </message>
    <message numerus="yes">
        <source>%Ln dead deliveries</source>
        <translation>
            <numerusform>%Ln tote Zustellung</numerusform>
            <numerusform>%Ln tote Zustellungen</numerusform>
        </translation>
    </message>
    <message>
        <source>first %1, last %2</source>
        <translation>zuerst %1, zuletzt %2</translation>
    </message>
    <message>
        <source>Loading the attempts of the newest deliveries…</source>
        <translation>Die Versuche der neuesten Zustellungen werden geladen …</translation>
    </message>
    <message>
        <source>Could not load the group&apos;s deliveries. %1</source>
        <translation>Die Zustellungen der Gruppe konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>The group has no dead deliveries any more.</source>
        <translation>Die Gruppe hat keine toten Zustellungen mehr.</translation>
    </message>
    <message numerus="yes">
        <source>Attempts of the newest %Ln deliveries, newest first:</source>
        <translation>
            <numerusform>Versuche der neuesten Zustellung, neueste zuerst:</numerusform>
            <numerusform>Versuche der neuesten %Ln Zustellungen, neueste zuerst:</numerusform>
        </translation>
    </message>
    <message>
        <source>Attempts of %1 of the newest %2 deliveries (the others could not be loaded):</source>
        <translation>Versuche von %1 der neuesten %2 Zustellungen (die anderen konnten nicht geladen werden):</translation>
    </message>
</context>
<context>
    <name>ferry::console::DlqGroupsPage</name>
    <message>
        <source>Dead deliveries by cause</source>
        <translation>Tote Zustellungen nach Ursache</translation>
    </message>
    <message>
        <source>&amp;Open deliveries</source>
        <translation>Zustellungen ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>List the group&apos;s dead deliveries under All deliveries, with their attempts</source>
        <translation>Die toten Zustellungen der Gruppe unter „Alle Zustellungen“ mit ihren Versuchen auflisten</translation>
    </message>
    <message>
        <source>Repla&amp;y group…</source>
        <translation>Gru&amp;ppe erneut zustellen …</translation>
    </message>
    <message>
        <source>Ctrl+Shift+G</source>
        <translation>Ctrl+Shift+G</translation>
    </message>
    <message>
        <source>Queue the group&apos;s dead deliveries again, after a preview (Ctrl+Shift+G)</source>
        <translation>Die toten Zustellungen der Gruppe nach einer Vorschau erneut einreihen (Ctrl+Shift+G)</translation>
    </message>
    <message>
        <source>Needs the operator role; this token is a %1 token.</source>
        <translation>Erfordert die Rolle operator; dieses Token hat die Rolle %1.</translation>
    </message>
    <message>
        <source>Could not load the groups of the DLQ. %1</source>
        <translation>Die Gruppen der DLQ konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>No dead deliveries match the filters.</source>
        <translation>Keine toten Zustellungen passen auf die Filter.</translation>
    </message>
    <message>
        <source>Select a group to see its endpoint, breaker and recent attempts.</source>
        <translation>Wählen Sie eine Gruppe, um ihren Endpunkt, Schutzschalter und ihre letzten Versuche zu sehen.</translation>
    </message>
    <message>
        <source>Select the group to replay first.</source>
        <translation>Wählen Sie zuerst die erneut zuzustellende Gruppe.</translation>
    </message>
    <message>
        <source>Could not preview the replay. %1</source>
        <translation>Die Vorschau der erneuten Zustellung ist fehlgeschlagen. %1</translation>
    </message>
    <message>
        <source>The group has no dead deliveries any more; nothing to replay.</source>
        <translation>Die Gruppe hat keine toten Zustellungen mehr; nichts erneut zuzustellen.</translation>
    </message>
    <message>
        <source>Tenant: %1</source>
        <translation>Mandant: %1</translation>
    </message>
    <message>
        <source>Endpoint: %1</source>
        <translation>Endpunkt: %1</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Grund: %1</translation>
    </message>
    <message>
        <source>no reason recorded</source>
        <translation>kein Grund festgehalten</translation>
    </message>
    <message>
        <source>The endpoint&apos;s circuit breaker is open: the deliveries wait until it lets an attempt through, and die again if the endpoint still fails.</source>
        <translation>Der Schutzschalter des Endpunkts ist offen: die Zustellungen warten, bis er einen Versuch durchlässt, und sterben wieder, wenn der Endpunkt weiter fehlschlägt.</translation>
    </message>
    <message>
        <source>The route is disabled: replayed deliveries are not sent and die again. Enable the route first.</source>
        <translation>Die Route ist deaktiviert: erneut zugestellte Zustellungen werden nicht gesendet und sterben wieder. Aktivieren Sie zuerst die Route.</translation>
    </message>
    <message>
        <source>Replay group</source>
        <translation>Gruppe erneut zustellen</translation>
    </message>
    <message numerus="yes">
        <source>Dead deliveries to replay: %Ln. They will be queued again for this endpoint.</source>
        <translation>
            <numerusform>Erneut zuzustellende tote Zustellungen: %Ln. Sie wird für diesen Endpunkt erneut eingereiht.</numerusform>
            <numerusform>Erneut zuzustellende tote Zustellungen: %Ln. Sie werden für diesen Endpunkt erneut eingereiht.</numerusform>
        </translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>Erneut zustellen</translation>
    </message>
    <message>
        <source>Replay failed. %1</source>
        <translation>Erneute Zustellung fehlgeschlagen. %1</translation>
    </message>
    <message numerus="yes">
        <source>Deliveries queued again: %Ln.</source>
        <translation>
            <numerusform>Erneut eingereihte Zustellungen: %Ln.</numerusform>
            <numerusform>Erneut eingereihte Zustellungen: %Ln.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The preview counted %Ln: deliveries died or were replayed in between.</source>
        <translation>
            <numerusform>Die Vorschau zählte %Ln: dazwischen sind Zustellungen gestorben oder erneut zugestellt worden.</numerusform>
            <numerusform>Die Vorschau zählte %Ln: dazwischen sind Zustellungen gestorben oder erneut zugestellt worden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::console::DlqModel</name>
    <message>
        <source>Died</source>
        <translation>Gestorben</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>Endpunkt</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Ereignistyp</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <source>Triage</source>
        <translation>Triage</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Delivery id</source>
        <translation>Zustellungs-ID</translation>
    </message>
    <message>
        <source>%1
Route %2</source>
        <translation>%1
Route %2</translation>
    </message>
</context>
<context>
    <name>ferry::console::DlqRecentAttemptModel</name>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Zustellung</translation>
    </message>
    <message>
        <source>#</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>ferry::console::DlqWidget</name>
    <message>
        <source>Dead deliveries</source>
        <translation>Tote Zustellungen</translation>
    </message>
    <message>
        <source>all tenants</source>
        <translation>alle Mandanten</translation>
    </message>
    <message>
        <source>all channels</source>
        <translation>alle Kanäle</translation>
    </message>
    <message>
        <source>all reasons</source>
        <translation>alle Gründe</translation>
    </message>
    <message>
        <source>Tenant filter</source>
        <translation>Mandantenfilter</translation>
    </message>
    <message>
        <source>Channel filter</source>
        <translation>Kanalfilter</translation>
    </message>
    <message>
        <source>Reason filter</source>
        <translation>Grundfilter</translation>
    </message>
    <message>
        <source>Age filter</source>
        <translation>Altersfilter</translation>
    </message>
    <message>
        <source>Triage status filter</source>
        <translation>Triage-Statusfilter</translation>
    </message>
    <message>
        <source>any age</source>
        <translation>jedes Alter</translation>
    </message>
    <message>
        <source>last hour</source>
        <translation>letzte Stunde</translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation>letzte 24 Stunden</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>letzte 7 Tage</translation>
    </message>
    <message>
        <source>any status</source>
        <translation>jeder Status</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the dead deliveries again (F5)</source>
        <translation>Die toten Zustellungen neu laden (F5)</translation>
    </message>
    <message>
        <source>Re&amp;play selected</source>
        <translation>Auswahl erneut &amp;zustellen</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Replay &amp;all matching…</source>
        <translation>&amp;Alle passenden erneut zustellen …</translation>
    </message>
    <message>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation>&amp;Verwerfen …</translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <source>&amp;Note and assign…</source>
        <translation>&amp;Notiz und Zuständigkeit …</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>DLQ actions</source>
        <translation>DLQ-Aktionen</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Kanal:</translation>
    </message>
    <message>
        <source>Rea&amp;son:</source>
        <translation>&amp;Grund:</translation>
    </message>
    <message>
        <source>A&amp;ge:</source>
        <translation>A&amp;lter:</translation>
    </message>
    <message>
        <source>Stat&amp;us:</source>
        <translation>Stat&amp;us:</translation>
    </message>
    <message>
        <source>Result of the last action</source>
        <translation>Ergebnis der letzten Aktion</translation>
    </message>
    <message>
        <source>Needs the operator role; this token is a %1 token.</source>
        <translation>Erfordert die Rolle operator; dieses Token hat die Rolle %1.</translation>
    </message>
    <message>
        <source>Queue the selected dead deliveries again (Ctrl+R)</source>
        <translation>Die ausgewählten toten Zustellungen erneut einreihen (Ctrl+R)</translation>
    </message>
    <message>
        <source>Queue every dead delivery the filters match, after a dry-run count</source>
        <translation>Alle toten Zustellungen, auf die die Filter passen, nach einer Probezählung erneut einreihen</translation>
    </message>
    <message>
        <source>Close the selected deliveries for good, with a reason</source>
        <translation>Die ausgewählten Zustellungen mit Begründung endgültig schließen</translation>
    </message>
    <message>
        <source>Add a note, assign, or set the triage status</source>
        <translation>Eine Notiz hinzufügen, zuweisen oder den Triage-Status setzen</translation>
    </message>
    <message>
        <source>Could not load the DLQ. %1</source>
        <translation>Die DLQ konnte nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Select the deliveries to replay first.</source>
        <translation>Wählen Sie zuerst die erneut zuzustellenden Zustellungen.</translation>
    </message>
    <message>
        <source>Replay failed. %1</source>
        <translation>Erneute Zustellung fehlgeschlagen. %1</translation>
    </message>
    <message>
        <source>Could not count the matching deliveries. %1</source>
        <translation>Die passenden Zustellungen konnten nicht gezählt werden. %1</translation>
    </message>
    <message>
        <source>No dead delivery matches the filters; nothing to replay.</source>
        <translation>Keine tote Zustellung passt auf die Filter; nichts erneut zuzustellen.</translation>
    </message>
    <message>
        <source>Replay matching deliveries</source>
        <translation>Passende Zustellungen erneut zustellen</translation>
    </message>
    <message>
        <source>Select the deliveries to discard first.</source>
        <translation>Wählen Sie zuerst die zu verwerfenden Zustellungen.</translation>
    </message>
    <message>
        <source>Discard dead deliveries</source>
        <translation>Tote Zustellungen verwerfen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>A reason is needed to discard; nothing was discarded.</source>
        <translation>Zum Verwerfen ist eine Begründung nötig; nichts wurde verworfen.</translation>
    </message>
    <message>
        <source>Could not discard %1. %2</source>
        <translation>%1 konnte nicht verworfen werden. %2</translation>
    </message>
    <message>
        <source>Discarded %1.</source>
        <translation>%1 verworfen.</translation>
    </message>
    <message>
        <source>Select the deliveries to annotate first.</source>
        <translation>Wählen Sie zuerst die zu kommentierenden Zustellungen.</translation>
    </message>
    <message>
        <source>Note and assign</source>
        <translation>Notiz und Zuständigkeit</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Triage status</source>
        <translation>Triage-Status</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(unverändert)</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>&amp;Notiz:</translation>
    </message>
    <message>
        <source>&amp;Assignee:</source>
        <translation>&amp;Zuständig:</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>Could not annotate %1. %2</source>
        <translation>Notiz zu %1 konnte nicht gespeichert werden. %2</translation>
    </message>
    <message>
        <source>Recorded for %1.</source>
        <translation>Für %1 gespeichert.</translation>
    </message>
    <message numerus="yes">
        <source>Deliveries queued again: %Ln.</source>
        <translation>
            <numerusform>Erneut eingereihte Zustellungen: %Ln.</numerusform>
            <numerusform>Erneut eingereihte Zustellungen: %Ln.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dead deliveries matching the current filters: %Ln. They will be queued again. Replay them?</source>
        <translation>
            <numerusform>Tote Zustellungen, die auf die aktuellen Filter passen: %Ln. Sie werden erneut eingereiht. Erneut zustellen?</numerusform>
            <numerusform>Tote Zustellungen, die auf die aktuellen Filter passen: %Ln. Sie werden erneut eingereiht. Erneut zustellen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deliveries to discard: %Ln. Discarding closes them for good. Why? (kept in the audit log)</source>
        <translation>
            <numerusform>Zu verwerfende Zustellungen: %Ln. Verwerfen schließt sie endgültig. Warum? (wird im Audit-Log festgehalten)</numerusform>
            <numerusform>Zu verwerfende Zustellungen: %Ln. Verwerfen schließt sie endgültig. Warum? (wird im Audit-Log festgehalten)</numerusform>
        </translation>
    </message>
    <message>
        <source>The triage status of the deliveries under All deliveries</source>
        <translation>Der Triage-Status der Zustellungen unter „Alle Zustellungen“</translation>
    </message>
    <message>
        <source>DLQ views</source>
        <translation>DLQ-Ansichten</translation>
    </message>
    <message>
        <source>By &amp;cause</source>
        <translation>Nach U&amp;rsache</translation>
    </message>
    <message>
        <source>All deli&amp;veries</source>
        <translation>Alle Zust&amp;ellungen</translation>
    </message>
    <message>
        <source>Group shown</source>
        <translation>Angezeigte Gruppe</translation>
    </message>
    <message>
        <source>Show all deliveries</source>
        <translation>Alle Zustellungen zeigen</translation>
    </message>
    <message>
        <source>Deliveries of one group: %1 · %2 · %3</source>
        <translation>Zustellungen einer Gruppe: %1 · %2 · %3</translation>
    </message>
    <message>
        <source>no reason recorded</source>
        <translation>kein Grund festgehalten</translation>
    </message>
</context>
<context>
    <name>ferry::console::FeedbackLabel</name>
    <message>
        <source>Needs an admin token of every tenant; this token is scoped to tenant %1.</source>
        <translation>Erfordert ein Admin-Token für alle Mandanten; dieses Token ist auf den Mandanten %1 beschränkt.</translation>
    </message>
    <message>
        <source>Needs an admin token; this token has the %1 role.</source>
        <translation>Erfordert ein Admin-Token; dieses Token hat die Rolle %1.</translation>
    </message>
</context>
<context>
    <name>ferry::console::JobModel</name>
    <message>
        <source>Cancellation requested %1 by %2: the agent is stopping the job.</source>
        <translation>Abbruch am %1 von %2 angefordert: Der Agent beendet den Job.</translation>
    </message>
    <message>
        <source>Delivery %1, attempt %2; last heartbeat %3</source>
        <translation>Zustellung %1, Versuch %2; letztes Lebenszeichen %3</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Ereignistyp</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation>Versuch</translation>
    </message>
    <message>
        <source>Progress message</source>
        <translation>Fortschrittsmeldung</translation>
    </message>
</context>
<context>
    <name>ferry::console::JobWords</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>failed, will retry</source>
        <translation>fehlgeschlagen, wird wiederholt</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeit überschritten</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>verloren</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>wird abgebrochen</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>missed slots: each fired (the last %1 at most)</source>
        <translation>verpasste Termine: jeder ausgeführt (höchstens die letzten %1)</translation>
    </message>
    <message>
        <source>missed slots: skipped</source>
        <translation>verpasste Termine: übersprungen</translation>
    </message>
    <message>
        <source>missed slots: fired once</source>
        <translation>verpasste Termine: einmal ausgeführt</translation>
    </message>
</context>
<context>
    <name>ferry::console::JobsWidget</name>
    <message>
        <source>Schedules</source>
        <translation>Zeitpläne</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Jobs</translation>
    </message>
    <message>
        <source>Next fire times of the selected schedule</source>
        <translation>Nächste Termine des ausgewählten Zeitplans</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Zustellung</translation>
    </message>
    <message>
        <source>Exit code</source>
        <translation>Exit-Code</translation>
    </message>
    <message>
        <source>Cancellation</source>
        <translation>Abbruch</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>Prozess</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Letztes Lebenszeichen</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Attempt error</source>
        <translation>Fehler des Versuchs</translation>
    </message>
    <message>
        <source>Output of the attempt</source>
        <translation>Ausgabe des Versuchs</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the tenants, schedules and jobs again (F5)</source>
        <translation>Mandanten, Zeitpläne und Jobs neu laden (F5)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Cancel job…</source>
        <translation>Job a&amp;bbrechen …</translation>
    </message>
    <message>
        <source>Schedule and job actions</source>
        <translation>Aktionen für Zeitpläne und Jobs</translation>
    </message>
    <message>
        <source>Select a schedule to see its next fire times.</source>
        <translation>Einen Zeitplan auswählen, um seine nächsten Termine zu sehen.</translation>
    </message>
    <message>
        <source>Next fire times</source>
        <translation>Nächste Termine</translation>
    </message>
    <message>
        <source>Jobs (newest first)</source>
        <translation>Jobs (neueste zuerst)</translation>
    </message>
    <message numerus="yes">
        <source>Exec jobs of the tenant&apos;s routes; reloaded every %n s while one runs.</source>
        <translation>
            <numerusform>Exec-Jobs der Routen des Mandanten; alle %n s neu geladen, solange einer läuft.</numerusform>
            <numerusform>Exec-Jobs der Routen des Mandanten; alle %n s neu geladen, solange einer läuft.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delivery:</source>
        <translation>Zustellung:</translation>
    </message>
    <message>
        <source>Exit code:</source>
        <translation>Exit-Code:</translation>
    </message>
    <message>
        <source>Cancelled by:</source>
        <translation>Abgebrochen von:</translation>
    </message>
    <message>
        <source>Process:</source>
        <translation>Prozess:</translation>
    </message>
    <message>
        <source>Last heartbeat:</source>
        <translation>Letztes Lebenszeichen:</translation>
    </message>
    <message>
        <source>Finished:</source>
        <translation>Beendet:</translation>
    </message>
    <message>
        <source>Attempt error:</source>
        <translation>Fehler des Versuchs:</translation>
    </message>
    <message>
        <source>&amp;Output (standard output and error):</source>
        <translation>A&amp;usgabe (Standardausgabe und -fehler):</translation>
    </message>
    <message>
        <source>Needs the operator role; this token is a %1 token.</source>
        <translation>Erfordert die Rolle operator; dieses Token hat die Rolle %1.</translation>
    </message>
    <message>
        <source>Select a schedule first.</source>
        <translation>Zuerst einen Zeitplan auswählen.</translation>
    </message>
    <message>
        <source>%1 is paused already.</source>
        <translation>%1 ist bereits pausiert.</translation>
    </message>
    <message>
        <source>Pause %1: no slot fires until it is resumed</source>
        <translation>%1 pausieren: Kein Termin wird ausgeführt, bis er fortgesetzt wird</translation>
    </message>
    <message>
        <source>Resume %1: it fires again from its next slot; the slots missed while paused are not made up</source>
        <translation>%1 fortsetzen: Er wird ab seinem nächsten Termin wieder ausgeführt; die während der Pause verpassten Termine werden nicht nachgeholt</translation>
    </message>
    <message>
        <source>%1 is not paused.</source>
        <translation>%1 ist nicht pausiert.</translation>
    </message>
    <message>
        <source>Select a running job first.</source>
        <translation>Zuerst einen laufenden Job auswählen.</translation>
    </message>
    <message>
        <source>Cancellation was requested %1 by %2; the agent running the job stops it.</source>
        <translation>Der Abbruch wurde am %1 von %2 angefordert; der Agent, der den Job ausführt, beendet ihn.</translation>
    </message>
    <message>
        <source>Only a running job can be cancelled; this one is %1.</source>
        <translation>Nur ein laufender Job kann abgebrochen werden; dieser ist %1.</translation>
    </message>
    <message>
        <source>Stop the selected job (asks first)</source>
        <translation>Den ausgewählten Job beenden (fragt vorher)</translation>
    </message>
    <message>
        <source>This agent has no tenants yet: there are no schedules or jobs.</source>
        <translation>Dieser Agent hat noch keine Mandanten: Es gibt keine Zeitpläne oder Jobs.</translation>
    </message>
    <message>
        <source>Could not load the schedules. %1</source>
        <translation>Die Zeitpläne konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Could not load the jobs. %1</source>
        <translation>Die Jobs konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>Ortszeit</translation>
    </message>
    <message>
        <source>In %1</source>
        <translation>In %1</translation>
    </message>
    <message>
        <source>In the schedule&apos;s zone</source>
        <translation>In der Zeitzone des Zeitplans</translation>
    </message>
    <message>
        <source>Select a schedule.</source>
        <translation>Einen Zeitplan auswählen.</translation>
    </message>
    <message>
        <source>%1 is paused: no slot fires.</source>
        <translation>%1 ist pausiert: Kein Termin wird ausgeführt.</translation>
    </message>
    <message>
        <source>Coming slots of %1:</source>
        <translation>Kommende Termine von %1:</translation>
    </message>
    <message>
        <source>Job (select one)</source>
        <translation>Job (einen auswählen)</translation>
    </message>
    <message>
        <source>Select a job to see what its attempt printed.</source>
        <translation>Einen Job auswählen, um die Ausgabe seines Versuchs zu sehen.</translation>
    </message>
    <message>
        <source>Job %1 of delivery %2, attempt %3 (%4)</source>
        <translation>Job %1 der Zustellung %2, Versuch %3 (%4)</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>PID %1 on %2</source>
        <translation>PID %1 auf %2</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <source>The job is running: its output is recorded when the attempt ends.</source>
        <translation>Der Job läuft: Seine Ausgabe wird gespeichert, wenn der Versuch endet.</translation>
    </message>
    <message>
        <source>Loading the output…</source>
        <translation>Ausgabe wird geladen …</translation>
    </message>
    <message>
        <source>Could not load the output. %1</source>
        <translation>Die Ausgabe konnte nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>The agent recorded no result for this attempt.</source>
        <translation>Der Agent hat für diesen Versuch kein Ergebnis gespeichert.</translation>
    </message>
    <message>
        <source>The attempt printed nothing.</source>
        <translation>Der Versuch hat nichts ausgegeben.</translation>
    </message>
    <message>
        <source>Select a schedule to pause first.</source>
        <translation>Zuerst den zu pausierenden Zeitplan auswählen.</translation>
    </message>
    <message>
        <source>Select a schedule to resume first.</source>
        <translation>Zuerst den fortzusetzenden Zeitplan auswählen.</translation>
    </message>
    <message>
        <source>Choose a tenant first.</source>
        <translation>Zuerst einen Mandanten wählen.</translation>
    </message>
    <message>
        <source>Could not pause %1. %2</source>
        <translation>%1 konnte nicht pausiert werden. %2</translation>
    </message>
    <message>
        <source>Could not resume %1. %2</source>
        <translation>%1 konnte nicht fortgesetzt werden. %2</translation>
    </message>
    <message>
        <source>Schedule %1 of %2 paused: no slot fires until it is resumed.</source>
        <translation>Zeitplan %1 von %2 pausiert: Kein Termin wird ausgeführt, bis er fortgesetzt wird.</translation>
    </message>
    <message>
        <source>Schedule %1 of %2 resumed: it fires next %3.</source>
        <translation>Zeitplan %1 von %2 fortgesetzt: Nächste Ausführung %3.</translation>
    </message>
    <message>
        <source>Select a running job to cancel first.</source>
        <translation>Zuerst den abzubrechenden laufenden Job auswählen.</translation>
    </message>
    <message>
        <source>Cancel the job</source>
        <translation>Job abbrechen</translation>
    </message>
    <message>
        <source>Stop the job %1 of delivery %2 (attempt %3, started %4)?</source>
        <translation>Den Job %1 der Zustellung %2 beenden (Versuch %3, begonnen %4)?</translation>
    </message>
    <message>
        <source>The agent running it terminates its processes (after the command&apos;s grace period, forcibly). The delivery goes to the dead-letter queue, from where it can be replayed.</source>
        <translation>Der Agent, der ihn ausführt, beendet seine Prozesse (nach der Schonfrist des Befehls erzwungen). Die Zustellung kommt in die Dead-Letter-Queue, aus der sie erneut zugestellt werden kann.</translation>
    </message>
    <message>
        <source>&amp;Stop the job</source>
        <translation>Job &amp;beenden</translation>
    </message>
    <message>
        <source>&amp;Keep it running</source>
        <translation>&amp;Weiterlaufen lassen</translation>
    </message>
    <message>
        <source>Could not cancel the job of delivery %1. %2</source>
        <translation>Der Job der Zustellung %1 konnte nicht abgebrochen werden. %2</translation>
    </message>
    <message>
        <source>Cancellation of the job %1 of delivery %2 requested: the agent running it stops it.</source>
        <translation>Abbruch des Jobs %1 der Zustellung %2 angefordert: Der Agent, der ihn ausführt, beendet ihn.</translation>
    </message>
</context>
<context>
    <name>ferry::console::Language</name>
    <message>
        <source>System language</source>
        <translation>Sprache des Systems</translation>
    </message>
</context>
<context>
    <name>ferry::console::LiveFeed</name>
    <message>
        <source>Live feed connected</source>
        <translation>Live-Feed verbunden</translation>
    </message>
    <message>
        <source>Live feed refused the token (close code 1008)</source>
        <translation>Der Live-Feed hat das Token abgelehnt (Close-Code 1008)</translation>
    </message>
    <message>
        <source>Live feed unavailable: %1</source>
        <translation>Live-Feed nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Live feed closed</source>
        <translation>Live-Feed geschlossen</translation>
    </message>
    <message>
        <source>This agent has no live feed (GET /v1/live): update the agent to see the live charts. The other screens work.</source>
        <translation>Dieser Agent hat keinen Live-Feed (GET /v1/live): Aktualisieren Sie den Agenten, um die Live-Diagramme zu sehen. Die anderen Ansichten funktionieren.</translation>
    </message>
    <message>
        <source>Connecting to the live feed…</source>
        <translation>Verbinde mit dem Live-Feed …</translation>
    </message>
    <message>
        <source>Live feed refused: the agent presented a certificate whose key fingerprint is %1, but this connection is pinned to %2. The token was not sent.</source>
        <translation>Live-Feed abgelehnt: Der Agent hat ein Zertifikat mit dem Schlüssel-Fingerabdruck %1 vorgelegt, diese Verbindung ist aber auf %2 festgelegt. Das Token wurde nicht gesendet.</translation>
    </message>
</context>
<context>
    <name>ferry::console::MainWindow</name>
    <message>
        <source>Ferry Console</source>
        <translation>Ferry-Konsole</translation>
    </message>
    <message>
        <source>&amp;Dashboard</source>
        <translation>&amp;Übersicht</translation>
    </message>
    <message>
        <source>DL&amp;Q inbox</source>
        <translation>DL&amp;Q-Eingang</translation>
    </message>
    <message>
        <source>Delivery &amp;trace</source>
        <translation>Zustellungs&amp;verlauf</translation>
    </message>
    <message>
        <source>Screens</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Verbindungszustand</translation>
    </message>
    <message>
        <source>Token role</source>
        <translation>Rolle des Tokens</translation>
    </message>
    <message>
        <source>Agent version</source>
        <translation>Version des Agenten</translation>
    </message>
    <message>
        <source>Age of the data on screen</source>
        <translation>Alter der angezeigten Daten</translation>
    </message>
    <message>
        <source>Keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Verbindung</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden …</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Reconnect</source>
        <translation>&amp;Neu verbinden</translation>
    </message>
    <message>
        <source>Ctrl+Shift+K</source>
        <translation>Ctrl+Shift+K</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Find delivery…</source>
        <translation>Zustellung &amp;suchen …</translation>
    </message>
    <message>
        <source>D&amp;LQ</source>
        <translation>D&amp;LQ</translation>
    </message>
    <message>
        <source>Connection refused</source>
        <translation>Verbindung abgelehnt</translation>
    </message>
    <message>
        <source>Role: %1</source>
        <translation>Rolle: %1</translation>
    </message>
    <message>
        <source>Agent version: unknown</source>
        <translation>Version des Agenten: unbekannt</translation>
    </message>
    <message>
        <source>Agent %1</source>
        <translation>Agent %1</translation>
    </message>
    <message>
        <source>The agent reports its version in the live feed.</source>
        <translation>Der Agent meldet seine Version im Live-Feed.</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>Noch keine Daten</translation>
    </message>
    <message numerus="yes">
        <source>Data %n s old</source>
        <translation>
            <numerusform>Daten %n s alt</numerusform>
            <numerusform>Daten %n s alt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Data %n min old</source>
        <translation>
            <numerusform>Daten %n min alt</numerusform>
            <numerusform>Daten %n min alt</numerusform>
        </translation>
    </message>
    <message>
        <source>Token not remembered</source>
        <translation>Token nicht gespeichert</translation>
    </message>
    <message>
        <source>Tokens are not remembered: %1. The token is kept in memory until the console closes.</source>
        <translation>Tokens werden nicht gespeichert: %1. Das Token bleibt nur im Arbeitsspeicher, bis die Konsole geschlossen wird.</translation>
    </message>
    <message>
        <source>The token is kept for this session only: %1.</source>
        <translation>Das Token wird nur für diese Sitzung aufbewahrt: %1.</translation>
    </message>
    <message>
        <source>Confirm the agent&apos;s certificate</source>
        <translation>Zertifikat des Agenten bestätigen</translation>
    </message>
    <message>
        <source>This is the first connection to %1. Its certificate key has the fingerprint:&lt;br&gt;&lt;br&gt;&lt;b&gt;%2&lt;/b&gt;&lt;br&gt;&lt;br&gt;Compare it with the fingerprint that &apos;ferry-agent cert generate&apos; printed on the agent&apos;s host (or ask its administrator). Trust and pin it only if they are the same.</source>
        <translation>Dies ist die erste Verbindung zu %1. Der Schlüssel seines Zertifikats hat den Fingerabdruck:&lt;br&gt;&lt;br&gt;&lt;b&gt;%2&lt;/b&gt;&lt;br&gt;&lt;br&gt;Vergleichen Sie ihn mit dem Fingerabdruck, den &apos;ferry-agent cert generate&apos; auf dem Rechner des Agenten ausgegeben hat (oder fragen Sie dessen Administrator). Vertrauen Sie ihm und legen Sie ihn nur fest, wenn beide gleich sind.</translation>
    </message>
    <message>
        <source>Certificate subject: %1</source>
        <translation>Inhaber des Zertifikats: %1</translation>
    </message>
    <message>
        <source>&amp;Trust and pin</source>
        <translation>&amp;Vertrauen und festlegen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>A new language applies when the console starts again.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start der Konsole.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>C&amp;hannel health</source>
        <translation>&amp;Kanalzustand</translation>
    </message>
    <message>
        <source>Te&amp;nants</source>
        <translation>&amp;Mandanten</translation>
    </message>
    <message>
        <source>&amp;Reports</source>
        <translation>&amp;Berichte</translation>
    </message>
    <message>
        <source>Re&amp;ports</source>
        <translation>Be&amp;richte</translation>
    </message>
    <message>
        <source>Reports need an admin token.</source>
        <translation>Berichte brauchen ein Admin-Token.</translation>
    </message>
    <message>
        <source>Reconc&amp;iliation</source>
        <translation>Ab&amp;gleich</translation>
    </message>
    <message>
        <source>&amp;Workflows</source>
        <translation>&amp;Workflows</translation>
    </message>
    <message>
        <source>Schedules &amp;&amp; &amp;jobs</source>
        <translation>&amp;Zeitpläne &amp;&amp; Jobs</translation>
    </message>
    <message>
        <source>&amp;Administration</source>
        <translation>&amp;Verwaltung</translation>
    </message>
</context>
<context>
    <name>ferry::console::PageMessage</name>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>ferry::console::ProducerKeyAdminPage</name>
    <message>
        <source>New HTTP &amp;token…</source>
        <translation>Neues HTTP-&amp;Token…</translation>
    </message>
    <message>
        <source>New &amp;ZeroMQ key pair…</source>
        <translation>Neues &amp;ZeroMQ-Schlüsselpaar…</translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation>&amp;Widerrufen…</translation>
    </message>
    <message>
        <source>Producer keys</source>
        <translation>Produzenten-Schlüssel</translation>
    </message>
    <message>
        <source>Choose a tenant first.</source>
        <translation>Wählen Sie zuerst einen Mandanten.</translation>
    </message>
    <message>
        <source>A new producer token for HTTP ingest, shown once as a credentials file</source>
        <translation>Ein neues Produzenten-Token für HTTP-Ingest, einmal als Zugangsdatei angezeigt</translation>
    </message>
    <message>
        <source>A new CURVE key pair for ZeroMQ ingest, shown once as a credentials file</source>
        <translation>Ein neues CURVE-Schlüsselpaar für ZeroMQ-Ingest, einmal als Zugangsdatei angezeigt</translation>
    </message>
    <message>
        <source>Revoke the selected key: its producer is refused from then on (asks first)</source>
        <translation>Den ausgewählten Schlüssel widerrufen: Sein Produzent wird von da an abgewiesen (fragt vorher)</translation>
    </message>
    <message>
        <source>This key is revoked already.</source>
        <translation>Dieser Schlüssel ist bereits widerrufen.</translation>
    </message>
    <message>
        <source>Select a key first.</source>
        <translation>Wählen Sie zuerst einen Schlüssel aus.</translation>
    </message>
    <message>
        <source>No key was created: %1</source>
        <translation>Es wurde kein Schlüssel erstellt: %1</translation>
    </message>
    <message>
        <source>ZeroMQ key pair %1 of %2</source>
        <translation>ZeroMQ-Schlüsselpaar %1 von %2</translation>
    </message>
    <message>
        <source>HTTP token %1 of %2</source>
        <translation>HTTP-Token %1 von %2</translation>
    </message>
    <message>
        <source>The producer&apos;s credentials file. Save it where the producer runs and keep it private: whoever has it can send events as %1.</source>
        <translation>Die Zugangsdatei des Produzenten. Speichern Sie sie dort, wo der Produzent läuft, und halten Sie sie geheim: Wer sie hat, kann Ereignisse als %1 senden.</translation>
    </message>
    <message>
        <source>ZeroMQ key pair %1 created for %2.</source>
        <translation>ZeroMQ-Schlüsselpaar %1 für %2 erstellt.</translation>
    </message>
    <message>
        <source>HTTP token %1 created for %2.</source>
        <translation>HTTP-Token %1 für %2 erstellt.</translation>
    </message>
    <message>
        <source>Revoke key %1?</source>
        <translation>Schlüssel %1 widerrufen?</translation>
    </message>
    <message>
        <source>The producer with ZeroMQ key pair %1 of %2 is disconnected and refused within seconds. This cannot be undone.</source>
        <translation>Der Produzent mit dem ZeroMQ-Schlüsselpaar %1 von %2 wird binnen Sekunden getrennt und abgewiesen. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>HTTP ingest refuses producer token %1 of %2 (401) within 30 seconds. This cannot be undone.</source>
        <translation>HTTP-Ingest weist das Produzenten-Token %1 von %2 binnen 30 Sekunden ab (401). Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Key %1 was not revoked: %2</source>
        <translation>Schlüssel %1 wurde nicht widerrufen: %2</translation>
    </message>
    <message>
        <source>Key %1 revoked.</source>
        <translation>Schlüssel %1 widerrufen.</translation>
    </message>
</context>
<context>
    <name>ferry::console::ProducerKeyModel</name>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Public key</source>
        <translation>Öffentlicher Schlüssel</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>ZeroMQ key pair (CURVE)</source>
        <translation>ZeroMQ-Schlüsselpaar (CURVE)</translation>
    </message>
    <message>
        <source>HTTP token</source>
        <translation>HTTP-Token</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
</context>
<context>
    <name>ferry::console::ProviderMessageModel</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Estimated from the tenant&apos;s price for the channel</source>
        <translation>Geschätzt nach dem Preis des Mandanten für den Kanal</translation>
    </message>
    <message>
        <source>The price the provider reported</source>
        <translation>Der vom Anbieter gemeldete Preis</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <source>Provider message id</source>
        <translation>Nachrichten-ID des Anbieters</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Receipts</source>
        <translation>Zustellmeldungen</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Währung</translation>
    </message>
    <message>
        <source>Estimated</source>
        <translation>Geschätzt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Delivery id</source>
        <translation>Zustellungs-ID</translation>
    </message>
</context>
<context>
    <name>ferry::console::QuotaDialog</name>
    <message>
        <source>Quotas and SLA of %1</source>
        <translation>Kontingente und SLA von %1</translation>
    </message>
    <message>
        <source>Events per &amp;second:</source>
        <translation>Ereignisse pro &amp;Sekunde:</translation>
    </message>
    <message>
        <source>Events per &amp;day:</source>
        <translation>Ereignisse pro &amp;Tag:</translation>
    </message>
    <message>
        <source>Largest &amp;event (bytes):</source>
        <translation>Größtes &amp;Ereignis (Bytes):</translation>
    </message>
    <message>
        <source>SLA &amp;target (%):</source>
        <translation>SLA-&amp;Ziel (%):</translation>
    </message>
    <message>
        <source>SLA &amp;latency (ms):</source>
        <translation>SLA-&amp;Latenz (ms):</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>Quotas: empty or 0 is no limit. The SLA target is the share of deliveries that must succeed within the latency.</source>
        <translation>Kontingente: leer oder 0 heißt keine Grenze. Das SLA-Ziel ist der Anteil der Zustellungen, die innerhalb der Latenz gelingen müssen.</translation>
    </message>
    <message>
        <source>Events per second: a whole number from 0 (no limit) to %1.</source>
        <translation>Ereignisse pro Sekunde: eine ganze Zahl von 0 (keine Grenze) bis %1.</translation>
    </message>
    <message>
        <source>Events per day: a whole number from 0 (no limit) to %1.</source>
        <translation>Ereignisse pro Tag: eine ganze Zahl von 0 (keine Grenze) bis %1.</translation>
    </message>
    <message>
        <source>Largest event: a number of bytes from 0 (no limit) to %1.</source>
        <translation>Größtes Ereignis: eine Anzahl Bytes von 0 (keine Grenze) bis %1.</translation>
    </message>
    <message>
        <source>SLA target: a percentage above 0 and at most 100, such as 99.5.</source>
        <translation>SLA-Ziel: ein Prozentsatz über 0 und höchstens 100, etwa 99,5.</translation>
    </message>
    <message>
        <source>SLA latency: a whole number of milliseconds from 1 to %1 (366 days).</source>
        <translation>SLA-Latenz: eine ganze Zahl von Millisekunden von 1 bis %1 (366 Tage).</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReceiptStatus</name>
    <message>
        <source>accepted</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <source>read</source>
        <translation>gelesen</translation>
    </message>
    <message>
        <source>undelivered</source>
        <translation>nicht zugestellt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>bounced</source>
        <translation>abgewiesen</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>in der Warteschlange</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>geplant</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>wird gesendet</translation>
    </message>
    <message>
        <source>canceled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>moved from %1 to %2</source>
        <translation>von %1 auf %2 gesetzt</translation>
    </message>
    <message>
        <source>kept %1: the provider reports an earlier state</source>
        <translation>%1 beibehalten: der Anbieter meldet einen früheren Stand</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartend</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>by schedule</source>
        <translation>nach Zeitplan</translation>
    </message>
    <message>
        <source>on request</source>
        <translation>auf Anfrage</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReconcileDriftModel</name>
    <message>
        <source>The provider&apos;s word: %1</source>
        <translation>Wortlaut des Anbieters: %1</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Gefunden</translation>
    </message>
    <message>
        <source>Provider message id</source>
        <translation>Nachrichten-ID des Anbieters</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Ferry believed</source>
        <translation>Stand bei Ferry</translation>
    </message>
    <message>
        <source>Provider said</source>
        <translation>Stand beim Anbieter</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Maßnahme</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Delivery id</source>
        <translation>Zustellungs-ID</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReconcileFollower</name>
    <message>
        <source>Could not start a reconciliation run. %1</source>
        <translation>Der Abgleich konnte nicht gestartet werden. %1</translation>
    </message>
    <message numerus="yes">
        <source>Run %1 has not finished after %n second(s). It stays requested: an agent&apos;s reconciler takes it when it can; refresh later, and check that an agent is running.</source>
        <translation>
            <numerusform>Lauf %1 ist nach %n Sekunde noch nicht abgeschlossen. Er bleibt angefordert: Der Abgleicher eines Agenten übernimmt ihn, sobald er kann. Später aktualisieren und prüfen, ob ein Agent läuft.</numerusform>
            <numerusform>Lauf %1 ist nach %n Sekunden noch nicht abgeschlossen. Er bleibt angefordert: Der Abgleicher eines Agenten übernimmt ihn, sobald er kann. Später aktualisieren und prüfen, ob ein Agent läuft.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not follow run %1. %2</source>
        <translation>Lauf %1 konnte nicht verfolgt werden. %2</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReconcileRunModel</name>
    <message>
        <source>Requested %1 by %2, started %3, finished %4</source>
        <translation>Angefordert %1 von %2, gestartet %3, abgeschlossen %4</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Auslöser</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>Angefordert</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <source>Checked</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <source>Drifts</source>
        <translation>Abweichungen</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Fehlschläge</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>Angefordert von</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReconciliationWidget</name>
    <message>
        <source>Reconciliation runs</source>
        <translation>Abgleichsläufe</translation>
    </message>
    <message>
        <source>Drifts</source>
        <translation>Abweichungen</translation>
    </message>
    <message>
        <source>Messages and their cost</source>
        <translation>Nachrichten und ihre Kosten</translation>
    </message>
    <message>
        <source>Reconciliation in progress</source>
        <translation>Abgleich läuft</translation>
    </message>
    <message>
        <source>State of the requested run</source>
        <translation>Zustand des angeforderten Laufs</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the tenants, runs, drifts and messages again (F5)</source>
        <translation>Mandanten, Läufe, Abweichungen und Nachrichten neu laden (F5)</translation>
    </message>
    <message>
        <source>Reconcile &amp;now</source>
        <translation>Jetzt &amp;abgleichen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+N</source>
        <translation>Ctrl+Shift+N</translation>
    </message>
    <message>
        <source>Drifts of &amp;all runs</source>
        <translation>Abweichungen &amp;aller Läufe</translation>
    </message>
    <message>
        <source>Show the drifts every run found, not only the selected run&apos;s</source>
        <translation>Die Abweichungen aller Läufe zeigen, nicht nur die des ausgewählten Laufs</translation>
    </message>
    <message>
        <source>Runs (newest first)</source>
        <translation>Läufe (neueste zuerst)</translation>
    </message>
    <message>
        <source>Reconciliation actions</source>
        <translation>Abgleichsaktionen</translation>
    </message>
    <message>
        <source>Select a run to see only the drifts it found.</source>
        <translation>Einen Lauf auswählen, um nur seine Abweichungen zu sehen.</translation>
    </message>
    <message>
        <source>Needs the operator role; this token is a %1 token.</source>
        <translation>Erfordert die Rolle operator; dieses Token hat die Rolle %1.</translation>
    </message>
    <message>
        <source>A run is on its way; wait until it has finished.</source>
        <translation>Ein Lauf ist unterwegs; warten, bis er abgeschlossen ist.</translation>
    </message>
    <message>
        <source>Choose a tenant first.</source>
        <translation>Zuerst einen Mandanten wählen.</translation>
    </message>
    <message>
        <source>Ask the providers now about the messages of %1 that have had no final receipt</source>
        <translation>Die Anbieter jetzt nach den Nachrichten von %1 ohne endgültige Zustellmeldung fragen</translation>
    </message>
    <message>
        <source>Drifts of every run</source>
        <translation>Abweichungen aller Läufe</translation>
    </message>
    <message>
        <source>Drifts of run %1</source>
        <translation>Abweichungen von Lauf %1</translation>
    </message>
    <message>
        <source>This agent has no tenants yet: there is nothing to reconcile.</source>
        <translation>Dieser Agent hat noch keine Mandanten: Es gibt nichts abzugleichen.</translation>
    </message>
    <message>
        <source>Could not load the reconciliation report. %1</source>
        <translation>Der Abgleichsbericht konnte nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Could not load the drifts. %1</source>
        <translation>Die Abweichungen konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Could not load the messages. %1</source>
        <translation>Die Nachrichten konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Requesting a run for %1…</source>
        <translation>Lauf für %1 wird angefordert …</translation>
    </message>
    <message>
        <source>Run %1 is running… (%2 s)</source>
        <translation>Lauf %1 läuft … (%2 s)</translation>
    </message>
    <message>
        <source>Run %1 is waiting for a reconciler… (%2 s)</source>
        <translation>Lauf %1 wartet auf einen Abgleicher … (%2 s)</translation>
    </message>
    <message>
        <source>Run %1 of %2 %3: checked %4, drifts %5, failures %6.</source>
        <translation>Lauf %1 von %2 %3: geprüft %4, Abweichungen %5, Fehlschläge %6.</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReportExporter</name>
    <message>
        <source>Choose at least one tenant.</source>
        <translation>Wählen Sie mindestens einen Mandanten.</translation>
    </message>
    <message>
        <source>The period&apos;s start must come before its end.</source>
        <translation>Der Beginn des Zeitraums muss vor seinem Ende liegen.</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>Export abgebrochen; es wurde keine Datei geschrieben.</translation>
    </message>
    <message numerus="yes">
        <source>Loaded the report of %n tenant(s).</source>
        <translation>
            <numerusform>Bericht von %n Mandanten geladen.</numerusform>
            <numerusform>Berichte von %n Mandanten geladen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported the report of %n tenant(s) to %1.</source>
        <translation>
            <numerusform>Bericht von %n Mandanten nach %1 exportiert.</numerusform>
            <numerusform>Berichte von %n Mandanten nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reports need an admin token; this token may not read them. Connect with an admin token.</source>
        <translation>Berichte brauchen ein Admin-Token; dieses Token darf sie nicht lesen. Verbinden Sie sich mit einem Admin-Token.</translation>
    </message>
    <message>
        <source>Could not export the report of %1. %2</source>
        <translation>Der Bericht von %1 konnte nicht exportiert werden. %2</translation>
    </message>
    <message>
        <source>Could not write %1: %2. Choose another file.</source>
        <translation>%1 konnte nicht geschrieben werden: %2. Wählen Sie eine andere Datei.</translation>
    </message>
    <message>
        <source>the PDF could not be drawn</source>
        <translation>das PDF konnte nicht gezeichnet werden</translation>
    </message>
</context>
<context>
    <name>ferry::console::ReportsWidget</name>
    <message>
        <source>Report preview</source>
        <translation>Berichtsvorschau</translation>
    </message>
    <message>
        <source>%1: %2 deliveries</source>
        <translation>%1: %2 Zustellungen</translation>
    </message>
    <message>
        <source>Choose tenants and a period, then Preview (Ctrl+Shift+P) to see their deliveries by state.</source>
        <translation>Wählen Sie Mandanten und einen Zeitraum, dann Vorschau (Strg+Umschalt+P), um ihre Zustellungen nach Zustand zu sehen.</translation>
    </message>
    <message>
        <source>%1 — %2 deliveries</source>
        <translation>%1 — %2 Zustellungen</translation>
    </message>
    <message>
        <source>Tenants to report on</source>
        <translation>Mandanten im Bericht</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Dieser Monat</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>Letzter Monat</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigener</translation>
    </message>
    <message>
        <source>Period start (UTC)</source>
        <translation>Beginn des Zeitraums (UTC)</translation>
    </message>
    <message>
        <source>Period end (UTC)</source>
        <translation>Ende des Zeitraums (UTC)</translation>
    </message>
    <message>
        <source>Result of the last export</source>
        <translation>Ergebnis des letzten Exports</translation>
    </message>
    <message>
        <source>&amp;Refresh tenants</source>
        <translation>Mandanten &amp;aktualisieren</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>&amp;Vorschau</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>&amp;CSV exportieren …</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>&amp;PDF exportieren …</translation>
    </message>
    <message>
        <source>Report actions</source>
        <translation>Berichtsaktionen</translation>
    </message>
    <message>
        <source>&amp;All</source>
        <translation>A&amp;lle</translation>
    </message>
    <message>
        <source>&amp;None</source>
        <translation>&amp;Keinen</translation>
    </message>
    <message>
        <source>Choose all tenants</source>
        <translation>Alle Mandanten wählen</translation>
    </message>
    <message>
        <source>Choose no tenant</source>
        <translation>Keinen Mandanten wählen</translation>
    </message>
    <message>
        <source>&amp;Tenants:</source>
        <translation>&amp;Mandanten:</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>&amp;From (UTC):</source>
        <translation>&amp;Von (UTC):</translation>
    </message>
    <message>
        <source>T&amp;o (UTC):</source>
        <translation>&amp;Bis (UTC):</translation>
    </message>
    <message numerus="yes">
        <source>Fetched %1 of %n tenant report(s)…</source>
        <translation>
            <numerusform>%1 von %n Mandantenbericht geholt …</numerusform>
            <numerusform>%1 von %n Mandantenberichten geholt …</numerusform>
        </translation>
    </message>
    <message>
        <source>Needs the admin role; this token is a %1 token.</source>
        <translation>Braucht die Rolle Admin; dieses Token hat die Rolle %1.</translation>
    </message>
    <message>
        <source>Show the chosen tenants&apos; deliveries by state</source>
        <translation>Die Zustellungen der gewählten Mandanten nach Zustand zeigen</translation>
    </message>
    <message>
        <source>Save the deliveries by channel and state as CSV</source>
        <translation>Die Zustellungen nach Kanal und Zustand als CSV speichern</translation>
    </message>
    <message>
        <source>Save a PDF: a table and a chart per tenant</source>
        <translation>Ein PDF speichern: eine Tabelle und ein Diagramm je Mandant</translation>
    </message>
    <message>
        <source>Could not load the tenants. %1</source>
        <translation>Die Mandanten konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Reports need an admin token; this token is a %1 token.</source>
        <translation>Berichte brauchen ein Admin-Token; dieses Token hat die Rolle %1.</translation>
    </message>
    <message>
        <source>Fetching the reports…</source>
        <translation>Berichte werden geholt …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Exporting reports</source>
        <translation>Berichte werden exportiert</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>PDF exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-Dateien (*.pdf)</translation>
    </message>
</context>
<context>
    <name>ferry::console::Role</name>
    <message>
        <source>viewer</source>
        <translation>viewer (Lesen)</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operator (Bedienen)</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>admin (Verwalten)</translation>
    </message>
    <message>
        <source>unknown role</source>
        <translation>unbekannte Rolle</translation>
    </message>
</context>
<context>
    <name>ferry::console::RouteAdminPage</name>
    <message>
        <source>All tenants</source>
        <translation>Alle Mandanten</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>Routen</translation>
    </message>
    <message>
        <source>Filter by name, target, event type…</source>
        <translation>Nach Name, Ziel, Ereignistyp filtern …</translation>
    </message>
    <message>
        <source>Filter routes</source>
        <translation>Routen filtern</translation>
    </message>
    <message>
        <source>Outcome of the test send</source>
        <translation>Ergebnis der Testsendung</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the tenants and routes again (F5)</source>
        <translation>Mandanten und Routen neu laden (F5)</translation>
    </message>
    <message>
        <source>&amp;New route…</source>
        <translation>&amp;Neue Route …</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Bearbeiten …</translation>
    </message>
    <message>
        <source>&amp;Disable…</source>
        <translation>&amp;Deaktivieren …</translation>
    </message>
    <message>
        <source>E&amp;nable</source>
        <translation>Akti&amp;vieren</translation>
    </message>
    <message>
        <source>&amp;Test send</source>
        <translation>&amp;Testsendung</translation>
    </message>
    <message>
        <source>Route actions</source>
        <translation>Aktionen für Routen</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>The routes could not be loaded: %1</source>
        <translation>Die Routen konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Needs an operator or admin token; this token is a %1 token.</source>
        <translation>Braucht ein Operator- oder Admin-Token; dieses Token ist ein %1-Token.</translation>
    </message>
    <message>
        <source>Select a route first.</source>
        <translation>Wählen Sie zuerst eine Route aus.</translation>
    </message>
    <message>
        <source>Create a route</source>
        <translation>Eine Route anlegen</translation>
    </message>
    <message>
        <source>Change the selected route</source>
        <translation>Die ausgewählte Route ändern</translation>
    </message>
    <message>
        <source>The route is disabled already.</source>
        <translation>Die Route ist bereits deaktiviert.</translation>
    </message>
    <message>
        <source>Disable the selected route; its open deliveries go to the DLQ</source>
        <translation>Die ausgewählte Route deaktivieren; ihre offenen Zustellungen gehen in die DLQ</translation>
    </message>
    <message>
        <source>The route is enabled.</source>
        <translation>Die Route ist aktiviert.</translation>
    </message>
    <message>
        <source>Enable the selected route again</source>
        <translation>Die ausgewählte Route wieder aktivieren</translation>
    </message>
    <message>
        <source>The route is disabled: enable it first.</source>
        <translation>Die Route ist deaktiviert: Aktivieren Sie sie zuerst.</translation>
    </message>
    <message>
        <source>A test send is under way.</source>
        <translation>Eine Testsendung läuft.</translation>
    </message>
    <message>
        <source>Send a test event to the selected route alone and show what became of it</source>
        <translation>Ein Testereignis nur an die ausgewählte Route senden und zeigen, was daraus wurde</translation>
    </message>
    <message>
        <source>Route %1 is not listed: refresh the page.</source>
        <translation>Route %1 ist nicht aufgeführt: Aktualisieren Sie die Seite.</translation>
    </message>
    <message>
        <source>Route %1 saved</source>
        <translation>Route %1 gespeichert</translation>
    </message>
    <message>
        <source>Signing secret of %1</source>
        <translation>Signaturgeheimnis von %1</translation>
    </message>
    <message>
        <source>Disable the route</source>
        <translation>Route deaktivieren</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>The route %1 was not disabled: %2</source>
        <translation>Die Route %1 wurde nicht deaktiviert: %2</translation>
    </message>
    <message>
        <source>Route %1 disabled</source>
        <translation>Route %1 deaktiviert</translation>
    </message>
    <message>
        <source>The route %1 was not enabled: %2</source>
        <translation>Die Route %1 wurde nicht aktiviert: %2</translation>
    </message>
    <message>
        <source>Route %1 enabled</source>
        <translation>Route %1 aktiviert</translation>
    </message>
    <message>
        <source>Test send to %1: sending…</source>
        <translation>Testsendung an %1: wird gesendet …</translation>
    </message>
    <message>
        <source>Test send to %1 refused: %2</source>
        <translation>Testsendung an %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>Test send to %1: sent, waiting for the outcome…</source>
        <translation>Testsendung an %1: gesendet, warte auf das Ergebnis …</translation>
    </message>
    <message>
        <source>Test send to %1: no outcome after %2 s; look for delivery %3 under Deliveries.</source>
        <translation>Testsendung an %1: kein Ergebnis nach %2 s; suchen Sie die Zustellung %3 unter Zustellungen.</translation>
    </message>
    <message>
        <source>Test send to %1: delivered, HTTP %2 in %3 ms.</source>
        <translation>Testsendung an %1: zugestellt, HTTP %2 in %3 ms.</translation>
    </message>
    <message>
        <source>Test send to %1 failed: %2</source>
        <translation>Testsendung an %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Give this secret to the receiver of route %1: it checks the signature of every delivery with it (Standard Webhooks).</source>
        <translation>Geben Sie dieses Geheimnis dem Empfänger der Route %1: Er prüft damit die Signatur jeder Zustellung (Standard Webhooks).</translation>
    </message>
    <message>
        <source>Disable the route %1 (%2)? No new events are routed to it, and its open deliveries go to the dead-letter queue as endpoint_disabled, from where they can be replayed once it is enabled again.</source>
        <translation>Die Route %1 (%2) deaktivieren? Neue Ereignisse werden nicht mehr an sie geleitet, und ihre offenen Zustellungen gehen als endpoint_disabled in die Dead-Letter-Queue, aus der sie erneut gesendet werden können, sobald die Route wieder aktiviert ist.</translation>
    </message>
</context>
<context>
    <name>ferry::console::RouteEditor</name>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Edit route</source>
        <translation>Route bearbeiten</translation>
    </message>
    <message>
        <source>New route</source>
        <translation>Neue Route</translation>
    </message>
    <message>
        <source>What people call the route, such as ERP orders</source>
        <translation>Wie die Route genannt wird, etwa ERP-Bestellungen</translation>
    </message>
    <message>
        <source>order.created, order.paid (empty: every type)</source>
        <translation>order.created, order.paid (leer: jeder Typ)</translation>
    </message>
    <message>
        <source>In order per partition key</source>
        <translation>In Reihenfolge je Partitionsschlüssel</translation>
    </message>
    <message>
        <source>Block the partition until an operator acts</source>
        <translation>Partition blockieren, bis ein Operator handelt</translation>
    </message>
    <message>
        <source>Skip the dead delivery and carry on</source>
        <translation>Die tote Zustellung überspringen und weitermachen</translation>
    </message>
    <message>
        <source>The agent&apos;s default</source>
        <translation>Vorgabe des Agenten</translation>
    </message>
    <message>
        <source>Exponential backoff</source>
        <translation>Exponentielles Backoff</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>0s,5s,5m,30m,2h</source>
        <translation>0s,5s,5m,30m,2h</translation>
    </message>
    <message>
        <source>the policy&apos;s</source>
        <translation>laut Richtlinie</translation>
    </message>
    <message>
        <source>seconds, or 6h, 3d (empty: the agent&apos;s default)</source>
        <translation>Sekunden, oder 6h, 3d (leer: Vorgabe des Agenten)</translation>
    </message>
    <message>
        <source>the agent&apos;s default</source>
        <translation>Vorgabe des Agenten</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>Enabled: new events are delivered</source>
        <translation>Aktiviert: neue Ereignisse werden zugestellt</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Kanal:</translation>
    </message>
    <message>
        <source>Provider &amp;account:</source>
        <translation>Anbieter&amp;konto:</translation>
    </message>
    <message>
        <source>&amp;Event types:</source>
        <translation>&amp;Ereignistypen:</translation>
    </message>
    <message>
        <source>&amp;Ordering:</source>
        <translation>&amp;Reihenfolge:</translation>
    </message>
    <message>
        <source>When a delivery &amp;dies:</source>
        <translation>Wenn eine Zustellung &amp;stirbt:</translation>
    </message>
    <message>
        <source>&amp;Retries:</source>
        <translation>&amp;Wiederholungen:</translation>
    </message>
    <message>
        <source>&amp;Max attempts:</source>
        <translation>&amp;Höchstzahl Versuche:</translation>
    </message>
    <message>
        <source>Max a&amp;ge:</source>
        <translation>Höchst&amp;alter:</translation>
    </message>
    <message>
        <source>&amp;Concurrency:</source>
        <translation>&amp;Parallelität:</translation>
    </message>
    <message>
        <source>Rate per &amp;second:</source>
        <translation>Rate pro Se&amp;kunde:</translation>
    </message>
    <message>
        <source>Tem&amp;plate:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>A route stays with its tenant.</source>
        <translation>Eine Route bleibt bei ihrem Mandanten.</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>https://erp.example.com/hooks/ferry</source>
        <translation>https://erp.example.com/hooks/ferry</translation>
    </message>
    <message>
        <source>&amp;Command:</source>
        <translation>&amp;Befehl:</translation>
    </message>
    <message>
        <source>The name of a command configured on the agent</source>
        <translation>Der Name eines auf dem Agenten eingerichteten Befehls</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>Any text: nothing is sent</source>
        <translation>Beliebiger Text: Es wird nichts gesendet</translation>
    </message>
    <message>
        <source>&amp;Recipient:</source>
        <translation>&amp;Empfänger:</translation>
    </message>
    <message>
        <source>Fixed, or a template such as {{data.phone}}</source>
        <translation>Fest, oder eine Vorlage wie {{data.phone}}</translation>
    </message>
    <message>
        <source>(none: this channel needs no account)</source>
        <translation>(keines: dieser Kanal braucht kein Konto)</translation>
    </message>
    <message>
        <source>(none: the route&apos;s own signing secret)</source>
        <translation>(keines: das eigene Signaturgeheimnis der Route)</translation>
    </message>
    <message>
        <source>(tenant %1 has no %2 account: store one under Credentials)</source>
        <translation>(Mandant %1 hat kein %2-Konto: Legen Sie eines unter Zugangsdaten an)</translation>
    </message>
    <message>
        <source>The accounts could not be loaded: %1</source>
        <translation>Die Konten konnten nicht geladen werden: %1</translation>
    </message>
</context>
<context>
    <name>ferry::console::RouteModel</name>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>every type</source>
        <translation>jeder Typ</translation>
    </message>
    <message>
        <source>yes (%1)</source>
        <translation>ja (%1)</translation>
    </message>
    <message>
        <source>skip</source>
        <translation>überspringen</translation>
    </message>
    <message>
        <source>block</source>
        <translation>blockieren</translation>
    </message>
    <message>
        <source>default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>own secret</source>
        <translation>eigenes Geheimnis</translation>
    </message>
    <message>
        <source>Route %1 of tenant %2</source>
        <translation>Route %1 des Mandanten %2</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Event types</source>
        <translation>Ereignistypen</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>Geordnet</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Parallelität</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Credential</source>
        <translation>Zugangsdaten</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Push notification</source>
        <translation>Push-Benachrichtigung</translation>
    </message>
    <message>
        <source>Command on the agent (exec)</source>
        <translation>Befehl auf dem Agenten (exec)</translation>
    </message>
    <message>
        <source>Null (accept and drop)</source>
        <translation>Null (annehmen und verwerfen)</translation>
    </message>
</context>
<context>
    <name>ferry::console::ScheduleModel</name>
    <message>
        <source>Last fired %1 (its slot %2), event %3</source>
        <translation>Zuletzt ausgeführt %1 (Termin %2), Ereignis %3</translation>
    </message>
    <message>
        <source>Not fired yet</source>
        <translation>Noch nicht ausgeführt</translation>
    </message>
    <message>
        <source>Paused: no slot fires until it is resumed.</source>
        <translation>Pausiert: Kein Termin wird ausgeführt, bis er fortgesetzt wird.</translation>
    </message>
    <message>
        <source>Emits %1 (source %2); %3</source>
        <translation>Sendet %1 (Quelle %2); %3</translation>
    </message>
    <message>
        <source>When it fires next, on this computer&apos;s clock</source>
        <translation>Wann er als Nächstes ausgeführt wird, nach der Uhr dieses Computers</translation>
    </message>
    <message>
        <source>When it fires next, on the clock of its time zone (the one its expression is read in)</source>
        <translation>Wann er als Nächstes ausgeführt wird, nach der Uhr seiner Zeitzone (in der sein Ausdruck gelesen wird)</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>Ausdruck</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Next fire</source>
        <translation>Nächster Termin</translation>
    </message>
    <message>
        <source>In its zone</source>
        <translation>In seiner Zone</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Fired</source>
        <translation>Ausgeführt</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
</context>
<context>
    <name>ferry::console::SecretDialog</name>
    <message>
        <source>Shown only now: Ferry keeps no copy of it and cannot show it again. Copy it or save it to a file before you close this.</source>
        <translation>Nur jetzt angezeigt: Ferry behält keine Kopie und kann es nicht erneut anzeigen. Kopieren Sie es oder speichern Sie es in einer Datei, bevor Sie dies schließen.</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>&amp;Save to file…</source>
        <translation>In Datei &amp;speichern…</translation>
    </message>
    <message>
        <source>Save to file</source>
        <translation>In Datei speichern</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>Nicht gespeichert</translation>
    </message>
    <message>
        <source>%1 could not be written: %2. Choose another file.</source>
        <translation>%1 konnte nicht geschrieben werden: %2. Wählen Sie eine andere Datei.</translation>
    </message>
    <message>
        <source>Close without keeping it?</source>
        <translation>Schließen, ohne es aufzubewahren?</translation>
    </message>
    <message>
        <source>You neither copied nor saved it. Ferry cannot show it again: you would have to create a new one.</source>
        <translation>Sie haben es weder kopiert noch gespeichert. Ferry kann es nicht erneut anzeigen: Sie müssten ein neues erstellen.</translation>
    </message>
    <message>
        <source>Close and lose it</source>
        <translation>Schließen und verwerfen</translation>
    </message>
    <message>
        <source>You did not save it to a file. Ferry cannot show it again: you would have to create a new one.</source>
        <translation>Sie haben es nicht in einer Datei gespeichert. Ferry kann es nicht erneut anzeigen: Sie müssten ein neues erstellen.</translation>
    </message>
</context>
<context>
    <name>ferry::console::StateWords</name>
    <message>
        <source>queued</source>
        <translation>eingereiht</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>in flight</source>
        <translation>unterwegs</translation>
    </message>
    <message>
        <source>waiting to retry</source>
        <translation>wartet auf Wiederholung</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>tot</translation>
    </message>
    <message>
        <source>discarded</source>
        <translation>verworfen</translation>
    </message>
    <message>
        <source>failed, retryable</source>
        <translation>fehlgeschlagen, wiederholbar</translation>
    </message>
    <message>
        <source>failed for good</source>
        <translation>endgültig fehlgeschlagen</translation>
    </message>
    <message>
        <source>receiver gone</source>
        <translation>Empfänger existiert nicht mehr</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>lease expired</source>
        <translation>Reservierung abgelaufen</translation>
    </message>
    <message>
        <source>released at agent stop</source>
        <translation>beim Stopp des Agenten freigegeben</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <source>could not connect</source>
        <translation>keine Verbindung</translation>
    </message>
    <message>
        <source>host name not found</source>
        <translation>Hostname nicht gefunden</translation>
    </message>
    <message>
        <source>TLS failed</source>
        <translation>TLS fehlgeschlagen</translation>
    </message>
    <message>
        <source>no response</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>refused (HTTP 4xx)</source>
        <translation>abgelehnt (HTTP 4xx)</translation>
    </message>
    <message>
        <source>server error (HTTP 5xx)</source>
        <translation>Serverfehler (HTTP 5xx)</translation>
    </message>
    <message>
        <source>redirected (HTTP 3xx)</source>
        <translation>umgeleitet (HTTP 3xx)</translation>
    </message>
    <message>
        <source>rate limited</source>
        <translation>Ratenlimit erreicht</translation>
    </message>
    <message>
        <source>endpoint gone (HTTP 410)</source>
        <translation>Endpunkt entfernt (HTTP 410)</translation>
    </message>
    <message>
        <source>endpoint disabled</source>
        <translation>Endpunkt deaktiviert</translation>
    </message>
    <message>
        <source>too old to retry</source>
        <translation>zu alt für weitere Versuche</translation>
    </message>
    <message>
        <source>refused for good</source>
        <translation>endgültig abgelehnt</translation>
    </message>
    <message>
        <source>authentication failed</source>
        <translation>Authentifizierung fehlgeschlagen</translation>
    </message>
    <message>
        <source>credential missing or unusable</source>
        <translation>Zugangsdaten fehlen oder sind unbrauchbar</translation>
    </message>
    <message>
        <source>address not allowed</source>
        <translation>Adresse nicht erlaubt</translation>
    </message>
    <message>
        <source>invalid recipient</source>
        <translation>ungültiger Empfänger</translation>
    </message>
    <message>
        <source>invalid sender</source>
        <translation>ungültiger Absender</translation>
    </message>
    <message>
        <source>invalid message</source>
        <translation>ungültige Nachricht</translation>
    </message>
    <message>
        <source>invalid device token</source>
        <translation>ungültiges Geräte-Token</translation>
    </message>
    <message>
        <source>access token unavailable</source>
        <translation>Zugriffstoken nicht verfügbar</translation>
    </message>
    <message>
        <source>invalid template</source>
        <translation>ungültige Vorlage</translation>
    </message>
    <message>
        <source>invalid parameter</source>
        <translation>ungültiger Parameter</translation>
    </message>
    <message>
        <source>outside the service window</source>
        <translation>außerhalb des Servicefensters</translation>
    </message>
    <message>
        <source>provider error</source>
        <translation>Fehler beim Anbieter</translation>
    </message>
    <message>
        <source>command failed</source>
        <translation>Befehl fehlgeschlagen</translation>
    </message>
    <message>
        <source>command did not start</source>
        <translation>Befehl startete nicht</translation>
    </message>
    <message>
        <source>command not configured</source>
        <translation>Befehl nicht eingerichtet</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>investigating</source>
        <translation>in Untersuchung</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>erledigt</translation>
    </message>
</context>
<context>
    <name>ferry::console::TenantAdminModel</name>
    <message>
        <source>Display name</source>
        <translation>Anzeigename</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Events/s</source>
        <translation>Ereignisse/s</translation>
    </message>
    <message>
        <source>Events/day</source>
        <translation>Ereignisse/Tag</translation>
    </message>
    <message>
        <source>Max payload</source>
        <translation>Max. Nutzlast</translation>
    </message>
    <message>
        <source>SLA target</source>
        <translation>SLA-Ziel</translation>
    </message>
    <message>
        <source>SLA latency</source>
        <translation>SLA-Latenz</translation>
    </message>
    <message>
        <source>Events today</source>
        <translation>Ereignisse heute</translation>
    </message>
    <message>
        <source>Disabled %1: ingest refuses its new events; what it accepted before is still delivered.</source>
        <translation>Deaktiviert %1: Ingest weist seine neuen Ereignisse ab; was vorher angenommen wurde, wird weiter zugestellt.</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiviert</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
</context>
<context>
    <name>ferry::console::TenantAdminPage</name>
    <message>
        <source>Tenants</source>
        <translation>Mandanten</translation>
    </message>
    <message>
        <source>Tenant actions</source>
        <translation>Mandanten-Aktionen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the tenants again (F5)</source>
        <translation>Mandanten neu laden (F5)</translation>
    </message>
    <message>
        <source>&amp;New tenant…</source>
        <translation>&amp;Neuer Mandant…</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>&amp;Umbenennen…</translation>
    </message>
    <message>
        <source>&amp;Disable…</source>
        <translation>&amp;Deaktivieren…</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>Akti&amp;vieren</translation>
    </message>
    <message>
        <source>&amp;Quotas &amp;&amp; SLA…</source>
        <translation>&amp;Kontingente &amp;&amp; SLA…</translation>
    </message>
    <message>
        <source>Tenant %1 enabled: it takes events again.</source>
        <translation>Mandant %1 aktiviert: Er nimmt wieder Ereignisse an.</translation>
    </message>
    <message>
        <source>Select a tenant first.</source>
        <translation>Wählen Sie zuerst einen Mandanten aus.</translation>
    </message>
    <message>
        <source>Create a tenant; its first producer token is shown once</source>
        <translation>Einen Mandanten anlegen; sein erstes Produzenten-Token wird einmal angezeigt</translation>
    </message>
    <message>
        <source>Change the display name of %1; its name stays the key producers use</source>
        <translation>Den Anzeigenamen von %1 ändern; sein Name bleibt der Schlüssel, den Produzenten verwenden</translation>
    </message>
    <message>
        <source>Stop %1 taking new events (asks first)</source>
        <translation>%1 keine neuen Ereignisse mehr annehmen lassen (fragt vorher)</translation>
    </message>
    <message>
        <source>%1 is disabled already.</source>
        <translation>%1 ist bereits deaktiviert.</translation>
    </message>
    <message>
        <source>Let %1 take events again</source>
        <translation>%1 wieder Ereignisse annehmen lassen</translation>
    </message>
    <message>
        <source>%1 is enabled.</source>
        <translation>%1 ist aktiviert.</translation>
    </message>
    <message>
        <source>Change the quotas and SLA targets of %1</source>
        <translation>Die Kontingente und SLA-Ziele von %1 ändern</translation>
    </message>
    <message>
        <source>The tenants could not be loaded: %1</source>
        <translation>Die Mandanten konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>New tenant</source>
        <translation>Neuer Mandant</translation>
    </message>
    <message>
        <source>Name of the new tenant (its key in producers&apos; settings, routes and URLs; it cannot be changed later, its display name can):</source>
        <translation>Name des neuen Mandanten (sein Schlüssel in Produzenten-Einstellungen, Routen und URLs; er lässt sich später nicht ändern, sein Anzeigename schon):</translation>
    </message>
    <message>
        <source>Tenant %1 was not created: %2</source>
        <translation>Mandant %1 wurde nicht angelegt: %2</translation>
    </message>
    <message>
        <source>Tenant %1 created.</source>
        <translation>Mandant %1 angelegt.</translation>
    </message>
    <message>
        <source>Tenant %1 created</source>
        <translation>Mandant %1 angelegt</translation>
    </message>
    <message>
        <source>Producer token of %1</source>
        <translation>Produzenten-Token von %1</translation>
    </message>
    <message>
        <source>The first producer token of tenant %1. Producers send it with HTTP ingest as &apos;Authorization: Bearer &lt;token&gt;&apos;.</source>
        <translation>Das erste Produzenten-Token des Mandanten %1. Produzenten senden es beim HTTP-Ingest als &apos;Authorization: Bearer &lt;token&gt;&apos;.</translation>
    </message>
    <message>
        <source>Rename %1</source>
        <translation>%1 umbenennen</translation>
    </message>
    <message>
        <source>Display name (1 to 100 characters; the name %1 stays the key):</source>
        <translation>Anzeigename (1 bis 100 Zeichen; der Name %1 bleibt der Schlüssel):</translation>
    </message>
    <message>
        <source>Tenant %1 is now shown as %2.</source>
        <translation>Mandant %1 wird nun als %2 angezeigt.</translation>
    </message>
    <message>
        <source>Disable %1?</source>
        <translation>%1 deaktivieren?</translation>
    </message>
    <message>
        <source>While %1 is disabled, HTTP and ZeroMQ ingest refuse its new events (403 tenant-disabled), its inbound webhooks are refused and its schedules do not fire. Deliveries it accepted before are still sent. Enable it again at any time.</source>
        <translation>Solange %1 deaktiviert ist, weisen HTTP- und ZeroMQ-Ingest seine neuen Ereignisse ab (403 tenant-disabled), seine eingehenden Webhooks werden abgewiesen und seine Zeitpläne lösen nicht aus. Zustellungen, die vorher angenommen wurden, werden weiter gesendet. Sie können ihn jederzeit wieder aktivieren.</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Tenant %1 disabled: its new events are refused.</source>
        <translation>Mandant %1 deaktiviert: Seine neuen Ereignisse werden abgewiesen.</translation>
    </message>
    <message>
        <source>Quotas and SLA of %1 saved.</source>
        <translation>Kontingente und SLA von %1 gespeichert.</translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation>Nicht geändert: %1</translation>
    </message>
</context>
<context>
    <name>ferry::console::TenantListPage</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the tenants and the list again (F5)</source>
        <translation>Mandanten und Liste neu laden (F5)</translation>
    </message>
    <message>
        <source>This agent has no tenants yet.</source>
        <translation>Dieser Agent hat noch keine Mandanten.</translation>
    </message>
    <message>
        <source>The list could not be loaded: %1</source>
        <translation>Die Liste konnte nicht geladen werden: %1</translation>
    </message>
</context>
<context>
    <name>ferry::console::TenantPicker</name>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>Could not load the tenants. %1</source>
        <translation>Die Mandanten konnten nicht geladen werden. %1</translation>
    </message>
</context>
<context>
    <name>ferry::console::TenantSlaModel</name>
    <message>
        <source>Below target: %1 of deliveries within %2 ms, target %3.</source>
        <translation>Unter dem Ziel: %1 der Zustellungen innerhalb von %2 ms, Ziel %3.</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>keine Grenze</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Share of deliveries that must succeed within the latency target</source>
        <translation>Anteil der Zustellungen, die innerhalb des Latenzziels gelingen müssen</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Latency target</source>
        <translation>Latenzziel</translation>
    </message>
    <message>
        <source>Deliveries created in the window that count: finished, or older than the latency target</source>
        <translation>Im Zeitfenster erzeugte Zustellungen, die zählen: abgeschlossen oder älter als das Latenzziel</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Zustellungen</translation>
    </message>
    <message>
        <source>Within target</source>
        <translation>Im Ziel</translation>
    </message>
    <message>
        <source>Attainment</source>
        <translation>Erreicht</translation>
    </message>
    <message>
        <source>Unfinished deliveries older than half of the latency target</source>
        <translation>Unfertige Zustellungen, älter als die Hälfte des Latenzziels</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>Gefährdet</translation>
    </message>
    <message>
        <source>Events/s quota</source>
        <translation>Kontingent Ereignisse/s</translation>
    </message>
    <message>
        <source>Events/day quota</source>
        <translation>Kontingent Ereignisse/Tag</translation>
    </message>
    <message>
        <source>Payload quota</source>
        <translation>Kontingent Nutzlast</translation>
    </message>
    <message>
        <source>Events received since midnight UTC, the day of the daily quota</source>
        <translation>Seit Mitternacht (UTC) empfangene Ereignisse, der Tag des Tageskontingents</translation>
    </message>
    <message>
        <source>Events today</source>
        <translation>Ereignisse heute</translation>
    </message>
    <message numerus="yes">
        <source>%Ln unfinished deliveries are past half of the latency target.</source>
        <translation>
            <numerusform>%Ln unfertige Zustellung hat die Hälfte des Latenzziels überschritten.</numerusform>
            <numerusform>%Ln unfertige Zustellungen haben die Hälfte des Latenzziels überschritten.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::console::TenantsWidget</name>
    <message>
        <source>Needing &amp;attention only</source>
        <translation>Nur mit &amp;Handlungsbedarf</translation>
    </message>
    <message>
        <source>Tenant SLAs and quotas</source>
        <translation>SLAs und Kontingente der Mandanten</translation>
    </message>
    <message>
        <source>last hour</source>
        <translation>letzte Stunde</translation>
    </message>
    <message>
        <source>last 24 hours</source>
        <translation>letzte 24 Stunden</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>letzte 7 Tage</translation>
    </message>
    <message>
        <source>SLA window</source>
        <translation>SLA-Zeitfenster</translation>
    </message>
    <message>
        <source>all tenants</source>
        <translation>alle Mandanten</translation>
    </message>
    <message>
        <source>Tenant filter</source>
        <translation>Mandantenfilter</translation>
    </message>
    <message>
        <source>Only tenants below target or with deliveries at risk</source>
        <translation>Nur Mandanten unter dem Ziel oder mit gefährdeten Zustellungen</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>SLA summary</source>
        <translation>SLA-Zusammenfassung</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the SLAs and quotas again (F5)</source>
        <translation>SLAs und Kontingente neu laden (F5)</translation>
    </message>
    <message>
        <source>Tenant actions</source>
        <translation>Mandantenaktionen</translation>
    </message>
    <message>
        <source>&amp;Window:</source>
        <translation>&amp;Zeitfenster:</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>Could not load the SLAs. %1</source>
        <translation>Die SLAs konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Could not load the tenants&apos; quotas. %1</source>
        <translation>Die Kontingente der Mandanten konnten nicht geladen werden. %1</translation>
    </message>
    <message numerus="yes">
        <source>%n tenant(s).</source>
        <translation>
            <numerusform>%n Mandant.</numerusform>
            <numerusform>%n Mandanten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Below target: %1; with deliveries at risk: %2. Rows below target are red, rows at risk amber.</source>
        <translation>Unter dem Ziel: %1; mit gefährdeten Zustellungen: %2. Zeilen unter dem Ziel sind rot, gefährdete gelb.</translation>
    </message>
</context>
<context>
    <name>ferry::console::TlsPolicy</name>
    <message>
        <source>The CA file %1 could not be read or holds no PEM certificate. Choose the CA certificate that signed the agent&apos;s certificate.</source>
        <translation>Die CA-Datei %1 konnte nicht gelesen werden oder enthält kein PEM-Zertifikat. Wählen Sie das CA-Zertifikat, das das Zertifikat des Agenten signiert hat.</translation>
    </message>
</context>
<context>
    <name>ferry::console::TokenAdminPage</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>&amp;New token…</source>
        <translation>&amp;Neues Token…</translation>
    </message>
    <message>
        <source>Re&amp;voke…</source>
        <translation>&amp;Widerrufen…</translation>
    </message>
    <message>
        <source>API tokens</source>
        <translation>API-Tokens</translation>
    </message>
    <message>
        <source>Load the tokens again (F5)</source>
        <translation>Tokens neu laden (F5)</translation>
    </message>
    <message>
        <source>API token actions</source>
        <translation>API-Token-Aktionen</translation>
    </message>
    <message>
        <source>Create an API token; its secret is shown once</source>
        <translation>Ein API-Token erstellen; sein Geheimnis wird einmal angezeigt</translation>
    </message>
    <message>
        <source>Select a token first.</source>
        <translation>Wählen Sie zuerst ein Token aus.</translation>
    </message>
    <message>
        <source>Token %1 is revoked already.</source>
        <translation>Token %1 ist bereits widerrufen.</translation>
    </message>
    <message>
        <source>This is the token the console is connected with; revoke it with another admin token, or with &apos;ferry-agent token revoke %1&apos;.</source>
        <translation>Mit diesem Token ist die Konsole verbunden; widerrufen Sie es mit einem anderen Admin-Token oder mit &apos;ferry-agent token revoke %1&apos;.</translation>
    </message>
    <message>
        <source>Revoke token %1: every request with it is refused from then on (asks first)</source>
        <translation>Token %1 widerrufen: Jede Anfrage damit wird von da an abgewiesen (fragt vorher)</translation>
    </message>
    <message>
        <source>API tokens are for admin tokens only: %1</source>
        <translation>API-Tokens sind nur für Admin-Tokens: %1</translation>
    </message>
    <message>
        <source>The tokens could not be loaded: %1</source>
        <translation>Die Tokens konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>No token was created: %1</source>
        <translation>Es wurde kein Token erstellt: %1</translation>
    </message>
    <message>
        <source>API token %1 created.</source>
        <translation>API-Token %1 erstellt.</translation>
    </message>
    <message>
        <source>API token %1</source>
        <translation>API-Token %1</translation>
    </message>
    <message>
        <source>The new token&apos;s secret. The console or ferryctl logs in with it; the agent keeps only its hash.</source>
        <translation>Das Geheimnis des neuen Tokens. Die Konsole oder ferryctl melden sich damit an; der Agent speichert nur seinen Hash.</translation>
    </message>
    <message>
        <source>Revoke token %1?</source>
        <translation>Token %1 widerrufen?</translation>
    </message>
    <message>
        <source>Every request with token %1 is refused (401) from then on, and its live feeds are closed. This cannot be undone.</source>
        <translation>Jede Anfrage mit Token %1 wird von da an abgewiesen (401), und seine Live-Feeds werden geschlossen. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Token %1 was not revoked: %2</source>
        <translation>Token %1 wurde nicht widerrufen: %2</translation>
    </message>
    <message>
        <source>API token %1 revoked.</source>
        <translation>API-Token %1 widerrufen.</translation>
    </message>
</context>
<context>
    <name>ferry::console::TokenDialog</name>
    <message>
        <source>New API token</source>
        <translation>Neues API-Token</translation>
    </message>
    <message>
        <source>all tenants</source>
        <translation>alle Mandanten</translation>
    </message>
    <message>
        <source>such as: console of ana</source>
        <translation>etwa: Konsole von Ana</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>in 1 day</source>
        <translation>in 1 Tag</translation>
    </message>
    <message>
        <source>in 7 days</source>
        <translation>in 7 Tagen</translation>
    </message>
    <message>
        <source>in 30 days</source>
        <translation>in 30 Tagen</translation>
    </message>
    <message>
        <source>in 90 days</source>
        <translation>in 90 Tagen</translation>
    </message>
    <message>
        <source>in 365 days</source>
        <translation>in 365 Tagen</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rolle:</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>&amp;Mandant:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Expires:</source>
        <translation>&amp;Läuft ab:</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>Name: say whose or what the token is for, so it can be told apart when it is revoked.</source>
        <translation>Name: Sagen Sie, wem oder wofür das Token ist, damit es sich beim Widerrufen unterscheiden lässt.</translation>
    </message>
</context>
<context>
    <name>ferry::console::TokenStore</name>
    <message>
        <source>no system keychain is configured</source>
        <translation>kein Schlüsselbund des Systems eingerichtet</translation>
    </message>
    <message>
        <source>the system keychain is not available (%1)</source>
        <translation>der Schlüsselbund des Systems ist nicht verfügbar (%1)</translation>
    </message>
</context>
<context>
    <name>ferry::console::TraceWidget</name>
    <message>
        <source>Delivery id</source>
        <translation>Zustellungs-ID</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>Ereignis-ID</translation>
    </message>
    <message>
        <source>Partition key</source>
        <translation>Partitionsschlüssel</translation>
    </message>
    <message>
        <source>Search by</source>
        <translation>Suchen nach</translation>
    </message>
    <message>
        <source>Paste an id or a partition key and press Enter</source>
        <translation>Eine ID oder einen Partitionsschlüssel einfügen und Enter drücken</translation>
    </message>
    <message>
        <source>Search text</source>
        <translation>Suchtext</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Search result</source>
        <translation>Suchergebnis</translation>
    </message>
    <message>
        <source>Deliveries found</source>
        <translation>Gefundene Zustellungen</translation>
    </message>
    <message>
        <source>Find &amp;by:</source>
        <translation>Suchen &amp;nach:</translation>
    </message>
    <message>
        <source>Search for a delivery by its id, its event&apos;s id or its partition key.</source>
        <translation>Suchen Sie eine Zustellung über ihre ID, die ID ihres Ereignisses oder ihren Partitionsschlüssel.</translation>
    </message>
    <message>
        <source>Enter what to search for.</source>
        <translation>Geben Sie ein, wonach gesucht werden soll.</translation>
    </message>
    <message>
        <source>A delivery id looks like 0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11.</source>
        <translation>Eine Zustellungs-ID sieht so aus: 0190c6de-3b1e-7c4a-9f6e-2b8d1c0e4a11.</translation>
    </message>
    <message>
        <source>Delivery %1:</source>
        <translation>Zustellung %1:</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche …</translation>
    </message>
    <message>
        <source>This agent does not offer delivery search (GET /v1/deliveries) yet; search by delivery id works. Update the agent to search by event id or partition key.</source>
        <translation>Dieser Agent bietet noch keine Suche nach Zustellungen (GET /v1/deliveries); die Suche nach Zustellungs-ID funktioniert. Aktualisieren Sie den Agenten, um nach Ereignis-ID oder Partitionsschlüssel zu suchen.</translation>
    </message>
    <message>
        <source>Search failed. %1</source>
        <translation>Suche fehlgeschlagen. %1</translation>
    </message>
    <message>
        <source>No delivery found.</source>
        <translation>Keine Zustellung gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>Deliveries found: %n.</source>
        <translation>
            <numerusform>Gefundene Zustellungen: %n.</numerusform>
            <numerusform>Gefundene Zustellungen: %n.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::console::UiFormat</name>
    <message>
        <source>d MMM yyyy HH:mm</source>
        <comment>QLocale date format of the tables: day, abbreviated month, year, 24-hour time</comment>
        <translation>d. MMM yyyy HH:mm</translation>
    </message>
    <message>
        <source>dddd, d MMMM yyyy</source>
        <comment>QLocale date format of report headings: weekday, day, month, year</comment>
        <translation>dddd, d. MMMM yyyy</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>a long date (%1) and the time of day (%2)</comment>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>ferry::console::WorkflowInstanceModel</name>
    <message>
        <source>Started %1 by event %2</source>
        <translation>Gestartet %1 durch Ereignis %2</translation>
    </message>
    <message>
        <source>Instance</source>
        <translation>Instanz</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Workflow</translation>
    </message>
    <message>
        <source>Correlation key</source>
        <translation>Korrelationsschlüssel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Current step</source>
        <translation>Aktueller Schritt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>ferry::console::WorkflowModel</name>
    <message>
        <source>A running instance stops before its next step when an event of one of these types arrives with its correlation key.</source>
        <translation>Eine laufende Instanz hält vor ihrem nächsten Schritt an, wenn ein Ereignis eines dieser Typen mit ihrem Korrelationsschlüssel eintrifft.</translation>
    </message>
    <message>
        <source>Created %1, route %2</source>
        <translation>Angelegt %1, Route %2</translation>
    </message>
    <message>
        <source>emits %1 and waits for its deliveries</source>
        <translation>sendet %1 und wartet auf dessen Zustellungen</translation>
    </message>
    <message>
        <source>waits %1</source>
        <translation>wartet %1</translation>
    </message>
    <message>
        <source>publishes %1</source>
        <translation>veröffentlicht %1</translation>
    </message>
    <message>
        <source>, undone by %1</source>
        <translation>, rückgängig gemacht durch %1</translation>
    </message>
    <message>
        <source>%1. %2: %3</source>
        <translation>%1. %2: %3</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Workflow</translation>
    </message>
    <message>
        <source>Trigger</source>
        <translation>Auslöser</translation>
    </message>
    <message>
        <source>Cancelled by</source>
        <translation>Abgebrochen durch</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Correlation key</source>
        <translation>Korrelationsschlüssel</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Aktualisiert</translation>
    </message>
</context>
<context>
    <name>ferry::console::WorkflowStepModel</name>
    <message>
        <source>Step %1 of the workflow</source>
        <translation>Schritt %1 des Workflows</translation>
    </message>
    <message>
        <source>Compensated: the step&apos;s compensating event was emitted</source>
        <translation>Kompensiert: Das kompensierende Ereignis des Schritts wurde gesendet</translation>
    </message>
    <message>
        <source>The step ran</source>
        <translation>Der Schritt wurde ausgeführt</translation>
    </message>
    <message>
        <source>The event the step emitted</source>
        <translation>Das Ereignis, das der Schritt gesendet hat</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Event id</source>
        <translation>Ereignis-ID</translation>
    </message>
</context>
<context>
    <name>ferry::console::WorkflowWords</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>compensating</source>
        <translation>wird kompensiert</translation>
    </message>
    <message>
        <source>compensated</source>
        <translation>kompensiert</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>run</source>
        <translation>Ausführung</translation>
    </message>
    <message>
        <source>undo</source>
        <translation>Rücknahme</translation>
    </message>
    <message>
        <source>started</source>
        <translation>begonnen</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
</context>
<context>
    <name>ferry::console::WorkflowsWidget</name>
    <message>
        <source>Workflows</source>
        <translation>Workflows</translation>
    </message>
    <message>
        <source>Workflow instances</source>
        <translation>Workflow-Instanzen</translation>
    </message>
    <message>
        <source>Steps of the selected instance</source>
        <translation>Schritte der ausgewählten Instanz</translation>
    </message>
    <message>
        <source>Double-click a workflow to see only its instances.</source>
        <translation>Doppelklick auf einen Workflow zeigt nur seine Instanzen.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Workflow filter</source>
        <translation>Workflow-Filter</translation>
    </message>
    <message>
        <source>All workflows</source>
        <translation>Alle Workflows</translation>
    </message>
    <message>
        <source>State filter</source>
        <translation>Zustandsfilter</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Alle Zustände</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <source>Load the tenants, workflows and instances again (F5)</source>
        <translation>Mandanten, Workflows und Instanzen neu laden (F5)</translation>
    </message>
    <message>
        <source>Workflow actions</source>
        <translation>Workflow-Aktionen</translation>
    </message>
    <message>
        <source>Instances (newest first)</source>
        <translation>Instanzen (neueste zuerst)</translation>
    </message>
    <message>
        <source>Wor&amp;kflow:</source>
        <translation>Wor&amp;kflow:</translation>
    </message>
    <message>
        <source>St&amp;ate:</source>
        <translation>Zust&amp;and:</translation>
    </message>
    <message>
        <source>This agent has no tenants yet: there are no workflows.</source>
        <translation>Dieser Agent hat noch keine Mandanten: Es gibt keine Workflows.</translation>
    </message>
    <message>
        <source>Could not load the workflows. %1</source>
        <translation>Die Workflows konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Could not load the workflow instances. %1</source>
        <translation>Die Workflow-Instanzen konnten nicht geladen werden. %1</translation>
    </message>
    <message>
        <source>Steps (select an instance)</source>
        <translation>Schritte (eine Instanz auswählen)</translation>
    </message>
    <message>
        <source>Steps of instance %1 (%2, %3)</source>
        <translation>Schritte der Instanz %1 (%2, %3)</translation>
    </message>
    <message>
        <source>Oldest first: the steps the instance ran, then the ones it undid, last step first.</source>
        <translation>Älteste zuerst: die Schritte, die die Instanz ausgeführt hat, dann die, die sie rückgängig gemacht hat, den letzten zuerst.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>The Ferry ops console. Without options it opens the last agent used.</source>
        <translation>Die Ferry-Betriebskonsole. Ohne Optionen öffnet sie den zuletzt verwendeten Agenten.</translation>
    </message>
    <message>
        <source>Connect to this agent (the token comes from FERRY_CONSOLE_TOKEN).</source>
        <translation>Mit diesem Agenten verbinden (das Token kommt aus FERRY_CONSOLE_TOKEN).</translation>
    </message>
    <message>
        <source>Expect this certificate fingerprint.</source>
        <translation>Diesen Zertifikats-Fingerabdruck erwarten.</translation>
    </message>
    <message>
        <source>Trust the CA certificate in this file.</source>
        <translation>Dem CA-Zertifikat in dieser Datei vertrauen.</translation>
    </message>
    <message>
        <source>Render every screen to DIR as PNG, then quit.</source>
        <translation>Jede Ansicht als PNG in DIR speichern, dann beenden.</translation>
    </message>
    <message>
        <source>Set FERRY_CONSOLE_TOKEN to the API token to use with --url.
</source>
        <translation>Setzen Sie FERRY_CONSOLE_TOKEN auf das API-Token, das mit --url verwendet werden soll.
</translation>
    </message>
</context>
</TS>
