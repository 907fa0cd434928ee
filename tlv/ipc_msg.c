/* ipc_msg.c: the table-driven codec of ipc_msg.h. */
#include "tlv/ipc_msg.h"

#include <string.h>

#include "tlv/rd.h"
#include "tlv/tlv.h"
#include "tlv/wr.h"

enum ipc_kind {
	K_U8,        /* 1 byte */
	K_U32,       /* 4 bytes, big-endian, into a uint32_t */
	K_ADDR4,     /* 4 bytes */
	K_BYTES,     /* len_off: uint16_t length; off: data; max: its capacity */
	K_STR,       /* NUL-terminated char[max + 1]; no NUL allowed on the wire */
	K_TOD,       /* i64 unix ms | i32 offset | u8 valid = 13 bytes */
	K_RAW,       /* struct ipc_bytes */
};

struct ipc_attr {
	uint16_t code;
	uint8_t kind;
	uint8_t required;
	uint16_t min, max;   /* wire length bounds */
	size_t off;          /* field in the message's union member */
	size_t len_off;      /* K_BYTES: its length field */
};

#define F(mem, field) offsetof(struct ipc_msg, u.mem.field)

static const struct ipc_attr cm_ready_attrs[] = {
	{ IPC_A_MODE, K_U8, 1, 1, 1, F(cm_ready, mode), 0 },
	{ IPC_A_DHCP4_PRIMARY, K_ADDR4, 0, 4, 4, F(cm_ready, dhcp4_primary), 0 },
	{ IPC_A_DHCP4_SECONDARY, K_ADDR4, 0, 4, 4, F(cm_ready, dhcp4_secondary), 0 },
	{ IPC_A_DSS_PRIMARY, K_BYTES, 0, 1, IPC_DSS_ID_MAX, F(cm_ready, dss_primary), F(cm_ready, dss_primary_len) },
	{ IPC_A_DSS_SECONDARY, K_BYTES, 0, 1, IPC_DSS_ID_MAX, F(cm_ready, dss_secondary), F(cm_ready, dss_secondary_len) },
	{ IPC_A_OPT122, K_RAW, 0, 0, IPC_CL_RAW_MAX, F(cm_ready, opt122), 0 },
	{ IPC_A_CCCV6, K_RAW, 0, 0, IPC_CL_RAW_MAX, F(cm_ready, cccv6), 0 },
	{ IPC_A_CCC, K_RAW, 0, 0, IPC_CL_RAW_MAX, F(cm_ready, ccc), 0 },
	{ IPC_A_IP_PREF, K_U8, 0, 1, 1, F(cm_ready, ip_pref), 0 },
	{ IPC_A_TOD, K_TOD, 1, 13, 13, F(cm_ready, tod), 0 },
};

static const struct ipc_attr tod_attrs[] = {
	{ IPC_A_TOD_VALUE, K_TOD, 1, 13, 13, F(tod, unix_ms), 0 },
};

static const struct ipc_attr reinit_attrs[] = {
	{ IPC_A_REINIT_REASON, K_U8, 1, 1, 1, F(reinit, reason), 0 },
};

static const struct ipc_attr state_attrs[] = {
	{ IPC_A_STATE, K_U8, 1, 1, 1, F(state, prov_state), 0 },
	{ IPC_A_STEP, K_STR, 0, 1, IPC_STEP_MAX, F(state, step), 0 },
	{ IPC_A_IMPACT, K_U8, 0, 1, 1, F(state, impact), 0 },
	{ IPC_A_TEXT, K_STR, 0, 0, IPC_TEXT_MAX, F(state, text), 0 },
};

static const struct ipc_attr esafe_attrs[] = {
	{ IPC_A_ES_PROGRESS, K_U8, 1, 1, 1, F(esafe, progress), 0 },
	{ IPC_A_ES_FAILURE, K_U8, 1, 1, 1, F(esafe, failure), 0 },
	{ IPC_A_ES_FLOW, K_STR, 0, 0, IPC_STEP_MAX, F(esafe, flow), 0 },
	{ IPC_A_ES_EVENT, K_U32, 0, 4, 4, F(esafe, event_id), 0 },
	{ IPC_A_ES_TEXT, K_STR, 0, 0, IPC_TEXT_MAX, F(esafe, text), 0 },
	{ IPC_A_ES_IMPACT, K_U8, 1, 1, 1, F(esafe, impact), 0 },
	{ IPC_A_ES_IMPACT_INFO, K_STR, 0, 0, IPC_TEXT_MAX, F(esafe, impact_info), 0 },
};

