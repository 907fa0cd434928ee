/* test_cablelabs.c: CableLabs sub-option tables (tlv/cablelabs.c).  Byte
 * vectors from reference/dhcp-options.md (tshark-decoded) and
 * reference/lab-servers.md (what Kea 2.2 sent in the lab); every vector is
 * decoded and re-encoded byte-for-byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/err.h"
#include "tlv/cablelabs.h"

#include "tests/unit/unhex.h"

/* Decode hex in space sp into o (fresh), expect rc; return the byte count. */
static size_t dec(struct cl_opts *o, enum cl_space sp, const char *hex, uint8_t *b, int rc)
{
	size_t n = unhex(hex, b, 1024);

	cl_init(o);
	assert_int_equal(cl_decode(o, sp, b, n), rc);
	return n;
}

/* Encode o's space sp and compare with b[0..n). */
static void reencode(const struct cl_opts *o, enum cl_space sp, const uint8_t *b, size_t n)
{
	uint8_t out[1024];
	struct wr w;

	wr_init(&w, out, sizeof(out));
	cl_encode(&w, sp, o);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, n);
	assert_memory_equal(out, b, n);
}

/* dhcp-options.md §2 example, every RFC 3495 sub-option (tshark-4.0.17). */
static const char opt122_example[] =
	"01 04 0a 00 00 01"
	"02 04 ff ff ff ff"
	"03 13 00 04 70 72 6f 76 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00"
	"04 0c 00 00 0b b8 00 00 00 64 00 00 00 05"
	"05 0c 00 00 0b b8 00 00 02 58 00 00 00 08"
	"06 09 05 42 41 53 49 43 01 31 00"
	"07 01 01   08 01 0a   09 02 00 01";

static void test_opt122_reference_example(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n = dec(&o, CL_SP_OPT122, opt122_example, b, 0);

	(void)state;
	assert_int_equal(o.bad, 0);
	assert_int_equal(o.unknown, 0);
	assert_true(cl_has(&o, CL_F_DHCP4_PRI));
	assert_int_equal(o.dhcp4_pri, 0x0a000001);
	assert_int_equal(cl_addr4_kind(o.dhcp4_pri), CL_NORMAL);
	assert_int_equal(o.dhcp4_sec, 0xffffffffu);
	assert_int_equal(cl_addr4_kind(o.dhcp4_sec), CL_ANY);
	assert_int_equal(o.prov.kind, CL_PROV_FQDN);
	assert_string_equal(o.prov.fqdn, "prov.example.com");
	assert_false(cl_prov_disabled(&o.prov));
	assert_int_equal(o.as_backoff.nominal, 3000);
	assert_int_equal(o.as_backoff.maximum, 100);
	assert_int_equal(o.as_backoff.retries, 5);
	assert_int_equal(o.ap_backoff.maximum, 600);
	assert_int_equal(o.ap_backoff.retries, 8);
	assert_string_equal(o.realm.name, "BASIC.1");
	assert_int_equal(o.realm.flow, CL_FLOW_BASIC1);
	assert_int_equal(o.tgt, 1);
	assert_int_equal(o.prov_timer, 10);
	assert_int_equal(o.ticket_ctrl, 1);
	assert_false(cl_has(&o, CL_F_KDC));
	reencode(&o, CL_SP_OPT122, b, n);
}

