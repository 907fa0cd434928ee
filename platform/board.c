/* board.c: the board.conf reader of board.h. */
#include "platform/board.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/err.h"

enum board_kind { BK_STR, BK_MAC, BK_OUI, BK_IP, BK_BOOL };

struct board_key {
	const char *key;
	enum board_kind kind;
	size_t off;
	size_t size;
};

#define BS(k, f) { k, BK_STR, offsetof(struct board_conf, f), sizeof(((struct board_conf *)0)->f) }
#define BF(k, kind, f) { k, kind, offsetof(struct board_conf, f), sizeof(((struct board_conf *)0)->f) }

static const struct board_key board_keys[] = {
	BS("name", name),
	BF("ecm_mac", BK_MAC, ecm_mac),
	BF("eue_mac", BK_MAC, eue_mac),
	BS("serial_number", serial),
	BS("vendor", vendor),
	BF("vendor_oui", BK_OUI, oui),
	BS("model", model),
	BS("hw_version", hw_version),
	BS("sw_version", sw_version),
	BS("boot_rom_version", boot_rom),
	BS("ecm_interface", ecm_if),
	BS("eue_interface", eue_if),
	BF("ecm_ip_mode", BK_IP, ecm_ip_mode),
	BF("eue_ip_capability", BK_IP, eue_ip_cap),
	BS("nvram_dir", nvram_dir),
	BS("ipc_path", ipc_path),
	BS("cert_root", cert_root),
	BS("cert_manufacturer", cert_mfg),
	BS("cert_device", cert_device),
	BS("key_device", key_device),
	BS("cert_kdc_root", cert_kdc_root),
	BS("cert_cb_root", cert_cb_root),
	BS("run_dir", run_dir),
	BF("battery", BK_BOOL, has_battery),
	BS("snmp_ro_community", snmp_ro_community),
	BS("snmp_rw_community", snmp_rw_community),
	BS("ecm_snmp_community", ecm_snmp_community),
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "02:00:00:00:0c:01" (or '-' separated) into n bytes. */
static int parse_hexbytes(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (lo < 0)
			return E_PROTO;
		out[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i + 1 < n) {
			if (*s != ':' && *s != '-')
				return E_PROTO;
			s++;
		}
	}
	return *s == '\0' ? 0 : E_PROTO;
}

static const char *const board_ip_names[] = {
	[BOARD_IP_V4] = "ipv4", [BOARD_IP_V6] = "ipv6", [BOARD_IP_DUAL] = "dual",
};

const char *board_ip_str(enum board_ip m)
{
	return m >= BOARD_IP_V4 && m <= BOARD_IP_DUAL ? board_ip_names[m] : "?";
}

static int board_set(struct board_conf *b, const struct board_key *k, const char *v)
{
	uint8_t *f = (uint8_t *)b + k->off;

	switch (k->kind) {
	case BK_STR:
		if (strlen(v) >= k->size)
			return E_OVERFLOW;
		strcpy((char *)f, v);
		return 0;
	case BK_MAC:
		return parse_hexbytes(v, f, 6);
	case BK_OUI:
		return parse_hexbytes(v, f, 3);
	case BK_IP:
		for (int m = BOARD_IP_V4; m <= BOARD_IP_DUAL; m++) {
			if (strcmp(v, board_ip_names[m]) == 0) {
				*(enum board_ip *)(void *)f = (enum board_ip)m;
				return 0;
			}
		}
		return E_RANGE;
	case BK_BOOL:
		if (strcmp(v, "yes") && strcmp(v, "no") && strcmp(v, "1") && strcmp(v, "0"))
			return E_RANGE;
		*(int *)(void *)f = v[0] == 'y' || v[0] == '1';
		return 0;
	}
	return E_INVAL;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int board_parse(struct board_conf *b, const char *text, unsigned long len, unsigned *err_line)
{
	char line[512];
	unsigned lineno = 0;
	unsigned long pos = 0;

	memset(b, 0, sizeof(*b));
	b->ecm_ip_mode = BOARD_IP_V6;
	b->eue_ip_cap = BOARD_IP_DUAL;
	strcpy(b->run_dir, "/tmp");
	strcpy(b->snmp_ro_community, "public");
	strcpy(b->snmp_rw_community, "private");
	strcpy(b->ecm_snmp_community, "public");
	*err_line = 0;
	while (pos < len) {
		unsigned long n = 0;
		char *k, *v, *eq;
		size_t i;
		int rc = E_NOTFOUND;

		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (n + 1 >= sizeof(line) || text[pos] == '\0') {
				*err_line = lineno;
				return E_PROTO;
			}
			line[n++] = text[pos++];
		}
		pos++;   /* the newline */
		line[n] = '\0';
		if ((k = strchr(line, '#')) != NULL)
			*k = '\0';
		k = trim(line);
		if (*k == '\0')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL) {
			*err_line = lineno;
			return E_PROTO;
		}
		*eq = '\0';
		k = trim(k);
		v = trim(eq + 1);
		if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
			v[strlen(v) - 1] = '\0';
			v++;
		}
		for (i = 0; i < sizeof(board_keys) / sizeof(board_keys[0]); i++)
			if (strcmp(k, board_keys[i].key) == 0)
				rc = board_set(b, &board_keys[i], v);
		if (rc != 0) {
			*err_line = lineno;
			return rc;
		}
	}
	if (b->ecm_if[0] == '\0' || b->eue_if[0] == '\0' || b->nvram_dir[0] == '\0') {
		*err_line = lineno;
		return E_NOTFOUND;   /* the daemons cannot run without these */
	}
	return 0;
}

int board_load(struct board_conf *b, const char *path, unsigned *err_line)
{
	char buf[16384];
	size_t n;
	FILE *f = fopen(path, "r");

	*err_line = 0;
	if (f == NULL)
		return E_IO;
	n = fread(buf, 1, sizeof(buf), f);
	if (!feof(f)) {
		fclose(f);
		return E_OVERFLOW;
	}
	fclose(f);
	return board_parse(b, buf, n, err_line);
}
