/*
 * mib.h: the eUE's management data (PKTC-IETF-MTA-MIB device objects, the
 * realm table, the error-OID table, SNMP-TARGET/NOTIFICATION rows from TLV 38,
 * system group) behind a plain get / getnext / test / commit / abort API.
 *
 * No Net-SNMP here: the configuration file's apply step (eue/cfgapply.c) and
 * the embedded agent (snmp-mibs/agent.c) both drive this API, so every rule
 * (types, ranges, writable-by-whom, row rules) lives in one place and is unit
 * tested without an agent.  OIDs are arrays of arcs; values use the SNMP
 * tags of tlv/ber.h.
 *
 * A SET is a transaction: mib_set_begin(), mib_set_test() for every VarBind
 * (each staged, nothing visible yet), then mib_set_commit() (all staged
 * values become visible at once; cannot fail) or mib_set_abort().  So a
 * configuration file either applies as a whole or not at all (6.4.2 and the
 * 3GPP seed's "none of the downloaded parameters shall be applied"), and an
 * SNMP SET PDU is atomic (RFC 3416 4.2.5).
 */
#ifndef SNMP_MIBS_MIB_H
#define SNMP_MIBS_MIB_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/ber.h"

#define MIB_OID_MAX 128         /* arcs (RFC 2578 3.5) */
#define MIB_OUT_MAX 1024        /* bytes of one value read out */

/* A value as on the wire: tag (enum ber_tag) and contents. */
struct mib_val {
	uint8_t type;           /* BER_INTEGER, BER_OCTETS, BER_OID, BER_IPADDR, ... */
	int64_t num;            /* INTEGER, Counter32, Gauge32, TimeTicks */
	uint64_t u64;           /* Counter64 */
	const uint8_t *bytes;   /* OCTET STRING / IpAddress / OID contents (BER, no tag) */
	size_t len;
};

/* A value read out: the bytes live in buf. */
struct mib_out {
	struct mib_val v;
	uint8_t buf[MIB_OUT_MAX];
};

/* Results of get / getnext (RFC 3416 exceptions). */
enum mib_get_rc {
	MIB_GET_OK = 0,
	MIB_NO_SUCH_OBJECT,
	MIB_NO_SUCH_INSTANCE,
	MIB_END_OF_VIEW,        /* getnext: nothing after */
};

/* SNMP error-status values (RFC 3416 section 3), as mib_set_test() returns them. */
enum mib_err {
	MIB_E_OK = 0,
	MIB_E_TOO_BIG = 1,
	MIB_E_GEN = 5,
	MIB_E_NO_ACCESS = 6,
	MIB_E_WRONG_TYPE = 7,
	MIB_E_WRONG_LENGTH = 8,
	MIB_E_WRONG_VALUE = 10,
	MIB_E_NO_CREATION = 11,
	MIB_E_INCONSISTENT_VALUE = 12,
	MIB_E_RESOURCE = 13,
	MIB_E_COMMIT_FAILED = 14,
	MIB_E_NOT_WRITABLE = 17,
	MIB_E_INCONSISTENT_NAME = 18,
};

/* Who writes: some objects are written only by the file, some only by SNMP. */
enum mib_origin { MIB_BY_FILE, MIB_BY_SNMP };

/* What a committed SET changed that the device must act on (eue.c). */
enum mib_change {
	MIB_CH_CONFIG_FILE = 1,     /* pktcMtaDevConfigFile (+ hash, key) set by SNMP: eUE-19 done */
	MIB_CH_ENABLED = 2,         /* pktcMtaDevEnabled */
	MIB_CH_RESET = 4,           /* pktcMtaDevResetNow = true */
	MIB_CH_TARGETS = 8,         /* notification targets changed */
	MIB_CH_SYSLOG = 16,         /* pktcEventSyslog* (RFC 5428) changed */
	MIB_CH_CB_TRIGGER = 32,     /* pktcEUECBEnable set to true(1) by SNMP: certificate
	                             * bootstrapping now (6.6.5); a file's true(1) is acted
	                             * on after the whole file was accepted (eue/eue_cb.c) */
	MIB_CH_PCSCF = 64,          /* pktcEUEDevPCSCFTable rows changed (6.6.2) */
	MIB_CH_APPS = 128,          /* pktcEUEUsrAppMapTable changed (6.3.6) */
};
typedef void mib_change_fn(void *arg, unsigned changes);
/* A second observer of every commit, told who wrote (eue/incprov.c). */
typedef void mib_commit_fn(void *arg, unsigned changes, enum mib_origin o);