/* lab-servers.md §1: Kea's 122 for the eCM class and for the eUE class. */
static void test_opt122_kea_lab(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	n = dec(&o, CL_SP_OPT122, "0104c633640a0204c633640a", b, 0);
	assert_int_equal(o.dhcp4_pri, 0xc633640au);
	assert_int_equal(o.dhcp4_sec, 0xc633640au);
	reencode(&o, CL_SP_OPT122, b, n);

	n = dec(&o, CL_SP_OPT122,
		"0313000470726f76076578616d706c65036e657400"
		"040c00000064000003e800000003"
		"060d074558414d504c45034e455400", b, 0);
	assert_int_equal(o.present, (1u << CL_F_PROV_SRV) | (1u << CL_F_AS_BACKOFF) |
					    (1u << CL_F_REALM));
	assert_string_equal(o.prov.fqdn, "prov.example.net");
	assert_int_equal(o.as_backoff.nominal, 100);
	assert_int_equal(o.as_backoff.maximum, 1000);
	assert_int_equal(o.as_backoff.retries, 3);
	assert_string_equal(o.realm.name, "EXAMPLE.NET");
	assert_int_equal(o.realm.flow, CL_FLOW_SECURE);
	reencode(&o, CL_SP_OPT122, b, n);
}

/* boardfarm ISC dhcpd template: 122.3 = type 0 + plain ASCII. */
static void test_opt122_prov_boardfarm_ascii(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n = dec(&o, CL_SP_OPT122, "0311 00 70726f762e6578616d706c652e636f6d", b, 0);

	(void)state;
	assert_true(cl_has(&o, CL_F_PROV_SRV));
	assert_int_equal(o.prov.kind, CL_PROV_FQDN_ASCII);
	assert_string_equal(o.prov.fqdn, "prov.example.com");
	reencode(&o, CL_SP_OPT122, b, n);
	/* a trailing NUL (C-string style) is tolerated */
	dec(&o, CL_SP_OPT122, "0312 00 70726f762e6578616d706c652e636f6d 00", b, 0);
	assert_int_equal(o.prov.kind, CL_PROV_FQDN_ASCII);
	assert_string_equal(o.prov.fqdn, "prov.example.com");
}

static void test_opt122_prov_ipv4_and_ipv6(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	n = dec(&o, CL_SP_OPT122, "0305 01 c633640a", b, 0);
	assert_int_equal(o.prov.kind, CL_PROV_IPV4);
	assert_int_equal(o.prov.addr4, 0xc633640au);
	reencode(&o, CL_SP_OPT122, b, n);
	n = dec(&o, CL_SP_CCCV6, "0003 0011 01 20010db8005100000000000000000010", b, 0);
	assert_int_equal(o.prov.kind, CL_PROV_IPV6);
	assert_int_equal(o.prov.addr6[15], 0x10);
	reencode(&o, CL_SP_CCCV6, b, n);
}

/* 122.6 / 2171.6 flow selectors (dhcp-options.md §2 notes; BASIC.1 verified). */
static void test_realm_flow_selectors(void **state)
{
	static const struct { const char *hex; enum cl_flow flow; const char *name; } v[] = {
		{ "0609 054241534943013100", CL_FLOW_BASIC1, "BASIC.1" },
		{ "0609 054241534943013200", CL_FLOW_BASIC2, "BASIC.2" },
		{ "060a 06485942524944013100", CL_FLOW_HYBRID1, "HYBRID.1" },
		{ "060a 06485942524944013200", CL_FLOW_HYBRID2, "HYBRID.2" },
		{ "060d 074558414d504c4503434f4d00", CL_FLOW_SECURE, "EXAMPLE.COM" },
		{ "0609 056261736963013100", CL_FLOW_BASIC1, "basic.1" },
		{ "0609 054241534943013300", CL_FLOW_SECURE, "BASIC.3" },
	};
	uint8_t b[1024];
	struct cl_opts o;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = dec(&o, CL_SP_OPT122, v[i].hex, b, 0);
		assert_true(cl_has(&o, CL_F_REALM));
		assert_string_equal(o.realm.name, v[i].name);
		assert_int_equal(o.realm.flow, v[i].flow);
		reencode(&o, CL_SP_OPT122, b, n);
	}
	assert_int_equal(cl_flow_of(""), CL_FLOW_NONE);
	assert_string_equal(cl_flow_name(CL_FLOW_HYBRID2), "HYBRID.2");
}

