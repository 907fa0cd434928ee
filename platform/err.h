/*
 * err.h: the project's error codes.
 *
 * Every library layer returns 0 (or a count) on success and one of these
 * negative codes on failure, so a caller can tell "input was short" from
 * "input was wrong" without errno.  err_str() names them for logs and CLIs.
 * May include nothing but <stddef.h>-level headers.
 */
#ifndef PLATFORM_ERR_H
#define PLATFORM_ERR_H

enum err {
	E_OK = 0,
	E_SHORT = -1,       /* input ended inside an item */
	E_OVERFLOW = -2,    /* output buffer full, or a number does not fit */
	E_INVAL = -3,       /* caller passed a bad argument (a bug, not input) */
	E_PROTO = -4,       /* input is well framed but violates the format */
	E_RANGE = -5,       /* a value is outside what the spec allows */
	E_NOMEM = -6,
	E_IO = -7,          /* an OS call failed; errno has the detail */
	E_NOTFOUND = -8,
	E_CORRUPT = -9,     /* stored data failed its integrity check */
	E_UNSUPPORTED = -10,/* valid but not implemented (e.g. unknown type) */
	E_VERSION = -11,    /* a record of a version we do not speak */
	E_TRAILING = -12,   /* bytes left after the last whole item */
	E_AGAIN = -13,      /* nothing yet; try later */
	E_TIMEOUT = -14,
	E_EXIST = -15,
	E_AUTH = -16,       /* a hash, MAC or signature did not verify */
	E_STATE = -17,      /* not allowed in the current state */
	E__LAST = -18
};

/* A static, human-readable name for an error code ("short input", ...). */
const char *err_str(int e);

#endif
