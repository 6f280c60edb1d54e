"""Templates for structured lines: records rather than sentences, in the formats systems really write
them, so the model learns from the text ``log_classifier.text.structured`` composes out of them:

- logfmt from Go services and infrastructure daemons (time series databases, proxies, schedulers,
  secret stores, object stores, CI runners) and from business services written in Go;
- key=value lines of network appliances (next-generation firewalls, UTMs, web gateways, wireless
  controllers, load balancers) and of the Linux audit trail;
- JSON lines of applications (zap, zerolog, pino, bunyan, structlog, Serilog, logstash-encoder,
  ECS), Kubernetes controllers and operators, cloud audit trails, identity providers, IDS/EDR
  sensors and business services;
- CEF and LEEF feeds of SIEM sources (firewalls, IPS, WAF, proxies, endpoint and identity tools).

Each routine record sits next to its failing counterpart (accept/deny, login ok/failed, reconcile
done/failed, job succeeded/failed, request 2xx/5xx), and the labels follow docs/taxonomy.md: a
permitted or neutral flow is System Notification, a blocked/denied one or any IDS/IPS signature hit
is Security Alert; privilege escalation is Security Alert even when it succeeds, an ordinary group
or role grant is User Action; one failing operation is Error, a whole service down Critical Error.

Every template is a whole record: the generator may still put a syslog or container header in front,
as collectors do. The field sets follow the products' documented formats; the messages are our own,
none copied from evaluation data or the probe sets. ``TEMPLATES`` is a list of
``(category, system, template)`` in the syntax of ``training.generate``; shape ids are list positions
("str-0042"), so new templates are only ever appended.
"""

from __future__ import annotations

from log_classifier.taxonomy import CRITICAL_ERROR as CE
from log_classifier.taxonomy import DEPRECATION_WARNING as DW
from log_classifier.taxonomy import ERROR as ER
from log_classifier.taxonomy import HTTP_STATUS as HS
from log_classifier.taxonomy import RESOURCE_USAGE as RU
from log_classifier.taxonomy import SECURITY_ALERT as SA
from log_classifier.taxonomy import SYSTEM_NOTIFICATION as SN
from log_classifier.taxonomy import USER_ACTION as UA
from log_classifier.taxonomy import WORKFLOW_ERROR as WE

# --- shared noise: the fields that vary and carry no meaning -----------------------------------
_TS = "[ts={isots}|time={isots}|time=\"{isots}\"|t={isots}]"
_CALLER = "caller=[main|server|handler|worker|store|client|manager|sync|api|queue].go:{int}"
_FLOW = "srcip={ip} srcport={port} dstip={ip} dstport={port}"
_FGT = ('date=202{small}-0{small}-1{small} time={time}:{small}{small} devname="{host}" devid="FG{int}" logid="{num}" '
        'eventtime={num}{num} tz="[+0000|-0500|+0100|+0530]"')
_SOPHOS = 'id="{int}" sys="[SecureNet|SecureWeb|System|SecureMail]"'
_SONIC = 'id=firewall sn={hex8}{small} time="{date} {time}:{small}{small}" fw={ip} pri=[1|3|5|6] c={int} m={int}'
_CEF_FW = "src={ip} spt={port} dst={ip} dpt={port} proto=[TCP|UDP|6|17] rt={num}{num}"
_LEEF_FW = "src={ip}\tdst={ip}\tsrcPort={port}\tdstPort={port}\tproto=[tcp|udp]"
_JSON_TS = '"[ts|time|timestamp|@timestamp]":"{isots}"'