/* eUE-3 "0.0.0.0" in sub-option 3, in every encoding we might meet (OQ A.11). */
static void test_prov_disable_values(void **state)
{
	static const char *const dis[] = {
		"0307 302e302e302e30",                   /* raw 7 ASCII bytes */
		"0308 00 302e302e302e30",                /* type 0 + ASCII */
		"030a 00 0130013001300130 00",           /* type 0 + labels */
		"0305 01 00000000",                      /* type 1 + 0.0.0.0 */
	};
	uint8_t b[1024];
	struct cl_opts o;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(dis) / sizeof(dis[0]); i++) {
		n = dec(&o, CL_SP_OPT122, dis[i], b, 0);
		assert_true(cl_has(&o, CL_F_PROV_SRV));
		assert_true(cl_prov_disabled(&o.prov));
		reencode(&o, CL_SP_OPT122, b, n);
	}
	n = dec(&o, CL_SP_CCCV6, "0003 0007 302e302e302e30", b, 0);
	assert_int_equal(o.prov.kind, CL_PROV_DISABLE);
	reencode(&o, CL_SP_CCCV6, b, n);
	dec(&o, CL_SP_OPT122, "0305 01 0a000001", b, 0);
	assert_false(cl_prov_disabled(&o.prov));
	assert_int_equal(cl_addr4_kind(0), CL_DISABLE);
}

/* dhcp-options.md §5 CCCv6 example (tshark-4.0.17). */
static void test_cccv6_reference_example(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n = dec(&o, CL_SP_CCCV6,
		       "00 01 00 04 ff ff ff ff"
		       "00 03 00 13 00 04 70 72 6f 76 07 65 78 61 6d 70 6c 65 03 63 6f 6d 00"
		       "00 06 00 0d 07 45 58 41 4d 50 4c 45 03 43 4f 4d 00"
		       "00 08 00 01 0a", b, 0);

	(void)state;
	assert_int_equal(o.dss_pri.len, 4);
	assert_int_equal(cl_dss_kind(&o.dss_pri), CL_ANY);
	assert_false(cl_has(&o, CL_F_DSS_SEC));
	assert_string_equal(o.prov.fqdn, "prov.example.com");
	assert_string_equal(o.realm.name, "EXAMPLE.COM");
	assert_int_equal(o.realm.flow, CL_FLOW_SECURE);
	assert_int_equal(o.prov_timer, 10);
	reencode(&o, CL_SP_CCCV6, b, n);
}

/* lab-servers.md §2: the option 17 Kea 2.2 sent to the eCM, through a whole
 * DHCPv6 REPLY, and re-encoded byte-for-byte. */
static const char kea_v6_vendor[] =
	"0011 009a 0000118b"
	"0020 0010 20010db8005100000000000000000010"
	"0021 000e 6575652d636f6e6669672e62696e"
	"0022 0010 20010db8005100000000000000000010"
	"0025 0010 20010db8005100000000000000000010"
	"0026 0004 ffffb9b0"
	"0027 0001 06"
	"087b 0037 0001000b00020000118b0102030405"
	"          00030013000470726f76076578616d706c65036e657400"
	"          0006000d074558414d504c45034e455400";

