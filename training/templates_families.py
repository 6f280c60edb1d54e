"""Templates for six families of lines whose label does not follow from their wording, each written
across many kinds of systems so that the model learns the boundary and not the system name:

A. a whole service that cannot start, aborts, gives up restarting or has lost every backend
   (systemd, supervisord, monit, runit/s6, OpenRC/SysV init, Windows service control manager,
   databases, container daemons, web servers and proxies) is Critical Error; the same service
   started, running, ready or back UP is System Notification;
B. a limit reached (connection slots, mailbox and disk quotas, conntrack/file-descriptor tables,
   schedulers without CPU or memory to place work, eviction and reclaim, disk watermarks, cloud
   quotas) is Resource Usage even when the line says ERROR or "refused"; routine measurements
   next to them stay Resource Usage, routine events that measure nothing are System Notification;
C. a feature, option, directive or API that is obsolete, no longer supported, replaced, superseded
   or going away is Deprecation Warning whether or not the word "deprecated" appears; the same
   configuration loaded normally is System Notification;
D. security events that look like routine chatter (netfilter DROP/REJECT lines, anti-spam and
   postscreen rejections, SYN-flood and port-scan detection, someone switching off audit logging,
   repeated authentication failures) are Security Alert; the same formats with ACCEPT/ALLOW/PASS
   are System Notification, account and permission changes in audit trails are User Action;
E. a successful login or authentication (databases, brokers, VPNs, IMAP/POP, FTP, web consoles,
   single sign-on, cloud consoles) is User Action; the failed one is Security Alert;
F. one operation failing in routine-sounding words (an orchestrator marking a task, job or run
   FAILED, a client connection reset, a constraint violation or deadlock with its DETAIL/HINT
   continuation lines, a zone transfer or notify that fails, a process dumping core) is Error;
   its SUCCESS/completed counterpart is System Notification.

Rules followed (docs/taxonomy.md): blast radius decides Error vs Critical Error (one upstream
server down is Error, the last one down is Critical); a process dumping core is one process, so
Error. A daemon's systemd unit failing ("Failed with result", "Main process exited ... FAILURE") is the
service down, so Critical Error. Lines whose label would be a coin toss (a restart loop,
supervisord's "exited ... (not expected)" before it gives up, a bare disconnection, a one-shot
unit such as logrotate failing) are left out on purpose.

The phrasings follow how these systems log; none is copied from evaluation data. ``TEMPLATES`` is
a list of ``(category, system, template)`` in the syntax of ``training.generate``; shape ids are
list positions ("fam-0042"), so new templates are only ever appended.
"""

from __future__ import annotations

from log_classifier.taxonomy import CRITICAL_ERROR as CE
from log_classifier.taxonomy import DEPRECATION_WARNING as DW
from log_classifier.taxonomy import ERROR as ER
from log_classifier.taxonomy import RESOURCE_USAGE as RU
from log_classifier.taxonomy import SECURITY_ALERT as SA
from log_classifier.taxonomy import SYSTEM_NOTIFICATION as SN
from log_classifier.taxonomy import USER_ACTION as UA

# Daemons as systemd names them: "unit.service - Description" pairs and descriptions alone.
_UNIT_DESC = (
    "[nginx.service - A high performance web server and a reverse proxy server|postgresql@{small}-main.service - PostgreSQL Cluster {small}-main"
    "|mysql.service - MySQL Community Server|mariadb.service - MariaDB {version} database server|docker.service - Docker Application Container Engine"
    "|kubelet.service - kubelet: The Kubernetes Node Agent|redis-server.service - Advanced key-value store|apache2.service - The Apache HTTP Server"
    "|haproxy.service - HAProxy Load Balancer|elasticsearch.service - Elasticsearch|ssh.service - OpenBSD Secure Shell server"
    "|postfix@-.service - Postfix Mail Transport Agent (instance -)|named.service - BIND Domain Name Server|mongod.service - MongoDB Database Server"
    "|rabbitmq-server.service - RabbitMQ broker|containerd.service - containerd container runtime|php8.{small}-fpm.service - The PHP 8.{small} FastCGI Process Manager]"
)
_DESC = (
    "[The nginx HTTP and reverse proxy server|PostgreSQL database server|PostgreSQL RDBMS|MySQL Server|MariaDB {version} database server"
    "|Docker Application Container Engine|kubelet: The Kubernetes Node Agent|Redis persistent key-value database|The Apache HTTP Server"
    "|HAProxy Load Balancer|Elasticsearch|OpenSSH server daemon|Postfix Mail Transport Agent|Regular background program processing daemon"
    "|Apache Kafka|Grafana instance|Monitoring system and time series database|Dovecot IMAP/POP3 email server|Virtualization daemon"
    "|Varnish Cache, a high-performance HTTP accelerator|Consul Agent|etcd key-value store|LSB: Apache Tomcat|Keepalived Health Checker]"
)
_UNIT = (
    "[nginx|postgresql|postgresql@{small}-main|mysql|mysqld|mariadb|docker|kubelet|redis-server|redis|httpd|apache2|haproxy|elasticsearch"
    "|kafka|containerd|rabbitmq-server|sshd|postfix|mongod|php-fpm|grafana-server|prometheus|named|dovecot|varnish|consul|etcd|tomcat9]"
)

