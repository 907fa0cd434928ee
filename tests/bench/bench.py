#!/usr/bin/env python3
"""tests/bench/bench.py: `make bench`, the performance and footprint table (issue 11).

    python3 tests/bench/bench.py [--runs N] [--docsis PATH] [--no-lab] [--reuse] [--only REGEX]

Rows, numbered as in the issue (each figure the median of N runs with [min..max], beside its
reference from the same run):
  1 config codec: pktcfg encode/decode whole process (wall, peak RSS) and the in-process codec
    (cfgbench); beside rlaager/docsis when --docsis is given
  2 device-side processing per flow (pcap: last packet in -> next packet out), the largest gap
    named by spec step; the Secure flows' Kerberos (UDP 88, IP fragments), key management (UDP
    1293), SNMP (161/162, SNMPv3 reports) and DNS exchanges named, retransmissions taken as
    timers; beside a whole-process kinit PKINIT exchange (wall, user+sys)
  3 time to provisioned per flow and IP mode (trace: cm-ready -> state provisioned), split into
    mandated waits, server time and device time (eue.pcapng joined with the trace)
  4 footprint: stripped ecmd/eued for host and armhf (size: text/data/bss), their NEEDED
    libraries and sizes; peak RSS (ru_maxrss from wait4 = VmHWM at exit) of each daemon across
    the Basic/Hybrid flows and across the Secure flows, beside Net-SNMP's snmptrapd and snmpd
  5 CPU per provisioning: user+sys of ecmd+eued per flow (Secure included), beside kinit's
The flows: the 8 Basic/Hybrid device scenarios and device-secure-ipv{4,6}-e2e.
The lab rows need root: the ATP runner (tests/atp/atp.py --dir build/bench/scn) brings the lab up.
No assertion on any time: the table prints figures and says met/missed against the issue's targets.
"""
import argparse
import datetime
import glob
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# (label, ATP scenario): the Basic and Hybrid device scenarios, and the Secure end-to-end ones
FLOWS = [(f"{f}-ipv{v}", f"device-{f}-ipv{v}") for f in ("basic1", "basic2", "hybrid1", "hybrid2") for v in (4, 6)]
FLOWS += [(f"secure-ipv{v}", f"device-secure-ipv{v}-e2e") for v in (4, 6)]
KINIT_PER_RUN = 5
BOARDS = {"host": {"cross": "", "libdirs": ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                                            "/lib64", "/usr/lib"]},
          "armhf": {"cross": "arm-linux-gnueabihf-",
                    "libdirs": ["{b}/sysroot-armhf/lib/arm-linux-gnueabihf",
                                "{b}/sysroot-armhf/usr/lib/arm-linux-gnueabihf"]}}
TARGET_OWN_KB = 256
TARGET_RSS_KB = 4096
TARGET_DEVICE_MS = 100
TARGET_SECURE6_PROC_MS = 20


# ------------------------------------------------------------------------------------ helpers

def sh(argv, **kw):
    return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          errors="replace", **kw)


def fmt(vals, prec=1, unit=""):
    """median [min..max] of a list, or n/a."""
    vals = [v for v in vals if v is not None]
    if not vals:
        return "n/a"
    m = statistics.median(vals)
    s = f"{m:.{prec}f}{unit}"
    if len(vals) > 1:
        s += f" [{min(vals):.{prec}f}..{max(vals):.{prec}f}]"
    return s


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def kib(n):
    return f"{n / 1024:.1f} KiB"


def read_kv(path):
    """benchwrap lines: a list of dicts."""
    rows = []
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            d = dict(t.split("=", 1) for t in line.split() if "=" in t)
            if d:
                rows.append(d)
    return rows


# --------------------------------------------------------------------------- 1 config codec