struct mib;

/* 0 and *out, or MIB_NO_SUCH_*. */
int mib_get(struct mib *m, const uint32_t *oid, size_t n, struct mib_out *out);
/* The first instance after oid[0..n): its name into next[0..MIB_OID_MAX) (*nn arcs). */
int mib_getnext(struct mib *m, const uint32_t *oid, size_t n, uint32_t *next, size_t *nn,
		struct mib_out *out);

/* One SET transaction at a time; begin aborts any staged one. */
void mib_set_begin(struct mib *m, enum mib_origin o);
/*
 * Stage oid = v.  Returns MIB_E_OK or the SNMP error status; *why (may be
 * NULL) gets the error-OID table's reason text ("VALUE NOT IN RANGE",
 * "VALUE DOES NOT MATCH TYPE", "UNSUPPORTED VALUE", ...).
 */
int mib_set_test(struct mib *m, const uint32_t *oid, size_t n, const struct mib_val *v,
		 const char **why);
/* Make every staged value visible; reports the changes through the hook. */
void mib_set_commit(struct mib *m);
void mib_set_abort(struct mib *m);

/* Called after a commit with the MIB_CH_* bits it caused. */
void mib_on_change(struct mib *m, mib_change_fn *fn, void *arg);
/* Called after every commit (after the change hook), with its origin; the
 * callee may run a transaction of its own from there. */
void mib_on_commit(struct mib *m, mib_commit_fn *fn, void *arg);