_A_SERVICE_DOWN: list[tuple[str, str, str]] = [
    # systemd
    (CE, "systemd", f"Failed to start {_DESC}."),
    (CE, "systemd", f"Failed to start {_UNIT_DESC}."),
    (SN, "systemd", f"Started {_DESC}."),
    (SN, "systemd", f"Started {_UNIT_DESC}."),
    (CE, "systemd", f"{_UNIT}.service: Failed with result '[exit-code|timeout|core-dump|signal|start-limit-hit|protocol]'."),
    (CE, "systemd", f"{_UNIT}.service: Main process exited, code=[exited|killed|dumped], status=[1/FAILURE|2/INVALIDARGUMENT|203/EXEC|217/USER|226/NAMESPACE|6/ABRT|11/SEGV]"),
    (CE, "systemd", f"{_UNIT}.service: [Start request repeated too quickly.|Control process exited, code=exited, status=1/FAILURE|Start operation timed out. Terminating.]"),
    (CE, "systemd", f"Dependency failed for {_DESC}."),
    (CE, "systemd", f"Job {_UNIT}.service/start failed with result 'dependency'."),
    (SN, "systemd", f"{_UNIT}.service: [Main process exited, code=exited, status=0/SUCCESS|Deactivated successfully.]"),
    (SN, "systemd", "Reached target [Multi-User System|Network is Online|Container Runtime|Remote File Systems|Mail Transport Agent|Login Prompts]."),
    # supervisord / supervisorctl
    (CE, "supervisord", "gave up: {word} entered FATAL state, too many start retries too quickly"),
    (CE, "supervisord", "[{word}|{word}-worker|{word}:{word}_0{small}]   FATAL     Exited too quickly (process log may have details)"),
    (CE, "supervisord", "Error: Another program is already listening on a port that one of our HTTP servers is configured to use.  Shut this program down first before starting supervisord."),
    (SN, "supervisord", "success: {word} entered RUNNING state, process has stayed up for > than {small} seconds (startsecs)"),
    (SN, "supervisord", "[spawned: '{word}' with pid {pid}|exited: {word} (exit status 0; expected)|stopped: {word} (terminated by SIGTERM)|supervisord started with pid {pid}]"),
    (SN, "supervisord", "[{word}|{word}-worker|{word}:{word}_0{small}]   RUNNING   pid {pid}, uptime {time}"),
    # monit
    (CE, "monit", "'{service}' process is not running"),
    (CE, "monit", "'{service}' [failed to start (exit status 1) -- '/etc/init.d/{service} start': {service}: could not bind to port|failed to start (exit status -1) -- Program '/usr/bin/systemctl start {service}' timed out after 30 s|service restarted {small} times within {small} cycles(s) - unmonitor]"),
    (CE, "monit", "'{service}' failed protocol test[ [[HTTP]]| [[SMTP]]| [[MYSQL]]| [[PGSQL]]| [[REDIS]]] at [[localhost]]:{port} [[TCP/IP]] -- Connection refused"),
    (SN, "monit", "'{service}' process is running with pid {pid}"),
    (SN, "monit", "['{service}' connection succeeded to [[localhost]]:{port} type TCP/IP protocol HTTP|'{service}' connection succeeded to [[localhost]]:{port} type TCP/IP protocol PGSQL|'{host}' Monit {version} started]"),
    # runit / s6 / OpenRC / SysV init
    (CE, "runit", "runsv {word}: fatal: [unable to start ./run: file does not exist|unable to start ./run: access denied|unable to lock supervise/lock: temporary failure]"),
    (SN, "runit", "run: {word}: (pid {pid}) {int}s[; run: log: (pid {pid}) {int}s|, normally up|]"),
    (CE, "s6", "[s6-rc: warning: unable to start service {word}: command exited 1|s6-rc: warning: unable to start service {word}: command exited 111|s6-supervise {word} (child): fatal: unable to exec run: Permission denied]"),
    (SN, "s6", "s6-rc: info: service {word}[ successfully started|: starting|-log successfully started]"),
    (CE, "openrc", "[ * ERROR: {service} failed to start| * ERROR: cannot start {service} as {service} would not start| * start-stop-daemon: failed to start `/usr/sbin/{service}']"),
    (SN, "openrc", " * Starting {service} ...[ [[ ok ]]| done.|]"),
    (CE, "initscripts", "Starting {service}: [[FAILED]]"),
    (SN, "initscripts", "Starting {service}: [[  OK  ]]"),
    # Windows service control manager
    (CE, "windows", "The {service} service [terminated unexpectedly.  It has done this {small} time(s).  The following corrective action will be taken in 60000 milliseconds: Restart the service.|failed to start due to the following error: The system cannot find the file specified.|terminated with the following service-specific error: Incorrect function.]"),
    (CE, "windows", "[A timeout was reached (30000 milliseconds) while waiting for the {service} service to connect.|The {service} service depends on the {service} service which failed to start because of the following error: The dependency service or group failed to start.]"),
    (SN, "windows", "The {service} service entered the [running|stopped] state."),
    # databases
    (CE, "postgres", "server process (PID {pid}) was terminated by signal [11: Segmentation fault|9: Killed|6: Aborted]; terminating any other active server processes"),
    (CE, "postgres", "[terminating any other active server processes|all server processes terminated; reinitializing|shutting down due to startup process failure]"),
    (CE, "postgres", "terminating connection because of crash of another server process; DETAIL:  The postmaster has commanded this server process to roll back the current transaction and exit, because another server process exited abnormally and possibly corrupted shared memory."),
    (SN, "postgres", "[database system is ready to accept connections|database system was shut down at {ts}|autovacuum launcher started|starting PostgreSQL {small}.{small} on x86_64-pc-linux-gnu]"),
    (CE, "mysql", "[[MY-010119]] [[Server]] Aborting"),
    (CE, "mysql", "[mysqld got signal 11 ;|Fatal error: Can't open and lock privilege tables: Table 'mysql.user' doesn't exist|[[MY-010946]] [[Server]] Failed to start mysqld daemon. Check mysqld error log.|[[MY-013183]] [[InnoDB]] Assertion failure: {file}:{int} thread {num}]"),
    (SN, "mysql", "[[MY-010931]] [[Server]] /usr/sbin/mysqld: ready for connections. Version: '{version}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."),
    (CE, "mongod", "[Fatal assertion msgid={int} file=\"src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp\" line={int}|***aborting after fassert() failure|exception in initAndListen: DBPathInUse: Unable to lock the lock file: /data/db/mongod.lock (Resource temporarily unavailable). Another mongod instance is already running on the /data/db directory, terminating]"),
    (SN, "mongod", "[Transition to primary complete; database writes are now permitted|mongod startup complete|Waiting for connections on port 27017]"),
    (CE, "redis", "[Fatal error loading the DB: Invalid argument. Exiting.|Short read or OOM loading DB. Unrecoverable error, aborting now.|Bad file format reading the append only file: make a backup of your AOF file, then use ./redis-check-aof --fix <filename>|Could not create server TCP listening socket *:6379: bind: Address already in use]"),
    (SN, "redis", "[Ready to accept connections tcp|Ready to accept connections|Server initialized|DB loaded from disk: {float} seconds|Redis version={version}, bits=64, commit=00000000, modified=0, pid={pid}, just started]"),
    (CE, "elasticsearch", "[fatal error in thread [[main]], exiting|uncaught exception in thread [[main]] org.elasticsearch.bootstrap.StartupException: java.lang.IllegalStateException: failed to obtain node locks, tried [[{mount}]]|node validation exception [[{small}]] bootstrap checks failed]"),
    (SN, "elasticsearch", "[started|publish_address {{{ip}:9200}}, bound_addresses {{[[::]]:9200}}|recovered [[{int}]] indices into cluster_state|node name [[{host}]], node ID [[{hex}]]]"),
    (CE, "kafka-broker", "[[KafkaServer id={small}]] Fatal error during KafkaServer startup. Prepare to shutdown"),
    (CE, "kafka-broker", "[Exiting Kafka due to fatal exception during startup.|Shutdown broker because all log dirs in {mount} have failed]"),
    (SN, "kafka-broker", "[[KafkaServer id={small}]] started"),
    (SN, "kafka-broker", "[[KafkaRaftServer nodeId={small}]] Kafka Server started"),
    # container and node daemons
    (CE, "kubelet", "\"command failed\" err=\"failed to run Kubelet: [running with swap on is not supported, please disable swap! or set --fail-swap-on flag to false|misconfiguration: kubelet cgroup driver: \\\"systemd\\\" is different from docker cgroup driver: \\\"cgroupfs\\\"|unable to load bootstrap kubeconfig: stat /etc/kubernetes/bootstrap-kubelet.conf: no such file or directory|validate service connection: CRI v1 runtime API is not implemented for endpoint \\\"unix:///run/containerd/containerd.sock\\\"]\""),
    (CE, "kubelet", "failed to run Kubelet: [failed to create kubelet: get remote runtime typed version failed: rpc error: code = Unavailable|could not init cloud provider \"{word}\"|open /var/lib/kubelet/pki/kubelet.crt: no such file or directory]"),
    (SN, "kubelet", "[\"Starting kubelet main sync loop\"|\"Successfully registered node\" node=\"{node}\"|Started kubelet|\"Kubelet version\" kubeletVersion=\"v1.{small}.{small}\"]"),
    (CE, "docker", "failed to start daemon: [Error initializing network controller: error obtaining controller instance: failed to create NAT chain DOCKER: iptables failed|pid file found, ensure docker is not running or delete /var/run/docker.pid|error while opening volume store metadata database: timeout|Devices cgroup isn't mounted]"),
    (SN, "docker", "[Daemon has completed initialization|API listen on /run/docker.sock|Docker daemon commit={hex8} graphdriver=overlay2 version={version}|Loading containers: done.]"),
    (CE, "containerd", "[containerd: failed to get listener for main endpoint: listen unix /run/containerd/containerd.sock: bind: address already in use|containerd: failed to load TOML from /etc/containerd/config.toml: invalid plugin key URI]"),
    (SN, "containerd", "[containerd successfully booted in {float}s|serving... address=/run/containerd/containerd.sock|loading plugin \"io.containerd.grpc.v1.cri\"...]"),
    # proxies without live backends
    (CE, "nginx-server", "no live upstreams while connecting to upstream, client: {ip}, server: {fqdn}, request: \"{method} {uri} HTTP/1.1\", upstream: \"http://{word}{uri}\", host: \"{fqdn}\""),
    (ER, "nginx-server", "upstream server temporarily disabled while connecting to upstream, client: {ip}, server: {fqdn}, request: \"{method} {uri} HTTP/1.1\", upstream: \"http://{ip}:{port}{uri}\""),
    (SN, "nginx-server", "[signal process started|using the \"epoll\" event method|start worker processes|start worker process {pid}|nginx/{version}]"),
    (CE, "haproxy-server", "[backend {word} has no server available!|proxy {word} has no server available!]"),
    (CE, "haproxy-server", "Server {word}/{host} is DOWN, reason: [Layer4 timeout|Layer4 connection problem|Layer7 wrong status], [info: \"Connection refused\", |]check duration: {ms}ms. 0 active and 0 backup servers left. {small} sessions active, 0 requeued, 0 remaining in queue."),
    (SN, "haproxy-server", "Server {word}/{host} is UP, reason: [Layer7 check passed, code: 200|Layer4 check passed], check duration: {ms}ms. {small} active and 0 backup servers online. 0 sessions requeued, 0 total in queue."),
    (SN, "haproxy-server", "[Proxy {word} started.|Loading success.|New worker ({pid}) forked]"),
    (CE, "apache-server", "[[proxy_balancer:error]] [[pid {pid}:tid {int}]] AH01167: balancer://{word}: All workers are in error state"),
    (ER, "apache-server", "[[proxy:error]] [[pid {pid}:tid {int}]] AH00959: ap_proxy_connect_backend disabling worker for ({host}:{port}) for 60s"),
    (SN, "apache-server", "[[mpm_event:notice]] [[pid {pid}:tid {int}]] AH00489: Apache/{version} (Ubuntu) configured -- resuming normal operations"),
    (CE, "tomcat-server", "[The required Server component failed to start so Tomcat is unable to start.|Failed to initialize end point associated with ProtocolHandler [[\"http-nio-8080\"]] java.net.BindException: Address already in use]"),
    (SN, "tomcat-server", "[Server startup in [[{int}]] milliseconds|Starting ProtocolHandler [[\"http-nio-8080\"]]|Deployment of web application archive [[{path}]] has finished in [[{int}]] ms]"),
    (CE, "php-fpm", "[ERROR: FPM initialization failed|ERROR: unable to bind listening socket for address '127.0.0.1:9000': Address already in use (98)|ERROR: failed to post process the configuration]"),
    (SN, "php-fpm", "[NOTICE: fpm is running, pid {pid}|NOTICE: ready to handle connections|NOTICE: systemd monitor interval set to 10000ms]"),
]

