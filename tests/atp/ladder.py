#!/usr/bin/env python3
"""tests/atp/ladder.py: draw a ladder (sequence) diagram of a pcap as SVG, one column per host.

    ladder.py [--env build/lab/<run>/lab.env] [--title T] [--trace trace.log] PCAP... OUT.svg

Packets come from `tshark -T fields` (python3 stdlib only otherwise). Addresses are named by their
lab role when --env is given (eue, cmts, oss); other addresses get a column of their own. A
capture on `any` sees a broadcast on both eUE links: identical packets within 1 ms are drawn
once. With --trace, the device's step lines (tests/atp/README.md) are drawn as notes on the eue
column at their time.
"""

import argparse
import html
import ipaddress
import os
import subprocess
import sys

MAX_ROWS = 300


def load_env(path):
    env = {}
    if path and os.path.exists(path):
        import shlex
        for line in open(path, encoding="utf-8"):
            line = line.rstrip("\n")
            if "=" in line and not line.startswith("#"):
                k, _, v = line.partition("=")
                vals = shlex.split(v)
                env[k] = vals[0] if vals else ""
    return env


def role_of(addr, env):
    """Map an address to a lab host name."""
    if not addr:
        return "?"
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return addr
    oss = {env.get("LAB_OSS4"), env.get("LAB_OSS6"), env.get("LAB_TRAPD4"), env.get("LAB_TRAPD6")}
    if addr in oss:
        return "oss (servers)"
    cmts = {env.get("LAB_CMTS_CPE4"), env.get("LAB_CMTS_CPE6"), "fe80::ff:fe00:102", "fe80::ff:fe00:101",
            env.get("LAB_CMTS_OSS4"), env.get("LAB_CMTS_OSS6"), "255.255.255.255", "ff02::1:2", "ff02::2"}
    if addr in cmts:
        return "cmts (router, relay)"
    if env:
        if addr in ("0.0.0.0", "ff02::1") or addr.startswith("fe80::ff:fe00:c01") or addr.startswith("fe80::ff:fe00:e01"):
            return "eue (device)"
        if ip in ipaddress.ip_network("203.0.113.0/24") or ip in ipaddress.ip_network("2001:db8:113::/64"):
            return "eue (device)"
        if ip.is_multicast:
            return "multicast"
    return addr


NOISE = "not (arp || icmpv6.type == 143 || icmpv6.type == 135 || icmpv6.type == 136)"


