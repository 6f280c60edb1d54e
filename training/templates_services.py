"""Templates for service families: databases, message brokers, search engines, firewalls and
routers, VPNs, mail and DNS servers, web servers and proxies, Linux account tools, and the kind of
short application lines business systems write (CRM, HR, billing, analytics, partner APIs).

Written family by family, each routine line next to its failing counterpart, so the model learns
the boundary and not the system name:

- a whole service that cannot start, cannot bind its port, aborts, loses its cluster or failover
  peer, stops accepting connections or is killed by the OOM killer is Critical Error; one
  request, query, message or connection failing is Error;
- measurements (heap sizes, GC pauses, disk watermarks, free space, temp-file sizes, limits
  reached) are Resource Usage even when logged at INFO;
- administrative actions (groups and accounts, an operator's command on a network device, purging
  a queue, granting permissions) and successful privileged logins are User Action; failed, forced
  or suspicious ones are Security Alert;
- a firewall permitting, building or tearing down a connection is System Notification; an IPS
  signature hit or a deny is Security Alert;
- a routine event the system performs on a user's behalf (upload accepted, reboot initiated,
  update applied, backup started/ended, cleanup) is System Notification.

The phrasings follow how these systems log; none is copied from evaluation data. ``TEMPLATES`` is
a list of ``(category, system, template)`` in the syntax of ``training.generate``; shape ids are
list positions ("svc-0042"), so new templates are only ever appended.
"""

from __future__ import annotations

from log_classifier.taxonomy import CRITICAL_ERROR as CE
from log_classifier.taxonomy import ERROR as ER
from log_classifier.taxonomy import RESOURCE_USAGE as RU
from log_classifier.taxonomy import SECURITY_ALERT as SA
from log_classifier.taxonomy import SYSTEM_NOTIFICATION as SN
from log_classifier.taxonomy import USER_ACTION as UA

_DATABASES: list[tuple[str, str, str]] = [
    # PostgreSQL / PgBouncer
    (SN, "postgres", 'listening on IPv[4|6] address "[0.0.0.0|::|127.0.0.1]", port 5432'),
    (ER, "postgres", 'could not bind IPv[4|6] address "[0.0.0.0|::|{ip}]": Address already in use; HINT:  Is another postmaster already running on port 5432?'),
    (CE, "postgres", '[could not create any TCP/IP sockets|could not create lock file "/var/run/postgresql/.s.PGSQL.5432.lock": Permission denied]'),
    (CE, "postgres", 'database system is shut down because the startup process failed; [data directory "{mount}" has invalid permissions|could not open configuration file "/etc/postgresql/{small}/main/postgresql.conf"]'),
    (CE, "postgres", '[startup process (PID {pid}) exited with exit code 1|background worker "logical replication launcher" (PID {pid}) was terminated by signal 9: Killed]; aborting startup due to startup process failure'),
    (CE, "postgres", 'Out of memory: Killed process {pid} (postgres) total-vm:{int}kB, anon-rss:{int}kB; all server processes terminated, reinitializing'),
    (SN, "postgres", 'database system was interrupted; last known up at {ts}; automatic recovery [in progress|completed]'),
    (SN, "postgres", '[autovacuum: processing database "{db}"|checkpoint starting: time|checkpoint starting: wal|restartpoint complete: wrote {int} buffers]'),
    (RU, "postgres", 'checkpoints are occurring too frequently ({small} seconds apart); consider increasing max_wal_size'),
    (RU, "postgres", 'temporary file: path "base/pgsql_tmp/pgsql_tmp{pid}.{small}", size {num}; statement: SELECT'),
    (RU, "postgres", 'remaining connection slots are reserved for non-replication superuser connections ({int} of {int} in use)'),
    (ER, "postgres", 'could not connect to the primary server: connection to server at "{ip}", port 5432 failed: Connection refused'),
    (ER, "postgres", 'canceling autovacuum task; automatic vacuum of table "{db}.public.{table}" was interrupted'),
    (ER, "postgres", '[syntax error at or near "{word}" at character {int}|column "{word}" does not exist at character {int}|invalid input syntax for type integer: "{word}"]'),
    (UA, "postgres", 'statement: [GRANT SELECT, INSERT ON {table} TO {user}|ALTER ROLE {user} WITH PASSWORD|CREATE ROLE {user} LOGIN|REVOKE ALL ON DATABASE {db} FROM {user}|DROP ROLE {user}]'),
    (UA, "postgres", 'connection authorized: user={user} database={db} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)'),
    (SA, "postgres", 'password authentication failed for user "[postgres|admin|root|{user}]"; Connection matched pg_hba.conf line {small}: "host all all 0.0.0.0/0 md5"'),
    (SA, "postgres", 'role "[admin|root|sa|test]" does not exist; connection from {ip} rejected'),
    (SN, "pgbouncer", 'stats: {int} xacts/s, {int} queries/s, in {int} B/s, out {int} B/s, xact {int} us, query {int} us, wait {int} us'),
    (RU, "pgbouncer", 'pooler error: no more connections allowed (max_client_conn); {int} clients waiting'),
    (ER, "pgbouncer", 'S-0x{hex}: {db}/{user}@{ip}:5432 closing because: server conn crashed? (age={small}s)'),
    (CE, "pgbouncer", 'FATAL @src/main.c:{int} in function main(): listen: Address already in use; pgbouncer exiting'),
    # MySQL / MariaDB
    (SN, "mariadb", '[Server socket created on IP: \'0.0.0.0\', port: \'3306\'.|mariadbd: ready for connections.|InnoDB: Buffer pool(s) load completed at {date} {time}|WSREP: Synchronized with group, ready for connections]'),
    (CE, "mariadb", "Can't start server: Bind on TCP/IP port: Address already in use; Do you already have another mysqld server running on port: 3306 ?"),
    (CE, "mariadb", '[Aborting|Plugin \'InnoDB\' registration as a STORAGE ENGINE failed.|Unknown/unsupported storage engine: InnoDB]; server shutting down'),
    (CE, "mariadb", 'WSREP: [Failed to open channel \'{word}_cluster\' at \'gcomm://{ip},{ip}\': -110 (Connection timed out)|no primary component, cluster is non-operational]'),
    (CE, "mariadb", 'mysqld: Out of memory (Needed {int} bytes); server aborting'),
    (RU, "mariadb", 'InnoDB: Initializing buffer pool, total size = {size}, chunk size = {size}'),
    (RU, "mariadb", '[Too many connections: {int} of max_connections {int} in use|Aborted connection because max_user_connections ({small}) reached for user \'{user}\']'),
    (RU, "mariadb", 'InnoDB: page_cleaner: 1000ms intended loop took {int}ms. The settings might not be optimal. (flushed={int} and evicted=0, during the time.)'),
    (ER, "mariadb", 'Slave SQL: Error \'Duplicate entry \'{int}\' for key \'PRIMARY\'\' on query. Default database: \'{db}\'. Query: \'INSERT INTO {table}\', Error_code: 1062'),
    (ER, "mariadb", 'Got an error reading communication packets from {user}@{ip} (db: {db})'),
    (UA, "mariadb", '[Query|Execute] {int} {user}@{ip} as {user} on {db}: [GRANT SELECT ON {db}.* TO \'{user}\'@\'%\'|CREATE USER \'{user}\'@\'%\'|ALTER USER \'{user}\'@\'localhost\' IDENTIFIED BY \'*\'|DROP USER \'{user}\'@\'%\']'),
    (SA, "mariadb", "Access denied for user '[root|admin|{user}]'@'{ip}' (using password: [YES|NO]) after {small} attempts in {sec}s"),
    # MongoDB
    (SN, "mongod", '[Waiting for connections|mongod startup complete|Listening on {ip}|Build Info|Operating System]'),
    (CE, "mongod", '[Error setting up listener|Failed to set up listener: SocketException: Address already in use]; shutting down with code:48'),
    (CE, "mongod", 'Fatal assertion [{int}|{int} InternalError]; ***aborting after fassert() failure'),
    (CE, "mongod", 'Unable to start replication: lost contact with all members of replica set {word}; no primary'),
    (RU, "mongod", 'WiredTiger opened with cache_size={int}M; [Slow query|serverStatus was very slow] took {ms}ms'),
    (RU, "mongod", 'Connection refused because too many open connections: {int} of {int} allowed'),
    (ER, "mongod", 'Slow query failed: {db}.{table} command find errMsg: "operation exceeded time limit" durationMillis: {int}'),
    (UA, "mongod", '[Successfully authenticated|Created user|Dropped user|Granted roles to user] {user}@[admin|{db}] from {ip}:{port}'),
    (SA, "mongod", 'Authentication failed: user {user}@admin from {ip}:{port} mechanism SCRAM-SHA-256 error UserNotFound'),
    # Redis
    (SN, "redis", '[Server initialized|Ready to accept connections tcp|Running mode=standalone, port=6379.|Background AOF rewrite finished successfully|RDB: {small} MB of memory used by copy-on-write]'),
    (CE, "redis", '[Warning: Could not create server TCP listening socket *:6379: bind: Address already in use|Failed listening on port 6379 (tcp), aborting.]'),
    (CE, "redis", '[Can\'t open the append-only file: Permission denied|Bad file format reading the append only file: make a backup of your AOF file, then use redis-check-aof]; Redis cannot start'),
    (CE, "redis", 'Error trying to save the DB, can\'t exit.; Errors trying to SHUTDOWN. Check logs. Redis out of memory: OOM command not allowed when used memory > \'maxmemory\''),
    (RU, "redis", '[WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.|overcommit_memory is set to 0! Background save may fail under low memory condition.|Max memory: {mb}mb used {mb}mb, evicted keys {int}]'),
    (ER, "redis", '[Connection with replica {ip}:{port} lost.|Timeout connecting to the MASTER...|Error condition on socket for SYNC: Connection refused]'),
    (SA, "redis", '[Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis.|AUTH failed: WRONGPASS invalid username-password pair from {ip}:{port}]'),
    # ClickHouse
    (SN, "clickhouse", '[Ready for connections.|Listening for http://[[::]]:8123|Starting ClickHouse {version} (revision: {int})|Merged {small} parts: from {word}_{int}_{int}_{small} to {word}_{int}_{int}_{small}]'),
    (CE, "clickhouse", 'Application: DB::Exception: Listen [[::]]:9000 failed: Poco::Exception. Code: 1000, e.code() = 98, Net Exception: Address already in use; server shutting down'),
    (CE, "clickhouse", 'Application: Caught exception while loading metadata: Code: 231. DB::Exception: Suspiciously many broken parts to remove; cannot start server'),
    (RU, "clickhouse", 'MemoryTracker: Peak memory usage (for query): {size}. Current memory usage: {size}.'),
    (RU, "clickhouse", 'Too many parts ({int}) in table {db}.{table}. Merges are processing significantly slower than inserts'),
    (ER, "clickhouse", 'executeQuery: Code: 60. DB::Exception: Table {db}.{table} does not exist. (UNKNOWN_TABLE) (version {version}) (from {ip}:{port})'),
    # CockroachDB / Oracle / SQL Server
    (SN, "cockroach", '[node startup completed|initialized store s{small}|started with engine type pebble|SQL server started]'),
    (CE, "cockroach", '[could not start node: failed to bind to 0.0.0.0:26257: address already in use|disk stall detected: unable to sync log files within 20s; node terminating]'),
    (ER, "cockroach", 'failed to resolve intents for txn {uuid}: context deadline exceeded'),
    (SN, "oracle-db", '[Starting ORACLE instance (normal)|Completed: ALTER DATABASE OPEN|Thread 1 advanced to log sequence {int} (LGWR switch)|Archived Log entry {int} added for thread 1 sequence {int}]'),
    (CE, "oracle-db", '[ORA-00600: internal error code, arguments: [[{int}]], [[]]; instance terminated by PMON|ORA-27101: shared memory realm does not exist; instance cannot start|Instance terminated by LGWR, pid = {pid}]'),
    (ER, "oracle-db", '[ORA-01555: snapshot too old: rollback segment number {small} with name "_SYSSMU{small}$" too small|ORA-00060: deadlock detected while waiting for resource|ORA-12170: TNS:Connect timeout occurred]'),
    (RU, "oracle-db", '[ORA-01653: unable to extend table {table} by {int} in tablespace USERS|Tablespace TEMP {pct}% full, {gb} GB free|PGA memory used by the instance exceeds PGA_AGGREGATE_LIMIT of {mb} MB]'),
    (SA, "oracle-db", 'ORA-28000: the account is locked; {small} failed logon attempts for user [SYS|SYSTEM|{user}] from {ip}'),
    (SN, "mssql", '[SQL Server is now ready for client connections. This is an informational message; no user action is required.|Recovery is complete. This is an informational message only. No user action is required.|Starting up database \'{db}\'.]'),
    (CE, "mssql", '[TDSSNIClient initialization failed with error 0x2740, status code 0xa. The TCP port is already in use.|SQL Server could not spawn lazy writer thread. Check the SQL Server error log and the operating system error log.]; SQL Server is terminating'),
    (RU, "mssql", '[There is insufficient system memory in resource pool \'default\' to run this query.|Autogrow of file \'{word}_log\' in database \'{db}\' took {ms} milliseconds.|A significant part of sql server process memory has been paged out.]'),
    (SA, "mssql", "Login failed for user '[sa|admin|{user}]'. Reason: Password did not match that for the login provided. [[CLIENT: {ip}]]"),
    (UA, "mssql", "Login succeeded for user '{user}'. Connection made using SQL Server authentication. [[CLIENT: {ip}]]"),
    # Memcached
    (SN, "memcached-server", 'Started memcached {version} listening on port 11211, {small} threads'),
    (CE, "memcached-server", 'failed to listen on TCP port 11211: Address already in use; memcached exiting'),
    (RU, "memcached-server", 'slab class {small}: chunk size {int}, {int} pages, {int} items, evicted {int}'),
]

