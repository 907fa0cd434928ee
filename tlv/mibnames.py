#!/usr/bin/env python3
"""mibnames.py: writes tlv/mibnames.c, the config compiler's MIB name table.

The table is generated from the MIB modules in snmp-mibs/mibs (compiled with
libsmi's smidump, so names and OIDs come from the source of truth, not from a
parse at run time), plus the few objects of modules that are not bundled
(EXTRA below).  The reference list below (copied from reference/mibs.md; V =
verified there, I = inferred from the CableLabs column order) is an
assertion: generation fails if a module disagrees with it.

  python3 tlv/mibnames.py snmp-mibs/mibs > tlv/mibnames.c
  python3 tlv/mibnames.py --check snmp-mibs/mibs     (reference vs modules)
"""
import os, re, subprocess, sys

# (module, name, dotted, kind)  kind: n node, s scalar, t table, e entry, c column, r rowstatus column
IETF = '1.3.6.1.2.1.140'
CL = '1.3.6.1.4.1.4491.2.2.1'
EUE = '1.3.6.1.4.1.4491.2.2.10'
EVT = '1.3.6.1.2.1.182'
rows = []
def add(mod, name, oid, kind='s', ev='V'):
    rows.append((mod, name, oid, kind, ev))

# --- PKTC-IETF-MTA-MIB (RFC 4682), mibs.md section 1
for n, o, k in [
 ('pktcIetfMtaMib', '', 'n'), ('pktcMtaNotification', '.0', 'n'),
 ('pktcMtaDevProvisioningEnrollment', '.0.1', 'n'), ('pktcMtaDevProvisioningStatus', '.0.2', 'n'),
 ('pktcMtaMibObjects', '.1', 'n'), ('pktcMtaDevBase', '.1.1', 'n'),
 ('pktcMtaDevResetNow', '.1.1.1', 's'), ('pktcMtaDevSerialNumber', '.1.1.2', 's'),
 ('pktcMtaDevSwCurrentVers', '.1.1.3', 's'), ('pktcMtaDevFQDN', '.1.1.4', 's'),
 ('pktcMtaDevEndPntCount', '.1.1.5', 's'), ('pktcMtaDevEnabled', '.1.1.6', 's'),
 ('pktcMtaDevTypeIdentifier', '.1.1.7', 's'), ('pktcMtaDevProvisioningState', '.1.1.8', 's'),
 ('pktcMtaDevHttpAccess', '.1.1.9', 's'), ('pktcMtaDevProvisioningTimer', '.1.1.10', 's'),
 ('pktcMtaDevProvisioningCounter', '.1.1.11', 's'), ('pktcMtaDevErrorOidsTable', '.1.1.12', 't'),
 ('pktcMtaDevErrorOidsEntry', '.1.1.12.1', 'e'), ('pktcMtaDevErrorOidIndex', '.1.1.12.1.1', 'c'),
 ('pktcMtaDevErrorOid', '.1.1.12.1.2', 'c'), ('pktcMtaDevErrorValue', '.1.1.12.1.3', 'c'),
 ('pktcMtaDevErrorReason', '.1.1.12.1.4', 'c'), ('pktcMtaDevServer', '.1.2', 'n'),
 ('pktcMtaDevDhcpServerAddressType', '.1.2.1', 's'), ('pktcMtaDevServerDhcp1', '.1.2.2', 's'),
 ('pktcMtaDevServerDhcp2', '.1.2.3', 's'), ('pktcMtaDevDnsServerAddressType', '.1.2.4', 's'),
 ('pktcMtaDevServerDns1', '.1.2.5', 's'), ('pktcMtaDevServerDns2', '.1.2.6', 's'),
 ('pktcMtaDevTimeServerAddressType', '.1.2.7', 's'), ('pktcMtaDevTimeServer', '.1.2.8', 's'),
 ('pktcMtaDevConfigFile', '.1.2.9', 's'), ('pktcMtaDevSnmpEntity', '.1.2.10', 's'),
 ('pktcMtaDevProvConfigHash', '.1.2.11', 's'), ('pktcMtaDevProvConfigKey', '.1.2.12', 's'),
 ('pktcMtaDevProvConfigEncryptAlg', '.1.2.13', 's'), ('pktcMtaDevProvSolicitedKeyTimeout', '.1.2.14', 's'),
 ('pktcMtaDevProvUnsolicitedKeyMaxTimeout', '.1.2.15', 's'),
 ('pktcMtaDevProvUnsolicitedKeyNomTimeout', '.1.2.16', 's'),
 ('pktcMtaDevProvUnsolicitedKeyMaxRetries', '.1.2.17', 's'),
 ('pktcMtaDevProvKerbRealmName', '.1.2.18', 's'), ('pktcMtaDevProvState', '.1.2.19', 's'),
 ('pktcMtaDevSecurity', '.1.3', 'n'), ('pktcMtaDevManufacturerCertificate', '.1.3.1', 's'),
 ('pktcMtaDevCertificate', '.1.3.2', 's'), ('pktcMtaDevCorrelationId', '.1.3.3', 's'),
 ('pktcMtaDevTelephonyRootCertificate', '.1.3.4', 's'), ('pktcMtaDevRealmAvailSlot', '.1.3.5', 's'),
 ('pktcMtaDevRealmTable', '.1.3.6', 't'), ('pktcMtaDevRealmEntry', '.1.3.6.1', 'e'),
 ('pktcMtaDevRealmIndex', '.1.3.6.1.1', 'c'), ('pktcMtaDevRealmName', '.1.3.6.1.2', 'c'),
 ('pktcMtaDevRealmPkinitGracePeriod', '.1.3.6.1.3', 'c'), ('pktcMtaDevRealmTgsGracePeriod', '.1.3.6.1.4', 'c'),
 ('pktcMtaDevRealmOrgName', '.1.3.6.1.5', 'c'),
 ('pktcMtaDevRealmUnsolicitedKeyMaxTimeout', '.1.3.6.1.6', 'c'),
 ('pktcMtaDevRealmUnsolicitedKeyNomTimeout', '.1.3.6.1.7', 'c'),
 ('pktcMtaDevRealmUnsolicitedKeyMaxRetries', '.1.3.6.1.8', 'c'),
 ('pktcMtaDevRealmStatus', '.1.3.6.1.9', 'r'), ('pktcMtaDevCmsAvailSlot', '.1.3.7', 's'),
 ('pktcMtaDevCmsTable', '.1.3.8', 't'), ('pktcMtaDevCmsEntry', '.1.3.8.1', 'e'),
 ('pktcMtaDevCmsIndex', '.1.3.8.1.1', 'c'), ('pktcMtaDevCmsFqdn', '.1.3.8.1.2', 'c'),
 ('pktcMtaDevCmsKerbRealmName', '.1.3.8.1.3', 'c'), ('pktcMtaDevCmsMaxClockSkew', '.1.3.8.1.4', 'c'),
 ('pktcMtaDevCmsSolicitedKeyTimeout', '.1.3.8.1.5', 'c'),
 ('pktcMtaDevCmsUnsolicitedKeyMaxTimeout', '.1.3.8.1.6', 'c'),
 ('pktcMtaDevCmsUnsolicitedKeyNomTimeout', '.1.3.8.1.7', 'c'),
 ('pktcMtaDevCmsUnsolicitedKeyMaxRetries', '.1.3.8.1.8', 'c'),
 ('pktcMtaDevCmsIpsecCtrl', '.1.3.8.1.9', 'c'), ('pktcMtaDevCmsStatus', '.1.3.8.1.10', 'r'),
 ('pktcMtaDevResetKrbTickets', '.1.3.9', 's'), ('pktcMtaDevErrors', '.1.4', 'n'),
 ('pktcMtaDevErrorsTooManyErrors', '.1.4.1', 'n'),
]:
    add('PKTC-IETF-MTA-MIB', n, IETF + o, k)