/* ------------------------------------------------------------------ device side
 *
 * Everything below is for eued (the device) and eue/cfgapply.c; the agent
 * uses only the functions above.  struct mib is public so eued can embed it
 * (about 270 KB, most of it the 1024-row error table: keep it static).
 *
 * Families (open question B2): the device reports the RFC 4682 objects
 * (mib-2.140) only.  A configuration file (MIB_BY_FILE) may also name the
 * CableLabs PKTC-MTA-MIB twins (1.3.6.1.4.1.4491.2.2.1) of the objects a
 * file normally sets: pktcMtaDevEnabled (.1.1.7), pktcMtaDevProvisioningTimer
 * (.1.1.11) and the realm table (.1.3.16, indexed by the IMPLIED realm name:
 * the row is the RFC 4682 row whose pktcMtaDevRealmName equals the index,
 * else a new row at the lowest free pktcMtaDevRealmIndex; column .7 MeanDev
 * has no RFC 4682 twin and is an unknown object).  Those are mapped onto the
 * RFC 4682 objects; SNMP SETs use RFC 4682 OIDs only.
 *
 * Served (getnext order): system group 1..6, every RFC 4682 object except
 * those below, EUE-PROV-LOCAL-MIB's pktcEUEDevProvisioningStatus (eUE-25,
 * A20), which mirrors pktcMtaDevProvisioningState, CL-PKTC-EUE-DEV-MIB's
 * pktcEUEDevProfileVersion (of the stored profile) and pktcEUECBSupport /
 * Enable / Data (Enable and Data writable by SNMP and by the file), the
 * local eueCertBootStatus / LastError, CL-PKTC-EUE-DEV-MIB's
 * pktcEUEDevPCSCFTable (6.6.2; written by the file, which replaces it, and
 * by SNMP as its read-create columns allow; the Used* columns read
 * unknown(0) / empty: no SIP stack yet), CL-PKTC-EUE-USER-MIB's
 * pktcEUEUsrAppMapTable (6.3.6; eue/incprov.h), the battery objects of
 * [CL-BB-MIB] (6.6.4: RFC 1628 upsBatteryStatus, upsSecondsOnBattery,
 * upsEstimatedMinutesRemaining, upsEstimatedChargeRemaining,
 * upsOutputSource and CLAB-UPS-MIB mtaDevPwrSupplyRatedMinutes /
 * AvailableMinutes, read-only, only with a battery hook), and the TLV 38
 * targets as RFC 3413 rows (below).  Not served: the three certificate objects (up
 * to 4096 bytes, more than MIB_OUT_MAX), pktcMtaDevCmsTable / CmsAvailSlot
 * (PacketCable 1.x call servers; a file's CMS rows are unknown objects).
 *
 * TLV 38 as SNMP-TARGET-MIB / SNMP-NOTIFICATION-MIB rows (spec 6.5;
 * config-file.md 4): a read-only view computed from m->run.targets, the
 * running configuration, at every read.  Names follow DOCSIS OSSI's
 * "mapping of TLV fields into created SNMPv3 table rows"; every index is an
 * IMPLIED SnmpAdminString (one arc per octet, RFC 2578 7.7), so rows sort
 * byte-wise by name.  Target j (0-based, file order) is:
 *   snmpTargetAddrTable "@config_<j>": TDomain snmpUDPDomain (1.3.6.1.6.1.1)
 *     with a 6-octet TAddress (IPv4 + port) or transportDomainUdpIpv6
 *     (1.3.6.1.2.1.100.1.2, RFC 3419) with 18 octets (IPv6 + port);
 *     Timeout in hundredths of a second (38.4 ms / 10, rounded up; 100
 *     without 38.4), RetryCount 38.5 (3 without 38.4: what the agent does,
 *     notify.h), TagList "@config_inform" for 38.3 types 3/5 else
 *     "@config_trap", Params "@config_<j>", StorageType volatile(2),
 *     RowStatus active(1);
 *   snmpTargetParamsTable "@config_<j>": MPModel / SecurityModel 0/1 for
 *     type 1 (SNMPv1), 1/2 for types 2/3 (SNMPv2c), 3/3 (SNMPv3, USM) for
 *     4/5; SecurityName "@config" (DOCSIS's name for community "public")
 *     for types 1..3, 38.7 for 4/5; SecurityLevel noAuthNoPriv(1) for 1..3,
 *     authNoPriv(2) for 4/5 (PacketCable's SNMPv3 always authenticates,
 *     privacy is optional); StorageType volatile(2); RowStatus active(1),
 *     notReady(3) for 4/5 (no USM keys yet: the agent sends nothing there);
 *   snmpNotifyTable, two rows whenever a target exists: "@config_inform"
 *     (Tag "@config_inform", Type inform(2)) and "@config_trap" (Tag
 *     "@config_trap", Type trap(1)), StorageType volatile(2), active(1).
 * volatile(2), as DOCSIS OSSI says: the rows are lost at reboot (RFC 2579)
 * and rebuilt from the next file; readOnly(5) would claim stable storage.
 * TLV 38 is the only writer: any SET names an existing cell (notWritable)
 * or a row that can never be created (noCreation), reason "NOT WRITABLE -
 * SET BY TLV 38 ONLY"; RFC 3413's compliance statements allow read-only
 * access (MIN-ACCESS read-only).  snmpTargetSpinLock, the context counters,
 * the 38.6 filter tables and SNMP-COMMUNITY-MIB are not served (the agent
 * applies no 38.6 filter).
 *
 * mib_init() leaves flow = Secure, prov_state = inProgress(2), pstate =
 * waitingForConfigFile(4); eued updates them as the flow runs.
 */

#define MIB_STR_MAX 256         /* SnmpAdminString: 255 bytes + NUL */
#define MIB_REALMS_MAX 8        /* pktcMtaDevRealmTable rows (index 1..255) */
#define MIB_ERRS_MAX 1024       /* pktcMtaDevErrorOidsTable (RFC 4682) */
#define MIB_TARGETS_MAX 8       /* TLV 38 notification receivers */
#define MIB_ERR_OID_MAX 96      /* bytes kept of each error row's strings */
#define MIB_ERR_VAL_MAX 64
#define MIB_ERR_WHY_MAX 96
#define MIB_HASH_LEN 20         /* pktcMtaDevProvConfigHash SIZE(20) */
#define MIB_KEY_LEN 32          /* pktcMtaDevProvConfigKey SIZE(32) */
#define MIB_CB_DATA_MAX 1023    /* pktcEUECBData SIZE(0..1023) */
#define MIB_PROFILE_VERSION_MAX 64  /* pktcEUEDevProfileVersion as stored (devprofile.h) */
#define MIB_PCSCF_MAX 4         /* pktcEUEDevPCSCFTable rows (index 1..255) */
#define MIB_PCSCF_ADDR_MAX 255  /* InetAddress SIZE(0..255): an FQDN for dns(16) */