_B_LIMITS: list[tuple[str, str, str]] = [
    # connection limits
    (RU, "postgres", "[FATAL:  |][sorry, too many clients already|too many connections for role \"{user}\"]"),
    (SN, "postgres", "connection received: host={ip} port={port}"),
    (RU, "mysql", "[Too many connections|Host '{ip}' has exceeded the 'max_user_connections' resource ({small})|User '{user}' has exceeded the 'max_connections_per_hour' resource (current value: {int})]"),
    (RU, "redis", "[-ERR max number of clients reached|Error accepting a client connection: max number of clients reached ({int})|OOM command not allowed when used memory > 'maxmemory'.]"),
    (RU, "redis", "[used_memory_human:{float}M used_memory_peak_human:{float}M maxmemory_human:{float}G|DB 0: {int} keys ({int} volatile) in {int} slots HT.]"),
    (RU, "postfix-mail", "warning: service \"smtpd\" ({small}) has reached its process limit \"{int}\": new clients may experience noticeable delays"),
    (RU, "exim", "Connection from [[{ip}]] refused: too many connections"),
    (RU, "rabbitmq-broker", "[memory resource limit alarm set on node 'rabbit@{host}'. Publishers will be blocked until this alarm clears|disk resource limit alarm set on node 'rabbit@{host}'. Free disk space is insufficient.]"),
    (RU, "rabbitmq-broker", "Memory high watermark set to {int} MiB ({bytes} bytes) of {int} MiB ({bytes} bytes) total"),
    (RU, "squid-proxy", "[WARNING! Your cache is running out of filedescriptors|WARNING: Your cache is running out of filedescriptors; max_filedescriptors {int}]"),
    # quotas
    (RU, "dovecot-mail", "lmtp({email})<{pid}><{hex}>: Error: msgid=<{hex}@{fqdn}>: save failed to INBOX: Quota exceeded (mailbox for user is full)"),
    (RU, "postfix-mail", "{hex8}: to=<{email}>, relay=[dovecot|{fqdn}[[{ip}]]:25], delay={float}, delays={float}/{float}/{float}/{float}, dsn=[5.2.2|4.2.2], status=[bounced|deferred] ([Mailbox full|Quota exceeded (mailbox for user is full)|552 5.2.2 Over quota])"),
    (RU, "dovecot-mail", "quota: User {email} using {pct}% of {size} (warning threshold [80|90|95]%)"),
    (RU, "kernel", "[{dev}: write failed, user block limit reached.|{dev}: write failed, group block limit reached.|VFS: file-max limit {int} reached|neighbour: arp_cache: neighbor table overflow!|TCP: out of memory -- consider tuning tcp_mem|TCP: too many orphaned sockets]"),
    # kernel tables and descriptors
    (RU, "kernel", "nf_conntrack: [nf_conntrack: |]table full, dropping packet"),
    (RU, "kernel", "nf_conntrack: count {int} of max {int} entries, {int} buckets"),
    (RU, "nginx-server", "[accept4() failed (24: Too many open files)|{int} worker_connections are not enough while connecting to upstream|open() \"{path}\" failed (24: Too many open files)]"),
    (RU, "tomcat-server", "[Socket accept failed java.io.IOException: Too many open files|java.net.SocketException: Too many open files (Accept failed)]"),
    (RU, "node-app", "Error: EMFILE: too many open files, open '{path}'"),
    (RU, "systemd", "{service}.service: [Too many open files, limit is {int}|Reached maximum number of tasks ({int}), refusing to fork]"),
    # schedulers that cannot place work
    (RU, "k8s-controller", "\"Unable to schedule pod; no fit; waiting\" pod=\"{namespace}/{pod}\" err=\"0/{small} nodes are available: {small} Insufficient [memory|cpu|nvidia.com/gpu][, {small} Insufficient cpu|, {small} node(s) had untolerated taint {{node-role.kubernetes.io/control-plane: }}|]. preemption: 0/{small} nodes are available: {small} No preemption victims found for incoming pod.\""),
    (RU, "k8s-events", "Warning  FailedScheduling  pod/{pod}  0/{small} nodes are available: {small} Insufficient [memory|cpu|ephemeral-storage][, {small} node(s) didn't match Pod's node affinity/selector|]."),
    (SN, "k8s-events", "Normal   Scheduled  pod/{pod}  Successfully assigned {namespace}/{pod} to {node}"),
    (RU, "slurm", "[sched: JobId={int} pending: Resources|job {int} pending: (Resources) requested {small} nodes, {int} cpus, mem={int}M]"),
    (RU, "yarn", "[Not enough resources to satisfy request for application application_{num}_{int}; cluster available <memory:{int}, vCores:{small}>|Queue {word} is at its max capacity: used=<memory:{int}, vCores:{int}>, limit=<memory:{int}, vCores:{int}>]"),
    (RU, "yarn", "Assigned container container_{num}_{int}_01_{int} of capacity <memory:{int}, vCores:{small}> on host {host}:{port}, which has {small} containers, <memory:{int}, vCores:{small}> used and <memory:{int}, vCores:{small}> available"),
    # eviction and reclaim
    (RU, "kubelet", "[\"Eviction manager: attempting to reclaim\" resourceName=\"memory\"|\"Eviction manager: attempting to reclaim\" resourceName=\"ephemeral-storage\"|\"Eviction manager: attempting to reclaim\" resourceName=\"nodefs\"|\"Eviction manager: pods evicted, waiting for pod to be cleaned up\" pods=[[\"{namespace}/{pod}\"]]]"),
    (RU, "k8s-events", "Warning  Evicted  pod/{pod}  The node was low on resource: [memory|ephemeral-storage]. Container {container} was using {size}, which exceeds its request of [0|{size}]."),
    (RU, "kubelet", "\"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold\" usage=[86|88|91|94|97] highThreshold=85 amountToFree={bytes} lowThreshold=80"),
    (SN, "kubelet", "\"Image garbage collection succeeded\"[ freed={bytes}|]"),
    # disk thresholds
    (RU, "yarn", "[Directory {mount}/yarn/local error, used space above threshold of 90.0%, removing from list of valid directories|Most of the disks failed. 1/1 local-dirs usable space is below configured utilization percentage/no more usable space|Disk health report: 1/{small} log-dirs usable space is below configured utilization percentage]"),
    (RU, "hdfs", "Space available on volume '/dev/{dev}' is {int}, which is below the configured reserved amount {int}"),
    (RU, "elasticsearch", "[high disk watermark [[90%]] exceeded on|flood stage disk watermark [[95%]] exceeded on|low disk watermark [[85%]] exceeded on] [[{hex8}]][[{host}]][[{mount}/nodes/0]] free: {gb}gb[[{pct}%]][, shards will be relocated away from this node|, all indices on this node will be marked read-only|, replicas will not be assigned to this node|]"),
    (RU, "opensearch", "[[parent]] Data too large, data for [[<http_request>]] would be [[{int}/{size}]], which is larger than the limit of [[{int}/{size}]]"),
    (RU, "monit", "'[rootfs|data|var]' space usage [91|93|95|97|98].{small}% matches resource limit [[space usage > 90.0%]]"),
    (RU, "monit", "'{host}' cpu usage of [96|97|98|99].{small}% matches resource limit [[cpu usage > 95.0%]]"),
    (RU, "monit", "'{host}' mem usage of [83|86|89|92|95].{small}% matches resource limit [[mem usage > 80.0%]]"),
    (RU, "monit", "'[rootfs|data|var]' space usage check succeeded [[current space usage = {pct}%]]"),
    # cloud quotas
    (RU, "aws", "[VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of {int} allows for the instance bucket that the specified instance type belongs to.|InstanceLimitExceeded: Your quota allows for 0 more running instance(s). You requested at least {small}.|LimitExceeded: Cannot exceed quota for PoliciesPerUser: 10|AddressLimitExceeded: The maximum number of addresses has been reached.]"),
    (RU, "gcp", "Quota '[CPUS|SSD_TOTAL_GB|IN_USE_ADDRESSES|NVIDIA_T4_GPUS]' exceeded.  Limit: {int}.0 in region {region}."),
    (RU, "azure-activity", "Operation could not be completed as it results in exceeding approved standardDSv{small}Family Cores quota. Additional details - Deployment Model: Resource Manager, Location: {region}, Current Limit: {int}, Current Usage: {int}, Additional Required: {small}"),
    (RU, "nova", "Quota exceeded for [cores|ram|instances], tried to run {small} instances. Requested {int}, but already used {int} of {int} [cores|ram|instances]"),
    (SN, "aws", "Launching a new EC2 instance: {instance}. Status Reason: instance was started in response to a difference between desired and actual capacity"),
]

