#!/usr/bin/env python3
"""tests/atp/atp.py: the ATP scenario runner (python3 stdlib only).

Boots the lab (tests/lab/lab.sh) once per group of scenarios that share the same lab settings,
runs each scenario with a fresh artefact directory (and a fresh nvram directory for device
scenarios), captures a pcap per scenario with dumpcap, checks the scenario's expectations and
prints one line per scenario, then a final line exactly "N passed, N failed".

    tests/atp/atp.py [-v] [--list] [--out DIR] [--summary] [--ladder] [NAME ...]

NAME is a scenario file name without .scn (default: every tests/atp/scenarios/*.scn).
Skipped scenarios (a `needs` path is missing, e.g. build/host/bin/eued) are reported as SKIP and
counted apart: never as passed. Exit status: 0 if no scenario failed, 1 otherwise, 2 on a
runner/lab error. The scenario format is described in tests/atp/README.md.
"""

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LAB_SH = os.path.join(ROOT, "tests", "lab", "lab.sh")
SCN_DIR = os.path.join(HERE, "scenarios")

# ------------------------------------------------------------------------------------------------
# Scenario files


class ScenarioError(Exception):
    pass


class Step:
    def __init__(self, kind, cmd, opts, lineno):
        self.kind = kind            # "step" (foreground), "device" (daemon under test) or
                                    # "server" (scenario's own server, stopped at the end)
        self.cmd = cmd              # shell command (bash -c), run in namespace opts["ns"]
        self.ns = opts.get("ns", "oss" if kind == "server" else "eue")
        self.timeout = float(opts.get("timeout", "60" if kind == "device" else "20"))
        self.rc = opts.get("rc", "0")          # expected exit status, or "any"
        self.peer = opts.get("peer", "")       # what it talks to (printed by -v / demo)
        self.until = opts.get("until", "")     # device: stop once the trace matches this regex
        self.ready = opts.get("ready", "")     # server: "udp:PORT" / "tcp:PORT" listening in its ns
        self.lineno = lineno


class Expect:
    def __init__(self, kind, args, lineno, text):
        self.kind = kind
        self.args = args
        self.lineno = lineno
        self.text = text


class Scenario:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)[:-4]
        self.title = ""
        self.group = "default"
        self.lab = {}               # LAB_* knobs for tests/lab/lab.sh
        self.needs = []             # repo-relative paths; missing -> SKIP (not yet)
        self.probes = []            # shell commands (host side); one failing -> SKIP (not yet)
        self._missing = None
        self.notyet = ""            # reason shown when a probe fails
        self.steps = []
        self.expects = []
        self.tolerate = []          # regexes of tshark expert messages accepted (with a reason)
        self.invert = ""            # runner self-test: an expectation must fail
        self.captures = ["eue:any", "oss:oss0"]
        self.check_wire = True
        self._parse()

    def _parse(self):
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        i = 0
        while i < len(lines):
            lineno = i + 1
            line = lines[i].rstrip()
            i += 1
            while line.endswith("\\") and i < len(lines):     # continuation lines
                line = line[:-1] + " " + lines[i].strip()
                i += 1
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            kw, _, rest = s.partition(" ")
            rest = rest.strip()
            if kw == "title":
                self.title = rest
            elif kw == "group":
                self.group = rest
            elif kw == "lab":
                k, eq, v = rest.partition("=")
                if not eq or not re.match(r"^[A-Z0-9_]+$", k):
                    raise ScenarioError(f"{self.path}:{lineno}: lab KEY=VALUE expected")
                if k in ("FILES_DIR", "TEMPLATES_DIR", "PROVSRV_TEMPLATE", "EUE_CONFIG_TEXT") \
                        and not v.startswith("/"):
                    v = os.path.normpath(os.path.join(os.path.dirname(self.path), v))
                self.lab["LAB_" + k] = v
            elif kw == "needs":
                self.needs.append(rest)
            elif kw == "probe":
                self.probes.append(rest)
            elif kw == "notyet":
                self.notyet = rest
            elif kw == "capture":
                self.captures = rest.split()
            elif kw in ("step", "device", "server"):
                opts, cmd = {}, rest
                if rest.startswith("-- "):
                    cmd = rest[3:]
                elif " -- " in rest:
                    left, right = rest.split(" -- ", 1)
                    toks = shlex.split(left)
                    if toks and all("=" in t for t in toks):
                        opts = dict(t.split("=", 1) for t in toks)
                        cmd = right
                self.steps.append(Step(kw, cmd.strip(), opts, lineno))
            elif kw == "expect":
                try:
                    args = shlex.split(rest)
                except ValueError as e:
                    raise ScenarioError(f"{self.path}:{lineno}: {e}")
                if not args:
                    raise ScenarioError(f"{self.path}:{lineno}: empty expect")
                if args[0] not in EXPECT_KINDS:
                    raise ScenarioError(f"{self.path}:{lineno}: unknown expectation {args[0]!r}")
                self.expects.append(Expect(args[0], args[1:], lineno, rest))
                self.expects[-1].raw = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
            elif kw == "tolerate":
                rx, _, reason = rest.partition(" because ")
                if not reason:
                    raise ScenarioError(f"{self.path}:{lineno}: tolerate REGEX because REASON")
                self.tolerate.append(rx.strip().strip("'\""))
            elif kw == "wire-check":
                self.check_wire = rest != "off"
            elif kw == "invert":
                self.invert = rest or "deliberately wrong expectation"
            else:
                raise ScenarioError(f"{self.path}:{lineno}: unknown keyword {kw!r}")
        if not self.steps:
            raise ScenarioError(f"{self.path}: no step or device line")

    def lab_key(self):
        return tuple(sorted(self.lab.items()))

    def missing(self):
        if self._missing is None:
            self._missing = [p + " missing" for p in self.needs if not os.path.exists(os.path.join(ROOT, p))]
            if not self._missing:
                env = dict(os.environ, ATP_ROOT=ROOT)
                for cmd in self.probes:
                    try:
                        rc = subprocess.run(["bash", "-c", cmd], env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            timeout=5).returncode
                    except subprocess.TimeoutExpired:
                        rc = "timeout"
                    if rc != 0:
                        self._missing.append(self.notyet or f"probe `{cmd}` failed")
                        break
        return self._missing