static void test_v6vendor_kea_lab(void **state)
{
	uint8_t msg[512], out[512];
	struct dhcp6_msg m;
	struct cl_opts o;
	struct wr w;
	size_t n;

	(void)state;
	msg[0] = DHCP6_REPLY, msg[1] = 0, msg[2] = 0, msg[3] = 1;
	n = 4 + unhex(kea_v6_vendor, msg + 4, sizeof(msg) - 4);
	assert_int_equal(dhcp6_decode(&m, msg, n), 0);
	cl_init(&o);
	assert_int_equal(cl_from_dhcp6(&o, &m), 0);
	assert_int_equal(o.bad, 0);
	assert_int_equal(o.tftp6.n, 1);
	assert_int_equal(o.tftp6.a[0][0], 0x20);
	assert_string_equal(o.cfg_file.s, "eue-config.bin");
	assert_int_equal(o.syslog6.n, 1);
	assert_int_equal(o.time6.n, 1);
	assert_int_equal(o.time_offset, -18000);
	assert_int_equal(o.ip_pref, 6);
	assert_true(cl_has(&o, CL_F_CCCV6));
	assert_false(cl_has(&o, CL_F_CCC));
	assert_int_equal(o.dss_pri.len, 11);
	assert_memory_equal(o.dss_pri.id, "\x00\x02\x00\x00\x11\x8b\x01\x02\x03\x04\x05", 11);
	assert_int_equal(cl_dss_kind(&o.dss_pri), CL_NORMAL);
	assert_string_equal(o.prov.fqdn, "prov.example.net");
	assert_string_equal(o.realm.name, "EXAMPLE.NET");

	wr_init(&w, out, sizeof(out));
	cl_put_v6vendor(&w, &o);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, n - 4);
	assert_memory_equal(out, msg + 4, n - 4);
}

/* lab-servers.md §1: Kea's raw-hex option 125 and 122 in a whole ACK. */
static void test_v4_kea_ack(void **state)
{
	static const char opt125[] = "7d18 0000118B130204C633640A7B0800010004001122337C0105";
	uint8_t msg[600], out[300], o125[64];
	struct dhcp4_msg m;
	struct cl_opts o;
	struct wr w;
	size_t n, n125;

	(void)state;
	memset(msg, 0, 240);
	msg[0] = 2, msg[1] = 1, msg[2] = 6;
	msg[236] = 99, msg[237] = 130, msg[238] = 83, msg[239] = 99;
	n = 240 + unhex("3501 05 7a0c 0104c633640a0204c633640a", msg + 240, 300);
	n125 = unhex(opt125, o125, sizeof(o125));
	memcpy(msg + n, o125, n125);
	n += n125;
	msg[n++] = 0xff;
	assert_int_equal(dhcp4_decode(&m, msg, n), 0);
	cl_init(&o);
	assert_int_equal(cl_from_dhcp4(&o, &m), 0);
	assert_int_equal(o.bad, 0);
	assert_int_equal(o.dhcp4_pri, 0xc633640au);
	assert_int_equal(o.tftp4.n, 1);
	assert_int_equal(o.tftp4.a[0], 0xc633640au);
	assert_true(cl_has(&o, CL_F_CCCV6));
	assert_int_equal(o.v4cccv6_wide, 1);         /* Kea's placeholder uses 2-byte codes */
	assert_int_equal(o.dss_pri.len, 4);
	assert_memory_equal(o.dss_pri.id, "\x00\x11\x22\x33", 4);
	assert_int_equal(o.ip_pref, 5);

	wr_init(&w, out, sizeof(out));
	cl_put_opt125(&w, &o);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, n125);
	assert_memory_equal(out, o125, n125);
	wr_init(&w, out, sizeof(out));
	cl_put_opt122(&w, &o);
	assert_int_equal(w.len, 14);
	assert_memory_equal(out, msg + 243, 14);
}

/* 125/4491/123 with 1-byte nested codes (dhcp-options.md §3), DSS_ID reserved
 * values (spec 6.4.1.2: exactly four octets). */
static void test_v4cccv6_narrow_and_reserved(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	n = dec(&o, CL_SP_V4VENDOR, "0104 017b7c02" "7b0c 0104ffffffff 020400000000" "7c0101", b, 0);
	assert_int_equal(o.v4cccv6_wide, 0);
	assert_int_equal(o.v4oro.n, 4);
	assert_int_equal(o.v4oro.c[1], 123);
	assert_int_equal(cl_dss_kind(&o.dss_pri), CL_ANY);
	assert_int_equal(cl_dss_kind(&o.dss_sec), CL_DISABLE);
	assert_int_equal(o.ip_pref, CL_IP_PREF_V4);
	reencode(&o, CL_SP_V4VENDOR, b, n);

	dec(&o, CL_SP_V4CCCV6, "0105 ffffffffff", b, 0);
	assert_int_equal(cl_dss_kind(&o.dss_pri), CL_NORMAL);
	dec(&o, CL_SP_V4CCCV6, "0103 000000", b, 0);
	assert_int_equal(cl_dss_kind(&o.dss_pri), CL_NORMAL);
}