# --- CableLabs PKTC-MTA-MIB, mibs.md section 2 (V) + realm/CMS columns (I: column order)
for n, o, k, ev in [
 ('pktcMtaMib', '', 'n', 'V'),
 ('pktcMtaDevEnabled', '.1.1.7', 's', 'V'), ('pktcMtaDevTypeIdentifier', '.1.1.8', 's', 'V'),
 ('pktcMtaDevProvisioningState', '.1.1.9', 's', 'V'), ('pktcMtaDevProvisioningTimer', '.1.1.11', 's', 'V'),
 ('pktcMtaDevConfigFile', '.1.2.5', 's', 'V'), ('pktcMtaDevSnmpEntity', '.1.2.6', 's', 'V'),
 ('pktcMtaDevProvConfigHash', '.1.2.7', 's', 'V'), ('pktcMtaDevProvConfigKey', '.1.2.8', 's', 'V'),
 ('pktcMtaDevCorrelationId', '.1.3.4', 's', 'V'),
 ('pktcMtaDevRealmTable', '.1.3.16', 't', 'V'), ('pktcMtaDevRealmEntry', '.1.3.16.1', 'e', 'I'),
 ('pktcMtaDevRealmName', '.1.3.16.1.1', 'c', 'V'),
 ('pktcMtaDevRealmPkinitGracePeriod', '.1.3.16.1.2', 'c', 'I'),
 ('pktcMtaDevRealmTgsGracePeriod', '.1.3.16.1.3', 'c', 'I'),
 ('pktcMtaDevRealmOrgName', '.1.3.16.1.4', 'c', 'V'),
 ('pktcMtaDevRealmUnsolicitedKeyMaxTimeout', '.1.3.16.1.5', 'c', 'I'),
 ('pktcMtaDevRealmUnsolicitedKeyNomTimeout', '.1.3.16.1.6', 'c', 'I'),
 ('pktcMtaDevRealmUnsolicitedKeyMeanDev', '.1.3.16.1.7', 'c', 'V'),
 ('pktcMtaDevRealmUnsolicitedKeyMaxRetries', '.1.3.16.1.8', 'c', 'V'),
 ('pktcMtaDevRealmStatus', '.1.3.16.1.9', 'r', 'V'),
 ('pktcMtaDevProvisioningEnrollment', '.2.0.1', 'n', 'V'),
 ('pktcMtaDevProvisioningStatus', '.2.0.2', 'n', 'V'),
]:
    add('PKTC-MTA-MIB', n, CL + o, k, ev)