struct ipc_type {
	const char *name;
	const struct ipc_attr *attrs;
	unsigned n;
};

#define T(name, a) { name, a, sizeof(a) / sizeof(a[0]) }
static const struct ipc_type ipc_types[IPC_MSG__MAX] = {
	[IPC_CM_READY] = T("cm-ready", cm_ready_attrs),
	[IPC_TOD] = T("tod", tod_attrs),
	[IPC_CM_REINIT] = T("cm-reinit", reinit_attrs),
	[IPC_EUE_STATE] = T("eue-state", state_attrs),
	[IPC_ESAFE] = T("esafe", esafe_attrs),
};

/* Every attribute code must fit the 32-bit presence mask. */
_Static_assert(IPC_A_TOD < 32, "attribute codes must be < 32");

const char *ipc_msg_type_str(unsigned type)
{
	return type < IPC_MSG__MAX && ipc_types[type].name ? ipc_types[type].name : "unknown";
}

static const struct ipc_type *ipc_type_of(unsigned type)
{
	return type < IPC_MSG__MAX && ipc_types[type].name ? &ipc_types[type] : NULL;
}

static void ipc_put_attr(struct wr *w, const struct ipc_attr *a, const uint8_t *base)
{
	const uint8_t *f = base + a->off;
	size_t at;

	switch (a->kind) {
	case K_U8:
		tlv_put_u8(w, TLV_16_16, a->code, f[0]);
		break;
	case K_U32: {
		uint32_t v;

		memcpy(&v, f, sizeof(v));
		at = tlv_open(w, TLV_16_16, a->code);
		wr_u32(w, v);
		tlv_close(w, TLV_16_16, at);
		break;
	}
	case K_ADDR4:
		tlv_put(w, TLV_16_16, a->code, f, 4);
		break;
	case K_BYTES: {
		uint16_t len;

		memcpy(&len, base + a->len_off, sizeof(len));
		if (len < a->min || len > a->max)
			wr_fail(w, E_INVAL);
		else
			tlv_put(w, TLV_16_16, a->code, f, len);
		break;
	}
	case K_RAW: {
		const struct ipc_bytes *b = (const struct ipc_bytes *)(const void *)f;

		if (b->len > a->max)
			wr_fail(w, E_INVAL);
		else
			tlv_put(w, TLV_16_16, a->code, b->data, b->len);
		break;
	}
	case K_STR: {
		size_t len = strnlen((const char *)f, (size_t)a->max + 1);

		if (len < a->min || len > a->max)
			wr_fail(w, E_INVAL);
		else
			tlv_put(w, TLV_16_16, a->code, f, len);
		break;
	}
	case K_TOD: {
		const struct ipc_tod *t = (const struct ipc_tod *)(const void *)f;

		at = tlv_open(w, TLV_16_16, a->code);
		wr_u64(w, (uint64_t)t->unix_ms);
		wr_u32(w, (uint32_t)t->offset_s);
		wr_u8(w, t->valid);
		tlv_close(w, TLV_16_16, at);
		break;
	}
	}
}

int ipc_msg_encode(const struct ipc_msg *m, uint8_t *buf, size_t cap)
{
	const struct ipc_type *t = ipc_type_of(m->type);
	struct wr w;

	if (t == NULL)
		return E_INVAL;
	for (unsigned i = 0; i < t->n; i++)
		if (t->attrs[i].required && !ipc_msg_has(m, t->attrs[i].code))
			return E_INVAL;   /* a bug in the sender, not input */
	wr_init(&w, buf, cap);
	wr_u8(&w, IPC_MSG_VERSION);
	wr_u8(&w, m->type);
	wr_u16(&w, 0);
	for (unsigned i = 0; i < t->n; i++)
		if (ipc_msg_has(m, t->attrs[i].code))
			ipc_put_attr(&w, &t->attrs[i], (const uint8_t *)m);
	if (w.err == 0 && w.len - IPC_MSG_HDR > 0xffff)
		wr_fail(&w, E_OVERFLOW);
	wr_patch_u16(&w, 2, (uint16_t)(w.len - IPC_MSG_HDR));
	return w.err ? w.err : (int)w.len;
}

