/*
 * eue_cb.h: certificate bootstrapping (spec 6.6.5) bound to the device: the
 * trigger, the server, the board's certificates, nvram and the MIB status.
 * eue/certboot.c does the TLS session and the HTTP GET, eue/devprofile.c
 * parses and stores; this file is the glue and nothing else.
 *
 * Triggers (6.6.5: "MUST NOT use Certificate Bootstrapping unless
 * triggered via a management interface ... or via configuration"):
 *  - SNMP: a committed SET of pktcEUECBEnable = true(1) on the agent
 *    (mib.h MIB_CH_CB_TRIGGER, which a file's SET never raises), every
 *    time it is set, so an operator may bootstrap again;
 *  - the configuration file: pktcEUECBEnable = true(1) in a file that was
 *    accepted with pass(1) or passWithWarnings(4) (not
 *    passWithIncompleteParsing, not a failure), acted on right after
 *    eUE-23's apply, so before any SIP registration.
 * pktcEUECBData names the server (eue/certboot.h: "https://host[:port]/path");
 * an FQDN is resolved with A (IPv4 mode) / AAAA (IPv6 mode) through the
 * lease's DNS servers (eue/dns.h, the resolver eue_prov.c opened).
 * Certificates: certboot_config_from_board() (device chain, key, the
 * operator root cert_cb_root, else cert_kdc_root).
 * Outcome: the profile parsed and stored under DEVPROFILE_NVRAM_KEY
 * (devprofile_store: atomic, a bad document stores nothing);
 * EUE-PROV-LOCAL-MIB eueCertBootStatus / eueCertBootLastError; the stored
 * profile's version as pktcEUEDevProfileVersion.  Each step is a trace
 * line of step "CB" (result start / info / ok / failed).
 * A new trigger while one runs restarts it.  One run at a time per device.
 */
#ifndef EUE_EUE_CB_H
#define EUE_EUE_CB_H

struct eue;

/* eUE-23 accepted the file: start when the file enabled it (see above). */
void eue_cb_after_apply(struct eue *e);
/* A committed SET (mib_change_fn bits): start on MIB_CH_CB_TRIGGER. */
void eue_cb_on_mib_change(struct eue *e, unsigned changes);
/* Stop a run in progress (its status becomes failed: "stopped").  Must run
 * before the resolver is freed. */
void eue_cb_stop(struct eue *e);
/* Stop and free what the device's bootstrapping allocated. */
void eue_cb_free(struct eue *e);

#endif
