#!/usr/bin/env python3
"""Send a MongoDB `ping` command as a raw OP_MSG and check the reply.

Usage: mongo-ping.py [--timeout SECONDS] [HOST:]PORT | mongodb://HOST:PORT/...

Exits 0 when the server answers {ok: 1}, 1 otherwise (with the reason on
stderr). Standard library only: used by scripts/services to health-check
FerretDB where no mongosh is installed.
"""
import argparse
import socket
import struct
import sys
import urllib.parse

OP_MSG = 2013


def bson_ping(db):
    """Encode {ping: 1, $db: db} as BSON."""
    body = b"\x10ping\x00" + struct.pack("<i", 1)
    dbb = db.encode() + b"\x00"
    body += b"\x02$db\x00" + struct.pack("<i", len(dbb)) + dbb
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


def bson_top_level(doc):
    """Decode the scalar top-level fields of a BSON document (enough for ok/errmsg)."""
    out = {}
    i, end = 4, struct.unpack_from("<i", doc)[0] - 1
    while i < end:
        t = doc[i]
        j = doc.index(b"\x00", i + 1)
        name = doc[i + 1:j].decode("utf-8", "replace")
        i = j + 1
        if t == 0x01:
            out[name] = struct.unpack_from("<d", doc, i)[0]; i += 8
        elif t == 0x02:
            n = struct.unpack_from("<i", doc, i)[0]
            out[name] = doc[i + 4:i + 3 + n].decode("utf-8", "replace"); i += 4 + n
        elif t in (0x03, 0x04):
            i += struct.unpack_from("<i", doc, i)[0]
        elif t == 0x05:
            i += 5 + struct.unpack_from("<i", doc, i)[0]
        elif t == 0x07:
            i += 12
        elif t == 0x08:
            out[name] = doc[i] != 0; i += 1
        elif t in (0x09, 0x11, 0x12):
            out[name] = struct.unpack_from("<q", doc, i)[0]; i += 8
        elif t in (0x0A, 0xFF, 0x7F):
            pass
        elif t == 0x10:
            out[name] = struct.unpack_from("<i", doc, i)[0]; i += 4
        elif t == 0x13:
            i += 16
        else:
            break  # a type this checker does not need; stop here
    return out


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed by server")
        buf += chunk
    return buf


def ping(host, port, timeout, db="admin"):
    doc = bson_ping(db)
    payload = struct.pack("<I", 0) + b"\x00" + doc  # flagBits, section kind 0
    header = struct.pack("<iiii", 16 + len(payload), 1, 0, OP_MSG)
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.settimeout(timeout)
        s.sendall(header + payload)
        length, _req, _resp_to, opcode = struct.unpack("<iiii", recv_exact(s, 16))
        if length < 21 or length > 48 * 1024 * 1024:
            raise ValueError("bad reply length %d" % length)
        body = recv_exact(s, length - 16)
    if opcode != OP_MSG:
        raise ValueError("unexpected reply opcode %d" % opcode)
    if body[4] != 0:
        raise ValueError("unexpected reply section kind %d" % body[4])
    reply = bson_top_level(body[5:])
    if reply.get("ok") in (1, 1.0, True):
        return reply
    raise ValueError("server answered %r" % reply)


def parse_target(target):
    if "://" in target:
        u = urllib.parse.urlsplit(target)
        host = u.hostname or "127.0.0.1"
        port = u.port or 27017
        return host, port
    if ":" in target:
        host, _, port = target.rpartition(":")
        return host.strip("[]") or "127.0.0.1", int(port)
    return "127.0.0.1", int(target)


def main():
    ap = argparse.ArgumentParser(description="MongoDB wire-protocol ping (OP_MSG)")
    ap.add_argument("target", help="PORT, HOST:PORT or mongodb:// URI")
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--quiet", "-q", action="store_true")
    args = ap.parse_args()
    try:
        host, port = parse_target(args.target)
        ping(host, port, args.timeout)
    except (OSError, ValueError, ConnectionError, struct.error) as e:
        if not args.quiet:
            print("mongo-ping: %s: %s" % (args.target, e), file=sys.stderr)
        return 1
    if not args.quiet:
        print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