/*
 * A pktcEUEDevPCSCFTable row (CL-PKTC-EUE-DEV-MIB, 6.6.2).  Spec 6.6.2: the
 * P-CSCF comes from the configuration file (24.229 Option-II) and never
 * from DHCP (method I: no DHCP option is requested or read for it).  The
 * file replaces the whole table; SNMP may create, change and destroy rows
 * as the columns' read-create access says.  addr_type is InetAddressType:
 * ipv4(1) 4 bytes, ipv6(2) 16 bytes, dns(16) 1..255 bytes of FQDN (RFC 4001).
 */
struct mib_pcscf {
	uint32_t index;                 /* 1..255; 0 = unused slot */
	uint8_t status;                 /* RowStatus: 1 active; internal pending states while staged */
	uint8_t addr_type;
	uint8_t addr[MIB_PCSCF_ADDR_MAX];
	size_t addr_len;
	uint32_t sip_port;              /* DEFVAL 5060 */
	uint32_t protocol;              /* pktcEUEDevPCSCFUsedProtocol udp(1) tcp(2) tls(3) */
	uint32_t t1, t2, t4, td;        /* ms; DEFVALs 500, 4000, 5000, 32000 */
	uint32_t invite_attempts, max_time, base_all_failed, base_all_not_failed, subscribe_retry;
};

/*
 * Battery backup (6.6.4, [CL-BB-MIB]: CableLabs CLAB-UPS-MIB, whose
 * compliance is built from RFC 1628 UPS-MIB groups).  Served only when the
 * board has a battery (board.conf battery = yes): a hook installed with
 * mib_set_battery() fills this at every read.  Without one every battery
 * object is noSuchObject and getnext skips them.
 */
struct mib_battery {
	int status;                     /* upsBatteryStatus: unknown(1) normal(2) low(3) depleted(4) */
	uint32_t seconds_on_battery;    /* upsSecondsOnBattery: 0 on mains */
	uint32_t minutes_remaining;     /* upsEstimatedMinutesRemaining (PositiveInteger, >= 1) */
	uint32_t charge;                /* upsEstimatedChargeRemaining 0..100 % */
	int on_battery;                 /* upsOutputSource: battery(5), else normal(3) */
	uint32_t rated_minutes;         /* mtaDevPwrSupplyRatedMinutes */
	uint32_t available_minutes;     /* mtaDevPwrSupplyAvailableMinutes */
};
typedef void mib_battery_fn(void *arg, struct mib_battery *b);

/*
 * Incremental provisioning (6.3.6): a pktcEUEUsrAppMapTable row
 * (CL-PKTC-EUE-USER-MIB, pktcEUEMibs 4 as compiled; reference/mibs.md 4),
 * indexed by (pktcEUEUsrIMPUIndex 1..63, pktcEUEUsrAppMapAppIndex 1..31).
 * The file creates the rows; SNMP activates and deactivates an application
 * with pktcEUEUsrAppMapAppAdminStat (active(1) / inactive(2)) through the
 * same transaction; eue/incprov.c persists those SETs (see there).
 */
#define MIB_APPS_MAX 8
#define MIB_APP_INFO_MAX 31     /* PktcEUETCStatusInfo SIZE(0..31) */
struct mib_app {
	uint32_t impu, app;             /* the index; impu 0 = unused slot */
	uint8_t status;                 /* RowStatus: 1 active; internal pending states while staged */
	uint32_t org;                   /* AppOrgID: IANA enterprise number (4491) */
	uint32_t ident;                 /* AppIdentifier 1..127 */
	uint32_t ref;                   /* AppIndexRef 0..31 */
	uint8_t admin;                  /* AppAdminStat: active(1) (DEFVAL), inactive(2) */
	char admin_info[MIB_APP_INFO_MAX + 1];
};

/*
 * Certificate bootstrapping (6.6.5; CL-PKTC-EUE-DEV-MIB pktcEUECB*, and the
 * outcome in EUE-PROV-LOCAL-MIB eueCertBootStatus / eueCertBootLastError,
 * this project's objects: no public MIB reports it).
 */
enum mib_cb_status {
	MIB_CB_IDLE = 1,                /* never triggered since start */
	MIB_CB_IN_PROGRESS = 2,
	MIB_CB_SUCCEEDED = 3,           /* profile retrieved, valid, stored */
	MIB_CB_FAILED = 4,              /* see eueCertBootLastError */
};

