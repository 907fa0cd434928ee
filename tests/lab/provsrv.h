/*
 * provsrv.h: the lab's reference provisioning server (tests/lab/provsrv*.c).
 *
 * provsrv.c      options, the Net-SNMP loop, INFORM handling (eUE-15, eUE-25), GET (eUE-16/17)
 *                and SET (eUE-19); the only file with Net-SNMP types
 * provsrv_cfg.c  per-device config file (eUE-18): template -> text -> binary (tlv/cfgtext.h),
 *                SHA-1 (tlv/cfgcrypt.h), written into the TFTP and HTTP roots; no network
 * provsrv_km.c   Kerberized key management on UDP 1293 (eUE-13/14, kerberos/README-km.md): AP
 *                Request checked with libkrb5 and the keytab, AP Reply with a server subkey or
 *                an Error Reply, the USM keys derived (kerberos/km_keys.h); no Net-SNMP types:
 *                the keys reach provsrv.c through ps_usm_install()
 *
 * A test tool, not firmware: it may allocate freely and exit on setup errors, but never on
 * anything a device sends.
 */
#ifndef TESTS_LAB_PROVSRV_H
#define TESTS_LAB_PROVSRV_H

#include <stddef.h>
#include <sys/select.h>
#include <stdint.h>

#include "kerberos/km_keys.h"
#include "kerberos/pktc_km.h"
#include "tlv/cfgcrypt.h"

#define PS_MAX_DEFS 32

/* One event per line, "<UTC time> provsrv <event> k=v ...", flushed at once. */
void ps_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct ps_cfg_opts {
	const char *template_path;      /* config-file text (tlv/cfgtext.h syntax) */
	const char *tftp_root, *www_root;
	int prefer_module;              /* cfgtext name preference (mib_modules index) */
	const char *def_name[PS_MAX_DEFS], *def_value[PS_MAX_DEFS];
	size_t ndefs;                   /* -D NAME=VALUE placeholders (@NAME@) */
	int in_file_hash;               /* enum cfg_hash_family of an in-file hash TLV (Basic style),
	                                   -1 = none (Hybrid: the hash travels in the SET) */
};

struct ps_file {
	char name[64];                  /* file name under the roots, e.g. 02000000e01.cfg */
	size_t len;
	uint8_t sha1[CFG_SHA1_LEN];     /* over the file as written (A8: as downloaded) */
};

/*
 * eUE-18: render the template for one device (@MAC@ = aa:bb:.., @MACHEX@ = aabb..,
 * @DEVADDR@ = the device address, then the -D definitions), compile it, hash it and write
 * <name> into every configured root, world-readable (tftpd-hpa reads as user tftp).
 * 0, or -1 with the reason logged.
 */
int ps_cfg_build(const struct ps_cfg_opts *o, const char *devname, const char *mac_colon,
		 const char *mac_hex, const char *devaddr, struct ps_file *out);

/* ---------------------------------------------------------------- key management (provsrv_km.c) */

#define PS_ADDR_MAX 46                  /* INET6_ADDRSTRLEN */

/* One security association: what an AP Reply established with one device. */
struct ps_km_sa {
	char addr[PS_ADDR_MAX];         /* the device's address (the AP Request's source) */
	int v6;
	char user[KM_USER_MAX + 1];     /* usmUserName of the AP Request (the eUE MAC in hex) */
	uint8_t eue_eid[KM_ENGINEID_MAX];
	size_t eue_eid_len;
	uint32_t eue_boots, eue_time;   /* as the AP Request gave them */
	struct km_cs cs;                /* the chosen ciphersuite */
	struct km_usm_keys keys;        /* localized keys for both engine IDs, only on the way to
	                                   ps_usm_install() (zero in provsrv_km.c's table); never
	                                   logged */
	/* the Kerberos secrets behind them, for the --usm-keys-file oracle only (zero in the table
	 * too): the ticket's session key and the AP Reply's subkey */
	uint8_t session[64], subkey[64];
	size_t session_len, subkey_len;
};

struct ps_km_opts {
	const char *keytab;             /* NULL: no key management (Basic/Hybrid only) */
	const char *krb5_conf;          /* KRB5_CONFIG for libkrb5 (realm, enctypes) */
	unsigned port;                  /* KM_PORT */
	uint32_t lifetime, grace;       /* AP Reply: seconds */
	int no_aes;                     /* refuse AES privacy (the next offered suite is chosen) */
	unsigned replay_ms[4];          /* --km-replay-ms: each AP Reply sent again, unasked, this
	                                   many ms after the original (a replay; 0: none) */
	size_t nreplay;
	unsigned wakeup_ms;             /* --km-wakeup-ms: a Wake Up this long after the first AP
	                                   Reply to a device (0: none) */
};

/*
 * Open one UDP socket per --listen spec ("udp:ADDR:PORT", "udp6:[ADDR]:PORT", "udp:PORT") on
 * o->port of the same address, and the krb5 context and keytab.  0, or -1 (logged).
 */
int ps_km_open(const struct ps_km_opts *o, const char *const *specs, size_t nspecs);
/* Add the sockets to a select() set. */
void ps_km_fds(fd_set *fds, int *nfds);
/* Serve whatever is readable in fds. */
void ps_km_read(const fd_set *fds);
/* --km-replay-ms, --km-wakeup-ms: lower *tv (and clear *block) to the next replay or Wake Up
 * due; ps_km_tick() sends those that are due (call it after every wait). */
void ps_km_timeout(struct timeval *tv, int *block);
void ps_km_tick(void);
void ps_km_close(void);
/* The SA whose usmUserName is user (NULL: none). */
const struct ps_km_sa *ps_km_sa_by_user(const char *user, size_t len);

/* provsrv.c: provsrv's own SNMP engine (stable; RFC 3411), for the AP Reply's ASD. */
size_t ps_engine(uint8_t *eid, size_t cap, uint32_t *boots, uint32_t *time_s);
/* provsrv.c: install the SA's USM user under both engine IDs (replacing an older one). */
int ps_usm_install(const struct ps_km_sa *sa);

#endif