_C_DEPRECATIONS: list[tuple[str, str, str]] = [
    # mail
    (DW, "postfix-mail", "postconf: warning: /etc/postfix/main.cf: support for parameter \"[smtpd_tls_cert_file|smtpd_tls_key_file|smtpd_tls_dh1024_param_file]\" will be removed; instead, specify \"[smtpd_tls_chain_files|tls_config_file]\""),
    (SN, "postfix-mail", "[daemon started -- version {version}, configuration /etc/postfix|reload -- version {version}, configuration /etc/postfix]"),
    (DW, "dovecot-mail", "doveconf: Warning: Obsolete setting in /etc/dovecot/conf.d/10-[ssl|auth|master].conf:{small}: [ssl_protocols has been replaced by ssl_min_protocol|ssl_dh_parameters_length is no longer needed|ssl=yes: ssl_cert has been replaced by ssl_server_cert_file|auth_debug has been replaced by log_debug]"),
    (SN, "dovecot-mail", "master: Dovecot v{version} ({hex8}) starting up for imap, pop3, lmtp[, sieve|] (core dumps disabled)"),
    # DNS
    (DW, "bind", "/etc/bind/named.conf.options:{small}: option '[dnssec-enable|dnssec-lookaside|max-zone-ttl|filter-aaaa-on-v4]' is obsolete and should be removed[ |]"),
    (DW, "bind", "/etc/bind/named.conf:{small}: the '[auto-dnssec|dnssec-validation auto|dialup]' option is deprecated and will be removed in BIND 9.[19|21]"),
    (SN, "bind", "[loading configuration from '/etc/bind/named.conf'|zone {fqdn}/IN: loaded serial {num}|all zones loaded|running]"),
    # proxies and web servers
    (DW, "squid-proxy", "[ERROR: Directive 'dns_v4_first' is obsolete.|WARNING: The 'sslproxy_cafile' directive has been replaced by 'tls_outgoing_options cafile='|UPGRADE WARNING: 'cache_peer_access' ACL form is no longer supported]"),
    (SN, "squid-proxy", "[Processing Configuration File: /etc/squid/squid.conf (depth 0)|Starting Squid Cache version {version} for x86_64-pc-linux-gnu...|Accepting HTTP Socket connections at conn{int} local=[[::]]:3128 remote=[[::]] FD {small} flags=9]"),
    (DW, "haproxy-server", "parsing [[/etc/haproxy/haproxy.cfg:{small}]] : [the 'reqadd' directive is not supported anymore since HAProxy 2.1. Use 'http-request add-header' instead.|'nbproc' is not supported anymore since HAProxy 2.5. Threads will automatically be used on multi-processor machines.|'option forceclose' has been replaced by 'option httpclose'.|the 'tune.ssl.default-dh-param' value will be ignored in a future release.]"),
    (DW, "nginx-server", "the \"[listen ... http2|ssl|http2_push]\" directive is [deprecated|obsolete], use the \"[http2|listen ... ssl|103 Early Hints]\" directive instead in /etc/nginx/[sites-enabled/{word}|conf.d/{word}.conf]:{small}"),
    (SN, "nginx-server", "[nginx: the configuration file /etc/nginx/nginx.conf syntax is ok|nginx: configuration file /etc/nginx/nginx.conf test is successful|reconfiguring]"),
    (DW, "apache-server", "[[core:warn]] [[pid {pid}]] AH00{int}: The [SSLProtocol TLSv1|SSLCompression|NameVirtualHost] directive has no effect and will be removed in the next release"),
    # SSH, VPN, logging, systemd, apt
    (DW, "sshd", "/etc/ssh/sshd_config line {small}: Deprecated option [UsePrivilegeSeparation|RSAAuthentication|UseLogin|KeyRegenerationInterval|ServerKeyBits|RhostsRSAAuthentication]"),
    (SN, "sshd", "Server listening on [0.0.0.0|::] port 22."),
    (DW, "openvpn-server", "[DEPRECATED OPTION: --cipher set to 'AES-256-CBC' but missing in --data-ciphers (AES-256-GCM:AES-128-GCM). OpenVPN ignores --cipher for cipher negotiations.|WARNING: --ns-cert-type is DEPRECATED.  Use --remote-cert-tls instead.|WARNING: --keysize is DEPRECATED and will be removed in OpenVPN 2.6|WARNING: --topology net30 support for server configs with IPv4 pools will be removed in a future release.]"),
    (SN, "openvpn-server", "[Initialization Sequence Completed|OpenVPN {version} x86_64-pc-linux-gnu [[SSL (OpenSSL)]] [[LZO]] [[LZ4]] [[EPOLL]]|TUN/TAP device tun0 opened]"),
    (DW, "rsyslog", "[warning: ~ action is deprecated, consider using the 'stop' statement instead|legacy directive $ModLoad is no longer recommended, use module(load=\"...\") instead|imjournal: option 'PersistStateInterval' is obsolete, use 'PersistStateAfterSubmission']"),
    (SN, "rsyslog", "[[origin software=\"rsyslogd\" swVersion=\"{version}\" x-pid=\"{pid}\" x-info=\"https://www.rsyslog.com\"]] [start|rsyslogd was HUPed]"),
    (DW, "systemd", "/[lib|etc]/systemd/system/{service}.service:{small}: [Unit uses MemoryLimit=; please use MemoryMax= instead. Support for MemoryLimit= will be removed soon.|Unit configured to use KillMode=none. This is unsafe, as it disables systemd's process lifecycle management for the service. Support for KillMode=none is deprecated and will eventually be removed.]"),
    (DW, "packages", "W: http://[archive.ubuntu.com/ubuntu|deb.debian.org/debian|apt.{fqdn}|download.docker.com/linux/ubuntu]/dists/[jammy|bookworm|focal]/InRelease: Key is stored in legacy trusted.gpg keyring (/etc/apt/trusted.gpg), see the DEPRECATION section in apt-key(8) for details."),
    (SN, "packages", "[Get:{small} http://archive.ubuntu.com/ubuntu jammy/main amd64 Packages [[{size}]]|Reading package lists... Done|Hit:{small} http://deb.debian.org/debian bookworm InRelease|Hit:{small} http://apt.{fqdn} jammy InRelease]"),
    (DW, "samba", "WARNING: The \"[syslog|lanman auth|encrypt passwords|client lanman auth]\" option is deprecated"),
    (SN, "samba", "[smbd version {version} started.|Loaded services file OK.|Processing section \"[[{word}]]\"]"),
    # databases
    (DW, "mysql", "[[MY-011068]] [[Server]] The syntax '[expire-logs-days|log_slave_updates|--master-info-repository]' is deprecated and will be removed in a future release. Please use [binlog_expire_logs_seconds|log_replica_updates|SHOW REPLICA STATUS] instead."),
    (DW, "mysql", "['validate password plugin' is deprecated and will be removed in a future release. Consider using validate_password component instead.|[[MY-013360]] [[Server]] Plugin mysql_native_password reported: ''mysql_native_password' is deprecated and will be removed in a future release. Please use caching_sha2_password instead']"),
    (SN, "mysql", "[[MY-010116]] [[Server]] /usr/sbin/mysqld (mysqld {version}) starting as process {pid}"),
    (DW, "mongod", "[Option: storage.journal.enabled is deprecated. It no longer has any effect.|The mmapv1 storage engine is no longer supported; use wiredTiger|net.ssl options are superseded by net.tls options and will be removed]"),
    (DW, "kafka-broker", "[ZooKeeper mode is deprecated and will be removed in Apache Kafka 4.0; migrate to KRaft|The configuration 'log.message.format.version' is obsolete and ignored since inter.broker.protocol.version is 3.0 or higher]"),
    (SN, "kafka-broker", "KafkaConfig values: [advertised.listeners = PLAINTEXT://{host}:9092|log.retention.hours = 168|num.partitions = {small}]"),
    # JVM and Java frameworks
    (DW, "java-app", "WARNING: [An illegal reflective access operation has occurred|All illegal access operations will be denied in a future release|Illegal reflective access by {java_class} (file:{path}) to field java.lang.String.value|Illegal reflective access by {java_class} (file:{path}) to method java.lang.ClassLoader.defineClass(java.lang.String,byte[[]],int,int)]"),
    (DW, "java-app", "[OpenJDK 64-Bit Server VM warning: Option UseConcMarkSweepGC was deprecated in version 9.0 and will likely be removed in a future release.|OpenJDK 64-Bit Server VM warning: Ignoring option MaxPermSize; support was removed in 8.0|WARNING: System::setSecurityManager will be removed in a future release|WARNING: A terminally deprecated method in java.lang.System has been called|WARNING: sun.misc.Unsafe::allocateMemory will be removed in a future release]"),
    (DW, "java-app", "[HHH90000026: MySQL8Dialect has been deprecated; use org.hibernate.dialect.MySQLDialect instead|HHH90000022: Hibernate's legacy org.hibernate.Criteria API is deprecated; use the JPA javax.persistence.criteria.CriteriaQuery instead]"),
    (DW, "java-app", "Property '[spring.redis.host|spring.redis.port|server.max-http-header-size|spring.mvc.throw-exception-if-no-handler-found]' is Deprecated: Use '[spring.data.redis.host|spring.data.redis.port|server.max-http-request-header-size|spring.web.resources.add-mappings]' instead."),
    (SN, "java-app", "[Using G1 garbage collector|JVM arguments: -Xms{mb}m -Xmx{mb}m -XX:+UseG1GC|The following 1 profile is active: \"prod\"|Tomcat initialized with port 8080 (http)]"),
    (DW, "elasticsearch", "[[types removal]] Specifying types in search requests is [deprecated.|deprecated and will be removed in 8.0.]"),
    (DW, "elasticsearch", "[Camel case format name {word}Date is deprecated and will be removed in a future version. Use snake case name {word}_date instead.|[[xpack.monitoring.collection.enabled]] setting was deprecated in Elasticsearch and will be removed in a future release.]"),
    (SN, "elasticsearch", "loaded module[ [[x-pack-security]]| [[ingest-common]]| [[lang-painless]]| [[repository-s3]]| [[analysis-common]]]"),
    # Kubernetes
    (DW, "kube-apiserver", "[policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+|batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob|extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress|autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler]"),
    (DW, "k8s-events", "Warning: [spec.template.metadata.annotations[[seccomp.security.alpha.kubernetes.io/pod]]: non-functional in v1.27+; use the \"seccompProfile\" field instead|metadata.annotations[[kubernetes.io/ingress.class]]: ignored, use spec.ingressClassName instead|flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema is unavailable in v1.29+; use flowcontrol.apiserver.k8s.io/v1 FlowSchema]"),
    (DW, "kubelet", "Flag --[cgroup-driver|pod-infra-container-image|network-plugin|container-runtime] has been deprecated, [This parameter should be set via the config file specified by the Kubelet's --config flag.|will be removed in 1.{small}.|will be removed along with dockershim.]"),
    (SN, "k8s-events", "Normal   ScalingReplicaSet  deployment/{word}  Scaled [up|down] replica set {word}-{hex8} to {small}"),
    # scripting runtimes and tools
    (DW, "php", "PHP Deprecated:  [Function create_function() is deprecated|Creation of dynamic property {java_class}::$name is deprecated|strftime(): Passing null to parameter #1 ($format) of type string is deprecated|Required parameter $id follows optional parameter $options] in {path} on line {int}"),
    (DW, "php", "PHP Warning:  PHP Startup: The [\"track_errors\"|\"mbstring.func_overload\"|\"allow_url_include\"] directive is no longer supported in PHP 8 in Unknown on line 0"),
    (DW, "python-app", "{path}:{int}: [DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. Use timezone-aware objects to represent datetimes in UTC: datetime.datetime.now(datetime.UTC).|DeprecationWarning: the imp module is deprecated in favour of importlib and slated for removal in Python 3.12|DeprecationWarning: pkg_resources is deprecated as an API.|FutureWarning: The default value of numeric_only in DataFrame.mean is deprecated. In a future version, it will default to False.|RemovedInDjango50Warning: The USE_L10N setting is deprecated. Starting with Django 5.0, localized formatting of data will always be enabled.]"),
    (DW, "airflow", "RemovedInAirflow3Warning: The `airflow.operators.[bash_operator|python_operator|dummy]` module is deprecated. Please use `airflow.operators.[bash|python|empty]`."),
    (DW, "python-app", "DEPRECATION: [Legacy editable install of {word}==0.1 (from -e .) (setup.py develop) is deprecated. pip 25.0 will enforce this behaviour change.|{word} is being installed using the legacy 'setup.py install' method, because it does not have a 'pyproject.toml'. pip 23.1 will enforce this behaviour change.]"),
    (DW, "node-app", "(node:{pid})[ [[DEP0005]]| [[DEP0040]]| [[DEP0106]]] DeprecationWarning: [Buffer() is deprecated due to security and usability issues. Please use the Buffer.alloc(), Buffer.allocUnsafe(), or Buffer.from() methods instead.|The `punycode` module is deprecated. Please use a userland alternative instead.|crypto.createCipher is deprecated.|OutgoingMessage.prototype._headers is deprecated]"),
    (DW, "node-app", "npm warn deprecated [inflight@1.0.6: This module is not supported, and leaks memory. Do not use it.|rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported|glob@7.2.3: Glob versions prior to v9 are no longer supported|request@2.88.2: request has been deprecated]"),
    (SN, "node-app", "[added {int} packages, and audited {int} packages in {small}s|Server listening on port {port}|found 0 vulnerabilities]"),
    (DW, "docker", "[DEPRECATED: The legacy builder is deprecated and will be removed in a future release. Install the buildx component to build images with BuildKit.|[[DEPRECATION NOTICE]] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support is disabled by default and will be removed in an upcoming release.|WARNING: the \"overlay\" storage-driver is deprecated, and will be removed in a future release.]"),
    (DW, "ansible", "[[DEPRECATION WARNING]]: [\"include\" is deprecated, use include_tasks/import_tasks instead.|The 'ansible.builtin.{word}' module has been superseded by 'ansible.posix.{word}'.|Use 'ansible.builtin.apt' instead of 'apt_key', which is no longer maintained.] This feature will be removed in version 2.{small}. Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg."),
    (DW, "terraform", "Warning: [Argument is deprecated|Deprecated attribute|Deprecated Resource|Version constraints inside provider configuration blocks are deprecated] [Use the aws_s3_bucket_versioning resource instead|Use the aws_s3_bucket_acl resource instead|The attribute \"{word}\" is deprecated. Refer to the provider documentation for details.|with aws_s3_bucket.{word}, on main.tf line {small}]"),
    (DW, "consul", "agent: [The 'acl_datacenter' field is deprecated. Use the 'primary_datacenter' field instead.|config key \"acl_master_token\" is deprecated and should be replaced with \"acl.tokens.initial_management\"|legacy ACL tokens are no longer supported and will be ignored]"),
    (SN, "consul", "agent: [Consul agent running!|Joined LAN cluster|Started DNS server: address=127.0.0.1:8600 network=udp|Synced node info]"),
]