/* The provisioning flow (eUE-3's realm classes); decides what SNMP may write. */
enum mib_flow { MIB_FLOW_SECURE = 0, MIB_FLOW_HYBRID = 1, MIB_FLOW_BASIC = 2 };

/* pktcMtaDevProvisioningState (RFC 4682; reference/config-file.md 5). */
enum mib_prov {
	MIB_PROV_PASS = 1,
	MIB_PROV_IN_PROGRESS = 2,
	MIB_PROV_FAIL_CONFIG = 3,       /* failConfigFileError */
	MIB_PROV_PASS_WARN = 4,         /* passWithWarnings */
	MIB_PROV_PASS_INCOMPLETE = 5,   /* passWithIncompleteParsing */
	MIB_PROV_FAIL_INTERNAL = 6,     /* failureInternalError */
	MIB_PROV_FAIL_OTHER = 7,        /* failureOtherReason */
};

/* pktcMtaDevProvState (RFC 4682). */
enum mib_pstate {
	MIB_PSTATE_OPERATIONAL = 1,
	MIB_PSTATE_WAIT_SNMP_SET = 2,
	MIB_PSTATE_WAIT_TFTP_ADDR = 3,
	MIB_PSTATE_WAIT_CONFIG = 4,
};

/* What the device is; copied by mib_init (the caller's strings may go away). */
struct mib_identity {
	const char *sys_descr;          /* NULL: built from the fields below (eDOCSIS form) */
	const uint32_t *sys_object_id;  /* arcs; NULL: 1.3.6.1.4.1.4491 */
	size_t sys_object_id_len;
	const char *serial;             /* pktcMtaDevSerialNumber */
	uint8_t mac[6];                 /* the eUE MAC */
	const char *hw_version;
	const char *sw_version;         /* pktcMtaDevSwCurrentVers */
	const char *model;
	const char *vendor;
	/* pktcMtaDevTypeIdentifier: RFC 4682 says the option-60 text
	 * ("pktc2.0:" + capabilities hex) the device sends in DHCP. */
	const char *type_id;
	uint32_t endpoints;             /* pktcMtaDevEndPntCount (1..255) */
	int http_access;                /* pktcMtaDevHttpAccess: nonzero = true(1) */
};

/* A pktcMtaDevRealmTable row (RFC 4682 columns). */
struct mib_realm {
	uint32_t index;                 /* 1..255; 0 = unused slot */
	uint8_t status;                 /* RowStatus: 1 active; internal pending states while staged */
	char name[MIB_STR_MAX];
	char org[65];
	uint32_t pkinit_grace, tgs_grace, max_timeout, nom_timeout, max_retries;
};

/*
 * A notification receiver from TLV 38 (spec 6.5; reference/config-file.md 4).
 * type (38.3, A15, DOCSIS OSSI reading): 1 SNMPv1 trap, 2 SNMPv2c trap,
 * 3 SNMPv2c inform, 4 SNMPv3 trap, 5 SNMPv3 inform.  timeout_ms (38.4) in
 * milliseconds (A15, DOCSIS reading); 0 when the file has no 38.4.
 */
struct mib_target {
	int family;                     /* 4 or 6: which of addr's bytes count */
	uint8_t addr[16];               /* 38.1 (first 4 bytes) or 38.8 */
	uint16_t port;                  /* 38.2, default 162 */
	uint8_t type;                   /* 38.3, default 2 (v2c trap) */
	uint32_t timeout_ms;            /* 38.4 */
	uint8_t retries;                /* 38.5 (the file's 16 bits, capped at 255) */
	uint8_t filter[BER_OID_MAX * 5];/* 38.6: OID contents (BER, no tag); filter_len 0 = none */
	size_t filter_len;
	char secname[17];               /* 38.7, "" = none */
};

/* An InetAddressType + InetAddress pair (RFC 4001): type 0 unknown (no
 * bytes), 1 ipv4 (4 bytes), 2 ipv6 (16 bytes). */
struct mib_inet {
	uint8_t type;
	uint8_t addr[16];
};