/* spec 6.4.1.2 / 6.4.1.4: a DSS_ID over 32 bytes is cut to its first 32. */
static void test_dss_id_over_32_bytes(void **state)
{
	uint8_t b[1024], id[40];
	struct cl_opts o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(id); i++)
		id[i] = (uint8_t)(i + 1);
	b[0] = 0, b[1] = 1, b[2] = 0, b[3] = 40;
	memcpy(b + 4, id, 40);
	cl_init(&o);
	assert_int_equal(cl_decode(&o, CL_SP_CCCV6, b, 44), 0);
	assert_true(cl_has(&o, CL_F_DSS_PRI));
	assert_int_equal(o.dss_pri.len, 32);
	assert_true(o.dss_pri.truncated);
	assert_memory_equal(o.dss_pri.id, id, 32);
	/* four 00 followed by more bytes is not the reserved value */
	memset(b + 4, 0, 40);
	cl_init(&o);
	assert_int_equal(cl_decode(&o, CL_SP_CCCV6, b, 44), 0);
	assert_int_equal(cl_dss_kind(&o.dss_pri), CL_NORMAL);
}

static void test_ccc_2170(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	n = dec(&o, CL_SP_V6VENDOR, "0001 0004 0882087b" "087a 0010 0001 0004 c633640a 0002 0004 00000000",
		b, 0);
	assert_true(cl_has(&o, CL_F_CCC));
	assert_int_equal(o.dhcp4_pri, 0xc633640au);
	assert_int_equal(cl_addr4_kind(o.dhcp4_sec), CL_DISABLE);
	assert_int_equal(o.v6oro.n, 2);
	assert_int_equal(o.v6oro.c[0], 2178);
	assert_int_equal(o.v6oro.c[1], 2171);
	reencode(&o, CL_SP_V6VENDOR, b, n);
}

/* dhcpcd's rule: a wrong length is as if absent, and is flagged. */
static void test_wrong_length_is_absent(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;

	(void)state;
	dec(&o, CL_SP_OPT122,
	    "0103 0a0000"                                /* 122.1 3 bytes */
	    "040b 0000000000000000000000"                /* 122.4 11 bytes */
	    "0702 0101"                                  /* 122.7 2 bytes */
	    "0305 02 0a000001"                           /* 122.3 type 2 */
	    "0306 01 0a00000102"                         /* 122.3 type 1, 5 bytes */
	    "0602 c00c"                                  /* 122.6 pointer */
	    "0a06 0a0000010a00"                          /* 122.10 not n x 4 */
	    "0901 01", b, 0);                            /* 122.9 1 byte */
	assert_int_equal(o.present, 0);
	assert_true(o.bad & (1u << CL_F_DHCP4_PRI));
	assert_true(o.bad & (1u << CL_F_AS_BACKOFF));
	assert_true(o.bad & (1u << CL_F_TGT));
	assert_true(o.bad & (1u << CL_F_PROV_SRV));
	assert_true(o.bad & (1u << CL_F_REALM));
	assert_true(o.bad & (1u << CL_F_KDC));
	assert_true(o.bad & (1u << CL_F_TICKET_CTRL));
	dec(&o, CL_SP_V6VENDOR, "0027 0002 0001" "0024 0005 0011223344" "0026 0003 ffffff", b, 0);
	assert_int_equal(o.present, 0);
	assert_true(o.bad & (1u << CL_F_IP_PREF));
	assert_true(o.bad & (1u << CL_F_DEVICE_ID));
	assert_true(o.bad & (1u << CL_F_TIME_OFFSET));
	dec(&o, CL_SP_V6VENDOR, "0020 0011 20010db800510000000000000000001000", b, 0);
	assert_false(cl_has(&o, CL_F_TFTP6));
}

