/*
 * cmcfg.h: the structure check of the CM configuration file (CM7/CM8).
 *
 * A DOCSIS configuration file is 8/8 TLVs ending with the end-of-data
 * marker (type 255), followed only by pad bytes (type 0) to a 4-byte
 * boundary.  This checks the framing the eCM relies on before it
 * registers; what the settings mean is DOCSIS's and the board's business.
 */
#ifndef ECM_CMCFG_H
#define ECM_CMCFG_H

#include <stddef.h>
#include <stdint.h>

/* 0, or E_SHORT (a TLV runs past the end; *off is where), E_PROTO (no end
 * marker, or non-pad bytes after it). *ntlv counts the TLVs before the end. */
int cmcfg_check(const uint8_t *buf, size_t len, size_t *off, unsigned *ntlv);

#endif