_BROKERS: list[tuple[str, str, str]] = [
    # Kafka
    (SN, "kafka-broker", '[[KafkaServer id={small}]] [started|shutting down|shut down completed]'),
    (SN, "kafka-broker", 'Awaiting socket connections on [0.0.0.0|{ip}]:9092.'),
    (SN, "kafka-broker", '[[Log partition={topic}-{small}, dir={mount}]] Rolled new log segment at offset {int} in {ms} ms.'),
    (SN, "kafka-broker", '[[Controller id={small}]] [New leader and ISR for partition {topic}-{small}|Partition {topic}-{small} completed preferred replica leader election]'),
    (CE, "kafka-broker", 'Fatal error during KafkaServer startup. Prepare to shutdown; kafka.common.KafkaException: Socket server failed to bind to 0.0.0.0:9092: Address already in use.'),
    (CE, "kafka-broker", '[[KafkaServer id={small}]] Fatal error during broker startup: org.apache.zookeeper.KeeperException$SessionExpiredException; exiting'),
    (CE, "kafka-broker", 'Halting broker because dir {mount} is offline and no other log dir is available'),
    (CE, "kafka-broker", 'Failed to start broker {small}: cluster id {hex} does not match the stored cluster id in meta.properties'),
    (RU, "kafka-broker", 'Log directory {mount} has {gb} GB usable space of {gb} GB total ({pct}% free)'),
    (RU, "kafka-broker", '[[ReplicaManager broker={small}]] Request queue depth {int} of queued.max.requests {int}; network processor idle {pct}%'),
    (RU, "kafka-broker", 'Consumer group {word}-consumers lag on {topic}: {int} messages across {small} partitions'),
    (ER, "kafka-broker", '[[ReplicaFetcher replicaId={small}, leaderId={small}, fetcherId=0]] Error for partition {topic}-{small} at offset {int}: [NOT_LEADER_OR_FOLLOWER|UNKNOWN_TOPIC_OR_PARTITION|OFFSET_OUT_OF_RANGE]'),
    (ER, "kafka-broker", '[[Producer clientId={word}-producer]] Got error produce response with correlation id {int} on topic-partition {topic}-{small}, retrying ({small} attempts left). Error: NETWORK_EXCEPTION'),
    (UA, "kafka-broker", 'Processing ACL request from principal User:{user}: [Adding ACLs for resource `ResourcePattern(resourceType=TOPIC, name={topic}, patternType=LITERAL)`|Removing ACLs for group {word}-consumers]'),
    (UA, "kafka-broker", 'Topic creation {{"name":"{topic}","partitions":{small},"replicationFactor":3}} requested by User:{user}'),
    (SA, "kafka-broker", '[[SocketServer listenerType=ZK_BROKER, nodeId={small}]] Failed authentication with /{ip} (Authentication failed: Invalid username or password)'),
    (SA, "kafka-broker", 'Principal = User:{user} is Denied Operation = [Write|Read|Describe|Alter] from host = {ip} on resource = Topic:LITERAL:{topic}'),
    # RabbitMQ
    (SN, "rabbitmq-broker", '[Server startup complete; {small} plugins started.|started TCP listener on [[::]]:5672|Setting up a table for connection tracking on this node|Running boot step rabbit_core_metrics_gc defined by app rabbit]'),
    (SN, "rabbitmq-broker", 'connection <0.{int}.0> ({ip}:{port} -> {ip}:5672): user \'{user}\' authenticated and granted access to vhost \'{vhost}\''),
    (CE, "rabbitmq-broker", '[Failed to start Ranch listener {{acceptor,{{0,0,0,0}},5672}} in ranch_tcp:listen: eaddrinuse|BOOT FAILED: Timeout contacting cluster nodes: [[rabbit@{host}]]|Error during startup: schema_integrity_check_failed, tables missing]'),
    (CE, "rabbitmq-broker", 'Partial partition detected: rabbit@{host} was reported down by rabbit@{host}; node paused, all queues on it unavailable'),
    (RU, "rabbitmq-broker", 'vm_memory_high_watermark set. Memory used:{int} allowed:{int}; memory resource limit alarm [set|cleared] on node rabbit@{host}'),
    (RU, "rabbitmq-broker", 'Free disk space is insufficient. Free bytes: {int}. Limit: {int}; disk resource limit alarm set on node rabbit@{host}'),
    (RU, "rabbitmq-broker", 'Queue \'{queue}\' in vhost \'{vhost}\' has {int} messages ready, {int} unacknowledged; max-length {int}'),
    (ER, "rabbitmq-broker", 'Channel error on connection <0.{int}.0> ({ip}:{port} -> {ip}:5672, vhost: \'{vhost}\', user: \'{user}\'), channel {small}: operation basic.publish caused a channel exception not_found'),
    (UA, "rabbitmq-broker", '[Purging queue \'{queue}\' in vhost \'{vhost}\'|Deleting queue \'{queue}\' in vhost \'{vhost}\'|Setting permissions for user \'{user}\' in vhost \'{vhost}\'|Setting user tags for user \'{user}\' to [[administrator]]|Creating user \'{user}\'|Deleting user \'{user}\'|Adding vhost \'{vhost}\'|Clearing permissions for user \'{user}\' in vhost \'{vhost}\'][ (requested by \'{user}\' via management UI)| by user \'{user}\'|]'),
    (SA, "rabbitmq-broker", 'HTTP access denied: user \'[guest|admin|{user}]\' - invalid credentials; {small} failed attempts from {ip}'),
    (SA, "rabbitmq-broker", 'Error on AMQP connection <0.{int}.0> ({ip}:{port} -> {ip}:5672, state: starting): PLAIN login refused: user \'[guest|{user}]\' - invalid credentials'),
    # ActiveMQ / Artemis
    (SN, "activemq", '[Apache ActiveMQ {version} ({word}, ID:{host}-{int}-{int}-0:1) started|Listening for connections at: tcp://{host}:61616?maximumConnections=1000|Connector openwire started|AMQ221007: Server is now live]'),
    (CE, "activemq", '[Failed to start Apache ActiveMQ ({word}, null). Reason: java.io.IOException: Transport Connector could not be registered in JMX: Failed to bind to server socket: tcp://0.0.0.0:61616 due to: java.net.BindException: Address already in use|AMQ222010: Critical IO Error, shutting down the server. file=NIOSequentialFile, message=No space left on device]'),
    (CE, "activemq", 'Database {mount}/kahadb/lock is locked by another server; this broker is now in slave mode and is not accepting connections'),
    (RU, "activemq", '[Usage(default:store) percentUsage={pct}%, usage={int}, limit={int}|Memory Usage for the Broker ({mb} mb) is more than the maximum available for the JVM: {mb} mb|AMQ222210: Free storage space is at {size} of {size} total. Usage rate is {pct}% which is beyond the configured <max-disk-usage>]'),
    (ER, "activemq", 'Transport Connection to: tcp://{ip}:{port} failed: java.io.EOFException'),
    (UA, "activemq", '[Queue {queue} purged by admin {user} via web console|Destination queue://{queue} removed by {user}|User {user} added to group admins in users.properties]'),
    (SA, "activemq", 'Security exception on connection from {ip}: User name [[{user}]] or password is invalid.'),
    # NATS / Pulsar / Mosquitto
    (SN, "nats", '[Starting nats-server|Version:  {version}|Listening for client connections on 0.0.0.0:4222|Server is ready|JetStream cluster new metadata leader]'),
    (CE, "nats", '[Error listening on port: 0.0.0.0:4222, "listen tcp 0.0.0.0:4222: bind: address already in use"|JetStream cluster no metadata leader; all streams unavailable]'),
    (RU, "nats", '[JetStream resource limits exceeded for server|Slow Consumer Detected: WriteDeadline of 10s exceeded with {int} chunks of {int} total bytes|maximum connections exceeded]'),
    (ER, "nats", '{ip}:{port} - cid:{int} - "v{version}:go" - Authorization Violation'),
    (SN, "pulsar", '[messaging service is ready|Loaded {int} topics in bundle {hex8}|Created topic persistent://public/default/{topic}|Bookie started]'),
    (CE, "pulsar", '[Failed to start Pulsar service: java.net.BindException: Address already in use|Bookie handle is not available; ledger storage closed, broker shutting down]'),
    (RU, "pulsar", '[Backlog quota exceeded for topic persistent://public/default/{topic}: backlog {size}, limit {size}|Directory {mount} is full: usage {pct}%, threshold 95%]'),
    (SN, "mosquitto", '[mosquitto version {version} starting|Opening ipv4 listen socket on port 1883.|New client connected from {ip}:{port} as {word}-{int} (p2, c1, k60, u\'{user}\').|Client {word}-{int} disconnected.|Saving in-memory database to /var/lib/mosquitto/mosquitto.db.]'),
    (CE, "mosquitto", 'Error: Address already in use; mosquitto exiting'),
    (SA, "mosquitto", 'Client {word}-{int} from {ip}:{port} disconnected, not authorised.'),
]

_SEARCH: list[tuple[str, str, str]] = [
    (SN, "opensearch", '[started|publish_address {{{ip}:9200}}, bound_addresses {{[[::]]:9200}}|Node \'{host}\' initialized|cluster health status changed from [[YELLOW]] to [[GREEN]] (reason: [[shards started]])]'),
    (SN, "opensearch", 'added node [[{host}]] ({ip}:9300) to the cluster, term: {small}, version: {int}, reason: Publication term={small}'),
    (CE, "opensearch", '[node validation exception: bootstrap checks failed: max virtual memory areas vm.max_map_count [[65530]] is too low|BindTransportException[[Failed to bind to 9300-9400]]; nested: BindException[[Address already in use]]]; node stopping'),
    (CE, "opensearch", 'master not discovered yet, this node has not previously joined a bootstrapped cluster; cluster unavailable for {duration}'),
    (CE, "opensearch", 'fatal error in thread [[main]], exiting: java.lang.OutOfMemoryError: Java heap space'),
    (RU, "opensearch", 'heap size [[{gb}gb]], compressed ordinary object pointers [[true]]'),
    (RU, "opensearch", '[[gc]][[young]][[{int}]][[{int}]] duration [[{ms}ms]], collections [[1]]/[[{sec}s]], total [[{ms}ms]]/[[{duration}]], memory [[{gb}gb]]->[[{gb}gb]]/[[{gb}gb]]'),
    (RU, "opensearch", '[high disk watermark [[90%]] exceeded|flood stage disk watermark [[95%]] exceeded] on [[{hex8}]][[{host}]][[{mount}]] free: {gb}gb[[{pct}%]], shards will be relocated away from this node'),
    (RU, "opensearch", 'using [[1]] data paths, mounts [[[[{mount} ({dev})]]]], net usable_space [[{gb}gb]], net total_space [[{gb}gb]], types [[ext4]]'),
    (ER, "opensearch", 'failed to execute [[{word}]] search request on index [[{word}]]: [search_phase_execution_exception] all shards failed'),
    (ER, "opensearch", '[[{word}]][[{small}]] shard failure, reason [[refresh failed source[[schedule]]]], failure IOException[[Input/output error]]'),
    (UA, "opensearch", 'audit: type=[REST|TRANSPORT], category=[AUTHENTICATED|GRANTED_PRIVILEGES], user={user}, action=[indices:admin/create|cluster:admin/settings/update|indices:admin/delete], index={word}'),
    (SA, "opensearch", 'audit: type=REST, category=FAILED_LOGIN, user=[admin|{user}], remote_address={ip}, request_path=/_plugins/_security/authinfo'),
    (SN, "solr", '[Registered new searcher autowarm time: {small} ms|Opening new SolrCore at [[{mount}]]|Committed {int} docs|Jetty server started on port 8983]'),
    (CE, "solr", '[SolrCore Initialization Failures: {word}: org.apache.solr.common.SolrException: Index dir \'{mount}/index/\' of core \'{word}\' is already locked|Failed to start Jetty: java.net.BindException: Address already in use]'),
    (CE, "solr", 'Lost connection to ZooKeeper ensemble {ip}:2181; all collections are read-only and no leader can be elected'),
    (RU, "solr", '[Slow query: [[{word}]] webapp=/solr path=/select params={{q=*:*}} hits={int} status=0 QTime={int}|PERFORMANCE WARNING: Overlapping onDeckSearchers={small}|Maximum open searchers reached ({small})]'),
    (ER, "solr", '[[{word}]] webapp=/solr path=/update params={{}} status=400 QTime={small}; org.apache.solr.common.SolrException: ERROR: [[doc={int}]] unknown field \'{word}\''),
    (SA, "solr", 'Unauthorized request from {ip} to /solr/admin/cores: authentication failed for user {user}'),
]