# Excentis / EuroPacketCable hash object (config-file.md section 2)
add('EXCENTIS-PKTC-MTA', 'pktcMtaDevProvConfigHash', '1.3.6.1.4.1.7432.1.1.2.9', 's')

# --- CL-PKTC-EUE-* (mibs.md section 4)
D = EUE + '.3.1.1'
for n, o, k in [
 ('pktcEUEDevMIB', '.3', 'n'), ('pktcEUEDevProfileVersion', '.3.1.1.1', 's'),
 ('pktcEUEDevOpTable', '.3.1.1.2', 't'), ('pktcEUEDevOpEntry', '.3.1.1.2.1', 'e'),
 ('pktcEUEDevOpIndex', '.3.1.1.2.1.1', 'c'), ('pktcEUEDevOpDomain', '.3.1.1.2.1.2', 'c'),
 ('pktcEUEDevOpSTUNAddrType', '.3.1.1.2.1.3', 'c'), ('pktcEUEDevOpSTUNAddr', '.3.1.1.2.1.4', 'c'),
 ('pktcEUEDevOpSTUNAddrPort', '.3.1.1.2.1.5', 'c'), ('pktcEUEDevOpTURNAddrType', '.3.1.1.2.1.6', 'c'),
 ('pktcEUEDevOpTURNAddr', '.3.1.1.2.1.7', 'c'), ('pktcEUEDevOpTURNAddrPort', '.3.1.1.2.1.8', 'c'),
 ('pktcEUEDevOpTURNCredsType', '.3.1.1.2.1.9', 'c'), ('pktcEUEDevOpTURNCreds', '.3.1.1.2.1.10', 'c'),
 ('pktcEUEDevOpRowStatus', '.3.1.1.2.1.11', 'r'),
 ('pktcEUEDevDnsTable', '.3.1.1.3', 't'), ('pktcEUEDevDnsEntry', '.3.1.1.3.1', 'e'),
 ('pktcEUEDevDnsIndex', '.3.1.1.3.1.1', 'c'), ('pktcEUEDevDnsAddrType', '.3.1.1.3.1.2', 'c'),
 ('pktcEUEDevDnsAddr', '.3.1.1.3.1.3', 'c'), ('pktcEUEDevDnsRowStatus', '.3.1.1.3.1.4', 'r'),
 ('pktcEUEDevPCSCFTable', '.3.1.1.4', 't'), ('pktcEUEDevPCSCFEntry', '.3.1.1.4.1', 'e'),
 ('pktcEUEDevPCSCFIndex', '.3.1.1.4.1.1', 'c'), ('pktcEUEDevPCSCFAddrType', '.3.1.1.4.1.2', 'c'),
 ('pktcEUEDevPCSCFAddr', '.3.1.1.4.1.3', 'c'), ('pktcEUEDevPCSCFSipPort', '.3.1.1.4.1.4', 'c'),
 ('pktcEUEDevPCSCFUsedProtocol', '.3.1.1.4.1.5', 'c'),
 ('pktcEUEDevPCSCFUsedInetAddressType', '.3.1.1.4.1.6', 'c'),
 ('pktcEUEDevPCSCFUsedInetAddress', '.3.1.1.4.1.7', 'c'),
 ('pktcEUEDevPCSCFTimerT1', '.3.1.1.4.1.8', 'c'), ('pktcEUEDevPCSCFTimerT2', '.3.1.1.4.1.9', 'c'),
 ('pktcEUEDevPCSCFTimerT4', '.3.1.1.4.1.10', 'c'), ('pktcEUEDevPCSCFTimerTD', '.3.1.1.4.1.11', 'c'),
 ('pktcEUEDevPCSCFRowStatus', '.3.1.1.4.1.12', 'r'),
 ('pktcEUEDevPCSCFInviteAttempts', '.3.1.1.4.1.13', 'c'), ('pktcEUEDevPCSCFMaxTime', '.3.1.1.4.1.14', 'c'),
 ('pktcEUEDevPCSCFBaseTimeAllFailed', '.3.1.1.4.1.15', 'c'),
 ('pktcEUEDevPCSCFBaseTimeAllNotFailed', '.3.1.1.4.1.16', 'c'),
 ('pktcEUEDevPCSCFSubscribeRetry', '.3.1.1.4.1.17', 'c'),
 ('pktcEUEDevBSFTable', '.3.1.1.5', 't'), ('pktcEUEDevBSFEntry', '.3.1.1.5.1', 'e'),
 ('pktcEUEDevBSFASType', '.3.1.1.5.1.1', 'c'), ('pktcEUEDevBSFIndex', '.3.1.1.5.1.2', 'c'),
 ('pktcEUEDevBSFAddrType', '.3.1.1.5.1.3', 'c'), ('pktcEUEDevBSFAddr', '.3.1.1.5.1.4', 'c'),
 ('pktcEUEDevBSFRowStatus', '.3.1.1.5.1.5', 'r'),
 ('pktcEUECBSupport', '.3.1.1.6', 's'), ('pktcEUECBEnable', '.3.1.1.7', 's'),
 ('pktcEUECBData', '.3.1.1.8', 's'), ('pktcEUEDevSipPort', '.3.1.1.9', 's'),
]:
    add('CL-PKTC-EUE-DEV-MIB', n, EUE + o, k)