/* The writable configuration: one copy runs, one is staged by a transaction. */
struct mib_cfg {
	char sys_contact[MIB_STR_MAX], sys_name[MIB_STR_MAX], sys_location[MIB_STR_MAX];
	int enabled;                    /* pktcMtaDevEnabled: 1 true, 2 false */
	uint32_t prov_timer;            /* pktcMtaDevProvisioningTimer, minutes 0..30 */
	char config_file[MIB_STR_MAX];  /* pktcMtaDevConfigFile */
	uint8_t hash[MIB_HASH_LEN];     /* pktcMtaDevProvConfigHash */
	int hash_set;
	uint8_t key[MIB_KEY_LEN];       /* pktcMtaDevProvConfigKey (never read back) */
	int key_set;
	int encrypt_alg;                /* pktcMtaDevProvConfigEncryptAlg 0..4 */
	uint32_t sol_key_timeout;       /* pktcMtaDevProvSolicitedKeyTimeout 15..600 s */
	struct mib_inet dns1, dns2;     /* pktcMtaDevServerDns1/2 (read-write; one address type) */
	uint8_t reset_krb;              /* pktcMtaDevResetKrbTickets BITS (first octet) */
	int cb_enable;                  /* pktcEUECBEnable: 1 true, 2 false (DEFVAL) */
	uint8_t cb_data[MIB_CB_DATA_MAX];   /* pktcEUECBData: the server's URL (eue/certboot.h) */
	size_t cb_data_len;
	/* RFC 5428 pktcEventSyslog*: the MEM-MIB way to name the syslog server
	 * (eUE-24); a non-empty, non-zero address overrides DHCP option 7 /
	 * CL 34.  Only BSD syslog (RFC 3164) over UDP is built. */
	struct mib_inet syslog;         /* pktcEventSyslogAddressType + Address */
	uint32_t syslog_port;           /* pktcEventSyslogPort (our default 514, B5) */
	struct mib_realm realms[MIB_REALMS_MAX];    /* sorted by index, used ones first */
	size_t n_realms;
	struct mib_target targets[MIB_TARGETS_MAX];
	size_t n_targets;
	struct mib_pcscf pcscf[MIB_PCSCF_MAX];      /* sorted by index, used ones first */
	size_t n_pcscf;
	struct mib_app apps[MIB_APPS_MAX];          /* sorted by (impu, app), used ones first */
	size_t n_apps;
};

struct mib_errrow {
	char oid[MIB_ERR_OID_MAX];      /* dotted OID, "" when unrecognised */
	char value[MIB_ERR_VAL_MAX];    /* the value as text (the OID when unrecognised) */
	char reason[MIB_ERR_WHY_MAX];
};

struct mib {
	/* Device-written state: eued sets these fields directly (SNMP reads them). */
	enum mib_flow flow;
	enum mib_prov prov_state;       /* pktcMtaDevProvisioningState (also pktcEUEDevProvisioningStatus) */
	enum mib_pstate pstate;         /* pktcMtaDevProvState */
	char fqdn[MIB_STR_MAX];         /* pktcMtaDevFQDN */
	char snmp_entity[MIB_STR_MAX];  /* pktcMtaDevSnmpEntity: 122.3 / CCCv6.3 as text */
	char kerb_realm[MIB_STR_MAX];   /* pktcMtaDevProvKerbRealmName (DHCP 122.6 / CCCv6.6) */
	char kerb_org[65];              /* the organization name of the Kerberos/SNMPv3 exchange, "" unknown */
	uint32_t prov_counter;          /* pktcMtaDevProvisioningCounter */
	uint32_t correlation_id;        /* pktcMtaDevCorrelationId */
	struct mib_inet dhcp1, dhcp2;   /* pktcMtaDevServerDhcp1/2 (address type: dhcp1's) */
	struct mib_inet time_server;    /* pktcMtaDevTimeServer */
	enum mib_cb_status cb_status;   /* eueCertBootStatus */
	char cb_why[MIB_STR_MAX];       /* eueCertBootLastError: "" or reason: sentence */
	char profile_version[MIB_PROFILE_VERSION_MAX + 1];  /* pktcEUEDevProfileVersion of the
	                                 * stored device profile, "" when none */
	/* sysUpTime: now_ms(now_arg) - boot_ms; NULL now_ms = platform clock_mono_ms. */
	uint64_t (*now_ms)(void *arg);
	void *now_arg;
	uint64_t boot_ms;