_LOGFMT: list[tuple[str, str, str]] = [
    # time series databases, alerting and log stores
    (SN, "s-tsdb", 'level=info {_TS} {_CALLER} component=tsdb msg="[compaction done|head GC completed|WAL checkpoint complete|block persisted]" duration={ms}ms'),
    (ER, "s-tsdb", 'level=[error|warn] {_TS} {_CALLER} component=tsdb msg="[compaction failed|WAL checkpoint failed|block upload failed]" err="[open chunk {int}: input/output error|write to object store: context deadline exceeded|segment {int} truncated]"'),
    (CE, "s-tsdb", 'level=error {_TS} {_CALLER} msg="[opening storage failed|fatal error reading the write-ahead log|TSDB could not be opened]" err="[lock DB directory: resource temporarily unavailable|corrupted head chunk file {int}|no space left on device]"'),
    (ER, "s-tsdb", 'level=warn {_TS} {_CALLER} component="scrape manager" target=http://{ip}:{port}/metrics msg="[scrape failed|Scrape commit failed|Append failed]" err="[server returned HTTP status 503 Service Unavailable|context deadline exceeded|connection refused]"'),
    (SN, "s-tsdb", 'level=info {_TS} {_CALLER} msg="[Server is ready to receive web requests.|Configuration reloaded|Rule manager started|TSDB started]"'),
    (DW, "s-tsdb", 'level=warn {_TS} {_CALLER} msg="[flag --query.max-concurrency-legacy is deprecated and will be removed, use --query.max-concurrency|the remote_read option is obsolete and ignored; remove it from the configuration|config field \\"bearer_token_file\\" is deprecated, use authorization.credentials_file]"'),
    (RU, "s-tsdb", 'level=warn {_TS} {_CALLER} msg="[head series limit reached|memory usage above soft limit|sample ingestion throttled: tenant over its series limit]" series={int} limit={int}'),
    (SN, "s-alerting", 'level=info {_TS} component=dispatcher msg="[Notify success|Notification sent]" receiver=[pagerduty|slack-oncall|email-ops] integration=[webhook|email|slack][[{small}]] attempts=1'),
    (ER, "s-alerting", 'level=error {_TS} component=dispatcher msg="[Notify for alerts failed|Error on notify]" receiver=[pagerduty|slack-oncall|email-ops] err="[unexpected status code 429|dial tcp {ip}:443: i/o timeout|smtp: 535 Authentication failed]" num_alerts={small}'),
    (RU, "s-logstore", 'level=warn {_TS} {_CALLER} msg="[push rejected: per-stream rate limit exceeded|ingestion rate limit reached for tenant|stream limit exceeded]" tenant={word} limit={int} bytes={int}'),
    (SN, "s-logstore", 'level=info {_TS} {_CALLER} msg="[chunk flushed|table uploaded|retention sweep complete]" tenant={word} chunks={int}'),
    (ER, "s-logstore", 'level=error {_TS} {_CALLER} msg="[failed to flush chunks|query failed|failed to upload table]" tenant={word} err="[rpc error: code = Unavailable|bucket {bucket}: access denied by object store|context canceled]"'),
    # proxies and gateways
    (SN, "s-proxy", '{_TS} level=info msg="[Configuration loaded from file|Starting provider|Server configuration reloaded]" [providerName=docker|entryPointName=websecure|routerName={word}@file]'),
    (ER, "s-proxy", '{_TS} level=[error|warning] msg="[health check failed, server removed from pool|error while proxying request|unable to obtain certificate]" [serverURL=http://{ip}:{port}|routerName={word}@docker] error="[dial tcp {ip}:{port}: connect: connection refused|502 Bad Gateway|acme: error: 403]"'),
    (CE, "s-proxy", '{_TS} level=fatal msg="[Error while starting server|cannot start the provider|command failed]" error="[listen tcp :{port}: bind: address already in use|open /etc/proxy/certs/{word}.pem: no such file or directory]"'),
    (HS, "s-proxy", '{_TS} level=info msg=access method={method} path={uri} status={status} duration={ms}ms size={int} client={ip}'),
    (HS, "s-proxy", '{_TS} level=[warn|error] msg=access method={method} path={uri} status=[{status4}|{status5}] duration={ms}ms client={ip}'),
    # schedulers, secret stores, service mesh, object stores, CI
    (SN, "s-scheduler", '{_TS} level=info msg="[allocation placed|evaluation complete|deployment succeeded|task started]" alloc_id={hex8} job={word} task={word}'),
    (ER, "s-scheduler", '{_TS} level=error msg="[task failed|allocation failed|failed to restart task|driver failure]" alloc_id={hex8} job={word} error="[exit status 1|image pull failed: manifest unknown|Task killed: exceeded restart attempts]"'),
    (RU, "s-scheduler", '{_TS} level=warn msg="[placement failed: resources exhausted|node memory exhausted|cpu quota exhausted on node]" job={word} dimension=[memory|cpu|disk] required={mb} available={mb}'),
    (SN, "s-secrets", '{_TS} level=info msg="[vault is unsealed|lease renewed|secret engine mounted|snapshot saved]" [path=secret/{word}|lease_id=auth/token/{hex8}]'),
    (CE, "s-secrets", '{_TS} level=error msg="[core: failed to unseal|storage backend unavailable, sealing|cluster lost leadership and cannot elect a new leader]" error="[context deadline exceeded|raft: no quorum|kms: key disabled]"'),
    (SA, "s-secrets", '{_TS} level=warn msg="[permission denied|invalid token presented|root token generated outside break-glass procedure]" path=[sys/policies/acl/admin|secret/prod/{word}|auth/token/create] remote_addr={ip}'),
    (UA, "s-secrets", '{_TS} level=info msg="[token created|policy attached to entity|login succeeded]" user={user} method=[oidc|userpass|ldap] policies=[default|read-{word}]'),
    (ER, "s-mesh", '{_TS} level=warn component=[proxy|inbound|outbound] msg="[TLS handshake failed|upstream request failed|endpoint discovery failed]" peer={ip}:{port} error="[x509: certificate has expired|connection reset by peer|no healthy endpoints]"'),
    (SN, "s-mesh", '{_TS} level=info component=[proxy|identity] msg="[certificate rotated|proxy ready|routes updated]" peer={ip}:{port}'),
    (ER, "s-objectstore", '{_TS} level=error api=[PutObject|GetObject|CompleteMultipartUpload] bucket={bucket} msg="[drive offline|write quorum not met|object checksum mismatch]" error="[Storage resources are insufficient for the write operation|read failed: {dev}: input/output error]"'),
    (RU, "s-objectstore", '{_TS} level=warn msg="[disk usage high|drive nearly full|capacity below threshold]" drive=/mnt/{dev} used_pct={pct} free_gb={gb}'),
    (SN, "s-objectstore", '{_TS} level=info msg="[healing completed|bucket created|replication caught up]" bucket={bucket} objects={int}'),
    (SN, "s-ci", '{_TS} level=info msg="[Job succeeded|Pipeline finished|Runner registered]" job={int} project={int} duration_s={sec} runner={hex8}'),
    (ER, "s-ci", '{_TS} level=[error|warning] msg="[Job failed|Pipeline failed|Checking for jobs... failed]" job={int} project={int} error="[exit code 1|script failure|unable to access repository: 403]" failure_reason=[script_failure|runner_system_failure|stuck_or_timeout_failure]'),
    (DW, "s-ci", '{_TS} level=warn msg="[registration token is deprecated and will be removed in 18.0; use an authentication token|the docker+machine executor is deprecated]"'),
    # Go business services
    (SN, "s-gosvc", 'level=info {_TS} {_CALLER} msg="[order placed|invoice generated|shipment label printed|payment captured|cart checked out]" order_id={order} amount={float} currency=[EUR|USD|GBP]'),
    (WE, "s-gosvc", 'level=[warn|error] {_TS} {_CALLER} msg="[order held for review|fulfilment step could not complete|refund not processed|shipment could not be booked]" order_id={order} step=[allocate|capture|ship|refund|approve] reason="[no carrier serves postcode|approver role vacant|stock reservation expired|customer credit limit exceeded|fraud score above auto-approve limit]"'),
    (ER, "s-gosvc", 'level=error {_TS} {_CALLER} msg="[request failed|could not publish event|query failed|upstream call failed]" err="[dial tcp {ip}:{port}: i/o timeout|pq: deadlock detected|kafka: broker not available|context canceled]" request_id={req}'),
    (CE, "s-gosvc", 'level=[fatal|panic] {_TS} {_CALLER} msg="[failed to initialise service|cannot open database|config invalid, exiting|listener failed]" err="[dial tcp {ip}:5432: connect: connection refused|missing required env DATABASE_URL|listen tcp :{port}: bind: address already in use]"'),
    (UA, "s-gosvc", 'level=info {_TS} {_CALLER} msg="[user signed in|user signed out|profile updated|password changed|email address verified|two-factor enabled]" user_id={uid}{int} ip={ip}'),
    (SA, "s-gosvc", 'level=warn {_TS} {_CALLER} msg="[sign-in rejected: bad password|account locked after repeated failures|token signature invalid|request blocked: CSRF token mismatch]" user=[{user}|{email}] ip={ip} attempts={small}'),
    (HS, "s-gosvc", 'level=info {_TS} {_CALLER} method={method} path={uri} status=[{status2}|{status3}] latency={ms}ms bytes={int}'),
    (HS, "s-gosvc", 'level=[warn|error] {_TS} {_CALLER} method={method} path={uri} status=[{status4}|{status5}] latency={ms}ms'),
    (RU, "s-gosvc", 'level=warn {_TS} {_CALLER} msg="[connection pool exhausted|goroutine count high|heap above soft limit|worker queue full]" in_use={int} max={int} heap_mb={mb}'),
    (DW, "s-gosvc", 'level=warn {_TS} {_CALLER} msg="[legacy v1 endpoint used; it will be removed next quarter|option use_legacy_ids is deprecated|client SDK below supported minimum, upgrade required]" client=[{word}/{version}|mobile/{version}]'),
    (SN, "s-gosvc", 'level=info {_TS} {_CALLER} msg="[migration applied|cache warmed|leader elected|consumer group rebalanced|shutdown complete]" version={version}'),
    (SN, "s-gosvc", 'level=[info|debug] {_TS} {_CALLER} msg="[sync timer started|auto sync started|scheduler tick started|refresh loop started|watcher started]" interval={sec}s'),
    (RU, "s-gosvc", 'level=[info|warn] {_TS} {_CALLER} msg="[battery status|battery low|power reading|supply voltage low]" device={host} battery_pct={pct} voltage_mv={int} current_ma={int}'),
]