for n, o, k in [
 ('pktcEUEProvMgmtMIB', '.5', 'n'), ('pktcEUEProvMgmtVersion', '.5.1.1', 's'),
 ('pktcEUEDhcpv6ServerId1', '.5.1.2', 's'), ('pktcEUEDhcpv6ServerId2', '.5.1.3', 's'),
 ('pktcEUEDhcpv6ServerAddressType', '.5.1.4', 's'), ('pktcEUEDhcpv6ServerAddress', '.5.1.5', 's'),
 ('pktcEUEDnsv6ServerAddressType', '.5.1.6', 's'), ('pktcEUEDnsv6ServerAddress1', '.5.1.7', 's'),
 ('pktcEUEDnsv6ServerAddress2', '.5.1.8', 's'),
]:
    add('CL-PKTC-EUE-PROV-MGMT-MIB', n, EUE + o, k)
add('CL-PKTC-EUE-EVENT-MIB', 'pktcEUEMEMVersion', EUE + '.6.1.1')

# --- PKTC-IETF-EVENT-MIB (RFC 5428), mibs.md section 5
for n, o, k in [
 ('pktcIetfEventMib', '', 'n'), ('pktcEventNotification', '.0.1', 'n'),
 ('pktcEventReset', '.1.1.1', 's'), ('pktcEventSyslogCapabilities', '.1.1.2.1', 's'),
 ('pktcEventSyslogAddressType', '.1.1.2.2', 's'), ('pktcEventSyslogAddress', '.1.1.2.3', 's'),
 ('pktcEventSyslogMessageFormat', '.1.1.2.4', 's'), ('pktcEventSyslogTransport', '.1.1.2.5', 's'),
 ('pktcEventSyslogPort', '.1.1.2.6', 's'), ('pktcEventClassTable', '.1.1.3', 't'),
 ('pktcEventThrottleAdminStatus', '.1.2.1', 's'), ('pktcEventThrottleThreshold', '.1.2.2', 's'),
 ('pktcEventThrottleInterval', '.1.2.3', 's'), ('pktcEventTransmissionStatus', '.1.3.1', 's'),
 ('pktcEventTable', '.1.4.1', 't'), ('pktcEventLogTable', '.1.5.1', 't'),
]:
    add('PKTC-IETF-EVENT-MIB', n, EVT + o, k)

