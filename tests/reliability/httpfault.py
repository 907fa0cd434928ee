#!/usr/bin/env python3
"""tests/reliability/httpfault.py: a broken HTTP file server for the fault scenarios (python3
stdlib only; runs in the lab's oss namespace in place of lighttpd).

    httpfault.py --root DIR [--port 80] [--truncate N]

Serves GET /NAME from DIR (HTTP/1.1, Connection: close). The first N answers (--truncate) are
cut mid-transfer: the headers announce the whole Content-Length, half the body is sent, then the
connection is closed. Later answers are whole, so the fault is removed after N transfers. One
line per request on stdout: "httpfault: GET /NAME 200 truncated sent=S of T" or "... whole".
"""
import argparse
import os
import socket
import sys


def serve(conn, root, state):
    conn.settimeout(10)
    req = b""
    while b"\r\n\r\n" not in req and len(req) < 8192:
        chunk = conn.recv(2048)
        if not chunk:
            return
        req += chunk
    line = req.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split()
    if len(parts) < 2 or parts[0] != "GET":
        conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        print(f"httpfault: {line!r} 405", flush=True)
        return
    name = os.path.basename(parts[1].split("?", 1)[0])
    path = os.path.join(root, name)
    if not name or not os.path.isfile(path):
        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        print(f"httpfault: GET /{name} 404", flush=True)
        return
    body = open(path, "rb").read()
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    if state["truncate"] > 0:
        state["truncate"] -= 1
        sent = len(body) // 2
        conn.sendall(head + body[:sent])
        print(f"httpfault: GET /{name} 200 truncated sent={sent} of {len(body)}", flush=True)
    else:
        conn.sendall(head + body)
        print(f"httpfault: GET /{name} 200 whole sent={len(body)} of {len(body)}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--truncate", type=int, default=0)
    opt = ap.parse_args()
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)   # v4-mapped too: one socket
    s.bind(("::", opt.port))
    s.listen(8)
    print(f"httpfault: listening on port {opt.port}, truncating the first {opt.truncate}", flush=True)
    state = {"truncate": opt.truncate}
    while True:
        conn, _ = s.accept()
        try:
            serve(conn, opt.root, state)
        except OSError as e:
            print(f"httpfault: {e}", flush=True)
        finally:
            conn.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