# netfilter tail as the kernel writes it; the prefix before it is whatever the admin configured.
_NF_TCP = ("IN={iface} OUT= MAC={mac}:{mac}:08:00 SRC={ip} DST={ip} LEN={int} TOS=0x00 PREC=0x00 TTL={small} ID={int} [DF |]"
           "PROTO=TCP SPT={port} DPT={port} WINDOW={int} RES=0x00 [SYN|ACK PSH|ACK FIN|RST] URGP=0")
_NF_UDP = ("IN={iface} OUT=[{iface}|] [MAC={mac}:{mac}:08:00 |]SRC={ip} DST={ip} LEN={int} TOS=0x00 PREC=0x00 TTL={small} ID={int} "
           "PROTO=[UDP SPT={port} DPT={port} LEN={int}|ICMP TYPE=8 CODE=0 ID={int} SEQ={small}]")

_D_SECURITY: list[tuple[str, str, str]] = [
    # netfilter prefixes: blocked vs accepted
    (SA, "firewall", "[IPTables-Dropped: |DROP INPUT: |[[FW-DROP]] |iptables denied: |Shorewall:net-fw:DROP:|FINAL_REJECT: |filter_IN_public_REJECT: |nft drop in: |BLOCKED |[[UFW LIMIT BLOCK]] |INPUT:DROP:|fw-blocked: ]" + _NF_TCP),
    (SA, "firewall", "[IPTables-Dropped: |REJECT-WAN |Shorewall:net-fw:REJECT:|FINAL_REJECT: |filter_IN_public_DROP: |nft drop in: |DENY |[[UFW BLOCK]] |FORWARD:DROP:]" + _NF_UDP),
    (SN, "firewall", "[IPTables-Accepted: |ACCEPT INPUT: |[[FW-ACCEPT]] |iptables allowed: |Shorewall:net-fw:ACCEPT:|filter_IN_public_ALLOW: |nft accept in: |ALLOWED |LOG-ACCEPT: |fw-allowed: ]" + _NF_TCP),
    (SN, "firewall", "[IPTables-Accepted: |Shorewall:loc-net:ACCEPT:|nft accept fwd: |ALLOW |[[UFW ALLOW]] |FORWARD:ACCEPT:]" + _NF_UDP),
    (SA, "auditd-win", "The Windows Filtering Platform has blocked a [connection|packet]. Application Information: Process ID: {pid} Application Name: \\device\\harddiskvolume{small}\\windows\\system32\\svchost.exe Network Information: Direction: Inbound Source Address: {ip} Source Port: {port} Destination Address: {ip} Destination Port: [445|3389|135] Protocol: 6"),
    (SN, "auditd-win", "The Windows Filtering Platform has permitted a connection. Application Information: Process ID: {pid} Application Name: \\device\\harddiskvolume{small}\\program files\\{word}\\{word}.exe Network Information: Direction: Outbound Source Address: {ip} Source Port: {port} Destination Address: {ip} Destination Port: 443 Protocol: 6"),
    # mail anti-spam: postscreen, smtpd, rspamd, spamd, exim, sendmail
    (SA, "postscreen", "[PREGREET {small} after {sec} from [[{ip}]]:{port}: EHLO {word}\\r\\n|DNSBL rank {small} for [[{ip}]]:{port}|BARE NEWLINE from [[{ip}]]:{port} after {word}|COMMAND PIPELINING from [[{ip}]]:{port} after EHLO: QUIT\\r\\n|NON-SMTP COMMAND from [[{ip}]]:{port} after CONNECT: GET / HTTP/1.1]"),
    (SA, "postscreen", "NOQUEUE: reject: RCPT from [[{ip}]]:{port}: 550 5.7.1 Service unavailable; client [[{ip}]] blocked using [zen.spamhaus.org|b.barracudacentral.org|bl.spamcop.net]; from=<{email}>, to=<{email}>, proto=ESMTP, helo=<{word}>"),
    (SN, "postscreen", "[PASS NEW [[{ip}]]:{port}|PASS OLD [[{ip}]]:{port}|CONNECT from [[{ip}]]:{port} to [[{ip}]]:25|WHITELISTED [[{ip}]]:{port}|DISCONNECT [[{ip}]]:{port}]"),
    (SA, "postfix-mail", "NOQUEUE: reject: RCPT from unknown[[{ip}]]: [554 5.7.1 <{email}>: Relay access denied|450 4.7.1 Client host rejected: cannot find your hostname, [[{ip}]]|504 5.5.2 <{word}>: Helo command rejected: need fully-qualified hostname]; from=<{email}> to=<{email}> proto=ESMTP helo=<{word}>"),
    (SA, "rspamd", "rspamd_task_write_log: id: <{hex}@{fqdn}>, qid: <{hex8}>, ip: {ip}, from: <{email}>, (default: T ([reject|add header|rewrite subject]): [[{float}/15.00]] [[BAYES_SPAM({float}),RBL_SPAMHAUS_XBL({float}),FORGED_SENDER({float})]]), len: {int}, time: {ms}ms"),
    (SN, "rspamd", "rspamd_task_write_log: id: <{hex}@{fqdn}>, qid: <{hex8}>, ip: {ip}, from: <{email}>, (default: F (no action): [[{float}/15.00]] [[BAYES_HAM(-{float}),DKIM_TRACE(0.00),ARC_NA(0.00)]]), len: {int}, time: {ms}ms"),
    (SA, "spamd", "spamd: identified spam ([1{small}.{small}|{small}.9|5.{small}]/5.0) for {user}:{uid} in {sec} seconds, {int} bytes."),
    (SN, "spamd", "spamd: clean message ([0.{small}|-0.{small}|1.{small}|-{small}.0]/5.0) for {user}:{uid} in {sec} seconds, {int} bytes."),
    (SA, "exim", "H=([{word}|{fqdn}]) [[{ip}]] F=<{email}> rejected RCPT <{email}>: [JunkMail rejected - {ip} is in an RBL: see https://www.spamhaus.org/query/ip/{ip}|rejected because {ip} is in a black list at zen.spamhaus.org]"),
    (SA, "sendmail", "ruleset=check_relay, arg1={fqdn}, arg2=127.0.0.[2|4|10], relay={fqdn} [[{ip}]], reject=550 5.7.1 Rejected: {ip} listed at zen.spamhaus.org"),
    # SYN floods and port scans
    (SA, "kernel", "TCP: request_sock_TCP: Possible SYN flooding on port [[::]]:{port}. Sending cookies.  Check SNMP counters."),
    (SA, "psad", "scan detected ([TCP SYN|FIN|NULL|XMAS] scan): {ip} -> {ip} tcp: [[{int}-{int}]] flags: [SYN|FIN|URG PSH FIN] tcp pkts: {int} DL: {small}"),
    (SA, "junos", "RT_SCREEN_TCP: [SYN flood!|TCP port scan!|SYN and FIN bits!] source: {ip}:{port}, destination: {ip}:[80|443|22], zone name: untrust, interface name: {netif}, action: drop"),
    (SN, "junos", "RT_FLOW_SESSION_CREATE: session created {ip}/{port}->{ip}/[443|80|53] 0x0 junos-[https|http|dns-udp] {ip}/{port}->{ip}/[443|80|53] 0x0 source rule {word}-nat N/A N/A {small} {word}-policy trust untrust {int} N/A(N/A) {netif}"),
    (SA, "fortigate", "type=\"anomaly\" subtype=\"anomaly\" level=\"alert\" severity=\"critical\" srcip={ip} dstip={ip} dstport=[80|443|22] sessionid=0 action=\"[clear_session|detected|dropped]\" proto=6 service=\"[HTTPS|HTTP|SSH]\" count={int} attack=\"[tcp_syn_flood|tcp_port_scan|udp_flood|icmp_flood]\" msg=\"anomaly: [tcp_syn_flood|tcp_port_scan], {int} > threshold {int}\""),
    (SN, "fortigate", "type=\"traffic\" subtype=\"forward\" level=\"notice\" srcip={ip} srcport={port} srcintf=\"port{small}\" dstip={ip} dstport=[443|80|53] dstintf=\"wan1\" policyid={small} sessionid={int} proto=6 action=\"[accept|close]\" service=\"[HTTPS|HTTP|DNS]\" sentbyte={int} rcvdbyte={int}"),
    (SA, "cisco-asa", "%ASA-4-733100: [[ [Scanning|SYN attack|Firewall] ]] drop rate-[1|2] exceeded. Current burst rate is {int} per second, max configured rate is {int}; Current average rate is {int} per second, max configured rate is {int}; Cumulative total count is {int}"),
    (SA, "cisco-asa", "%ASA-4-733101: [Host|Subnet] {ip} is [attacking|targeted]. Current burst rate is {int} per second, max configured rate is {int}; Current average rate is {int} per second, max configured rate is {int}; Cumulative total count is {int}"),
    # switching off audit trails and security monitors
    (SA, "cloudtrail", "eventSource=[cloudtrail|guardduty|ec2|config].amazonaws.com eventName=[StopLogging|DeleteTrail|UpdateTrail|DeleteDetector|DeleteFlowLogs|StopConfigurationRecorder|DeleteConfigRule] userIdentity.arn=arn:aws:iam::{account}:[user/{user}|role/{word}] sourceIPAddress={ip} awsRegion={region}"),
    (UA, "cloudtrail", "eventSource=iam.amazonaws.com eventName=[CreateUser|AttachUserPolicy|AddUserToGroup|CreateAccessKey|UpdateLoginProfile|DeleteUser] userIdentity.arn=arn:aws:iam::{account}:user/{user} requestParameters.userName={user} sourceIPAddress={ip}"),
    (SN, "cloudtrail", "eventSource=[ec2|s3|cloudtrail|autoscaling].amazonaws.com eventName=[DescribeInstances|ListBuckets|GetBucketLocation|DescribeTrails|GetTrailStatus|DescribeAutoScalingGroups] readOnly=true userIdentity.type=[AssumedRole|AWSService] sourceIPAddress={ip} awsRegion={region}"),
    (SA, "gcp-audit", "protoPayload.methodName=\"[google.logging.v2.ConfigServiceV2.DeleteSink|google.logging.v2.ConfigServiceV2.UpdateSink|google.logging.v2.LoggingServiceV2.DeleteLog|SetIamPolicy with auditConfigs removed]\" protoPayload.authenticationInfo.principalEmail=\"{email}\" resource.type=\"[logging_sink|project]\" severity=NOTICE"),
    (SA, "azure-activity", "OPERATION: [Microsoft.Insights/diagnosticSettings/delete|Microsoft.Security/securityContacts/delete|Microsoft.Security/pricings/write (Defender plan set to Free)|Microsoft.OperationalInsights/workspaces/delete] STATUS: Succeeded CALLER: {email} RESOURCE: /subscriptions/{uuid}/resourceGroups/{word}-rg"),
    (UA, "azure-activity", "OPERATION: Microsoft.Authorization/roleAssignments/write STATUS: Succeeded CALLER: {email} ROLE: [Reader|Contributor|Storage Blob Data Reader] SCOPE: /subscriptions/{uuid}/resourceGroups/{word}-rg"),
    (SA, "auditd", "type=CONFIG_CHANGE msg=audit({int}.{small}:{int}): auid={uid} ses={small} [op=set audit_enabled=0 old=1|op=remove_rule key=\"{word}\" list=4|op=set audit_backlog_limit=0 old=8192] res=1"),
    (SN, "auditd", "[type=DAEMON_START msg=audit({int}.{small}:{int}): op=start ver={version} format=enriched kernel={version} auid=4294967295 pid={pid} uid=0 ses=4294967295 res=success|type=CONFIG_CHANGE msg=audit({int}.{small}:{int}): auid=4294967295 ses=4294967295 op=add_rule key=\"{word}\" list=4 res=1]"),
    (SA, "auditd-win", "[The audit log was cleared. Subject: Security ID: S-1-5-21-{num}-{int} Account Name: {user} Domain Name: {word} Logon ID: 0x{hex8}|Microsoft Defender Antivirus Real-time Protection feature has been disabled.|System audit policy was changed. Subcategory: Logon Auditing Policy Changes: Success removed, Failure removed]"),
    # repeated authentication failures
    (SA, "sshd", "[error: maximum authentication attempts exceeded for {user} from {ip} port {port} ssh2 [[preauth]]|Disconnecting authenticating user {user} {ip} port {port}: Too many authentication failures [[preauth]]|PAM {small} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}]"),
    (SA, "dovecot-mail", "auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser={email} rhost={ip}"),
]