_KV_APPLIANCES: list[tuple[str, str, str]] = [
    # next-generation firewall (Fortinet-style key=value)
    (SN, "s-ngfw", '{_FGT} type="traffic" subtype="[forward|local]" level="notice" vd="root" {_FLOW} policyid={small} proto=[6|17] action="[accept|close|timeout|server-rst|client-rst]" service="[HTTPS|DNS|SMTP|NTP|tcp/{port}]" duration={int} sentbyte={int} rcvdbyte={int}'),
    (SA, "s-ngfw", '{_FGT} type="traffic" subtype="[forward|local]" level="[warning|notice]" vd="root" {_FLOW} policyid=[0|{small}] proto=[6|17] action="[deny|blocked|drop]" service="[RDP|SMB|SSH|Telnet|tcp/{port}]" msg="[Denied by policy|Blocked by local-in rule|Implicit deny|Denied: no matching policy]"'),
    (SA, "s-ngfw", '{_FGT} type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="[high|critical|medium]" {_FLOW} attack="{signature}" action="[dropped|reset|detected]" attackid={int}'),
    (SA, "s-ngfw", '{_FGT} type="utm" subtype="[virus|antivirus]" eventtype="infected" level="warning" vd="root" {_FLOW} action="[blocked|monitored]" filename="{file}" virus="[EICAR_TEST_FILE|JS/Miner.BP!tr|W32/Qakbot.F!tr]"'),
    (SA, "s-ngfw", '{_FGT} type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" vd="root" {_FLOW} hostname="{fqdn}" action="blocked" catdesc="[Phishing|Malicious Websites|Newly Observed Domain|Proxy Avoidance]"'),
    (UA, "s-ngfw", '{_FGT} type="event" subtype="system" level="information" vd="root" logdesc="[Admin login successful|Admin logout successful]" user="{user}" ui="[https|ssh]({ip})" action="[login|logout]" status="success"'),
    (SA, "s-ngfw", '{_FGT} type="event" subtype="system" level="alert" vd="root" logdesc="Admin login failed" user="[admin|root|{user}]" ui="[https|ssh]({ip})" action="login" status="failed" reason="[passwd_invalid|name_invalid|locked_out]"'),
    (UA, "s-ngfw", '{_FGT} type="event" subtype="system" level="notice" vd="root" logdesc="[Object attribute configured|Firewall policy changed|Address object added]" user="{user}" ui="GUI({ip})" action="[Edit|Add|Move]" cfgpath="firewall.[policy|address|service.custom]"'),
    (SN, "s-ngfw", '{_FGT} type="event" subtype="vpn" level="notice" vd="root" logdesc="[IPsec tunnel up|SSL VPN tunnel up|IPsec phase 2 status changed]" action="[tunnel-up|phase2-up|tunnel-stats]" remip={ip} vpntunnel="[to-{host}|dialup-{word}]"'),
    (ER, "s-ngfw", '{_FGT} type="event" subtype="vpn" level="error" vd="root" logdesc="[IPsec phase 1 error|IPsec tunnel negotiation failed|SSL VPN tunnel down]" action="[negotiate|tunnel-down]" remip={ip} status="[negotiate_error|failure]" reason="[peer SA proposal not match local policy|DPD timeout|no response from peer]"'),
    (RU, "s-ngfw", '{_FGT} type="event" subtype="system" level="[critical|warning]" vd="root" logdesc="[Memory conserve mode entered|CPU usage high|Session table nearly full]" msg="[memory usage reached red threshold|cpu usage {pct}% over 5 minutes|session count {int} above 90% of limit]" total={int} used={pct}'),
    (SN, "s-ngfw", '{_FGT} type="event" subtype="system" level="notice" vd="root" logdesc="[FortiGuard update succeeded|Configuration backed up|HA member synchronised]" msg="[signature package updated to {version}|backup stored on {host}|cluster in sync]"'),
    (CE, "s-ngfw", '{_FGT} type="event" subtype="ha" level="critical" vd="root" logdesc="[HA cluster member lost|Device failover failed|All WAN links down]" msg="[heartbeat lost on all HA interfaces|primary unit failed and no secondary took over|every WAN interface lost link]"'),
    # UTM (Sophos-style key="value")
    (SA, "s-utm", '{_SOPHOS} severity="warn" sub="packetfilter" name="Packet dropped" action="drop" fwrule="{int}" initf="eth{small}" srcip="{ip}" dstip="{ip}" proto="[6|17]" srcport="{port}" dstport="{port}"'),
    (SN, "s-utm", '{_SOPHOS} severity="info" sub="packetfilter" name="Packet accepted" action="accept" fwrule="{small}" initf="eth{small}" srcip="{ip}" dstip="{ip}" proto="[6|17]" srcport="{port}" dstport="{port}"'),
    (SA, "s-utm", '{_SOPHOS} severity="[warn|crit]" sub="ips" name="Intrusion protection alert" action="[drop|alert]" reason="{signature}" srcip="{ip}" dstip="{ip}" sid="{int}" class="[Attempted Administrator Privilege Gain|Web Application Attack|Trojan Activity]"'),
    (SA, "s-utm", '{_SOPHOS} severity="warn" sub="http" name="[web request blocked|malware blocked|file download blocked]" action="block" method="{method}" srcip="{ip}" url="{url}" statuscode="403" reason="[malware|category|reputation]"'),
    (HS, "s-utm", '{_SOPHOS} severity="info" sub="http" name="http access" action="pass" method="{method}" srcip="{ip}" dstip="{ip}" user="{user}" statuscode="[{status2}|{status3}|{status4}]" size="{int}" url="{url}"'),
    (UA, "s-utm", '{_SOPHOS} severity="info" sub="auth" name="[Authentication successful|User logged out|Portal login]" srcip="{ip}" user="{user}" caller="[portal|webadmin|ssl-vpn]"'),
    (SA, "s-utm", '{_SOPHOS} severity="warn" sub="auth" name="[Authentication failed|Account temporarily locked]" srcip="{ip}" user="[admin|{user}]" caller="[portal|webadmin|ssl-vpn]" reason="[DENIED|wrong password|too many attempts]"'),
    (SN, "s-utm", '{_SOPHOS} severity="info" sub="up2date" name="[Pattern up2date installed|Firmware up2date downloaded]" action="[install|download]" version="{version}"'),
    (ER, "s-utm", '{_SOPHOS} severity="[warn|err]" sub="up2date" name="[Pattern up2date failed|Firmware download failed]" action="[install|download]" reason="[checksum mismatch|server unreachable|signature verification failed]"'),
    # SonicWall-style
    (SA, "s-sonic", '{_SONIC} msg="[Possible port scan detected|TCP SYN flood detected|IP spoof dropped|Malformed packet dropped]" src={ip}:{port}:X1 dst={ip}:{port}:X1 proto=tcp/{port} fw_action="drop"'),
    (SN, "s-sonic", '{_SONIC} msg="[Connection Opened|Connection Closed|NAT mapping created]" src={ip}:{port}:X0 dst={ip}:{port}:X1 proto=[tcp|udp]/{port} sent={int} rcvd={int} fw_action="NA"'),
    (UA, "s-sonic", '{_SONIC} msg="[Administrator login allowed|SSL VPN user logged in|User logged out]" usr="{user}" src={ip}::X1 proto=tcp/https'),
    (SA, "s-sonic", '{_SONIC} msg="[Administrator login denied due to bad credentials|SSL VPN login denied: wrong password|User account locked out]" usr="[admin|{user}]" src={ip}::X1 proto=tcp/https fw_action="drop"'),
    (HS, "s-sonic", '{_SONIC} msg="Web site hit" src={ip}:{port}:X0 dst={ip}:[80|443]:X1 op=1 result=[{status2}|{status3}|{status4}] dstname={fqdn} arg={uri}'),
    # wireless / load balancers / gateways (generic key=value)
    (SN, "s-wlan", 'ts={isots} ap={host} event=[client_associated|client_roamed|client_disassociated] client_mac={mac} ssid=[corp|guest|iot] band=[2.4GHz|5GHz] rssi=-{small}{small} result=success'),
    (SA, "s-wlan", 'ts={isots} ap={host} event=[rogue_ap_detected|deauth_flood_detected|evil_twin_detected] bssid={mac} ssid=[corp|guest] channel={small} action=[contained|alerted]'),
    (SA, "s-wlan", 'ts={isots} ap={host} event=client_auth client_mac={mac} ssid=corp method=802.1X result=failure reason="[EAP timeout|invalid credentials|certificate rejected]"'),
    (UA, "s-wlan", 'ts={isots} ap={host} event=client_auth client_mac={mac} ssid=corp method=802.1X user={user} result=success'),
    (ER, "s-lb", 'time={isots} lb={host} vs=[vs_{word}|{word}_https] pool=pool_{word} member={ip}:{port} event=monitor_down status=down reason="[no response within 16 seconds|TCP connection refused|HTTP 500 received]"'),
    (CE, "s-lb", 'time={isots} lb={host} vs=vs_{word} pool=pool_{word} event=pool_down status=down reason="no members available" active_members=0'),
    (SN, "s-lb", 'time={isots} lb={host} vs=vs_{word} pool=pool_{word} member={ip}:{port} event=monitor_up status=up'),
    (HS, "s-lb", 'time={isots} lb={host} vs=vs_{word} client={ip}:{port} method={method} uri={uri} status=[{status2}|{status3}|{status4}|{status5}] rtt={ms} bytes={int}'),
    # Linux audit (key=value; the msg='...' carries a second level)
    (SA, "s-audit", "type=[USER_LOGIN|USER_AUTH|USER_ERR] msg=audit({num}.{small}{small}{small}:{int}): pid={pid} uid=0 auid=4294967295 ses=4294967295 msg='op=[login|PAM:authentication] acct=\"[root|admin|oracle|{user}]\" exe=\"/usr/sbin/sshd\" hostname=? addr={ip} terminal=ssh res=failed'"),
    (UA, "s-audit", "type=[USER_LOGIN|USER_START|USER_END] msg=audit({num}.{small}{small}{small}:{int}): pid={pid} uid=0 auid={int} ses={small} msg='op=[login|PAM:session_open|PAM:session_close] id={int} exe=\"/usr/sbin/sshd\" hostname={ip} addr={ip} terminal=ssh res=success'"),
    (UA, "s-audit", "type=[ADD_USER|ADD_GROUP|USER_MGMT|ACCT_UNLOCK] msg=audit({num}.{small}{small}{small}:{int}): pid={pid} uid=0 auid={int} ses={small} msg='op=[adding user|adding group|changing password|adding user to group] id={int} exe=\"/usr/sbin/[useradd|groupadd|usermod|passwd]\" terminal=pts/{small} res=success'"),
    (SA, "s-audit", "type=[USER_ROLE_CHANGE|USER_CMD|ANOM_ABEND] msg=audit({num}.{small}{small}{small}:{int}): pid={pid} uid={int} auid={int} ses={small} msg='op=[role-change|setuid-root|sudo-bypass] old-role=user_r new-role=sysadm_r acct=\"{user}\" exe=\"[/usr/bin/newrole|/tmp/.x|/usr/bin/pkexec]\" res=success'"),
    (SN, "s-audit", "type=[SERVICE_START|SERVICE_STOP] msg=audit({num}.{small}{small}{small}:{int}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=[chronyd|sshd|crond|rsyslog|{service}] comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" res=success'"),
    (CE, "s-audit", "type=SERVICE_START msg=audit({num}.{small}{small}{small}:{int}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=[postgresql|mysqld|nginx|docker|{service}] comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" res=failed'"),
    (SA, "s-audit", "type=CONFIG_CHANGE msg=audit({num}.{small}{small}{small}:{int}): auid={int} ses={small} op=[remove_rule|set] key=[\"identity\"|\"exec\"|\"logins\"|(null)] list={small} res=1 audit_enabled=0 old=1"),
]

_JSON: list[tuple[str, str, str]] = [
    # Kubernetes controllers and operators (zap / controller-runtime)
    (ER, "s-operator", '{{"level":"error",' + _JSON_TS + ',"logger":"[controller.{word}|controllers.{word}|reconciler]","msg":"Reconciler error","controller":"{word}","namespace":"{namespace}","name":"{word}-{small}","error":"[failed to apply manifest: conflict on field spec.replicas|secret {word} not found|Operation cannot be fulfilled on deployments: the object has been modified]"}}'),
    (SN, "s-operator", '{{"level":"info",' + _JSON_TS + ',"logger":"[controller.{word}|reconciler]","msg":"[Reconciliation finished|resource synced|status updated|Starting workers]","controller":"{word}","namespace":"{namespace}","name":"{word}-{small}"}}'),
    (SN, "s-operator", '{{"level":"info",' + _JSON_TS + ',"logger":"leader-election","msg":"[became leader|successfully acquired lease|renewed lease]","lease":"{namespace}/{word}-lock"}}'),
    (CE, "s-operator", '{{"level":"[error|fatal]",' + _JSON_TS + ',"logger":"[setup|manager]","msg":"[problem running manager|unable to start manager|leader election lost]","error":"[failed to wait for caches to sync: timed out waiting for cache to be synced|Unauthorized]"}}'),
    (SN, "s-operator", '{{"level":"info",' + _JSON_TS + ',"logger":"[cert-controller|certificates]","msg":"[certificate issued|certificate renewed|issuer ready]","resource_namespace":"{namespace}","resource_name":"{word}-tls"}}'),
    (ER, "s-operator", '{{"level":"error",' + _JSON_TS + ',"logger":"[cert-controller|dns-controller|backup-controller]","msg":"[failed to issue certificate|failed to create DNS record|backup failed]","namespace":"{namespace}","error":"[acme: authorization error for {fqdn}: 403 urn:ietf:params:acme:error:unauthorized|provider returned 401|volume snapshot timed out]"}}'),
    (DW, "s-operator", '{{"level":"warn",' + _JSON_TS + ',"logger":"[KubeAPIWarningLogger|apiwarnings]","msg":"[batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob|autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+|networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+]"}}'),
    (RU, "s-operator", '{{"level":"[warn|info]",' + _JSON_TS + ',"logger":"[resource-watcher|capacity]","msg":"[namespace quota nearly exhausted|node allocatable memory below threshold|persistent volume almost full]","namespace":"{namespace}","used":"{mb}Mi","hard":"{mb}Mi","percent":{pct}}}'),
    (SN, "s-gitops", '{{"level":"info","msg":"[sync completed|Applying resource|Refreshing app status|health status Healthy]","application":"[argocd|flux-system]/{word}","revision":"{hex8}",' + _JSON_TS + '}}'),
    (ER, "s-gitops", '{{"level":"error","msg":"[sync failed|ComparisonError|kustomize build failed|helm upgrade failed]","application":"[argocd|flux-system]/{word}","error":"[rpc error: code = Unknown desc = Manifest generation error|one or more objects failed to apply|timed out waiting for the condition]",' + _JSON_TS + '}}'),
    # Kubernetes audit
    (UA, "s-k8saudit", '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"[create|update|patch|delete]","user":{{"username":"[oidc:{user}|{email}]"}},"objectRef":{{"resource":"[deployments|configmaps|rolebindings|namespaces]","namespace":"{namespace}","name":"{word}"}},"responseStatus":{{"code":[200|201]}}}}'),
    (SA, "s-k8saudit", '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"[get|list|create]","user":{{"username":"system:serviceaccount:{namespace}:[default|{word}]"}},"objectRef":{{"resource":"[secrets|pods/exec|clusterrolebindings]","namespace":"[kube-system|{namespace}]"}},"responseStatus":{{"status":"Failure","reason":"Forbidden","code":403}}}}'),
    (SA, "s-k8saudit", '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","verb":"create","user":{{"username":"[{email}|system:serviceaccount:{namespace}:{word}]"}},"objectRef":{{"resource":"clusterrolebindings","name":"{word}-admin"}},"requestObject":{{"roleRef":{{"kind":"ClusterRole","name":"cluster-admin"}}}},"responseStatus":{{"code":201}},"annotations":{{"note":"[subject escalated itself to cluster-admin|cluster-admin granted to a workload account]"}}}}'),
    # application JSON: zerolog/zap/pino/bunyan/structlog/Serilog/logstash/ECS
    (HS, "s-nodeapp", '{{"level":30,"time":{num}{num},"pid":{pid},"hostname":"{host}","req":{{"id":{int},"method":"{method}","url":"{uri}"}},"res":{{"statusCode":[{status2}|{status3}|{status4}]}},"responseTime":{ms},"msg":"request completed"}}'),
    (HS, "s-nodeapp", '{{"level":[40|50],"time":{num}{num},"pid":{pid},"hostname":"{host}","req":{{"id":{int},"method":"{method}","url":"{uri}"}},"res":{{"statusCode":{status5}}},"responseTime":{ms},"msg":"request errored"}}'),
    (CE, "s-nodeapp", '{{"level":60,"time":{num}{num},"pid":{pid},"hostname":"{host}","msg":"[uncaught exception, shutting down|server failed to start|unhandled rejection, process will exit]","err":{{"type":"Error","message":"[listen EADDRINUSE: address already in use :::{port}|connect ECONNREFUSED {ip}:5432|Cannot find module \'{word}\']"}}}}'),
    (ER, "s-nodeapp", '{{"name":"{word}","hostname":"{host}","pid":{pid},"level":50,"msg":"[failed to send webhook|could not resize image|template render failed|export job failed]","err":{{"message":"[socket hang up|Request failed with status code 502|ENOENT: no such file or directory|Unexpected token < in JSON]","code":"[ECONNRESET|ERR_BAD_RESPONSE|ENOENT]"}},"time":"{isots}","v":0}}'),
    (RU, "s-nodeapp", '{{"name":"{word}","hostname":"{host}","pid":{pid},"level":40,"msg":"[event loop lag high|heap close to limit|too many open sockets]","heapUsedMB":{mb},"heapLimitMB":{mb},"lagMs":{ms},"time":"{isots}","v":0}}'),
    (DW, "s-nodeapp", '{{"level":40,"time":{num}{num},"pid":{pid},"hostname":"{host}","msg":"[DEP0{small}{small}{small} DeprecationWarning: url.parse() behavior is not standardized; use the WHATWG URL API|the `useLegacyParser` option is deprecated and will be removed in v4|callback API is deprecated, use promises]"}}'),
    (SN, "s-nodeapp", '{{"level":30,"time":{num}{num},"pid":{pid},"hostname":"{host}","msg":"[server listening|worker started|connected to database|graceful shutdown complete]","port":{port}}}'),
    (UA, "s-pyapp", '{{"event": "[user logged in|user logged out|password reset completed|profile updated|api key created]", "user_id": {int}, "ip": "{ip}", "level": "info", "logger": "[accounts|auth.views|users.api]", "timestamp": "{isots}"}}'),
    (SA, "s-pyapp", '{{"event": "[login failed|account locked|suspicious login blocked|invalid api key used]", "username": "[{user}|{email}|admin]", "ip": "{ip}", "attempts": {small}, "level": "warning", "logger": "[accounts|auth.views]", "timestamp": "{isots}"}}'),
    (ER, "s-pyapp", '{{"event": "[task failed|message handling failed|sync failed]", "task": "{word}.[sync|export|import|notify]", "exc_info": "[requests.exceptions.ConnectionError: Max retries exceeded|KeyError: \'{word}\'|psycopg2.OperationalError: server closed the connection unexpectedly]", "level": "error", "timestamp": "{isots}"}}'),
    (SN, "s-pyapp", '{{"event": "[task succeeded|task received|beat: sending due task|migration applied]", "task": "{word}.[sync|export|cleanup]", "runtime": {float}, "level": "info", "timestamp": "{isots}"}}'),
    (WE, "s-pyapp", '{{"event": "[approval step failed|claim could not be routed|case escalation failed|policy renewal not issued]", "case_id": "{ticket}", "step": "[approve|route|escalate|renew]", "reason": "[no approver assigned to cost centre|underwriting rule returned no decision|escalation group has no on-call member|payment mandate missing]", "level": "[warning|error]", "logger": "workflow", "timestamp": "{isots}"}}'),
    (ER, "s-dotnetapp", '{{"@t":"{isots}","@mt":"[Failed executing DbCommand ({{Elapsed}}ms)|An unhandled exception has occurred while executing the request.|HTTP request to {{Uri}} failed]","@l":"Error","@x":"[Microsoft.Data.SqlClient.SqlException (0x80131904): Execution Timeout Expired.|System.NullReferenceException: Object reference not set to an instance of an object.|System.Net.Http.HttpRequestException: Connection refused]","SourceContext":"[Microsoft.EntityFrameworkCore.Database.Command|Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware|{word}.Client]"}}'),
    (SN, "s-dotnetapp", '{{"@t":"{isots}","@mt":"[Application started. Press Ctrl+C to shut down.|Now listening on: {{Address}}|Hosting environment: {{EnvName}}]","SourceContext":"Microsoft.Hosting.Lifetime"}}'),
    (WE, "s-dotnetapp", '{{"@t":"{isots}","@mt":"[Order {{OrderId}} could not be released: {{Reason}}|Invoice {{InvoiceId}} rejected by approval rule {{Rule}}|Shipment {{ShipmentId}} stuck in customs step]","@l":"[Warning|Error]","OrderId":"{order}","Reason":"[credit hold|missing approver|address not verified]","SourceContext":"[Sales.Orders|Finance.Invoices|Logistics.Shipments]"}}'),
    (RU, "s-javaapp", '{{"@timestamp":"{isots}","message":"[GC pause {ms}ms, heap {mb}M->{mb}M|Connection pool at {pct}% capacity (active={int}, idle=0)|Thread pool saturated: {int} queued tasks]","logger_name":"[gc|com.zaxxer.hikari.pool.HikariPool|org.apache.tomcat.util.threads]","level":"[WARN|INFO]"}}'),
    (CE, "s-javaapp", '{{"@timestamp":"{isots}","message":"[Application run failed|Failed to start web server|Context initialization failed]","logger_name":"org.springframework.boot.SpringApplication","level":"ERROR","stack_trace":"[org.springframework.beans.factory.BeanCreationException: Error creating bean with name \'dataSource\'|java.net.BindException: Address already in use]"}}'),
    (ER, "s-javaapp", '{{"@timestamp":"{isots}","message":"[Failed to process message from topic {word}|Request processing failed|Scheduled task threw an exception]","logger_name":"{java_class}","level":"ERROR","stack_trace":"[{exception}: timeout after 30000ms|java.lang.IllegalStateException: no value present]"}}'),
    (DW, "s-javaapp", '{{"@timestamp":"{isots}","message":"[Property \'{word}.legacy-mode\' is deprecated and will be removed in 4.0|Use of @EnableWebMvcSecurity is deprecated; use @EnableWebSecurity|The JVM option -XX:+UseConcMarkSweepGC is obsolete]","logger_name":"{java_class}","level":"WARN"}}'),
    (SN, "s-javaapp", '{{"@timestamp":"{isots}","message":"[Started {word}Application in {sec} seconds|Tomcat started on port(s): {port}|Kafka consumer assigned partitions]","logger_name":"{java_class}","level":"INFO"}}'),
    (UA, "s-ecs", '{{"@timestamp":"{isots}","log":{{"level":"info"}},"message":"[User {user} logged in|User {user} logged out|API key {hex8} created by {user}]","event":{{"action":"[user_login|user_logout|api_key_create]","category":["authentication"],"outcome":"success"}},"user":{{"name":"{user}"}}}}'),
    (SA, "s-ecs", '{{"@timestamp":"{isots}","log":{{"level":"[info|warn]"}},"message":"[Failed login for {user}|Unauthorized access to index {word}|Login denied: realm unavailable]","event":{{"action":"[user_login|access_denied]","category":["authentication"],"outcome":"failure"}},"source":{{"ip":"{ip}"}}}}'),
    (RU, "s-ecs", '{{"@timestamp":"{isots}","log.level":"WARN","message":"[low disk watermark [[85%]] exceeded on node {host}|flood stage disk watermark exceeded, indices set to read-only|circuit breaker [[parent]] data too large]","service.name":"search","event.dataset":"search.server"}}'),
    (CE, "s-ecs", '{{"@timestamp":"{isots}","log.level":"ERROR","message":"[cluster health status changed from YELLOW to RED|master not discovered, cluster unavailable|all shards failed]","service.name":"search","event.dataset":"search.server"}}'),
    # HTTP access in JSON
    (HS, "s-webjson", '{{"time":"{clfts}","remote_addr":"{ip}","request_method":"{method}","request_uri":"{uri}","status":[{status2}|{status3}|{status4}|{status5}],"body_bytes_sent":{int},"request_time":{float},"http_user_agent":"{agent}"}}'),
    (HS, "s-webjson", '{{"start_time":"{isots}","method":"{method}","path":"{uri}","protocol":"HTTP/[1.1|2]","response_code":[{status2}|{status4}|{status5}],"response_flags":"[-|UH|UF|URX]","duration":{ms},"upstream_host":"{ip}:{port}"}}'),
    (HS, "s-webjson", '{{"level":"info","ts":{num}.{int},"logger":"http.log.access","msg":"handled request","request":{{"remote_ip":"{ip}","method":"{method}","host":"{fqdn}","uri":"{uri}"}},"status":[{status2}|{status3}|{status4}|{status5}],"size":{int},"duration":{float}}}'),
    (HS, "s-webjson", '{{"httpRequest":{{"requestMethod":"{method}","requestUrl":"{url}","status":[{status2}|{status4}|{status5}],"latency":"{float}s","remoteIp":"{ip}"}},"severity":"[INFO|WARNING|ERROR]","timestamp":"{isots}"}}'),
    # cloud audit
    (UA, "s-cloudaudit", '{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"{user}"}},"eventTime":"{isots}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","sourceIPAddress":"{ip}","responseElements":{{"ConsoleLogin":"Success"}}}}'),
    (SA, "s-cloudaudit", '{{"eventVersion":"1.08","userIdentity":{{"type":"[IAMUser|Root]","userName":"[{user}|root]"}},"eventTime":"{isots}","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","sourceIPAddress":"{ip}","errorMessage":"Failed authentication","responseElements":{{"ConsoleLogin":"Failure"}}}}'),
    (SA, "s-cloudaudit", '{{"eventVersion":"1.08","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::{int}:assumed-role/{word}/{word}"}},"eventTime":"{isots}","eventSource":"[iam|s3|kms|secretsmanager].amazonaws.com","eventName":"[CreateAccessKey|GetObject|Decrypt|GetSecretValue|PutBucketPolicy]","errorCode":"[AccessDenied|UnauthorizedOperation]","errorMessage":"User is not authorized to perform this operation"}}'),
    (SA, "s-cloudaudit", '{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"{user}"}},"eventTime":"{isots}","eventSource":"[iam.amazonaws.com|cloudtrail.amazonaws.com|guardduty.amazonaws.com]","eventName":"[AttachUserPolicy|PutUserPolicy|StopLogging|DeleteTrail|DeleteDetector]","requestParameters":{{"policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}}}}'),
    (UA, "s-cloudaudit", '{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"{user}"}},"eventTime":"{isots}","eventSource":"iam.amazonaws.com","eventName":"[CreateUser|AddUserToGroup|CreateGroup|ChangePassword|TagUser]","requestParameters":{{"userName":"{user}","groupName":"[developers|readonly|support]"}}}}'),
    (SN, "s-cloudaudit", '{{"eventVersion":"1.08","userIdentity":{{"type":"AWSService","invokedBy":"[backup|autoscaling|ssm].amazonaws.com"}},"eventTime":"{isots}","eventSource":"ec2.amazonaws.com","eventName":"[CreateSnapshot|RunInstances|TerminateInstances|StartInstances]","awsRegion":"{region}"}}'),
    (RU, "s-cloudaudit", '{{"eventVersion":"1.08","eventTime":"{isots}","eventSource":"[ec2|lambda|dynamodb].amazonaws.com","eventName":"[RunInstances|Invoke|PutItem]","errorCode":"[VcpuLimitExceeded|TooManyRequestsException|ProvisionedThroughputExceededException|InstanceLimitExceeded]","errorMessage":"[You have requested more vCPU capacity than your current limit|Rate exceeded|The level of configured provisioned throughput for the table was exceeded]"}}'),
    (UA, "s-gcpaudit", '{{"protoPayload":{{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","status":{{}},"authenticationInfo":{{"principalEmail":"{email}"}},"methodName":"[SetIamPolicy|google.iam.admin.v1.CreateServiceAccount|storage.buckets.create]","resourceName":"projects/{word}"}},"severity":"NOTICE","timestamp":"{isots}"}}'),
    (SA, "s-gcpaudit", '{{"protoPayload":{{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","status":{{"code":7,"message":"PERMISSION_DENIED"}},"authenticationInfo":{{"principalEmail":"{email}"}},"methodName":"[storage.objects.get|compute.instances.delete|secretmanager.versions.access]","resourceName":"projects/{word}"}},"severity":"ERROR","timestamp":"{isots}"}}'),
    (SA, "s-azure", '{{"time":"{isots}","operationName":"Sign-in activity","category":"SignInLogs","resultType":"[50126|50053|50074]","resultDescription":"[Invalid username or password.|Account is locked because of too many sign-in attempts.|Strong authentication is required.]","properties":{{"userPrincipalName":"{email}","ipAddress":"{ip}"}}}}'),
    (UA, "s-azure", '{{"time":"{isots}","operationName":"[Sign-in activity|Add member to group|Update user]","category":"[SignInLogs|AuditLogs]","resultType":"0","result":"success","properties":{{"userPrincipalName":"{email}","ipAddress":"{ip}"}}}}'),
    (SN, "s-azure", '{{"time":"{isots}","resourceId":"/SUBSCRIPTIONS/{int}/RESOURCEGROUPS/{word}","operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/[START|RESTART|DEALLOCATE]/ACTION","category":"Administrative","resultType":"Success","level":"Information"}}'),
    (ER, "s-azure", '{{"time":"{isots}","resourceId":"/SUBSCRIPTIONS/{int}/RESOURCEGROUPS/{word}","operationName":"MICROSOFT.[WEB/SITES|COMPUTE/VIRTUALMACHINES]/[WRITE|START/ACTION]","category":"Administrative","resultType":"Failure","level":"Error","properties":{{"statusMessage":"[Conflict|AllocationFailed|QuotaExceeded]"}}}}'),
    # identity providers
    (UA, "s-idp", '{{"actor":{{"alternateId":"{email}","type":"User"}},"displayMessage":"[User login to the portal|User logout|Update user profile|Add user to group membership]","eventType":"[user.session.start|user.session.end|user.account.update_profile|group.user_membership.add]","outcome":{{"result":"SUCCESS"}},"severity":"INFO","published":"{isots}"}}'),
    (SA, "s-idp", '{{"actor":{{"alternateId":"{email}","type":"User"}},"client":{{"ipAddress":"{ip}"}},"displayMessage":"[User login to the portal|Verify push factor|Authenticate user with password]","eventType":"[user.session.start|user.authentication.auth_via_mfa|user.authentication.sso]","outcome":{{"result":"[FAILURE|DENY]","reason":"[INVALID_CREDENTIALS|VERIFICATION_ERROR|LOCKED_OUT]"}},"severity":"WARN","published":"{isots}"}}'),
    (SA, "s-idp", '{{"actor":{{"alternateId":"{email}","type":"User"}},"displayMessage":"[Grant user privilege|Assign super administrator role|Grant org admin rights]","eventType":"[user.account.privilege.grant|user.role.super_admin.grant]","outcome":{{"result":"SUCCESS"}},"target":[[{{"alternateId":"{email}","type":"User"}}]],"severity":"INFO","published":"{isots}"}}'),
    (SA, "s-idp", '{{"type":"[LOGIN_ERROR|CLIENT_LOGIN_ERROR]","realmId":"{word}","clientId":"{word}-portal","ipAddress":"{ip}","error":"[invalid_user_credentials|user_not_found|user_temporarily_disabled]","details":{{"username":"{user}"}}}}'),
    (UA, "s-idp", '{{"type":"[LOGIN|LOGOUT|UPDATE_PROFILE|UPDATE_PASSWORD]","realmId":"{word}","clientId":"{word}-portal","ipAddress":"{ip}","userId":"{uuid}","details":{{"username":"{user}"}}}}'),
    # IDS / EDR sensors
    (SA, "s-ids", '{{"timestamp":"{isots}","event_type":"alert","src_ip":"{ip}","src_port":{port},"dest_ip":"{ip}","dest_port":{port},"proto":"[TCP|UDP]","alert":{{"action":"[allowed|blocked]","signature_id":{int},"signature":"{signature}","category":"[Attempted Information Leak|Potentially Bad Traffic|A Network Trojan was detected|Web Application Attack]","severity":[1|2|3]}}}}'),
    (SN, "s-ids", '{{"timestamp":"{isots}","event_type":"[flow|netflow]","src_ip":"{ip}","dest_ip":"{ip}","dest_port":{port},"proto":"[TCP|UDP]","app_proto":"[tls|dns|http|ssh]","flow":{{"pkts_toserver":{int},"bytes_toserver":{int},"state":"[closed|established]","reason":"[timeout|shutdown]"}}}}'),
    (HS, "s-ids", '{{"timestamp":"{isots}","event_type":"http","src_ip":"{ip}","dest_ip":"{ip}","http":{{"hostname":"{fqdn}","url":"{uri}","http_method":"{method}","protocol":"HTTP/1.1","status":[{status2}|{status3}|{status4}],"length":{int}}}}}'),
    (SA, "s-ids", '{{"ts":{num}.{int},"note":"[Scan::Port_Scan|SSH::Password_Guessing|HTTP::SQL_Injection_Attacker|SSL::Invalid_Server_Cert]","msg":"[{ip} scanned {int} ports of {ip}|{ip} appears to be guessing passwords|SQL injection attempts from {ip}]","src":"{ip}","actions":[["Notice::ACTION_LOG"]]}}'),
    (SA, "s-edr", '{{"output":"[Shell spawned in a container with an attached terminal|Sensitive file opened for reading by non-trusted program|Outbound connection to C2 server|Privileged container started]","priority":"[Warning|Error|Critical|Notice]","rule":"[Terminal shell in container|Read sensitive file untrusted|Outbound C2 connection|Launch Privileged Container]","time":"{isots}","output_fields":{{"container.id":"{hex8}","user.name":"[root|{user}]","proc.cmdline":"[bash|sh -c curl|cat /etc/shadow]"}}}}'),
    (SA, "s-edr", '{{"timestamp":"{isots}","rule":{{"level":[10|12|13],"description":"[Multiple authentication failures|Rootkit detected|File added to system binary directory|Possible web shell uploaded]","id":"{int}"}},"agent":{{"name":"{host}"}},"full_log":"[{user} failed login from {ip}|trojaned binary /usr/bin/{word}]"}}'),
    (SN, "s-edr", '{{"timestamp":"{isots}","rule":{{"level":[3|5],"description":"[Integrity checksum changed.|Agent started.|Log file rotated.]","id":"{int}"}},"agent":{{"name":"{host}"}}}}'),
    # business services in JSON
    (WE, "s-bizjson", '{{' + _JSON_TS + ',"level":"[WARN|ERROR]","service":"[lead-router|claims|ticketing|procurement|billing]","event":"[lead.assignment.failed|claim.routing.failed|sla.escalation.failed|po.approval.failed|invoice.dunning.stopped]","id":"{ticket}","reason":"[no owner for territory|adjuster queue full|escalation target unavailable|budget line closed|payment method expired]"}}'),
    (SN, "s-bizjson", '{{' + _JSON_TS + ',"level":"INFO","service":"[lead-router|claims|ticketing|procurement|billing]","event":"[lead.assigned|claim.created|ticket.resolved|po.approved|invoice.sent]","id":"{ticket}"}}'),
    (UA, "s-bizjson", '{{' + _JSON_TS + ',"level":"INFO","service":"[customer-portal|web|mobile-api]","event":"[session.login|session.logout|profile.updated|address.added|consent.changed]","customer_id":"{customer}"}}'),
    (DW, "s-bizjson", '{{' + _JSON_TS + ',"level":"WARN","service":"[partner-api|public-api|webhooks]","event":"[api.version.deprecated|endpoint.sunset.notice|field.deprecated]","message":"[API version {version} is deprecated and will stop working on {date}|endpoint /v1/{word} is scheduled for removal; use /v2/{word}|field legacy_id is deprecated]","client_id":"{word}"}}'),
    (RU, "s-bizjson", '{{' + _JSON_TS + ',"level":"[WARN|INFO]","service":"[media-store|uploads|reports]","message":"[volume usage {pct}%|storage quota {pct}% used|queue depth {int} above threshold]","free_gb":{gb}}}'),
    (CE, "s-bizjson", '{{' + _JSON_TS + ',"level":"[FATAL|ERROR]","service":"[checkout|payments|orders]","message":"[all payment gateways down, checkout unavailable|order database unreachable, service stopping|primary and replica lost, writes disabled]"}}'),
]

_CEF = "CEF:0|"
_CEF_LEEF: list[tuple[str, str, str]] = [
    (SA, "s-cef", _CEF + "[Check Point|Fortinet|Cisco|Juniper]|[VPN-1 & FireWall-1|FortiGate|Firepower|SRX]|{version}|[Drop|Reject|deny|{int}]|[Drop|Connection rejected|Denied by rule|Traffic denied]|[Medium|High|5|6]|act=[Drop|Reject|deny|blocked] " + _CEF_FW + " cs1Label=Rule cs1=[Block_{word}|Cleanup|implicit-deny]"),
    (SN, "s-cef", _CEF + "[Check Point|Fortinet|Cisco|Juniper]|[VPN-1 & FireWall-1|FortiGate|Firepower|SRX]|{version}|[Accept|allow|{int}]|[Accept|Connection allowed|Session closed|Traffic permitted]|[Low|Unknown|1|2]|act=[Accept|allow|close] " + _CEF_FW + " cs1Label=Rule cs1=[Allow_{word}|outbound-web]"),
    (SA, "s-cef", _CEF + "[Snort|Cisco|Trend Micro|McAfee]|[Snort IDS|Firepower IPS|TippingPoint|Network Security Platform]|{version}|[1:{int}:{small}|{int}]|{signature}|[7|8|9|High]|src={ip} dst={ip} spt={port} dpt={port} proto=TCP act=[alert|blocked|dropped]"),
    (SA, "s-cef", _CEF + "[Imperva Inc.|F5|Barracuda|Akamai]|[SecureSphere|ASM|WAF|Kona]|{version}|[{int}|SQLi|XSS|Traversal]|[SQL injection attempt|Cross-site scripting attempt|Path traversal attempt|Illegal meta character in URL]|[6|7|8|High]|act=[Block|blocked|DENY] src={ip} dst={ip} dpt=443 requestMethod={method} request={uri}"),
    (HS, "s-cef", _CEF + "[F5|Imperva Inc.|Barracuda]|[ASM|SecureSphere|WAF]|{version}|[Legal Request|200|access]|[Legal Request|Request passed|HTTP access]|[0|1|Low]|act=[passed|allow] src={ip} dst={ip} requestMethod={method} request={uri} cn1Label=response_code cn1=[{status2}|{status3}|{status4}]"),
    (SA, "s-cef", _CEF + "[CrowdStrike|SentinelOne|Microsoft|Sophos]|[FalconHost|Singularity|Defender for Endpoint|Intercept X]|{version}|[DetectionSummaryEvent|threat|Malware|{int}]|[Malicious process blocked|Ransomware behaviour detected|Credential dumping attempt|Suspicious PowerShell command]|[High|Critical|8|9]|duser={user} dhost={host} fname=[{word}.exe|powershell.exe|rundll32.exe] act=[Process Blocked|Quarantined|Killed|Detected]"),
    (SN, "s-cef", _CEF + "[CrowdStrike|SentinelOne|Microsoft|Sophos]|[FalconHost|Singularity|Defender for Endpoint|Intercept X]|{version}|[SensorHeartbeat|AgentUpdated|ScanCompleted|{int}]|[Sensor online|Agent updated|Scheduled scan completed, no threats|Definitions updated]|[Low|1|2]|dhost={host} msg=[agent version {version}|scan finished in {sec}s]"),
    (SA, "s-cef", _CEF + "[Microsoft|Cisco|Okta|Vectra]|[ATA|Identity Services Engine|Okta|Cognito]|{version}|[{int}|BruteForce|LateralMovement]|[Brute force attack|Authentication failed|Pass-the-hash detected|Suspicious Kerberos activity]|[5|6|Medium|High]|duser={user} src={ip} outcome=[failure|detected] reason=[bad password|ticket anomaly|{int} attempts]"),
    (UA, "s-cef", _CEF + "[Cisco|Okta|Microsoft]|[Identity Services Engine|Okta|Entra ID]|{version}|[{int}|session.start|Login]|[Authentication succeeded|User signed in|VPN session started]|[1|2|3|Low]|duser={user} src={ip} outcome=success"),
    (SA, "s-cef", _CEF + "[Microsoft|Varonis Inc.|CyberArk|BeyondTrust]|[ATA|DatAdvantage|Privileged Threat Analytics|Privilege Management]|{version}|[{int}|PrivEsc]|[User added to Domain Admins|Privileged group membership changed outside change window|Local administrator rights granted|Elevation to root detected]|[7|8|High]|suser={user} duser={user} act=[Added|Elevated|Granted] outcome=success"),
    (UA, "s-cef", _CEF + "[Varonis Inc.|Microsoft|Netwrix]|[DatAdvantage|Active Directory|Auditor]|{version}|[{int}|GroupMemberAdded|PermissionsAdded]|[Member added to group|Permissions added to folder|User account created|Password reset by helpdesk]|[1|2|3|Low]|suser={user} duser={user} act=[Added|Created|Reset] outcome=success"),
    (SA, "s-cef", _CEF + "[Zscaler|Netskope|Symantec|Forcepoint]|[NSS|Netskope|ProxySG|Web Security]|{version}|[Malware|Phishing|{int}]|[Malware download blocked|Phishing site blocked|Category blocked by policy|Data exfiltration prevented]|[6|7|8|High]|src={ip} suser={email} request={url} requestMethod={method} act=[Blocked|block|deny] cat=[Malware|Phishing|Gambling]"),
    (SA, "s-cef", _CEF + "[Trend Micro|McAfee|ESET|Kaspersky]|[Deep Security Agent|ePolicy Orchestrator|Protect|Endpoint Security]|{version}|[{int}|AV]|[Eicar_test_file|Trojan.Win32.Agent|Ransom.Win64.Lockbit|PUA.Miner]|[6|7|8]|dvchost={host} filePath=[C:\\\\Users\\\\{user}\\\\Downloads\\\\{file}|/tmp/{file}] act=[Quarantine|Clean|Delete|Deny Access]"),
    (ER, "s-cef", _CEF + "[Trend Micro|McAfee|ESET|Sophos]|[Deep Security Manager|ePolicy Orchestrator|Protect|Central]|{version}|[{int}|UpdateFailed]|[Security update failed|Agent communication failure|Policy deployment failed]|[4|5|Medium]|dvchost={host} msg=[download server unreachable|agent did not respond within {int}s|policy {int} could not be applied]"),
    (SA, "s-leef", "LEEF:[1.0|2.0]|[Palo Alto Networks|IBM|Zscaler|Forcepoint]|[PAN-OS Syslog Integration|QRadar|NSS|NGFW]|{version}|[deny|drop|threat|Blocked]|cat=[TRAFFIC|THREAT|vulnerability|Blocked]\tsev=[4|5|6|7]\t" + _LEEF_FW + "\taction=[deny|drop|reset-both|Blocked]\tusrName={user}"),
    (SN, "s-leef", "LEEF:[1.0|2.0]|[Palo Alto Networks|IBM|Zscaler|Forcepoint]|[PAN-OS Syslog Integration|QRadar|NSS|NGFW]|{version}|[allow|end|Allowed]|cat=[TRAFFIC|Allowed]\tsev=[1|2]\t" + _LEEF_FW + "\taction=[allow|Allowed]\tapplication=[ssl|dns|web-browsing|ms-office365]"),
    (SA, "s-leef", "LEEF:1.0|[IBM|Palo Alto Networks|Imperva]|[QRadar|GlobalProtect|Incapsula]|{version}|[Authentication Failed|Login Failure|brute-force]|cat=[Authentication|Security]\tsev=[5|6|7]\tsrc={ip}\tusrName=[admin|{user}]\treason=[invalid password|account locked|unknown user]"),
    (UA, "s-leef", "LEEF:1.0|[IBM|Palo Alto Networks]|[QRadar|GlobalProtect]|{version}|[Authentication Succeeded|Login Success|gateway-connected]|cat=Authentication\tsev=[1|2]\tsrc={ip}\tusrName={user}"),
    (HS, "s-leef", "LEEF:1.0|[Zscaler|Forcepoint|Symantec]|[NSS|Web Security|ProxySG]|{version}|[Allowed|allowed|OBSERVED]|devTime={date} {time}\tsrc={ip}\tusrName={email}\turl={url}\tmethod={method}\trespcode=[{status2}|{status3}|{status4}]\taction=[Allowed|allowed]"),
    (ER, "s-leef", "LEEF:2.0|[Palo Alto Networks|Forcepoint]|[PAN-OS Syslog Integration|NGFW]|{version}|[system|SYSTEM]|^|cat=system^sev=[4|5]^msg=[commit failed: validation error in rule {word}|log forwarding to {ip} failed|certificate renewal failed]^src={ip}"),
]

_MORE_BUSINESS: list[tuple[str, str, str]] = [
    (WE, "s-gosvc", 'level=warn {_TS} {_CALLER} msg="[subscription renewal skipped|dunning step aborted|payout batch held]" account_id={account} reason="[mandate revoked by bank|no active payment method|payout threshold not reached for {small} days]" state=[pending_review|on_hold]'),
    (WE, "s-bizjson", '{{' + _JSON_TS + ',"level":"[WARN|ERROR]","service":"[hr-onboarding|contracts|loans|insurance]","event":"[onboarding.step.blocked|contract.signature.expired|loan.decision.pending|policy.issue.failed]","case":"{ticket}","reason":"[background check not returned|signer did not respond before deadline|credit bureau returned no score|underwriting referral unanswered]"}}'),
    (WE, "s-pyapp", '{{"event": "[return could not be authorised|replacement order not created|warranty claim rejected by rule]", "order_id": "{order}", "rule": "[rma.window|stock.check|warranty.expiry]", "reason": "[return window of 30 days exceeded|replacement SKU discontinued|serial number not registered]", "level": "warning", "timestamp": "{isots}"}}'),
    (WE, "s-kvbiz", 'ts={isots} app=[procure|ap-automation|expenses|travel] level=[warn|error] event=[po_approval_failed|three_way_match_failed|expense_report_rejected|booking_policy_violation] doc={ticket} reason="[approval chain has no delegate|receipt quantity does not match invoice|receipt missing for item over limit|fare above policy cap]"'),
    (SN, "s-kvbiz", 'ts={isots} app=[procure|ap-automation|expenses|travel] level=info event=[po_approved|invoice_posted|expense_report_paid|booking_confirmed] doc={ticket} amount={float}'),
    (DW, "s-kvbiz", 'ts={isots} app=[procure|ap-automation|expenses|travel] level=warn event=[legacy_import_used|deprecated_setting] msg="[CSV import v1 is deprecated and will be removed in the next release; use the API|setting approval.mode=legacy is deprecated, switch to workflow rules]"'),
    (DW, "s-proxy", '{_TS} level=warn msg="[the entryPoint option \\"forwardedHeaders.insecure\\" is deprecated|Labels \\"traefik.frontend.*\\" are no longer supported, use routers|the http.middlewares.headers.sslRedirect option is deprecated, use a redirect scheme]"'),
    (DW, "s-ecs", '{{"@timestamp":"{isots}","log.level":"[WARN|CRITICAL]","data_stream.dataset":"deprecation.search","message":"[[[types removal]] Specifying types in search requests is deprecated.|the [[frozen]] index setting is deprecated and will be removed|legacy index templates are deprecated; use composable templates]"}}'),
]

# Privilege escalation (docs/taxonomy.md): a user's rights raised to admin/root is Security Alert
# even when it succeeds; an ordinary group membership or role grant through the normal path is
# User Action. Plain lines across many systems, next to their ordinary counterparts.
_PRIVILEGE: list[tuple[str, str, str]] = [
    (SA, "linux-accounts", "[account {user} given UID 0 by a direct edit of /etc/passwd|user {user} added to group root|user {user} added to group wheel outside change window|new account {user} created with UID 0|setuid bit set on /tmp/.{word} owned by root]"),
    (UA, "linux-accounts", "[add '{user}' to group '{group}'|user {user} added to group {group} by {user}|group '{group}' membership updated: added {user}]"),
    (SA, "windows", "[A member was added to a security-enabled global group. Group: Domain Admins, Member: CN={user}|Special privileges assigned to new logon: SeDebugPrivilege, SeTcbPrivilege for {user} outside maintenance window|User {user} was added to the local Administrators group by a non-admin process]"),
    (UA, "windows", "[A member was added to a security-enabled local group. Group: Remote Desktop Users, Member: {user}|A member was added to a security-enabled global group. Group: {group}, Member: CN={user}]"),
    (SA, "iam", "[role cluster-admin bound to {user} by the same user|user {user} attached AdministratorAccess to self|service account {word}-sa granted roles/owner on project {word}|{user} elevated to global administrator without approval]"),
    (UA, "iam", "[role viewer granted to {user} on project {word} by {user}|{user} added to group {group} by {user}|access request {ticket} approved: {user} granted role {group}-reader on {word}]"),
    (SA, "postgres", "[role \"{user}\" was granted SUPERUSER by \"{user}\"|ALTER ROLE {user} WITH SUPERUSER executed by non-admin session|user {user} escalated to superuser via SECURITY DEFINER function]"),
    (UA, "postgres", "[GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO {user}|role \"{user}\" granted membership in role \"{group}\" by \"postgres\"]"),
    (SA, "mysql", "[GRANT ALL PRIVILEGES ON *.* TO '{user}'@'%' WITH GRANT OPTION issued by application account|user '{user}'@'%' given SUPER privilege outside change window]"),
    (SA, "kube-apiserver", "[clusterrolebinding {word}-admin created: subject system:serviceaccount:{namespace}:default bound to cluster-admin|user {email} granted escalate verb on clusterroles]"),
    (UA, "kube-apiserver", "[rolebinding {word}-view created in namespace {namespace}: user {email} bound to role view|rolebinding {word}-edit created in namespace {namespace} for group developers]"),
    (SA, "okta", "[User {email} assigned Super Administrator role|admin privilege granted to {email} by API token|{email} elevated to Org Administrator outside change window]"),
    (UA, "okta", "[User {email} added to group {group}|Application {word} assigned to {email}|Group membership updated for {email}]"),
    (SA, "gitlab", "[User {user} was promoted to administrator by {user}|{user} granted Owner on group {word} via API token of a bot account]"),
    (UA, "gitlab", "[User {user} was added to project {word} as Developer|{user} added {user} to group {word} with Reporter access]"),
    (SA, "vault", "[token with root policy created by {user} outside break-glass|entity {user} attached policy admin by itself]"),
    (UA, "pam", "pam_unix([sudo|sudo-i|crond|systemd-user|su-l]:session): session [opened|closed] for user [root|postgres|deploy|{user}][(uid=0)|] by [{user}(uid={uid})|(uid=0)]"),
    (UA, "sudo", "{user} : TTY=pts/{small} ; PWD=/home/{user} ; USER=root ; COMMAND=/usr/bin/[systemctl restart {service}|apt-get upgrade|journalctl -u {service}|tail -f /var/log/syslog]"),
    (SA, "edr", "[Privilege escalation detected: {word}.exe spawned SYSTEM shell|Exploit attempt: local privilege escalation via kernel driver on {host}|Token manipulation: process {pid} impersonated SYSTEM]"),
]

_FRAGMENTS = {"{_TS}": _TS, "{_CALLER}": _CALLER, "{_FLOW}": _FLOW, "{_FGT}": _FGT, "{_SOPHOS}": _SOPHOS,
              "{_SONIC}": _SONIC}


def _expand(template: str) -> str:
    """A template with the shared noise fragments (`{_TS}`, `{_FGT}`, ...) written out."""
    for name, fragment in _FRAGMENTS.items():
        template = template.replace(name, fragment)
    return template


TEMPLATES: list[tuple[str, str, str]] = [
    (category, system, _expand(template))
    for category, system, template in (*_LOGFMT, *_KV_APPLIANCES, *_JSON, *_CEF_LEEF, *_PRIVILEGE, *_MORE_BUSINESS)
]
