/*
 * provsrv.h: the lab's reference provisioning server (tests/lab/provsrv*.c).
 *
 * provsrv.c      options, the Net-SNMP loop, INFORM handling (eUE-15, eUE-25), GET (eUE-16/17)
 *                and SET (eUE-19); the only file with Net-SNMP types
 * provsrv_cfg.c  per-device config file (eUE-18): template -> text -> binary (tlv/cfgtext.h),
 *                SHA-1 (tlv/cfgcrypt.h), written into the TFTP and HTTP roots; no network
 *
 * A test tool, not firmware: it may allocate freely and exit on setup errors, but never on
 * anything a device sends.
 */
#ifndef TESTS_LAB_PROVSRV_H
#define TESTS_LAB_PROVSRV_H

#include <stddef.h>
#include <stdint.h>

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

#endif