_E_LOGINS: list[tuple[str, str, str]] = [
    # databases
    (UA, "postgres", "connection authenticated: identity=\"{user}\" method=[scram-sha-256|md5|cert|peer] (/etc/postgresql/{small}/main/pg_hba.conf:{small})"),
    (SA, "postgres", "[FATAL:  |]no pg_hba.conf entry for host \"{ip}\", user \"{user}\", database \"{db}\", [SSL off|no encryption]"),
    (UA, "mariadb", "{host},{user},{ip},{int},0,CONNECT,{db},,0"),
    (SA, "mariadb", "{host},{user},{ip},{int},0,FAILED_CONNECT,{db},,1045"),
    (UA, "mongod", "\"Successfully authenticated\",\"attr\":{{\"client\":\"{ip}:{port}\",\"mechanism\":\"SCRAM-SHA-[1|256]\",\"user\":\"{user}\",\"db\":\"[admin|{db}]\"}}"),
    (SA, "mongod", "\"Authentication failed\",\"attr\":{{\"mechanism\":\"SCRAM-SHA-256\",\"user\":\"{user}\",\"db\":\"admin\",\"client\":\"{ip}:{port}\",\"result\":\"UserNotFound: Could not find user \\\"{user}\\\" for db \\\"admin\\\"\"}}"),
    (UA, "mssql", "Login succeeded for user '[{user}|CORP\\{user}]'. Connection made using [Windows|SQL Server] authentication. [[CLIENT: {ip}]]"),
    (SA, "mssql", "Login failed for user '{user}'. Reason: [Password did not match that for the login provided.|Could not find a login matching the name provided.] [[CLIENT: {ip}]]"),
    (UA, "opensearch", "[[audit]] audit_category=AUTHENTICATED audit_request_effective_user={user} audit_request_origin=REST audit_request_remote_address={ip} audit_rest_request_path=/_[search|bulk|cat/indices]"),
    (SA, "opensearch", "[[audit]] audit_category=FAILED_LOGIN audit_request_effective_user={user} audit_request_origin=REST audit_request_remote_address={ip} audit_rest_request_path=/_[search|security/authinfo]"),
    # brokers
    (UA, "kafka-broker", "[[SaslServerAuthenticator]] Successfully authenticated client: authenticationID={user}; authorizationID={user}."),
    (SA, "kafka-broker", "[[SocketServer listenerType=BROKER, nodeId={small}]] Failed authentication with /{ip} (channelId={ip}:9093-{ip}:{port}-{small}) (Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512)"),
    (UA, "rabbitmq-broker", "connection <0.{int}.0> ({ip}:{port} -> {ip}:5672): user '{user}' authenticated and granted access to vhost '{vhost}'"),
    (SA, "rabbitmq-broker", "Error on AMQP connection <0.{int}.0> ({ip}:{port} -> {ip}:5672, state: starting): PLAIN login refused: user '{user}' - invalid credentials"),
    (SA, "mosquitto", "Client {word}-{hex8} disconnected, not authorised."),
    # VPN
    (UA, "openvpn-server", "{ip}:{port} [[{user}]] Peer Connection Initiated with [[AF_INET]]{ip}:{port}"),
    (SA, "openvpn-server", "{ip}:{port} [TLS Auth Error: Auth Username/Password verification failed for peer|WARNING: Failed running command (--auth-user-pass-verify): external program exited with error status: 1]"),
    (UA, "anyconnect", "%ASA-6-113004: AAA user authentication Successful : server =  {ip} : user = {user}"),
    (SA, "anyconnect", "%ASA-6-113005: AAA user authentication Rejected : reason = [AAA failure|Invalid password] : server = {ip} : user = {user} : user IP = {ip}"),
    (UA, "anyconnect", "%ASA-4-113019: Group = {word}, Username = {user}, IP = {ip}, Session disconnected. Session Type: SSL, Duration: {duration}, Bytes xmt: {int}, Bytes rcv: {int}, Reason: User Requested"),
    (UA, "fortigate", "type=\"event\" subtype=\"vpn\" level=\"information\" logdesc=\"SSL VPN tunnel up\" action=\"tunnel-up\" tunneltype=\"ssl-tunnel\" remip={ip} user=\"{user}\" group=\"{word}\" reason=\"N/A\""),
    (SA, "fortigate", "type=\"event\" subtype=\"vpn\" level=\"alert\" logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" remip={ip} user=\"{user}\" group=\"N/A\" reason=\"[sslvpn_login_permission_denied|sslvpn_login_unknown_user|sslvpn_login_invalid_password]\""),
    (UA, "paloalto", "GlobalProtect [gateway|portal] user authentication succeeded. Login from: {ip}, Source region: [US|DE|GB|IN|10.0.0.0-10.255.255.255], User name: {user}, Auth type: profile, Client OS version: Microsoft Windows 11 Pro , 64-bit."),
    (SA, "paloalto", "GlobalProtect [gateway|portal] user authentication failed. Login from: {ip}, Source region: [RU|CN|NL|US], User name: {user}, Reason: Authentication failed: Invalid username or password, Auth type: profile."),
    (UA, "strongswan", "[authentication of '{user}' with EAP successful|EAP method EAP_MSCHAPV2 succeeded, MSK established|IKE_SA {word}[[{small}]] established between {ip}[[{fqdn}]]...{ip}[[{user}]]]"),
    (SA, "strongswan", "[EAP method EAP_MSCHAPV2 failed for peer {user}|EAP-MS-CHAPv2 verification failed, retry ({small})|received AUTHENTICATION_FAILED notify error]"),
    # mail and FTP
    (UA, "dovecot-mail", "pop3-login: Login: user=<{email}>, method=[PLAIN|LOGIN], rip={ip}, lip={ip}, mpid={pid}, TLS[, session=<{hex}>|]"),
    (SA, "dovecot-mail", "[imap|pop3]-login: Disconnected (auth failed, {small} attempts in {small} secs): user=<{email}>, method=PLAIN, rip={ip}, lip={ip}, TLS, session=<{hex}>"),
    (UA, "courier", "LOGIN, user={email}, ip=[[::ffff:{ip}]], port=[[{port}]], protocol=[IMAP|POP3]"),
    (SA, "courier", "LOGIN FAILED, user={email}, ip=[[::ffff:{ip}]]"),
    (UA, "postfix-mail", "{hex8}: client={fqdn}[[{ip}]], sasl_method=[PLAIN|LOGIN], sasl_username={email}"),
    (SA, "postfix-mail", "warning: unknown[[{ip}]]: SASL [LOGIN|PLAIN] authentication failed: [UGFzc3dvcmQ6|authentication failure|Invalid authentication mechanism]"),
    (UA, "vsftpd", "[[{user}]] OK LOGIN: Client \"{ip}\"[, anon password \"?\"|]"),
    (SA, "vsftpd", "[[{user}]] FAIL LOGIN: Client \"{ip}\""),
    (UA, "proftpd", "{fqdn} ({ip}[[{ip}]]) - USER {user}: Login successful."),
    (SA, "proftpd", "{fqdn} ({ip}[[{ip}]]) - USER {user} (Login failed): [Incorrect password|No such user found]"),
    (UA, "pure-ftpd", "({user}@{ip}) [[INFO]] {user} is now logged in"),
    (SA, "pure-ftpd", "(?@{ip}) [[WARNING]] Authentication failed for user [[{user}]]"),
    # web consoles, SSO, cloud consoles, RADIUS
    (UA, "keycloak", "type=\"LOGIN\", realmId=\"{uuid}\", realmName=\"{word}\", clientId=\"{word}-portal\", userId=\"{uuid}\", ipAddress=\"{ip}\", auth_method=\"openid-connect\", username=\"{user}\""),
    (SA, "keycloak", "type=\"LOGIN_ERROR\", realmId=\"{uuid}\", realmName=\"{word}\", clientId=\"{word}-portal\", userId=\"null\", ipAddress=\"{ip}\", error=\"[invalid_user_credentials|user_not_found|user_temporarily_disabled]\", auth_method=\"openid-connect\", username=\"{user}\""),
    (UA, "grafana", "logger=http.server userId={small} orgId=1 uname={user} msg=\"Successful Login\" User={email}"),
    (SA, "grafana", "logger=authn.service client=auth.client.form msg=\"Failed to authenticate request\" error=\"[[password-auth.failed]] failed to authenticate identity: [[password-auth.invalid]] invalid password\" remote_addr={ip}"),
    (UA, "gitlab", "Successful Login: username={user} ip={ip} method=[standard|saml|ldapmain] admin=[true|false]"),
    (SA, "gitlab", "Failed Login: username={user} ip={ip}"),
    (UA, "cloudtrail", "eventName=ConsoleLogin eventType=AwsConsoleSignIn userIdentity.arn=arn:aws:iam::{account}:user/{user} sourceIPAddress={ip} responseElements={{\"ConsoleLogin\":\"Success\"}} additionalEventData={{\"MFAUsed\":\"[Yes|No]\"}}"),
    (SA, "cloudtrail", "eventName=ConsoleLogin eventType=AwsConsoleSignIn userIdentity.arn=arn:aws:iam::{account}:user/{user} sourceIPAddress={ip} responseElements={{\"ConsoleLogin\":\"Failure\"}} errorMessage=\"Failed authentication\""),
    (UA, "azure-ad", "Sign-in activity: user {email} signed in to [Azure Portal|Microsoft 365|Office 365 Exchange Online] from {ip}, status: Success, conditional access: [success|notApplied]"),
    (SA, "azure-ad", "Sign-in activity: user {email} to [Azure Portal|Microsoft 365] from {ip}, status: Failure, errorCode: [50126|50053|50057], failureReason: [Invalid username or password or Invalid on-premise username or password.|Account is locked because user tried to sign in too many times with an incorrect user ID or password.]"),
    (UA, "okta", "eventType=user.session.start displayMessage=\"User login to Okta\" actor.alternateId={email} client.ipAddress={ip} outcome.result=SUCCESS"),
    (SA, "okta", "eventType=user.session.start displayMessage=\"User login to Okta\" actor.alternateId={email} client.ipAddress={ip} outcome.result=FAILURE outcome.reason=[INVALID_CREDENTIALS|VERIFICATION_ERROR|LOCKED_OUT]"),
    (UA, "proxmox", "successful auth for user '{user}@[pam|pve]'"),
    (SA, "proxmox", "authentication failure; rhost=::ffff:{ip} user={user}@[pam|pve] msg=Authentication failure"),
    (UA, "pfsense", "Successful login for user '{user}' from: {ip} (Local Database)"),
    (SA, "pfsense", "webConfigurator authentication error for user '{user}' from: {ip}"),
    (UA, "radius", "Auth: ({int}) Login OK: [[{user}]] (from client {word} port {small} cli {mac})"),
    (SA, "radius", "Auth: ({int}) Login incorrect (pap: Cleartext password does not match \"known good\" password): [[{user}/<via Auth-Type = PAP>]] (from client {word} port {small} cli {mac})"),
    (UA, "auditd-win", "An account was successfully logged on. Subject: Security ID: S-1-5-18 Logon Information: Logon Type: [2|3|10] New Logon: Account Name: {user} Account Domain: {word} Source Network Address: {ip}"),
    (SA, "auditd-win", "An account failed to log on. Logon Type: [3|10] Account For Which Logon Failed: Account Name: {user} Failure Information: Failure Reason: Unknown user name or bad password. Status: 0xC000006D Source Network Address: {ip}"),
]

