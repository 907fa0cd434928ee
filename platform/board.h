/*
 * board.h: the device's identity and wiring, read from board.conf at start.
 *
 * board.conf is "key = value" lines ('#' comments; values may be quoted).
 * Unknown keys are errors (a typo must not silently leave a default), as are
 * malformed MACs and over-long values; the error names the line.  The
 * struct holds plain values: what they mean to PacketCable is decided in
 * ecm/ and eue/.
 */
#ifndef PLATFORM_BOARD_H
#define PLATFORM_BOARD_H

#include <stdint.h>

#define BOARD_STR 64
#define BOARD_PATH 256

enum board_ip { BOARD_IP_V4 = 1, BOARD_IP_V6 = 2, BOARD_IP_DUAL = 3 };

struct board_conf {
	char name[BOARD_STR];
	/* identity */
	uint8_t ecm_mac[6], eue_mac[6];
	char serial[BOARD_STR];
	char vendor[BOARD_STR];
	uint8_t oui[3];
	char model[BOARD_STR];
	char hw_version[BOARD_STR], sw_version[BOARD_STR], boot_rom[BOARD_STR];
	/* wiring */
	char ecm_if[BOARD_STR], eue_if[BOARD_STR];
	enum board_ip ecm_ip_mode;   /* DOCSIS provisioning mode of the eCM */
	enum board_ip eue_ip_cap;    /* what the eUE supports */
	/* files */
	char nvram_dir[BOARD_PATH];
	char ipc_path[BOARD_PATH];
	char cert_root[BOARD_PATH], cert_mfg[BOARD_PATH], cert_device[BOARD_PATH], key_device[BOARD_PATH];
	char cert_kdc_root[BOARD_PATH];  /* the service provider's root: trusts the KDC (PKINIT) */
	char cert_cb_root[BOARD_PATH];   /* the operator root the certificate bootstrapping
	                                  * server must chain to (6.6.5); "" = cert_kdc_root */
	char run_dir[BOARD_PATH];        /* volatile files (the generated krb5 profile); default /tmp */
	int has_battery;
	/* SNMPv2c communities of the eUE's agent in the Basic and Hybrid flows
	 * (no Kerberos, so no USM keys; open question A9): read-only from any
	 * manager, read-write only from the provisioning SNMP entity. */
	char snmp_ro_community[BOARD_STR], snmp_rw_community[BOARD_STR];
	/* ecm_snmp_community: the read-only SNMPv2c community of the eCM's own
	 * agent (the ESAFE-MIB view, 6.6.3; boards with Net-SNMP only);
	 * default "public"; empty: ecmd serves no SNMP. */
	char ecm_snmp_community[BOARD_STR];
};

/* Parse text (len bytes).  On error, *err_line is the 1-based line. */
int board_parse(struct board_conf *b, const char *text, unsigned long len, unsigned *err_line);
int board_load(struct board_conf *b, const char *path, unsigned *err_line);
/* ecmd's and eued's start: board_load(conf), then the command line over it
 * (--nvram replaces nvram_dir).  Returns the IPC path: ipc (--ipc) when given,
 * else ipc_path of board.conf.  Exits with a message on any error. */
const char *board_load_cli(struct board_conf *b, const char *conf, const char *nvram,
			   const char *ipc);
const char *board_ip_str(enum board_ip m);

#endif