static void test_sub_option_past_end(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;

	(void)state;
	dec(&o, CL_SP_OPT122, "0104 0a000001 0209 0a000002", b, E_SHORT);
	assert_true(cl_has(&o, CL_F_DHCP4_PRI));    /* kept, container malformed */
	assert_false(cl_has(&o, CL_F_DHCP4_SEC));
	dec(&o, CL_SP_CCCV6, "0001 0004 ffffffff 0003", b, E_SHORT);
	/* a nested container cut inside: the error comes up */
	dec(&o, CL_SP_V6VENDOR, "087b 0006 0001 0004 ffff", b, E_SHORT);
	assert_true(cl_has(&o, CL_F_CCCV6));
	assert_false(cl_has(&o, CL_F_DSS_PRI));
	/* 125/123 that frames in neither 8/8 nor 16/16 */
	dec(&o, CL_SP_V4VENDOR, "7b03 0105ff", b, E_SHORT);
}

static void test_duplicates_and_unknown(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;

	(void)state;
	dec(&o, CL_SP_OPT122, "0104 0a000001 0104 0a000002 0b01 00 ff00", b, 0);
	assert_int_equal(o.dhcp4_pri, 0x0a000001);  /* first wins */
	assert_true(o.dup & (1u << CL_F_DHCP4_PRI));
	assert_int_equal(o.unknown, 2);
	assert_int_equal(cl_decode(&o, CL_SP__COUNT, b, 0), E_INVAL);
	assert_string_equal(cl_field_name(CL_F_REALM), "Kerberos realm");
}

static void test_kdc_and_ticket_control(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	n = dec(&o, CL_SP_OPT122, "0902 0003 0a08 0a0000010a000002", b, 0);
	assert_int_equal(o.ticket_ctrl, 3);
	assert_int_equal(o.kdc.n, 2);
	assert_int_equal(o.kdc.a[1], 0x0a000002);
	reencode(&o, CL_SP_OPT122, b, n);
}

/* RFC 3396: a 122 longer than 255 bytes is split by the encoder and joined
 * by cl_from_dhcp4(). */
static void test_opt122_long_split(void **state)
{
	uint8_t msg[1200];
	struct dhcp4_hdr h;
	struct dhcp4_msg m;
	struct cl_opts o, back;
	struct wr w;
	size_t i;

	(void)state;
	cl_init(&o);
	o.prov.kind = CL_PROV_FQDN;
	for (i = 0; i < 250; i++)
		o.prov.fqdn[i] = (char)('a' + i % 26);
	o.prov.fqdn[60] = o.prov.fqdn[120] = o.prov.fqdn[180] = o.prov.fqdn[240] = '.';
	o.prov.fqdn[250] = '\0';
	cl_set(&o, CL_F_PROV_SRV);
	strcpy(o.realm.name, "HYBRID.2");
	cl_set(&o, CL_F_REALM);
	o.dhcp4_pri = 0x0a000001;
	cl_set(&o, CL_F_DHCP4_PRI);
	memset(&h, 0, sizeof(h));
	wr_init(&w, msg, sizeof(msg));
	dhcp4_put_hdr(&w, &h);
	cl_put_opt122(&w, &o);
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	assert_int_equal(msg[240], 122);
	assert_int_equal(msg[241], 255);
	assert_int_equal(dhcp4_decode(&m, msg, w.len), 0);
	cl_init(&back);
	assert_int_equal(cl_from_dhcp4(&back, &m), 0);
	assert_int_equal(back.present, o.present);
	assert_string_equal(back.prov.fqdn, o.prov.fqdn);
	assert_int_equal(back.realm.flow, CL_FLOW_HYBRID2);
}