# --- standard objects (mibs.md section 3)
for mod, n, o, k in [
 ('SNMPv2-MIB', 'sysDescr', '1.3.6.1.2.1.1.1', 's'), ('SNMPv2-MIB', 'sysUpTime', '1.3.6.1.2.1.1.3', 's'),
 ('SNMPv2-MIB', 'snmpTrapOID', '1.3.6.1.6.3.1.1.4.1', 's'),
 ('IF-MIB', 'ifPhysAddress', '1.3.6.1.2.1.2.2.1.6', 'c'),
 ('SNMP-TARGET-MIB', 'snmpTargetAddrTable', '1.3.6.1.6.3.12.1.2', 't'),
 ('SNMP-TARGET-MIB', 'snmpTargetParamsTable', '1.3.6.1.6.3.12.1.3', 't'),
 ('SNMP-NOTIFICATION-MIB', 'snmpNotifyTable', '1.3.6.1.6.3.13.1.1', 't'),
 ('SNMP-NOTIFICATION-MIB', 'snmpNotifyFilterTable', '1.3.6.1.6.3.13.1.3', 't'),
 ('SNMP-USER-BASED-SM-MIB', 'usmUserTable', '1.3.6.1.6.3.15.1.2.2', 't'),
 ('SNMP-USER-BASED-SM-MIB', 'usmHMACMD5AuthProtocol', '1.3.6.1.6.3.10.1.1.2', 'n'),
 ('SNMP-USER-BASED-SM-MIB', 'usmHMACSHAAuthProtocol', '1.3.6.1.6.3.10.1.1.3', 'n'),
 ('SNMP-USER-BASED-SM-MIB', 'usmNoPrivProtocol', '1.3.6.1.6.3.10.1.2.1', 'n'),
 ('SNMP-USER-BASED-SM-MIB', 'usmDESPrivProtocol', '1.3.6.1.6.3.10.1.2.2', 'n'),
]:
    add(mod, n, o, k)