_F_ONE_FAILS: list[tuple[str, str, str]] = [
    # orchestrators: a task, job or run failing vs succeeding
    (ER, "airflow", "Marking task as FAILED. dag_id={word}_[daily|hourly|etl], task_id={word}, [execution_date|run_id]={date}, start_date={date}, end_date={date}"),
    (ER, "airflow", "[Task exited with return code 1|Marking run <DagRun {word}_daily @ {ts}: scheduled__{isots}, state:running, queued_at: {ts}. externally triggered: False> failed|Dependencies not met for <TaskInstance: {word}.{word} scheduled__{isots} [[upstream_failed]]>]"),
    (SN, "airflow", "[Task exited with return code 0|Marking run <DagRun {word}_daily @ {ts}: scheduled__{isots}, state:running, queued_at: {ts}. externally triggered: False> successful]"),
    (ER, "flink", "[Job {word} ({hex}) switched from state RUNNING to FAILED.|Job {word} ({hex}) switched from state FAILING to FAILED.|{word} -> Sink: {word} (1/{small}) ({hex}) switched from RUNNING to FAILED on {host}:{port}-{hex8} @ {host} (dataPort={port}).]"),
    (SN, "flink", "[Job {word} ({hex}) switched from state RUNNING to FINISHED.|{word} -> Sink: {word} (1/{small}) ({hex}) switched from RUNNING to FINISHED.]"),
    (ER, "spark", "Job {small} failed: [collect|save|count|foreachPartition] at {word}.scala:{int}, took {sec} s"),
    (SN, "spark", "Job {small} finished: [collect|save|count|foreachPartition] at {word}.scala:{int}, took {sec} s"),
    (ER, "yarn", "[application_{num}_{int} State change from FINAL_SAVING to FAILED on event = ATTEMPT_FAILED|Application application_{num}_{int} failed 2 times due to AM Container for appattempt_{num}_{int}_000002 exited with  exitCode: 1]"),
    (SN, "yarn", "application_{num}_{int} State change from FINAL_SAVING to FINISHED on event = ATTEMPT_FINISHED"),
    (ER, "k8s-events", "Warning  BackoffLimitExceeded  job/{word}-{int}  Job has reached the specified backoff limit"),
    (ER, "k8s-controller", "\"Job has failed\" job=\"{namespace}/{word}-{int}\" reason=\"[BackoffLimitExceeded|DeadlineExceeded]\""),
    (SN, "k8s-events", "Normal   Completed  job/{word}-{int}  Job completed"),
    (ER, "argo-workflows", "msg=\"Updated phase Running -> Failed\" namespace={namespace} workflow={word}-{hex8}"),
    (SN, "argo-workflows", "msg=\"Updated phase Running -> Succeeded\" namespace={namespace} workflow={word}-{hex8}"),
    (ER, "jenkins", "Finished: [FAILURE|ABORTED]"),
    (SN, "jenkins", "Finished: SUCCESS"),
    (ER, "gitlab", "Job failed: [exit code 1|exit status 1|execution took longer than 1h0m0s seconds]"),
    (SN, "gitlab", "Job succeeded"),
    (ER, "celery", "Task {module}[[{uuid}]] raised unexpected: {exception}"),
    (SN, "celery", "Task {module}[[{uuid}]] succeeded in {sec}s: [None|True|{int}]"),
    (ER, "luigi", "[[pid {pid}]] Worker Worker(salt={int}, workers=1, host={host}, username={user}, pid={pid}) failed    {word}Task(date={date})"),
    (SN, "luigi", "[[pid {pid}]] Worker Worker(salt={int}, workers=1, host={host}, username={user}, pid={pid}) done      {word}Task(date={date})"),
    (ER, "slurm", "_job_complete: JobId={int} [WEXITSTATUS 1|WTERMSIG 9|WEXITSTATUS 127]"),
    (SN, "slurm", "_job_complete: JobId={int} WEXITSTATUS 0"),
    (ER, "task-scheduler", "Task Scheduler [failed to start|did not launch task] \"\\{word}\\{word}\" task for user \"{word}\\{user}\". Additional Data: Error Value: [2147942402|2147943645]."),
    (SN, "task-scheduler", "Task Scheduler successfully completed task \"\\{word}\\{word}\" , instance \"{{{uuid}}}\" , action \"C:\\Windows\\SYSTEM32\\cmd.exe\" with return code 0."),
    # client connections that break
    (ER, "postgres", "[unexpected EOF on client connection with an open transaction|could not send data to client: Broken pipe|terminating connection because protocol synchronization was lost]"),
    (ER, "mysql", "Aborted connection {int} to db: '{db}' user: '{user}' host: '{ip}' (Got [an error reading communication packets|timeout reading communication packets|an error writing communication packets])"),
    (ER, "nginx-server", "[recv() failed (104: Connection reset by peer) while reading response header from upstream|upstream prematurely closed connection while reading response header from upstream|readv() failed (104: Connection reset by peer) while reading upstream], client: {ip}, server: {fqdn}, request: \"{method} {uri} HTTP/1.1\", upstream: \"http://{ip}:{port}{uri}\""),
    (ER, "rabbitmq-broker", "closing AMQP connection <0.{int}.0> ({ip}:{port} -> {ip}:5672[, vhost: '{vhost}', user: '{user}'|]):[ client unexpectedly closed TCP connection|missed heartbeats from client, timeout: 60s]"),
    (SN, "rabbitmq-broker", "accepting AMQP connection <0.{int}.0> ({ip}:{port} -> {ip}:5672)"),
    (ER, "java-app", "[java.net.SocketException: Connection reset|org.apache.catalina.connector.ClientAbortException: java.io.IOException: Broken pipe|java.io.EOFException: Unexpected end of stream from client {ip}]"),
    (ER, "redis", "[Client id={int} addr={ip}:{port} laddr={ip}:6379 fd={small} name= closed for overcoming of output buffer limits.|Error writing to client: Connection reset by peer]"),
    # constraint violations, deadlocks and their continuation lines
    (ER, "postgres", "[ERROR:  |][duplicate key value violates unique constraint \"{table}_pkey\"|duplicate key value violates unique constraint \"{table}_email_key\"|insert or update on table \"{table}\" violates foreign key constraint \"{table}_{word}_id_fkey\"]"),
    (ER, "postgres", "DETAIL:  [Key (id)=({int}) already exists.|Key (email)=({email}) already exists.|Key ({word}_id)=({int}) is not present in table \"{table}\".|Failing row contains ({int}, null, {date}, {int}).]"),
    (ER, "postgres", "[ERROR:  |][null value in column \"{word}\" of relation \"{table}\" violates not-null constraint|new row for relation \"{table}\" violates check constraint \"{table}_{word}_check\"|update or delete on table \"{table}\" violates foreign key constraint \"{table}_{word}_fkey\" on table \"{table}\"]"),
    (ER, "postgres", "[ERROR:  |][deadlock detected|could not serialize access due to concurrent update|canceling statement due to lock timeout|value too long for type character varying({int})]"),
    (ER, "postgres", "DETAIL:  Process {pid} waits for [ShareLock on transaction {int}|ExclusiveLock on tuple ({int},{small}) of relation {int} of database {int}]; blocked by process {pid}."),
    (ER, "postgres", "[HINT:  See server log for query details.|CONTEXT:  while inserting index tuple ({int},{small}) in relation \"{table}\"|CONTEXT:  while updating tuple ({int},{small}) in relation \"{table}\"]"),
    (ER, "mysql", "[ERROR 1062 (23000): Duplicate entry '{int}' for key '{table}.PRIMARY'|ERROR 1452 (23000): Cannot add or update a child row: a foreign key constraint fails (`{db}`.`{table}`, CONSTRAINT `fk_{table}_{word}` FOREIGN KEY (`{word}_id`) REFERENCES `{table}` (`id`))|ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction|InnoDB: Transactions deadlock detected, dumping detailed information.|*** WE ROLL BACK TRANSACTION (2)]"),
    (ER, "oracle-db", "[ORA-00001: unique constraint ({user}.{table}_PK) violated|ORA-02291: integrity constraint ({user}.FK_{table}_{word}) violated - parent key not found|ORA-01400: cannot insert NULL into (\"{user}\".\"{table}\".\"{word}\")]"),
    (ER, "mssql", "[Violation of PRIMARY KEY constraint 'PK_{table}'. Cannot insert duplicate key in object 'dbo.{table}'. The duplicate key value is ({int}).|The INSERT statement conflicted with the FOREIGN KEY constraint \"FK_{table}_{word}\". The conflict occurred in database \"{db}\", table \"dbo.{table}\", column '{word}Id'.]"),
    (ER, "java-app", "[org.hibernate.exception.ConstraintViolationException: could not execute statement; SQL [[n/a]]; constraint [[{table}_email_key]]|org.springframework.dao.DataIntegrityViolationException: could not execute statement; constraint [[fk_{table}_{word}]]|org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint \"{table}_pkey\"]"),
    (SN, "postgres", "[automatic vacuum of table \"{db}.public.{table}\": index scans: {small}|checkpoint complete: wrote {int} buffers; {small} WAL file(s) added, 0 removed, {small} recycled]"),
    # DNS zone transfers and notifies
    (ER, "bind", "[transfer of '{fqdn}/IN' from {ip}#53: failed while receiving responses: REFUSED|transfer of '{fqdn}/IN' from {ip}#53: failed to connect: connection refused|zone {fqdn}/IN: refresh: failure trying master {ip}#53 (source 0.0.0.0#0): operation canceled|zone {fqdn}/IN: refresh: unexpected rcode (SERVFAIL) from master {ip}#53 (source 0.0.0.0#0)|zone {fqdn}/IN: notify to {ip}#53 failed: timed out]"),
    (SN, "bind", "[zone {fqdn}/IN: Transfer started.|transfer of '{fqdn}/IN' from {ip}#53: Transfer completed: {small} messages, {int} records, {int} bytes, {sec} secs ({int} bytes/sec)|zone {fqdn}/IN: sending notifies (serial {num})|client @0x{hex} {ip}#{port}: received notify for zone '{fqdn}']"),
    (ER, "powerdns", "Unable to AXFR zone '{fqdn}' from remote '{ip}' (resolver): [AXFR chunk error: Server Not Authoritative for zone / Not Authorized|Remote nameserver closed TCP connection]"),
    (SN, "powerdns", "[AXFR-in zone: '{fqdn}', primary: '{ip}', zone committed with serial {num}|Queued notification of domain '{fqdn}' to {ip}:53]"),
    (ER, "nsd", "[xfrd: zone {fqdn} received error code REFUSED from {ip}|error: xfrd: zone {fqdn}: could not tcp connect to {ip}: Connection refused|xfrd: zone {fqdn}: max retry, disabled master {ip}]"),
    (SN, "nsd", "xfrd: zone {fqdn} committed \"received update to serial {num} at {ts} from {ip}\""),
    (ER, "knot", "[[{fqdn}.]] [AXFR, incoming, remote {ip}@53, failed (connection refused)|IXFR, incoming, remote {ip}@53, failed (timeout)|AXFR, incoming, remote {ip}@53, failed (not authorized)|notify, outgoing, remote {ip}@53, failed (timeout)|notify, outgoing, remote {ip}@53, failed (connection reset)]"),
    (SN, "knot", "[[{fqdn}.]] [AXFR|IXFR], incoming, remote {ip}@53, finished, {sec} seconds, {small} messages, {int} bytes"),
    (SN, "knot", "[[{fqdn}.]] notify, outgoing, remote {ip}@53, serial {num}"),
    # processes dumping core
    (ER, "systemd-coredump", "Process {pid} ({word}) of user {uid} dumped core.[ Stack trace of thread {pid}:|]"),
    (ER, "abrt", "[Saved core dump of pid {pid} ({path}) to /var/spool/abrt/ccpp-{date}-{time}-{pid} ({int} bytes)|apport (pid {pid}) {ts}: called for pid {pid}, signal 11, core limit 0, dump mode 1]"),
    (ER, "bgl", "ciod: generating core.{int}"),
    (ER, "php-fpm", "WARNING: [[pool www]] child {pid} exited on signal [11 (SIGSEGV - core dumped)|6 (SIGABRT - core dumped)|7 (SIGBUS - core dumped)] after {sec} seconds from start"),
    (SN, "php-fpm", "NOTICE: [[pool www]] child {pid} started"),
    (ER, "apache-server", "[[core:notice]] [[pid {pid}]] AH00051: child pid {pid} exit signal [Segmentation fault (11)|Aborted (6)|Bus error (7)], possible coredump in /etc/apache2"),
    (ER, "kernel", "traps: {word}[[{pid}]] general protection fault ip:{hex} sp:{hex} error:0 in {file}[[{hex8}+{hex8}]]"),
]

TEMPLATES: list[tuple[str, str, str]] = _A_SERVICE_DOWN + _B_LIMITS + _C_DEPRECATIONS + _D_SECURITY + _E_LOGINS + _F_ONE_FAILS