def packets(pcaps):
    """Rows (t, src, dst, proto, info) of all pcaps, merged by time. A packet seen by several
    captures (routed through cmts, or a broadcast on both eUE links) is drawn once: the same
    addresses and summary within 5 ms count as one. ARP, ND and MLD are left out."""
    rows = []
    for pcap in pcaps:
        out = subprocess.run(["tshark", "-n", "-r", pcap, "-Y", NOISE, "-T", "fields", "-E", "separator=\t",
                              "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src", "-e", "ip.dst",
                              "-e", "ipv6.dst", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
        for line in out.splitlines():
            w = (line.split("\t") + [""] * 7)[:7]
            rows.append((float(w[0] or 0), (w[1] or w[2]).split(",")[0], (w[3] or w[4]).split(",")[0], w[5], w[6]))
    rows.sort(key=lambda r: r[0])
    out, recent = [], {}
    for t, src, dst, proto, info in rows:
        key = (src, dst, proto, info)
        if key in recent and t - recent[key] < 0.005:
            continue
        recent[key] = t
        out.append((t, src, dst, proto, info))
    if out:
        t0 = out[0][0]
        out = [(t - t0, s, d, p, i) for t, s, d, p, i in out]
    return out


def trace_notes(path):
    notes = []
    if path and os.path.exists(path):
        for line in open(path, errors="replace"):
            w = line.split()
            if len(w) >= 4 and w[2] in ("step", "state"):
                try:
                    notes.append((int(w[0]) / 1000.0, " ".join(w[1:])))
                except ValueError:
                    pass
    return notes


def draw(rows, env, title, notes):
    named = [(t, role_of(s, env), role_of(d, env), p, i) for t, s, d, p, i in rows]
    order = ["eue (device)", "cmts (router, relay)", "oss (servers)"]
    cols = [c for c in order if any(c in (r[1], r[2]) for r in named)]
    for r in named:
        for c in (r[1], r[2]):
            if c not in cols:
                cols.append(c)
    if not cols:
        cols = ["(no packets)"]
    colw, left, top, rowh = 300, 250, 70, 22
    events = [("pkt", r) for r in named[:MAX_ROWS]] + [("note", n) for n in notes]
    events.sort(key=lambda e: e[1][0])
    width = left + colw * len(cols) + 40
    x0 = {c: left + colw * i + colw // 2 for i, c in enumerate(cols)}
    for kind, e in events:                       # room for the longest label (about 6.7 px a char)
        if kind == "pkt":
            width = max(width, int(min(x0[e[1]], x0[e[2]]) + 10 + 6.7 * min(len(f"{e[3]}: {e[4]}"), 72)))
    height = top + rowh * (len(events) + 2) + 20
    x = {c: left + colw * i + colw // 2 for i, c in enumerate(cols)}
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'font-family="monospace" font-size="11">',
         '<defs><marker id="a" markerWidth="8" markerHeight="8" refX="7" refY="3" orient="auto">'
         '<path d="M0,0 L7,3 L0,6 z" fill="#333"/></marker></defs>',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="10" y="20" font-size="14" font-weight="bold">{html.escape(title)}</text>']
    for c in cols:
        o.append(f'<rect x="{x[c] - 100}" y="32" width="200" height="24" fill="#e8eef8" stroke="#335"/>')
        o.append(f'<text x="{x[c]}" y="48" text-anchor="middle" font-weight="bold">{html.escape(c)}</text>')
        o.append(f'<line x1="{x[c]}" y1="56" x2="{x[c]}" y2="{height - 10}" stroke="#999" stroke-dasharray="4,3"/>')
    y = top
    for kind, e in events:
        y += rowh
        if kind == "note":
            t, text = e
            cx = x.get("eue (device)", x[cols[0]])
            o.append(f'<text x="10" y="{y}" fill="#666">{t:8.3f}</text>')
            text = text[:52]
            w = int(6.7 * len(text)) + 12
            o.append(f'<rect x="{cx - w // 2}" y="{y - 13}" width="{w}" height="17" fill="#fff6cc" stroke="#cc9"/>')
            o.append(f'<text x="{cx}" y="{y}" text-anchor="middle">{html.escape(text)}</text>')
            continue
        t, s, d, proto, info = e
        label = html.escape(f"{proto}: {info}"[:72])
        o.append(f'<text x="10" y="{y}" fill="#666">{t:8.3f}</text>')
        if s == d:
            o.append(f'<text x="{x[s] + 6}" y="{y}">{label} (local)</text>')
            continue
        x1, x2 = x[s], x[d]
        o.append(f'<line x1="{x1}" y1="{y + 4}" x2="{x2}" y2="{y + 4}" stroke="#333" marker-end="url(#a)"/>')
        tx = min(x1, x2) + 4
        o.append(f'<text x="{tx}" y="{y}">{label}</text>')
    if len(named) > MAX_ROWS:
        o.append(f'<text x="10" y="{height - 8}">... {len(named) - MAX_ROWS} more packets not drawn</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pcaps", nargs="+", help="one or more pcaps, then the output .svg")
    ap.add_argument("--env", default="")
    ap.add_argument("--title", default="")
    ap.add_argument("--trace", default="")
    a = ap.parse_args()
    env = load_env(a.env)
    if len(a.pcaps) < 2:
        ap.error("PCAP... OUT.svg expected")
    pcaps, out = a.pcaps[:-1], a.pcaps[-1]
    svg = draw(packets(pcaps), env, a.title or os.path.basename(pcaps[0]), trace_notes(a.trace))
    with open(out, "w", encoding="utf-8") as f:
        f.write(svg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
