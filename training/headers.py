"""Line headers of real log formats, and the table of systems that use them.

A template is only the message part of a log line. Real lines often carry a header in the
format of the system that wrote them (syslog, log4j, klog, ...). ``wrap`` puts such a header
around a message; the severity word in the header follows an abstract ``level`` ("info",
"warn", "error", "crit") chosen from the category, so a routine line never says ERROR.

``SYSTEMS`` maps a template's ``system`` to its ``source`` column value(s), the header formats
the system writes, the program names used in syslog-like headers and the logger names used in
application-log headers. A system that is not in the table gets a generic profile whose source
is the system name itself.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from training import fakers

Level = str  # "info" | "warn" | "error" | "crit"
LEVELS: tuple[Level, ...] = ("info", "warn", "error", "crit")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime(2015, 1, 1)


@dataclass(frozen=True)
class SystemProfile:
    """How one kind of system names itself and formats its line headers."""

    sources: tuple[str, ...]
    styles: tuple[str, ...]
    programs: tuple[str, ...] = ()
    loggers: tuple[str, ...] = ()


def _profile(sources: str | tuple[str, ...], styles: str, programs: str = "", loggers: str = "") -> SystemProfile:
    return SystemProfile(
        sources=(sources,) if isinstance(sources, str) else sources,
        styles=tuple(styles.split()),
        programs=tuple(programs.split()),
        loggers=tuple(loggers.split()),
    )


_SYSLOG = "syslog syslog rfc5424 journal"
_APP_JAVA = "log4j log4j_b json logfmt"
_APP_PY = "pylog pylog_b json logfmt"
_APP_GENERIC = "log4j pylog json logfmt plain_bracket plain"

SYSTEMS: dict[str, SystemProfile] = {
    # --- Linux host ---
    "sshd": _profile("OpenSSH", _SYSLOG, "sshd"),
    "pam": _profile("Linux", _SYSLOG + " thunderbird", "sshd login su sudo crond systemd-user"),
    "systemd": _profile("Linux", _SYSLOG, "systemd"),
    "systemd-logind": _profile("Linux", _SYSLOG, "systemd-logind"),
    "cron": _profile("Linux", _SYSLOG + " thunderbird", "CRON crond anacron"),
    "kernel": _profile("Linux", "syslog_kernel syslog_kernel journal thunderbird", "kernel"),
    "networkmanager": _profile("Linux", _SYSLOG, "NetworkManager"),
    "dhclient": _profile("Linux", _SYSLOG, "dhclient dhcpcd systemd-networkd"),
    "ntp": _profile("Linux", _SYSLOG, "ntpd chronyd systemd-timesyncd"),
    "logrotate": _profile("Linux", _SYSLOG, "logrotate"),
    "packages": _profile("Linux", _SYSLOG + " plain", "apt unattended-upgrade yum dnf packagekitd"),
    "sudo": _profile("Linux", _SYSLOG, "sudo"),
    "useradd": _profile("Linux", _SYSLOG, "useradd"),
    "passwd": _profile("Linux", _SYSLOG, "passwd"),
    "auditd": _profile("Linux", _SYSLOG, "auditd audispd"),
    "postfix": _profile(("Postfix", "Linux"), _SYSLOG, "postfix/smtpd postfix/qmgr postfix/cleanup"),
    "vsftpd": _profile(("vsftpd", "Linux"), _SYSLOG, "vsftpd"),
    "openvpn": _profile("OpenVPN", _SYSLOG, "openvpn ovpn-server"),
    # --- web ---
    "nginx": _profile(("nginx", "Nginx"), "nginx_error syslog cri json", "nginx"),
    "apache": _profile(("Apache", "Apache httpd"), "apache_error syslog cri", "httpd apache2"),
    "haproxy": _profile("HAProxy", "syslog syslog rfc5424", "haproxy"),
    "envoy": _profile(("Envoy", "Istio"), "envoy cri json", "envoy"),
    "traefik": _profile("Traefik", "logfmt cri json", "traefik"),
    "iis": _profile(("IIS", "Windows"), "plain", "w3svc"),
    "elb": _profile(("AWS ELB", "AWS"), "plain", "elb"),
    "api-gateway": _profile(("APIGateway", "ThirdPartyAPI"), "json logfmt plain_bracket", "gateway",
                            "gateway.access api.gateway kong.access"),
    # --- cloud ---
    "aws": _profile("AWS", "json plain_bracket plain", "aws", "cloudwatch ec2 autoscaling s3 lambda"),
    "nova": _profile("OpenStack", "oslo oslo oslo json", "nova-compute nova-api",
                     "nova.compute.manager nova.compute.resource_tracker nova.osapi_compute.wsgi.server "
                     "nova.virt.libvirt.driver nova.scheduler.host_manager nova.metadata.wsgi.server nova.compute.claims"),
    "neutron": _profile("OpenStack", "oslo oslo json", "neutron-server",
                        "neutron.wsgi neutron.agent.dhcp.agent neutron.plugins.ml2.plugin neutron.agent.l3.agent"),
    "cinder": _profile("OpenStack", "oslo oslo json", "cinder-volume",
                       "cinder.volume.manager cinder.scheduler.host_manager cinder.api.openstack.wsgi"),
    "keystone": _profile("OpenStack", "oslo oslo json", "keystone",
                         "keystone.common.wsgi keystone.token.provider keystone.server.flask.application"),
    "glance": _profile("OpenStack", "oslo oslo", "glance-api", "glance.api.v2.images eventlet.wsgi.server glance.registry"),
    # --- containers ---
    "kubelet": _profile("Kubernetes", "klog klog journal", "kubelet",
                        "kubelet.go kuberuntime_manager.go pod_workers.go eviction_manager.go reconciler.go "
                        "prober.go kubelet_node_status.go server.go volume_manager.go"),
    "kube-apiserver": _profile("Kubernetes", "klog klog cri", "kube-apiserver",
                               "httplog.go controller.go storage_flowcontrol.go warnings.go alloc.go healthz.go"),
    "k8s-controller": _profile("Kubernetes", "klog cri", "kube-controller-manager kube-scheduler",
                               "event.go replica_set.go deployment_controller.go leaderelection.go "
                               "scheduler.go garbagecollector.go"),
    "k8s-events": _profile("Kubernetes", "plain", "kubectl"),
    "docker": _profile("Docker", "logfmt logfmt journal", "dockerd"),
    "containerd": _profile(("containerd", "Docker"), "logfmt journal", "containerd"),
    "istio": _profile("Istio", "envoy cri json", "istiod"),
    "helm": _profile("Kubernetes", "plain logfmt", "helm tiller"),
    "argocd": _profile("ArgoCD", "logfmt json", "argocd-application-controller"),
    # --- big data ---
    "hdfs": _profile("HDFS", "hdfs_loghub hdfs_loghub log4j", "hdfs",
                     "dfs.DataNode dfs.DataNode$PacketResponder dfs.DataNode$DataXceiver dfs.FSNamesystem "
                     "dfs.DataBlockScanner org.apache.hadoop.hdfs.server.namenode.FSNamesystem "
                     "org.apache.hadoop.hdfs.server.datanode.DataNode org.apache.hadoop.hdfs.StateChange"),
    "yarn": _profile("Hadoop", "log4j log4j_b", "yarn",
                     "org.apache.hadoop.yarn.server.resourcemanager.RMAuditLogger "
                     "org.apache.hadoop.yarn.server.nodemanager.containermanager.ContainerManagerImpl "
                     "org.apache.hadoop.yarn.server.resourcemanager.scheduler.capacity.CapacityScheduler "
                     "org.apache.hadoop.mapreduce.v2.app.MRAppMaster org.apache.hadoop.mapred.TaskAttemptListenerImpl "
                     "org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMAppImpl"),
    "spark": _profile("Spark", "spark spark log4j", "spark",
                      "executor.Executor scheduler.TaskSetManager scheduler.DAGScheduler storage.BlockManager "
                      "storage.MemoryStore spark.SecurityManager executor.CoarseGrainedExecutorBackend "
                      "scheduler.TaskSchedulerImpl spark.SparkContext util.Utils"),
    "zookeeper": _profile("Zookeeper", "zookeeper zookeeper log4j", "zookeeper",
                          "NIOServerCnxnFactory@197 NIOServerCnxn@1001 FastLeaderElection@774 QuorumPeer@738 "
                          "ZooKeeperServer@617 Learner@323 LearnerHandler@330 FileTxnSnapLog@240 SessionTrackerImpl@162"),
    "kafka": _profile("Kafka", "kafka kafka log4j", "kafka",
                      "kafka.server.KafkaServer kafka.log.LogManager kafka.cluster.Partition "
                      "kafka.coordinator.group.GroupCoordinator kafka.controller.KafkaController kafka.log.LogCleaner"),
    "flink": _profile("Flink", "log4j", "flink", "org.apache.flink.runtime.checkpoint.CheckpointCoordinator "
                      "org.apache.flink.runtime.executiongraph.ExecutionGraph org.apache.flink.runtime.jobmaster.JobMaster"),
    "airflow": _profile("Airflow", "airflow pylog", "airflow",
                        "taskinstance.py:1234 scheduler_job.py:811 dagbag.py:536 local_task_job.py:156"),
    "hive": _profile("Hive", "log4j", "hiveserver2", "org.apache.hadoop.hive.ql.Driver org.apache.hive.service.cli.thrift.ThriftCLIService"),
    # --- databases ---
    "postgres": _profile("PostgreSQL", "postgres postgres syslog", "postgres"),
    "mysql": _profile("MySQL", "mysql mysql syslog", "mysqld"),
    "mongodb": _profile("MongoDB", "mongo mongo_legacy", "mongod",
                        "NETWORK STORAGE REPL COMMAND CONTROL INDEX SHARDING ACCESS WTCHKPT"),
    "redis": _profile("Redis", "redis redis syslog", "redis-server"),
    "elasticsearch": _profile(("Elasticsearch", "OpenSearch"), "elastic elastic json", "elasticsearch",
                              "o.e.c.r.a.DiskThresholdMonitor o.e.c.s.MasterService o.e.n.Node o.e.m.j.JvmGcMonitorService "
                              "o.e.c.m.MetadataCreateIndexService o.e.s.SnapshotsService o.e.g.GatewayService o.e.d.DeprecationLogger"),
    "cassandra": _profile("Cassandra", "log4j_b", "cassandra",
                          "CompactionTask.java:241 GCInspector.java:285 StorageService.java:1521 Gossiper.java:1037"),
    "rabbitmq": _profile("RabbitMQ", "rabbit", "rabbitmq-server"),
    "mssql": _profile(("SQL Server", "Windows"), "mssql", "sqlservr"),
    "oracle": _profile("Oracle", "plain_bracket plain", "oracle"),
    # --- HPC ---
    "bgl": _profile("BGL", "bgl", "bgl"),
    "hpc": _profile(("HPC", "Thunderbird"), "thunderbird syslog plain", "pbs_mom sshd ib_sm xinetd"),
    "slurm": _profile("Slurm", "slurm slurm syslog", "slurmctld slurmd"),
    "pbs": _profile("PBS", "pbs syslog", "pbs_server pbs_mom"),
    # --- desktop / mobile ---
    "windows": _profile("Windows", "winevent winevent plain", "EventLog",
                        "Service_Control_Manager Microsoft-Windows-Kernel-General Microsoft-Windows-Winlogon "
                        "Microsoft-Windows-Security-Auditing Microsoft-Windows-Time-Service Microsoft-Windows-Kernel-Power"),
    "cbs": _profile("Windows", "cbs cbs", "TrustedInstaller", "CBS CSI"),
    "windows-update": _profile("Windows", "winupdate winevent", "wuauclt",
                               "Microsoft-Windows-WindowsUpdateClient Agent Handler"),
    "macos": _profile(("Mac", "macOS"), "syslog syslog macos_unified", "kernel loginwindow configd mDNSResponder com.apple.xpc.launchd "
                      "sharingd softwareupdated backupd WindowServer Finder"),
    "android": _profile("Android", "logcat logcat", "android",
                        "ActivityManager ActivityManager PowerManagerService WindowManager PackageManager NetworkController ConnectivityService "
                        "dalvikvm art InputMethodManagerService StatusBar"),
    "healthapp": _profile("HealthApp", "healthapp", "healthapp", "Step_LSC Step_StandReportReceiver Step_SPUtils Step_ExtSDM HiH_HiHealthDataInsertStore"),
    # --- applications ---
    "java-app": _profile(("JavaApp", "SpringBoot"), _APP_JAVA, "java",
                         "com.example.orders.OrderService c.e.payments.PaymentController o.s.b.w.embedded.tomcat.TomcatWebServer "
                         "o.h.engine.jdbc.spi.SqlExceptionHelper com.zaxxer.hikari.HikariDataSource o.s.web.servlet.DispatcherServlet"),
    "python-app": _profile(("PythonApp", "Django", "Celery"), _APP_PY, "python",
                           "app.api.views app.workers.tasks django.request celery.worker.strategy uvicorn.access "
                           "gunicorn.glogging app.services.billing sqlalchemy.engine.Engine"),
    "node-app": _profile(("NodeApp", "Express"), "json json plain_bracket plain", "node", "server api worker http"),
    "go-app": _profile(("GoService", "Go"), "logfmt json plain", "server", "main http grpc worker"),
    "dotnet-app": _profile((".NET", "ASP.NET Core"), "dotnet json", "dotnet",
                           "Microsoft.AspNetCore.Hosting.Diagnostics Microsoft.Hosting.Lifetime Contoso.Api.Controllers.OrdersController"),
    "jenkins": _profile(("Jenkins", "CI"), "log4j_b plain_bracket", "jenkins",
                        "hudson.model.Run jenkins.InitReactorRunner hudson.model.AsyncPeriodicWork"),
    "gitlab": _profile(("GitLab", "CI"), "json plain_bracket", "gitlab-runner", "runner sidekiq workhorse"),
    "vault": _profile(("Vault", "HashiCorp"), "hashicorp", "vault", "core expiration storage.raft auth.approle"),
    "consul": _profile(("Consul", "HashiCorp"), "hashicorp", "consul", "agent agent.server raft agent.client serf"),
    "etcd": _profile("etcd", "json klog", "etcd", "etcdserver raft mvcc"),
    "prometheus": _profile(("Prometheus", "Grafana"), "logfmt", "prometheus", "tsdb rules notifier scrape"),
    "crm": _profile(("ModernCRM", "CRM"), _APP_GENERIC, "crm", "crm.leads crm.accounts crm.opportunities crm.sync"),
    "legacy-crm": _profile("LegacyCRM", "plain plain_bracket", "crm", "LegacyCRM"),
    "hr": _profile(("ModernHR", "HRSystem"), _APP_GENERIC, "hr", "hr.employees hr.payroll hr.leave hr.onboarding"),
    "billing": _profile(("BillingSystem", "Billing"), _APP_GENERIC, "billing",
                        "billing.invoices billing.payments billing.subscriptions billing.dunning"),
    "erp": _profile(("ERP", "SAP"), _APP_GENERIC, "erp", "erp.procurement erp.inventory erp.finance erp.mrp"),
    "analytics": _profile(("AnalyticsEngine", "Analytics"), _APP_GENERIC, "analytics",
                          "analytics.pipeline analytics.reports analytics.ingest analytics.export"),
    "ecommerce": _profile(("Shop", "ECommerce"), _APP_GENERIC, "shop", "shop.cart shop.checkout shop.catalog shop.accounts"),
    "third-party-api": _profile("ThirdPartyAPI", "json plain_bracket plain", "api", "client.http integrations.partner"),
    "cms": _profile(("CMS", "WordPress"), "plain_bracket plain", "php-fpm", "cms"),
    "saas": _profile(("SaaSApp", "WebApp"), _APP_GENERIC, "app", "app.accounts app.auth app.files app.settings app.audit"),
    "ticketing": _profile(("ServiceDesk", "Ticketing"), _APP_GENERIC, "servicedesk", "tickets.sla tickets.routing tickets.escalation"),
    "helpdesk": _profile(("HelpDesk", "ServiceDesk"), _APP_GENERIC, "helpdesk", "helpdesk.tickets helpdesk.assign"),
    "marketing": _profile(("MarketingHub", "Marketing"), _APP_GENERIC, "marketing", "campaigns.scheduler campaigns.segments"),
    "supply-chain": _profile(("SupplyChain", "SCM"), _APP_GENERIC, "scm", "scm.shipments scm.suppliers scm.forecast"),
    "logistics": _profile(("Logistics", "SupplyChain"), _APP_GENERIC, "logistics", "logistics.dispatch logistics.tracking"),
    "procurement": _profile(("Procurement", "ERP"), _APP_GENERIC, "procurement", "procurement.po procurement.approvals"),
    "inventory": _profile(("Inventory", "ERP"), _APP_GENERIC, "inventory", "inventory.stock inventory.reorder"),
    "finance": _profile(("Finance", "ERP"), _APP_GENERIC, "finance", "finance.ledger finance.reconciliation finance.ap"),
    "payroll": _profile(("Payroll", "ModernHR"), _APP_GENERIC, "payroll", "payroll.run payroll.tax"),
    "onboarding": _profile(("Onboarding", "ModernHR"), _APP_GENERIC, "onboarding", "onboarding.tasks onboarding.accounts"),
    "contracts": _profile(("ContractManager", "CLM"), _APP_GENERIC, "clm", "contracts.renewals contracts.approvals"),
    "legal": _profile(("LegalOps", "CLM"), _APP_GENERIC, "legal", "legal.matters legal.holds"),
    "compliance": _profile(("Compliance", "GRC"), _APP_GENERIC, "grc", "compliance.controls compliance.attestations"),
    "insurance": _profile(("ClaimsSystem", "Insurance"), _APP_GENERIC, "claims", "claims.intake claims.adjudication"),
    "loans": _profile(("LoanOrigination", "Banking"), _APP_GENERIC, "loans", "loans.underwriting loans.disbursement"),
    "subscription": _profile(("SubscriptionService", "BillingSystem"), _APP_GENERIC, "subscriptions", "subscriptions.renewal subscriptions.plan"),
    "project": _profile(("ProjectTracker", "PM"), _APP_GENERIC, "projects", "projects.tasks projects.milestones"),
    "reporting": _profile(("ReportingService", "AnalyticsEngine"), _APP_GENERIC, "reporting", "reports.scheduler reports.render"),
    "workflow": _profile(("WorkflowEngine", "BPM"), _APP_GENERIC, "workflow", "workflow.engine workflow.tasks workflow.rules"),
    "camunda": _profile(("Camunda", "BPM"), "log4j log4j_b json", "camunda",
                        "org.camunda.bpm.engine.context org.camunda.bpm.engine.jobexecutor org.camunda.bpm.engine.bpmn.behavior"),
    "etl": _profile(("ETL", "DataPipeline"), _APP_PY, "etl", "etl.extract etl.load etl.transform"),
    "integrations": _profile(("IntegrationHub", "ThirdPartyAPI"), _APP_GENERIC, "integrations", "integrations.sync integrations.webhooks"),
    "notification": _profile(("NotificationService", "Notifications"), _APP_GENERIC, "notifier", "notify.email notify.sms notify.push"),
    "auth-service": _profile(("AuthService", "IdentityService"), _APP_GENERIC, "auth", "auth.login auth.tokens auth.mfa"),
    "cache": _profile(("CacheService", "Memcached"), _APP_GENERIC, "cache", "cache.client cache.cluster"),
    "search": _profile(("SearchService", "Solr"), _APP_JAVA, "search", "search.indexer search.query"),
    "media": _profile(("MediaService", "Transcoder"), _APP_GENERIC, "media", "media.transcode media.thumbnails"),
    "mobile-app": _profile(("MobileApp", "Android"), "logcat json", "app", "MainActivity SyncAdapter ApiClient"),
    "grpc": _profile(("gRPC", "GoService"), "logfmt json klog", "grpc-server", "grpc server.go transport"),
    "graphql": _profile(("GraphQL", "NodeApp"), "json plain_bracket", "graphql", "graphql resolvers"),
    "tomcat": _profile(("Tomcat", "JavaApp"), "log4j log4j_b", "catalina",
                       "org.apache.catalina.core.StandardService org.apache.catalina.startup.Catalina org.apache.coyote.http11.Http11NioProtocol"),
    "gcp": _profile(("GCP", "Google Cloud"), "json plain_bracket", "gcloud", "compute.instances cloudsql gke"),
    "iam": _profile(("IAM", "AWS"), "json plain_bracket", "iam", "iam.policy iam.access cloudtrail"),
    "okta": _profile(("Okta", "IdentityProvider"), "json", "okta", "user.session user.authentication policy.evaluate"),
    "azure-ad": _profile(("AzureAD", "EntraID"), "json plain_bracket", "aad", "signin audit conditionalaccess"),
    "ldap": _profile(("OpenLDAP", "LDAP"), _SYSLOG, "slapd"),
    "radius": _profile(("FreeRADIUS", "RADIUS"), "plain syslog", "radiusd"),
    "vpn": _profile(("VPN", "GlobalProtect"), _SYSLOG, "vpnd charon"),
    "firewall": _profile(("Firewall", "iptables"), "syslog_kernel syslog rfc5424", "kernel ufw firewalld"),
    "waf": _profile(("WAF", "ModSecurity"), "apache_error json", "modsecurity"),
    "ids": _profile(("IDS", "Suricata"), "syslog json", "suricata snort"),
    "edr": _profile(("EDR", "Defender"), "json winevent", "edr", "detections quarantine"),
    "falco": _profile(("Falco", "Kubernetes"), "json syslog", "falco"),
    "fail2ban": _profile(("fail2ban", "Linux"), "log4j_b syslog", "fail2ban-server", "fail2ban.actions fail2ban.filter"),
    "selinux": _profile(("SELinux", "Linux"), _SYSLOG, "setroubleshoot audit"),
    "apparmor": _profile(("AppArmor", "Linux"), "syslog_kernel syslog", "kernel"),
    "tripwire": _profile(("Tripwire", "Linux"), "syslog plain", "tripwire"),
    "clamav": _profile(("ClamAV", "Linux"), _SYSLOG, "clamd freshclam"),
    "auditd-win": _profile("Windows", "winevent", "EventLog", "Microsoft-Windows-Security-Auditing"),
    "dns": _profile(("BIND", "DNS"), _SYSLOG, "named dnsmasq"),
    "proxy": _profile(("Proxy", "Squid"), "syslog plain", "squid"),
    "squid": _profile("Squid", "syslog plain", "squid"),
    "network": _profile(("Network", "Cisco"), "syslog rfc5424", "%LINK-3-UPDOWN %LINEPROTO-5-UPDOWN %OSPF-5-ADJCHG"),
    "ipmi": _profile(("IPMI", "BMC"), "syslog plain", "ipmievd"),
    "megaraid": _profile(("MegaRAID", "Linux"), "syslog_kernel syslog", "megaraid_sas"),
    "smartd": _profile("Linux", _SYSLOG, "smartd"),
    "storage": _profile(("Storage", "NetApp"), "syslog plain", "storaged"),
    "ceph": _profile("Ceph", "plain_bracket syslog", "ceph-osd ceph-mon"),
    "corosync": _profile(("Pacemaker", "Linux"), _SYSLOG, "corosync"),
    "pacemaker": _profile(("Pacemaker", "Linux"), _SYSLOG, "pacemaker-controld pacemaker-fenced crmd"),
    "apcupsd": _profile(("UPS", "Linux"), _SYSLOG, "apcupsd"),
    "rsyslog": _profile("Linux", _SYSLOG, "rsyslogd"),
    "initscripts": _profile("Linux", "syslog thunderbird", "rc network"),
    "memcached": _profile("Memcached", "syslog plain", "memcached"),
    "dovecot": _profile(("Dovecot", "Mail"), _SYSLOG, "dovecot imap-login"),
    "samba": _profile(("Samba", "Linux"), _SYSLOG, "smbd nmbd"),
    "nvidia": _profile(("NVIDIA", "GPU"), "syslog plain", "nvidia-smi dcgm"),
    "ansible": _profile(("Ansible", "CI"), "plain", "ansible-playbook"),
    "terraform": _profile(("Terraform", "CI"), "plain plain_bracket", "terraform"),
    # --- routine-chatter systems (neutral lines next to their failure counterparts) ---
    "mapreduce": _profile("Hadoop", "log4j log4j_b", "mapreduce",
                          "org.apache.hadoop.mapred.MapTask org.apache.hadoop.mapred.Task org.apache.hadoop.mapred.YarnChild "
                          "org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl org.apache.hadoop.mapreduce.v2.app.job.impl.JobImpl "
                          "org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator org.apache.hadoop.mapreduce.task.reduce.Fetcher "
                          "org.apache.hadoop.mapreduce.jobhistory.JobHistoryEventHandler"),
    "lustre": _profile(("Lustre", "HPC"), "syslog_kernel thunderbird", "kernel"),
    "proxifier": _profile(("Proxifier", "Proxy"), "proxifier proxifier plain", "proxifier",
                          "chrome.exe firefox.exe outlook.exe svchost.exe Dropbox.exe Teams.exe git-remote-https.exe WeChat.exe"),
    "ios": _profile(("iOS", "iPhone"), "macos_unified syslog", "SpringBoard backboardd locationd CommCenter wifid healthd "
                    "runningboardd bluetoothd"),
    "wpa_supplicant": _profile("Linux", _SYSLOG, "wpa_supplicant"),
    "bluetoothd": _profile("Linux", _SYSLOG, "bluetoothd"),
    "dbus": _profile("Linux", _SYSLOG, "dbus-daemon dbus-broker-launch"),
    "avahi": _profile("Linux", _SYSLOG, "avahi-daemon"),
    "cups": _profile(("CUPS", "Linux"), "syslog plain_bracket", "cupsd"),
    "keepalived": _profile(("Keepalived", "Linux"), _SYSLOG, "Keepalived_vrrp Keepalived_healthcheckers"),
    "mdadm": _profile("Linux", "syslog_kernel syslog", "kernel mdadm"),
    "fsck": _profile("Linux", _SYSLOG, "systemd-fsck fsck"),
    "cdn": _profile(("CDN", "CloudFront", "Fastly"), "plain", "cdn"),
    "s3": _profile(("AWS S3", "AWS"), "plain", "s3"),
    # --- services of the unfamiliar-systems families: network devices, VPN, mail, DNS, brokers,
    # search, more databases, web servers and proxies, Linux account tools ---
    "cisco-ios": _profile(("Cisco", "Cisco IOS", "Router", "Switch"), "cisco_ios cisco_ios syslog_pri syslog", "%"),
    "cisco-asa": _profile(("Cisco ASA", "ASA", "Firewall"), "asa asa syslog_pri", "%ASA"),
    "junos": _profile(("Juniper", "JunOS", "SRX"), "syslog syslog_pri", "mgd sshd rpd flowd chassisd eswd"),
    "fortigate": _profile(("FortiGate", "Fortinet", "Firewall"), "fortigate", "fortigate"),
    "paloalto": _profile(("PaloAlto", "PAN-OS", "Firewall"), "syslog_pri syslog", "pan_firewall"),
    "pfsense": _profile(("pfSense", "OPNsense", "Firewall"), "syslog syslog_pri", "filterlog"),
    "strongswan": _profile(("strongSwan", "IPsec", "VPN"), "strongswan strongswan syslog", "charon"),
    "wireguard": _profile(("WireGuard", "VPN"), "syslog_kernel journal", "kernel"),
    "openvpn-server": _profile(("OpenVPN", "VPN"), "openvpn syslog journal", "openvpn"),
    "anyconnect": _profile(("AnyConnect", "Cisco ASA", "VPN"), "asa syslog_pri", "%ASA"),
    "bind": _profile(("BIND", "named", "DNS"), "bind bind syslog", "named"),
    "unbound": _profile(("Unbound", "DNS"), "unbound unbound syslog", "unbound"),
    "coredns": _profile(("CoreDNS", "Kubernetes", "DNS"), "coredns coredns cri", "coredns"),
    "powerdns": _profile(("PowerDNS", "DNS"), _SYSLOG, "pdns_server pdns_recursor"),
    "dnsmasq": _profile(("dnsmasq", "DNS"), _SYSLOG, "dnsmasq"),
    "exim": _profile(("Exim", "Mail"), "exim exim syslog", "exim"),
    "sendmail": _profile(("Sendmail", "Mail"), _SYSLOG, "sm-mta sendmail"),
    "postfix-mail": _profile(("Postfix", "Mail"), _SYSLOG, "postfix/smtpd postfix/smtp postfix/qmgr postfix/master postfix/cleanup"),
    "dovecot-mail": _profile(("Dovecot", "Mail"), _SYSLOG, "dovecot"),
    "activemq": _profile(("ActiveMQ", "Artemis"), "activemq activemq log4j", "activemq",
                         "org.apache.activemq.broker.BrokerService org.apache.activemq.store.kahadb.MessageDatabase "
                         "org.apache.activemq.artemis.core.server org.apache.activemq.broker.TransportConnector"),
    "nats": _profile(("NATS", "nats-server"), "nats nats", "nats-server"),
    "pulsar": _profile(("Pulsar", "Apache Pulsar"), "log4j log4j_b", "pulsar",
                       "org.apache.pulsar.broker.PulsarService org.apache.pulsar.broker.service.BrokerService "
                       "org.apache.bookkeeper.bookie.Bookie"),
    "mosquitto": _profile(("Mosquitto", "MQTT"), "mosquitto", "mosquitto"),
    "rabbitmq-broker": _profile(("RabbitMQ", "rabbitmq"), "rabbit rabbit", "rabbitmq-server"),
    "kafka-broker": _profile(("Kafka", "Confluent"), "kafka kafka log4j", "kafka",
                             "kafka.server.KafkaServer kafka.server.ReplicaManager kafka.log.LogManager "
                             "kafka.controller.KafkaController kafka.server.BrokerToControllerChannelManager kafka.network.SocketServer"),
    "solr": _profile(("Solr", "SolrCloud"), "solr solr", "solr",
                     "o.a.s.c.SolrCore o.a.s.c.ZkController o.a.s.s.HttpSolrCall o.a.s.u.CommitTracker o.a.s.c.CoreContainer"),
    "opensearch": _profile(("OpenSearch", "Elasticsearch"), "elastic elastic json", "opensearch",
                           "o.o.c.r.a.DiskThresholdMonitor o.o.c.s.MasterService o.o.n.Node o.o.m.j.JvmGcMonitorService "
                           "o.o.c.c.Coordinator o.o.b.BootstrapChecks o.o.i.s.IndexShard o.o.s.a.r.AuditLog"),
    "clickhouse": _profile(("ClickHouse", "clickhouse-server"), "clickhouse clickhouse", "clickhouse-server",
                           "Application MergeTreeBackgroundExecutor executeQuery TCPHandler MemoryTracker StorageReplicatedMergeTree"),
    "pgbouncer": _profile(("PgBouncer", "PostgreSQL"), "postgres syslog", "pgbouncer"),
    "mariadb": _profile(("MariaDB", "MySQL"), "mysql mariadb syslog", "mariadbd mysqld"),
    "cockroach": _profile(("CockroachDB", "cockroach"), "klog klog", "cockroach", "server.go node.go store.go replica.go"),
    "oracle-db": _profile(("Oracle", "Oracle DB"), "plain plain_bracket", "oracle"),
    "mongod": _profile(("MongoDB", "mongod"), "mongo mongo", "mongod", "NETWORK STORAGE REPL CONTROL ACCESS COMMAND ASIO"),
    "memcached-server": _profile(("Memcached", "memcached"), "syslog journal", "memcached"),
    "varnish": _profile(("Varnish", "varnishd"), _SYSLOG, "varnishd"),
    "caddy": _profile(("Caddy", "caddy"), "json json", "caddy", "http.log http.handlers.reverse_proxy tls.obtain http admin"),
    "haproxy-server": _profile(("HAProxy", "haproxy"), "haproxy_stderr haproxy_stderr syslog", "haproxy"),
    "nginx-server": _profile(("nginx", "Nginx"), "nginx_error nginx_error syslog", "nginx"),
    "apache-server": _profile(("Apache", "Apache httpd"), "apache_error apache_error syslog", "httpd apache2"),
    "tomcat-server": _profile(("Tomcat", "Catalina"), "jul jul log4j", "catalina",
                              "org.apache.catalina.startup.Catalina.start org.apache.coyote.AbstractProtocol.init "
                              "org.apache.catalina.core.StandardContext.startInternal org.apache.catalina.startup.HostConfig.deployWAR"),
    "squid-proxy": _profile(("Squid", "Proxy"), "squid_cache squid_cache syslog", "squid"),
    "envoy-proxy": _profile(("Envoy", "Istio"), "envoy envoy", "envoy"),
    "iis-server": _profile(("IIS", "Windows"), "winevent", "W3SVC", "Microsoft-Windows-IIS-W3SVC WAS Microsoft-Windows-HttpEvent"),
    "linux-accounts": _profile(("Linux", "auth"), _SYSLOG + " syslog_pri", "groupadd useradd usermod userdel groupdel groupmod gpasswd chage passwd chpasswd"),
    "su": _profile(("Linux", "auth"), _SYSLOG, "su"),
    "dhcpd": _profile(("ISC DHCP", "dhcpd"), _SYSLOG, "dhcpd"),
    "sudo-admin": _profile(("Linux", "auth"), _SYSLOG, "sudo"),
    # --- systems of the generic families (training.templates_families) ---
    "supervisord": _profile(("Supervisor", "supervisord"), "plain plain syslog", "supervisord"),
    "monit": _profile(("Monit", "Linux"), "plain_bracket syslog", "monit"),
    "runit": _profile(("runit", "Linux"), "syslog journal plain", "runsv runsvdir sv"),
    "s6": _profile(("s6-overlay", "Docker"), "plain cri", "s6-rc s6-supervise"),
    "openrc": _profile(("OpenRC", "Linux"), "syslog plain", "openrc rc"),
    "systemd-coredump": _profile("Linux", _SYSLOG, "systemd-coredump"),
    "abrt": _profile(("ABRT", "Linux"), _SYSLOG, "abrt-hook-ccpp abrtd apport"),
    "php-fpm": _profile(("PHP-FPM", "PHP"), "plain_bracket syslog", "php-fpm"),
    "php": _profile(("PHP", "WordPress"), "plain_bracket apache_error", "php"),
    "keycloak": _profile(("Keycloak", "IdentityProvider"), "log4j log4j_b json", "keycloak",
                         "org.keycloak.events org.keycloak.services"),
    "grafana": _profile(("Grafana", "grafana-server"), "logfmt", "grafana-server", "context authn.service http.server"),
    "cloudtrail": _profile(("AWS CloudTrail", "AWS"), "json plain", "cloudtrail", "cloudtrail"),
    "gcp-audit": _profile(("GCP", "Cloud Audit Logs"), "json plain", "gcloud", "cloudaudit.googleapis.com/activity"),
    "azure-activity": _profile(("Azure", "Azure Activity Log"), "json plain", "azure", "Administrative ServiceHealth"),
    "postscreen": _profile(("Postfix", "Mail"), _SYSLOG, "postfix/postscreen postfix/dnsblog postfix/smtpd"),
    "rspamd": _profile(("Rspamd", "Mail"), "plain syslog", "rspamd"),
    "spamd": _profile(("SpamAssassin", "Mail"), _SYSLOG, "spamd"),
    "courier": _profile(("Courier", "Mail"), _SYSLOG, "imapd imapd-ssl pop3d"),
    "proftpd": _profile(("ProFTPD", "FTP"), _SYSLOG, "proftpd"),
    "pure-ftpd": _profile(("Pure-FTPd", "FTP"), _SYSLOG, "pure-ftpd"),
    "nsd": _profile(("NSD", "DNS"), _SYSLOG, "nsd"),
    "knot": _profile(("Knot DNS", "DNS"), _SYSLOG + " plain", "knotd"),
    "psad": _profile(("psad", "Linux"), _SYSLOG, "psad"),
    "proxmox": _profile(("Proxmox VE", "Proxmox"), _SYSLOG, "pvedaemon pveproxy"),
    "celery": _profile(("Celery", "PythonApp"), "pylog_b pylog", "celery", "celery.app.trace celery.worker.strategy"),
    "luigi": _profile(("Luigi", "DataPipeline"), "pylog", "luigi", "luigi-interface luigi.scheduler"),
    "argo-workflows": _profile(("Argo Workflows", "Kubernetes"), "logfmt json", "workflow-controller", "controller operator"),
    "task-scheduler": _profile("Windows", "winevent", "EventLog", "Microsoft-Windows-TaskScheduler"),
    # --- structured records (training.templates_structured): the record is the whole template; a
    # collector may put a syslog or container-runtime header in front of it ---
    "s-tsdb": _profile(("Prometheus", "Thanos", "VictoriaMetrics"), "cri journal syslog", "prometheus thanos vmstorage"),
    "s-alerting": _profile("Alertmanager", "cri journal", "alertmanager"),
    "s-logstore": _profile(("Loki", "Mimir"), "cri journal", "loki mimir"),
    "s-proxy": _profile(("Traefik", "Caddy", "Envoy"), "cri journal syslog", "traefik caddy"),
    "s-scheduler": _profile(("Nomad", "Kubernetes"), "cri journal syslog", "nomad"),
    "s-secrets": _profile(("Vault", "OpenBao"), "cri journal syslog", "vault bao"),
    "s-mesh": _profile(("Linkerd", "Istio"), "cri", "linkerd-proxy"),
    "s-objectstore": _profile(("MinIO", "SeaweedFS"), "cri journal", "minio weed"),
    "s-ci": _profile(("GitLab Runner", "Woodpecker"), "journal syslog", "gitlab-runner woodpecker-agent"),
    "s-gosvc": _profile(("orders-svc", "payments-svc", "catalog-svc", "accounts-svc"), "cri journal syslog", "orders payments catalog accounts"),
    "s-ngfw": _profile(("FortiGate", "Firewall"), "syslog_pri syslog", "%"),
    "s-utm": _profile(("Sophos UTM", "Firewall"), "syslog_pri syslog", "ulogd httpproxy aua"),
    "s-sonic": _profile(("SonicWall", "Firewall"), "syslog_pri", "%"),
    "s-wlan": _profile(("Wireless Controller", "Aruba", "Meraki"), "syslog_pri syslog", "wlc"),
    "s-lb": _profile(("BIG-IP", "Load Balancer", "Citrix ADC"), "syslog_pri syslog", "tmm lbd"),
    "s-audit": _profile("Linux", "syslog journal", "audispd auditd"),
    "s-operator": _profile(("Kubernetes", "cert-manager", "external-dns", "Velero"), "cri", "manager"),
    "s-gitops": _profile(("ArgoCD", "Flux"), "cri", "argocd-application-controller kustomize-controller"),
    "s-k8saudit": _profile("Kubernetes", "cri", "kube-apiserver"),
    "s-nodeapp": _profile(("node-app", "web-api"), "cri journal", "node"),
    "s-pyapp": _profile(("python-app", "django-app", "celery"), "cri journal", "gunicorn celery"),
    "s-dotnetapp": _profile(("dotnet-app", "aspnet-api"), "cri journal", "dotnet"),
    "s-javaapp": _profile(("java-app", "spring-service"), "cri journal", "java"),
    "s-ecs": _profile(("Elasticsearch", "Kibana", "OpenSearch"), "cri journal", "elasticsearch kibana"),
    "s-webjson": _profile(("nginx", "Envoy", "Caddy", "Cloud Run"), "cri", "nginx envoy"),
    "s-cloudaudit": _profile(("AWS CloudTrail", "AWS"), "syslog", "cloudtrail"),
    "s-gcpaudit": _profile(("GCP", "Google Cloud Audit"), "syslog", "gcp-audit"),
    "s-azure": _profile(("Azure", "Entra ID"), "syslog", "azure"),
    "s-idp": _profile(("Okta", "Keycloak", "Auth0"), "syslog cri", "okta keycloak"),
    "s-ids": _profile(("Suricata", "Zeek"), "syslog", "suricata zeek"),
    "s-edr": _profile(("Falco", "Wazuh"), "syslog cri", "falco wazuh"),
    "s-kvbiz": _profile(("erp", "procurement", "expenses"), "journal syslog", "app"),
    "s-bizjson": _profile(("crm", "claims", "billing", "procurement"), "cri journal", "app"),
    "s-cef": _profile(("SIEM", "ArcSight"), "syslog_pri syslog", "%"),
    "s-leef": _profile(("QRadar", "SIEM"), "syslog_pri syslog", "%"),
}

_GENERIC_PROFILE_STYLES = ("log4j", "pylog", "json", "logfmt", "plain_bracket", "syslog")


def profile_for(system: str) -> SystemProfile:
    """The profile of ``system``; unknown systems get a generic one with the name as source."""
    found = SYSTEMS.get(system) or SYSTEMS.get(system.lower())
    if found is not None:
        return found
    return SystemProfile(sources=(system,), styles=_GENERIC_PROFILE_STYLES, programs=(system.lower().replace(" ", "-"),))


# --- time helpers --------------------------------------------------------------------------


def _dt(rng: random.Random) -> datetime:
    return _EPOCH + timedelta(seconds=rng.randint(0, 11 * 365 * 86400), microseconds=rng.randint(0, 999999))


def _ms(d: datetime) -> str:
    return f"{d.microsecond // 1000:03d}"


def _syslog_ts(d: datetime) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day:2d} {d:%H:%M:%S}"


# --- severity words per header style -------------------------------------------------------

_WORDS: dict[str, dict[Level, tuple[str, ...]]] = {
    "java": {"info": ("INFO",), "warn": ("WARN",), "error": ("ERROR",), "crit": ("FATAL", "ERROR")},
    "python": {"info": ("INFO",), "warn": ("WARNING",), "error": ("ERROR",), "crit": ("CRITICAL",)},
    "letter": {"info": ("I",), "warn": ("W",), "error": ("E",), "crit": ("F", "E")},
    "nginx": {"info": ("notice", "info"), "warn": ("warn",), "error": ("error",), "crit": ("crit", "alert", "emerg")},
    "apache": {"info": ("notice", "info"), "warn": ("warn",), "error": ("error",), "crit": ("crit", "alert", "emerg")},
    "lower": {"info": ("info",), "warn": ("warning", "warn"), "error": ("error",), "crit": ("fatal", "critical")},
    "postgres": {"info": ("LOG",), "warn": ("WARNING",), "error": ("ERROR",), "crit": ("FATAL", "PANIC")},
    "mysql": {"info": ("Note", "System"), "warn": ("Warning",), "error": ("ERROR",), "crit": ("ERROR",)},
    "windows": {"info": ("Information",), "warn": ("Warning",), "error": ("Error",), "crit": ("Critical",)},
    "cbs": {"info": ("Info",), "warn": ("Warning",), "error": ("Error",), "crit": ("Error",)},
    "bgl": {"info": ("INFO",), "warn": ("WARNING",), "error": ("ERROR", "SEVERE"), "crit": ("FATAL", "FAILURE")},
    "redis": {"info": ("*",), "warn": ("#",), "error": ("#",), "crit": ("#",)},
    "dotnet": {"info": ("info",), "warn": ("warn",), "error": ("fail",), "crit": ("crit",)},
    "rabbit": {"info": ("info", "notice"), "warn": ("warning",), "error": ("error",), "crit": ("critical", "error")},
    "hashicorp": {"info": ("INFO",), "warn": ("WARN",), "error": ("ERROR",), "crit": ("ERROR",)},
}

# syslog severity numbers for the RFC 5424 PRI field
_SYSLOG_SEVERITY = {"info": (6, 5), "warn": (4,), "error": (3,), "crit": (2, 1, 0)}


def _word(rng: random.Random, kind: str, level: Level) -> str:
    return rng.choice(_WORDS[kind][level])


def _program(rng: random.Random, prof: SystemProfile) -> str:
    return rng.choice(prof.programs) if prof.programs else "app"


def _logger(rng: random.Random, prof: SystemProfile) -> str:
    if prof.loggers:
        return rng.choice(prof.loggers)
    return fakers.java_class(rng) if rng.random() < 0.5 else fakers.module(rng)


def _thread(rng: random.Random) -> str:
    return rng.choice(["main", f"http-nio-8080-exec-{rng.randint(1, 20)}", f"pool-{rng.randint(1, 4)}-thread-{rng.randint(1, 16)}",
                       f"worker-{rng.randint(1, 8)}", "scheduling-1", f"IPC Server handler {rng.randint(0, 9)} on 8020",
                       "AsyncDispatcher event handler", f"ForkJoinPool.commonPool-worker-{rng.randint(1, 7)}", "Thread-3"])


# --- header styles -------------------------------------------------------------------------
# Each style: (rng, profile, level, message) -> full line.

Style = Callable[[random.Random, SystemProfile, Level, str], str]


def _syslog(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    prog = _program(rng, prof)
    tag = f"{prog}[{fakers.pid(rng)}]" if rng.random() < 0.85 else prog
    return f"{_syslog_ts(_dt(rng))} {fakers.host(rng)} {tag}: {msg}"


def _syslog_kernel(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    uptime = f"[{rng.uniform(0, 9_000_000):12.6f}] " if rng.random() < 0.6 else ""
    return f"{_syslog_ts(_dt(rng))} {fakers.host(rng)} kernel: {uptime}{msg}"


def _rfc5424(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    pri = rng.choice([1, 3, 4, 10, 16, 23]) * 8 + rng.choice(_SYSLOG_SEVERITY[level])
    return f"<{pri}>1 {d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}Z {fakers.fqdn(rng)} {_program(rng, prof)} {fakers.pid(rng)} - - {msg}"


def _journal(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%dT%H:%M:%S}{rng.choice(['+0000', '+0200', '-0500', '+0530'])} {fakers.host(rng)} {_program(rng, prof)}[{fakers.pid(rng)}]: {msg}"


def _thunderbird(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    h = f"{rng.choice(['dn', 'an', 'bn', 'cn', 'en'])}{rng.randint(1, 999)}"
    return (f"- {int(d.timestamp())} {d:%Y.%m.%d} {h} {_MONTHS[d.month - 1]} {d.day} {d:%H:%M:%S} "
            f"{h}/{h} {_program(rng, prof)}[{fakers.pid(rng)}]: {msg}")


def _log4j(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, "java", level)
    ts = f"{d:%Y-%m-%d %H:%M:%S},{_ms(d)}"
    if rng.random() < 0.5:
        return f"{ts} {lvl} [{_thread(rng)}] {_logger(rng, prof)}: {msg}"
    return f"{ts} {lvl:<5} {_logger(rng, prof)} - {msg}"


def _log4j_b(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, "java", level)
    return f"{lvl:<5} [{_thread(rng)}] {d:%Y-%m-%d %H:%M:%S},{_ms(d)} {_logger(rng, prof)} {msg}"


def _pylog(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, "python", level)
    return f"{d:%Y-%m-%d %H:%M:%S},{_ms(d)} - {_logger(rng, prof)} - {lvl} - {msg}"


def _pylog_b(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, "python", level)
    if rng.random() < 0.5:
        return f"[{d:%Y-%m-%d %H:%M:%S} +0000] [{fakers.pid(rng)}] [{lvl}] {msg}"
    return f"{lvl}:{_logger(rng, prof)}:{msg}"


def _klog(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    src = rng.choice(prof.loggers) if prof.loggers else "main.go"
    return f"{_word(rng, 'letter', level)}{d:%m%d %H:%M:%S}.{d.microsecond:06d} {fakers.pid(rng):>7} {src}:{rng.randint(50, 2500)}] {msg}"


def _nginx_error(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    conn = f"*{rng.randint(1, 999999)} " if rng.random() < 0.6 else ""
    return f"{d:%Y/%m/%d %H:%M:%S} [{_word(rng, 'nginx', level)}] {fakers.pid(rng)}#{rng.randint(0, 8)}: {conn}{msg}"


def _apache_error(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, "apache", level)
    if rng.random() < 0.5:
        return f"[{d:%a %b %d %H:%M:%S %Y}] [{lvl}] {msg}"
    mod = rng.choice(["core", "mpm_event", "ssl", "proxy", "mpm_prefork", "authz_core"])
    return f"[{d:%a %b %d %H:%M:%S}.{d.microsecond:06d} {d:%Y}] [{mod}:{lvl}] [pid {fakers.pid(rng)}] {msg}"


def _cri(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    stream = "stdout" if level in ("info",) or rng.random() < 0.5 else "stderr"
    return f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond:06d}{rng.randint(100, 999)}Z {stream} F {msg}"


def _json(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    rec = {
        rng.choice(["ts", "time", "@timestamp", "timestamp"]): f"{d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}Z",
        "level": _word(rng, rng.choice(["lower", "java"]), level),
        rng.choice(["logger", "name", "component"]): _logger(rng, prof),
        rng.choice(["msg", "message"]): msg,
    }
    if rng.random() < 0.4:
        rec["host"] = fakers.host(rng)
    return json.dumps(rec, ensure_ascii=False)


def _logfmt(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    escaped = msg.replace("\\", "\\\\").replace('"', '\\"')
    lvl = _word(rng, "lower", level)
    if rng.random() < 0.5:
        return f'time="{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond:06d}Z" level={lvl} msg="{escaped}"'
    return f'ts={d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}Z caller={_logger(rng, prof).split(".")[-1]}.go:{rng.randint(20, 900)} level={lvl} msg="{escaped}"'


def _plain_bracket(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, rng.choice(["java", "python", "lower"]), level)
    if rng.random() < 0.5:
        return f"[{d:%Y-%m-%d %H:%M:%S}] [{lvl}] {msg}"
    return f"[{d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}] {lvl.upper()} {_logger(rng, prof)}: {msg}"


def _plain(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, rng.choice(["java", "python"]), level)
    return f"{d:%Y-%m-%d %H:%M:%S} {lvl} {msg}"


def _oslo(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    ctx = (f"[req-{fakers.uuid(rng)} {fakers._hexstr(rng, 32)} {fakers._hexstr(rng, 32)} - - -] "
           if rng.random() < 0.7 else "[-] ")
    return f"{d:%Y-%m-%d %H:%M:%S}.{_ms(d)} {rng.randint(1000, 40000)} {_word(rng, 'java', level).replace('WARN', 'WARNING').replace('FATAL', 'CRITICAL')} {_logger(rng, prof)} {ctx}{msg}"


def _hdfs_loghub(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%y%m%d} {d:%H%M%S} {rng.randint(1, 40000)} {_word(rng, 'java', level)} {_logger(rng, prof)}: {msg}"


def _spark(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%y/%m/%d %H:%M:%S} {_word(rng, 'java', level)} {_logger(rng, prof)}: {msg}"


def _zookeeper(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    thread = rng.choice([f"QuorumPeer[myid={rng.randint(1, 5)}]/0:0:0:0:0:0:0:0:2181", "NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181",
                         "SyncThread:0", f"LearnerHandler-/{fakers.ip(rng)}:{fakers.port(rng)}", "main", "SessionTracker"])
    return f"{d:%Y-%m-%d %H:%M:%S},{_ms(d)} - {_word(rng, 'java', level):<5} [{thread}:{_logger(rng, prof)}] - {msg}"


def _kafka(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    suffix = f" ({_logger(rng, prof)})" if rng.random() < 0.7 else ""
    return f"[{d:%Y-%m-%d %H:%M:%S},{_ms(d)}] {_word(rng, 'java', level)} {msg}{suffix}"


def _airflow(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"[{d:%Y-%m-%d %H:%M:%S},{_ms(d)}] {{{_logger(rng, prof)}}} {_word(rng, 'python', level)} - {msg}"


def _postgres(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%d %H:%M:%S}.{_ms(d)} UTC [{fakers.pid(rng)}] {_word(rng, 'postgres', level)}:  {msg}"


def _mysql(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return (f"{d:%Y-%m-%dT%H:%M:%S}.{d.microsecond:06d}Z {rng.randint(0, 60)} [{_word(rng, 'mysql', level)}] "
            f"[MY-{rng.randint(10000, 13999):06d}] [{rng.choice(['Server', 'Server', 'InnoDB', 'Repl'])}] {msg}")


def _mongo(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    rec = {"t": {"$date": f"{d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}+00:00"}, "s": _word(rng, "letter", level),
           "c": _logger(rng, prof), "id": rng.randint(20000, 7000000),
           "ctx": rng.choice(["conn" + str(rng.randint(1, 9999)), "listener", "initandlisten", "Checkpointer", "ReplCoord-0"]),
           "msg": msg}
    return json.dumps(rec, ensure_ascii=False)


def _mongo_legacy(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}+0000 {_word(rng, 'letter', level)} {_logger(rng, prof):<8} [{rng.choice(['conn' + str(rng.randint(1, 999)), 'initandlisten', 'thread1'])}] {msg}"


def _redis(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{fakers.pid(rng)}:{rng.choice('MSC')} {d:%d %b %Y %H:%M:%S}.{_ms(d)} {_word(rng, 'redis', level)} {msg}"


def _elastic(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"[{d:%Y-%m-%dT%H:%M:%S},{_ms(d)}][{_word(rng, 'java', level):<5}][{_logger(rng, prof):<25}] [{fakers.host(rng)}] {msg}"


def _rabbit(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond:06d}+00:00 [{_word(rng, 'rabbit', level)}] <0.{rng.randint(100, 9999)}.0> {msg}"


def _mssql(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond // 10000:02d} {rng.choice(['spid' + str(rng.randint(5, 99)), 'Server', 'Logon'])}      {msg}"


def _bgl(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    loc = f"R{rng.randint(0, 77):02d}-M{rng.randint(0, 1)}-N{rng.choice('0123456789ABCDEF')}-C:J{rng.randint(2, 17):02d}-U{rng.choice([0, 1])}{rng.choice([0, 1])}"
    comp = rng.choice(["KERNEL", "KERNEL", "APP", "MMCS", "DISCOVERY", "LINKCARD"])
    return (f"- {int(d.timestamp())} {d:%Y.%m.%d} {loc} {d:%Y-%m-%d-%H.%M.%S}.{d.microsecond:06d} {loc} RAS {comp} "
            f"{_word(rng, 'bgl', level)} {msg}")


def _slurm(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"[{d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}] {msg}"


def _pbs(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%m/%d/%Y %H:%M:%S};{rng.choice(['0002', '0008', '0010', '0040', '0080', '0100'])};{_program(rng, prof)}.{fakers.host(rng)};{rng.choice(['Job', 'Svr', 'Node', 'Req'])};{fakers.job(rng)};{msg}"


def _winevent(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = _word(rng, "windows", level)
    src = (_logger(rng, prof)).replace("_", " ")
    if rng.random() < 0.5:
        return f"{lvl}\t{d:%m/%d/%Y %I:%M:%S %p}\t{src}\t{rng.randint(1, 8000)}\tNone\t{msg}"
    return f"{d:%Y-%m-%d %H:%M:%S} {lvl} {src} EventID={rng.randint(1, 8000)} {msg}"


def _cbs(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    comp = rng.choice(prof.loggers) if prof.loggers else "CBS"
    return f"{d:%Y-%m-%d %H:%M:%S}, {_word(rng, 'cbs', level):<22}{comp:<7}{msg}"


def _winupdate(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    comp = rng.choice(["Agent", "Handler", "AU", "Misc", "Report", "DnldMgr"])
    return f"{d:%Y-%m-%d}\t{d:%H:%M:%S}:{_ms(d)}\t {rng.randint(100, 9999):4d}\t {rng.randint(100, 9999):4x}\t{comp:<8}\t{msg}"


def _macos_unified(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    kind = {"info": "Default", "warn": "Default", "error": "Error", "crit": "Fault"}[level]
    return f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond:06d}-0700 0x{rng.randint(4096, 999999):x}  {kind:<11}0x0  {fakers.pid(rng)}  0    {_program(rng, prof)}: {msg}"


def _logcat(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    p = rng.randint(100, 30000)
    tid = p if rng.random() < 0.5 else rng.randint(100, 30000)
    lvl = {"info": rng.choice("IID"), "warn": "W", "error": "E", "crit": rng.choice("EF")}[level]
    return f"{d:%m-%d %H:%M:%S}.{_ms(d)} {p:5d} {tid:5d} {lvl} {_logger(rng, prof)}: {msg}"


def _healthapp(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y%m%d-%H:%M:%S}:{int(_ms(d))}|{_logger(rng, prof)}|{rng.randint(10_000_000, 39_999_999)}|{msg}"


def _proxifier(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"[{d:%m.%d %H:%M:%S}] {_logger(rng, prof)} - {msg}"


def _envoy(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = {"info": "info", "warn": "warning", "error": "error", "crit": "critical"}[level]
    return f"[{d:%Y-%m-%d %H:%M:%S}.{_ms(d)}][{rng.randint(1, 99)}][{lvl}][{rng.choice(['upstream', 'config', 'main', 'router', 'pool'])}] {msg}"


def _dotnet(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    return f"{_word(rng, 'dotnet', level)}: {_logger(rng, prof)}[{rng.randint(0, 100)}] {msg}"


def _hashicorp(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%dT%H:%M:%S}.{_ms(d)}Z [{_word(rng, 'hashicorp', level)}]  {_logger(rng, prof)}: {msg}"


def _syslog_pri(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    """BSD syslog as forwarded by network devices: a <PRI> in front, severity = PRI mod 8."""
    pri = rng.choice([1, 3, 4, 10, 16, 20, 22, 23]) * 8 + rng.choice(_SYSLOG_SEVERITY[level])
    prog = _program(rng, prof)
    tag = "" if prog.startswith("%") else (f"{prog}[{fakers.pid(rng)}]: " if rng.random() < 0.7 else f"{prog}: ")
    return f"<{pri}>{_syslog_ts(_dt(rng))} {fakers.host(rng)} {tag}{msg}"


def _cisco_ios(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    """IOS/NX-OS: sequence number, host, timestamp with milliseconds; severity sits in %FAC-N-MNEMONIC."""
    d = _dt(rng)
    stamp = f"{_MONTHS[d.month - 1]} {d.day:2d} {d:%H:%M:%S}.{_ms(d)}"
    if rng.random() < 0.5:
        return f"{rng.randint(1, 999999)}: {fakers.host(rng)}: *{stamp} UTC: {msg}"
    return f"{_syslog_ts(d)} {fakers.host(rng)} {rng.randint(1, 99999)}: {stamp}: {msg}"


def _asa(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    if rng.random() < 0.5:
        return f"{_MONTHS[d.month - 1]} {d.day:02d} {d.year} {d:%H:%M:%S} {fakers.host(rng)} : {msg}"
    return f"{d:%Y-%m-%dT%H:%M:%SZ} {fakers.host(rng)} : {msg}"


def _fortigate(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = {"info": rng.choice(["notice", "information"]), "warn": "warning", "error": "error", "crit": rng.choice(["critical", "alert"])}[level]
    return (f'date={d:%Y-%m-%d} time={d:%H:%M:%S} devname="{fakers.host(rng)}" devid="FG{rng.randint(100, 900)}E{rng.randint(1000000, 9999999)}" '
            f'logid="{rng.randint(0, 99999):010d}" level="{lvl}" vd="root" {msg}')


def _strongswan(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    ch = rng.choice(["IKE", "IKE", "CFG", "NET", "KNL", "ENC", "CHD", "JOB", "LIB"])
    return f"{_syslog_ts(d)} {fakers.host(rng)} charon: {rng.randint(0, 16):02d}[{ch}] {msg}"


def _openvpn(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%a %b %d %H:%M:%S %Y} {msg}"


def _bind(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    """BIND 9 with print-time, print-category and print-severity."""
    d = _dt(rng)
    cat = rng.choice(["general", "queries", "security", "xfer-in", "xfer-out", "notify", "lame-servers", "resolver", "network", "config"])
    lvl = {"info": rng.choice(["info", "notice"]), "warn": "warning", "error": "error", "crit": "critical"}[level]
    return f"{d:%d-%b-%Y %H:%M:%S}.{_ms(d)} {cat}: {lvl}: {msg}"


def _unbound(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = {"info": rng.choice(["info", "notice"]), "warn": "warning", "error": "error", "crit": rng.choice(["error", "fatal error"])}[level]
    return f"[{int(d.timestamp())}] unbound[{fakers.pid(rng)}:0] {lvl}: {msg}"


def _coredns(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    lvl = {"info": "INFO", "warn": "WARNING", "error": "ERROR", "crit": "FATAL"}[level]
    return f"[{lvl}] {msg}"


def _exim(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%d %H:%M:%S} {msg}"


def _activemq(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%d %H:%M:%S},{_ms(d)} | {_word(rng, 'java', level):<5} | {msg} | {_logger(rng, prof)} | {_thread(rng)}"


def _nats(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = {"info": "INF", "warn": "WRN", "error": "ERR", "crit": "FTL"}[level]
    return f"[{fakers.pid(rng)}] {d:%Y/%m/%d %H:%M:%S}.{d.microsecond:06d} [{lvl}] {msg}"


def _mosquitto(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    return f"{int(_dt(rng).timestamp())}: {msg}"


def _solr(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    core = rng.choice(["", f"[c:{fakers.word(rng)} s:shard{rng.randint(1, 4)} r:core_node{rng.randint(1, 9)} x:{fakers.word(rng)}_shard1_replica_n{rng.randint(1, 4)}] "])
    return f"{d:%Y-%m-%d %H:%M:%S}.{_ms(d)} {_word(rng, 'java', level):<5} ({_thread(rng)}) {core}{_logger(rng, prof)} {msg}"


def _clickhouse(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    lvl = {"info": rng.choice(["Information", "Debug", "Trace"]), "warn": "Warning", "error": "Error", "crit": rng.choice(["Fatal", "Critical"])}[level]
    return f"{d:%Y.%m.%d %H:%M:%S}.{d.microsecond:06d} [ {rng.randint(1, 9999)} ] {{}} <{lvl}> {_logger(rng, prof)}: {msg}"


def _mariadb(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y-%m-%d %H:%M:%S} {rng.randint(0, 400)} [{_word(rng, 'mysql', level)}] {msg}"


def _haproxy_stderr(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    lvl = {"info": "NOTICE", "warn": "WARNING", "error": "ALERT", "crit": "ALERT"}[level]
    return f"[{lvl}]{' ' * (10 - len(lvl))}({rng.randint(1, 40000)}) : {msg}"


def _jul(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    """java.util.logging as Tomcat writes it (catalina.out): SEVERE is its top level."""
    d = _dt(rng)
    lvl = {"info": "INFO", "warn": "WARNING", "error": "SEVERE", "crit": "SEVERE"}[level]
    return f"{d:%d-%b-%Y %H:%M:%S}.{_ms(d)} {lvl} [{_thread(rng)}] {_logger(rng, prof)} {msg}"


def _squid_cache(rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
    d = _dt(rng)
    return f"{d:%Y/%m/%d %H:%M:%S} kid{rng.randint(1, 4)}| {msg}"


STYLES: dict[str, Style] = {
    "syslog": _syslog, "syslog_kernel": _syslog_kernel, "rfc5424": _rfc5424, "journal": _journal,
    "thunderbird": _thunderbird, "log4j": _log4j, "log4j_b": _log4j_b, "pylog": _pylog, "pylog_b": _pylog_b,
    "klog": _klog, "nginx_error": _nginx_error, "apache_error": _apache_error, "cri": _cri, "json": _json,
    "logfmt": _logfmt, "plain_bracket": _plain_bracket, "plain": _plain, "oslo": _oslo, "hdfs_loghub": _hdfs_loghub,
    "spark": _spark, "zookeeper": _zookeeper, "kafka": _kafka, "airflow": _airflow, "postgres": _postgres,
    "mysql": _mysql, "mongo": _mongo, "mongo_legacy": _mongo_legacy, "redis": _redis, "elastic": _elastic,
    "rabbit": _rabbit, "mssql": _mssql, "bgl": _bgl, "slurm": _slurm, "pbs": _pbs, "winevent": _winevent,
    "cbs": _cbs, "winupdate": _winupdate, "macos_unified": _macos_unified, "logcat": _logcat,
    "healthapp": _healthapp, "proxifier": _proxifier, "envoy": _envoy, "dotnet": _dotnet, "hashicorp": _hashicorp,
    "syslog_pri": _syslog_pri, "cisco_ios": _cisco_ios, "asa": _asa, "fortigate": _fortigate, "strongswan": _strongswan,
    "openvpn": _openvpn, "bind": _bind, "unbound": _unbound, "coredns": _coredns, "exim": _exim, "activemq": _activemq,
    "nats": _nats, "mosquitto": _mosquitto, "solr": _solr, "clickhouse": _clickhouse, "mariadb": _mariadb,
    "haproxy_stderr": _haproxy_stderr, "jul": _jul, "squid_cache": _squid_cache,
}

# Error-log formats: an access line (HTTP Status) is never written there.
ERROR_LOG_STYLES = frozenset({"nginx_error", "apache_error", "haproxy_stderr", "jul", "squid_cache"})


def wrap(rng: random.Random, system: str, level: Level, message: str, *, access_line: bool = False) -> str:
    """``message`` with a header in one of ``system``'s formats, severity following ``level``."""
    prof = profile_for(system)
    styles = [s for s in prof.styles if not (access_line and s in ERROR_LOG_STYLES)] or ["syslog"]
    return STYLES[rng.choice(styles)](rng, prof, level, message)
