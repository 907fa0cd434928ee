#!/usr/bin/env python3
"""tests/bench/bench.py: `make bench`, the performance and footprint table (issue 11).

    python3 tests/bench/bench.py [--runs N] [--docsis PATH] [--no-lab] [--reuse DIR]

Rows (each figure the median of N runs with [min..max], beside its reference from the same run):
  1 config codec: pktcfg encode/decode whole process (wall, peak RSS) and the in-process codec
    (cfgbench); beside rlaager/docsis when --docsis is given
  2 footprint: stripped ecmd/eued for host and armhf (size: text/data/bss), their NEEDED
    libraries and sizes; peak RSS (ru_maxrss from wait4 = VmHWM at exit) of each daemon across
    the Basic and Hybrid flows in the lab, beside Net-SNMP's snmptrapd and snmpd (VmHWM)
  3 time to provisioned per flow and IP mode (trace: cm-ready -> state provisioned), split into
    mandated waits, server time and device time (eue.pcapng joined with the trace)
  4 device-side processing per flow (pcap: last packet in -> next packet out), the largest gap
    named by spec step; beside a whole-process kinit PKINIT exchange (wall, user+sys)
  5 CPU per provisioning: user+sys of ecmd+eued per flow, beside kinit's user+sys
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
FLOWS = [f"device-{f}-ipv{v}" for f in ("basic1", "basic2", "hybrid1", "hybrid2") for v in (4, 6)]
KINIT_PER_RUN = 5
BOARDS = {"host": {"cross": "", "libdirs": ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                                            "/lib64", "/usr/lib"]},
          "armhf": {"cross": "arm-linux-gnueabihf-",
                    "libdirs": ["{b}/sysroot-armhf/lib/arm-linux-gnueabihf",
                                "{b}/sysroot-armhf/usr/lib/arm-linux-gnueabihf"]}}
TARGET_OWN_KB = 256
TARGET_RSS_KB = 4096
TARGET_DEVICE_MS = 100


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
                rows.append(("2", f"{d} {board}, stripped", "n/a (not built)", "-", "-", "n/a"))
                continue
            t, da, bs = x["own"]
            libsz = sum(s for _, s, _, dr in x["libs"] if s and dr)
            allsz = sum(s for _, s, _, _ in x["libs"] if s)
            rows.append(("2", f"{d} {board}, stripped (size: text/data/bss)",
                         f"{kib(x['file'])} file; text {t} data {da} bss {bs}",
                         f"shared libs: {len(x['direct'])} NEEDED = {libsz / 1048576:.2f} MiB; "
                         f"with what they pull in {len(x['libs'])} = {allsz / 1048576:.2f} MiB",
                         "-", "info"))
    ownsum = [fp[("armhf", d)]["own"] for d in ("ecmd", "eued") if ("armhf", d) in fp]
    if len(ownsum) == 2:
        code = sum(t + da for t, da, _ in ownsum)
        rows.append(("2", "own code ecmd + eued, armhf (text+data, stripped)", kib(code),
                     "-", f"<= {TARGET_OWN_KB} KiB", "met" if code <= TARGET_OWN_KB * 1024 else "missed"))
    else:
        rows.append(("2", "own code ecmd + eued, armhf", "n/a (armhf not built)", "-",
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
    """build/bench/scn: the 8 device flows with the daemons under benchwrap, the operator's
    agent reads left out (they are not provisioning) and a host-side probe of snmptrapd's RSS;
    plus bench-kinit (PKINIT whole process, and snmpd serving walks as the RSS reference)."""
    if os.path.isdir(scn):
        shutil.rmtree(scn)
    os.makedirs(scn)
    refrss = os.path.join(ROOT, "tests/bench/refrss.sh")
    names = []
    for name in FLOWS:
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
            if w[:1] == ["expect"] and len(w) > 1 and w[1] in ("output", "no-output"):
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
               "dhcpv6.msgtype", "dhcpv6.duidll.link_layer_addr", "_ws.col.Protocol", "_ws.col.Info"]


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
        pk.append(d)
    pk.sort(key=lambda d: d["t"])
    return pk


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
    win = [x for x in win if x[1] > x[0]]
    # partition [t0, t1] at every packet and wait edge: inside a mandated wait -> mandated; inside
    # one of eued's own waits -> device (named); else an interval that ends with a packet in is
    # server (and network) time, any other is device time
    ev = [(t0, 0, "in", "cm-ready (IPC)")]       # the IPC record is what the eUE waited for
    for t, d, p in seq:
        ev.append((t, 1, d, desc(p)))
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

    def step_at(t):
        return next((n for ts, n in steps if ts >= t - 0.001), "provisioned")
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
            else:
                server += t - prev
            prev = t
        if kind in ("in", "wend"):
            gap, gap_from = 0.0, what
        elif kind in ("out", "end", "wstart") and gap_from is not None:
            if kind != "wstart" or gap > 0:
                gaps.append((gap * 1000, step_at(t), gap_from, what if kind != "wstart" else f"start of {what}"))
            gap_from = None
    total_trace = end["ms"] - start["ms"]
    big = max(gaps, key=lambda g: g[0]) if gaps else None
    return {"total": total_trace, "span": (t1 - t0) * 1000, "mand": {k: v * 1000 for k, v in mand.items()},
            "own": {k: v * 1000 for k, v in own.items()},
            "server": server * 1000, "device": device * 1000, "proc": sum(g[0] for g in gaps),
            "big": big, "npk": len(seq)}


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
    rows3, rows4, rows5, rss = [], [], [], {"ecmd": [], "eued": [], "snmptrapd": [], "snmpd": []}
    kin = []
    split = {k: [] for k in ("ecmd", "eued", "snmptrapd", "snmpd")}

    def anonfile(k):
        v = split[k]
        return (f" (at the end: RssAnon {fmt([x[0] for x in v], 0)} + RssFile {fmt([x[1] for x in v], 0)})"
                if v else "")
    for d in dirs:
        art = os.path.join(d, "bench-kinit")
        kin += [k for k in read_kv(os.path.join(art, "kinit.txt")) if k.get("rc") == "0"]
        for line in open(os.path.join(art, "refrss.txt")) if os.path.exists(os.path.join(art, "refrss.txt")) else []:
            m = re.match(r"(snmpd) pid=\S+ hwm_kb=(\d+) rss_kb=\d+ anon_kb=(\d+) file_kb=(\d+)", line)
            if m:
                rss["snmpd"].append(int(m.group(2)))
                split["snmpd"].append((int(m.group(3)), int(m.group(4))))
    kwall = [int(k["wall_us"]) / 1000 for k in kin]
    kcpu = [(int(k["user_us"]) + int(k["sys_us"])) / 1000 for k in kin]
    kref4 = (f"kinit PKINIT: wall {fmt(kwall, 1)} ms, user+sys {fmt(kcpu, 1)} ms (n={len(kin)})"
             if kin else "n/a (kinit reference did not run)")
    kref5 = f"kinit user+sys {fmt(kcpu, 1)} ms" if kin else "n/a"
    for name in FLOWS:
        fl = name[len("device-"):]
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
                rss["ecmd"].append(int(ru["ecmd"]["maxrss_kb"]))
                rss["eued"].append(int(ru["eued"]["maxrss_kb"]))
            for line in open(os.path.join(art, "refrss.txt")) if os.path.exists(os.path.join(art, "refrss.txt")) else []:
                m = re.match(r"(\S+) pid=\S+ hwm_kb=(\d+) rss_kb=\d+ anon_kb=(\d+) file_kb=(\d+)", line)
                if m and m.group(1) in ("ecmd", "eued", "snmptrapd"):
                    split[m.group(1)].append((int(m.group(3)), int(m.group(4))))
                    if m.group(1) == "snmptrapd":
                        rss["snmptrapd"].append(int(m.group(2)))
        runs = f"{ok}/{len(dirs)} runs passed"
        if not res:
            rows3.append(("3", f"{fl}: time to provisioned", f"n/a ({runs})", "-", "-", "n/a"))
            rows4.append(("4", f"{fl}: device-side processing", f"n/a ({runs})", kref4, "-", "n/a"))
            rows5.append(("5", f"{fl}: CPU ecmd+eued", f"n/a ({runs})", kref5, "-", "n/a"))
            continue
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
        bigs = [a["big"] for a in res if a["big"]]
        top = max(bigs, key=lambda g: g[0]) if bigs else None
        rows4.append(("4", f"{fl}: device-side processing (pcap: in -> next out)",
                      f"sum {fmt([a['proc'] for a in res], 1)} ms; largest gap {fmt([g[0] for g in bigs], 1)} ms, "
                      f"max {top[0]:.1f} ms at {top[1]} ({top[2]} -> {top[3]})"
                      if top else f"sum {fmt([a['proc'] for a in res], 1)} ms",
                      kref4, "(20 ms: Secure IPv6 only)", "info"))
        rows5.append(("5", f"{fl}: CPU user+sys ecmd+eued per flow",
                      f"{fmt([c[0] + c[1] for c in cpu], 1)} ms (ecmd {fmt([c[0] for c in cpu], 1)}, "
                      f"eued {fmt([c[1] for c in cpu], 1)})" if cpu else "n/a", kref5, "-", "info"))
    na = "n/a (Secure flow not built)"
    for v in (4, 6):
        rows3.append(("3", f"secure-ipv{v}: time to provisioned", na, "-", f"device <= {TARGET_DEVICE_MS} ms", "n/a"))
        rows4.append(("4", f"secure-ipv{v}: device-side processing", na, kref4,
                      "<= 20 ms (PKINIT signing included)" if v == 6 else "-", "n/a"))
        rows5.append(("5", f"secure-ipv{v}: CPU ecmd+eued per flow", na, kref5, "-", "n/a"))
    maps = {}
    for d in dirs:
        for name in FLOWS:
            f = os.path.join(d, "bench-" + name, "refrss.txt")
            for line in open(f) if os.path.exists(f) else []:
                m = re.match(r"eued-map (\S+) rss_kb=(\d+)", line)
                if m:
                    maps.setdefault(os.path.basename(m.group(1)), []).append(int(m.group(2)))
    mapl = []
    if maps:
        mapl.append("eued's resident set at `state provisioned` by mapping (/proc/PID/smaps Rss, median KiB "
                    "over the flows; file-backed library pages are shared with every other process using them):")
        for k, v in sorted(maps.items(), key=lambda kv: -statistics.median(kv[1]))[:14]:
            mapl.append(f"    {statistics.median(v):>7.0f}  {k}")
    rrows = []
    refs = "; ".join(f"Net-SNMP {r} VmHWM {fmt(rss[r], 0)} KiB{anonfile(r)} (n={len(rss[r])})" if rss[r]
                     else f"{r}: n/a (not measured)" for r in ("snmptrapd", "snmpd"))
    for p in ("ecmd", "eued"):
        v = rss[p]
        rrows.append(("2", f"{p} peak RSS across the Basic and Hybrid flows",
                      f"VmHWM {fmt(v, 0)} KiB{anonfile(p)} (n={len(v)})" if v else "n/a", refs, f"<= {TARGET_RSS_KB} KiB",
                      ("met" if max(v) <= TARGET_RSS_KB else "missed") if v else "n/a"))
    rrows.append(("2", "ecmd, eued peak RSS across a Secure flow", na, "-", f"<= {TARGET_RSS_KB} KiB", "n/a"))
    return rrows, rows3, rows4, rows5, mapl


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
    args = ap.parse_args()
    b = os.path.join(ROOT, "build")
    out = os.path.join(b, "bench")
    os.makedirs(out, exist_ok=True)
    wrap = os.path.join(b, "host", "bench", "benchwrap")
    log = []
    runs = max(1, args.runs)
    print(f"bench: config codec ({max(runs, 3)} whole-process runs each)", flush=True)
    rows = codec_rows(b, wrap, max(runs, 3), args.docsis, log)
    details = []
    fp = footprint(b, details)
    rows += footprint_rows(fp)
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
    rr, r3, r4, r5, mapl = lab_rows(dirs)
    rows += rr + r3 + r4 + r5
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