static void ipc_get_attr(const struct ipc_attr *a, const struct tlv_item *it, uint8_t *base)
{
	uint8_t *f = base + a->off;
	struct rd r;

	switch (a->kind) {
	case K_U8:
		f[0] = it->val[0];
		break;
	case K_U32: {
		uint32_t v;

		rd_init(&r, it->val, it->len);
		v = rd_u32(&r);
		memcpy(f, &v, sizeof(v));
		break;
	}
	case K_ADDR4:
		memcpy(f, it->val, 4);
		break;
	case K_BYTES: {
		uint16_t len = (uint16_t)it->len;

		memcpy(f, it->val, it->len);
		memcpy(base + a->len_off, &len, sizeof(len));
		break;
	}
	case K_RAW: {
		struct ipc_bytes *b = (struct ipc_bytes *)(void *)f;

		b->len = (uint16_t)it->len;
		memcpy(b->data, it->val, it->len);
		break;
	}
	case K_STR:
		memcpy(f, it->val, it->len);
		f[it->len] = '\0';
		break;
	case K_TOD: {
		struct ipc_tod *t = (struct ipc_tod *)(void *)f;

		rd_init(&r, it->val, it->len);
		t->unix_ms = (int64_t)rd_u64(&r);
		t->offset_s = (int32_t)rd_u32(&r);
		t->valid = rd_u8(&r);
		break;
	}
	}
}

int ipc_msg_decode(struct ipc_msg *m, const uint8_t *rec, size_t len, size_t *err_off)
{
	const struct ipc_type *t;
	struct tlv_it it;
	struct tlv_item item;
	struct rd r;
	size_t dummy;
	uint16_t blen;
	uint8_t ver;
	int rc;

	if (err_off == NULL)
		err_off = &dummy;
	*err_off = 0;
	memset(m, 0, sizeof(*m));
	rd_init(&r, rec, len);
	ver = rd_u8(&r);
	m->type = rd_u8(&r);
	blen = rd_u16(&r);
	if (r.err)
		return E_SHORT;
	if (ver != IPC_MSG_VERSION)
		return E_VERSION;
	t = ipc_type_of(m->type);
	if (t == NULL) {
		*err_off = 1;
		return E_UNSUPPORTED;
	}
	*err_off = 2;
	if (blen > r.left)
		return E_SHORT;
	if (blen < r.left)
		return E_TRAILING;
	tlv_it_init(&it, TLV_16_16, rec, len);
	(void)rd_bytes(&it.r, IPC_MSG_HDR);
	while ((rc = tlv_next(&it, &item)) == 1) {
		const struct ipc_attr *a = NULL;

		*err_off = item.off;
		for (unsigned i = 0; i < t->n; i++)
			if (t->attrs[i].code == item.type)
				a = &t->attrs[i];
		if (a == NULL)
			continue;   /* a newer peer's optional attribute */
		if (ipc_msg_has(m, a->code) || item.len < a->min || item.len > a->max)
			return E_PROTO;
		if (a->kind == K_STR && memchr(item.val, '\0', item.len) != NULL)
			return E_PROTO;
		ipc_get_attr(a, &item, (uint8_t *)m);
		ipc_msg_set(m, a->code);
	}
	if (rc < 0) {
		*err_off = tlv_it_off(&it);
		return rc;
	}
	for (unsigned i = 0; i < t->n; i++) {
		if (t->attrs[i].required && !ipc_msg_has(m, t->attrs[i].code)) {
			*err_off = len;
			return E_PROTO;
		}
	}
	return 0;
}