# --- this project's own module (snmp-mibs/mibs/EUE-PROV-LOCAL-MIB): NET-SNMP playpen arc
LOC = '1.3.6.1.4.1.8072.9999.4491'
for n, o, k in [
 ('eueProvLocalMib', '', 'n'), ('eueProvLocalObjects', '.1', 'n'),
 ('pktcEUEDevProvisioningStatus', '.1.1', 's'),
]:
    add('EUE-PROV-LOCAL-MIB', n, LOC + o, k)

def ber(dotted):
    a = [int(x) for x in dotted.split('.')]
    subs = [a[0] * 40 + a[1]] + a[2:]
    out = []
    for v in subs:
        b = [v & 0x7f]
        v >>= 7
        while v:
            b.insert(0, 0x80 | (v & 0x7f))
            v >>= 7
        out += b
    return out

# Module order = look-up order for bare names when no module is preferred.
ORDER = ['PKTC-IETF-MTA-MIB', 'PKTC-MTA-MIB', 'EXCENTIS-PKTC-MTA', 'CL-PKTC-EUE-DEV-MIB',
         'CL-PKTC-EUE-PROV-MGMT-MIB', 'CL-PKTC-EUE-EVENT-MIB', 'PKTC-IETF-EVENT-MIB',
         'SNMPv2-MIB', 'IF-MIB', 'SNMP-TARGET-MIB', 'SNMP-NOTIFICATION-MIB',
         'SNMP-USER-BASED-SM-MIB', 'EUE-PROV-LOCAL-MIB', 'SNMPv2-SMI']
# Modules whose nodes are arcs: usable in input (enterprises.4491...), never
# chosen to print an OID (1.3.9 stays numeric rather than "org.9").
ARCS = {'SNMPv2-SMI'}
KINDS = {'node': 'n', 'scalar': 's', 'table': 't', 'row': 'e', 'column': 'c',
         'notification': 'n'}