	/* Read-only to everyone but mib.c. */
	struct mib_cfg run;             /* running configuration (run.targets, run.n_targets: TLV 38) */
	struct mib_cfg stage;           /* the open transaction's copy */
	int tx_open;
	enum mib_origin tx_origin;
	unsigned tx_changes;            /* MIB_CH_* bits staged */
	int tx_reset;
	struct mib_errrow errs[MIB_ERRS_MAX];
	size_t n_errs;
	char sys_descr[MIB_STR_MAX];
	uint32_t sys_oid[MIB_OID_MAX];
	size_t sys_oid_len;
	char serial[MIB_STR_MAX], sw_version[MIB_STR_MAX], type_id[MIB_STR_MAX];
	uint8_t mac[6];
	uint32_t endpoints;
	int http_access;
	mib_change_fn *on_change;
	void *on_change_arg;
	mib_commit_fn *on_commit;
	void *on_commit_arg;
	mib_battery_fn *battery;        /* NULL: no battery, the objects do not exist */
	void *battery_arg;
};

/* Defaults of RFC 4682 (DEFVALs), identity copied, no transaction open. */
void mib_init(struct mib *m, const struct mib_identity *id);

/* Set the in-file / computed hash the Basic flow reports (RFC 4682). */
void mib_set_config_hash(struct mib *m, const uint8_t hash[MIB_HASH_LEN]);
/* Set the Basic flow's synthesized URL (DHCP siaddr+file, or CL 32/33). */
void mib_set_config_file(struct mib *m, const char *url);

/*
 * Whole-transaction consistency, after the last mib_set_test(): every row
 * the transaction creates must be complete (a realm row needs
 * pktcMtaDevRealmName and pktcMtaDevRealmOrgName, RFC 4682 / spec 6.4.2.1),
 * and no column may be set on a row that neither exists nor is created.
 * MIB_E_OK, or the error status with *why and the offending row's RowStatus
 * OID in oid[0..*n) (either may be NULL).  mib_set_commit() runs it too and
 * aborts the whole transaction when it fails, so a missed check can never
 * apply half a row; the agent should call it before committing to report
 * the right error (inconsistentValue).
 */
int mib_set_check(struct mib *m, uint32_t *oid, size_t *n, const char **why);

