/* err.c: names for the error codes of err.h. */
#include "err.h"

static const char *const err_names[] = {
	[0] = "ok",
	[-E_SHORT] = "short input",
	[-E_OVERFLOW] = "overflow",
	[-E_INVAL] = "invalid argument",
	[-E_PROTO] = "protocol violation",
	[-E_RANGE] = "value out of range",
	[-E_NOMEM] = "out of memory",
	[-E_IO] = "I/O error",
	[-E_NOTFOUND] = "not found",
	[-E_CORRUPT] = "corrupt data",
	[-E_UNSUPPORTED] = "unsupported",
	[-E_VERSION] = "unsupported version",
	[-E_TRAILING] = "trailing bytes",
	[-E_AGAIN] = "try again",
	[-E_TIMEOUT] = "timed out",
	[-E_EXIST] = "already exists",
	[-E_AUTH] = "authentication failed",
	[-E_STATE] = "wrong state",
};
_Static_assert(sizeof(err_names) / sizeof(err_names[0]) == (unsigned)-E__LAST,
	       "err_names must name every error code");

const char *err_str(int e)
{
	if (e > 0)
		return "ok";
	if (e <= E__LAST)
		return "unknown error";
	return err_names[-e];
}