def from_modules(d):
    """(module, name, dotted, kind) of every bundled module in ORDER."""
    env = dict(os.environ, SMIPATH=d)
    out = []
    for mod in ORDER:
        f = os.path.join(d, mod + '.txt')
        if not os.path.exists(f):
            continue
        text = open(f).read()
        rs = set(re.findall(r'^(\w+) OBJECT-TYPE\s+SYNTAX\s+RowStatus\b', text, re.M))
        res = subprocess.run(['smidump', '-f', 'identifiers', f], env=env,
                             capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit('smidump %s failed: %s' % (f, res.stderr))
        for line in res.stdout.splitlines():
            p = line.split()
            if len(p) == 4 and p[0] == mod and p[2] in KINDS:
                k = 'r' if p[1] in rs else 'a' if mod in ARCS else KINDS[p[2]]
                out.append((mod, p[1], p[3], k, 'M'))
    return out

def check(gen):
    have = {(m, n): d for m, n, d, k, ev in gen}
    bad = 0
    for m, n, d, k, ev in rows:
        if (m, n) in have and have[(m, n)] != d:
            bad += 1
            sys.stderr.write('%s::%s: reference %s, module %s\n' % (m, n, d, have[(m, n)]))
    return bad

if len(sys.argv) != 2 and not (len(sys.argv) == 3 and sys.argv[1] == '--check'):
    sys.exit('usage: mibnames.py [--check] MIBDIR')
gen = from_modules(sys.argv[-1])
bundled = set(m for m, n, d, k, ev in gen)
bad = check(gen)
missing = [r for r in rows if r[0] in bundled and (r[0], r[1]) not in {(m, n) for m, n, d, k, ev in gen}]
for r in missing:
    sys.stderr.write('%s::%s: in the reference list, not in the module\n' % (r[0], r[1]))
if sys.argv[1] == '--check':
    print('mibnames: %d module objects, %d reference rows; %d mismatches, %d missing'
          % (len(gen), len(rows), bad, len(missing)))
    sys.exit(1 if bad or missing else 0)
if bad or missing:
    sys.exit('mibnames: modules disagree with the reference list')
# modules not bundled: their reference rows go in as they are
rows = gen + [r for r in rows if r[0] not in bundled]
rows.sort(key=lambda r: ORDER.index(r[0]))

def ber(dotted):
    a = [int(x) for x in dotted.split('.')]
    subs = [a[0] * 40 + a[1]] + a[2:]
    out = []
    for v in subs:
        b = [v & 0x7f]
        v >>= 7
        while v:
            b.insert(0, 0x80 | (v & 0x7f))
            v >>= 7
        out += b
    return out

if len(sys.argv) == 3 and sys.argv[1] == '--check':
    # Compare the table with the MIB modules as compiled by libsmi's smidump:
    # every table row of a module that exists in DIR must match its OID.
    import os, subprocess
    d = sys.argv[2]
    env = dict(os.environ, SMIPATH=d)
    bad = checked = 0
    for mod in sorted(set(r[0] for r in rows)):
        f = os.path.join(d, mod + '.txt')
        if not os.path.exists(f):
            continue
        ids = {}
        out = subprocess.run(['smidump', '-f', 'identifiers', f], env=env,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            p = line.split()
            if len(p) == 4 and p[0] == mod:
                ids[p[1]] = p[3]
        for m, n, dotted, k, ev in rows:
            if m != mod:
                continue
            checked += 1
            if ids.get(n) != dotted:
                bad += 1
                print('%s::%s: table %s, module %s' % (m, n, dotted, ids.get(n)))
    print('mibnames: %d rows checked against %s, %d mismatches' % (checked, d, bad))
    sys.exit(1 if bad else 0)

mods = []
for r in rows:
    if r[0] not in mods:
        mods.append(r[0])
kinds = {'a': 'MIB_ARC', 'n': 'MIB_NODE', 's': 'MIB_SCALAR', 't': 'MIB_TABLE', 'e': 'MIB_ENTRY', 'c': 'MIB_COLUMN', 'r': 'MIB_ROWSTATUS'}
o = sys.stdout
o.write('/* mibnames.c: GENERATED by `python3 tlv/mibnames.py snmp-mibs/mibs`; do not edit. */\n')
o.write('#include "tlv/mibnames.h"\n\n')
o.write('const char *const mib_modules[] = {\n')
for m in mods:
    o.write('\t"%s",\n' % m)
o.write('};\nconst size_t mib_nmodules = %d;\n\n' % len(mods))
o.write('const struct mib_name mib_names[] = {\n')
for mod, n, d, k, ev in rows:
    b = ber(d)
    o.write('\t{ "%s", %d, %s, %d, /* %s %s */\n\t  "%s" },\n' % (
        n, mods.index(mod), kinds[k], len(b), d, ev, ''.join('\\x%02x' % x for x in b)))
o.write('};\nconst size_t mib_nnames = %d;\n' % len(rows))
# Row numbers sorted by name (byte order, as strcmp), for binary search; rows
# with the same name stay in table (module) order.
order = sorted(range(len(rows)), key=lambda i: (rows[i][1].encode(), i))
o.write('\n/* mib_names[] row numbers in strcmp order of name (binary search) */\n')
o.write('const uint16_t mib_name_order[] = {\n')
for j in range(0, len(order), 12):
    o.write('\t' + ', '.join('%d' % i for i in order[j:j + 12]) + ',\n')
o.write('};\n')