static void test_caps_and_device_id(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	n = dec(&o, CL_SP_V6VENDOR,
		"0002 0004 45445641"
		"0023 0006 010102 1a0100"
		"0024 0006 001122334466", b, 0);
	assert_string_equal(o.device_type.s, "EDVA");
	assert_int_equal(o.caps.len, 6);
	assert_memory_equal(o.caps.b, "\x01\x01\x02\x1a\x01\x00", 6);
	assert_memory_equal(o.device_id.b, "\x00\x11\x22\x33\x44\x66", 6);
	reencode(&o, CL_SP_V6VENDOR, b, n);
}

/* fuzz_cablelabs regression (tests/vectors/dhcp/cl_regress_prov_leftover.bin):
 * a 122.3 whose labels decode but leave trailing bytes must leave no
 * half-decoded text behind, so decode -> encode -> decode is stable. */
static void test_regress_prov_leftover(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t i;

	(void)state;
	dec(&o, CL_SP_OPT122, "0313 00 0470726f76 0765784241534943 0131 00 0701", b, 0);
	assert_false(cl_has(&o, CL_F_PROV_SRV));
	assert_true(o.bad & (1u << CL_F_PROV_SRV));
	for (i = 0; i < sizeof(o.prov.fqdn); i++)
		assert_int_equal(o.prov.fqdn[i], 0);
	/* a realm with trailing bytes after its labels: bad, and nothing left over */
	dec(&o, CL_SP_OPT122, "0606 0141014200 42", b, 0);
	assert_true(o.bad & (1u << CL_F_REALM));
	for (i = 0; i < sizeof(o.realm.name); i++)
		assert_int_equal(o.realm.name[i], 0);
}

/* fuzz_cablelabs regression (cl_regress_realm_ascii1.bin): a one-character
 * ASCII realm re-encodes to one byte, which must decode again. */
static void test_regress_realm_ascii_one_char(void **state)
{
	uint8_t b[1024];
	struct cl_opts o;
	size_t n;

	(void)state;
	dec(&o, CL_SP_OPT122, "0602 6d00", b, 0);
	assert_true(cl_has(&o, CL_F_REALM));
	assert_true(o.realm.ascii);
	assert_string_equal(o.realm.name, "m");
	n = dec(&o, CL_SP_OPT122, "0601 6d", b, 0);
	assert_string_equal(o.realm.name, "m");
	reencode(&o, CL_SP_OPT122, b, n);
	assert_string_equal(cl_sub_name(CL_SP_CCCV6, 3), "TSP's Provisioning Server");
	assert_string_equal(cl_sub_name(CL_SP_V6VENDOR, 2171), "CL_OPTION_CCCV6");
	assert_string_equal(cl_sub_name(CL_SP_OPT122, 99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opt122_reference_example),
		cmocka_unit_test(test_opt122_kea_lab),
		cmocka_unit_test(test_opt122_prov_boardfarm_ascii),
		cmocka_unit_test(test_opt122_prov_ipv4_and_ipv6),
		cmocka_unit_test(test_realm_flow_selectors),
		cmocka_unit_test(test_prov_disable_values),
		cmocka_unit_test(test_cccv6_reference_example),
		cmocka_unit_test(test_v6vendor_kea_lab),
		cmocka_unit_test(test_v4_kea_ack),
		cmocka_unit_test(test_v4cccv6_narrow_and_reserved),
		cmocka_unit_test(test_dss_id_over_32_bytes),
		cmocka_unit_test(test_ccc_2170),
		cmocka_unit_test(test_wrong_length_is_absent),
		cmocka_unit_test(test_sub_option_past_end),
		cmocka_unit_test(test_duplicates_and_unknown),
		cmocka_unit_test(test_kdc_and_ticket_control),
		cmocka_unit_test(test_opt122_long_split),
		cmocka_unit_test(test_caps_and_device_id),
		cmocka_unit_test(test_regress_prov_leftover),
		cmocka_unit_test(test_regress_realm_ascii_one_char),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