def wrap_run(wrap, argv, out):
    """One whole-process run under benchwrap; returns (wall_ms, maxrss_kb) or None."""
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run([wrap, out] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = read_kv(out)
    if r.returncode != 0 or not rows:
        return None
    return int(rows[-1]["wall_us"]) / 1000.0, int(rows[-1]["maxrss_kb"])


def codec_rows(b, wrap, reps, docsis, log):
    o = os.path.join(b, "host")
    pktcfg, cfgbench = os.path.join(o, "bin/pktcfg"), os.path.join(o, "bench/cfgbench")
    rows = []
    w = tempfile.mkdtemp(prefix="bench-cfg-")
    try:
        inproc = {}
        for n in (20, 2000):
            txt = os.path.join(w, f"f{n}.txt")
            for _ in range(reps):
                r = sh([cfgbench, str(n), txt])
                log.append(f"$ cfgbench {n}\n{r.stdout}{r.stderr}")
                for line in r.stdout.splitlines():
                    f = line.split()
                    if len(f) >= 9:
                        inproc.setdefault((n, f[0]), []).append(float(f[7]))
            binf, dbin, wt = os.path.join(w, f"f{n}.bin"), os.path.join(w, f"d{n}.bin"), os.path.join(w, "t")
            enc = [wrap_run(wrap, [pktcfg, "encode", txt, "-o", binf], wt) for _ in range(reps)]
            dec = [wrap_run(wrap, [pktcfg, "decode", binf, "-o", os.path.join(w, "dec.txt")], wt)
                   for _ in range(reps)]
            denc = ddec = []
            same = ""
            if docsis:
                denc = [wrap_run(wrap, [docsis, "-p", txt, dbin], wt) for _ in range(reps)]
                ddec = [wrap_run(wrap, [docsis, "-d", binf], wt) for _ in range(reps)]
                same = ("output identical (cmp)" if sh(["cmp", "-s", binf, dbin]).returncode == 0
                        else "OUTPUTS DIFFER")
            for what, mine, ref in (("encode", enc, denc), ("decode", dec, ddec)):
                mine = [x for x in mine if x]
                ref = [x for x in ref if x]
                this = (f"wall {fmt([x[0] for x in mine], 2)} ms, peak RSS {fmt([x[1] for x in mine], 0)} KiB"
                        if mine else "failed")
                if ref:
                    refs = (f"docsis {'-p' if what == 'encode' else '-d'}: wall {fmt([x[0] for x in ref], 2)} ms, "
                            f"peak RSS {fmt([x[1] for x in ref], 0)} KiB" + (f"; {same}" if what == "encode" else ""))
                    sp = med([x[0] for x in ref]) / med([x[0] for x in mine]) if mine else 0
                    mem = med([x[1] for x in ref]) / med([x[1] for x in mine]) if mine else 0
                    ok = "met" if sp >= 20 and mem >= 10 else "missed"
                    verdict = f"{ok}: {sp:.1f}x faster, 1/{mem:.1f} memory"
                else:
                    refs = "n/a (rlaager/docsis not given: make bench DOCSIS=/path/to/docsis)"
                    verdict = "n/a (no reference)"
                rows.append(("1", f"pktcfg {what}, {n} varbinds, whole process", this, refs,
                             ">= 20x faster, <= 1/10 memory", verdict))
        for n in (20, 2000):
            parts = [f"{k} {fmt(inproc.get((n, k), []), 1)}" for k in ("compile", "decode", "reencode", "print")]
            rows.append(("1", f"codec in process (cfgbench), {n} varbinds, us/file", ", ".join(parts),
                         "-", "-", "info"))
    finally:
        shutil.rmtree(w, ignore_errors=True)
    return rows


# ------------------------------------------------------------------------------ 2 footprint

def lib_path(name, libdirs):
    for d in libdirs:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return os.path.realpath(p)
    return None


def needed(cross, path):
    r = sh([cross + "readelf", "-d", path])
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", r.stdout)


def tdb(cross, path):
    """(text, data, bss) of `size` (Berkeley format)."""
    r = sh([cross + "size", path])
    lines = r.stdout.strip().splitlines()
    if len(lines) < 2:
        return None
    f = lines[1].split()
    return int(f[0]), int(f[1]), int(f[2])


def footprint(b, details):
    """{(board, daemon): {...}}; details: text lines for the library list."""
    res = {}
    w = tempfile.mkdtemp(prefix="bench-size-")
    try:
        for board, cfg in BOARDS.items():
            cross = cfg["cross"]
            libdirs = [d.format(b=b) for d in cfg["libdirs"]]
            for d in ("ecmd", "eued"):
                src = os.path.join(b, board, "bin", d)
                if not os.path.exists(src) or not shutil.which(cross + "strip"):
                    continue
                dst = os.path.join(w, f"{board}-{d}")
                if sh([cross + "strip", "-o", dst, src]).returncode != 0:
                    continue
                own = tdb(cross, dst)
                direct = needed(cross, dst)
                libs, seen, todo = [], set(), list(direct)
                while todo:                        # the closure of NEEDED
                    n = todo.pop(0)
                    if n in seen:
                        continue
                    seen.add(n)
                    p = lib_path(n, libdirs)
                    if p is None:
                        libs.append((n, None, None, n in direct))
                        continue
                    libs.append((n, os.path.getsize(p), tdb(cross, p), n in direct))
                    todo += needed(cross, p)
                res[(board, d)] = {"file": os.path.getsize(dst), "own": own, "libs": libs, "direct": direct}
                details.append(f"{board} {d}: stripped {os.path.getsize(dst)} B, text {own[0]} data {own[1]} "
                               f"bss {own[2]}; NEEDED (direct) and what they pull in:")
                for n, sz, t, isdirect in libs:
                    details.append(f"    {'NEEDED ' if isdirect else '  (via) '}{n:28} "
                                   + (f"{sz:>9} B  text {t[0]:>8} data {t[1]:>6} bss {t[2]:>6}" if sz else "not found"))
    finally:
        shutil.rmtree(w, ignore_errors=True)
    return res


def footprint_rows(fp):
    rows = []
    for board in BOARDS:
        for d in ("ecmd", "eued"):
            x = fp.get((board, d))
            if not x:
                rows.append(("4", f"{d} {board}, stripped", "n/a (not built)", "-", "-", "n/a"))
                continue
            t, da, bs = x["own"]
            libsz = sum(s for _, s, _, dr in x["libs"] if s and dr)
            allsz = sum(s for _, s, _, _ in x["libs"] if s)
            rows.append(("4", f"{d} {board}, stripped (size: text/data/bss)",
                         f"{kib(x['file'])} file; text {t} data {da} bss {bs}",
                         f"shared libs: {len(x['direct'])} NEEDED = {libsz / 1048576:.2f} MiB; "
                         f"with what they pull in {len(x['libs'])} = {allsz / 1048576:.2f} MiB",
                         "-", "info"))
    ownsum = [fp[("armhf", d)]["own"] for d in ("ecmd", "eued") if ("armhf", d) in fp]
    if len(ownsum) == 2:
        code = sum(t + da for t, da, _ in ownsum)
        rows.append(("4", "own code ecmd + eued, armhf (text+data, stripped)", kib(code),
                     "-", f"<= {TARGET_OWN_KB} KiB", "met" if code <= TARGET_OWN_KB * 1024 else "missed"))
    else:
        rows.append(("4", "own code ecmd + eued, armhf", "n/a (armhf not built)", "-",
                     f"<= {TARGET_OWN_KB} KiB", "n/a"))
    return rows


# ----------------------------------------------------------------------- lab scenarios (gen)

def logical_lines(path):
    out, cur = [], ""
    for line in open(path, encoding="utf-8").read().split("\n"):
        if cur:
            cur = cur[:-1] + " " + line.strip()
        else:
            cur = line.rstrip()
        if cur.endswith("\\"):
            continue
        out.append(cur)
        cur = ""
    if cur:
        out.append(cur)
    return out


def gen_scenarios(scn, wrap):
    """build/bench/scn: the 8 Basic/Hybrid device flows and the 2 Secure end-to-end flows with
    the daemons under benchwrap, the operator's agent reads left out (they are not provisioning;
    in Secure they are SNMPv2c requests the USM-only agent never answers: 17 s of timeouts) and
    a host-side probe of snmptrapd's RSS; plus bench-kinit (PKINIT whole process, and snmpd
    serving walks as the RSS reference)."""
    if os.path.isdir(scn):
        shutil.rmtree(scn)
    os.makedirs(scn)
    refrss = os.path.join(ROOT, "tests/bench/refrss.sh")
    names = []
    for _, name in FLOWS:
        src = os.path.join(ROOT, "tests/atp/scenarios", name + ".scn")
        if not os.path.exists(src):
            continue
        out = [f"# generated by tests/bench/bench.py from tests/atp/scenarios/{name}.scn"]
        probe_added = False
        wrapped = 0
        for line in logical_lines(src):
            s = line.strip()
            w = s.split()
            if s.startswith("device") and "eue-agent-read" in s:
                continue
            # the output of the agent reads goes with them; what eued itself logs stays checked
            if w[:1] == ["expect"] and len(w) > 1 and w[1] in ("output", "no-output") \
                    and "eued step" not in s:
                continue
            if w[:1] == ["lab"]:
                k, _, v = s[3:].strip().partition("=")
                if k in ("FILES_DIR", "TEMPLATES_DIR", "PROVSRV_TEMPLATE", "EUE_CONFIG_TEXT") \
                        and not v.startswith("/"):
                    s = f"lab {k}={os.path.normpath(os.path.join(os.path.dirname(src), v))}"
            if w[:1] == ["title"]:
                s = "title   bench: " + re.sub(r", values read back.*$", "", s[5:].strip()) + " (daemons under benchwrap)"
            if w[:1] == ["device"] and not probe_added:
                # waited for first (devices are waited in order), so the daemons still run when
                # it reads their /proc status after the final state
                out.append(f'device  ns=host timeout=90 -- exec sh "{refrss}" wait "$ATP_TRACE" "$ATP_ART/refrss.txt"')
                probe_added = True
            if w[:1] == ["device"]:
                wrapped += len(re.findall(r'exec "\$ATP_ROOT/build/host/bin/(?:ecmd|eued)"', s))
                s = re.sub(r'exec "\$ATP_ROOT/build/host/bin/(ecmd|eued)"',
                           lambda m: f'exec "{wrap}" "$ATP_ART/rusage-{m.group(1)}.txt" '
                                     f'"$ATP_ROOT/build/host/bin/{m.group(1)}"', s)
            out.append(s)
        if wrapped != 2:
            print(f"bench: warning: {name}.scn: {wrapped} of ecmd/eued put under benchwrap "
                  "(its device lines changed form): its CPU and RSS rows will be n/a", file=sys.stderr)
        with open(os.path.join(scn, "bench-" + name + ".scn"), "w") as f:
            f.write("\n".join(out) + "\n")
        names.append("bench-" + name)
    kin = (f'"{wrap}" "$ATP_ART/kinit.txt" kinit -X '
           'X509_user_identity=FILE:$LAB_PKI/device.pem,$LAB_PKI/device.key $LAB_EUE_PRINC@$LAB_REALM')
    with open(os.path.join(scn, "bench-kinit.scn"), "w") as f:
        f.write(f"""# generated by tests/bench/bench.py: references for make bench
title   bench: kinit PKINIT whole process x{KINIT_PER_RUN}; Net-SNMP snmpd serving walks (RSS reference)
group   bench
needs   build/host/bench/benchwrap
server  ns=eue ready=udp:161 -- exec snmpd -f -Lo -C -c "$LAB_RUN/conf/standin-snmpd.conf" -p "$ATP_ART/snmpd.pid"
step    timeout=120 peer="krb5kdc (oss): AS-REQ/AS-REP with PKINIT" -- \\
        for i in $(seq {KINIT_PER_RUN}); do {kin} || exit 1; done
step    ns=oss timeout=60 peer="snmpd (eue)" -- \\
        snmpwalk -v2c -c public -On $LAB_EUE_STATIC4 1.3.6.1.2.1.1 > /dev/null && \\
        snmpwalk -v2c -c public -On $LAB_EUE_STATIC4 1.3.6.1.2.1.2 > /dev/null && \\
        snmpwalk -v2c -c public -On udp6:[$LAB_EUE_STATIC6] 1.3.6.1.2.1.140 && echo walked
step    ns=host -- sh "{refrss}" now "$ATP_ART/refrss.txt" snmpd=$(cat "$ATP_ART/snmpd.pid")
expect  output '^walked$'
expect  file   log/krb5kdc.log 'ISSUE: .* eue1@EXAMPLE\\.NET for krbtgt/EXAMPLE\\.NET@EXAMPLE\\.NET'
expect  pcap   kerberos.msg_type == 11
tolerate '^BER Error: ' because Wireshark 4.0's Kerberos ASN.1 predates fields MIT 1.20 sends in PKINIT (supportedKDFs, freshness); the KDC accepts them
""")
    names.append("bench-kinit")
    return names


# -------------------------------------------------------------------- 3/4 trace + pcap join

PCAP_FIELDS = ["frame.time_epoch", "sll.pkttype", "sll.src.eth", "ip.dst", "ipv6.src", "ipv6.dst", "icmpv6.type",
               "icmpv6.nd.ns.target_address",
               "arp.opcode", "arp.dst.proto_ipv4", "dhcp.option.dhcp", "dhcp.hw.mac_addr",
               "dhcpv6.msgtype", "dhcpv6.duidll.link_layer_addr", "_ws.col.Protocol", "_ws.col.Info",
               # the Secure flow's exchanges: Kerberos (88), key management (1293), SNMP (161/162), DNS
               "udp.srcport", "udp.dstport", "udp.payload",
               "ipv6.fraghdr.ident", "ipv6.fraghdr.offset", "ip.id", "ip.flags.mf", "ip.frag_offset",
               "kerberos.msg_type", "kerberos.error_code", "pktc.kmmid", "snmp.version", "snmp.msgVersion", "snmp.data",
               "snmp.name", "dns.flags.response", "dns.qry.type", "dns.qry.name"]
KRB_MSG = {"10": "AS-REQ", "11": "AS-REP", "12": "TGS-REQ", "13": "TGS-REP", "14": "AP-REQ", "15": "AP-REP",
           "30": "KRB-ERROR"}
KRB_ERR = {"24": "PREAUTH_FAILED", "25": "PREAUTH_REQUIRED", "37": "SKEW", "52": "RESPONSE_TOO_BIG",
           "60": "GENERIC", "62": "CLIENT_NOT_TRUSTED", "65": "INVALID_SIG"}
KM_MSG = {"1": "Wake Up", "2": "AP Request", "3": "AP Reply", "4": "SP Recovered", "5": "Rekey",
          "6": "Error Reply"}
SNMP_PDU = {"0": "get", "1": "getnext", "2": "response", "3": "set", "4": "trap", "5": "getbulk",
            "6": "inform", "7": "trap2", "8": "report"}
USM_STATS = {"1": "unsupportedSecLevels", "2": "notInTimeWindows", "3": "unknownUserNames",
             "4": "unknownEngineIDs", "5": "wrongDigests", "6": "decryptionErrors"}
SNMP_VER = {"0": "SNMPv1", "1": "SNMPv2c", "3": "SNMPv3"}
DNS_TYPE = {"1": "A", "28": "AAAA", "33": "SRV"}


def read_pcap(path):
    argv = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=f", "-E", "separator=\t"]
    for f in PCAP_FIELDS:
        argv += ["-e", f]
    r = sh(argv)
    pk = []
    for line in r.stdout.splitlines():
        v = line.split("\t")
        if len(v) < len(PCAP_FIELDS):
            v += [""] * (len(PCAP_FIELDS) - len(v))
        d = dict(zip(PCAP_FIELDS, v))
        try:
            d["t"] = float(d["frame.time_epoch"])
        except ValueError:
            continue
        for k in ("kerberos.msg_type", "kerberos.error_code", "pktc.kmmid", "snmp.version", "snmp.msgVersion",
                  "snmp.data", "dns.qry.type"):
            try:
                d[k] = str(int(d[k], 0)) if d[k] else ""     # some builds print hex (0x02)
            except ValueError:
                pass
        pk.append(d)
    pk.sort(key=lambda d: d["t"])
    # a datagram split in IP fragments (the PKINIT AS-REQ and AS-REP: ~2.5 KB and ~1.7 KB) is
    # decoded on its last fragment; every fragment gets that decode, "frag i/n"
    groups = {}
    for p in pk:
        fid = frag_id(p)
        if fid:
            groups.setdefault(fid, []).append(p)
    for fid, ps in groups.items():
        whole = next((p for p in reversed(ps) if p["udp.dstport"]), ps[-1])
        for i, p in enumerate(ps):
            p["frag"] = (i + 1, len(ps))
            if p is not whole:
                for k in PCAP_FIELDS[16:]:
                    p[k] = whole[k]
                p["_ws.col.Protocol"], p["_ws.col.Info"] = whole["_ws.col.Protocol"], whole["_ws.col.Info"]
    return pk


def frag_id(p):
    """(version, ident) of an IP-fragmented datagram, or None."""
    if p["ipv6.fraghdr.ident"]:
        return ("6", p["ipv6.fraghdr.ident"], p["ipv6.src"])
    if p["ip.id"] and (p["ip.flags.mf"] in ("1", "True") or p["ip.frag_offset"] not in ("", "0")):
        return ("4", p["ip.id"], p["ip.dst"])
    return None


def exchange(p):
    """The Secure flow's exchanges by port and message: Kerberos (UDP 88), PacketCable key
    management (UDP 1293), SNMP (161 requests to the agent, 162 notifications), DNS (53); None
    for anything else (desc() then uses tshark's Info)."""
    ports = {p["udp.srcport"], p["udp.dstport"]}
    if "88" in ports and p["kerberos.msg_type"]:
        m = KRB_MSG.get(p["kerberos.msg_type"], "msg " + p["kerberos.msg_type"])
        if m == "KRB-ERROR":
            m += " " + KRB_ERR.get(p["kerberos.error_code"], p["kerberos.error_code"])
        return "KRB5 " + m
    if "1293" in ports and p["pktc.kmmid"]:
        return "KM " + KM_MSG.get(p["pktc.kmmid"], "kmmid " + p["pktc.kmmid"])
    ver = p["snmp.msgVersion"] or p["snmp.version"]
    if ports & {"161", "162"} and ver in SNMP_VER:
        v = SNMP_VER[ver]
        if p["snmp.data"] == "8":
            m = re.match(r"1\.3\.6\.1\.6\.3\.15\.1\.1\.(\d)", p["snmp.name"])
            return f"{v} report " + (USM_STATS.get(m.group(1), p["snmp.name"]) if m else p["snmp.name"])
        if p["snmp.data"]:
            return f"{v} " + SNMP_PDU.get(p["snmp.data"], p["snmp.data"])
        # authPriv: the PDU is encrypted; port and direction say what it is
        if p["udp.dstport"] == "162":
            return "SNMPv3 INFORM (encrypted)"
        if p["udp.srcport"] == "162":
            return "SNMPv3 INFORM ack (encrypted)"
        if p["udp.dstport"] == "161":
            return "SNMPv3 request to the agent (encrypted)"
        return "SNMPv3 agent response (encrypted)"
    if "53" in ports and p["dns.qry.type"]:
        t = DNS_TYPE.get(p["dns.qry.type"], p["dns.qry.type"])
        return f"DNS {t} {'answer' if p['dns.flags.response'] in ('1', 'True') else 'query'} {p['dns.qry.name']}"
    return None


def read_trace(path):
    ev = []
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            w = line.split()
            if len(w) >= 4 and w[0].isdigit():
                ev.append({"ms": int(w[0]), "proc": w[1], "kind": w[2], "name": w[3],
                           "res": w[4] if len(w) > 4 else "", "rest": " ".join(w[5:])})
    return ev


def board_macs():
    macs = {}
    for line in open(os.path.join(ROOT, "boards/host/board.conf")):
        m = re.match(r"\s*(ecm_mac|eue_mac)\s*=\s*(\S+)", line)
        if m:
            macs[m.group(1)] = m.group(2).lower()
    return macs.get("eue_mac", "02:00:00:00:0e:01"), macs.get("ecm_mac", "02:00:00:00:0c:01")


def desc(p):
    x = exchange(p)
    if x:
        if p.get("frag"):
            x += " (frag %d/%d)" % p["frag"]
        return x[:56]
    info = re.sub(r"\s+", " ", p["_ws.col.Info"]).strip()
    info = re.sub(r" - Transaction ID 0x[0-9a-f]+| XID: 0x[0-9a-f]+.*| 0x[0-9a-f]+(?= )|, Transfer type.*", "", info)
    proto = p["_ws.col.Protocol"]
    return (info if info.startswith(proto) else f"{proto} {info}")[:44]


def analyse_flow(art):
    """The join of one device scenario's eued trace and eue.pcapng (see the module text)."""
    tr = [e for e in read_trace(os.path.join(art, "trace.log")) if e["proc"] == "eued"]
    start = next((e for e in tr if e["name"] == "IPC" and "type=cm-ready" in e["rest"]), None)
    end = next((e for e in tr if e["kind"] == "state" and e["name"] == "provisioned"), None)
    if not start or not end:
        return None
    v6 = "mode=ipv6" in start["rest"]
    eue_mac, cm_mac = board_macs()

    def tms(name, res=None, after=0):
        for e in tr:
            if e["kind"] == "step" and e["name"] == name and (res is None or e["res"] == res) and e["ms"] >= after:
                return e
        return None
    anchor = tms("eUE-2/advertise") if v6 else tms("MTA2/offer")
    linkup = tms("link", "up", start["ms"])
    ll = tms("ipv6-ll", "ok")
    bound = tms("eUE-4/bound", "ok") if v6 else tms("MTA4/ack")
    addrs = set()
    for e in (ll, bound):
        m = re.search(r"addr=([0-9a-fA-F:.]+)", e["rest"]) if e else None
        if m:
            addrs.add(m.group(1).lower())
    pk = read_pcap(os.path.join(art, "eue.pcapng"))
    # keep what the eUE's stack sends and what it waits for; kernel chatter (MLD, answers to
    # neighbour probes) and the eCM's traffic are not the eUE's exchanges
    seq, rs_pending = [], False
    for p in pk:
        src, pt = p["sll.src.eth"].lower(), p["sll.pkttype"]
        icmp = p["icmpv6.type"]
        if icmp in ("130", "131", "132", "143"):
            continue
        if pt == "4":
            if src != eue_mac or icmp == "136" or p["arp.opcode"] == "2":
                continue
            if icmp == "133":
                rs_pending = True
            seq.append((p["t"], "out", p))
            continue
        if src in (eue_mac, cm_mac):
            continue                                 # our own multicast/broadcast echoes
        if p["dhcp.option.dhcp"]:
            keep = p["dhcp.hw.mac_addr"].lower() == eue_mac
        elif p["dhcpv6.msgtype"]:
            keep = p["dhcpv6.duidll.link_layer_addr"].lower() == eue_mac
        elif icmp == "134":
            keep, rs_pending = rs_pending, False     # the RA that answers our RS
        elif icmp == "135":
            keep = False
        elif p["arp.opcode"]:
            keep = p["arp.opcode"] == "2" and p["arp.dst.proto_ipv4"] in addrs
        else:
            keep = (p["ipv6.dst"].lower() in addrs) or (p["ip.dst"] in addrs)
        if keep:
            seq.append((p["t"], "in", p))
    # the same datagram twice: out within 1 ms is the capture seeing it twice (dropped); later, it
    # is a retransmission (Kerberos, DNS and SNMP resend the same bytes): the time since the
    # original is the device's retransmission timer, a wait, not processing
    def ident(p):
        if not p["udp.payload"] or (p.get("frag") and p["frag"][0] != 1):
            return None
        return (p["ip.dst"] or p["ipv6.dst"], p["udp.dstport"], p["udp.payload"])
    sent, retx, kept = {}, [], []
    for t, d, p in seq:
        k = ident(p) if d == "out" else None
        if k and k in sent:
            if t - sent[k] <= 0.001:
                continue
            retx.append((sent[k], t, f"retransmission timer ({desc(p)})"))
            p["retx"] = True
        if k:
            sent[k] = t
        kept.append((t, d, p))
    seq = kept
    # align the trace (ms since eued started, truncated) on the packet its anchor line reports
    def is_anchor(p):
        return (p["dhcpv6.msgtype"] == "2") if v6 else (p["dhcp.option.dhcp"] == "2")
    a_pkt = next((t for t, d, p in seq if d == "in" and is_anchor(p)), None)
    if anchor is None or a_pkt is None:
        return None
    off = a_pkt - (anchor["ms"] + 0.5) / 1000.0

    def T(e):
        return off + (e["ms"] + 0.5) / 1000.0
    t0, t1 = T(start), T(end)
    seq = [x for x in seq if t0 - 0.0005 <= x[0] <= t1 + 0.0005]

    def first(direction, pred, after):
        return next((t for t, d, p in seq if d == direction and t >= after and pred(p)), None)
    # waits: (from, to, name, mandated?).  DAD is mandated only when the kernel runs it (its NS
    # from :: is on the wire); otherwise the wait for the address is eued's own poll period
    def dad_on(addr):
        return any(d == "out" and p["icmpv6.type"] == "135" and p["ipv6.src"] == "::"
                   and p["icmpv6.nd.ns.target_address"].lower() == addr for t, d, p in seq)

    def addr_of(e):
        m = re.search(r"addr=([0-9a-fA-F:.]+)", e["rest"]) if e else None
        return m.group(1).lower() if m else ""
    win = []
    if v6:
        if linkup and ll:
            on = dad_on(addr_of(ll))
            win.append((T(linkup), T(ll), "DAD link-local" if on else "DAD poll link-local (kernel DAD off)", on))
        rs = first("out", lambda p: p["icmpv6.type"] == "133", T(ll) - 0.001) if ll else None
        if ll and rs:
            win.append((T(ll), rs, "RS delay", True))
        sol = first("out", lambda p: p["dhcpv6.msgtype"] == "1", t0)
        req = first("out", lambda p: p["dhcpv6.msgtype"] == "3", sol) if sol else None
        if sol and req:
            win.append((sol, req, "SOLICIT collection", True))
        rep = first("in", lambda p: p["dhcpv6.msgtype"] == "7", req) if req else None
        if rep and bound:
            on = dad_on(addr_of(bound))
            win.append((rep, T(bound), "DAD leased" if on else "DAD poll leased (kernel DAD off)", on))
    else:
        offer = first("in", lambda p: p["dhcp.option.dhcp"] == "2", t0)
        req = first("out", lambda p: p["dhcp.option.dhcp"] == "3", offer) if offer else None
        if offer and req:
            win.append((offer, req, "OFFER window", True))
    win += [(a, b, n, False) for a, b, n in retx if t0 <= a and b <= t1]
    win = [x for x in win if x[1] > x[0]]
    # partition [t0, t1] at every packet and wait edge: inside a mandated wait -> mandated; inside
    # one of eued's own waits -> device (named); else an interval that ends with a packet in is
    # server (and network) time, any other is device time
    ev = [(t0, 0, "in", "cm-ready (IPC)")]       # the IPC record is what the eUE waited for
    for t, d, p in seq:
        ev.append((t, 1, "retx" if p.get("retx") else d, desc(p)))
    for a, b, n, mandated in win:
        if mandated:
            ev.append((b, 0, "wend", f"end of {n}"))
            ev.append((a, 2, "wstart", n))
    ev.append((t1, 3, "end", "state provisioned"))
    ev.sort(key=lambda x: (x[0], x[1]))
    mand, own, server, device = {}, {}, 0.0, 0.0
    gaps, gap, gap_from = [], 0.0, None
    steps = [(T(e), e["name"].split("/")[0]) for e in tr
             if e["kind"] == "step" and e["name"] not in ("IPC", "link")]

    pre = "eUE-" if v6 else "MTA"

    def step_at(t, came, went):
        # the Kerberos and key-management exchanges by the message: building (and, for
        # PKINIT, signing) the AS-REQ is step 9, checking the AS-REP 10, TGS 11/12, the AP
        # Request 13, the AP Reply (keys derived, the USM user installed) 14, whatever line
        # eued happened to trace first; any other gap: the first step line at or after the
        # packet out
        for key, n in (("KRB5 AS-REQ", 9), ("KRB5 TGS-REQ", 11), ("KM AP Request", 13)):
            if went.startswith(key):
                return f"{pre}{n}"
        for key, n in (("KRB5 AS-REP", 10), ("KRB5 TGS-REP", 12), ("KM AP Reply", 14)):
            if came.startswith(key):
                return f"{pre}{n}"
        return next((n for ts, n in steps if ts >= t - 0.001), "provisioned")
    gap_wait = 0.0
    prev = ev[0][0]
    for t, _, kind, what in ev:
        if t > prev:
            mid = (prev + t) / 2
            w = next((x for x in win if x[0] <= mid <= x[1]), None)
            if w and w[3]:
                mand[w[2]] = mand.get(w[2], 0.0) + (t - prev)
            elif w or kind != "in":
                device += t - prev
                if w:
                    own[w[2]] = own.get(w[2], 0.0) + (t - prev)
                if gap_from is not None:
                    gap += t - prev
                    if w:
                        gap_wait += t - prev
            else:
                server += t - prev
            prev = t
        if kind in ("in", "wend"):
            gap, gap_wait, gap_from = 0.0, 0.0, what
        elif kind == "retx":
            gap_from = None      # the answer never came (or was not taken): a timer, not processing
        elif kind in ("out", "end", "wstart") and gap_from is not None:
            if kind != "wstart" or gap > 0:
                gaps.append((gap * 1000, step_at(t, gap_from, what), gap_from,
                             what if kind != "wstart" else f"start of {what}", gap_wait * 1000))
            gap_from = None
    total_trace = end["ms"] - start["ms"]
    big = max(gaps, key=lambda g: g[0]) if gaps else None
    by_step = {}
    for g in gaps:
        by_step[g[1]] = by_step.get(g[1], 0.0) + g[0]
    return {"total": total_trace, "span": (t1 - t0) * 1000, "mand": {k: v * 1000 for k, v in mand.items()},
            "own": {k: v * 1000 for k, v in own.items()},
            "server": server * 1000, "device": device * 1000, "proc": sum(g[0] for g in gaps),
            "proc_wait": sum(g[4] for g in gaps),
            "big": big, "gaps": gaps, "by_step": by_step, "npk": len(seq), "retx": len(retx)}


# --------------------------------------------------------------------------------- lab runs

def run_lab(b, names, runs, out, log):
    atp = os.path.join(ROOT, "tests/atp/atp.py")
    dirs = []
    for r in range(1, runs + 1):
        d = os.path.join(out, "runs", f"r{r}")
        print(f"bench: lab run {r}/{runs} ({len(names)} scenarios) -> {os.path.relpath(d, ROOT)}", flush=True)
        p = subprocess.run([sys.executable, atp, "--dir", os.path.join(out, "scn"), "--out", d] + names,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                           cwd=ROOT)
        log.append(f"$ atp.py --dir {out}/scn --out {d}\n{p.stdout}")
        last = [l for l in p.stdout.splitlines() if re.search(r"\d+ passed, \d+ failed", l)]
        print(f"bench:   {last[-1] if last else 'runner gave no summary'}", flush=True)
        dirs.append(d)
    return dirs


def status(art):
    try:
        return open(os.path.join(art, "result.txt")).read().split()[0]
    except (OSError, IndexError):
        return "MISSING"


def lab_rows(dirs):
    """Rows 2 (device-side processing), 3 (time to provisioned), 4 (peak RSS) and 5 (CPU) from
    the lab runs; the Secure flows beside the Basic/Hybrid ones."""
    rows2, rows3, rows5 = [], [], []
    # RSS per group of flows: "bh" Basic and Hybrid, "secure" the two Secure flows
    rss = {g: {"ecmd": [], "eued": [], "snmptrapd": []} for g in ("bh", "secure")}
    split = {g: {k: [] for k in ("ecmd", "eued", "snmptrapd")} for g in ("bh", "secure")}
    snmpd, snmpd_split, kin = [], [], []

    def anonfile(v):
        return (f" (at the end: RssAnon {fmt([x[0] for x in v], 0)} + RssFile {fmt([x[1] for x in v], 0)})"
                if v else "")
    for d in dirs:
        art = os.path.join(d, "bench-kinit")
        kin += [k for k in read_kv(os.path.join(art, "kinit.txt")) if k.get("rc") == "0"]
        for line in open(os.path.join(art, "refrss.txt")) if os.path.exists(os.path.join(art, "refrss.txt")) else []:
            m = re.match(r"(snmpd) pid=\S+ hwm_kb=(\d+) rss_kb=\d+ anon_kb=(\d+) file_kb=(\d+)", line)
            if m:
                snmpd.append(int(m.group(2)))
                snmpd_split.append((int(m.group(3)), int(m.group(4))))
    kwall = [int(k["wall_us"]) / 1000 for k in kin]
    kcpu = [(int(k["user_us"]) + int(k["sys_us"])) / 1000 for k in kin]
    kref2 = (f"kinit PKINIT: wall {fmt(kwall, 1)} ms, user+sys {fmt(kcpu, 1)} ms (n={len(kin)})"
             if kin else "n/a (kinit reference did not run)")
    kref5 = f"kinit PKINIT user+sys {fmt(kcpu, 1)} ms (n={len(kin)})" if kin else "n/a"
    for fl, name in FLOWS:
        grp = "secure" if fl.startswith("secure") else "bh"
        res, cpu, ok = [], [], 0
        for d in dirs:
            art = os.path.join(d, "bench-" + name)
            st = status(art)
            if st != "PASS":
                continue
            ok += 1
            a = analyse_flow(art)
            if a:
                res.append(a)
            ru = {r["prog"]: r for r in read_kv(os.path.join(art, "rusage-ecmd.txt"))
                  + read_kv(os.path.join(art, "rusage-eued.txt"))}
            if "ecmd" in ru and "eued" in ru:
                cpu.append(tuple((int(ru[p]["user_us"]) + int(ru[p]["sys_us"])) / 1000 for p in ("ecmd", "eued")))
                rss[grp]["ecmd"].append(int(ru["ecmd"]["maxrss_kb"]))
                rss[grp]["eued"].append(int(ru["eued"]["maxrss_kb"]))
            for line in open(os.path.join(art, "refrss.txt")) if os.path.exists(os.path.join(art, "refrss.txt")) else []:
                m = re.match(r"(\S+) pid=\S+ hwm_kb=(\d+) rss_kb=\d+ anon_kb=(\d+) file_kb=(\d+)", line)
                if m and m.group(1) in ("ecmd", "eued", "snmptrapd"):
                    split[grp][m.group(1)].append((int(m.group(3)), int(m.group(4))))
                    if m.group(1) == "snmptrapd":
                        rss[grp]["snmptrapd"].append(int(m.group(2)))
        runs = f"{ok}/{len(dirs)} runs passed"
        t2 = (f"<= {TARGET_SECURE6_PROC_MS} ms (PKINIT signing included)" if fl == "secure-ipv6"
              else f"({TARGET_SECURE6_PROC_MS} ms: Secure IPv6 only)")
        if not res:
            rows2.append(("2", f"{fl}: device-side processing", f"n/a ({runs})", kref2, t2, "n/a"))
            rows3.append(("3", f"{fl}: time to provisioned", f"n/a ({runs})", "-", f"device <= {TARGET_DEVICE_MS} ms",
                          "n/a"))
            rows5.append(("5", f"{fl}: CPU ecmd+eued per flow", f"n/a ({runs})", kref5, "-", "n/a"))
            continue
        # 2: device-side processing
        bigs = [a["big"] for a in res if a["big"]]
        top = max(bigs, key=lambda g: g[0]) if bigs else None
        proc = [a["proc"] for a in res]
        waits = [a["proc_wait"] for a in res]
        net = [a["proc"] - a["proc_wait"] for a in res]
        txt = f"sum {fmt(proc, 1)} ms"
        if max(waits) > 0:
            txt += f" (eued's own timer waits in it {fmt(waits, 1)}; without them {fmt(net, 1)} ms)"
        if top:
            txt += (f"; largest gap {fmt([g[0] for g in bigs], 1)} ms, max {top[0]:.1f} ms at {top[1]} "
                    f"({top[2]} -> {top[3]})")
        if grp == "secure":
            sk = {}
            for a in res:
                for k, v in a["by_step"].items():
                    sk.setdefault(k, []).append(v)
            top3 = sorted(sk.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
            txt += "; by step: " + ", ".join(f"{k} {fmt(v, 1)}" for k, v in top3)
        if fl == "secure-ipv6":
            m = med(proc)
            verdict = ("met" if max(proc) <= TARGET_SECURE6_PROC_MS else
                       "met (median; max missed)" if m <= TARGET_SECURE6_PROC_MS else "missed")
            if verdict != "met" and med(net) <= TARGET_SECURE6_PROC_MS:
                verdict += f" (without eued's own waits: met, {med(net):.1f} ms)"
        else:
            verdict = "info"
        rows2.append(("2", f"{fl}: device-side processing (pcap: in -> next out)", txt, kref2, t2, verdict))
        # 3: time to provisioned
        mk = sorted({k for a in res for k in a["mand"]})
        mand_tot = [sum(a["mand"].values()) for a in res]
        parts = ", ".join(f"{k} {fmt([a['mand'].get(k, 0.0) for a in res], 0)}" for k in mk) or "none"
        dev = [a["device"] for a in res]
        ok_ = sorted({k for a in res for k in a["own"]})
        owns = ("; device includes eued's own waits: "
                + ", ".join(f"{k} {fmt([a['own'].get(k, 0.0) for a in res], 0)}" for k in ok_)) if ok_ else ""
        rows3.append(("3", f"{fl}: time to provisioned (cm-ready -> provisioned)",
                      f"total {fmt([a['total'] for a in res], 0)} ms = mandated {fmt(mand_tot, 0)} "
                      f"+ server {fmt([a['server'] for a in res], 1)} + device {fmt(dev, 1)} ms{owns} ({runs})",
                      f"mandated + server {fmt([sum(a['mand'].values()) + a['server'] for a in res], 0)} ms; "
                      f"mandated: {parts}",
                      f"device <= {TARGET_DEVICE_MS} ms",
                      "met" if max(dev) <= TARGET_DEVICE_MS else
                      ("missed" if med(dev) > TARGET_DEVICE_MS else "met (median; max missed)")))
        # 5: CPU
        rows5.append(("5", f"{fl}: CPU user+sys ecmd+eued per flow",
                      f"{fmt([c[0] + c[1] for c in cpu], 1)} ms (ecmd {fmt([c[0] for c in cpu], 1)}, "
                      f"eued {fmt([c[1] for c in cpu], 1)})" if cpu else "n/a", kref5, "-", "info"))
    maps = {}
    for d in dirs:
        for _, name in FLOWS:
            f = os.path.join(d, "bench-" + name, "refrss.txt")
            for line in open(f) if os.path.exists(f) else []:
                m = re.match(r"eued-map (\S+) rss_kb=(\d+)", line)
                if m:
                    maps.setdefault(os.path.basename(m.group(1)), []).append(int(m.group(2)))
    mapl = []
    if maps:
        mapl.append("eued's resident set at `state provisioned` by mapping (/proc/PID/smaps Rss, median KiB "
                    "over all the flows; file-backed library pages are shared with every other process using them):")
        for k, v in sorted(maps.items(), key=lambda kv: -statistics.median(kv[1]))[:14]:
            mapl.append(f"    {statistics.median(v):>7.0f}  {k}")
    # 4: peak RSS of each daemon, per group of flows, beside Net-SNMP's daemons
    rrows = []
    for grp, what in (("bh", "the Basic and Hybrid flows"), ("secure", "the Secure flows (IPv4, IPv6)")):
        r = rss[grp]
        refs = (f"Net-SNMP snmptrapd VmHWM {fmt(r['snmptrapd'], 0)} KiB{anonfile(split[grp]['snmptrapd'])} "
                f"(n={len(r['snmptrapd'])})" if r["snmptrapd"] else "snmptrapd: n/a (not measured)")
        refs += (f"; Net-SNMP snmpd VmHWM {fmt(snmpd, 0)} KiB{anonfile(snmpd_split)} (n={len(snmpd)})"
                 if snmpd else "; snmpd: n/a (not measured)")
        for p in ("ecmd", "eued"):
            v = r[p]
            rrows.append(("4", f"{p} peak RSS across {what}",
                          f"VmHWM {fmt(v, 0)} KiB{anonfile(split[grp][p])} (n={len(v)})" if v else "n/a (no run passed)",
                          refs, f"<= {TARGET_RSS_KB} KiB",
                          ("met" if max(v) <= TARGET_RSS_KB else "missed") if v else "n/a"))
    return rows2, rows3, rrows, rows5, mapl


# ------------------------------------------------------------------------------------ table

def table(rows):
    head = ("#", "measure", "this stack: median [min..max]", "reference (same run)", "target", "verdict")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(6)]
    for i, cap in ((1, 40), (2, 58), (3, 46), (4, 18), (5, 12)):
        widths[i] = min(widths[i], cap)

    def cells(r):
        # wrap the long columns
        cols = [textwrap.wrap(str(c), widths[i]) or [""] for i, c in enumerate(r)]
        h = max(len(c) for c in cols)
        return [" | ".join((cols[i][k] if k < len(cols[i]) else "").ljust(widths[i]) for i in range(6)).rstrip()
                for k in range(h)]
    out = cells(head)
    out.append("-+-".join("-" * w for w in widths))
    prev = None
    for r in rows:
        if prev is not None and r[0] != prev:
            out.append("-+-".join("-" * w for w in widths))
        out += cells(r)
        prev = r[0]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--docsis", default="")
    ap.add_argument("--no-lab", action="store_true", help="rows 1 and 2 (sizes) only")
    ap.add_argument("--reuse", action="store_true", help="analyse the lab runs already in build/bench/runs")
    ap.add_argument("--only", default="", metavar="REGEX",
                    help="only the flows whose label (basic1-ipv4 .. secure-ipv6) matches, e.g. --only secure")
    args = ap.parse_args()
    if args.only:
        FLOWS[:] = [f for f in FLOWS if re.search(args.only, f[0])]
    b = os.path.join(ROOT, "build")
    out = os.path.join(b, "bench")
    os.makedirs(out, exist_ok=True)
    wrap = os.path.join(b, "host", "bench", "benchwrap")
    log = []
    runs = max(1, args.runs)
    print(f"bench: config codec ({max(runs, 3)} whole-process runs each)", flush=True)
    rows_codec = codec_rows(b, wrap, max(runs, 3), args.docsis, log)
    details = []
    fp = footprint(b, details)
    rows_size = footprint_rows(fp)
    lab_note = ""
    if args.reuse:
        dirs = sorted(glob.glob(os.path.join(out, "runs", "r*")))
    elif args.no_lab:
        dirs = []
        lab_note = "lab rows not run (--no-lab)"
    elif os.geteuid() != 0:
        dirs = []
        lab_note = "lab rows not run: the lab needs root"
    else:
        names = gen_scenarios(os.path.join(out, "scn"), wrap)
        shutil.rmtree(os.path.join(out, "runs"), ignore_errors=True)
        dirs = run_lab(b, names, runs, out, log)
    r2, r3, r4, r5, mapl = lab_rows(dirs)
    # the issue's numbering: 1 codec, 2 device-side processing, 3 time to provisioned,
    # 4 footprint (sizes, then peak RSS), 5 CPU
    rows = rows_codec + r2 + r3 + rows_size + r4 + r5
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    git = sh(["git", "-C", ROOT, "describe", "--always", "--dirty"]).stdout.strip()
    text = [f"make bench: E-UE provisioning stack, {now}, {git}, {platform.machine()} "
            f"{os.cpu_count()} CPUs (shared), lab runs N={len(dirs)}"
            + (f"; {lab_note}" if lab_note else ""),
            "median [min..max] over the runs; every reference measured in the same `make bench`", ""]
    text += table(rows)
    text += ["", "Shared libraries (stripped daemons; sizes of the library files, `size` of each):"] + details
    if mapl:
        text += [""] + mapl
    text += ["", "How the rows are measured: tests/bench/README.md"]
    body = "\n".join(text) + "\n"
    with open(os.path.join(out, "bench.txt"), "w") as f:
        f.write(body)
    with open(os.path.join(out, "bench.log"), "w") as f:
        f.write("\n".join(log))
    print(body, end="")
    print(f"(written to {os.path.relpath(os.path.join(out, 'bench.txt'), ROOT)}; runner output in build/bench/bench.log)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