# ------------------------------------------------------------------------------------------------
# The lab


def read_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or "=" not in line:
                continue
            k, _, v = line.partition("=")
            vals = shlex.split(v)
            env[k] = vals[0] if vals else ""
    return env


class Lab:
    def __init__(self, knobs, verbose):
        self.knobs = knobs
        self.verbose = verbose
        self.run = None
        self.env = {}
        self.up_s = 0.0

    def up(self):
        # only this group's knobs: LAB_* inherited from an outer run (nested self-test) must not leak
        env = {k: v for k, v in os.environ.items() if not k.startswith("LAB_")}
        env.update(self.knobs)
        env["LAB_OWNER_PID"] = str(os.getpid())
        env["LAB_QUIET"] = "0" if self.verbose else "1"
        t = time.monotonic()
        p = subprocess.run([LAB_SH, "up"], env=env, stdout=subprocess.PIPE, text=True)
        self.up_s = time.monotonic() - t
        out = p.stdout.strip().splitlines()
        if out:
            self.run = out[-1].strip()
        if p.returncode != 0 or not self.run:
            raise RuntimeError("lab bring-up failed")
        self.env = read_env(os.path.join(self.run, "lab.env"))

    def down(self):
        if not self.run:
            return 0.0
        t = time.monotonic()
        env = dict(os.environ, LAB_QUIET="0" if self.verbose else "1")
        subprocess.run([LAB_SH, "down", self.run], env=env)
        self.run = None
        return time.monotonic() - t

    def ns(self, role):
        return self.env["LAB_NS_" + role.upper()]


# ------------------------------------------------------------------------------------------------
# Running one scenario