_WEB_PROXIES: list[tuple[str, str, str]] = [
    # nginx error log
    (SN, "nginx-server", '[using the "epoll" event method|nginx/{version}|OS: Linux {version}|start worker processes|start worker process {pid}|signal {small} (SIGHUP) received, reconfiguring|gracefully shutting down|exiting]'),
    (CE, "nginx-server", 'bind() to [0.0.0.0:80|0.0.0.0:443|[[::]]:80] failed (98: Address already in use)'),
    (CE, "nginx-server", '[still could not bind()|[[emerg]] open() "/etc/nginx/nginx.conf" failed (2: No such file or directory)|cannot load certificate "/etc/ssl/{file}": PEM_read_bio_X509_AUX() failed; nginx: configuration file /etc/nginx/nginx.conf test failed]'),
    (CE, "nginx-server", 'worker process {pid} exited on signal 9; master process out of memory, no workers left'),
    (ER, "nginx-server", 'connect() failed (111: Connection refused) while connecting to upstream, client: {ip}, server: {fqdn}, request: "{method} {uri} HTTP/1.1", upstream: "http://{ip}:{port}{uri}"'),
    (ER, "nginx-server", 'upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: {fqdn}, request: "{method} {uri} HTTP/1.1"'),
    (ER, "nginx-server", 'open() "{path}" failed (2: No such file or directory), client: {ip}, server: {fqdn}, request: "GET {uri} HTTP/1.1"'),
    (RU, "nginx-server", '[{small} worker_connections are not enough while connecting to upstream|client intended to send too large body: {int} bytes, client: {ip}|an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{small}/{int} while reading upstream]'),
    (RU, "nginx-server", 'limiting requests, excess: {float} by zone "[api|login|perip]", client: {ip}, server: {fqdn}, request: "{method} {uri} HTTP/1.1"'),
    (SA, "nginx-server", 'access forbidden by rule, client: {ip}, server: {fqdn}, request: "GET /[.env|.git/config|wp-admin/install.php|phpmyadmin/index.php] HTTP/1.1"'),
    (SA, "nginx-server", 'user "[admin|root|{user}]" was not found in "/etc/nginx/.htpasswd", client: {ip}, server: {fqdn}, request: "GET /admin HTTP/1.1"'),
    # Apache httpd error log
    (SN, "apache-server", '[AH00489: Apache/{version} (Unix) configured -- resuming normal operations|AH00094: Command line: \'/usr/sbin/httpd -D FOREGROUND\'|AH00163: Apache/{version} (Ubuntu) configured|AH00558: Server started on port 443]'),
    (CE, "apache-server", '[(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:80|AH00015: Unable to open logs|AH00526: Syntax error on line {small} of /etc/httpd/conf.d/ssl.conf: SSLCertificateFile: file \'/etc/pki/tls/certs/{file}\' does not exist or is empty]'),
    (CE, "apache-server", 'AH00052: child pid {pid} exit signal Segmentation fault (11); AH00060: seg fault or similar nasty error detected in the parent process'),
    (RU, "apache-server", 'AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting'),
    (RU, "apache-server", 'AH00484: server reached MaxClients setting, consider raising the MaxClients setting'),
    (ER, "apache-server", '[AH01114: HTTP: failed to make connection to backend: {ip}|AH01102: error reading status line from remote server {ip}:{port}|AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error]'),
    (ER, "apache-server", '[[client {ip}:{port}]] AH01071: Got error \'PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function {word}() in {path}:{int}\''),
    (SA, "apache-server", '[[client {ip}:{port}]] AH01797: client denied by server configuration: {path}'),
    (SA, "apache-server", '[[client {ip}:{port}]] AH01618: user {user} not found: /admin'),
    (SA, "apache-server", '[[client {ip}]] ModSecurity: Access denied with code 403 (phase 2). Pattern match "(?:union\\\\s+select)" at ARGS:id. [[id "942100"]] [[msg "SQL Injection Attack Detected via libinjection"]]'),
    # HAProxy
    (SN, "haproxy-server", '[Proxy {word} started.|Loading success.|New worker ({pid}) forked|Reexecuting Master process|Server {word}/{host} is UP, reason: Layer4 check passed, check duration: {ms}ms.]'),
    (CE, "haproxy-server", '[Starting frontend {word}: cannot bind socket (Address already in use) [[0.0.0.0:{port}]]|Starting proxy {word}: cannot bind socket [[{ip}:443]]|Fatal errors found in configuration.]'),
    (CE, "haproxy-server", '[backend {word} has no server available!|proxy {word} has no server available!] all requests are rejected with 503'),
    (ER, "haproxy-server", 'Server {word}/{host} is DOWN, reason: Layer7 wrong status, code: [500|502|503], info: "[Service Unavailable|Internal Server Error]", check duration: {ms}ms. {small} active and 0 backup servers left.'),
    (RU, "haproxy-server", '[Proxy {word} reached process FD limit (maxsock={int}). Please check \'ulimit-n\' and restart.|frontend {word} reached maxconn {int}; new connections queued|Server {word}/{host} has {int} sessions queued (maxqueue {int})]'),
    (UA, "haproxy-server", '[Server {word}/{host} is going DOWN for maintenance (by admin {user} via CLI).|Server {word}/{host} weight changed to {small} by {user} from the stats page|Server {word}/{host} is UP/READY (leaving forced maintenance).]'),
    # Squid, Varnish, Traefik, Caddy, Envoy
    (SN, "squid-proxy", '[Starting Squid Cache version {version} for x86_64-pc-linux-gnu...|Accepting HTTP Socket connections at conn{int} local=[[::]]:3128 remote=[[::]] FD {small} flags=9|Reconfiguring Squid Cache (version {version})...|storeLateRelease: released 0 objects|Finished loading MIME types and icons.]'),
    (CE, "squid-proxy", '[FATAL: Bungled /etc/squid/squid.conf line {small}: http_access allow {word}|commBind Cannot bind socket FD {small} to [[::]]:3128: (98) Address already in use|FATAL: Received Segment Violation...dying.]'),
    (RU, "squid-proxy", '[WARNING: Your cache is running out of filedescriptors|WARNING! Your cache is running out of filedescriptors ({int} of {int} in use)|Memory usage for squid via mallinfo(): total space in arena: {int} KB]'),
    (ER, "squid-proxy", '[ERROR: No forward-proxy ports configured.|WARNING: Forwarding loop detected for: GET {uri}|TCP connection to {ip}/{port} failed|ERROR: negotiating TLS on FD {small}: error:0A000086:SSL routines::certificate verify failed]'),
    (SN, "varnish", '[Child ({pid}) Started|Child ({pid}) said Child starts|CLI telnet {ip} {port} {ip} 6082 Rd ping|Manager got SIGINT]'),
    (CE, "varnish", '[Child ({pid}) died signal=6 (core dumped)|Child ({pid}) not responding to CLI, killed it.|Could not open socket for :80: Address already in use; varnishd exiting]'),
    (SN, "caddy", 'certificate obtained successfully identifier={fqdn}; [server running|serving initial configuration|enabling automatic HTTP->HTTPS redirects]'),
    (CE, "caddy", 'loading initial config: loading new config: http app module: start: listening on :443: listen tcp :443: bind: address already in use; caddy exiting'),
    (ER, "caddy", '[could not get certificate from issuer|tls.obtain: could not get certificate from issuer] identifier={fqdn} issuer=acme-v02.api.letsencrypt.org-directory error="HTTP 429 urn:ietf:params:acme:error:rateLimited"'),
    (ER, "caddy", 'http.handlers.reverse_proxy: aborting with incomplete response upstream={ip}:{port} duration={float} error="reading: context canceled"'),
    (SN, "envoy-proxy", '[starting main dispatch loop|all clusters initialized. initializing init manager|lds: add/update listener \'{word}\'|cds: added/updated {small} cluster(s), skipped {small} unmodified cluster(s)]'),
    (CE, "envoy-proxy", '[error initializing configuration \'/etc/envoy/envoy.yaml\': cannot bind \'0.0.0.0:10000\': Address already in use|Caught Segmentation fault, suspect faulting address 0x0; envoy exiting]'),
    (RU, "envoy-proxy", '[overload action envoy.overload_actions.stop_accepting_requests activated: heap {pct}% of max|cluster {word} circuit breaker max_connections ({int}) reached]'),
    (ER, "envoy-proxy", 'upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: 111'),
    # Tomcat (catalina.out)
    (SN, "tomcat-server", '[Server startup in [[{int}]] milliseconds|Starting ProtocolHandler [["http-nio-8080"]]|Deployment of web application archive [[{path}]] has finished in [[{int}]] ms|Starting Servlet engine: [[Apache Tomcat/{version}]]]'),
    (CE, "tomcat-server", '[Failed to initialize end point associated with ProtocolHandler [["http-nio-8080"]]: java.net.BindException: Address already in use|The required Server component failed to start so Tomcat is unable to start.|SEVERE: Catalina.stop: java.net.ConnectException: Connection refused; server cannot be stopped cleanly]'),
    (CE, "tomcat-server", 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space; Tomcat instance terminated'),
    (RU, "tomcat-server", '[Command line argument: -Xmx{int}m|Command line argument: -Xms{int}m|Maximum number of threads ({int}) created for connector with address [[null]] and port [[8080]]|The web application [[{word}]] created a ThreadLocal with key of type [[{java_class}]] that will be cleared]'),
    (ER, "tomcat-server", 'Servlet.service() for servlet [[dispatcherServlet]] in context with path [[/{word}]] threw exception [[Request processing failed; nested exception is {exception}]]'),
    (UA, "tomcat-server", 'Manager application: [deploy|undeploy|reload] of context path [[/{word}]] requested by user [[{user}]]'),
    # IIS
    (SN, "iis-server", '[The World Wide Web Publishing Service (WWW Service) started|A worker process with process id of \'{pid}\' serving application pool \'{word}\' was recycled as scheduled.|Application pool \'{word}\' has been started]'),
    (CE, "iis-server", '[Application pool \'{word}\' is being automatically disabled due to a series of failures in the process(es) serving that application pool.|The World Wide Web Publishing Service (WWW Service) did not register the URL prefix http://*:80/ for site 1. The necessary network binding may already be in use. The site has been deactivated.]'),
    (ER, "iis-server", 'A process serving application pool \'{word}\' failed to respond to a ping. The process id was \'{pid}\'.'),
]

_NETWORK_DEVICES: list[tuple[str, str, str]] = [
    # Cisco IOS / NX-OS
    (UA, "cisco-ios", '%PARSER-5-CFGLOG_LOGGEDCMD: User:{user}  logged command:{netcmd}'),
    (UA, "cisco-ios", '%SYS-5-CONFIG_I: Configured from [console|vty0 ({ip})|memory] by {user}[ on vty0 ({ip})| on console|]'),
    (UA, "cisco-ios", '%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [[user: {user}]] [[Source: {ip}]] [[localport: [22|23]]] at {time} UTC {date}'),
    (UA, "cisco-ios", '%SSH-5-SSH2_USERAUTH: User \'{user}\' authentication for SSH2 Session from {ip} (tty = {small}) using crypto cipher \'aes256-ctr\', hmac \'hmac-sha2-256\' Succeeded'),
    (UA, "cisco-ios", '%SYS-6-LOGOUT: User {user} has exited tty session {small}({ip})'),
    (UA, "cisco-ios", '%AAA-6-ACCT: user {user} executed privileged command "{netcmd}" on line vty{small}'),
    (SA, "cisco-ios", '%SEC_LOGIN-4-LOGIN_FAILED: Login failed [[user: [admin|cisco|root|{user}]]] [[Source: {ip}]] [[localport: 22]] [[Reason: Login Authentication Failed]] at {time} UTC {date}'),
    (SA, "cisco-ios", '%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is {small} secs, [[user: {user}]] [[Source: {ip}]] [[localport: 22]] [[Reason: Login Authentication Failed]] [[ACL: sl_def_acl]] at {time} UTC {date}'),
    (SA, "cisco-ios", '%SEC-6-IPACCESSLOGP: list {acl} denied {proto} {ip}({port}) -> {ip}([22|23|443|3389]), {small} packet[s|]'),
    (SA, "cisco-ios", '%SW_DAI-4-DHCP_SNOOPING_DENY: {small} Invalid ARPs (Req) on {netif}, vlan {int}.([[{mac}/{ip}/{mac}/{ip}]])'),
    (SA, "cisco-ios", '%PORT_SECURITY-2-PSECURE_VIOLATION: Security violation occurred, caused by MAC address {mac} on port {netif}.'),
    (SN, "cisco-ios", '%SEC-6-IPACCESSLOGP: list {acl} permitted {proto} {ip}({port}) -> {ip}([80|443|53|123]), {small} packet[s|]'),
    (SN, "cisco-ios", '%LINEPROTO-5-UPDOWN: Line protocol on Interface {netif}, changed state to up'),
    (SN, "cisco-ios", '%SYS-6-CLOCKUPDATE: System clock has been updated from {time} UTC {date} to {time} UTC {date}, configured from console by NTP.'),
    (SN, "cisco-ios", '[%DUAL-5-NBRCHANGE: EIGRP-IPv4 {small}: Neighbor {ip} ({netif}) is up: new adjacency|%OSPF-5-ADJCHG: Process {small}, Nbr {ip} on {netif} from LOADING to FULL, Loading Done|%BGP-5-ADJCHANGE: neighbor {ip} Up]'),
    (SN, "cisco-ios", '%SYS-5-RESTART: System restarted --[[Cisco IOS Software, Version {version}]]'),
    (SN, "cisco-ios", '[%LINK-3-UPDOWN: Interface {netif}, changed state to up|%LINK-5-CHANGED: Interface {netif}, changed state to administratively down]'),
    (ER, "cisco-ios", '[%LINK-3-UPDOWN: Interface {netif}, changed state to down|%LINEPROTO-5-UPDOWN: Line protocol on Interface {netif}, changed state to down]'),
    (ER, "cisco-ios", '[%DUAL-5-NBRCHANGE: EIGRP-IPv4 {small}: Neighbor {ip} ({netif}) is down: holding time expired|%BGP-3-NOTIFICATION: sent to neighbor {ip} 4/0 (hold time expired) 0 bytes|%OSPF-5-ADJCHG: Process {small}, Nbr {ip} on {netif} from FULL to DOWN, Neighbor Down: Dead timer expired]'),
    (ER, "cisco-ios", '%CDP-4-DUPLEX_MISMATCH: duplex mismatch discovered on {netif} (not full duplex), with {host} {netif} (full duplex).'),
    (CE, "cisco-ios", '[%PLATFORM-0-SUPERVISOR_FAILURE: Active supervisor failed, no standby available|%SYS-2-MALLOCFAIL: Memory allocation of {int} bytes failed from 0x{hex8}, alignment 0; Pool: Processor; routing process halted|%STACKMGR-1-RELOAD: Switch {small} is reloading due to stack partition]'),
    (CE, "cisco-ios", '%REDUNDANCY-3-PEER_MONITOR: PEER_FOUND event on standby, peer lost; failover impossible, redundancy mode now Simplex'),
    (RU, "cisco-ios", '[%SYS-4-CPUHOG: Task is running for ({int})msecs, more than (2000)msecs ({small}/{small}),process = {word}|%PLATFORM-4-ELEMENT_WARNING: Switch 1 R0/0: smand: 1/RP/0: Used Memory value {pct}% exceeds warning level 88%|%SYS-1-CPURISINGTHRESHOLD: Threshold: Total CPU Utilization(Total/Intr): {pct}%/{small}%, Top 3 processes(Pid/Util): {small}/{pct}%]'),
    (RU, "cisco-ios", '%IP-4-TABLE_FULL: route table [default|VRF {word}] reached its limit of {int} entries'),
    # Cisco ASA / AnyConnect
    (SN, "cisco-asa", '%ASA-6-302013: Built [inbound|outbound] TCP connection {int} for outside:{ip}/[443|80|{port}] ({ip}/[443|80|{port}]) to inside:{ip}/{port} ({ip}/{port})'),
    (SN, "cisco-asa", '%ASA-6-302014: Teardown TCP connection {int} for outside:{ip}/[443|80|{port}] to inside:{ip}/{port} duration {time} bytes {int} [TCP FINs|TCP Reset-I|TCP Reset-O|Connection timeout] from [outside|inside]'),
    (SN, "cisco-asa", '%ASA-6-302015: Built [inbound|outbound] UDP connection {int} for outside:{ip}/[53|123|{port}] ({ip}/[53|123|{port}]) to inside:{ip}/{port} ({ip}/{port})'),
    (SN, "cisco-asa", '%ASA-6-302016: Teardown UDP connection {int} for outside:{ip}/[53|123|{port}] to inside:{ip}/{port} duration {time} bytes {int}'),
    (SN, "cisco-asa", '%ASA-6-305011: Built dynamic [TCP|UDP] translation from inside:{ip}/{port} to outside:{ip}/{port}'),
    (SN, "cisco-asa", '%ASA-6-106100: access-list {acl} permitted {proto} inside/{ip}({port}) -> outside/{ip}([443|80|53]) hit-cnt {small} first hit [[0x{hex8}, 0x0]]'),
    (SN, "cisco-asa", '%ASA-5-111008: User \'enable_15\' executed the \'[write memory|copy running-config startup-config]\' command.'),
    (UA, "cisco-asa", '%ASA-5-111010: User \'{user}\', running \'CLI\' from IP {ip}, executed \'{netcmd}\''),
    (UA, "cisco-asa", '%ASA-6-605005: Login permitted from {ip}/{port} to [inside|management]:{ip}/[ssh|https] for user "{user}"'),
    (UA, "cisco-asa", '%ASA-6-113008: AAA transaction status ACCEPT : user = {user}'),
    (UA, "cisco-asa", '%ASA-6-611101: User authentication succeeded: IP address: {ip}, Uname: {user}'),
    (UA, "cisco-asa", '%ASA-5-502103: User priv level changed: Uname: {user} From: 1 To: 15'),
    (SA, "cisco-asa", '%ASA-6-605004: Login denied from {ip}/{port} to [outside|management]:{ip}/ssh for user "[admin|root|{user}]"'),
    (SA, "cisco-asa", '%ASA-6-113015: AAA user authentication Rejected : reason = [AAA failure|Invalid password] : server = {ip} : user = {user} : user IP = {ip}'),
    (SA, "cisco-asa", '%ASA-4-106023: Deny {proto} src outside:{ip}/{port} dst inside:{ip}/[443|80|22|3389|445] by access-group "{acl}" [[0x{hex8}, 0x0]]'),
    (SA, "cisco-asa", '%ASA-2-106001: Inbound TCP connection denied from {ip}/{port} to {ip}/[443|80|{port}] flags SYN  on interface outside'),
    (SA, "cisco-asa", '%ASA-3-710003: TCP access denied by ACL from {ip}/{port} to outside:{ip}/[443|22]'),
    (SA, "cisco-asa", '%ASA-4-400013: IPS:[2003 ICMP redirect|3040 TCP NULL flags|6190 FTP bounce|1102 Impossible IP Packet] from {ip} to {ip} on interface outside'),
    (SA, "cisco-asa", '%ASA-4-733100: [[{word}]] drop rate-[1|2] exceeded. Current burst rate is {small} per second, max configured rate is {small}; Current average rate is {small} per second, max configured rate is {small}; Cumulative total count is {int}'),
    (SA, "cisco-asa", '%ASA-1-106021: Deny TCP reverse path check from {ip} to {ip} on interface outside'),
    (RU, "cisco-asa", '%ASA-3-201008: Disallowing new connections; connection limit of {int} reached for host {ip}'),
    (RU, "cisco-asa", '[%ASA-4-209003: Fragment database limit of {int} exceeded: src = {ip}, dest = {ip}, proto = tcp, id = {int}|%ASA-3-202010: NAT/PAT pool exhausted. Unable to create connection from inside:{ip}/{port} to outside:{ip}/443|%ASA-4-405001: connection table is {pct}% full ({int} of {int} cached flows)]'),
    (CE, "cisco-asa", '[%ASA-1-105003: (Primary) Monitoring on interface inside waiting; %ASA-1-105005: (Primary) Lost Failover communications with mate on interface folink|%ASA-1-104001: (Secondary) Switching to ACTIVE - Other unit wants me Active. Primary unit switch reason: Interface check failed|%ASA-1-199010: Signal 11 caught in process/fiber(rtcli async executor process)/(rtcli async executor), traceback follows, unit reloading]'),
    (ER, "cisco-asa", '%ASA-3-713902: Group = {ip}, IP = {ip}, Removing peer from peer table failed, no match!'),
    (SN, "anyconnect", '%ASA-6-722051: Group <[AnyConnect|RemoteAccess]> User <{user}> IP <{ip}> IPv4 Address <{ip}> IPv6 address <::> assigned to session'),
    (UA, "anyconnect", '%ASA-6-113039: Group <[AnyConnect|RemoteAccess]> User <{user}> IP <{ip}> AnyConnect parent session started.'),
    (UA, "anyconnect", '%ASA-4-113019: Group = [AnyConnect|RemoteAccess], Username = {user}, IP = {ip}, Session disconnected. Session Type: SSL, Duration: {time}, Bytes xmt: {int}, Bytes rcv: {int}, Reason: User Requested'),
    (SA, "anyconnect", '%ASA-4-113019: Group = [AnyConnect|RemoteAccess], Username = {user}, IP = {ip}, Session disconnected. Session Type: SSL, Duration: 0h:00m:0{small}s, Reason: [Idle Timeout|Max time exceeded|Certificate validation failed]'),
    (SA, "anyconnect", '%ASA-6-716039: Group <DfltGrpPolicy> User <{user}> IP <{ip}> Authentication: rejected, Session Type: WebVPN.'),
    # Juniper JunOS
    (UA, "junos", 'UI_CMDLINE_READ_LINE: User \'{user}\', command \'[show configuration|show route|request system reboot|configure exclusive|show log messages|monitor traffic interface {netif}]\''),
    (UA, "junos", 'UI_COMMIT: User \'{user}\' requested \'commit\' operation (comment: [{word}|none])'),
    (UA, "junos", 'UI_LOGIN_EVENT: User \'{user}\' login, class \'j-super-user\' [[{pid}]], ssh-connection \'{ip} {port} {ip} 22\', client-mode \'cli\''),
    (UA, "junos", 'UI_AUTH_EVENT: Authenticated user \'{user}\' assigned to class \'[super-user|operator]\''),
    (SA, "junos", 'SSHD_LOGIN_FAILED: Login failed for user \'[root|admin|{user}]\' from host \'{ip}\''),
    (SA, "junos", 'RT_IDP_ATTACK_LOG: IDP: at {int}, ANOMALY Attack log <{ip}/{port}->{ip}/[443|80|22]> for TCP protocol and service SERVICE_IDP application NONE by rule 3 of rulebase IPS in policy Recommended. attack: repeat=0, action=DROP, threat-severity=HIGH, name=[HTTP:SQL:INJ:GENERIC|SSH:BRUTE-LOGIN|SCAN:NMAP:OS-FINGERPRINT]'),
    (SA, "junos", 'RT_FLOW_SESSION_DENY: session denied {ip}/{port}->{ip}/[443|22|3389] 0x0 junos-[https|ssh|rdp] {small}({small}) default-deny untrust trust UNKNOWN UNKNOWN N/A(N/A) {netif} No policy reject {int} N/A N/A'),
    (SN, "junos", 'RT_FLOW_SESSION_CREATE: session created {ip}/{port}->{ip}/[443|80|53] 0x0 junos-[https|http|dns-udp] {ip}/{port}->{ip}/[443|80|53] 0x0 N/A N/A N/A N/A {small} allow-web trust untrust {int} N/A(N/A) {netif}'),
    (SN, "junos", 'RT_FLOW_SESSION_CLOSE: session closed [TCP FIN|TCP RST|idle Timeout]: {ip}/{port}->{ip}/[443|80] 0x0 junos-[https|http] {ip}/{port}->{ip}/[443|80] 0x0 N/A N/A N/A N/A {small} allow-web trust untrust {int} {small}({int}) {small}({int}) {small}'),
    (SN, "junos", '[SNMP_TRAP_LINK_UP: ifIndex {int}, ifAdminStatus up(1), ifOperStatus up(1), ifName {netif}|BGP_IO_ERROR_CLOSE_SESSION cleared; peer {ip} (External AS {int}) Established|CHASSISD_FRU_ONLINE: FPC {small} online]'),
    (ER, "junos", '[SNMP_TRAP_LINK_DOWN: ifIndex {int}, ifAdminStatus up(1), ifOperStatus down(2), ifName {netif}|bgp_read_message: {ip} (External AS {int}): Hold timer expired|RPD_OSPF_NBRDOWN: OSPF neighbor {ip} (realm ospf-v2 {netif} area 0.0.0.0) state changed from Full to Down due to InActiveTimer]'),
    (CE, "junos", '[CHASSISD_FRU_OFFLINE_NOTICE: Taking FPC {small} offline: Error; all interfaces on the card down|JSRPD_HA_CONTROL_LINK_DOWN: HA control link monitor status is marked as down; both nodes primary, cluster split|KERNEL_PANIC: Routing Engine panic, rebooting]'),
    (RU, "junos", '[RPD_RT_HWM_NOTICE: Number of routes {int} reached high watermark of {int}|CHASSISD_HIGH_TEMP_CONDITION: Chassis temperature {small} C over threshold, fans at full speed|FLOW_HIGH_WATERMARK_TRIGGERED: Sessions utilization {pct}% reached high watermark]'),
    # FortiGate
    (SN, "fortigate", 'type="traffic" subtype="forward" srcip={ip} srcport={port} srcintf="[internal|port1|lan]" dstip={ip} dstport=[443|80|53] dstintf="wan1" proto=6 action="[accept|close|timeout]" policyid={small} service="[HTTPS|HTTP|DNS]" duration={int} sentbyte={int} rcvdbyte={int}'),
    (SA, "fortigate", 'type="traffic" subtype="forward" srcip={ip} srcport={port} srcintf="wan1" dstip={ip} dstport=[443|22|3389|445] dstintf="internal" proto=6 action="deny" policyid=0 policytype="policy" service="[HTTPS|SSH|RDP|SMB]" msg="Denied by forward policy check (policy 0)"'),
    (SA, "fortigate", 'type="utm" subtype="ips" eventtype="signature" severity="[high|critical|medium]" srcip={ip} dstip={ip} dstport=[443|80|8080] action="[dropped|reset|detected]" attack="{signature}" attackid={int} ref="http://www.fortinet.com/ids/VID{int}" msg="[web_server|applications3]: {signature},"'),
    (SA, "fortigate", 'type="utm" subtype="virus" eventtype="infected" srcip={ip} dstip={ip} action="blocked" service="HTTPS" filename="{file}" virus="[EICAR_TEST_FILE|W32/Agent.XYZ!tr|JS/Miner.BP!tr]" url="{url}"'),
    (SA, "fortigate", 'type="event" subtype="system" logdesc="Admin login failed" user="[admin|{user}]" ui="[https|ssh]({ip})" action="login" status="failed" reason="passwd_invalid" msg="Administrator {user} login failed from [https|ssh]({ip}) because of invalid password"'),
    (UA, "fortigate", 'type="event" subtype="system" logdesc="Admin login successful" user="{user}" ui="[https|ssh]({ip})" action="login" status="success" msg="Administrator {user} logged in successfully from [https|ssh]({ip})"'),
    (UA, "fortigate", 'type="event" subtype="system" logdesc="Object attribute configured" user="{user}" ui="[GUI|ssh]({ip})" action="[Edit|Add|Delete]" cfgpath="[firewall.policy|system.admin|user.local|firewall.address]" cfgobj="{small}" msg="[Edit|Add|Delete] firewall.policy {small}"'),
    (RU, "fortigate", 'type="event" subtype="system" logdesc="System performance statistics" cpu={pct} mem={pct} totalsession={int} disk={pct} bandwidth="{int}/{int}" setuprate={int} disklograte={small} fazlograte=0'),
    (RU, "fortigate", 'type="event" subtype="system" logdesc="[Kernel enters conserve mode|Session table full]" msg="[Kernel enters memory conserve mode|The session table reached its maximum of {int} sessions]" [mem={pct}|sessions={int}]'),
    (CE, "fortigate", 'type="event" subtype="ha" logdesc="[HA device interface failure|Heartbeat device interface down]" msg="[Virtual cluster 1 of group 0 detected member dead|Heartbeat device {netif} down; HA cluster lost its peer]" ha_role="master"'),
    (SN, "fortigate", 'type="event" subtype="vpn" logdesc="[IPsec phase 2 status changed|IPsec connection status changed]" msg="[IPsec phase 2 status change|IPsec tunnel up]" action="[phase2-up|tunnel-up]" remip={ip} locip={ip} vpntunnel="{word}-vpn"'),
    (ER, "fortigate", 'type="event" subtype="vpn" logdesc="IPsec phase 1 error" msg="IPsec phase 1 error" action="negotiate" remip={ip} status="negotiate_error" reason="[peer SA proposal not match local policy|no response from peer]" vpntunnel="{word}-vpn"'),
    # Palo Alto (CSV), pfSense filterlog, iptables
    (SN, "paloalto", '1,{date} {time},{num},TRAFFIC,end,2560,{date} {time},{ip},{ip},{ip},{ip},allow-[web|dns|outbound],,,[ssl|web-browsing|dns],vsys1,trust,untrust,ethernet1/2,ethernet1/1,Forward,{date} {time},{int},1,{port},[443|80|53],{port},[443|80|53],0x400000,{proto},allow,{int},{int},{int},{small},{date} {time},{small},any,0,{num},0x0,10.0.0.0-10.255.255.255,United States,0,{small},{small},tcp-fin'),
    (SA, "paloalto", '1,{date} {time},{num},THREAT,vulnerability,2560,{date} {time},{ip},{ip},{ip},{ip},inbound-web,,,web-browsing,vsys1,untrust,dmz,ethernet1/1,ethernet1/3,Forward,{date} {time},{int},1,{port},[443|80],0,0,0x2000,{proto},[reset-both|drop|alert],"{fqdn}/",[HTTP SQL Injection Attempt(30514)|Apache Log4j Remote Code Execution Vulnerability(91991)|HTTP Directory Traversal Vulnerability(30844)],any,[critical|high],client-to-server'),
    (SA, "paloalto", '1,{date} {time},{num},TRAFFIC,deny,2560,{date} {time},{ip},{ip},0.0.0.0,0.0.0.0,interzone-default,,,[ssh|ms-rdp|incomplete],vsys1,untrust,trust,ethernet1/1,,Forward,{date} {time},0,1,{port},[22|3389|445],0,0,0x0,{proto},deny,{small},{small},0,1,{date} {time},0,any,0,{num},0x0,[China|Russian Federation|Netherlands],10.0.0.0-10.255.255.255,0,1,0,policy-deny'),
    (UA, "paloalto", '1,{date} {time},{num},CONFIG,0,2049,{date} {time},{ip},,[set|edit|delete|commit],{user},Web,Succeeded, deviceconfig system,{int},0x0'),
    (SN, "pfsense", '{small},,,{int},{netif},match,pass,in,4,0x0,,{small},{int},0,DF,6,tcp,{small},{ip},{ip},{port},[443|80|53],0,S,{int},,64240,,mss;sackOK;TS;nop;wscale'),
    (SA, "pfsense", '{small},,,{int},{netif},match,block,in,4,0x0,,{small},{int},0,DF,6,tcp,{small},{ip},{ip},{port},[22|23|445|3389|443],0,S,{int},,1024,,mss'),
    (SN, "firewall", '[[UFW ALLOW]] IN={iface} OUT= MAC={mac} SRC={ip} DST={ip} LEN={int} TOS=0x00 PREC=0x00 TTL={small} ID={int} DF PROTO=TCP SPT={port} DPT=[443|80|22] WINDOW={int} RES=0x00 SYN URGP=0'),
    (SN, "firewall", 'ACCEPT IN={iface} OUT={iface} SRC={ip} DST={ip} LEN={int} PROTO=[TCP|UDP] SPT={port} DPT=[443|53|80] state NEW'),
    (SA, "firewall", '[[UFW BLOCK]] IN={iface} OUT= MAC={mac} SRC={ip} DST={ip} LEN={int} TOS=0x00 PREC=0x00 TTL={small} ID={int} PROTO=TCP SPT={port} DPT=[443|8080|5432|6379] WINDOW=1024 RES=0x00 SYN URGP=0'),
    (SA, "firewall", 'iptables DROP: IN={iface} OUT= SRC={ip} DST={ip} LEN={small} PROTO=TCP SPT={port} DPT=[443|22|25|3306] flags=SYN; rate-limited after {int} hits'),
    # IDS / IPS
    (SA, "ids", '[[{small}:{int}:{small}]] {signature} [[Classification: [Attempted Administrator Privilege Gain|Web Application Attack|Potentially Bad Traffic|Attempted Information Leak]]] [[Priority: [1|2]]] {{TCP}} {ip}:{port} -> {ip}:[443|80|8443]'),
    (SA, "ids", '{{"event_type":"alert","src_ip":"{ip}","dest_ip":"{ip}","dest_port":[443|80|22],"proto":"TCP","alert":{{"action":"[blocked|allowed]","signature_id":{int},"signature":"{signature}","category":"[Attempted Administrator Privilege Gain|A Network Trojan was detected|Web Application Attack]","severity":[1|2]}}}}'),
    (SN, "ids", '{{"event_type":"stats","stats":{{"uptime":{int},"capture":{{"kernel_packets":{int},"kernel_drops":0}},"decoder":{{"pkts":{int},"bytes":{int}}},"flow":{{"tcp":{int},"udp":{int}}}}}}}'),
    (SN, "ids", '[rule reload complete: {int} rules loaded, {small} rules failed|Engine started.|{small} rule files processed. {int} rules successfully loaded, 0 rules failed|signature update {version} applied]'),
    (RU, "ids", '[capture.kernel_drops {int} of {int} packets ({pct}%); worker threads busy|flow memcap reached: {int} flows, memcap {size}; emergency mode entered]'),
]

_VPN: list[tuple[str, str, str]] = [
    (SN, "openvpn-server", '[OpenVPN {version} x86_64-pc-linux-gnu [[SSL (OpenSSL)]] [[LZO]] [[EPOLL]] built on {date}|UDPv4 link local (bound): [[AF_INET]][[undef]]:1194|Initialization Sequence Completed|TUN/TAP device tun0 opened]'),
    (UA, "openvpn-server", '{user}/{ip}:{port} [[{user}]] Peer Connection Initiated with [[AF_INET]]{ip}:{port}'),
    (UA, "openvpn-server", '{user}/{ip}:{port} MULTI_sva: pool returned IPv4={ip}, IPv6=(Not enabled)'),
    (SA, "openvpn-server", '{ip}:{port} [VERIFY ERROR: depth=0, error=certificate has expired: CN={user}|TLS Error: TLS handshake failed|VERIFY ERROR: depth=0, error=certificate revoked: CN={user}]'),
    (SA, "openvpn-server", '{ip}:{port} WARNING: Failed running command (--auth-user-pass-verify): external program exited with error status: 1; AUTH_FAILED for user \'[admin|{user}]\''),
    (CE, "openvpn-server", '[TCP/UDP: Socket bind failed on local address [[AF_INET]][[undef]]:1194: Address already in use (errno=98)|Exiting due to fatal error|Cannot open TUN/TAP dev /dev/net/tun: No such file or directory (errno=2)]'),
    (ER, "openvpn-server", '{user}/{ip}:{port} [Connection reset, restarting [[0]]|Inactivity timeout (--ping-restart), restarting|write UDPv4: Network is unreachable (code=101)]'),
    (SN, "strongswan", '[IKE_SA {word}[[{small}]] established between {ip}[[{fqdn}]]...{ip}[[{fqdn}]]|CHILD_SA {word} established with SPIs {hex8}_i {hex8}_o and TS {ip}/24 === {ip}/24|received DELETE for IKE_SA {word}[[{small}]]|IKE_SA {word}[[{small}]] state change: ESTABLISHED => DELETING]'),
    (SN, "strongswan", '[initiating IKE_SA {word}[[{small}]] to {ip}|scheduling rekeying in {int}s|rekeying CHILD_SA {word}|loaded certificate "CN={fqdn}" from \'/etc/ipsec.d/certs/{file}\']'),
    (ER, "strongswan", '[giving up after {small} retransmits|establishing IKE_SA failed, peer not responding|received NO_PROPOSAL_CHOSEN notify error|unable to install inbound and outbound IPsec SA (SAD) in kernel]'),
    (SA, "strongswan", '[received AUTHENTICATION_FAILED notify error|tried {small} shared key for \'{ip}\' - \'{ip}\', but MAC mismatched|EAP method EAP_MSCHAPV2 failed for peer {user}|no trusted RSA public key found for \'CN={fqdn}\']'),
    (CE, "strongswan", '[unable to bind socket: Address already in use; charon exiting|no known IPsec stack detected, ignoring!; charon cannot start|loading plugin \'kernel-netlink\' failed; daemon terminated]'),
    (SN, "wireguard", 'wireguard: wg0: [Interface created|Keypair {small} created for peer {small}|Receiving handshake initiation from peer {small} ({ip}:{port})|Sending handshake response to peer {small} ({ip}:{port})]'),
    (ER, "wireguard", 'wireguard: wg0: [Handshake for peer {small} ({ip}:{port}) did not complete after 5 seconds, retrying (try {small})|Packet has unallowed src IP ({ip}) from peer {small} ({ip}:{port})]'),
    (SA, "wireguard", 'wireguard: wg0: Invalid handshake initiation from {ip}:{port}'),
]

_MAIL_DNS: list[tuple[str, str, str]] = [
    # Postfix
    (SN, "postfix-mail", '[connect from {fqdn}[[{ip}]]|disconnect from {fqdn}[[{ip}]] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5|daemon started -- version {version}, configuration /etc/postfix|reload -- version {version}, configuration /etc/postfix]'),
    (SN, "postfix-mail", '{hex}: from=<{email}>, size={int}, nrcpt={small} (queue active)'),
    (SN, "postfix-mail", '{hex}: to=<{email}>, relay={fqdn}[[{ip}]]:25, delay={float}, delays={float}/{float}/{float}/{float}, dsn=2.0.0, status=sent (250 2.0.0 OK {int} {hex} - gsmtp)'),
    (ER, "postfix-mail", '{hex}: to=<{email}>, relay=none, delay={int}, delays={int}/0.01/30/0, dsn=4.4.1, status=deferred (connect to {fqdn}[[{ip}]]:25: Connection timed out)'),
    (ER, "postfix-mail", '{hex}: to=<{email}>, relay={fqdn}[[{ip}]]:25, delay={float}, dsn=5.7.1, status=bounced (host {fqdn}[[{ip}]] said: 550 5.7.1 Message rejected as spam (in reply to end of DATA command))'),
    (CE, "postfix-mail", '[fatal: bind 0.0.0.0 port 25: Address already in use|fatal: open lock file /var/lib/postfix/master.lock: unable to set exclusive lock: Resource temporarily unavailable|fatal: the Postfix mail system is already running]'),
    (CE, "postfix-mail", 'warning: process /usr/lib/postfix/sbin/smtpd pid {pid} killed by signal 9; fatal: mail system is down, no SMTP listener'),
    (RU, "postfix-mail", '[warning: service "smtp" (25) has reached its process limit "100": new clients may experience noticeable delays|warning: not enough free space in mail queue: {int} bytes < 1.5*message size limit|{int} messages in the active queue, {int} deferred, incoming {int}]'),
    (SA, "postfix-mail", 'warning: {fqdn}[[{ip}]]: SASL [LOGIN|PLAIN] authentication failed: authentication failure, sasl_username={email}'),
    (SA, "postfix-mail", 'NOQUEUE: reject: RCPT from unknown[[{ip}]]: [554 5.7.1 Service unavailable; Client host [[{ip}]] blocked using zen.spamhaus.org|450 4.7.25 Client host rejected: cannot find your hostname|554 5.7.1 <{email}>: Relay access denied]; from=<{email}> to=<{email}> proto=ESMTP'),
    (UA, "postfix-mail", '{hex}: client={fqdn}[[{ip}]], sasl_method=PLAIN, sasl_username={email}'),
    # Exim / Sendmail / Dovecot
    (SN, "exim", '[exim {version} daemon started: pid={pid}, -q30m, listening for SMTP on port 25 (IPv4)|Start queue run: pid={pid}|End queue run: pid={pid}|{hex8}-{hex8}-{small} Completed]'),
    (SN, "exim", '{hex8}-{hex8}-{small} [<=|=>] {email} H={fqdn} [[{ip}]] P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 S={int}'),
    (ER, "exim", '{hex8}-{hex8}-{small} == {email} R=dnslookup T=remote_smtp defer (-53): retry time not reached for any host for \'{fqdn}\''),
    (ER, "exim", '{hex8}-{hex8}-{small} ** {email} R=dnslookup T=remote_smtp H={fqdn} [[{ip}]]: SMTP error from remote mail server after RCPT TO:<{email}>: 550 5.1.1 user unknown'),
    (CE, "exim", '[socket bind() to port 25 for address (any IPv4) failed: Address already in use: daemon abandoned|Failed to create spool file /var/spool/exim4/input/{hex8}-D: No space left on device; exim cannot accept mail]'),
    (SA, "exim", '[dovecot_login authenticator failed for ([[{ip}]]) [[{ip}]]:{port}: 535 Incorrect authentication data (set_id={email})|H=({word}) [[{ip}]] rejected RCPT <{email}>: relay not permitted]'),
    (SN, "sendmail", '{hex8}{int}: from=<{email}>, size={int}, class=0, nrcpts=1, msgid=<{hex}@{fqdn}>, proto=ESMTP, daemon=MTA, relay={fqdn} [[{ip}]]'),
    (ER, "sendmail", '{hex8}{int}: to=<{email}>, delay={time}, xdelay={time}, mailer=esmtp, pri={int}, relay={fqdn}. [[{ip}]], dsn=4.0.0, stat=Deferred: Connection refused by {fqdn}.'),
    (CE, "sendmail", '[daemon MTA-v4: problem creating SMTP socket; opendaemonsocket: daemon MTA-v4: cannot bind: Address already in use|NOQUEUE: SYSERR(root): opendaemonsocket: daemon MTA: server SMTP socket wedged: exiting]'),
    (SN, "dovecot-mail", '[master: Dovecot v{version} starting up for imap, pop3, lmtp (core dumps disabled)|lmtp({email})<{pid}><{hex}>: msgid=<{hex}@{fqdn}>: saved mail to INBOX|imap({email})<{pid}><{hex}>: Disconnected: Logged out in={int} out={int}]'),
    (UA, "dovecot-mail", '[imap-login|pop3-login]: Login: user=<{email}>, method=[PLAIN|LOGIN], rip={ip}, lip={ip}, mpid={pid}, TLS, session=<{hex}>'),
    (SA, "dovecot-mail", '[imap-login|pop3-login]: Disconnected: [Connection closed (auth failed, {small} attempts in {small} secs)|Too many invalid commands (auth failed, {small} attempts in {small} secs)]: user=<{email}>, method=PLAIN, rip={ip}, lip={ip}, TLS'),
    (CE, "dovecot-mail", '[master: Fatal: service(imap-login): listen(*, 993) failed: Address already in use|master: Fatal: Dovecot is already running with PID {pid}]'),
    (RU, "dovecot-mail", '[master: Warning: service(imap-login): process_limit ({int}) reached, client connections are being dropped|quota: User {email} is at {pct}% of storage quota ({size} of {size})]'),
    (ER, "dovecot-mail", 'lmtp({email})<{pid}><{hex}>: Error: [open({path}) failed: Permission denied|Mailbox INBOX: Failed to autocreate mailbox: Permission denied]'),
    # BIND / Unbound / CoreDNS / PowerDNS / dnsmasq
    (SN, "bind", '[zone {fqdn}/IN: loaded serial {num}|all zones loaded|running|zone {fqdn}/IN: Transfer started.|transfer of \'{fqdn}/IN\' from {ip}#53: Transfer completed: {small} messages, {int} records, {int} bytes, {float} secs|reloading configuration succeeded|managed-keys-zone: Key {int} for zone . is now trusted]'),
    (SN, "bind", 'client @0x{hex} {ip}#{port} ({fqdn}): query: {fqdn} IN [A|AAAA|MX|TXT] +E(0)K ({ip})'),
    (ER, "bind", '[zone {fqdn}/IN: refresh: retry limit for master {ip}#53 exceeded (source 0.0.0.0#0)|network unreachable resolving \'{fqdn}/A/IN\': {ip}#53|DNS format error from {ip}#53 resolving {fqdn}/AAAA for client {ip}#{port}: reply has no answer|zone {fqdn}/IN: loading from master file {file} failed: file not found]'),
    (SA, "bind", '[client @0x{hex} {ip}#{port} ({fqdn}): zone transfer \'{fqdn}/AXFR/IN\' denied|client @0x{hex} {ip}#{port} ({fqdn}): query (cache) \'{fqdn}/A/IN\' denied|client @0x{hex} {ip}#{port}: update \'{fqdn}/IN\' denied|rate limit drop response to {ip}/24 for {fqdn} IN ANY]'),
    (CE, "bind", '[could not listen on UDP socket: address in use; not listening on any interfaces|loading configuration: failure; exiting (due to fatal error)|zone {fqdn}/IN: NS \'{fqdn}\' has no address records (A or AAAA); zone not loaded, serving SERVFAIL for the whole domain]'),
    (RU, "bind", '[clients-per-query increased to {int}|recursive-clients soft limit exceeded ({int}/{int}/{int}), aborting oldest query|max-cache-size {size} reached; {int} records purged]'),
    (SN, "unbound", '[start of service (unbound {version}).|service stopped (unbound {version}).|generate keytag query _ta-{hex}. NULL IN|server stats for thread {small}: {int} queries, {int} answers from cache, {int} recursions]'),
    (ER, "unbound", '[failed to prime trust anchor -- could not fetch DNSKEY rrset . DNSKEY IN|SERVFAIL <{fqdn}. A IN>: all the configured stub or forward servers failed, at zone .|validation failure <{fqdn}. A IN>: no signatures from {ip}]'),
    (CE, "unbound", '[can\'t bind socket: Address already in use for 0.0.0.0 port 53|could not open ports; unbound exiting|fatal error: Could not set up listening sockets]'),
    (RU, "unbound", 'server stats for thread {small}: requestlist max {int} avg {float} exceeded {int} jostled {int}; num.query.ratelimited {int}'),
    (SA, "unbound", '[refused query from {ip} for {fqdn}. A IN, access-control: refuse|ratelimit exceeded {fqdn}. {int} query {fqdn}. IN ANY]'),
    (SN, "coredns", '[plugin/reload: Running configuration SHA512 = {hex}|CoreDNS-{version}|linux/amd64, go1.21.{small}, {hex8}|{ip}:{port} - {int} "A IN {fqdn}. udp {small} false 512" NOERROR qr,aa,rd {int} {float}s]'),
    (ER, "coredns", '[plugin/errors: 2 {fqdn}. AAAA: read udp {ip}:{port}->{ip}:53: i/o timeout|plugin/kubernetes: pkg/mod/k8s.io/client-go: Failed to watch *v1.EndpointSlice: the server has asked for the client to provide credentials]'),
    (CE, "coredns", '[plugin/kubernetes: Kubernetes API connection failure: Get "https://{ip}:443/version": dial tcp {ip}:443: i/o timeout; no records served|Failed to start: listen udp :53: bind: address already in use]'),
    (SN, "powerdns", '[Done launching threads, ready to distribute questions|Zone \'{fqdn}\' (serial {num}) updated, {int} records|Launched {small} distributor threads|Refreshed {int} entries in the packet cache]'),
    (CE, "powerdns", '[Fatal error: Unable to bind to UDP socket 0.0.0.0:53: Address already in use|Backend error: gmysql Failed to launch - Unable to connect to database: Access denied; exiting]'),
    (SN, "dnsmasq", '[started, version {version} cachesize 150|reading /etc/resolv.conf|using nameserver {ip}#53|read /etc/hosts - {small} addresses|DHCPACK(eth0) {ip} {mac} {host}]'),
    (ER, "dnsmasq", '[failed to send packet: Network is unreachable|no address range available for DHCP request via eth0|Maximum number of concurrent DNS queries reached (max: 150)]'),
]

_ACCOUNTS: list[tuple[str, str, str]] = [
    # shadow-utils and friends; the admin action is the event
    (UA, "linux-accounts", 'group added to /etc/group: name={group}, GID={uid}'),
    (UA, "linux-accounts", 'group added to /etc/gshadow: name={group}'),
    (UA, "linux-accounts", 'new group: name={group}, GID={uid}'),
    (UA, "linux-accounts", 'removed group \'{group}\' owned by \'{user}\''),
    (UA, "linux-accounts", 'group \'{group}\' removed from /etc/[group|gshadow]'),
    (UA, "linux-accounts", 'change user \'{user}\' [shell|home|UID|expiration]'),
    (UA, "linux-accounts", 'add \'{user}\' to [group|shadow group] \'{group}\''),
    (UA, "linux-accounts", 'delete \'{user}\' from [group|shadow group] \'{group}\''),
    (UA, "linux-accounts", 'lock user \'{user}\' password'),
    (UA, "linux-accounts", 'unlock user \'{user}\' password'),
    (UA, "linux-accounts", 'delete user \'{user}\''),
    (UA, "linux-accounts", 'changed password expiry for {user}'),
    (UA, "linux-accounts", 'user {user} added by {user} to group {group}'),
    (UA, "linux-accounts", 'group \'{group}\' renamed to \'{group}\''),
    (UA, "linux-accounts", 'members of group {group} set by {user} to {user},{user}'),
    (UA, "linux-accounts", 'pam_unix(chpasswd:chauthtok): password changed for {user}'),
    (UA, "su", '(to root) {user} on pts/{small}'),
    (UA, "su", 'Successful su for [root|postgres|oracle|{user}] by {user}'),
    (UA, "su", '+ pts/{small} {user}:root'),
    (UA, "su", 'pam_unix(su:session): session opened for user root(uid=0) by {user}(uid={uid})'),
    (UA, "sudo-admin", '{user} : TTY=pts/{small} ; PWD=/[root|home/{user}|etc] ; USER=root ; COMMAND=/usr/sbin/[groupadd {group}|usermod -aG {group} {user}|useradd -m {user}|userdel -r {user}|visudo|passwd {user}]'),
    (SA, "su", 'FAILED SU (to root) {user} on pts/{small}'),
    (SA, "su", 'pam_unix(su:auth): authentication failure; logname={user} uid={uid} euid=0 tty=pts/{small} ruser={user} rhost=  user=root'),
    (SA, "su", '- pts/{small} {user}:root'),
    (SA, "linux-accounts", 'failed adding user \'{user}\', exit code: [9|10|12]; invoked by uid {uid} without an approved change'),
    (SA, "linux-accounts", 'user \'{user}\' added to group \'[wheel|sudo|root]\' by uid {uid} outside the change window'),
    (SA, "sudo-admin", '{user} : [3 incorrect password attempts|command not allowed] ; TTY=pts/{small} ; PWD=/home/{user} ; USER=root ; COMMAND=/usr/sbin/[usermod -aG wheel {user}|groupadd admins|passwd root]'),
    (ER, "linux-accounts", '[groupadd: group \'{group}\' already exists|useradd: cannot lock /etc/passwd; try again later.|usermod: user \'{user}\' does not exist|userdel: user {user} is currently used by process {pid}|groupdel: cannot remove the primary group of user \'{user}\']'),
    (SN, "linux-accounts", '[pwck: no changes|grpck: no changes|shadow file /etc/shadow backed up to /etc/shadow-|nscd: flushed group cache]'),
]

# Short lines as business applications write them: the original system's sources (CRM, HR,
# billing, analytics, partner APIs) with many phrasings of each kind, failures next to routine ones.
_BUSINESS: list[tuple[str, str, str]] = [
    # routine events the system performs on a user's behalf
    (SN, "crm", '[Backup|Nightly backup|Database backup|Scheduled backup] [started|began|kicked off] at {ts}'),
    (SN, "crm", '[Backup|Nightly backup|Database backup|Scheduled backup] [ended|finished|completed] at {ts}[ ({size})| in {duration}|]'),
    (SN, "hr", '[Backup|Snapshot|Export] job {job} ended at {ts} with status OK'),
    (SN, "billing", '[Maintenance window|Batch window|Replication cycle] ended at {ts}; [{int} rows applied|all services back in normal mode|no pending items]'),
    (SN, "analytics", 'Session {session} ended normally after {duration}'),
    (SN, "billing", '[Backup|Archive] of [ledger|invoices|customer data] [completed successfully|finished without errors|done]'),
    (SN, "saas", 'File {file} [uploaded|received] successfully[ by {appuser}| from {appuser}|]'),
    (SN, "saas", '[Upload|Import] of {file} by [user |]{appuser} [completed|accepted|stored]'),
    (SN, "hr", 'Document {file} uploaded by [user |]{appuser} and stored in [archive|folder {word}|the records vault]'),
    (SN, "analytics", '[System|Server|Host|Node {small}] [reboot|restart] [initiated|requested|triggered|scheduled] by [user |operator |admin |]{appuser}'),
    (SN, "crm", '[Planned|Scheduled] [reboot|restart] of [server|node|instance] {host} started by {appuser}'),
    (SN, "billing", '[System|Application|Platform|Service] [updated|upgraded|patched] to [version|release|build] {version}'),
    (SN, "hr", '[Update|Patch|Hotfix] {version} [applied|installed] successfully[ by {appuser}|]'),
    (SN, "analytics", '[Disk|Temp folder|Cache|Log] cleanup [completed|finished|done][ successfully|][; {size} freed|]'),
    (SN, "crm", 'Cleanup of [temporary files|old sessions|expired exports] finished: {int} items removed'),
    (SN, "third-party-api", '[Health check passed|Connection pool warmed up|Token refreshed|Rate-limit window reset] for partner endpoint {word}'),
    (SN, "billing", '[Service|Scheduler|Worker|Email service] [started|restarted|resumed] successfully[ on {host}|]'),
    # users doing things
    (UA, "crm", '[User|user] {appuser} [logged in|logged out|signed in|signed out|logged on|logged off][.|]'),
    (UA, "hr", '[Account|Profile|User account] [with ID |ID |#|]{int} [created|registered|opened] by {appuser}'),
    (UA, "billing", '{appuser} [created|updated|deleted|deactivated] [account|user|customer profile] {int}'),
    (UA, "analytics", '{appuser} [changed|reset|updated] [their password|the dashboard layout|notification settings|report filters]'),
    (UA, "saas", '[Role|Permission|Group membership] [analyst|editor|viewer|{group}] [granted to|revoked from|assigned to] {appuser} by {appuser}'),
    (UA, "crm", '{appuser} [exported|downloaded|printed|shared] [report|contact list|invoice] {int}'),
    # whole-service / component failures (Critical Error)
    (CE, "crm", '[Email|Notification|Payment|Messaging|Search] service [is experiencing|experiencing|has] [issues|problems|trouble|an outage] [with|while] [sending|delivering|processing|accepting] [messages|emails|requests|payments]'),
    (CE, "billing", '[Critical|Fatal|Severe] [system|hardware|platform] [unit|component|module|device] [error|failure|fault|malfunction][:|;|,] [unit|component|module|device] [ID|id] {compid}'),
    (CE, "analytics", '[System|Hardware|Storage|Core] [component|unit|module|controller] [malfunction|failure|fault] detected[:|;|,] [component|unit|module|controller] [ID|id] {compid}'),
    (CE, "hr", '[Multiple|Several|{small}] [disk|drive|memory|power supply] [failures|faults|errors] [detected|reported] on [server|storage array|node] {compid}[; data at risk|; array degraded beyond repair|]'),
    (CE, "third-party-api", '[Database|Primary database|Cache cluster|Message queue] [is down|unreachable|offline|not responding]; [all requests failing|service unavailable|no writes possible]'),
    (CE, "crm", '[Boot|Startup|Initialisation] [process|sequence] [terminated|aborted|halted] unexpectedly[ due to kernel panic| on {host}|; system cannot start]'),
    (CE, "analytics", '[System|Cluster|Platform] [crashed|went down|is unresponsive] [after|due to] [memory exhaustion|a kernel fault|power loss|storage failure]'),
    (CE, "billing", '[Data loss|Corruption] detected in [the primary database|ledger storage|volume {vol}]; [writes suspended|service halted|recovery required]'),
    # one operation failing (Error)
    (ER, "analytics", '[Replication|Sync|Rebalance|Compaction] [task|job] for [shard|partition] {small} [failed|did not complete|ended in failure|was aborted]'),
    (ER, "crm", '[Email|Mail|Notification] [server|service] [encountered|hit|reported] a [sending|delivery|transient] [fault|error|failure][ for message {int}| to {email}|]'),
    (ER, "hr", '[Input|Record|File] [data|format] [error|invalid][:|;] [missing column|unexpected value|bad encoding|wrong delimiter] [in|at] [line|row|field] {int}'),
    (ER, "billing", '[Invoice|Report|Export|Statement] [generation|rendering|delivery] [for|of] [batch|customer|order] {int} failed[: {exception}|]'),
    (ER, "third-party-api", '[Request|Call] to [partner|external] [API|endpoint] {word} [timed out|failed|was refused|returned an error] after {ms} ms'),
    (ER, "analytics", '[Module|Plugin|Extension] {word} failed to [load|initialise|start]: [missing dependency|bad configuration|version mismatch]'),
    (ER, "crm", '[Could not|Unable to|Failed to] [save|update|sync|import] [record|contact|lead|ticket] {int}: [database timeout|constraint violation|lock wait exceeded|{exception}]'),
    # security (Security Alert)
    (SA, "crm", '[Multiple|Several|Repeated|{small}] [login failures|failed login attempts|failed sign-ins|incorrect password attempts] [were |]detected for [user |]{appuser}'),
    (SA, "hr", '[Multiple|Repeated] [incorrect|wrong|invalid] [login|password|PIN] [attempts|entries] [were |]made by [user |]{appuser}'),
    (SA, "billing", '[Unauthorized|Unauthorised|Illegal] access [to|attempt on] [data|customer records|the admin panel|payroll data] [was |]attempted[ by {appuser}| from {ip}|]'),
    (SA, "analytics", '[Admin|Root|Superuser] [access|privilege] escalation [detected|attempted] for [user |]{appuser}'),
    (SA, "third-party-api", '[Potential|Possible|Suspected] [security breach|intrusion|attack] detected: [IP |host |]{ip} [attempting|trying] to [bypass authentication|access restricted endpoints|brute-force API keys]'),
    (SA, "crm", '[Access|Login] denied [to|for] restricted account {account}[ from {ip}|]'),
    (SA, "hr", '[Suspicious|Anomalous|Unusual] [login|sign-in|session] activity [detected|observed] for [user |account |]{appuser}[ from {ip}|]'),
    (SA, "billing", 'Brute[-| ]force [attack|login attempt] [detected|blocked] from {ip}'),
    # measurements (Resource Usage)
    (RU, "analytics", '[Memory|CPU|Disk|Heap] usage [at|reached|is] {pct}%[ on {host}| of capacity|]'),
    (RU, "billing", '[Connection pool|Thread pool|Worker pool] [usage|utilisation]: {int} of {int} [in use|busy]'),
    (RU, "crm", '[Storage|Quota|Mailbox] usage for [tenant|account] {account}: {gb} GB of {gb} GB'),
]

TEMPLATES: list[tuple[str, str, str]] = (
    _DATABASES + _BROKERS + _SEARCH + _WEB_PROXIES + _NETWORK_DEVICES + _VPN + _MAIL_DNS + _ACCOUNTS + _BUSINESS
)
"""(category, system, template) for service families and business-application short lines."""

# One listening address failing while the daemon goes on with the others is Error; no address at
# all (the service cannot serve) is Critical Error.
_LISTEN_ADDRESSES: list[tuple[str, str, str]] = [
    (ER, "nginx-server", 'bind() to [[::]]:[80|443] failed (97: Address family not supported by protocol); listening on 0.0.0.0 only'),
    (ER, "postfix-mail", 'warning: inet_addr_local: [[{ip}]] bind failed: Address already in use; skipping this address'),
    (ER, "bind", 'could not listen on {ip}#53: address in use; listening on the remaining interfaces'),
    (ER, "haproxy-server", 'Binding [[{ip}:{port}]] for frontend {word} failed: Cannot assign requested address; other binds of the frontend kept'),
    (ER, "go-app", 'listener on {ip}:{port} could not be opened (address already in use); serving on the other listeners'),
    (CE, "go-app", 'no listener could be opened: all {small} addresses failed to bind; server exiting'),
    (CE, "unbound", 'could not open ports; no address to listen on, service stopped'),
    (CE, "postgres", 'could not create any TCP/IP sockets; database system is shut down'),
]

# Access the system refuses because the caller lacks a permission or role is Security Alert
# (blocked or unauthorised access); a permission granted through the normal path is routine.
_PERMISSIONS: list[tuple[str, str, str]] = [
    (SA, "android", '[requestLocationUpdates|getDeviceId|readPhoneState|queryUsageStats|getInstalledPackages] denied: uid {uid} lacks android.permission.[ACCESS_FINE_LOCATION|READ_PHONE_STATE|PACKAGE_USAGE_STATS|QUERY_ALL_PACKAGES]; request rejected'),
    (SA, "android", 'AppOps: operation [CAMERA|RECORD_AUDIO|READ_CONTACTS|COARSE_LOCATION] blocked for package com.{word}.{word} (uid {uid}): mode=ignored'),
    (SA, "android", 'Restricting [getServices|getAccounts|dumpHeap|readLogs] for caller {uid}: permission [GET_ACCOUNTS|READ_LOGS|DUMP|INTERACT_ACROSS_USERS] not granted; returning partial results'),
    (SA, "macos", 'TCC deny [kTCCServiceCamera|kTCCServiceMicrophone|kTCCServiceSystemPolicyAllFiles|kTCCServiceAccessibility] for com.{word}.{word}: not authorised'),
    (SA, "kube-apiserver", 'forbidden: User "system:serviceaccount:{namespace}:{word}" cannot [list|get|delete] resource "[secrets|pods|nodes|clusterroles]" in API group "" [in the namespace "{namespace}"|at the cluster scope]'),
    (SA, "aws", 'AccessDenied: User: arn:aws:iam::{num}:user/{user} is not authorized to perform: [s3:GetObject|iam:CreateUser|kms:Decrypt|ec2:TerminateInstances] on resource: [arn:aws:s3:::{bucket}/{file}|*] because no identity-based policy allows the action'),
    (SA, "windows", 'An attempt was made to access an object. Object Name: {winpath} Accesses: [WriteData|DELETE|READ_CONTROL] Access Reasons: denied by DACL; Subject: {user}'),
    (SA, "selinux", 'avc:  denied  {{ [read|write|open|execute|name_connect] }} for  pid={pid} comm="{word}" [name="{file}"|dest={port}] scontext=system_u:system_r:[httpd_t|nginx_t|postfix_t]:s0 tcontext=[system_u:object_r:shadow_t|system_u:object_r:unreserved_port_t]:s0 tclass=[file|tcp_socket] permissive=0'),
    (SA, "saas", 'Permission check failed: {appuser} tried [to export all customers|to open the payroll report|to delete workspace {word}] without the [admin|finance|owner] role; blocked'),
    (UA, "android", 'Granted permission android.permission.[CAMERA|ACCESS_FINE_LOCATION|POST_NOTIFICATIONS] to package com.{word}.{word} (by user {small})'),
    (UA, "macos", 'TCC allow [kTCCServiceCamera|kTCCServiceMicrophone|kTCCServiceScreenCapture] for com.{word}.{word}: user consented'),
    (UA, "saas", '[Admin|Owner] {appuser} granted the [finance|editor|viewer] role to {appuser}'),
    (SN, "kube-apiserver", 'RBAC: clusterrolebinding "{word}-binding" reconciled; {small} subjects up to date'),
]

# Runtime measurements logged at INFO (JVM heap and GC, safepoints) next to the runtime failing.
_RUNTIMES: list[tuple[str, str, str]] = [
    (RU, "java-app", '[[{isots}]][[info]][[gc]] GC({int}) Pause [Young (Normal) (G1 Evacuation Pause)|Full (System.gc())|Remark|Young (Concurrent Start) (G1 Humongous Allocation)] {int}M->{int}M({int}M) {float}ms'),
    (RU, "java-app", '{isots}: {float}: Total time for which application threads were stopped: {float} seconds, Stopping threads took: {float} seconds'),
    (RU, "java-app", '[[{isots}]][[info]][[gc,heap]] [Heap region size: {small}M|Minimum heap {int}M  Initial heap {int}M  Maximum heap {int}M|Using G1|Heap address: 0x{hex8}, size: {int} MB, Compressed Oops mode: Zero based]'),
    (RU, "java-app", '[GC pause (G1 Evacuation Pause) (young) {int}M->{int}M({int}M), {float} secs|[[Full GC (Ergonomics)]]  {int}K->{int}K({int}K), [[Metaspace: {int}K->{int}K({int}K)]], {float} secs]'),
    (RU, "java-app", '[[{isots}]][[info]][[safepoint]] Safepoint "[G1CollectForAllocation|Cleanup|ICBufferFull]", Time since last: {int} ns, Reaching safepoint: {int} ns, At safepoint: {int} ns, Total: {int} ns'),
    (RU, "go-app", 'gc {int} @{float}s {small}%: {float}+{float}+{float} ms clock, {int}->{int}->{int} MB, {int} MB goal, {small} P'),
    (RU, "python-app", 'Memory footprint after {int} requests: rss={mb}MiB, gc generations collected=({int}, {int}, {small})'),
    (CE, "java-app", '[[{isots}]][[error]][[gc]] java.lang.OutOfMemoryError: [GC overhead limit exceeded|Java heap space|Metaspace]; JVM terminating, all requests dropped'),
    (ER, "java-app", 'Request {req} aborted: java.lang.OutOfMemoryError: Requested array size exceeds VM limit while building export {file}'),
    (SN, "java-app", '[[{isots}]][[info]][[gc]] [Using G1|Periodic GC disabled|Concurrent Mark Cycle {ms}ms|Concurrent Cleanup for Next Mark {ms}ms]'),
]

# Failover and locks: a service that loses its failover peer or cannot take its data lock is down.
_FAILOVER: list[tuple[str, str, str]] = [
    (CE, "dhcpd", 'failover peer {word}: I move from normal to [communications-interrupted|partner-down]'),
    (SN, "dhcpd", 'failover peer {word}: I move from [recover|startup|communications-interrupted|recover-done] to normal'),
    (SN, "dhcpd", '[DHCPACK on {ip} to {mac} via {iface}|balancing pool {hex8} {small}  total {int}  free {int}  backup {int}  lts {small}  max-own (+/-){small}|Sending updates to {word}.]'),
    (ER, "dhcpd", '[DHCPDISCOVER from {mac} via {iface}: network {ip}/24: no free leases|Failover CONNECT to {ip} rejected: Unknown failover peer; retrying]'),
    (CE, "opensearch", '[uncaught exception in thread [[main]]; failed to obtain node locks, tried [[{mount}]]; maybe these locations are not writable or multiple nodes were started on the same data path|Fatal error: the node cannot start because the data path {mount} is locked by another process]'),
    (CE, "kafka-broker", 'Failed to acquire lock on file .lock in {mount}. A Kafka instance in another process or thread is using this directory; broker exiting'),
    (CE, "mongod", 'Unable to lock the lock file: {mount}/mongod.lock (Resource temporarily unavailable). Another mongod instance is already running; exiting'),
    (CE, "keepalived", 'VRRP_Instance(VI_{small}) lost its peer and entered FAULT state; virtual IP {ip} removed'),
]

TEMPLATES += _LISTEN_ADDRESSES + _PERMISSIONS + _RUNTIMES + _FAILOVER

# Permission and authorisation denials across many systems: the caller lacks a permission, role,
# scope, privilege, capability or ACL entry and the access is refused (or the output limited) -
# Security Alert, whatever the emitter. Next to each, the routine path: a permission or role
# granted/bound by an administrator is User Action; an access check that passes is System
# Notification.
_ANDROID_API = ('[getActiveSubscriptionInfoList|getNetworkStatsSummary|getRunningServices|getConfiguredNetworks|'
                'getScanResults|queryIntentServices|getLine1Number|getAllCellInfo|listenForSubscriber|getHistoricalOps|'
                'getWifiApConfiguration|getPrimaryClip|registerNetworkCallback|getCallState|getServiceState]')
_ANDROID_PERM = ('android.permission.[READ_PRIVILEGED_PHONE_STATE|MANAGE_USERS|BLUETOOTH_CONNECT|ACCESS_NETWORK_STATE|'
                 'NETWORK_SETTINGS|READ_SMS|WRITE_SECURE_SETTINGS|CHANGE_WIFI_STATE|GET_APP_OPS_STATS|'
                 'LOCAL_MAC_ADDRESS|READ_CALL_LOG|MODIFY_PHONE_STATE|ACCESS_BACKGROUND_LOCATION|NEARBY_WIFI_DEVICES]')
_ANDROID_API_2 = ('[getRecentTasks|getAppTasks|getRunningServices|getProcessMemoryInfo|getPackagesForUid|'
                  'getInstalledApplications|getAllProviders|getHistoricalStats|queryEvents|getDetailedState]')
_ANDROID_PERM_BARE = ('[GET_TASKS|INTERACT_ACROSS_USERS_FULL|PACKAGE_USAGE_STATS|READ_PHONE_STATE|DUMP|MANAGE_ACTIVITY_STACKS|'
                      'GET_DETAILED_TASKS|READ_LOGS|CONNECTIVITY_INTERNAL|QUERY_ALL_PACKAGES|MANAGE_APP_OPS_MODES]')
_PERMISSION_DENIALS: list[tuple[str, str, str]] = [
    (SA, "android", _ANDROID_API + ': calling uid {uid} [has not been granted|is missing|was not granted] ' + _ANDROID_PERM + '[; returning empty list|; filtering results|, result truncated|; request ignored|]'),
    (SA, "android", 'java.lang.SecurityException: ' + _ANDROID_API + ': Neither user {uid} nor current process has ' + _ANDROID_PERM + '.'),
    (SA, "android", 'Permission Denial: [broadcasting Intent|starting Intent|bindService|opening provider com.{word}.{word}.DataProvider|getContentProviderExternal] [{{ act=android.intent.action.BOOT_COMPLETED flg=0x{hex8} }} |{{ act=android.intent.action.SEND flg=0x{hex8} }} |]from [com.{word}.{word}|pid={pid}] (pid={pid}, uid={uid}) requires ' + _ANDROID_PERM),
    (SA, "android", 'PermissionMonitor: uid {uid} ([com.{word}.{word}|shared:{word}]) tried ' + _ANDROID_API + ' without ' + _ANDROID_PERM + ', call rejected'),
    (SA, "apparmor", 'audit: type=1400 apparmor="DENIED" operation="capable" [profile="snap.{word}.{word}"|profile="/usr/bin/{word}"|profile="docker-default"] pid={pid} comm="{word}" capability={small}  capname="[sys_admin|net_admin|dac_override|sys_ptrace]"'),
    (SA, "apparmor", 'audit: type=1400 apparmor="DENIED" operation="[ptrace|signal|sendmsg]" [profile="snap.{word}.{word}"|profile="/usr/bin/{word}"|profile="docker-default"] pid={pid} comm="{word}" requested_mask="[read|send|trace]" denied_mask="[read|send|trace]" peer="unconfined"'),
    (SA, "selinux", 'SELinux is preventing [/usr/sbin/{word}|/usr/bin/{word}|{word}] from [read|write|getattr|open|name_bind|connectto|execute] access on the [file|directory|tcp_socket port {port}|unix_stream_socket|sock_file] [{path}|{file}|{mount}].'),
    (SA, "selinux", 'type=AVC msg=audit({int}.{small}:{int}): avc:  denied  {{ [create|unlink|search|name_bind|transition|setattr] }} for  pid={pid} comm="{word}" [name="{file}"|src={port}|path="{path}"] scontext=system_u:system_r:[container_t|sshd_t|named_t|mysqld_t]:s0 tcontext=[unconfined_u:object_r:user_home_t|system_u:object_r:etc_t|system_u:object_r:var_lib_t]:s0 tclass=[dir|file|capability|process] permissive=0'),
    (SA, "windows", 'A required privilege is not held by the client. [SeBackupPrivilege|SeDebugPrivilege|SeSecurityPrivilege|SeTcbPrivilege|SeImpersonatePrivilege|SeLoadDriverPrivilege] requested by [{user}|NT AUTHORITY\\LOCAL SERVICE] for [{word}.exe|process {pid}]; operation refused'),
    (SA, "windows", '[System.UnauthorizedAccessException|Win32Exception (0x80004005)|HRESULT 0x80070005 (E_ACCESSDENIED)]: Access [to the path \'{winpath}\' |to the registry key \'HKEY_LOCAL_MACHINE\\SOFTWARE\\{word}\' |]is denied for [{user}|the service account {user}]'),
    (SA, "auditd-win", 'Event 4673: A privileged service was called; Privileges: [SeTcbPrivilege|SeCreateTokenPrivilege|SeTakeOwnershipPrivilege]; Account Name: {user}; Process: {winpath}; Audit Failure'),
    (SA, "kube-apiserver", '[Error from server (Forbidden): |]{word}.[apps|batch|networking.k8s.io|rbac.authorization.k8s.io] "{word}" is forbidden: User "[{user}|system:serviceaccount:{namespace}:{word}|{email}]" cannot [patch|create|watch|escalate|impersonate|update] resource "[deployments|cronjobs|networkpolicies|rolebindings|serviceaccounts]" in API group "[apps|batch|networking.k8s.io|rbac.authorization.k8s.io]" [in the namespace "{namespace}"|at the cluster scope]'),
    (SA, "kube-apiserver", 'RBAC [DENY|denied]: user "[{user}|system:serviceaccount:{namespace}:{word}]" groups=[[system:authenticated system:serviceaccounts]] cannot "[get|list|delete|create]" resource "[secrets|pods/exec|nodes/proxy|configmaps]" named "{word}"[ cluster-wide| in namespace "{namespace}"]'),
    (SA, "k8s-events", 'admission webhook "[{word}.policy.example.com|validate.gatekeeper.sh|kyverno-resource-validating]" denied the request: service account {namespace}/{word} is not [allowed|permitted] to [create privileged pods|mount hostPath volumes|use the host network|bind cluster-admin]'),
    (SA, "gcp", 'PERMISSION_DENIED: Permission \'[storage.objects.get|bigquery.tables.getData|pubsub.topics.publish|secretmanager.versions.access|compute.instances.delete|iam.serviceAccounts.actAs]\' denied on resource \'[projects/{word}-{small}|//storage.googleapis.com/projects/_/buckets/{bucket}]\' (or it may not exist)[ for principal {email}|]'),
    (SA, "azure-ad", 'AuthorizationFailed: The client \'[{email}|{uuid}]\' with object id \'{uuid}\' does not have authorization to perform action \'Microsoft.[Compute/virtualMachines/write|Storage/storageAccounts/listKeys/action|KeyVault/vaults/secrets/read|Network/networkSecurityGroups/delete]\' over scope \'/subscriptions/{uuid}/resourceGroups/{word}-rg\' or the scope is invalid'),
    (SA, "aws", '[An error occurred (AccessDeniedException): |AccessDeniedException: |]User: arn:aws:sts::{num}:assumed-role/{word}-[role|task|lambda]/{user} is not authorized to perform: [sqs:SendMessage|dynamodb:PutItem|lambda:InvokeFunction|secretsmanager:GetSecretValue|sts:AssumeRole] on resource: arn:aws:[sqs|dynamodb|lambda|secretsmanager]:{region}:{num}:{word}[ with an explicit deny in a service control policy| with an explicit deny in a resource-based policy| because no permissions boundary allows it|]'),
    (SA, "s3", '[GetObject|PutObject|DeleteObject|ListBucket] s3://{bucket}/{file} refused: 403 AccessDenied for principal [{user}|arn:aws:iam::{num}:role/{word}] (bucket policy denies [cross-account|unencrypted|non-VPC] access)'),
    (SA, "postgres", '[ERROR|FATAL]:  permission denied for [table|schema|sequence|function|view|database] {table}[ (user {user})|]'),
    (SA, "postgres", 'ERROR:  must be owner of [table|relation|database] {table}[; role {user} may not alter it|]'),
    (SA, "postgres", 'ERROR:  permission denied to [create role|create database|create extension "{word}"|set parameter "{word}"|terminate process {pid}][ for role {user}|]'),
    (SA, "mysql", "[ERROR 1142 (42000): |][SELECT|INSERT|DELETE|DROP|ALTER|UPDATE] command denied to user '{user}'@'[{ip}|localhost|%]' for table [`{db}`.`{table}`|'{table}']"),
    (SA, "mariadb", "Access denied; you need (at least one of) the [SUPER|PROCESS|RELOAD|REPLICATION CLIENT|CREATE USER|BINLOG ADMIN] privilege(s) for this operation [(user '{user}'@'{ip}')|]"),
    (SA, "mssql", "[Msg 229, Level 14, State 5: |]The [SELECT|EXECUTE|INSERT|ALTER|VIEW SERVER STATE] permission was denied on the [object '{table}', database '{db}', schema 'dbo'|server] for login '{user}'."),
    (SA, "oracle-db", 'ORA-01031: insufficient privileges[ while executing ALTER SYSTEM| for CREATE ANY TABLE| for DROP USER| to GRANT ANY ROLE|][ (user {user})|]'),
    (SA, "mongod", '[command {db}.$cmd|Unauthorized:] not authorized on {db} to execute command {{ [find|insert|dropDatabase|createUser|update]: "{table}", $db: "{db}" }}[ by user {user}|]'),
    (SA, "kafka", 'org.apache.kafka.common.errors.[TopicAuthorizationException: Not authorized to access topics: [[{topic}]]|GroupAuthorizationException: Not authorized to access group: {word}-consumers|ClusterAuthorizationException: Cluster authorization failed] for principal User:{user}'),
    (SA, "rabbitmq-broker", "[access to|operation basic.publish on] [exchange|queue] '{queue}' in vhost '{vhost}' refused for user '{user}'[: write permission denied|: configure access denied|]"),
    (SA, "mosquitto", 'Denied [PUBLISH|SUBSCRIBE] from {word}-{small} (d0, q[0|1], r0, m{small}, \'{topic}\'): client user {user} not permitted by ACL'),
    (SA, "nats", '[Publish|Subscription] Violation - [User|Account] "{user}", Subject "{topic}"[, permissions deny this subject|]'),
    (SA, "python-app", '[PermissionError: [[Errno 13]] Permission denied|EACCES]: \'{path}\' - service account {user} (uid {uid}) [may not read|cannot write to|is not allowed into] [{mount}|the directory|this file]'),
    (SA, "node-app", 'Error: EACCES: permission denied, [open|mkdir|unlink|scandir|rename] \'{path}\' (running as [{user}|uid {uid}], owner root, mode 0[600|640|700])'),
    (SA, "sudo", 'Sorry, user {user} is not allowed to execute \'/usr/bin/[systemctl restart {service}|apt-get install {word}|cat /etc/shadow|tcpdump -i any]\' as root on {host}.'),
    (SA, "sudo", '{user} : command not allowed ; TTY=pts/{small} ; PWD={path} ; USER=root ; COMMAND=/usr/bin/[{word}|systemctl stop {service}|chmod 777 {path}]'),
    (SA, "dbus", 'polkitd[[{pid}]]: Operation [org.freedesktop.systemd1.manage-units|org.freedesktop.login1.reboot|org.freedesktop.NetworkManager.settings.modify.system|org.freedesktop.udisks2.filesystem-mount-system] [not authorized|denied] for [unix-process:{pid}:{int}|unix-user:{user}] (uid={uid})'),
    (SA, "dbus", 'Rejected send message, {small} matched rules; type="method_call", sender=":1.{int}" (uid={uid} pid={pid} comm="{word}") interface="org.freedesktop.[systemd1.Manager|login1.Manager|NetworkManager]" member="[StartUnit|PowerOff|Reboot|Enable]" error name="(unset)" requested_reply="0"'),
    (SA, "api-gateway", '[403 Forbidden|insufficient_scope]: [token for client {word}-{small}|access token of {appuser}|API key {hex8}] [lacks|does not include|is missing] [the |]scope "[orders:write|admin:users|billing.read|repo:delete|payments.refund|reports:export]" required by {method} {uri}'),
    (SA, "graphql", 'Not authorised to access field "[salary|ssn|apiKeys|bankAccount|auditLog]" on type "[Employee|Account|Customer|Organisation]": requires role [HR_ADMIN|OWNER|AUDITOR], {appuser} has [VIEWER|MEMBER|GUEST]'),
    (SA, "java-app", '[org.springframework.security.access.AccessDeniedException: Access is denied|Authorization denied] for principal [{user}|{appuser}] on [{method} {uri}|{java_class}.{word}()]: missing authority [ROLE_ADMIN|ROLE_FINANCE|SCOPE_write|ROLE_OPERATOR]'),
    (SA, "dotnet-app", 'Authorization failed. These requirements were not met: RolesAuthorizationRequirement:User.IsInRole must be true for one of the following roles: ([Admin|Manager|Billing]) (user {appuser})'),
    (SA, "dotnet-app", 'Authorization failed. ClaimsAuthorizationRequirement:Claim.Type=scope and Claim.Value is one of the following values: ([api.write|orders.manage|admin]) not met for {appuser}'),
    (SA, "jenkins", '{user} is missing the [Overall/Administer|Job/Build|Job/Configure|Credentials/View|Run/Delete] permission[ on {word}-pipeline|]'),
    (SA, "gitlab", 'GitLab: You are not allowed to push code to protected branches on this project. ({user} -> {word}/{word})'),
    (SA, "gitlab", 'Push rejected: {user} does not have [Maintainer|Owner|Developer] access to {word}/{word}'),
    (SA, "gitlab", '403 Forbidden - {user} is not allowed to [delete|merge into|approve] [main|release-{small}] in {word}/{word}'),
    (SA, "consul", 'agent: Permission denied: token with AccessorID \'{uuid}\' lacks permission \'[service:write|key:read|node:write|operator:read|acl:write]\' on "{word}"'),
    (SA, "samba", 'smbd[[{pid}]]: [{user} is not permitted to access share \\\\{host}\\{word}|tree connect to \\\\{host}\\{word} by {user} failed]: NT_STATUS_ACCESS_DENIED'),
    (SA, "ldap", 'conn={int} op={small} RESULT tag=[103|105|107] err=50 text=Insufficient access[: no write access to parent|: {user} may not modify attribute userPassword|: {user} may not modify attribute memberOf|]'),
    (SA, "ios", '[{word}d|com.{word}.{word}][[{pid}]]: Sandbox: {word}({pid}) deny(1) [file-read-data|mach-lookup|network-outbound] {path}'),
    (SA, "ios", '[{word}d|com.{word}.{word}][[{pid}]]: Missing entitlement com.apple.developer.[healthkit|icloud-container-identifiers|networking.wifi-info|contacts.notes]; access refused'),
    (SA, "crm", '{appuser} [is not permitted to|lacks permission to|has no right to] [export contacts|view opportunity {num}|delete account {customer}|change the price book] (required permission: [contact.export|opportunity.read|account.delete|pricebook.edit]); access refused'),
    (SA, "hr", 'Access to [salary history|performance review|bank details] of [employee|worker] {num} denied: {appuser} holds role [Employee|Team Lead|Recruiter], [HR Admin|Payroll Officer] required'),
    (SA, "docker", 'Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: [user {user} is not in the docker group|dial unix /var/run/docker.sock: connect: permission denied]'),
    (SA, "android", _ANDROID_API_2 + ': caller [uid |]{uid} [does not hold|lacks|is not holding|has no] [permission |]' + _ANDROID_PERM_BARE + '[; limiting results|; output restricted|; returning a filtered list|, results limited to the caller|; hiding other packages|]'),
    (SA, "android", '[ActivityManager|ActivityTaskManager|AppOpsService]: ' + _ANDROID_API_2 + ' called by uid {uid} without ' + _ANDROID_PERM_BARE + '[, restricting to own tasks|, only own processes returned|; denied]'),
    # routine path: grants and bindings by an administrator (User Action), checks that pass (System Notification)
    (UA, "android", '[Granted|Revoked] runtime permission ' + _ANDROID_PERM + ' [to|from] com.{word}.{word} [for user {small}|after user confirmation|from the settings screen]'),
    (SN, "android", _ANDROID_API + ': calling uid {uid} holds ' + _ANDROID_PERM + '[; returning {small} entries|, access allowed|]'),
    (SN, "android", _ANDROID_API_2 + ': caller {uid} holds ' + _ANDROID_PERM_BARE + '[; full list returned|; {small} entries|]'),
    (UA, "kube-apiserver", '[rolebinding|clusterrolebinding].rbac.authorization.k8s.io/{word}-[reader|editor|admin|deployer] [created|configured] [for user {user}|for serviceaccount {namespace}:{word}|for group {group}]'),
    (SN, "kube-apiserver", 'RBAC: allowed by [ClusterRoleBinding|RoleBinding] "{word}" of [ClusterRole|Role] "[view|edit|admin|{word}-reader]" to [User "{user}"|ServiceAccount "{word}/{namespace}"|Group "{group}"]'),
    (UA, "gcp", 'SetIamPolicy: {email} [granted|added binding] roles/[viewer|storage.objectViewer|bigquery.dataEditor|pubsub.publisher] [to|for] [serviceAccount:{word}@{word}.iam.gserviceaccount.com|user:{email}] on projects/{word}-{small}'),
    (UA, "aws", '[AttachRolePolicy|AttachUserPolicy|AddUserToGroup|PutRolePolicy] by {user}: policy arn:aws:iam::aws:policy/[ReadOnlyAccess|AmazonS3ReadOnlyAccess|CloudWatchLogsFullAccess] attached to [role|user|group] {word}'),
    (UA, "azure-ad", 'Add member to role completed: {email} assigned [Reader|Contributor|Key Vault Secrets User|Storage Blob Data Reader] on /subscriptions/{uuid}/resourceGroups/{word}-rg by {email}'),
    (UA, "postgres", 'LOG:  statement: GRANT [SELECT|SELECT, INSERT, UPDATE|USAGE|EXECUTE] ON [TABLE {table}|SCHEMA {word}|ALL TABLES IN SCHEMA public] TO {user}'),
    (UA, "postgres", 'LOG:  statement: ALTER DEFAULT PRIVILEGES IN SCHEMA {word} GRANT SELECT ON TABLES TO {user}'),
    (UA, "mysql", "GRANT [SELECT|SELECT, INSERT|ALL PRIVILEGES|PROCESS] ON [{db}.*|`{db}`.`{table}`] TO '{user}'@'[%|{ip}|localhost]' [executed by|issued by] '{user}'@'{ip}'"),
    (UA, "kafka", 'Added ACLs for resource `ResourcePattern(resourceType=[TOPIC|GROUP], name={topic}, patternType=LITERAL)`: (principal=User:{user}, host=*, operation=[READ|WRITE|DESCRIBE], permissionType=ALLOW)'),
    (SN, "kafka-broker", 'Principal = User:{user} is Allowed Operation = [Read|Write|Describe] from host = {ip} on resource = [Topic|Group]:LITERAL:{topic}'),
    (SN, "mosquitto", 'ACL check passed: client {word}-{small} (user {user}) may [publish|subscribe] to \'{topic}\''),
    (UA, "selinux", 'SELinux boolean [httpd_can_network_connect|container_manage_cgroup|samba_enable_home_dirs|nis_enabled] set to [on|off] by {user} (setsebool -P)'),
    (SN, "dbus", 'polkitd[[{pid}]]: Registered Authentication Agent for unix-session:{small} (system bus name :1.{int}, locale en_US.UTF-8)'),
    (SN, "dbus", 'polkitd[[{pid}]]: Operation [org.freedesktop.systemd1.manage-units|org.freedesktop.login1.reboot] authorized for unix-user:{user} by rule {small}'),
    (SN, "api-gateway", '[token for client {word}-{small}|access token of {appuser}] carries scope "[orders:write|billing.read|reports:export]"; {method} {uri} allowed'),
    (UA, "jenkins", 'Granted [Job/Build|Overall/Read|Job/Configure] to {user} [in project matrix of {word}-pipeline|globally] by {user}'),
    (UA, "gitlab", '{user} was [given|granted] [Developer|Maintainer|Reporter] access to {word}/{word} by {user}[, expires {date}|]'),
    (UA, "crm", '{appuser} [added|removed] permission [contact.export|opportunity.read|pricebook.edit] [to|from] profile "[Sales Rep|Sales Manager|Support]"'),
    (SN, "java-app", 'Authorization granted for principal [{user}|{appuser}] on [{method} {uri}|{java_class}.{word}()] (authority [ROLE_ADMIN|ROLE_USER|SCOPE_read])'),
]

# Short application lines named after the callback or function that ran, as mobile and web
# apps write them: a "...Failed"/"onXFail" callback is one operation failing (Error); its
# "...Success"/"onXComplete" counterpart is a routine event (System Notification).
_VERB = '[sync|upload|download|fetch|save|load|refresh|send|parse|decode|register|update|submit|query|resolve|prefetch|restore]'
_VERB_CAP = '[Sync|Upload|Download|Fetch|Save|Load|Refresh|Send|Parse|Decode|Register|Update|Submit|Query|Resolve|Prefetch|Restore]'
_NOUN = '[Data|Profile|Image|Avatar|Cart|Feed|Settings|Contacts|Photo|Message|Report|Device|Config|Location|Media|Draft|Steps|Record|Thumbnail|]'
_CALLBACKS: list[tuple[str, str, str]] = [
    (ER, "mobile-app", _VERB + _NOUN + '[Failed|Failure|Error|Fail|FailedCallback|Failed2]'),
    (ER, "android", '[on|handle|do]' + _VERB_CAP + _NOUN + '[Failed|Fail|Failure|Error]' + '[: code=-{small}|, errCode {small}| reason=timeout| {exception}| null response| retry {small}/3|(): {small}|]'),
    (ER, "ios", '[[{word}Manager]] ' + _VERB + _NOUN + '[Failed|DidFail|FailedWithError]: [The operation couldn\'t be completed.|NSURLErrorDomain -{small}|request timed out|error {small}|nil result]'),
    (ER, "healthapp", '[Step_{word}|HiH_{word}]|' + _VERB + _NOUN + '[Failed|Fail|Error][ ret={small}| errorCode=-{small}| timeout|]'),
    (ER, "node-app", '[{word}Service|{word}Store|worker] ' + _VERB + _NOUN + '[Failed|Error]: [{exception}|ETIMEDOUT|unexpected response {status5}|invalid payload|ECONNRESET]'),
    (ER, "java-app", '[{java_class}|{word}Callback] - on' + _VERB_CAP + _NOUN + '[Failed|Failure|Error] [for id {num}|after {ms} ms|, will retry|]'),
    (ER, "healthapp", '[send|post|notify|dispatch|emit|broadcast]' + _VERB_CAP + _NOUN + '[Failed|Fail|Error][Broadcast|Event|Message|Notification|Intent|ToServer|]'),
    (ER, "android", '[send|post|notify|dispatch|emit|broadcast]' + _VERB_CAP + _NOUN + '[Failed|Fail|Error][Broadcast|Event|Message|Notification|Intent|ToServer|][ code={small}|]'),
    (SN, "mobile-app", _VERB + _NOUN + '[Success|Succeeded|Completed|Done|SuccessCallback|Finished|Ok]'),
    (SN, "android", '[on|handle|do]' + _VERB_CAP + _NOUN + '[Success|Complete|Completed|Done|Finished]' + '[: {small} items| in {ms}ms| code=0|(): ok|]'),
    (SN, "ios", '[[{word}Manager]] ' + _VERB + _NOUN + '[DidFinish|Succeeded|Completed][: {small} objects| in {ms} ms|]'),
    (SN, "healthapp", '[Step_{word}|HiH_{word}]|' + _VERB + _NOUN + '[Success|Done|Ok][ ret=0| total={int}|]'),
    (SN, "node-app", '[{word}Service|{word}Store|worker] ' + _VERB + _NOUN + '[Done|Completed|Succeeded][ in {ms}ms|: {small} records|]'),
    (SN, "java-app", '[{java_class}|{word}Callback] - on' + _VERB_CAP + _NOUN + '[Success|Complete|Completed] [for id {num}|after {ms} ms|]'),
]

_CALLBACKS += [
    (SN, "healthapp", '[send|post|notify|dispatch|emit|broadcast]' + _VERB_CAP + _NOUN + '[Success|Succeeded|Completed|Done|Ok][Broadcast|Event|Message|Notification|Intent|ToServer|]'),
    (SN, "android", '[send|post|notify|dispatch|emit|broadcast]' + _VERB_CAP + _NOUN + '[Success|Succeeded|Completed|Done][Broadcast|Event|Message|Notification|Intent|ToServer|][ code=0|]'),
    # other exceptions and measurements of the same apps keep their own categories
    (ER, "android", 'java.lang.[IllegalStateException|NullPointerException|IllegalArgumentException|IndexOutOfBoundsException|UnsupportedOperationException]: [Fragment {word} not attached to a context|Attempt to invoke a virtual method on a null object reference|index {small} out of range|view {word} has no parent] in com.{word}.{word}[ (pid {pid})|]'),
    (ER, "android", '[Invalid|Stale|Unknown] [window|activity|binder] token {hex8} for com.{word}.{word}; [ignoring request|call dropped|activity not resumed]'),
    (RU, "android", 'BatteryService: level={small} voltage={int}mV temperature={small}0 current={int}uA[ plugged={small}|]'),
    # a function logging that it starts is routine too
    (SN, "healthapp", '[start|begin|on]' + _VERB_CAP + _NOUN + '[Start|Started|Begin|] [{word}Option = {small}|type = {int}|mode={small}, scope={small}|({small} items)|]'),
    (SN, "android", '[start|begin|on]' + _VERB_CAP + _NOUN + '[Start|Started|Begin|][ id={num}| reason={word}|]'),
]

TEMPLATES += _PERMISSION_DENIALS + _CALLBACKS