/* Object identities (what an OID names), for the apply step's policy. */
enum mib_obj {
	MIB_O_NONE = -1,
	MIB_O_SYS_DESCR, MIB_O_SYS_OBJECT_ID, MIB_O_SYS_UPTIME, MIB_O_SYS_CONTACT,
	MIB_O_SYS_NAME, MIB_O_SYS_LOCATION,
	MIB_O_RESET_NOW, MIB_O_SERIAL, MIB_O_SW_VERS, MIB_O_FQDN, MIB_O_ENDPNT_COUNT,
	MIB_O_ENABLED, MIB_O_TYPE_ID, MIB_O_PROV_STATE, MIB_O_HTTP_ACCESS, MIB_O_PROV_TIMER,
	MIB_O_PROV_COUNTER, MIB_O_ERR_OID, MIB_O_ERR_VALUE, MIB_O_ERR_REASON,
	MIB_O_DHCP_ADDR_TYPE, MIB_O_DHCP1, MIB_O_DHCP2, MIB_O_DNS_ADDR_TYPE, MIB_O_DNS1,
	MIB_O_DNS2, MIB_O_TIME_ADDR_TYPE, MIB_O_TIME_SERVER,
	MIB_O_CONFIG_FILE, MIB_O_SNMP_ENTITY, MIB_O_CONFIG_HASH, MIB_O_CONFIG_KEY,
	MIB_O_ENCRYPT_ALG, MIB_O_SOL_KEY_TIMEOUT, MIB_O_UNSOL_KEY_MAX_TIMEOUT,
	MIB_O_UNSOL_KEY_NOM_TIMEOUT, MIB_O_UNSOL_KEY_MAX_RETRIES, MIB_O_KERB_REALM, MIB_O_PSTATE,
	MIB_O_CORRELATION_ID, MIB_O_REALM_AVAIL_SLOT,
	MIB_O_REALM_NAME, MIB_O_REALM_PKINIT_GRACE, MIB_O_REALM_TGS_GRACE, MIB_O_REALM_ORG,
	MIB_O_REALM_MAX_TIMEOUT, MIB_O_REALM_NOM_TIMEOUT, MIB_O_REALM_MAX_RETRIES,
	MIB_O_REALM_STATUS,
	MIB_O_RESET_KRB_TICKETS,
	MIB_O_EUE_PROV_STATUS,
	MIB_O_EV_SYSLOG_CAPS, MIB_O_EV_SYSLOG_ADDR_TYPE, MIB_O_EV_SYSLOG_ADDR, MIB_O_EV_SYSLOG_FORMAT,
	MIB_O_EV_SYSLOG_TRANSPORT, MIB_O_EV_SYSLOG_PORT,
	MIB_O_IF_PHYS_ADDRESS,
	MIB_O_TADDR_TDOMAIN, MIB_O_TADDR_TADDRESS, MIB_O_TADDR_TIMEOUT, MIB_O_TADDR_RETRY_COUNT,
	MIB_O_TADDR_TAG_LIST, MIB_O_TADDR_PARAMS, MIB_O_TADDR_STORAGE_TYPE, MIB_O_TADDR_ROW_STATUS,
	MIB_O_TPARAMS_MP_MODEL, MIB_O_TPARAMS_SEC_MODEL, MIB_O_TPARAMS_SEC_NAME,
	MIB_O_TPARAMS_SEC_LEVEL, MIB_O_TPARAMS_STORAGE_TYPE, MIB_O_TPARAMS_ROW_STATUS,
	MIB_O_NOTIFY_TAG, MIB_O_NOTIFY_TYPE, MIB_O_NOTIFY_STORAGE_TYPE, MIB_O_NOTIFY_ROW_STATUS,
	MIB_O_DEV_PROFILE_VERSION, MIB_O_CB_SUPPORT, MIB_O_CB_ENABLE, MIB_O_CB_DATA,
	MIB_O_CB_STATUS, MIB_O_CB_LAST_ERROR,
	MIB_O_PCSCF_ADDR_TYPE, MIB_O_PCSCF_ADDR, MIB_O_PCSCF_SIP_PORT, MIB_O_PCSCF_PROTOCOL,
	MIB_O_PCSCF_USED_ADDR_TYPE, MIB_O_PCSCF_USED_ADDR, MIB_O_PCSCF_T1, MIB_O_PCSCF_T2,
	MIB_O_PCSCF_T4, MIB_O_PCSCF_TD, MIB_O_PCSCF_STATUS, MIB_O_PCSCF_INVITE_ATTEMPTS,
	MIB_O_PCSCF_MAX_TIME, MIB_O_PCSCF_BASE_ALL_FAILED, MIB_O_PCSCF_BASE_ALL_NOT_FAILED,
	MIB_O_PCSCF_SUBSCRIBE_RETRY,
	MIB_O_UPS_BATTERY_STATUS, MIB_O_UPS_SECONDS_ON_BATTERY, MIB_O_UPS_MINUTES_REMAINING,
	MIB_O_UPS_CHARGE_REMAINING, MIB_O_UPS_OUTPUT_SOURCE,
	MIB_O_BB_RATED_MINUTES, MIB_O_BB_AVAILABLE_MINUTES,
	MIB_O_APP_ORG, MIB_O_APP_IDENT, MIB_O_APP_REF, MIB_O_APP_ADMIN, MIB_O_APP_ADMIN_INFO,
	MIB_O_APP_OPER, MIB_O_APP_OPER_INFO, MIB_O_APP_STATUS,
	MIB_O_COUNT
};
/*
 * The object oid[0..n) is an instance of (or names), or MIB_O_NONE; origin
 * MIB_BY_FILE also resolves the CableLabs twins listed above.
 */
int mib_lookup(const uint32_t *oid, size_t n, enum mib_origin o);

/* Error-OID table (status: the apply step writes it, SNMP reads it). */
void mib_err_clear(struct mib *m);
/*
 * Append one row.  The 1024th row is always pktcMtaDevErrorsTooManyErrors
 * (RFC 4682; B6: the registered OID 1.3.6.1.2.1.140.1.4.1, not the prose's
 * string); later rows are dropped.  Returns 0, or E_OVERFLOW when the row was
 * not stored as given.
 */
int mib_err_add(struct mib *m, const char *oid, const char *value, const char *reason);

/* The board's battery hook (6.6.4); NULL: no battery (the default). */
void mib_set_battery(struct mib *m, mib_battery_fn *fn, void *arg);

/* Stage a whole notification-target list (the apply step's TLV 38s). */
int mib_set_targets(struct mib *m, const struct mib_target *t, size_t n);

#endif