def tshark(pcap, *args):
    p = subprocess.run(["tshark", "-n", "-r", pcap] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        err = [l for l in p.stderr.splitlines() if l.strip() and "Running as user" not in l]
        raise ScenarioError("tshark failed: " + " / ".join(err[:2]))
    return p.stdout


def run_in_ns(lab, step, env, art, log):
    """Run a foreground step; returns (rc, output, seconds)."""
    argv = ["bash", "-c", step.cmd]
    if step.ns != "host":          # ns=host: on the host side (local work, nested runs)
        argv = ["ip", "netns", "exec", lab.ns(step.ns)] + argv
    t = time.monotonic()
    p = subprocess.Popen(argv, cwd=art, env=env,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace", start_new_session=True)
    try:
        out, _ = p.communicate(timeout=step.timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        kill_group(p)
        out, _ = p.communicate()
        out += f"\n[atp: step timed out after {step.timeout:g} s]\n"
        rc = "timeout"
    dt = time.monotonic() - t
    log.write(f"$ [{step.ns}] {step.cmd}\n{out}[rc {rc}, {dt * 1000:.0f} ms]\n\n")
    return rc, out, dt


def kill_group(p):
    """Stop a process we started (and the group it leads), by PID."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            return
        try:
            p.wait(timeout=1.0)
            return
        except subprocess.TimeoutExpired:
            continue


class Capture:
    def __init__(self, lab, spec, art):
        role, _, ifc = spec.partition(":")
        self.role = role
        self.path = os.path.join(art, f"{role}.pcapng")
        self.proc = subprocess.Popen(["ip", "netns", "exec", lab.ns(role), "dumpcap", "-q", "-i", ifc,
                                      "-w", self.path], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(art, f"dumpcap-{role}.log"), "w"),
                                     start_new_session=True)

    def ready(self):
        return os.path.exists(self.path) and os.path.getsize(self.path) > 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                kill_group(self.proc)


class Result:
    def __init__(self, name):
        self.name = name
        self.status = "FAIL"
        self.why = []
        self.seconds = 0.0
        self.art = ""
        self.steps = []    # (peer, cmd, rc, seconds)
        self.final = ""    # device scenarios: "eued provisioned @4210ms" from the trace


def run_scenario(lab, sc, out_dir, verbose):
    res = Result(sc.name)
    art = os.path.join(out_dir, sc.name)
    if os.path.isdir(art):
        shutil.rmtree(art)         # a re-run into the same --out starts clean
    os.makedirs(art)
    res.art = art
    nvram = os.path.join(art, "nvram")
    os.makedirs(nvram, exist_ok=True)
    env = dict(os.environ)
    env.update(lab.env)
    env.update({"LAB_RUN": lab.run, "ATP_ART": art, "ATP_NVRAM": nvram, "ATP_ROOT": ROOT,
                "ATP_HELPERS": os.path.join(HERE, "helpers"), "ATP_TRACE": os.path.join(art, "trace.log"),
                "ATP_SCENARIO": sc.name, "MIBS": "", "SNMP_PERSISTENT_DIR": os.path.join(art, "snmp"),
                "KRB5_CONFIG": lab.env.get("LAB_KRB5_CONFIG", ""),
                "KRB5CCNAME": "FILE:" + os.path.join(art, "krb5cc")})
    open(env["ATP_TRACE"], "a").close()
    # snapshot of lab files, so that `expect file` sees only what this scenario wrote
    offsets = {}
    for e in sc.expects:
        if e.kind in ("file", "no-file") and e.args:
            p = os.path.join(lab.run, e.args[0])
            offsets[p] = os.path.getsize(p) if os.path.exists(p) else 0
    caps = [Capture(lab, c, art) for c in sc.captures]
    deadline = time.monotonic() + 3
    while not all(c.ready() for c in caps) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)
    t0 = time.monotonic()
    output = []
    devices = []
    servers = []
    log = open(os.path.join(art, "steps.log"), "w")
    try:
        for st in sc.steps:
            if verbose:
                print(f"    -> [{st.ns}] {st.peer or st.kind}: {st.cmd}", flush=True)
            if st.kind == "device":
                devices.append(start_device(lab, st, env, art))
                continue
            if st.kind == "server":
                srv = start_device(lab, st, env, art)
                servers.append(srv)
                if not wait_ready(lab, srv):
                    res.why.append(f"line {st.lineno}: server not ready ({st.ready or 'exited'})")
                continue
            rc, out, dt = run_in_ns(lab, st, env, art, log)
            output.append(out)
            res.steps.append((st.peer, st.cmd, rc, dt))
            if verbose:
                for line in out.strip().splitlines()[-6:]:
                    print(f"       | {line}", flush=True)
                print(f"       rc {rc}, {dt * 1000:.0f} ms", flush=True)
            if st.rc != "any" and str(rc) != st.rc:
                res.why.append(f"line {st.lineno}: step exited {rc}, expected {st.rc}")
        for dev in devices:
            wait_device(dev, env["ATP_TRACE"], log, output)
        if devices and verbose:
            print_trace(env["ATP_TRACE"])
    finally:
        for dev in devices:
            if dev[0].poll() is None:
                kill_group(dev[0])
        for srv in servers:
            if srv[0].poll() is None:
                kill_group(srv[0])
            srv[2].close()
            with open(srv[2].name, errors="replace") as f:
                out = f.read()
            output.append(out)
            log.write(f"$ [server {srv[1].ns}] {srv[1].cmd}\n{out}[stopped]\n\n")
        log.close()
        # dumpcap (libpcap TPACKET_V3) sees packets only when a ring block retires, after up to
        # about 250 ms, and a SIGTERM drops what has not been delivered: wait before stopping.
        time.sleep(float(os.environ.get("ATP_CAPTURE_DRAIN", "0.6")))
        for c in caps:
            c.stop()
    res.seconds = time.monotonic() - t0
    res.final = final_states(env["ATP_TRACE"])
    pcaps = {c.role: c.path for c in caps}
    ctx = {"lab": lab, "art": art, "out": "".join(output), "pcaps": pcaps, "offsets": offsets,
           "trace": env["ATP_TRACE"]}
    failures = list(res.why)
    for e in sc.expects:
        try:
            ok, detail = check(e, ctx)
        except ScenarioError as err:
            ok, detail = False, str(err)
        if verbose:
            print(f"    {'ok ' if ok else 'NOT'} expect {e.text}" + (f"  ({detail})" if detail else ""), flush=True)
        if not ok:
            failures.append(f"line {e.lineno}: expect {e.text}: {detail}")
    if sc.check_wire:
        for role, path in pcaps.items():
            bad = wire_errors(path, sc.tolerate)
            if bad:
                failures.append(f"tshark on {role}.pcapng: {bad}")
    if sc.invert:
        # every expectation of an inverted scenario is deliberately wrong: each one must fail,
        # while its steps and the wire check must still succeed (they are not part of the test)
        held = [e for e in sc.expects if not any(f.startswith(f"line {e.lineno}: expect ") for f in failures)]
        other = [f for f in failures if not f.startswith("line ") or " expect " not in f]
        if held or other or not sc.expects:
            res.status = "FAIL"
            res.why = [f"runner did NOT detect the deliberate violation at line {e.lineno}: expect {e.text}"
                       for e in held] + other
        else:
            res.status = "PASS"
            res.why = [f"runner detected all {len(sc.expects)} deliberate violations ({sc.invert})"]
    else:
        res.status = "PASS" if not failures else "FAIL"
        res.why = failures
        # A device that says its flow is not implemented yet makes a failing scenario SKIP
        # ("not yet"), never PASS: the trace line '<ms> <proc> state not-implemented' is the
        # daemon's own statement. A scenario whose expectations all hold still passes. Only a
        # scenario that declares itself ahead of the code (`notyet`) is excused this way: the
        # others test what exists (the eCM's, say), and their failures must show as FAIL.
        if failures and sc.notyet and any(line.split()[1:4:2] and line.split()[2:4] == ["state", "not-implemented"]
                            for line in open(ctx["trace"], errors="replace")):
            procs = sorted({line.split()[1] for line in open(ctx["trace"], errors="replace")
                            if line.split()[2:4] == ["state", "not-implemented"]})
            res.status = "SKIP"
            res.why = [f"not yet: {', '.join(procs)} reports state not-implemented"] + failures
    with open(os.path.join(art, "result.txt"), "w") as f:
        f.write(f"{res.status} {sc.name} {res.seconds:.2f}s\n" + "".join(w + "\n" for w in res.why))
    return res


def wait_ready(lab, srv):
    """A scenario server is ready when its ready= socket listens in its namespace (5 s max)."""
    p, st = srv[0], srv[1]
    if not st.ready:
        time.sleep(0.1)
        return p.poll() is None
    proto, _, port = st.ready.partition(":")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and p.poll() is None:
        out = subprocess.run(["ip", "netns", "exec", lab.ns(st.ns), "ss", "-Hln" + ("u" if proto == "udp" else "t")],
                             stdout=subprocess.PIPE, text=True).stdout
        if any(l.split()[3].endswith(":" + port) for l in out.splitlines() if len(l.split()) > 3):
            return True
        time.sleep(0.02)
    return False


def start_device(lab, st, env, art):
    # ns=host: a helper on the host side (e.g. one that reconfigures a server mid-scenario)
    argv = (["bash", "-c", st.cmd] if st.ns == "host"
            else ["ip", "netns", "exec", lab.ns(st.ns), "bash", "-c", st.cmd])
    logf = open(os.path.join(art, f"{st.kind}-{st.lineno}.log"), "w")
    p = subprocess.Popen(argv, cwd=art, env=env,
                         stdin=subprocess.DEVNULL, stdout=logf, stderr=subprocess.STDOUT,
                         start_new_session=True)
    return (p, st, logf, time.monotonic())


def print_trace(path):
    """Demo/verbose view of a device trace: the spec's step names, time, result, peer."""
    if not os.path.exists(path):
        return
    for line in open(path, errors="replace"):
        w = line.split()
        if len(w) >= 4 and w[2] == "step":
            rest = " ".join(w[5:])
            print(f"       {int(w[0]) if w[0].isdigit() else w[0]:>6} ms  {w[1]:5} {w[3]:10} "
                  f"{w[4] if len(w) > 4 else '':9} {rest[:70]}", flush=True)
        elif len(w) >= 4 and w[2] == "state":
            print(f"       {int(w[0]) if w[0].isdigit() else w[0]:>6} ms  {w[1]:5} == state {w[3]}", flush=True)


def final_states(path):
    """'ecmd operational @1084ms, eued not-implemented @1084ms' from a device trace."""
    last = {}
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            w = line.split()
            if len(w) >= 4 and w[2] == "state":
                last[w[1]] = f"{w[1]} {w[3]} @{w[0]}ms"
    return ", ".join(last[k] for k in sorted(last))


def wait_device(dev, trace, log, output):
    p, st, logf, t0 = dev
    rx = re.compile(st.until, re.M) if st.until else None
    while time.monotonic() - t0 < st.timeout:
        if p.poll() is not None:
            break
        if rx and rx.search(open(trace, errors="replace").read()):
            break
        time.sleep(0.05)
    if p.poll() is None:
        kill_group(p)
    logf.close()
    with open(logf.name, errors="replace") as f:
        out = f.read()
    output.append(out)
    log.write(f"$ [device {st.ns}] {st.cmd}\n{out}[rc {p.returncode}]\n\n")


# ------------------------------------------------------------------------------------------------
# Expectations


def head_tokens(text, n):
    """Split off the first n shell-quoted words of text; the rest stays raw (a display filter
    keeps its own quotes: http.request.uri == "/x")."""
    toks = []
    i = 0
    while len(toks) < n:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        if text[i] in "'\"":
            q = text[i]
            j = text.find(q, i + 1)
            if j < 0:
                raise ScenarioError("unbalanced quote")
            toks.append(text[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < len(text) and not text[j].isspace():
                j += 1
            toks.append(text[i:j])
            i = j
    return toks, text[i:].strip()


def pcap_args(e, ctx, n):
    """Optional leading @role selects the pcap (default: eue); then n words, then a raw filter."""
    text = e.raw
    role = "eue"
    if text.startswith("@"):
        r, text = head_tokens(text, 1)
        role = r[0][1:]
    if role not in ctx["pcaps"]:
        raise ScenarioError(f"no capture for role {role}")
    toks, rest = head_tokens(text, n)
    if len(toks) < n:
        raise ScenarioError(f"{n} argument(s) before the filter expected")
    return ctx["pcaps"][role], toks, rest


def count_filter(pcap, flt):
    return len([l for l in tshark(pcap, "-Y", flt, "-T", "fields", "-e", "frame.number").splitlines() if l.strip()])


def cmp_count(n, spec):
    m = re.match(r"^(>=|<=|==|>|<|=)?(\d+)$", spec)
    if not m:
        raise ScenarioError(f"bad count {spec!r}")
    op, v = m.group(1) or "==", int(m.group(2))
    return {"": n == v, "=": n == v, "==": n == v, ">=": n >= v, "<=": n <= v, ">": n > v, "<": n < v}[op]


def dhcp4_options(payload):
    """Raw DHCPv4 option walk (RFC 2131/2132): independent of Wireshark. Returns [(code, bytes)]."""
    opts = []
    if len(payload) < 240 or payload[236:240] != b"\x63\x82\x53\x63":
        return opts
    i = 240
    while i < len(payload):
        code = payload[i]
        if code == 0:
            i += 1
            continue
        if code == 255 or i + 1 >= len(payload):
            break
        ln = payload[i + 1]
        opts.append((code, payload[i + 2:i + 2 + ln]))
        i += 2 + ln
    return opts


def vivso_sub(data, enterprise):
    """RFC 3925 option 125: enterprise(4) len(1) sub-options code(1) len(1)."""
    subs = []
    i = 0
    while i + 5 <= len(data):
        ent = int.from_bytes(data[i:i + 4], "big")
        ln = data[i + 4]
        block = data[i + 5:i + 5 + ln]
        i += 5 + ln
        if ent != enterprise:
            continue
        j = 0
        while j + 2 <= len(block):
            subs.append((block[j], block[j + 2:j + 2 + block[j + 1]]))
            j += 2 + block[j + 1]
    return subs


def check(e, ctx):
    a = e.args
    k = e.kind
    if k in ("output", "no-output"):
        if len(a) != 1:
            raise ScenarioError("one regex expected")
        found = re.search(a[0], ctx["out"], re.M) is not None
        return (found, "") if k == "output" else (not found, "found" if found else "")
    if k in ("file", "no-file"):
        if len(a) != 2:
            raise ScenarioError("PATH REGEX expected")
        p = os.path.join(ctx["lab"].run, a[0])
        text = ""
        if os.path.exists(p):
            with open(p, errors="replace") as f:
                f.seek(ctx["offsets"].get(p, 0))
                text = f.read()
        found = re.search(a[1], text, re.M) is not None
        if k == "file":
            return found, "" if found else f"not in the new part of {a[0]} ({len(text)} bytes)"
        return not found, "found" if found else ""
    if k in ("pcap", "no-pcap"):
        pcap, _, flt = pcap_args(e, ctx, 0)
        n = count_filter(pcap, flt)
        return (n > 0, f"{n} packets") if k == "pcap" else (n == 0, f"{n} packets")
    if k == "count":
        pcap, (spec,), flt = pcap_args(e, ctx, 1)
        n = count_filter(pcap, flt)
        return cmp_count(n, spec), f"{n} packets"
    if k == "field":
        # expect field [@role] FIELD REGEX [FILTER]: some packet's FIELD value matches REGEX
        pcap, (field, rx), flt = pcap_args(e, ctx, 2)
        args = ["-T", "fields", "-e", field] + (["-Y", flt] if flt else [])
        vals = [v for v in tshark(pcap, *args).splitlines() if v.strip()]
        ok = any(re.search(rx, v) for v in vals)
        return ok, "" if ok else f"values seen: {sorted(set(vals))[:6]}"
    if k == "decoded":
        # expect decoded [@role] REGEX [FILTER]: tshark's full decode (-V) of the packets shows REGEX
        pcap, (rx,), flt = pcap_args(e, ctx, 1)
        ok = re.search(rx, tshark(pcap, "-V", *(["-Y", flt] if flt else [])), re.M) is not None
        return ok, "" if ok else "not in tshark -V output"
    if k == "dhcp4-opt":
        # expect dhcp4-opt [@role] CODE HEXREGEX [FILTER]: raw option bytes in a DHCPv4 packet
        pcap, (code, rx), flt = pcap_args(e, ctx, 2)
        seen = []
        for line in tshark(pcap, "-Y", flt or "dhcp", "-T", "fields", "-e", "udp.payload").splitlines():
            for c, val in dhcp4_options(bytes.fromhex(line.strip().replace(":", ""))):
                if c == int(code):
                    seen.append(val.hex())
        ok = any(re.fullmatch(rx, v) for v in seen)
        return ok, "" if ok else f"option {code} values seen: {sorted(set(seen))[:4]}"
    if k == "opt125":
        # expect opt125 [@role] SUBCODE HEX [FILTER]: option 125 / enterprise 4491 sub-option as bytes
        pcap, (sub, hx), flt = pcap_args(e, ctx, 2)
        seen = []
        for line in tshark(pcap, "-Y", flt or "dhcp.option.type == 125", "-T", "fields", "-e", "udp.payload").splitlines():
            for c, val in dhcp4_options(bytes.fromhex(line.strip().replace(":", ""))):
                if c == 125:
                    seen += [v.hex() for sc_, v in vivso_sub(val, 4491) if sc_ == int(sub)]
        ok = any(v == hx.lower() for v in seen)
        return ok, "" if ok else f"4491 sub {sub} values seen: {sorted(set(seen))[:4]}"
    if k in ("state", "trace"):
        if k == "state":
            # expect state [PROC] NAME: the last state line (of PROC, if given) is NAME
            proc, want = (a[0], a[1]) if len(a) == 2 else ("", a[0])
            _, states = read_trace(ctx["trace"], proc)
            final = states[-1] if states else "(none)"
            return final == want, f"final state{' of ' + proc if proc else ''}: {final}"
        steps, states = read_trace(ctx["trace"])
        # expect trace S1 S2 ...: the steps appear in this order (other steps may be interleaved)
        it = iter(steps)
        ok = all(any(s == want for s in it) for want in a)
        return ok, "" if ok else f"trace steps: {' '.join(steps[:40])}"
    raise ScenarioError(f"unknown expectation {k}")


EXPECT_KINDS = ("output", "no-output", "file", "no-file", "pcap", "no-pcap", "count", "field",
                "decoded", "dhcp4-opt", "opt125", "state", "trace")


def read_trace(path, proc=""):
    """Trace lines written by ecmd/eued (tests/atp/README.md): 'MS PROC step NAME RESULT [k=v..]'
    and 'MS PROC state NAME'. With proc, only that process's lines."""
    steps, states = [], []
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                w = line.split()
                if proc and (len(w) < 2 or w[1] != proc):
                    continue
                if len(w) >= 4 and w[2] == "step":
                    steps.append(w[3])
                elif len(w) >= 4 and w[2] == "state":
                    states.append(w[3])
    return steps, states


def wire_errors(pcap, tolerate):
    """tshark must decode every packet with no malformed packet and no expert item of severity
    Error or of group Malformed, except the expert messages a scenario tolerates (each with a
    stated reason, e.g. a Wireshark 4.0 dissector that predates a field)."""
    out = tshark(pcap, "-Y", '_ws.malformed || _ws.expert.severity >= "Error" || _ws.expert.group == "Malformed"',
                 "-T", "fields", "-e", "frame.number", "-e", "_ws.col.Protocol", "-e", "_ws.expert.message",
                 "-e", "_ws.expert.severity", "-e", "_ws.expert.group", "-e", "_ws.malformed",
                 "-E", "occurrence=a", "-E", "aggregator=|")
    bad = []
    for line in out.splitlines():
        w = (line.split("\t") + [""] * 6)[:6]
        msgs, sevs, grps = w[2].split("|"), w[3].split("|"), w[4].split("|")
        items = []
        for n, m in enumerate(msgs):
            sev = int(sevs[n], 0) if n < len(sevs) and sevs[n] else 0
            grp = int(grps[n], 0) if n < len(grps) and grps[n] else 0
            if m and (sev >= 0x00800000 or grp == 0x07000000):
                items.append(m)
        if not items and w[5]:
            items = ["Malformed Packet"]
        keep = [m for m in items if not any(re.search(t, m) for t in tolerate)]
        if keep:
            bad.append(f"frame {w[0]} {w[1]}: {keep[0]}")
    return "; ".join(bad[:3]) + (f" (+{len(bad) - 3} more)" if len(bad) > 3 else "")


# ------------------------------------------------------------------------------------------------
# Main


def main():
    ap = argparse.ArgumentParser(description="ATP scenario runner")
    ap.add_argument("names", nargs="*")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--out", default="")
    ap.add_argument("--dir", default=SCN_DIR, help="scenario directory (default tests/atp/scenarios)")
    ap.add_argument("--summary", action="store_true", help="print a summary table at the end")
    ap.add_argument("--ladder", action="store_true", help="draw ladder.svg per scenario")
    ap.add_argument("--results", default="", help="also write 'PASSED FAILED SKIPPED' to this file (make check summary)")
    opt = ap.parse_args()

    scn_dir = os.path.abspath(opt.dir)
    files = sorted(f for f in os.listdir(scn_dir) if f.endswith(".scn"))
    if opt.names:
        want = [n[:-4] if n.endswith(".scn") else n for n in opt.names]
        missing = [n for n in want if n + ".scn" not in files]
        if missing:
            print(f"atp: no such scenario: {' '.join(missing)}", file=sys.stderr)
            return 2
        files = [n + ".scn" for n in want]
    try:
        scenarios = [Scenario(os.path.join(scn_dir, f)) for f in files]
    except ScenarioError as e:
        print(f"atp: {e}", file=sys.stderr)
        return 2
    if opt.list:
        for sc in scenarios:
            print(f"{sc.name:28} {sc.group:10} {sc.title}")
        return 0

    missing = [t for t in ("tshark", "dumpcap", "ip", "ss") if not shutil.which(t)]
    if missing or os.geteuid() != 0:
        print(f"atp: needs root and {' '.join(missing) or 'nothing else'} (make deps installs deps/lab.list)",
              file=sys.stderr)
        print("0 passed, 1 failed")
        return 2

    runid = time.strftime("%H%M%S") + f"-{os.getpid()}"
    out_dir = os.path.abspath(opt.out) if opt.out else os.path.join(ROOT, "build", "atp", runid)
    os.makedirs(out_dir, exist_ok=True)

    # groups: scenarios that share the same lab settings share one lab boot
    groups = {}
    for sc in scenarios:
        groups.setdefault(sc.lab_key(), []).append(sc)

    results = []
    lab = None
    interrupted = False

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, signal.default_int_handler)    # even if started with SIGINT ignored
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    try:
        for key, scs in groups.items():
            runnable = [sc for sc in scs if not sc.missing()]
            for sc in scs:
                if sc.missing():
                    r = Result(sc.name)
                    r.status = "SKIP"
                    r.why = [f"not yet: {'; '.join(sc.missing())}"]
                    results.append(r)
                    print(f"SKIP  {sc.name:28} {r.why[0]}", flush=True)
            if not runnable:
                continue
            lab = Lab(dict(key), opt.verbose)
            knobs = " ".join(f"{k}={v}" for k, v in key) or "defaults"
            if opt.verbose:
                print(f"== lab up ({knobs})", flush=True)
            try:
                lab.up()
            except RuntimeError:
                # a lab that cannot come up fails its scenarios: never a silent "0 failed"
                for sc in runnable:
                    r = Result(sc.name)
                    r.why = [f"lab bring-up failed ({knobs}); see the lab: lines above"]
                    results.append(r)
                    print(f"FAIL  {sc.name:28} {r.why[0]}", flush=True)
                lab = None
                continue
            print(f"lab   up in {lab.up_s:.2f} s ({knobs}): {lab.run}", flush=True)
            for sc in runnable:
                if opt.verbose:
                    print(f"-- {sc.name}: {sc.title}", flush=True)
                try:
                    r = run_scenario(lab, sc, out_dir, opt.verbose)
                except ScenarioError as e:
                    r = Result(sc.name)
                    r.why = [str(e)]
                results.append(r)
                if opt.ladder:
                    draw_ladder(r, lab)
                if opt.verbose:
                    print(f"    artefacts: {r.art}", flush=True)
                line = f"{r.status}  {sc.name:28} {r.seconds:6.2f} s  {sc.title}"
                print(line, flush=True)
                if r.status == "SKIP" and not opt.verbose:
                    print(f"      {r.why[0]}", flush=True)
                for w in r.why[:4] if r.status == "FAIL" or opt.verbose else []:
                    print(f"      {w}", flush=True)
            dt = lab.down()
            lab = None
            print(f"lab   down in {dt:.2f} s", flush=True)
    except KeyboardInterrupt:
        interrupted = True
        print("atp: interrupted", file=sys.stderr)
    except RuntimeError as e:
        print(f"atp: {e}", file=sys.stderr)
        interrupted = True
    finally:
        if lab is not None:
            lab.down()

    passed = sum(r.status == "PASS" for r in results)
    failed = sum(r.status == "FAIL" for r in results)
    skipped = sum(r.status == "SKIP" for r in results)
    if opt.summary:
        print_summary(scenarios, results)
    if opt.results:
        os.makedirs(os.path.dirname(os.path.abspath(opt.results)), exist_ok=True)
        with open(opt.results, "w") as f:
            f.write(f"{passed} {failed + (1 if interrupted and not failed else 0)} {skipped}\n")
    print(f"artefacts: {out_dir}")
    print(f"{skipped} skipped")
    print(f"{passed} passed, {failed} failed")
    if interrupted:
        return 2
    return 0 if failed == 0 else 1


def print_summary(scenarios, results):
    by = {r.name: r for r in results}
    print()
    print(f"{'scenario':28} {'group':10} {'result':6} {'time':>7}  device final states (from the trace) / talks to")
    print("-" * 100)
    for sc in scenarios:
        r = by.get(sc.name)
        if not r:
            continue
        peers = ", ".join(dict.fromkeys(p for p, *_ in r.steps if p)) or "-"
        what = r.final or peers
        print(f"{sc.name:28} {sc.group:10} {r.status:6} {r.seconds:6.2f}s  {what[:64]}")
    print()
    skipped = [r for r in results if r.status == "SKIP"]
    if skipped:
        print("NOT YET (reported SKIP, not counted as passed): these flows do not exist yet:")
        for r in skipped:
            print(f"  {r.name}: {r.why[0]}")
        print("lab-*/fault-* scenarios use stock Debian clients in the eue namespace as stand-ins for the")
        print("device; device-* scenarios run the real ecmd/eued against the same servers.")
        print()


def draw_ladder(r, lab):
    ladder = os.path.join(HERE, "ladder.py")
    pcaps = [os.path.join(r.art, f) for f in ("eue.pcapng", "oss.pcapng") if os.path.exists(os.path.join(r.art, f))]
    if not os.path.exists(ladder) or not pcaps:
        return
    subprocess.run([sys.executable, ladder, "--env", os.path.join(lab.run, "lab.env"), "--title",
                    f"{r.name}: {r.status}", "--trace", os.path.join(r.art, "trace.log")] + pcaps +
                   [os.path.join(r.art, "ladder.svg")], stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
